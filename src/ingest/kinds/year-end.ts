/**
 * Year-end inputs of a settlement (年度清算输入), ingested like every kind — QC with row, field and reason, a
 * rejects file, counts that reconcile, idempotent reruns — and read by `settle` from the store for its year:
 *
 * - `deductions` 审核扣款 (R-DIP-6, settlement/deductions.ts): one row per institution, period and reason; period
 *   `YYYY-MM` is deducted in that month's pre-settlement and counted in the year end, `YYYY` at year end only;
 * - `assessments` 考核结果 → 考核系数 (R-DIP-6): one coefficient per institution and year, 0 < c ≤ 2;
 * - `special-review` 特例单议结果 (R-DIP-3; seed 002 四(二) "对于综合病种、异常高值的病例，可通过病例单议、专家评审等方式确定病种
 *   分值"): one decision per case — 通过 (approved: paid by items, or at the points the panel set) or 不通过.
 *
 * Every row names its source (the audit decision, the assessment document, the panel's decision). A stored row is
 * corrected by ingesting the corrected file with `--replace` (the report and the run log name every replaced key with
 * its old → new values); a run settled before keeps what it read.
 */
import { ASSESSMENT_COLUMNS, DEDUCTION_COLUMNS, SPECIAL_REVIEW_COLUMNS } from '../../model/columns.ts';
import { institutionRegistered, msg, type QcCheck } from '../qc/check.ts';
import type { KindSpec } from './kind.ts';

/** Decision values (zh and en) and what they mean. */
export const SPECIAL_REVIEW_DECISIONS: Readonly<Record<string, boolean>> = {
  通过: true,
  approved: true,
  不通过: false,
  rejected: false,
};
/** Payment values of an approved case (zh and en). */
export const SPECIAL_REVIEW_PAYMENTS: Readonly<Record<string, 'items' | 'points'>> = {
  按项目: 'items',
  items: 'items',
  按点数: 'points',
  points: 'points',
};

const inList = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');
const APPROVED = inList(Object.keys(SPECIAL_REVIEW_DECISIONS).filter((k) => SPECIAL_REVIEW_DECISIONS[k]));
const BY_POINTS = inList(Object.keys(SPECIAL_REVIEW_PAYMENTS).filter((k) => SPECIAL_REVIEW_PAYMENTS[k] === 'points'));

function deductionChecks(): QcCheck[] {
  return [
    institutionRegistered(),
    {
      rule: 'period',
      code: 'E_FORMAT',
      field: 'period',
      title: { zh: '期间为年度或月份', en: 'period is a year or a month' },
      where: `NOT regexp_full_match(period, '(19|20)[0-9]{2}(-(0[1-9]|1[0-2]))?')`,
      zh: msg('期间应为 YYYY（年度清算扣款）或 YYYY-MM（该月预结算扣款），实际为 "{period}"'),
      en: msg('the period must be YYYY (deducted at year end) or YYYY-MM (in that month), got "{period}"'),
    },
    {
      rule: 'positive',
      code: 'E_RANGE',
      field: 'deduction_amt',
      title: { zh: '扣款金额大于 0', en: 'amount above 0' },
      where: 'deduction_amt <= 0',
      zh: msg('扣款金额应大于 0，实际为 {deduction_amt}'),
      en: msg('the amount deducted must be above 0, got {deduction_amt}'),
    },
  ];
}

function assessmentChecks(): QcCheck[] {
  return [
    institutionRegistered(),
    {
      rule: 'year',
      code: 'E_RANGE',
      field: 'year',
      title: { zh: '考核年度', en: 'year assessed' },
      where: 'year < 1900 OR year > 2100',
      zh: msg('考核年度 {year} 不是有效年份'),
      en: msg('year {year} is not a valid year'),
    },
    {
      rule: 'coefficient',
      code: 'E_RANGE',
      field: 'coefficient',
      title: { zh: '考核系数大于 0 且不超过 2', en: 'coefficient above 0 and at most 2' },
      where: 'coefficient <= 0 OR coefficient > 2',
      zh: msg('考核系数应大于 0 且不超过 2，实际为 {coefficient}'),
      en: msg('the coefficient must be above 0 and at most 2, got {coefficient}'),
    },
  ];
}

function specialReviewChecks(): QcCheck[] {
  return [
    {
      rule: 'case-known',
      code: 'E_CASE_NOT_STORED',
      field: 'setl_id',
      requires: 'cases',
      title: { zh: '评审的病例已入库', en: 'the reviewed case is stored' },
      where: 'setl_id NOT IN (SELECT setl_id FROM cases)',
      zh: msg('结算ID {setl_id} 不在已入库的结算清单中'),
      en: msg('settlement {setl_id} is not among the stored cases'),
    },
    {
      rule: 'payment',
      code: 'E_REQUIRED',
      field: 'payment',
      title: { zh: '通过的病例写明支付方式', en: 'an approved case names its payment' },
      where: `decision IN (${APPROVED}) AND payment IS NULL`,
      zh: msg('评审通过的病例应写支付方式：按项目 或 按点数'),
      en: msg('an approved case needs its payment: items or points'),
    },
    {
      rule: 'points',
      code: 'E_REQUIRED',
      field: 'points',
      title: { zh: '按点数时写明点数', en: 'points given when paid by points' },
      where: `decision IN (${APPROVED}) AND payment IN (${BY_POINTS}) AND points IS NULL`,
      zh: msg('按点数支付的病例应写评审点数'),
      en: msg('a case paid by points needs the points the panel set'),
    },
    {
      rule: 'points-range',
      code: 'E_RANGE',
      field: 'points',
      title: { zh: '点数大于 0、最多四位小数', en: 'points above 0 with at most four decimals' },
      where: 'points IS NOT NULL AND (points <= 0 OR points <> round(points, 4))',
      zh: msg('点数应大于 0 且最多四位小数，实际为 {points}'),
      en: msg('points must be above 0 with at most four decimals, got {points}'),
    },
  ];
}

export const DEDUCTIONS: KindSpec = {
  kind: 'deductions',
  zh: '审核扣款',
  en: 'audit deductions',
  table: 'year_end_deductions',
  columns: DEDUCTION_COLUMNS,
  key: ['fixmedins_code', 'period', 'reason'],
  replaceable: true,
  keyLabel: 'key',
  checks: deductionChecks,
  formats: ['csv', 'parquet', 'xlsx'],
};

export const ASSESSMENTS: KindSpec = {
  kind: 'assessments',
  zh: '考核结果',
  en: 'assessment results',
  table: 'year_end_assessments',
  columns: ASSESSMENT_COLUMNS,
  typeOverrides: { coefficient: 'decimal' },
  key: ['fixmedins_code', 'year'],
  replaceable: true,
  keyLabel: 'key',
  checks: assessmentChecks,
  formats: ['csv', 'parquet', 'xlsx'],
};

export const SPECIAL_REVIEW: KindSpec = {
  kind: 'special-review',
  zh: '特例单议结果',
  en: 'special-review decisions',
  table: 'year_end_special_reviews',
  columns: SPECIAL_REVIEW_COLUMNS,
  typeOverrides: { points: 'decimal' },
  key: ['setl_id'],
  replaceable: true,
  keyLabel: 'setl_id',
  allowed: {
    decision: Object.keys(SPECIAL_REVIEW_DECISIONS),
    payment: Object.keys(SPECIAL_REVIEW_PAYMENTS),
  },
  checks: specialReviewChecks,
  formats: ['csv', 'parquet', 'xlsx'],
};
