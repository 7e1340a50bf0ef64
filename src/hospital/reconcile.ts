/**
 * Reconciliation (对账): the hospital's own view of its cases (setl_id with its group, points and amount) against
 * the agency's stored run, case by case. Every difference gets one reason, checked in this order:
 * a case missing on one side; a different group (with the first step where the two grouping paths part, when
 * paths are given); special review (特例单议) at the agency, unless the hospital expected it at the same points and
 * amount (at the same money but another type in the hospital's view: a different case type, 病例类型不同, nothing
 * at stake but the fen split at most); a deviating-case rule (偏差病例: the agency's low-/high-cost status differs from the hospital's when its
 * view gives the case type, or the points of such a case differ); a coefficient (same group and status, other
 * points); the amount alone (point value; for a case the agency paid in money, its fixed standard — single-disease,
 * per-bed-day — or its amount claim). Audit deductions (审核扣款) are institution-month lines of the run, each its own
 * difference. Money at stake = agency amount − hospital amount (fen; positive: the agency pays more).
 *
 * The agency's amount of a case is its 病例结算金额 as the run stored it (R-DIP-6: the institution's points × point
 * value, rounded once, split over its cases by floors and largest remainders), so the cases' differences add up to
 * the institution's. A hospital that rounds each case on its own (half-up) is a fen off on some cases: a case whose
 * points are the agency's, whose hospital amount is its points × the run's point value rounded to the fen (down or
 * up) and whose stored amount differs from it by one fen differs only by the split (分配尾差, reason `split`),
 * listed and counted after the real differences.
 *
 * Pure: the caller reads the run (reconcile-run.ts) and the hospital's file (io/reconcile-rows.ts).
 */
import type { Fen } from '../model/money.ts';
import type { Points } from '../model/points.ts';
import type { PathStep } from './types.ts';

export type ReconcileReason =
  | 'missing-agency'
  | 'missing-hospital'
  | 'group'
  | 'special-review'
  | 'status'
  | 'deviating'
  | 'coefficient'
  | 'amount'
  | 'fixed'
  | 'claim'
  | 'deduction'
  | 'split';

export const REASONS: readonly ReconcileReason[] = [
  'missing-agency',
  'missing-hospital',
  'group',
  'special-review',
  'status',
  'deviating',
  'coefficient',
  'amount',
  'fixed',
  'claim',
  'deduction',
  'split',
];

/** Real differences: every reason but the fen split of an institution's amount over its cases. */
export const isRealDifference = (reason: ReconcileReason): boolean => reason !== 'split';

export const REASON_TEXT: Record<ReconcileReason, [string, string]> = {
  'missing-agency': ['经办结算中无此病例', 'case missing in the agency’s run'],
  'missing-hospital': ['医院清单中无此病例', 'case missing in the hospital’s view'],
  group: ['分组不同', 'different group'],
  'special-review': ['特例单议', 'special review'],
  status: ['病例类型不同（经办为特例单议）', 'different case type (special review at the agency)'],
  deviating: ['偏差病例规则', 'deviating-case rule'],
  coefficient: ['系数不同', 'coefficient'],
  amount: ['金额不同（点值）', 'amount (point value)'],
  fixed: ['金额不同（定额）', 'amount (fixed standard)'],
  claim: ['金额不同（按金额支付）', 'amount (paid as an amount)'],
  deduction: ['审核扣款', 'audit deduction'],
  split: ['分配尾差（仅差 1 分）', 'fen split only (1 fen)'],
};

/** The hospital's own view of one case. */
export interface HospitalViewCase {
  setlId: string;
  institution: string | null;
  group: string | null;
  points: Points | null;
  amount: Fen;
  /** The hospital's own status for the case (paid, low-cost, high-cost…) when its file says. */
  status: string | null;
  /** The hospital's own coding (diagnosis and procedure codes) when its file gives them: its grouping path. */
  coding?: { diagnoses: readonly string[]; procedures: readonly string[] } | null;
}

/** The agency's stored result of one case, valued (amount in fen at the run's point value or the claim). */
export interface AgencyCase {
  setlId: string;
  /** The payment method that settled it in the point pool (dip, drg, per-diem, single-disease), when known. */
  method?: string;
  institution: string;
  month: string;
  group: string | null;
  status: string;
  points: Points | null;
  /** 病例结算金额 as the run stored it; for a run stored without it, points × point value half-up (or the claim). */
  amount: Fen;
  /**
   * When `amount` is the run's stored split of a points case: points × the run's point value rounded down and up to
   * the fen (equal when exact), what a hospital rounding the case on its own can have. Absent otherwise.
   */
  perCase?: { down: Fen; up: Fen } | null;
}

/**
 * Where the agency's per-case amounts come from: `stored` — each case's 病例结算金额 as the run stored it (R-DIP-6,
 * the institution's amount split by largest remainders); `not-stored` — a run stored before amounts were kept;
 * `not-split` — the run's settlement policy kept none (caseAmountRounding: none). In the last two, points × point
 * value is rounded half-up case by case here, as before, and the cases need not add up to the institution's amount.
 */
export type AgencyAmounts = 'stored' | 'not-stored' | 'not-split';

export interface AuditDeduction {
  institution: string;
  month: string;
  deductions: Fen;
}

export interface ReconcileLine {
  /** Empty for an audit deduction (an institution-month line). */
  setlId: string;
  institution: string;
  /** The agency's month of the case or of the deduction; null for a case only the hospital has. */
  month: string | null;
  reason: ReconcileReason;
  agencyGroup: string | null;
  hospitalGroup: string | null;
  agencyStatus: string | null;
  hospitalStatus: string | null;
  agencyPoints: Points | null;
  hospitalPoints: Points | null;
  agencyAmount: Fen;
  hospitalAmount: Fen;
  /** Agency amount − hospital amount. */
  atStake: Fen;
  /** The agency's payment method of the case (dip, drg, per-diem, single-disease), when known. */
  agencyMethod?: string | null;
  /** Different group: the first step where the paths part (zh / en), when known. */
  parting: { zh: string; en: string } | null;
  /** Different group: both grouping paths (the hospital's when its coding is known), when known. */
  paths: { agency: readonly PathStep[]; hospital: readonly PathStep[] | null } | null;
}

export interface ReconcileTotal {
  reason: ReconcileReason;
  cases: number;
  atStake: Fen;
}

export interface Reconciliation {
  lines: ReconcileLine[];
  totals: ReconcileTotal[];
  matched: number;
  atStake: Fen;
}

/** Both grouping paths of a case whose groups differ (the agency's coding, the hospital's when known). */
export type PathsOf = (setlId: string) => { agency: readonly PathStep[]; hospital: readonly PathStep[] | null } | null;

/** The first step where two paths part; with the agency's path only, its deciding step (match / drg / result). */
export function firstParting(
  agency: readonly PathStep[],
  hospital: readonly PathStep[] | null,
): { zh: string; en: string } | null {
  if (hospital) {
    const n = Math.max(agency.length, hospital.length);
    for (let i = 0; i < n; i++) {
      const a = agency[i];
      const h = hospital[i];
      if (a?.zh === h?.zh) continue;
      return {
        zh: `经办：${a ? a.zh : '（无）'}；医院：${h ? h.zh : '（无）'}`,
        en: `agency: ${a ? a.en : '(none)'}; hospital: ${h ? h.en : '(none)'}`,
      };
    }
    return null;
  }
  const decisive = agency.find((s) => s.stage === 'match' || s.stage === 'drg') ?? agency.at(-1);
  return decisive ? { zh: `经办：${decisive.zh}`, en: `agency: ${decisive.en}` } : null;
}

const DEVIATING = new Set(['low-cost', 'high-cost']);

function reasonOf(a: AgencyCase, h: HospitalViewCase): ReconcileReason | null {
  if ((a.group ?? '') !== (h.group ?? '')) return 'group';
  // Special review: a difference unless the hospital expected it too (its type special review, or not given) at the
  // agency's points and amount — then nothing is at stake but, at most, the fen split. At the same money but of
  // another type in the hospital's view (正常), the type is the difference: the case is under review at the agency.
  if (a.status === 'special-review') {
    const sameMoney = a.points === h.points && (a.amount === h.amount || onlyTheSplit(a, h));
    if (!sameMoney) return 'special-review';
    if (h.status !== null && h.status !== 'special-review') return 'status';
    return a.amount === h.amount ? null : 'split';
  }
  // A view that does not say the case's type (no 病例类型 column) is held to the agency's points only.
  const hs = h.status;
  if (hs !== null && (DEVIATING.has(a.status) || DEVIATING.has(hs)) && a.status !== hs) return 'deviating';
  if (DEVIATING.has(a.status) && a.points !== h.points) return 'deviating';
  if (a.points !== null && h.points !== null && a.points !== h.points) return 'coefficient';
  if (a.amount !== h.amount && onlyTheSplit(a, h)) return 'split';
  if (a.amount === h.amount) return null;
  // A case the agency paid in money has no point value to differ by: a single-disease or per-bed-day case at its
  // fixed standard (定额, R-PAY-DISEASE / R-PAY-BEDDAY), or another amount (a DIP case paid its cost, a DRG base rate).
  if (a.points === null) return a.method === 'single-disease' || a.method === 'per-diem' ? 'fixed' : 'claim';
  return 'amount';
}

/**
 * R-DIP-6: the hospital rounded the case on its own at the run's point value, the agency's split gave it a fen more
 * or less: same points, the hospital's amount is points × point value rounded down or up, one fen from the stored.
 */
function onlyTheSplit(a: AgencyCase, h: HospitalViewCase): boolean {
  if (!a.perCase || a.points === null || h.points !== a.points) return false;
  return h.amount >= a.perCase.down && h.amount <= a.perCase.up && Math.abs(a.amount - h.amount) === 1;
}

export function reconcile(
  view: readonly HospitalViewCase[],
  agency: readonly AgencyCase[],
  deductions: readonly AuditDeduction[],
  pathsOf?: PathsOf,
): Reconciliation {
  const byId = new Map(agency.map((a) => [a.setlId, a] as const));
  const seen = new Set<string>();
  const lines: ReconcileLine[] = [];
  let matched = 0;
  for (const h of view) {
    seen.add(h.setlId);
    const a = byId.get(h.setlId);
    const base = {
      setlId: h.setlId,
      hospitalGroup: h.group,
      hospitalStatus: h.status,
      hospitalPoints: h.points,
      hospitalAmount: h.amount,
      parting: null,
      paths: null,
    };
    if (!a) {
      lines.push({
        ...base,
        institution: h.institution ?? '',
        month: null,
        reason: 'missing-agency',
        agencyGroup: null,
        agencyStatus: null,
        agencyPoints: null,
        agencyAmount: 0,
        atStake: -h.amount,
      });
      continue;
    }
    const reason = reasonOf(a, h);
    if (reason === null) {
      matched++;
      continue;
    }
    const paths = reason === 'group' && pathsOf ? pathsOf(h.setlId) : null;
    lines.push({
      ...base,
      institution: a.institution,
      month: a.month,
      reason,
      agencyGroup: a.group,
      agencyStatus: a.status,
      agencyPoints: a.points,
      agencyAmount: a.amount,
      atStake: a.amount - h.amount,
      agencyMethod: a.method ?? null,
      parting: paths ? firstParting(paths.agency, paths.hospital) : null,
      paths,
    });
  }
  for (const a of agency) {
    if (seen.has(a.setlId)) continue;
    lines.push({
      setlId: a.setlId,
      institution: a.institution,
      month: a.month,
      reason: 'missing-hospital',
      agencyGroup: a.group,
      hospitalGroup: null,
      agencyStatus: a.status,
      hospitalStatus: null,
      agencyPoints: a.points,
      hospitalPoints: null,
      agencyAmount: a.amount,
      hospitalAmount: 0,
      atStake: a.amount,
      agencyMethod: a.method ?? null,
      parting: null,
      paths: null,
    });
  }
  for (const d of deductions) {
    if (d.deductions === 0) continue;
    lines.push({
      setlId: '',
      institution: d.institution,
      month: d.month,
      reason: 'deduction',
      agencyGroup: null,
      hospitalGroup: null,
      agencyStatus: null,
      hospitalStatus: null,
      agencyPoints: null,
      hospitalPoints: null,
      agencyAmount: -d.deductions,
      hospitalAmount: 0,
      atStake: -d.deductions,
      parting: null,
      paths: null,
    });
  }
  lines.sort(
    (x, y) =>
      REASONS.indexOf(x.reason) - REASONS.indexOf(y.reason) ||
      (x.setlId + (x.month ?? '') < y.setlId + (y.month ?? '') ? -1 : 1),
  );
  const totals = REASONS.map((reason) => {
    const ls = lines.filter((l) => l.reason === reason);
    return { reason, cases: ls.length, atStake: ls.reduce((s, l) => s + l.atStake, 0) };
  }).filter((t) => t.cases > 0);
  return { lines, totals, matched, atStake: lines.reduce((s, l) => s + l.atStake, 0) };
}

/**
 * Whose cases a hospital's view is, when the view itself does not say (no 定点医疗机构编号 column, or every cell of
 * it blank): its cases' institutions in the run (`found`: setl_id → the institution the run settled it for). `one`
 * when every case found belongs to one institution (`cases` of the view's found there); `several` (codes with their
 * case counts, most first) or `none` (not one case in the run) — then the caller must be told which to compare.
 */
export type ViewInstitution =
  | { kind: 'one'; institution: string; cases: number }
  | { kind: 'several'; institutions: readonly (readonly [string, number])[] }
  | { kind: 'none' };

export function viewInstitution(
  view: readonly HospitalViewCase[],
  found: ReadonlyMap<string, string>,
): ViewInstitution {
  const n = new Map<string, number>();
  for (const v of view) {
    const i = found.get(v.setlId);
    if (i !== undefined) n.set(i, (n.get(i) ?? 0) + 1);
  }
  const institutions = [...n].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
  if (institutions.length === 0) return { kind: 'none' };
  if (institutions.length === 1) return { kind: 'one', institution: institutions[0]![0], cases: institutions[0]![1] };
  return { kind: 'several', institutions };
}
