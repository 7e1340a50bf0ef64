/**
 * 医院盈亏 / Hospital P&L — for a hospital's insurance office: which groups and departments lose money under case
 * payment in the latest run (payment at the year-end point value against total medical cost), worst first.
 */
import { type ApiTable, get } from '../api.ts';
import { chart } from '../chart.ts';
import { h, tableView } from '../dom.ts';
import { t } from '../i18n.ts';
import { anyone, type Screen } from './screen.ts';

export const profitScreen: Screen = {
  path: 'profit',
  title: 'profit',
  nav: true,
  visible: (me) => me.role !== 'agency',
  async render(ctx) {
    const code = ctx.args[0] ?? ctx.me.institution ?? '';
    const base = `/api/runs/latest/institutions/${encodeURIComponent(code)}/profit`;
    const [byGroup, byDept] = await Promise.all([
      get<ApiTable>(`${base}?by=group`),
      get<ApiTable>(`${base}?by=department`),
    ]);
    const worst = byGroup.rows.slice(0, 10);
    return h(
      'div',
      { class: 'screen' },
      h('h2', { 'data-testid': 'screen-title' }, `${t('profit')} · ${code}`),
      h(
        'section',
        { class: 'card' },
        h('h3', {}, t('worstGroups')),
        chart(
          worst.map((r) => String(r.key)),
          [
            {
              name: `${t('profitLoss')} (${t('tenThousandYuan')})`,
              type: 'bar',
              data: worst.map((r) => Number(r.profit) / 1_000_000),
            },
          ],
          { left: t('tenThousandYuan'), testId: 'profit-chart' },
        ),
      ),
      tableView(byGroup, { source: `${base}?by=group`, testId: 'table-profit-group' }),
      tableView(byDept, { source: `${base}?by=department`, testId: 'table-profit-department' }),
    );
  },
};

export const profitScreenForAgency: Screen = { ...profitScreen, nav: false, visible: anyone };
