/**
 * 机构结算单 / Institution statement: one institution's cases and cost by month and its case list, each case
 * opening its settlement list and explanation. An institution's token sees only itself.
 */
import { type ApiTable, get } from '../api.ts';
import { h, tableView } from '../dom.ts';
import { t } from '../i18n.ts';
import { activityChart, latestYear } from './overview.ts';
import { anyone, type Screen } from './screen.ts';

const PAGE = 50;

export const institutionScreen: Screen = {
  path: 'institution',
  title: 'statement',
  nav: false,
  visible: anyone,
  async render(ctx) {
    const code = ctx.args[0] ?? ctx.me.institution ?? '';
    const year = Number(ctx.query.get('year')) || (await latestYear());
    const offset = Math.max(0, Number(ctx.query.get('offset')) || 0);
    const inst = await get<ApiTable>('/api/institutions');
    const me = inst.rows.find((r) => r.code === code);
    const parts: HTMLElement[] = [
      h('h2', { 'data-testid': 'screen-title' }, `${t('statement')} · ${me?.name ?? code}`, h('small', {}, ` ${code}`)),
    ];
    if (ctx.me.role === 'community' && inst.rows.length > 1) {
      parts.push(
        h(
          'p',
          { class: 'members' },
          ...inst.rows.map((r) =>
            h('a', { href: `#/institution/${r.code}`, class: r.code === code ? 'on' : '' }, String(r.name)),
          ),
        ),
      );
    }
    if (year) {
      parts.push(await activityChart(year, code));
      const src = `/api/institutions/${encodeURIComponent(code)}/cases?year=${year}&limit=${PAGE}&offset=${offset}`;
      const cases = await get<ApiTable>(src);
      parts.push(
        tableView(cases, {
          source: `/api/institutions/${encodeURIComponent(code)}/cases?year=${year}&limit=10000`,
          link: (r, c) => (c.key === 'setlId' ? `#/case/${r.setlId}` : undefined),
          testId: 'cases-table',
        }),
      );
      const pager = h('div', { class: 'pager' });
      if (offset > 0) {
        pager.append(
          h('a', { href: `#/institution/${code}?year=${year}&offset=${Math.max(0, offset - PAGE)}` }, t('previous')),
        );
      }
      if ((cases.total ?? 0) > offset + PAGE) {
        pager.append(h('a', { href: `#/institution/${code}?year=${year}&offset=${offset + PAGE}` }, t('next')));
      }
      parts.push(pager);
    }
    return h('div', { class: 'screen' }, ...parts);
  },
};
