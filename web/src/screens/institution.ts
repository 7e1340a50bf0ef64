/**
 * 机构结算单 / Institution statement — what one institution is paid in the latest run: year-end amount, what was
 * paid monthly and as advance, the clearing payment, surplus retention or overspend sharing, month by month with
 * the point value, every step explained; then its cases, each opening its result and explanation.
 * An institution's token sees only itself; a lead hospital its community's members.
 */
import { ApiFailure, type ApiTable, get } from '../api.ts';
import { chart } from '../chart.ts';
import { explanationView, h, kpis, type Step, tableView, yuan } from '../dom.ts';
import { t } from '../i18n.ts';
import { activityChart, latestYear } from './overview.ts';
import { anyone, type Screen } from './screen.ts';

const PAGE = 50;

interface Statement {
  run: { id: string; region: string; year: number };
  institution: { code: string; name: string };
  yearEnd: {
    units: number;
    billed: number;
    gross: number;
    advance: number;
    monthlyPaid: number;
    depositHeld: number;
    afterSharing: number;
    deductions: number;
    yearEnd: number;
    clearing: number;
    byStatus: { status: string; units: number }[];
  };
  sharing: {
    target: number;
    actual: number;
    surplus: number;
    overspend: number;
    fundPays: number;
    fundRetains: number;
    institutionBears: number;
  } | null;
  table: ApiTable;
  /** Every payment method's year (inpatient pool, capitation, family-doctor fee, item billing) and the total. */
  byMethod?: ApiTable;
  /** Σ over the methods that pay, fen. */
  total?: { dueFen: number; paidFen: number; clearingFen: number | null };
  explanation: { subject: string; steps: Step[] };
}

async function statement(code: string): Promise<Statement | null> {
  try {
    return await get<Statement>(`/api/runs/latest/institutions/${encodeURIComponent(code)}/statement`);
  } catch (e) {
    if (e instanceof ApiFailure && e.status === 404) return null;
    throw e;
  }
}

function pager(base: string, offset: number, total: number): HTMLElement {
  const p = h('div', { class: 'pager' });
  if (offset > 0) p.append(h('a', { href: `${base}?offset=${Math.max(0, offset - PAGE)}` }, t('previous')));
  if (total > offset + PAGE)
    p.append(h('a', { href: `${base}?offset=${offset + PAGE}`, 'data-testid': 'next-page' }, t('next')));
  return p;
}

function statementView(s: Statement, offset: number, units: ApiTable): HTMLElement[] {
  const y = s.yearEnd;
  const src = `/api/runs/${s.run.id}/institutions/${encodeURIComponent(s.institution.code)}/statement`;
  const sh = s.sharing;
  const parts: HTMLElement[] = [
    h(
      'p',
      { class: 'run' },
      `${t('run')}: `,
      h('a', { href: `#/run/${s.run.id}` }, s.run.id),
      ` · ${s.run.year} · `,
      h('a', { href: `#/profit/${s.institution.code}`, 'data-testid': 'open-profit' }, t('openProfit')),
    ),
    kpis([
      [t('yearEnd'), yuan(y.yearEnd), 'kpi-year-end'],
      [t('paidMonthly'), yuan(y.monthlyPaid)],
      [t('advance'), yuan(y.advance)],
      [t('clearing'), yuan(y.clearing), 'kpi-clearing'],
      ...(s.total && s.total.clearingFen !== null
        ? [[t('clearingAll'), yuan(s.total.clearingFen), 'kpi-clearing-all'] as [string, string, string]]
        : []),
      [t('caseCount'), y.units.toLocaleString('en-US')],
      [t('totalCost'), yuan(y.billed)],
    ]),
  ];
  if (sh) {
    const over = sh.overspend > 0;
    parts.push(
      h(
        'section',
        { class: 'card', 'data-testid': 'sharing' },
        h('h3', {}, over ? t('overspendSharing') : t('surplusRetention')),
        kpis([
          [t('target'), yuan(sh.target)],
          [t('actual'), yuan(sh.actual)],
          [over ? t('overspend') : t('surplus'), yuan(over ? sh.overspend : sh.surplus)],
          [t('fundPays'), yuan(sh.fundPays)],
          [over ? t('institutionBears') : t('fundRetains'), yuan(over ? sh.institutionBears : sh.fundRetains)],
        ]),
      ),
    );
  }
  parts.push(
    h(
      'section',
      { class: 'card' },
      h('h3', {}, t('monthlyPayment')),
      chart(
        s.table.rows.map((r) => String(r.month)),
        [
          {
            name: `${t('paidMonthly')} (${t('tenThousandYuan')})`,
            type: 'bar',
            data: s.table.rows.map((r) => Number(r.payment) / 1_000_000),
          },
          {
            name: t('pointValueByMonth'),
            type: 'line',
            right: true,
            // a month without points has no point value (null): a gap, not a drop to 0
            data: s.table.rows.map((r) => (r.pointValue === null ? null : Number(r.pointValue))),
          },
        ],
        { left: t('tenThousandYuan'), right: t('pointValue'), testId: 'statement-chart' },
      ),
    ),
    tableView(s.table, { source: src, testId: 'table-monthly' }),
    ...(s.byMethod ? [tableView(s.byMethod, { source: src, testId: 'table-methods' })] : []),
    explanationView(s.explanation.steps, 'statement-explanation'),
  );
  const unitsSrc = `/api/runs/${s.run.id}/institutions/${encodeURIComponent(s.institution.code)}/units`;
  parts.push(
    tableView(units, {
      // The export takes every case of the run (the API's export ignores the page size unless given one).
      source: unitsSrc,
      testId: 'cases-table',
      link: (r, c) => (c.key === 'unitId' ? `#/case/${r.unitId}` : undefined),
    }),
    pager(`#/institution/${s.institution.code}`, offset, units.total ?? 0),
  );
  return parts;
}

export const institutionScreen: Screen = {
  path: 'institution',
  title: 'statement',
  nav: false,
  visible: anyone,
  async render(ctx) {
    const code = ctx.args[0] ?? ctx.me.institution ?? '';
    const offset = Math.max(0, Number(ctx.query.get('offset')) || 0);
    const inst = await get<ApiTable>('/api/institutions');
    const self = inst.rows.find((r) => r.code === code);
    const parts: HTMLElement[] = [
      h(
        'h2',
        { 'data-testid': 'screen-title' },
        `${t('statement')} · ${self?.name ?? code}`,
        h('small', {}, ` ${code}`),
      ),
    ];
    if (ctx.me.role === 'community' && inst.rows.length > 1) {
      parts.push(
        h(
          'p',
          { class: 'members', 'data-testid': 'members' },
          ...inst.rows.map((r) =>
            h('a', { href: `#/institution/${r.code}`, class: r.code === code ? 'on' : '' }, String(r.name)),
          ),
        ),
      );
    }
    const s = await statement(code);
    if (s) {
      const units = await get<ApiTable>(
        `/api/runs/${s.run.id}/institutions/${encodeURIComponent(code)}/units?limit=${PAGE}&offset=${offset}`,
      );
      parts.push(...statementView(s, offset, units));
      return h('div', { class: 'screen' }, ...parts);
    }
    // No settlement run yet: the institution's cases straight from the settlement lists.
    parts.push(h('p', { class: 'loading' }, t('noRun')));
    const year = await latestYear();
    if (year) {
      parts.push(await activityChart(year, code));
      const src = `/api/institutions/${encodeURIComponent(code)}/cases?year=${year}`;
      const cases = await get<ApiTable>(`${src}&limit=${PAGE}&offset=${offset}`);
      parts.push(
        tableView(cases, {
          source: src,
          link: (r, c) => (c.key === 'setlId' ? `#/case/${r.setlId}` : undefined),
          testId: 'cases-table',
        }),
        pager(`#/institution/${code}`, offset, cases.total ?? 0),
      );
    }
    return h('div', { class: 'screen' }, ...parts);
  },
};
