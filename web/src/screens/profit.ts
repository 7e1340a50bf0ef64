/**
 * 医院盈亏 / Hospital P&L — for a hospital's insurance office: which groups, departments and attending doctors lose
 * money under case payment in the latest run (payment at the year-end point value against total medical cost),
 * worst first; the hospital's case mix (CMI under DRG, points per case under DIP) and its time and cost consumption
 * indices against the region's same groups, for the hospital and for each line.
 */
import { type ApiTable, get } from '../api.ts';
import { chart } from '../chart.ts';
import { h, kpis, tableView, yuan } from '../dom.ts';
import { t } from '../i18n.ts';
import { anyone, type Screen } from './screen.ts';

interface Profit {
  method: 'dip' | 'drg';
  summary: {
    cases: number;
    cmi: number | null;
    averagePoints: number | null;
    timeIndex: number | null;
    costIndex: number | null;
    profit: number;
  };
  table: ApiTable;
}

export const profitScreen: Screen = {
  path: 'profit',
  title: 'profit',
  nav: true,
  visible: (me) => me.role !== 'agency',
  async render(ctx) {
    const code = ctx.args[0] ?? ctx.me.institution ?? '';
    const base = `/api/runs/latest/institutions/${encodeURIComponent(code)}/profit`;
    const [group, dept, doctor] = await Promise.all(
      (['group', 'department', 'doctor'] as const).map((by) => get<Profit>(`${base}?by=${by}`)),
    );
    const byGroup = group!.table;
    const sm = group!.summary;
    const worst = byGroup.rows.slice(0, 10);
    const index = (x: number | null) => (x === null ? '—' : x.toFixed(4));
    return h(
      'div',
      { class: 'screen' },
      h('h2', { 'data-testid': 'screen-title' }, `${t('profit')} · ${code}`),
      kpis([
        [t('cases'), sm.cases.toLocaleString('en-US')],
        group!.method === 'drg'
          ? ['CMI', index(sm.cmi), 'kpi-cmi']
          : [t('averagePoints'), index(sm.averagePoints), 'kpi-cmi'],
        [t('timeIndex'), index(sm.timeIndex), 'kpi-time-index'],
        [t('costIndex'), index(sm.costIndex), 'kpi-cost-index'],
        [t('profitLoss'), yuan(sm.profit), 'kpi-profit'],
      ]),
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
      tableView(dept!.table, { source: `${base}?by=department`, testId: 'table-profit-department' }),
      tableView(doctor!.table, { source: `${base}?by=doctor`, testId: 'table-profit-doctor' }),
    );
  },
};

export const profitScreenForAgency: Screen = { ...profitScreen, nav: false, visible: anyone };
