/**
 * 统筹区总览 / Region overview: what the region's institutions did this year — cases and cost by month, and the
 * institutions one can open. (With a stored settlement run: budget, fund use, point value by month, payments by
 * method and level.)
 */
import { type ApiTable, get } from '../api.ts';
import { chart } from '../chart.ts';
import { h, tableView } from '../dom.ts';
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

export const overviewScreen: Screen = {
  path: 'overview',
  title: 'overview',
  nav: true,
  visible: agencyOnly,
  async render(ctx) {
    const year = Number(ctx.query.get('year')) || (await latestYear());
    const inst = await get<ApiTable>('/api/institutions');
    const parts: HTMLElement[] = [h('h2', { 'data-testid': 'screen-title' }, t('overview'))];
    if (year) parts.push(await activityChart(year));
    parts.push(
      tableView(inst, {
        source: '/api/institutions',
        link: (r, c) => (c.key === 'code' || c.key === 'name' ? `#/institution/${r.code}` : undefined),
      }),
    );
    return h('div', { class: 'screen' }, ...parts);
  },
};
