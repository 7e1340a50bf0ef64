/**
 * Year-end inputs of a settlement (年度清算的外部输入): audit deductions (审核扣款), assessment results (考核结果 → 考核系数)
 * and special-review decisions (特例单议结果), as CSV tables an agency keeps. Every row is accepted or rejected with its
 * row number, field and reason (in both languages), like every ingest kind; nothing is dropped silently. Pure: text
 * in, typed inputs out — the CLI reads the files and hashes them into the run's inputs. (R-DIP-6, R-BUD-3, R-DIP-3)
 *
 * Columns (Chinese or English headers):
 * - deductions: 医疗机构编码|institution, 期间|period (YYYY-MM: that month's pre-settlement and the year end; YYYY:
 *   the year end only), 扣款金额|amount (元, at most two decimals), 原因|reason, 依据|source;
 * - assessments: 医疗机构编码|institution, 考核系数|coefficient (a decimal, 0 < c ≤ 2), 依据|source;
 * - special review: 结算ID|setl_id, 结果|decision (通过|approved, 不通过|rejected), 支付方式|payment (按项目|items, 按点数|points;
 *   approved only), 点数|points (with 按点数), 依据|source.
 */
import { parse } from 'csv-parse/sync';
import { parseDecimal, type Ratio, yuanToFen } from '../model/money.ts';
import type { AssessmentResult, AuditDeduction } from '../settlement/deductions.ts';

export type YearEndKind = 'deductions' | 'assessments' | 'special-review';

export interface YearEndReject {
  /** Data row number (1 = the first row after the header). */
  row: number;
  field: string;
  zh: string;
  en: string;
}

export interface SpecialReviewInput {
  setlId: string;
  approved: boolean;
  payment?: { kind: 'items' } | { kind: 'points'; points: number };
  source: string;
}

export interface YearEndParse<T> {
  kind: YearEndKind;
  accepted: T[];
  rejected: YearEndReject[];
  /** Data rows read = accepted + rejected. */
  read: number;
}

const HEADERS: Record<YearEndKind, Record<string, string>> = {
  deductions: {
    医疗机构编码: 'institution',
    institution: 'institution',
    期间: 'period',
    period: 'period',
    扣款金额: 'amount',
    amount: 'amount',
    原因: 'reason',
    reason: 'reason',
    依据: 'source',
    source: 'source',
  },
  assessments: {
    医疗机构编码: 'institution',
    institution: 'institution',
    考核系数: 'coefficient',
    coefficient: 'coefficient',
    依据: 'source',
    source: 'source',
  },
  'special-review': {
    结算ID: 'setl_id',
    setl_id: 'setl_id',
    结果: 'decision',
    decision: 'decision',
    支付方式: 'payment',
    payment: 'payment',
    点数: 'points',
    points: 'points',
    依据: 'source',
    source: 'source',
  },
};

const REQUIRED: Record<YearEndKind, readonly string[]> = {
  deductions: ['institution', 'period', 'amount', 'reason', 'source'],
  assessments: ['institution', 'coefficient', 'source'],
  'special-review': ['setl_id', 'decision', 'source'],
};

/** A file that cannot be read as the kind at all (missing columns): one sentence saying what to provide. */
export class YearEndFileError extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
  ) {
    super(en);
  }
}

function rows(kind: YearEndKind, text: string): Record<string, string>[] {
  const raw = parse(text.replace(/^\uFEFF/, ''), { columns: false, skip_empty_lines: true, trim: true }) as string[][];
  const header = (raw[0] ?? []).map((h) => HEADERS[kind][h] ?? HEADERS[kind][h.toLowerCase()] ?? '');
  const missing = REQUIRED[kind].filter((c) => !header.includes(c));
  if (missing.length > 0) {
    const names = (c: string) =>
      Object.entries(HEADERS[kind])
        .filter(([, v]) => v === c)
        .map(([k]) => k);
    throw new YearEndFileError(
      `缺少列：${missing.map((c) => names(c).join('/')).join('、')}；已有的列：${(raw[0] ?? []).join('、')}`,
      `missing columns: ${missing.map((c) => names(c).join('/')).join(', ')}; the file has: ${(raw[0] ?? []).join(', ')}`,
    );
  }
  return raw.slice(1).map((r) => Object.fromEntries(header.flatMap((h, i) => (h ? [[h, r[i] ?? '']] : []))));
}

interface Context {
  year: number;
  /** Known institution codes; an unknown one is rejected. */
  institutions: ReadonlySet<string>;
}

type Check<T> = (r: Record<string, string>, reject: (field: string, zh: string, en: string) => never) => T;

function collect<T>(kind: YearEndKind, text: string, one: Check<T>, key: (t: T) => string): YearEndParse<T> {
  const all = rows(kind, text);
  const accepted: T[] = [];
  const rejected: YearEndReject[] = [];
  const seen = new Map<string, number>();
  all.forEach((r, i) => {
    const row = i + 1;
    const reject = (field: string, zh: string, en: string): never => {
      throw { row, field, zh, en } satisfies YearEndReject;
    };
    try {
      const t = one(r, reject);
      const k = key(t);
      const first = seen.get(k);
      if (first !== undefined)
        reject(
          kind === 'special-review' ? 'setl_id' : 'institution',
          `与第 ${first} 行重复`,
          `duplicates row ${first}`,
        );
      seen.set(k, row);
      accepted.push(t);
    } catch (e) {
      if (e && typeof e === 'object' && 'row' in e) rejected.push(e as YearEndReject);
      else throw e;
    }
  });
  return { kind, accepted, rejected, read: all.length };
}

const knownInstitution = (ctx: Context, code: string, reject: (f: string, zh: string, en: string) => never) => {
  if (!code) reject('institution', '缺少医疗机构编码', 'no institution code');
  if (!ctx.institutions.has(code)) reject('institution', `未知的医疗机构 ${code}`, `unknown institution ${code}`);
  return code;
};

/** 审核扣款: one row per institution, period and reason. */
export function parseDeductions(text: string, ctx: Context): YearEndParse<AuditDeduction> {
  return collect(
    'deductions',
    text,
    (r, reject) => {
      const institutionCode = knownInstitution(ctx, r.institution ?? '', reject);
      const period = r.period ?? '';
      const okPeriod =
        period === String(ctx.year) ||
        (new RegExp(`^${ctx.year}-(0[1-9]|1[0-2])$`).test(period) && period.length === 7);
      if (!okPeriod)
        reject(
          'period',
          `期间应为 ${ctx.year} 或 ${ctx.year}-MM，而不是 "${period}"`,
          `the period must be ${ctx.year} or ${ctx.year}-MM, not "${period}"`,
        );
      let amount = 0;
      try {
        amount = yuanToFen(r.amount ?? '');
      } catch {
        reject(
          'amount',
          `扣款金额应为元（最多两位小数），而不是 "${r.amount}"`,
          `the amount must be yuan with at most two decimals, not "${r.amount}"`,
        );
      }
      if (amount <= 0) reject('amount', '扣款金额应大于 0', 'the amount must be above 0');
      if (!r.reason) reject('reason', '缺少扣款原因', 'no reason');
      if (!r.source) reject('source', '缺少扣款依据（审核结论或文件）', 'no source (the audit decision or document)');
      return { institutionCode, period, amount, reason: r.reason!, source: r.source! };
    },
    (d) => `${d.institutionCode}|${d.period}|${d.reason}`,
  );
}

/** 考核结果: one coefficient per institution. */
export function parseAssessments(text: string, ctx: Context): YearEndParse<AssessmentResult> {
  return collect(
    'assessments',
    text,
    (r, reject) => {
      const institutionCode = knownInstitution(ctx, r.institution ?? '', reject);
      let coefficient: Ratio = { num: 0n, den: 1n };
      try {
        coefficient = parseDecimal(r.coefficient ?? '');
      } catch {
        reject(
          'coefficient',
          `考核系数应为小数，而不是 "${r.coefficient}"`,
          `the coefficient must be a decimal, not "${r.coefficient}"`,
        );
      }
      if (coefficient.num <= 0n || coefficient.num > 2n * coefficient.den)
        reject('coefficient', '考核系数应大于 0 且不超过 2', 'the coefficient must be above 0 and at most 2');
      if (!r.source) reject('source', '缺少考核依据', 'no source (the assessment document)');
      return { institutionCode, coefficient, source: r.source! };
    },
    (a) => a.institutionCode,
  );
}

const APPROVED: Record<string, boolean> = { 通过: true, approved: true, 不通过: false, rejected: false };
const PAYMENT: Record<string, 'items' | 'points'> = {
  按项目: 'items',
  items: 'items',
  按点数: 'points',
  points: 'points',
};

/** 特例单议结果: one decision per case. */
export function parseSpecialReview(text: string): YearEndParse<SpecialReviewInput> {
  return collect(
    'special-review',
    text,
    (r, reject) => {
      const setlId = r.setl_id ?? '';
      if (!setlId) reject('setl_id', '缺少结算ID', 'no settlement id');
      const approved = APPROVED[(r.decision ?? '').toLowerCase()] ?? APPROVED[r.decision ?? ''];
      if (approved === undefined)
        reject(
          'decision',
          `结果应为 通过 或 不通过，而不是 "${r.decision}"`,
          `the decision must be approved or rejected, not "${r.decision}"`,
        );
      if (!r.source) reject('source', '缺少评审依据', 'no source (the panel decision)');
      if (!approved) return { setlId, approved: false, source: r.source! };
      const kind = PAYMENT[(r.payment ?? '').toLowerCase()] ?? PAYMENT[r.payment ?? ''];
      if (!kind)
        reject(
          'payment',
          `通过的病例应写支付方式 按项目 或 按点数，而不是 "${r.payment ?? ''}"`,
          `an approved case needs payment items or points, not "${r.payment ?? ''}"`,
        );
      if (kind === 'items') return { setlId, approved: true, payment: { kind: 'items' }, source: r.source! };
      let points = 0;
      try {
        const p = parseDecimal(r.points ?? '');
        const scaled = p.num * 10_000n;
        if (scaled % p.den !== 0n) throw new RangeError('places');
        points = Number(scaled / p.den);
      } catch {
        reject(
          'points',
          `点数应为最多四位小数的数，而不是 "${r.points ?? ''}"`,
          `points must be a number with at most four decimals, not "${r.points ?? ''}"`,
        );
      }
      if (points <= 0) reject('points', '点数应大于 0', 'points must be above 0');
      return { setlId, approved: true, payment: { kind: 'points', points }, source: r.source! };
    },
    (d) => d.setlId,
  );
}
