/**
 * 政策模拟 / Policy what-if — for the agency's policy analyst before changing a parameter: what would each
 * institution be paid if one number of the policy in force (budget growth, a sharing band, a level coefficient,
 * points per RW…) were different? The year is settled again on the same data as a recorded what-if run (the issued
 * run stays in force) and each institution's year-end amount is shown beside the issued one.
 */
import { type ApiTable, get, post } from '../api.ts';
import { chart } from '../chart.ts';
import { errorView, h, kpis, tableView, yuan } from '../dom.ts';
import { t } from '../i18n.ts';
import { agencyOnly, type Screen } from './screen.ts';

interface Job {
  id: string;
  status: 'running' | 'done' | 'failed';
  stage: string | null;
  runId: string | null;
  message: string | null;
  error?: { zh: string; en: string } | null;
  warning: { zh: string; en: string } | null;
}

interface PoolLine {
  pool: string;
  fund: number;
  pointValue: string;
}
interface Change {
  parameter: string;
  value: number;
  /** The parameter's key, its policy, the value in force in the issued run and its clause. */
  key?: string;
  policy?: string;
  inForce?: number;
  source?: string;
  /** The change in the reader's words: `区域总额预算与结算 · 基金预算 · 增长率：0.05（5%） → 0.1（10%）`. */
  text?: string;
}
interface Comparison {
  changes: Change[];
  base: { id: string; pools: PoolLine[] };
  whatIf: { id: string; command: string; pools: PoolLine[] };
  total: { base: number; whatIf: number; difference: number };
  table: ApiTable;
}

/**
 * What the analyst typed as a number: `0.1`, or `10%` for a ratio (0.1); undefined when it is not a number, or a
 * percentage for a parameter that is not a ratio (walk7 #10: `10%` answered 请求参数不合规：…应为数字).
 */
export function whatIfValue(text: string, ratio: boolean): number | undefined {
  const s = text.trim().replace(/，/g, ',').replace(/％/g, '%');
  const pct = /^([-+]?\d+(?:\.\d+)?)\s*%$/.exec(s);
  if (pct) return ratio ? Number((Number(pct[1]) / 100).toPrecision(12)) : undefined;
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(s)) return undefined;
  return Number(s);
}

/** The form: one parameter of the run in force (grouped by policy and value, in the reader's words), a new value. */
async function form(shown?: Comparison): Promise<HTMLElement> {
  const { run, table } = await get<{ run: string; table: ApiTable }>('/api/runs/latest/what-if/parameters');
  const groups = new Map<string, typeof table.rows>();
  for (const r of table.rows) {
    const g = String(r.group ?? r.policy ?? '');
    groups.set(g, [...(groups.get(g) ?? []), r]);
  }
  const select = h(
    'select',
    { name: 'parameter', 'data-testid': 'whatif-parameter' },
    ...[...groups].map(([g, rows]) =>
      h(
        'optgroup',
        { label: g },
        ...rows.map((r) =>
          h('option', { value: String(r.id), title: String(r.key ?? '') }, `${r.label ?? r.key} = ${r.value}`),
        ),
      ),
    ),
  );
  const value = h('input', { name: 'value', size: 10, 'data-testid': 'whatif-value' });
  const hint = h('span', { class: 'hint', 'data-testid': 'whatif-hint' });
  const clause = h('div', { class: 'clause', 'data-testid': 'whatif-clause' });
  const current = () => table.rows.find((r) => r.id === select.value);
  const pick = () => {
    const row = current();
    value.value = String(row?.value ?? '');
    hint.textContent = row?.ratio ? t('whatIfRatioHint') : '';
    // The closed list shows the option alone (增长率 = 0.05): its group beside the clause says whose it is.
    clause.textContent = `${row?.group ?? ''}${row?.group ? ' · ' : ''}${t('clause')}: ${row?.source ?? ''}`;
  };
  select.addEventListener('change', pick);
  const change = shown?.changes[0];
  if (change && table.rows.some((r) => r.id === change.parameter)) select.value = change.parameter;
  pick();
  if (change) value.value = String(change.value);
  const status = h('span', { 'data-testid': 'whatif-status' });
  const f = h(
    'form',
    { class: 'card whatif-form', 'data-testid': 'whatif-form' },
    h('div', {}, `${t('baseRun')}: `, h('a', { href: `#/run/${run}` }, run)),
    h('label', {}, h('span', {}, t('parameter')), select),
    clause,
    h('label', {}, h('span', {}, t('newValue')), value, ' ', hint),
    h('button', { type: 'submit', 'data-testid': 'whatif-run' }, t('runWhatIf')),
    ' ',
    status,
  );
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const ratio = Boolean(current()?.ratio);
    const v = whatIfValue(value.value, ratio);
    if (v === undefined) {
      status.replaceChildren(
        h(
          'span',
          { class: 'error', 'data-testid': 'whatif-value-error' },
          t(ratio ? 'whatIfRatioHint' : 'whatIfNumberHint'),
        ),
      );
      return;
    }
    post<Job>(`/api/runs/${run}/what-if`, { changes: [{ parameter: select.value, value: v }] })
      .then(async (job) => {
        while (job.status === 'running') {
          status.textContent = `${t('running')} ${job.stage ?? ''}`;
          await new Promise((r) => setTimeout(r, 1000));
          job = await get<Job>(`/api/jobs/${job.id}`);
        }
        if (job.status === 'done') location.hash = `#/what-if/${job.runId}`;
        else status.replaceChildren(errorView(job.error ?? { zh: job.message ?? '', en: job.message ?? '' }));
      })
      .catch((e) => status.replaceChildren(errorView(e)));
  });
  return f;
}

/** A what-if run beside the issued run: funds, point values, each institution's year end and the difference. */
function comparison(id: string, c: Comparison): HTMLElement {
  const b = c.base.pools[0];
  const w = c.whatIf.pools[0];
  const rows = c.table.rows;
  return h(
    'div',
    { 'data-testid': 'whatif-comparison' },
    // The same mark the statements carry: a simulation, not issued, and the issued run it is compared with.
    h(
      'p',
      { class: 'simulation-mark', 'data-testid': 'whatif-mark' },
      h('strong', {}, t('simulationMark')),
      ` ${t('whatIfRun')} ${c.whatIf.id} · ${t('comparedWithIssued')} `,
      h('a', { href: `#/run/${c.base.id}` }, c.base.id),
    ),
    ...c.changes.map((x) =>
      h(
        'div',
        { class: 'card whatif-change', 'data-testid': 'whatif-change' },
        h('strong', {}, x.text ?? `${x.policy ?? ''} · ${x.key ?? x.parameter}: ${x.inForce ?? ''} → ${x.value}`),
        h('div', { class: 'clause' }, `${t('clause')}: ${x.source ?? ''}`),
      ),
    ),
    kpis([
      [`${t('fundBudget')} · ${t('issued')}`, b ? yuan(b.fund) : ''],
      [`${t('fundBudget')} · ${t('whatIf')}`, w ? yuan(w.fund) : '', 'whatif-fund'],
      [`${t('pointValue')} · ${t('issued')}`, b?.pointValue ?? ''],
      [`${t('pointValue')} · ${t('whatIf')}`, w?.pointValue ?? '', 'whatif-point-value'],
      [t('yearEndDifference'), yuan(c.total.difference), 'whatif-difference'],
    ]),
    chart(
      rows.map((r) => String(r.code)),
      [{ name: t('yearEndDifference'), type: 'bar', data: rows.map((r) => Number(r.difference) / 100) }],
      { left: t('yuan'), testId: 'whatif-chart' },
    ),
    tableView(c.table, { source: `/api/what-if/${encodeURIComponent(id)}`, testId: 'whatif-table' }),
  );
}

export const whatIfScreen: Screen = {
  path: 'what-if',
  title: 'whatIfTitle',
  nav: true,
  visible: agencyOnly,
  async render(ctx) {
    const id = ctx.args[0];
    const shown = id ? await get<Comparison>(`/api/what-if/${encodeURIComponent(id)}`) : undefined;
    const parts: HTMLElement[] = [
      h('h2', { 'data-testid': 'screen-title' }, t('whatIfTitle')),
      h('p', {}, t('whatIfHelp')),
      await form(shown),
    ];
    if (id && shown) parts.push(comparison(id, shown));
    const earlier = await get<ApiTable>('/api/runs?kind=what-if');
    parts.push(
      tableView(earlier, {
        source: '/api/runs?kind=what-if',
        link: (r, c) => (c.key === 'id' ? `#/what-if/${r.id}` : undefined),
        testId: 'whatif-runs',
      }),
    );
    return h('div', { class: 'screen' }, ...parts);
  },
};
