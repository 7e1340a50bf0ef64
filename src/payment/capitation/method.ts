/**
 * Capitation by disease with risk adjustment (按病种结合人头付费, R-PAY-CAP, R-CAP-1…3): one `UnitResult` per
 * enrolment row (head segment), claiming the head's share of the year's per-disease per-head total.
 *
 * Clauses cited in traces come from the policy's `source`s. Seed 004 (攀枝花) as the example — 一: "按照二类门特统筹基金预算总控额度确定的每个病种统筹基金支付标准向定点医疗机构
 * 支付费用"; 四(四)1(3): "经风险调整后……计算各二类门特定点医疗机构的病种人头付费统筹基金总额"; 四(六)1: "按定点医疗机构实际
 * 就诊人头数定额清算"; 四(六)4 (switches, pro-rated by days here).
 *
 * Two modes: `plan` counts every enrolled head (the annual totals behind the monthly prepayment, 四(五)1);
 * `year-end` counts the actual heads (`yearEndHeads`: visited or enrolled) — an enrolled head without a visit is
 * `excluded` with the reason and the amount it would have had. Claims are fund amounts (统筹基金), unlike DIP
 * points: capitation is settled by its own year end (year-end.ts), not in a point pool. `billed` is the head's
 * total cost billed item by item at the front desk, `patientPaid` the part outside the fund's payable amount, so
 * billed − patientPaid is the fund spending the year end compares with the total.
 * Amount rounding (round once, `institutionTotals`): head amounts are exact; the region's total of the counted heads
 * is rounded down once (so Σ ≤ cap), split over institutions by the largest remainder of their exact totals
 * (each institution's total = corrected rate × its risk-weighted heads, within a fen), and each institution's
 * total over its heads the same way. A person's exact segments add up to the whole annual standard.
 *
 * Traces (`trace`): a region-year has tens of thousands of heads, so the run evaluates them without their traces —
 * each head then carries its last step only (the basis its statement row shows and the year end reads) — and
 * `explain` evaluates the year again with the whole trace of the one head asked. The figures are the same either
 * way: the trace is built beside the arithmetic, never feeding it.
 */

import { insuranceTypeWord } from '../../model/code-words.ts';
import type { TraceStep } from '../../model/explain.ts';
import type { InsuredPerson, SpecialDiseaseEnrolment } from '../../model/institution.ts';
import {
  allocateProportional,
  type Fen,
  formatRatio,
  type Ratio,
  RatioSum,
  roundOnceAndSplit,
} from '../../model/money.ts';
import type { PaymentMethod, UnitResult } from '../../model/unit-result.ts';
import { pushTo } from '../common/index-by.ts';
import { describeSplit, type IssuedSplit, shareOfSplit } from '../common/issued-split.ts';
import { step, type TraceOption, traceFilter, yuan } from '../common/trace.ts';
import type { CapitationStandards } from './calibrate.ts';
import type { HeadSegment } from './enrolment.ts';
import { type HeadIndex, headIndexOf } from './head-index.ts';
import {
  EXCLUDED,
  evaluatedHeadUnit,
  HEAD_STATUS,
  type HeadLine,
  type LastWords,
  lastKept,
  lineBatches,
  PAID,
  UNGROUPED,
  unitBatches,
} from './head-unit.ts';
import { headAmount } from './heads.ts';
import { cellWords } from './risk.ts';
import {
  attributeSpending,
  chargesReferrals,
  type SegmentSpending,
  type SpendingSummary,
  summariseAttribution,
} from './spending.ts';
import { type CapitationPolicy, type CapitationSpending, standardKey } from './types.ts';

export interface CapitationContext {
  year: number;
  policy: CapitationPolicy;
  standards: CapitationStandards;
  persons: readonly InsuredPerson[];
  /** The year's settled visits (empty when planning); or, already attributed and summed, `attributed`. */
  spending: readonly CapitationSpending[];
  /** The year's visits attributed to head segments and summed per segment (e.g. by the store); wins over `spending`. */
  attributed?: SpendingSummary;
  mode: 'plan' | 'year-end';
  /**
   * Which heads carry their whole trace: every head (true, the default), none (false), or those the predicate
   * picks (`explain` asks for one). A head without its trace carries its last step only.
   */
  trace?: TraceOption;
  /** The rows' head index (`headIndex` of the same rows), when the caller made it for several passes. */
  index?: HeadIndex;
  /**
   * The institutions' splits as a run issued them (`splits` of `evaluateCapitationSplits`): given, the heads' shares
   * are read from them, so a subset of the heads (`explain` of one) gets the amounts the whole year gave it.
   */
  issued?: ReadonlyMap<string, IssuedSplit>;
}

export function evaluateCapitation(rows: readonly SpecialDiseaseEnrolment[], context: CapitationContext): UnitResult[] {
  return evaluateCapitationSplits(rows, context).units;
}

/** The units, and how each institution's total was split over its paid heads (by institution code). */
export function evaluateCapitationSplits(
  rows: readonly SpecialDiseaseEnrolment[],
  context: CapitationContext,
): { units: UnitResult[]; splits: Map<string, IssuedSplit> } {
  const heads = evaluateCapitationHeads(rows, context);
  const units: UnitResult[] = [];
  for (const b of heads.batches()) for (const u of b) units.push(u);
  return { units, splits: heads.splits };
}

/**
 * A year's heads evaluated without holding their units (issue 9: a province's heads): each head keeps its unit id,
 * its status and its last step (or, paid, its amount), and `batches` makes the units in unit-id order, `size` at a
 * time, anew on each call — the same units `evaluateCapitationSplits` returns, so a run writes them batch by batch.
 */
export interface CapitationHeadsEvaluation {
  /** How each institution's total was split over its paid heads (by institution code). */
  splits: Map<string, IssuedSplit>;
  /** Heads (one per enrolment row). */
  count: number;
  batches(size?: number): Generator<UnitResult[]>;
  /**
   * The heads as lines (`HeadLine`: the unit's figures and its last step's words, no trace), in the order and
   * batches of `batches`: what the year end and the run's rows read, without a unit or a step made per head.
   */
  lines(size?: number): Generator<HeadLine[]>;
  /**
   * Referral fees (转诊费用, `referralFee`) of the heads counted at year end, by institution code: Σ the fund-payable
   * amount of their visits at other institutions and how many heads had one; empty when none is charged.
   */
  referrals: Map<string, ReferralSum>;
  /** Heads with a referral sum that are not counted (not paid): their visits elsewhere are charged to no one. */
  referralsNotCounted: { unitId: string; institutionCode: string }[];
}

/** An institution's referral fees (`CapitationHeadsEvaluation.referrals`). */
export interface ReferralSum {
  amount: Fen;
  heads: number;
}

/** The units of an evaluation one at a time, in unit-id order, made `size` at a time (never all held). */
export function* headUnits(heads: CapitationHeadsEvaluation, size = 8_192): Generator<UnitResult> {
  for (const b of heads.batches(size)) yield* b;
}

/** The lines of an evaluation one at a time, in unit-id order, made `size` at a time (never all held). */
export function* headLines(heads: CapitationHeadsEvaluation, size = 8_192): Generator<HeadLine> {
  for (const b of heads.lines(size)) yield* b;
}

export function evaluateCapitationHeads(
  rows: readonly SpecialDiseaseEnrolment[],
  context: CapitationContext,
): CapitationHeadsEvaluation {
  const { year, policy } = context;
  const { ids, status, steps, unvisited, exact, billed, patientPaid, referral, order } = evaluateHeadAmounts(
    rows,
    context,
  );
  const n = rows.length;
  const referrals = new Map<string, ReferralSum>();
  const referralsNotCounted: CapitationHeadsEvaluation['referralsNotCounted'] = [];
  for (let i = 0; i < n; i++) {
    if (referral[i] === 0) continue;
    if (status[i] !== PAID) {
      referralsNotCounted.push({ unitId: ids[i]!, institutionCode: rows[i]!.treatingInstitution });
      continue;
    }
    const code = rows[i]!.treatingInstitution;
    const r = referrals.get(code) ?? { amount: 0, heads: 0 };
    r.amount += referral[i]!;
    r.heads++;
    referrals.set(code, r);
  }
  const month = `${year}-12`;
  const { splits, amounts, lastSteps } = institutionTotals(rows, ids, order, exact, policy, context.issued);
  const unit = (i: number): UnitResult => {
    const row = rows[i]!;
    const unitId = ids[i]!;
    const code = status[i]!;
    let outcome: Parameters<typeof evaluatedHeadUnit>[8] = code;
    if (code === PAID) {
      const amount = amounts[i]!;
      const l = lastSteps.get(row.treatingInstitution)!;
      outcome = { amount, last: step('R-CAP-3', l.clause, l.zh, l.en, l.values, yuan(amount)) };
    }
    return evaluatedHeadUnit(
      unitId,
      row.treatingInstitution,
      month,
      'capitation',
      row.diseaseCode,
      billed[i]!,
      patientPaid[i]!,
      steps(i),
      outcome,
    );
  };
  // A paid head's last words are its institution's: one object per institution, shared by its heads' lines.
  const paidWords = new Map<string, LastWords>();
  for (const [code, l] of lastSteps) paidWords.set(code, { rule: 'R-CAP-3', zh: l.zh, en: l.en, clause: l.clause });
  const unvisitedWords: LastWords = {
    rule: 'R-CAP-5',
    zh: UNVISITED_ZH,
    en: UNVISITED_EN,
    clause: policy.yearEndHeads.source,
  };
  const line = (i: number): HeadLine => {
    const row = rows[i]!;
    const unitId = ids[i]!;
    const code = status[i]!;
    const paid = code === PAID;
    return {
      unitId,
      institutionCode: row.treatingInstitution,
      month,
      method: 'capitation',
      group: row.diseaseCode,
      status: HEAD_STATUS[code]!,
      amount: paid ? amounts[i]! : 0,
      billed: billed[i]!,
      patientPaid: patientPaid[i]!,
      last: paid ? paidWords.get(row.treatingInstitution) : unvisited[i] === 1 ? unvisitedWords : lastKept(steps(i)),
    };
  };
  return {
    splits,
    count: n,
    batches: (size = n) => unitBatches(n, order, unit, size),
    lines: (size = n) => lineBatches(n, order, line, size),
    referrals,
    referralsNotCounted,
  };
}

/** An institution's planned annual total (四(五)1) and its paid heads: what the monthly prepayments read. */
export interface PlanTotal {
  total: Fen;
  heads: number;
}

/**
 * The plan's institution totals without its heads' units (issue 9: the plan feeds the prepayments only): the same
 * per-head amounts as `evaluateCapitationHeads` in `plan` mode, the region's exact total rounded down once and
 * split over the institutions by largest remainder — each institution's total is what its heads' shares add up to.
 */
export function capitationPlanTotals(
  rows: readonly SpecialDiseaseEnrolment[],
  context: Omit<CapitationContext, 'mode' | 'trace' | 'issued'>,
): Map<string, PlanTotal> {
  const { exact } = evaluateHeadAmounts(rows, { ...context, mode: 'plan', trace: false });
  const byInst = new Map<string, number[]>();
  for (let i = 0; i < rows.length; i++) if (exact.paid(i)) pushTo(byInst, rows[i]!.treatingInstitution, i);
  const codes = [...byInst.keys()].sort();
  const region = roundOnceAndSplit(
    codes.map((c) => exact.sum(byInst.get(c)!)),
    'floor',
  );
  return new Map(codes.map((c, k) => [c, { total: region.parts[k]!, heads: byInst.get(c)!.length }]));
}

/**
 * The per-head pass: each head's unit id, status, steps so far and, paid, its exact amount (fen) — before the
 * institutions' totals are rounded and split.
 */
function evaluateHeadAmounts(rows: readonly SpecialDiseaseEnrolment[], context: CapitationContext) {
  const { year, policy, standards, mode } = context;
  const traced = traceFilter(context.trace);
  const capClass = policy.capitatedDiseaseClass.value;
  const index = headIndexOf(rows, context.index, context);
  const { unitIds, days, yearDays, issuesByUnit } = index;
  const n = rows.length;
  // A head's spending: by position when the sums are the store's by segment for these very rows in this order (the
  // segments are the rows of the capitated class; any other row has none), else by unit id. No visits (the plan):
  // nothing to attribute, and no person index of the rows made for it.
  const attributed = context.attributed;
  const atSegment = attributed?.bySegment ? segmentPositions(rows, attributed.bySegment.rows) : undefined;
  const sums = atSegment ? attributed!.bySegment : undefined;
  const byUnit: ReadonlyMap<string, SegmentSpending> = atSegment
    ? new Map()
    : (attributed?.byUnit ??
      (context.spending.length === 0
        ? new Map<string, SegmentSpending>()
        : summariseAttribution(attributeSpending(context.spending, rows, capClass, chargesReferrals(policy))).byUnit));
  // A unit id given twice is refused (the first row, in row order, that repeats one): found from the index's order.
  const repeated = index.duplicate();
  if (repeated !== undefined)
    throw new RangeError(`enrolment ${repeated} is given twice / 同一人同一病种同一起始日的待遇记录重复`);
  const ids: string[] = new Array(n);
  /** The head's spending (fen) as its unit and line show it: billed, and billed − the fund's payable part (≥ 0). */
  const billed = new Float64Array(n);
  const patientPaid = new Float64Array(n);
  /** The head's referral fee (fen): its visits at other institutions charged to it (`referralFee`). */
  const referral = new Float64Array(n);
  const status = new Uint8Array(n);
  /** The head's steps so far: one shared or own step (without its whole trace), the whole trace, or none (paid). */
  const steps: (TraceStep | TraceStep[] | undefined)[] = new Array(n);
  /**
   * A head's amount as its factors (`headAmount`: rate × weight × days ÷ year days, exact), made as a ratio when
   * read: the rate (fen) and the weight (the score's, shared) of every head that got as far as its amount.
   */
  const rates = new Float64Array(n);
  const weights: (Ratio | undefined)[] = new Array(n);
  /** Heads not counted at year end for want of a visit (R-CAP-5) whose last step is made when read (no trace). */
  const unvisited = new Uint8Array(n);

  // The last steps whose words are the same for every head they stop: one object each (steps are never mutated).
  // Only the other class's rows reach the first, so its class is the other one.
  const otherClass = capClass === 1 ? 2 : 1;
  const otherClassStep = stopStep(
    `${otherClass} 类门特不按人头付费（仅作风险调整因素）`,
    `class-${otherClass} special disease is not capitated (a risk factor only)`,
    policy.capitatedDiseaseClass.source,
  );
  const outsideYearStep = stopStep(
    `待遇期间不在 ${year} 年度内`,
    `enrolment lies outside ${year}`,
    policy.proRate.source,
  );
  // A head that stops before its amount: its last step says why. Made once, not per row: tsx's keepNames wraps each
  // closure it makes (a province's rows, issue 9).
  const stopAt = (i: number, seg: ReturnType<typeof index.segment> | undefined, code: number, last: TraceStep) => {
    status[i] = code;
    steps[i] = seg ? [enrolmentStep(rows[i]!, seg, policy), last] : last;
  };
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    const unitId = unitIds[i]!;
    ids[i] = unitId;
    const full = traced(unitId);
    // The head's segment as an object only for a whole trace (the figures read the index's columns).
    const seg = full ? index.segment(i) : undefined;
    const segDays = days[i]!;
    // One look-up of the head's spending: its count here, its figures kept for its unit and line.
    let visitCount = 0;
    let spentBilled = 0;
    let spentFund = 0;
    let spentReferral = 0;
    if (atSegment) {
      const k = atSegment[i]!;
      if (k >= 0) {
        visitCount = sums!.visits[k]!;
        spentBilled = sums!.billed[k]!;
        spentFund = sums!.fundPayable[k]!;
        spentReferral = sums!.referral?.[k] ?? 0;
      }
    } else {
      const spent = byUnit.get(unitId);
      if (spent) {
        visitCount = spent.visits;
        spentBilled = spent.billed;
        spentFund = spent.fundPayable;
        spentReferral = spent.referral ?? 0;
      }
    }
    referral[i] = spentReferral;
    billed[i] = spentBilled;
    patientPaid[i] = Math.max(0, spentBilled - spentFund);
    if (row.diseaseClass !== capClass) {
      stopAt(i, seg, EXCLUDED, otherClassStep);
      continue;
    }
    const issues = issuesByUnit.get(unitId);
    if (issues) {
      stopAt(
        i,
        seg,
        UNGROUPED,
        stopStep(
          `待遇记录有误，更正前不予支付：${issues.map((x) => x.zh).join('；')}`,
          `enrolment conflict, not paid until corrected: ${issues.map((x) => x.en).join('; ')}`,
          policy.headDefinition.source,
        ),
      );
      continue;
    }
    if (segDays === 0) {
      stopAt(i, seg, EXCLUDED, outsideYearStep);
      continue;
    }
    const rate = standards.rates.get(standardKey(row.insuranceType, row.diseaseCode));
    if (rate === undefined) {
      stopAt(
        i,
        seg,
        UNGROUPED,
        stopStep(
          `病种 ${row.diseaseCode}（${insuranceTypeWord(row.insuranceType, 'zh')}）没有人头标准（无历史结算数据）`,
          `no per-head standard for ${row.diseaseCode} (${insuranceTypeWord(row.insuranceType, 'en')}): no history`,
          policy.standardBasis.source,
        ),
      );
      continue;
    }
    if (!index.hasFactors(i)) {
      stopAt(
        i,
        seg,
        UNGROUPED,
        stopStep(
          `参保人 ${row.psnNo} 不在人员名单中，无法风险调整`,
          `person ${row.psnNo} unknown: no risk factors`,
          policy.riskWeights.source,
        ),
      );
      continue;
    }
    const score = index.score(i, standards.riskModel);
    rates[i] = rate;
    weights[i] = score.weight;
    const own: TraceStep[] = [];
    if (seg) {
      // The cells' age threshold, as the risk model was made with it (its name says age65+ whatever it is).
      const ageThreshold = standards.riskModel.cells?.ageThreshold ?? policy.riskAgeThreshold.value;
      const headExact = headAmount(rate, score.weight, segDays, yearDays);
      const factors = index.factors(i)!;
      const history = standards.history.get(standardKey(row.insuranceType, row.diseaseCode))!;
      const correction = standards.corrections.find((c) => c.insuranceType === row.insuranceType)!;
      own.push(
        enrolmentStep(row, seg, policy),
        step(
          'R-CAP-1',
          policy.baseRateCorrection.source,
          '校正的基准病种人头费率 = 历史病种人头标准 × 校正系数（向下取整到分）',
          'Corrected base rate = history standard × correction factor (rounded down)',
          {
            historyPerHead: formatRatio({ num: history.perHead.num, den: history.perHead.den * 100n }, 4),
            historyHeads: history.heads,
            correctionFactor: formatRatio(correction.factor, 6),
          },
          yuan(rate),
        ),
        step(
          'R-CAP-2',
          standards.riskModel.source,
          `风险调整：${standards.riskModel.zh}，${factors.ageDate} 年龄 ${factors.ageYears}，一类门特 ${factors.hasClass1 ? '有' : '无'} → ${cellWords(score.cell, 'zh', ageThreshold)}`,
          `Risk: ${standards.riskModel.en}; age ${factors.ageYears} on ${factors.ageDate}, class-1 ${factors.hasClass1 ? 'yes' : 'no'} → ${cellWords(score.cell, 'en', ageThreshold)}`,
          {
            ageYears: factors.ageYears,
            hasClass1: factors.hasClass1,
            cell: score.cell,
            riskAgeThreshold: ageThreshold,
          },
          formatRatio(score.weight, 6),
        ),
        step(
          'R-CAP-3',
          policy.proRate.source,
          '人头额 = 费率 × 风险权重 × 在约天数 ÷ 全年天数（不取整）',
          'Head amount = rate × risk weight × days ÷ days in year (exact)',
          { rate: yuan(rate), weight: formatRatio(score.weight, 6), days: seg.days, yearDays: seg.yearDays },
          formatRatio({ num: headExact.num, den: headExact.den * 100n }, 4),
        ),
      );
    }
    if (mode === 'year-end' && policy.yearEndHeads.value === 'visited' && visitCount === 0) {
      status[i] = EXCLUDED;
      if (full) steps[i] = [...own, unvisitedStep(policy, headAmount(rate, score.weight, segDays, yearDays))];
      else unvisited[i] = 1;
      continue;
    }
    if (mode === 'year-end' && full) {
      own.push(
        step(
          'R-CAP-5',
          policy.yearEndHeads.source,
          '实际就诊人头：计入年终清算总额',
          'Actual head: counted in the year-end total',
          { visits: visitCount, billed: yuan(spentBilled), fundSpent: yuan(spentFund) },
          formatRatio(exactFen(headAmount(rate, score.weight, segDays, yearDays)), 4),
        ),
      );
      if (spentReferral > 0)
        own.push(
          step(
            'R-PAY-CAP',
            policy.referralFee.source,
            '转诊费用：本人头在其他机构就诊的统筹基金支付额，计入本机构的基金支出',
            'Referral fee: the fund-payable amount of this head’s visits at other institutions, charged to its institution’s fund spending',
            { fundSpent: yuan(spentFund) },
            yuan(spentReferral),
          ),
        );
    }
    status[i] = PAID;
    steps[i] = full ? own : undefined;
  }
  const exact: HeadExacts = {
    paid: (i) => status[i] === PAID,
    of: (i) => headAmount(rates[i]!, weights[i]!, days[i]!, yearDays),
    sum(heads) {
      // Σ rate × days per weight (exact integers), then one ratio per weight: the same rational as Σ of the heads.
      const byWeight = new Map<Ratio, { small: number; big: bigint }>();
      for (const i of heads) {
        const w = weights[i]!;
        let a = byWeight.get(w);
        if (!a) {
          a = { small: 0, big: 0n };
          byWeight.set(w, a);
        }
        a.small += rates[i]! * days[i]!;
        if (a.small > 2 ** 52) {
          a.big += BigInt(a.small);
          a.small = 0;
        }
      }
      const sum = new RatioSum();
      const yd = BigInt(yearDays);
      for (const [w, a] of byWeight) sum.add({ num: w.num * (a.big + BigInt(a.small)), den: w.den * yd });
      return sum.value();
    },
  };
  /** The unvisited head's last step (R-CAP-5), made when read. */
  const lastOf = (i: number): TraceStep | TraceStep[] | undefined =>
    unvisited[i] === 1 ? unvisitedStep(policy, exact.of(i)) : steps[i];
  return { ids, status, steps: lastOf, unvisited, exact, billed, patientPaid, referral, order: index.order() };
}

/**
 * Each row's position among `segmentRows` (−1: not a segment), when `segmentRows` are some of `rows` (the same objects)
 * in the same order; undefined when they are not.
 */
function segmentPositions(
  rows: readonly SpecialDiseaseEnrolment[],
  segmentRows: readonly SpecialDiseaseEnrolment[],
): Int32Array | undefined {
  const at = new Int32Array(rows.length).fill(-1);
  let k = 0;
  for (let i = 0; i < rows.length && k < segmentRows.length; i++) if (rows[i] === segmentRows[k]) at[i] = k++;
  return k === segmentRows.length ? at : undefined;
}

/** Paid heads' exact amounts (fen), made from their factors when read (see `evaluateHeadAmounts`). */
interface HeadExacts {
  paid(i: number): boolean;
  of(i: number): Ratio;
  /** Σ of the heads' exact amounts (reduced, as `sumRatios` of them). */
  sum(heads: Iterable<number>): Ratio;
}

/** Exact fen as exact yuan (a step shows yuan). */
const exactFen = (r: Ratio): Ratio => ({ num: r.num, den: r.den * 100n });

/** The last step of a head not counted at year end for want of a visit (R-CAP-5), with what it would have had. */
function unvisitedStep(policy: CapitationPolicy, would: Ratio): TraceStep {
  return step(
    'R-CAP-5',
    policy.yearEndHeads.source,
    UNVISITED_ZH,
    UNVISITED_EN,
    { wouldBe: formatRatio(exactFen(would), 2) },
    yuan(0),
  );
}
const UNVISITED_ZH = '年终按实际就诊人头清算：本段无就诊结算，不计人头';
const UNVISITED_EN = 'Year end counts actual heads: no settled visit in this segment, not counted';

/** The last step of a head not paid, with the reason (R-CAP-3). */
function stopStep(zh: string, en: string, clause: string): TraceStep {
  return step('R-CAP-3', clause, zh, en, {}, yuan(0));
}

/** The first step of a head's whole trace: its enrolment row and its days in the year (R-CAP-3). */
function enrolmentStep(row: SpecialDiseaseEnrolment, seg: HeadSegment, policy: CapitationPolicy): TraceStep {
  return step(
    'R-CAP-3',
    policy.headDefinition.source,
    `定点治疗机构 ${row.treatingInstitution}，病种 ${row.diseaseCode}（${row.diseaseClass} 类门特，${insuranceTypeWord(row.insuranceType, 'zh')}），本年在约 ${seg.days}/${seg.yearDays} 天`,
    `Treating institution ${row.treatingInstitution}, disease ${row.diseaseCode} (class ${row.diseaseClass}, ${insuranceTypeWord(row.insuranceType, 'en')}), ${seg.days}/${seg.yearDays} days of the year`,
    { from: seg.period?.from ?? null, to: seg.period?.to ?? null, days: seg.days, yearDays: seg.yearDays },
    `${seg.days}/${seg.yearDays}`,
  );
}

/**
 * Round once (四(四)1(3)): the region's counted heads' exact total rounded down to the fen, split over
 * institutions by their exact totals, then over each institution's heads (largest remainder, so every level adds
 * up). Each paid head gets a last step with its share of the institution total (its words and values are the
 * institution's: one object each, shared by its heads). The heads' exact amounts are made from their factors when read.
 */
function institutionTotals(
  rows: readonly SpecialDiseaseEnrolment[],
  ids: readonly string[],
  order: ArrayLike<number>,
  exact: HeadExacts,
  policy: CapitationPolicy,
  issued?: ReadonlyMap<string, IssuedSplit>,
): {
  splits: Map<string, IssuedSplit>;
  amounts: Float64Array;
  lastSteps: Map<string, { clause: string; zh: string; en: string; values: Record<string, string> }>;
} {
  // Each institution's paid heads in unit-id order (`order`).
  const byInst = new Map<string, number[]>();
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    if (exact.paid(i)) pushTo(byInst, rows[i]!.treatingInstitution, i);
  }
  const codes = [...byInst.keys()].sort();
  // Without issued splits, the region's exact total is rounded down once and split over the institutions here.
  const instExact = issued ? [] : codes.map((c) => exact.sum(byInst.get(c)!));
  const region = issued ? null : roundOnceAndSplit(instExact, 'floor');
  const splits = new Map<string, IssuedSplit>();
  const amounts = new Float64Array(rows.length);
  const lastSteps = new Map<string, { clause: string; zh: string; en: string; values: Record<string, string> }>();
  codes.forEach((code, c) => {
    const heads = byInst.get(code)!;
    const parts = heads.map((i) => ({ key: ids[i]!, exact: exact.of(i) }));
    let split: IssuedSplit;
    let shares: number[];
    if (region) {
      const total = region.parts[c]!;
      shares = allocateProportionalRatios(
        total,
        parts.map((p) => p.exact),
      );
      split = describeSplit(total, instExact[c]!, parts, shares);
    } else {
      const given = issued?.get(code);
      if (!given) throw new RangeError(`institution ${code} has no issued capitation total / 机构无已下达的人头总额`);
      split = given;
      shares = parts.map((p) => shareOfSplit(given, p.key, p.exact));
    }
    splits.set(code, split);
    const { total } = split;
    lastSteps.set(code, {
      clause: policy.baseRateCorrection.source,
      zh: `机构总额 = 校正费率 × 风险调整后人头数（全区合计向下取整一次，按最大余数分到机构和人头）：本机构 ${yuan(total)} 元，按各人头精确金额的比例分到本人头`,
      en: `Institution total = corrected rate × risk-weighted heads (the region's sum rounded down once, split by largest remainder to institutions and heads): ${yuan(total)} here, split over its heads in proportion to their exact amounts`,
      values: {
        institutionTotal: yuan(total),
        institutionExact: formatRatio({ num: split.exact.num, den: split.exact.den * 100n }, 4),
      },
    });
    heads.forEach((i, k) => {
      amounts[i] = shares[k]!;
    });
  });
  return { splits, amounts, lastSteps };
}

/** Split `total` fen over exact amounts in proportion (largest remainder). */
function allocateProportionalRatios(total: number, parts: readonly Ratio[]): number[] {
  let den = 1n;
  for (const d of new Set(parts.map((p) => p.den))) den = lcm(den, d);
  return allocateProportional(
    total,
    parts.map((p) => p.num * (den / p.den)),
  );
}

function lcm(a: bigint, b: bigint): bigint {
  let x = a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return (a / x) * b;
}

export const capitationMethod: PaymentMethod<SpecialDiseaseEnrolment, CapitationContext> = {
  id: 'capitation',
  zh: '按病种结合人头付费',
  en: 'Capitation by disease',
  evaluate: evaluateCapitation,
};
