/**
 * Case behaviour rules (病例行为, R-MON-2): split admissions (分解住院), overlapping stays at two institutions,
 * low-standard admissions (低标入院), an MCC that leaves no trace in cost or stay (高套编码疑点), abnormal length of
 * stay, and cost shifting onto the patient (转嫁费用) — each on one case with its context, every threshold from the
 * rule's parameters and every comparison exact (integers, ratios cross-multiplied).
 */
import { type InpatientCase, isDeathDischarge } from '../model/case.ts';
import { atMost, mulDivHalfUp, permille, shareAtLeast } from './arith.ts';
import { type CaseContext, categoryOf, dayGap } from './context.ts';
import { caseFlag } from './flag.ts';
import { inList, type Knowledge, listPrefixes } from './knowledge.ts';
import type { Flag, MonitorRule } from './types.ts';

type Logic<D extends string> = Extract<MonitorRule['logic'], { detector: D }>;

/**
 * 分解住院: the same person re-admitted within `windowDays` calendar days of an earlier stay's discharge date (a
 * same-day readmission counts, whatever the hours) (same institution when asked) with a
 * principal diagnosis of the same category; planned readmissions and excepted lists (chemotherapy cycles) are
 * left out. Flagged on the readmission; the nearest earlier discharge is the evidence. Within `highWithinDays`
 * the flag is high.
 */
export function splitAdmission(
  rule: MonitorRule,
  logic: Logic<'split-admission'>,
  c: InpatientCase,
  ctx: CaseContext,
  k: Knowledge,
): Flag[] {
  const p = logic.params;
  const except = p.exceptLists.flatMap((l) => listPrefixes(k, l));
  const principal = c.diagnoses[0]?.code ?? '';
  if (inList(except, principal)) return [];
  const category = categoryOf(c);
  let best: { gap: number; stay: CaseContext['otherStays'][number] } | null = null;
  for (const o of ctx.otherStays) {
    if (o.setlId === c.setlId || o.admissionTime >= c.admissionTime) continue;
    if (p.sameInstitution && o.institutionCode !== c.institutionCode) continue;
    if (p.exceptPlanned && o.plannedReadmission) continue;
    if (o.principal.slice(0, 3) !== category || inList(except, o.principal)) continue;
    const gap = dayGap(o.dischargeTime, c.admissionTime);
    if (gap < 0 || gap > p.windowDays) continue;
    if (!best || gap < best.gap || (gap === best.gap && o.setlId < best.stay.setlId)) best = { gap, stay: o };
  }
  if (!best) return [];
  return [
    caseFlag(
      rule,
      c,
      '',
      c.fundPay,
      {
        previousSetlId: best.stay.setlId,
        previousInstitution: best.stay.institutionCode,
        gapDays: best.gap,
        previousPrincipal: best.stay.principal,
        principal,
      },
      best.gap <= p.highWithinDays ? 'high' : 'medium',
    ),
  ];
}

/**
 * 重复住院(同期在两家机构住院): another stay of the person at another institution overlaps this one in time. Both
 * stays are flagged (each institution answers for its own), but one overlap's money is counted once (walk4 #26: two
 * flags of 6,300.00 and 5,950.00 said 12,250.00 at issue for one overlap): the stay admitted while the person was
 * already an inpatient elsewhere carries its fund payment — the later admission (same admission time: the larger
 * settlement id), the one an admission check (事前提示) would have stopped. The earlier stay's amount at issue is 0,
 * left to review (which may still deduct up to its fund payment when the audit finds that stay was the false one).
 */
export function overlappingStays(rule: MonitorRule, c: InpatientCase, ctx: CaseContext): Flag[] {
  let first: CaseContext['otherStays'][number] | null = null;
  let later = false;
  for (const o of ctx.otherStays) {
    if (o.setlId === c.setlId || o.institutionCode === c.institutionCode) continue;
    if (!(o.admissionTime < c.dischargeTime && o.dischargeTime > c.admissionTime)) continue;
    if (!first || o.setlId < first.setlId) first = o;
    if (o.admissionTime < c.admissionTime || (o.admissionTime === c.admissionTime && o.setlId < c.setlId)) later = true;
  }
  if (!first) return [];
  return [
    caseFlag(rule, c, '', later ? c.fundPay : 0, {
      otherSetlId: first.setlId,
      otherInstitution: first.institutionCode,
      otherAdmission: first.admissionTime,
      otherDischarge: first.dischargeTime,
    }),
  ];
}

/**
 * 重复结算: one admission (就诊ID mdtrt_id) of the person at the same institution, with the same admission and
 * discharge dates, settled again under another settlement id — the fund paid the stay twice. The first settlement
 * (the smaller settlement id) stands; each later one is flagged with its whole fund payment at issue and the first
 * as evidence. Settlements of one 就诊ID for different periods (中途结算 of a long stay) are not duplicates.
 */
export function duplicateSettlement(rule: MonitorRule, c: InpatientCase, ctx: CaseContext): Flag[] {
  if (!c.mdtrtId) return [];
  const day = (t: string) => t.slice(0, 10);
  let first: CaseContext['otherStays'][number] | null = null;
  for (const o of ctx.otherStays) {
    if (o.setlId >= c.setlId || o.mdtrtId !== c.mdtrtId || o.institutionCode !== c.institutionCode) continue;
    if (day(o.admissionTime) !== day(c.admissionTime) || day(o.dischargeTime) !== day(c.dischargeTime)) continue;
    if (!first || o.setlId < first.setlId) first = o;
  }
  if (!first) return [];
  return [
    caseFlag(rule, c, '', c.fundPay, {
      mdtrtId: c.mdtrtId,
      firstSetlId: first.setlId,
      admissionDate: day(c.admissionTime),
      dischargeDate: day(c.dischargeTime),
      firstTotalCost: first.totalCost,
      firstFundPay: first.fundPay,
      totalCost: c.totalCost,
      fundPay: c.fundPay,
    }),
  ];
}

/** 低标准入院: an outpatient-manageable principal diagnosis, a short stay, no procedure, no ICU, not a death. */
export function lowStandardAdmission(
  rule: MonitorRule,
  logic: Logic<'low-standard-admission'>,
  c: InpatientCase,
  k: Knowledge,
): Flag[] {
  const principal = c.diagnoses[0]?.code ?? '';
  if (!inList(listPrefixes(k, logic.params.list), principal)) return [];
  if (
    c.losDays > logic.params.maxLosDays ||
    c.procedures.length > 0 ||
    c.icuDays > 0 ||
    isDeathDischarge(c.dischargeWay)
  ) {
    return [];
  }
  // Every condition the rule checked is in the evidence (the flag showed the diagnosis and stay alone): no procedure,
  // no ICU day, not a death.
  return [
    caseFlag(rule, c, '', c.fundPay, {
      principal,
      losDays: c.losDays,
      maxLosDays: logic.params.maxLosDays,
      procedures: c.procedures.length,
      icuDays: c.icuDays,
      dischargeWay: c.dischargeWay,
    }),
  ];
}

/**
 * 高套编码疑点: a secondary diagnosis of the severity list (MCC) that leaves no trace — the case costs no more than
 * `costFactor` × and stays no longer than `losFactor` × the median of cases of its category and level without
 * such a diagnosis in earlier years. The money at issue is left to review (0): it is the payment difference between
 * groups, which the settlement run knows.
 */
export function upcodingNoTrace(
  rule: MonitorRule,
  logic: Logic<'upcoding-no-trace'>,
  c: InpatientCase,
  ctx: CaseContext,
  k: Knowledge,
): Flag[] {
  const prefixes = listPrefixes(k, logic.params.list);
  const severe = c.diagnoses.slice(1).find((d) => inList(prefixes, d.code));
  if (!severe) return [];
  const b = ctx.baselines.plain.get(`${logic.params.list}|${categoryOf(c)}|${ctx.institution.level}`);
  if (!b) return [];
  if (!atMost(c.totalCost, b.medianCost, logic.params.costFactor)) return [];
  if (!atMost(c.losDays, b.medianLos, logic.params.losFactor)) return [];
  return [
    caseFlag(rule, c, '', 0, {
      secondary: severe.code,
      totalCost: c.totalCost,
      losDays: c.losDays,
      baselineMedianCost: b.medianCost,
      baselineMedianLos: b.medianLos,
      baselineCases: b.cases,
    }),
  ];
}

/** 住院天数异常: the stay exceeds `losFactor` × the category × level median by at least `minExcessDays`. */
export function abnormalLos(
  rule: MonitorRule,
  logic: Logic<'abnormal-los'>,
  c: InpatientCase,
  ctx: CaseContext,
): Flag[] {
  const b = ctx.baselines.all.get(`${categoryOf(c)}|${ctx.institution.level}`);
  if (!b) return [];
  if (atMost(c.losDays, b.medianLos, logic.params.losFactor)) return [];
  if (c.losDays - b.medianLos < logic.params.minExcessDays) return [];
  return [
    caseFlag(rule, c, '', 0, {
      losDays: c.losDays,
      baselineMedianLos: b.medianLos,
      baselineCases: b.cases,
    }),
  ];
}

/**
 * 转嫁费用(个案): the uncovered share (自费) is at least `ownShareFactor` × the level's share in earlier years and at
 * least `minOwnShare`. The money at issue is the uncovered amount above the level's share (half up).
 */
export function costShiftingCase(
  rule: MonitorRule,
  logic: Logic<'cost-shifting-case'>,
  c: InpatientCase,
  ctx: CaseContext,
): Flag[] {
  const b = ctx.baselines.ownShare.get(ctx.institution.level);
  if (!b || b.totalCost <= 0 || c.totalCost <= 0) return [];
  if (!shareAtLeast(c.ownPay, b.totalCost, c.totalCost, b.ownPay, logic.params.ownShareFactor)) return [];
  if (!shareAtLeast(c.ownPay, 1, c.totalCost, 1, logic.params.minOwnShare)) return [];
  const expected = mulDivHalfUp(c.totalCost, b.ownPay, b.totalCost);
  return [
    caseFlag(rule, c, '', Math.max(0, c.ownPay - expected), {
      ownPay: c.ownPay,
      totalCost: c.totalCost,
      ownSharePermille: permille(c.ownPay, c.totalCost),
      baselineSharePermille: permille(b.ownPay, b.totalCost),
    }),
  ];
}
