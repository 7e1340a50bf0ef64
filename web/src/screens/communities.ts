/**
 * 医共体 / Medical communities — for the agency and lead hospitals: is the community eligible for one budget, what
 * budget it had, how it was settled month by month and at year end, its indicators and the patients' burden.
 */
import { type ApiTable, get } from '../api.ts';
import { h, tableView } from '../dom.ts';
import { lang, t } from '../i18n.ts';
import type { Screen } from './screen.ts';

interface Communities {
  run: { id: string; year: number };
  communities: { id: string; name: string; eligible: boolean }[];
  tables: ApiTable[];
}

export const communitiesScreen: Screen = {
  path: 'communities',
  title: 'communities',
  nav: true,
  visible: (me) => me.role === 'agency' || me.role === 'community',
  async render() {
    const src = '/api/runs/latest/communities';
    const d = await get<Communities>(src);
    return h(
      'div',
      { class: 'screen' },
      h('h2', { 'data-testid': 'screen-title' }, t('communities')),
      h(
        'p',
        { class: 'run' },
        `${t('run')}: `,
        h('a', { href: `#/run/${d.run.id}` }, d.run.id),
        // Each community by its name (a proper name) and whether it is paid as one budget, in the reader's punctuation
        // (en read `东山县医共体（paid as one community budget）、…`).
        ` · ${d.communities
          .map((c) => {
            const paid = t(c.eligible ? 'eligible' : 'notEligible');
            return lang() === 'en' ? `${c.name} (${paid})` : `${c.name}（${paid}）`;
          })
          .join(lang() === 'en' ? ', ' : '、')}`,
      ),
      ...d.tables.map((tbl) => tableView(tbl, { source: src })),
    );
  },
};
