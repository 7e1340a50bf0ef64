/** Plain table screens: run records, policy files, the audit log. */
import { type ApiTable, get } from '../api.ts';
import { h, tableView } from '../dom.ts';
import { t } from '../i18n.ts';
import { agencyOnly, anyone, type Screen } from './screen.ts';

function tableScreen(path: string, title: Screen['title'], source: string, visible: Screen['visible']): Screen {
  return {
    path,
    title,
    nav: true,
    visible,
    async render() {
      const r = await get<ApiTable | { table: ApiTable }>(source);
      const tbl = 'kind' in r ? r : r.table;
      return h(
        'div',
        { class: 'screen' },
        h('h2', { 'data-testid': 'screen-title' }, t(title)),
        tableView(tbl, { source }),
      );
    },
  };
}

export const recordsScreen = tableScreen('records', 'records', '/api/records', agencyOnly);
export const policiesScreen = tableScreen('policies', 'policies', '/api/policies', anyone);
export const auditScreen = tableScreen('audit', 'audit', '/api/audit', agencyOnly);
