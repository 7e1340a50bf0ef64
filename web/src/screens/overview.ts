/**
 * 统筹区总览 / Region overview — for the agency: how the fund budget was used in the latest settlement run (fund,
 * year-end amounts, balance, point value by month, payments by method and level, every institution's year end);
 * without a run, the cases and cost by month straight from the settlement lists.
 */
import { ApiFailure, type ApiTable, get } from '../api.ts';
import { chart } from '../chart.ts';
import { h, kpis, tableView, yuan } from '../dom.ts';
import { t } from '../i18n.ts';
import { agencyOnly, type Screen } from './screen.ts';

export async function latestYear(): Promise<number | undefined> {
  const { years } = await get<{ years: number[] }>('/api/years');
  return years.at(-1);
}

export async function activityChart(year: number, institution?: string): Promise<HTMLElement> {
  const q = `/api/activity?year=${year}${institution ? `&institution=${encodeURIComponent(institution)}` : ''}`;
  const tbl = await get<ApiTable>(q);
  const months = tbl.rows.map((r) => String(r.month));
  return h(
    'section',
    { class: 'card' },
    h('h3', {}, `${t('casesByMonth')} · ${year}`),
    chart(
      months,
      [
        { name: t('caseCount'), type: 'bar', data: tbl.rows.map((r) => Number(r.cases)) },
        {
          name: `${t('totalCost')} (${t('tenThousandYuan')})`,
          type: 'line',
          right: true,
          data: tbl.rows.map((r) => Math.round(Number(r.cost) / 100) / 10_000),
        },
      ],
      { left: t('caseCount'), right: t('tenThousandYuan'), testId: 'activity-chart' },
    ),
    tableView(tbl, { source: q }),
  );
}

interface RunRecord {
  id: string;
  region: string;
  year: number;
  caseMethod: string;
}

export interface Overview {
  run: RunRecord;
  budget: {
    fund: number;
    pointValue: string;
    yearEnd: number;
    monthlyPaid: number;
    advance: number;
    clearing: number;
    fundBalance: number;
    units: number;
    institutions: number;
  };
  /** What the run stored as warnings (a year-end point value far from the opening one), in the reader's language. */
  warnings?: string[];
  /** pointValue null: a month without points (no point value was set), a gap in the chart as on the statement. */
  months: { month: string; pointValue: string | null }[];
  byMethod: ApiTable;
  byLevel: ApiTable;
  institutions: ApiTable;
}

/** The latest run's overview, or null when the store holds no settlement run. */
export async function latestOverview(): Promise<Overview | null> {
  try {
    return await get<Overview>('/api/runs/latest/overview');
  } catch (e) {
    if (e instanceof ApiFailure && e.status === 404) return null;
    throw e;
  }
}

function runView(o: Overview): HTMLElement[] {
  const src = `/api/runs/${o.run.id}/overview`;
  const b = o.budget;
  return [
    h(
      'p',
      { class: 'run' },
      `${t('run')}: `,
      h('a', { href: `#/run/${o.run.id}` }, o.run.id),
      ` · ${o.run.region} · ${o.run.year}`,
    ),
    kpis([
      [t('fundBudget'), yuan(b.fund), 'kpi-fund'],
      [t('yearEndTotal'), yuan(b.yearEnd)],
      [t('fundBalance'), yuan(b.fundBalance)],
      [t('pointValue'), b.pointValue, 'kpi-point-value'],
      [t('paidMonthly'), yuan(b.monthlyPaid)],
      [t('advance'), yuan(b.advance)],
      [t('clearing'), yuan(b.clearing)],
    ]),
    ...(o.warnings ?? []).map((w) => h('p', { class: 'error', 'data-testid': 'run-warning' }, `! ${w}`)),
    h(
      'div',
      { class: 'two' },
      h(
        'section',
        { class: 'card' },
        h('h3', {}, t('pointValueByMonth')),
        chart(
          o.months.map((m) => m.month),
          [
            {
              name: t('pointValueByMonth'),
              type: 'line',
              data: o.months.map((m) => (m.pointValue === null ? null : Number(m.pointValue))),
            },
          ],
          { testId: 'point-value-chart' },
        ),
      ),
      h(
        'section',
        { class: 'card' },
        h('h3', {}, t('levels')),
        chart(
          o.byLevel.rows.map((r) => String(r.level)),
          [
            {
              name: `${t('yearEnd')} (${t('tenThousandYuan')})`,
              type: 'bar',
              data: o.byLevel.rows.map((r) => Math.round(Number(r.yearEnd) / 100) / 10_000),
            },
          ],
          { left: t('tenThousandYuan') },
        ),
      ),
    ),
    tableView(o.byMethod, { source: src, testId: 'table-by-method' }),
    tableView(o.byLevel, { source: src, testId: 'table-by-level' }),
    tableView(o.institutions, {
      source: src,
      testId: 'table-year-end',
      link: (r, c) => (c.key === 'code' || c.key === 'name' ? `#/institution/${r.code}` : undefined),
    }),
  ];
}

export const overviewScreen: Screen = {
  path: 'overview',
  title: 'overview',
  nav: true,
  visible: agencyOnly,
  async render(ctx) {
    const parts: HTMLElement[] = [h('h2', { 'data-testid': 'screen-title' }, t('overview'))];
    const o = await latestOverview();
    if (o) {
      parts.push(...runView(o));
    } else {
      parts.push(h('p', { class: 'loading' }, t('noRun')));
      const year = Number(ctx.query.get('year')) || (await latestYear());
      if (year) parts.push(await activityChart(year));
      const inst = await get<ApiTable>('/api/institutions');
      parts.push(
        tableView(inst, {
          source: '/api/institutions',
          link: (r, c) => (c.key === 'code' || c.key === 'name' ? `#/institution/${r.code}` : undefined),
        }),
      );
    }
    return h('div', { class: 'screen' }, ...parts);
  },
};
