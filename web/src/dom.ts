/** Small DOM helpers and number formats (money arrives in integer fen). */
import { type ApiTable, type Cell, type Column, downloadXlsx } from './api.ts';
import { lang, pick, t } from './i18n.ts';

type Attrs = Record<string, string | number | boolean | undefined>;
type Child = Node | string | number | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') el.className = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** Fen as yuan with thousands separators and two decimals ("-1,234.50"). */
export function yuan(fen: number): string {
  const neg = fen < 0;
  const a = Math.abs(Math.round(fen));
  const int = Math.floor(a / 100).toLocaleString('en-US');
  const dec = String(a % 100).padStart(2, '0');
  return `${neg ? '-' : ''}${int}.${dec}`;
}

/**
 * Points (integers of 0.0001 point) with thousands separators and four decimals ("6,099,466.3916"), as money is shown:
 * the overview's points read 6099466.3916 beside yuan with separators.
 */
export function points(p: number): string {
  const neg = p < 0;
  const a = Math.abs(Math.round(p));
  const int = Math.floor(a / 10_000).toLocaleString('en-US');
  const dec = String(a % 10_000).padStart(4, '0');
  return `${neg ? '-' : ''}${int}.${dec}`;
}

export function cellText(c: Column, v: Cell): string {
  if (v === null || v === undefined) return '';
  if (c.kind === 'money' && typeof v === 'number') return yuan(v);
  // A count with thousands separators; a number that names something (a year, `sum: false`) as it is: 2025, not 2,025.
  if (c.kind === 'int' && typeof v === 'number') return c.sum === false ? String(v) : v.toLocaleString('en-US');
  if (c.kind === 'points' && typeof v === 'number') return points(v);
  if (c.kind === 'decimal' && c.percent && typeof v === 'string') return percentShifted(v);
  return String(v);
}

/**
 * A share's exact decimal text as a percentage by moving the point two places (the API rounded the fraction once
 * to the places the percentage shows): "0.1627" → "16.27%", "1.0000" → "100.00%". Other text stays as it is.
 */
export function percentShifted(v: string): string {
  const m = /^(-?)(\d+)(?:\.(\d*))?$/.exec(v);
  if (!m) return v;
  const [, sign, int, frac = ''] = m;
  const f = frac.padEnd(2, '0');
  const whole = `${int}${f.slice(0, 2)}`.replace(/^0+(?=\d)/, '');
  const rest = f.slice(2);
  return `${sign}${whole}${rest ? `.${rest}` : ''}%`;
}

/** A SHA-256 as the API sends it (64 hex characters): a file's or a policy's hash among a run's inputs. */
const SHA256 = /^[0-9a-f]{64}$/;

/**
 * A hash shown by its first 12 hex characters (enough to tell files apart), the whole hash in the tooltip and a copy
 * button: written out in full it pushed the counts beside it off-screen. The export keeps the full hash.
 */
export function hashView(full: string): HTMLElement {
  const copy = h(
    'button',
    { type: 'button', class: 'copy', title: t('copyHash'), 'aria-label': t('copyHash'), 'data-testid': 'copy-hash' },
    t('copy'),
  );
  copy.addEventListener('click', () => {
    const done = (ok: boolean) => {
      copy.textContent = t(ok ? 'copied' : 'copy');
      copy.title = ok ? t('copied') : full;
    };
    // The clipboard needs a secure context (https or localhost); elsewhere the tooltip still shows the whole hash.
    if (navigator.clipboard)
      navigator.clipboard.writeText(full).then(
        () => done(true),
        () => done(false),
      );
    else done(false);
  });
  return h('span', { class: 'hash', title: full, 'data-hash': full }, h('code', {}, `${full.slice(0, 12)}…`), copy);
}

export interface TableOptions {
  /** Route of the table, for the XLSX export. */
  source: string;
  /** Make a cell a link: return the hash to go to. */
  link?: (row: Record<string, Cell>, column: Column) => string | undefined;
  testId?: string;
}

/** A table with its title and an XLSX export button. */
export function tableView(tbl: ApiTable, o: TableOptions): HTMLElement {
  const exportBtn = h('button', { class: 'export', 'data-testid': `export-${tbl.name}` }, t('exportXlsx'));
  // A refused export says why beside the button, in the reader's language (the 医共体 buttons answered 400 and the
  // page showed nothing: walk4 #2; an alert showed the English message in zh).
  const exportError = h('span', { class: 'export-error', 'data-testid': `export-error-${tbl.name}`, role: 'alert' });
  exportBtn.addEventListener('click', () => {
    exportError.textContent = '';
    downloadXlsx(o.source, tbl.name).catch((e: unknown) => {
      exportError.textContent = errorView(e).textContent ?? '';
    });
  });
  const head = h('tr', {}, ...tbl.columns.map((c) => h('th', { class: c.kind }, pick(c))));
  const body = h('tbody');
  for (const r of tbl.rows) {
    const tr = h('tr');
    for (const c of tbl.columns) {
      const v = r[c.key] ?? null;
      const text = cellText(c, v);
      const href = o.link?.(r, c);
      const shown = typeof v === 'string' && SHA256.test(v) ? hashView(v) : text;
      tr.append(h('td', { class: c.kind }, href ? h('a', { href }, text) : shown));
    }
    body.append(tr);
  }
  if (tbl.rows.length === 0) body.append(h('tr', {}, h('td', { colspan: tbl.columns.length }, t('noData'))));
  // en: "1 row", "20 of 1,000 rows" (it read "1 rows", "20 / of 1,000 rows"); zh: 20 / 共 1,000 行.
  const count =
    tbl.total !== undefined && tbl.total > tbl.rows.length
      ? lang() === 'en'
        ? `${tbl.rows.length} of ${tbl.total.toLocaleString('en-US')} rows`
        : `${tbl.rows.length} / ${t('of')} ${tbl.total.toLocaleString('en-US')} ${t('rows')}`
      : `${tbl.rows.length} ${t(tbl.rows.length === 1 ? 'row' : 'rows')}`;
  return h(
    'section',
    { class: 'table-card', 'data-testid': o.testId ?? `table-${tbl.name}` },
    h(
      'div',
      { class: 'table-head' },
      h('h3', {}, pick(tbl)),
      h('span', { class: 'count' }, count),
      exportError,
      exportBtn,
    ),
    h('div', { class: 'scroll' }, h('table', {}, h('thead', {}, head), body)),
  );
}

export function errorView(e: unknown): HTMLElement {
  const x = e as { zh?: string; en?: string; message?: string; code?: string };
  const msg = x.zh && x.en ? (lang() === 'en' ? x.en : x.zh) : String(x.message ?? e);
  return h('div', { class: 'error', 'data-testid': 'error', 'data-code': x.code ?? '' }, `${t('error')}: ${msg}`);
}

export function kv(pairs: [string, Child][]): HTMLElement {
  return h('dl', { class: 'kv' }, ...pairs.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

export interface Step {
  rule: string;
  clause?: string;
  zh: string;
  en: string;
  values?: Record<string, string | number | boolean | null>;
  /** The value keys in the reader's words (the API sends them with every explanation). */
  valueLabels?: Record<string, string>;
  result?: string | number | boolean | null;
}

/**
 * A step's value or result as the reader reads it, as the CLI prints one (src/model/explain.ts): a flag as 是/否 (yes/no),
 * an absent value blank. The flag explanation read 限同一机构 = true in zh (walk4 #14).
 */
export function stepValueText(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return lang() === 'en' ? (v ? 'yes' : 'no') : v ? '是' : '否';
  return String(v);
}

/** Every step of an explanation: rule, clause, what it computes, its values and result. */
export function explanationView(steps: Step[], testId = 'explanation'): HTMLElement {
  const rows = steps.map((s, i) =>
    h(
      'tr',
      {},
      h('td', { class: 'int' }, String(i + 1)),
      h('td', {}, s.rule),
      h('td', {}, lang() === 'en' ? s.en : s.zh, s.clause ? h('div', { class: 'clause' }, s.clause) : null),
      h(
        'td',
        {},
        ...Object.entries(s.values ?? {}).map(([k, v]) =>
          h('div', {}, `${s.valueLabels?.[k] ?? k} = ${stepValueText(v)}`),
        ),
      ),
      h('td', { class: 'decimal' }, stepValueText(s.result)),
    ),
  );
  return h(
    'section',
    { class: 'card', 'data-testid': testId },
    h('h3', {}, t('explanation')),
    h(
      'div',
      { class: 'scroll' },
      h(
        'table',
        { class: 'steps' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, t('step')),
            h('th', {}, t('rule')),
            h('th', {}, t('clause')),
            h('th', {}, t('values')),
            h('th', {}, t('result')),
          ),
        ),
        h('tbody', {}, ...rows),
      ),
    ),
  );
}

export function kpis(items: [string, string, string?][]): HTMLElement {
  return h(
    'div',
    { class: 'kpis' },
    ...items.map(([label, value, id]) =>
      h(
        'div',
        { class: 'kpi', ...(id ? { 'data-testid': id } : {}) },
        h('div', { class: 'label' }, label),
        h('div', { class: 'value' }, value),
      ),
    ),
  );
}
