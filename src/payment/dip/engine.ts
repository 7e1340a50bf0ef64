/**
 * The DIP engine for current-year cases: group → score → coefficients → deviating cases → special review → points.
 * Pure: cases and the resolved policy in, compact per-case results out (sorted by setl_id, independent of input
 * order). `toUnitResults` turns them into the shared `UnitResult`s for the settlement layer.
 *
 * 002 四(二): "实现住院病例全覆盖……对于综合病种、异常高值的病例，可通过病例单议、专家评审等方式确定病种分值。对于异常低值的病例，
 * 按实际费用确定病种分值。对于精神类、康复类及安宁疗护等住院时间较长的病例使用床日付费". (R-DIP-1…5)
 */

import { type Catalog, ratioFromText } from '../../grouping/dip/catalog.ts';
import { DipGrouper, type GroupMatch, type MatchStep } from '../../grouping/dip/grouper.ts';
import type { ProcedureClassifier } from '../../grouping/dip/treatment.ts';
import type { InpatientCase } from '../../model/case.ts';
import type { Institution } from '../../model/institution.ts';
import { METHOD_EN, METHOD_ZH } from '../../model/method-names.ts';
import { divRound, type Fen, parseDecimal, type Ratio, ratioToNumber } from '../../model/money.ts';
import type { Points } from '../../model/points.ts';
import type { MethodId, UnitResult } from '../../model/unit-result.ts';
import { auxiliarySubtypes } from './auxiliary.ts';
import { type CoefficientTable, coefficientTable, institutionCoefficient, toScaled } from './coefficients.ts';
import { DipError } from './errors.ts';
import { basePoints, compareWithStandard, costPoints, highCostPointsFor, StandardComparator } from './points.ts';
import type { DipPolicy } from './policy.ts';
import { type SpecialReviewDecision, selectSpecialReview } from './special-review.ts';

export type Deviation = 'none' | 'low' | 'high' | 'special-review';

/** Everything that decided one case's points; the explanation is rebuilt from it on demand. */
export interface DipCaseResult {
  setlId: string;
  institutionCode: string;
  /** Discharge month YYYY-MM. */
  month: string;
  status: UnitResult['status'];
  match: MatchStep | 'excluded';
  /** Index into catalog.groups, −1 when none. */
  groupIndex: number;
  group: string | null;
  score: Points;
  /** Institution coefficient as an integer of 1/coefScale; `coefficientScope` says where it came from. */
  institutionCoefficient: number;
  coefficientScope: 'institution' | 'level' | 'primary-care' | 'none';
  /** The highest auxiliary subtype met (null = none) and its coefficient (integer of 1/coefScale). */
  auxSubtype: string | null;
  auxCoefficient: number;
  /** Auxiliary subtypes the case meets (whether or not triggered in its group). */
  subtypes: string[];
  basePoints: Points;
  deviation: Deviation;
  /** The high-cost case is above the special-review bound (queued or not, see `status`). */
  specialCandidate: boolean;
  claim: 'points' | 'amount';
  points: Points;
  /**
   * Fixed amount (fen, medical-cost terms): a special-review case approved for payment by items, or a low-cost /
   * ungrouped case paid its cost (`costPaidCases: year-end`).
   */
  amount: Fen;
  /**
   * The standard cost the case was measured against when it is the previous year's same-level group mean cost
   * (`deviationStandard: group-mean-cost`), exact fen; null = the same-level payment standard (base × reference).
   */
  standard: Ratio | null;
  cost: Fen;
  fundPay: Fen;
  patientPaid: Fen;
  reason?: string;
}

export interface DipEvaluation {
  /** One result per case, sorted by setl_id. */
  results: DipCaseResult[];
  /** The special-review queue: its cap, how many were queued and how many were above the bound. */
  specialReview: { cap: number; queued: number; candidates: number };
}

export interface DipEngineOptions {
  catalog: Catalog;
  policy: DipPolicy;
  institutions: readonly Institution[];
  /**
   * Fen per point for deviating cases; default: the policy's `referencePointValue` when it states a number, else
   * the catalog's.
   */
  referencePointValue?: Ratio;
  /**
   * The previous year's mean total cost (fen, exact) per group × institution level, keyed `groupMeanKey(group,
   * level)`: the deviating-case standard under `deviationStandard: group-mean-cost` (see `groupLevelMeans`).
   */
  groupMeans?: ReadonlyMap<string, Ratio>;
  classify?: ProcedureClassifier;
}

/**
 * What the engine reads of a case: a settlement-list case, or the few fields of a row of typed columns. Only the
 * month of `dischargeTime` is read (a `YYYY-MM` text will do).
 */
export type DipCaseInput = Pick<
  InpatientCase,
  | 'setlId'
  | 'institutionCode'
  | 'dischargeTime'
  | 'totalCost'
  | 'fundPay'
  | 'diagnoses'
  | 'procedures'
  | 'ageYears'
  | 'ageDays'
  | 'icuDays'
  | 'dischargeWay'
>;

export const groupMeanKey = (group: string, level: string): string => `${group}|${level}`;

export interface EvaluateOptions {
  /** Units paid by another method (setl_id → method), e.g. per-bed-day cases: status `excluded`. */
  paidByOtherMethod?: ReadonlyMap<string, MethodId>;
  /** Decisions of the special-review panel (特例单议) by setl_id. */
  decisions?: ReadonlyMap<string, SpecialReviewDecision>;
}

/** The policy's reference point value (元/点 → fen per point) when it states a number. */
export function policyReferencePointValue(policy: DipPolicy): Ratio | null {
  const v = policy.referencePointValue.value;
  return v === 'opening' ? null : { num: v.num * 100n, den: v.den };
}

function catalogReferencePointValue(catalog: Catalog): Ratio | null {
  return catalog.referencePointValue ? ratioFromText(catalog.referencePointValue) : null;
}

export class DipEngine {
  readonly catalog: Catalog;
  readonly policy: DipPolicy;
  readonly grouper: DipGrouper;
  readonly coefficients: CoefficientTable;
  readonly referencePointValue: Ratio;
  readonly institutions: ReadonlyMap<string, Institution>;
  private readonly comparator: StandardComparator;
  /** Institution code → its coefficient (null = unknown institution), filled on first sight. */
  private readonly instCoef = new Map<
    string,
    { inst: Institution; value: number; scope: 'institution' | 'level' } | null
  >();
  /** Per group: subtype → coefficient (scaled); undefined when the group has none. */
  private readonly auxByGroup: (Map<string, number> | undefined)[];
  private readonly lowF: number;
  private readonly groupMeans: ReadonlyMap<string, Ratio> | null;
  private readonly payCost: boolean;
  private readonly highF: number;
  private readonly specialF: number;

  constructor(o: DipEngineOptions) {
    this.catalog = o.catalog;
    this.policy = o.policy;
    this.grouper = new DipGrouper(o.catalog, o.classify, o.policy.coreMatch.value);
    this.coefficients = coefficientTable(o.policy, o.catalog);
    const rpv = o.referencePointValue ?? policyReferencePointValue(o.policy) ?? catalogReferencePointValue(o.catalog);
    if (!rpv || rpv.num <= 0n) {
      throw new DipError(
        'NO_REFERENCE_POINT_VALUE',
        `缺少参考点值（元/点），无法判定偏差病例：请在 DIP 政策中写 referencePointValue（如 { value: 10.5, source: "…" }），或使用带参考点值的病种目录，或给出历史年度病例由 yibao 测算年初点值（${o.policy.referencePointValue.source}）`,
        `no reference point value (yuan per point) to measure deviating cases: state referencePointValue in the DIP policy (e.g. { value: 10.5, source: "…" }), use a catalog that carries one, or give history cases so yibao calibrates the opening value (${o.policy.referencePointValue.source})`,
      );
    }
    this.referencePointValue = rpv;
    this.groupMeans = o.policy.deviationStandard.value === 'group-mean-cost' ? (o.groupMeans ?? new Map()) : null;
    this.payCost = o.policy.costPaidCases.value === 'year-end';
    this.comparator = new StandardComparator(rpv);
    this.institutions = new Map(o.institutions.map((i) => [i.code, i] as const));
    const d = this.coefficients.decimals;
    this.auxByGroup = o.catalog.groups.map((g) =>
      g.auxiliary.length === 0
        ? undefined
        : new Map(g.auxiliary.map((a) => [a.subtype, toScaled(parseDecimal(a.coefficient), d, a.subtype)] as const)),
    );
    this.lowF = ratioToNumber(o.policy.lowCost.value.ratio);
    this.highF = ratioToNumber(o.policy.highCost.value.multiple);
    this.specialF = ratioToNumber(o.policy.specialReview.value.multiple);
  }

  /**
   * Evaluate one case on its own (no special-review queue: that needs the whole period). `grouped` is the case's
   * `grouper.group` when the caller already knows it — the group reads the diagnoses and procedures only, so a
   * columnar reader groups once per distinct (diagnosis list, procedure list) pair and passes it here.
   */
  evaluateCase(c: DipCaseInput, opts: EvaluateOptions = {}, grouped?: GroupMatch): DipCaseResult {
    const fundPay = c.fundPay;
    const base: DipCaseResult = {
      setlId: c.setlId,
      institutionCode: c.institutionCode,
      month: c.dischargeTime.slice(0, 7),
      status: 'paid',
      match: 'none',
      groupIndex: -1,
      group: null,
      score: 0,
      institutionCoefficient: 0,
      coefficientScope: 'none',
      auxSubtype: null,
      auxCoefficient: this.coefficients.scale,
      subtypes: [],
      basePoints: 0,
      deviation: 'none',
      specialCandidate: false,
      claim: 'points',
      points: 0,
      amount: 0,
      standard: null,
      cost: c.totalCost,
      fundPay,
      patientPaid: Math.max(0, Math.min(c.totalCost, c.totalCost - fundPay)),
    };
    const other = opts.paidByOtherMethod?.get(c.setlId);
    if (other) {
      base.status = 'excluded';
      base.match = 'excluded';
      base.reason = `由${METHOD_ZH[other]}结算（R-DIP-4） / paid by ${METHOD_EN[other]}`;
      return base;
    }
    let ic = this.instCoef.get(c.institutionCode);
    if (ic === undefined) {
      const found = this.institutions.get(c.institutionCode);
      ic = found ? { inst: found, ...institutionCoefficient(this.coefficients, found) } : null;
      this.instCoef.set(c.institutionCode, ic);
    }
    if (!ic) {
      throw new DipError(
        'UNKNOWN_INSTITUTION',
        `医疗机构 ${c.institutionCode} 不在机构名录中`,
        `institution ${c.institutionCode} is not in the institution list`,
        c.setlId,
      );
    }
    let m = grouped;
    if (m === undefined) {
      const index = this.grouper.groupIndex(c);
      m = index >= 0 ? { index, step: this.grouper.lastStep } : this.grouper.group(c);
    }
    base.match = m.step;
    if (m.index < 0) {
      base.status = 'ungrouped';
      base.reason = m.reason;
      const rule = this.policy.ungrouped.value;
      if (rule.method === 'discounted') {
        if (this.payCost) {
          base.claim = 'amount';
          base.amount = Number(divRound(BigInt(c.totalCost) * rule.ratio.num, rule.ratio.den, 'half-up'));
        } else {
          const full = costPoints(c.totalCost, this.referencePointValue);
          base.points = Number(divRound(BigInt(full) * rule.ratio.num, rule.ratio.den, 'half-up'));
        }
      }
      return base;
    }
    const g = this.catalog.groups[m.index]!;
    base.groupIndex = m.index;
    base.group = g.code;
    base.score = g.score;
    const scale = this.coefficients.scale;
    if (g.primaryCare) {
      base.institutionCoefficient = scale;
      base.coefficientScope = 'primary-care';
    } else {
      base.institutionCoefficient = ic.value;
      base.coefficientScope = ic.scope;
    }
    const auxMap = this.auxByGroup[m.index];
    if (auxMap) {
      base.subtypes = auxiliarySubtypes(c, this.policy.auxiliary.value);
      for (const st of base.subtypes) {
        const v = auxMap.get(st);
        if (v !== undefined && v > base.auxCoefficient) {
          base.auxCoefficient = v;
          base.auxSubtype = st;
        }
      }
    }
    const bp = basePoints(g.score, base.institutionCoefficient, base.auxCoefficient, scale);
    base.basePoints = bp;
    base.points = bp;
    if (bp <= 0) return base;
    const cost = c.totalCost;
    const p = this.policy;
    const mean = this.groupMeans?.get(groupMeanKey(g.code, ic.inst.level));
    if (mean && mean.num > 0n) base.standard = mean;
    // A method, not a closure made per case: tsx's keepNames wraps every closure it makes (issue 9: 1M cases).
    const withMean = mean && mean.num > 0n ? mean : undefined;
    if (this.compareCost(cost, bp, withMean, p.lowCost.value.ratio, this.lowF) < 0) {
      base.deviation = 'low';
      base.status = 'low-cost';
      if (this.payCost) {
        base.claim = 'amount';
        base.amount = cost;
        base.points = 0;
      } else base.points = costPoints(cost, this.referencePointValue);
    } else if (this.compareCost(cost, bp, withMean, p.highCost.value.multiple, this.highF) > 0) {
      base.deviation = 'high';
      base.status = 'high-cost';
      const standard = base.standard ?? this.comparator.standard(bp);
      let points = highCostPointsFor(cost, bp, standard, p.highCost.value.multiple, p.highCost.value.excessRate);
      const cap = p.highCost.value.maxPointsMultiple;
      if (cap) {
        const max = Number(divRound(BigInt(bp) * cap.num, cap.den, 'half-up'));
        if (points > max) points = max;
      }
      base.points = points;
      base.specialCandidate = this.compareCost(cost, bp, withMean, p.specialReview.value.multiple, this.specialF) > 0;
    }
    return base;
  }

  /** A case's cost against `multiple` × its standard: the group × level mean when there is one, else its points'. */
  private compareCost(cost: number, bp: number, mean: Ratio | undefined, multiple: Ratio, f: number): number {
    return mean ? compareWithStandard(cost, mean, multiple) : this.comparator.compare(cost, bp, multiple, f);
  }

  /**
   * Evaluate a period's cases (a month or a year of the region): each case, then the special-review queue with its
   * ‰ cap counted region-wide over these cases. Results sorted by setl_id.
   */
  evaluate(cases: readonly DipCaseInput[], opts: EvaluateOptions = {}): DipEvaluation {
    const out = new Array<DipCaseResult>(cases.length);
    for (let i = 0; i < cases.length; i++) out[i] = this.evaluateCase(cases[i]!, opts);
    // Stores read cases ordered by setl_id: skip the sort when they already are.
    let sorted = true;
    for (let i = 1; i < out.length && sorted; i++) if (!(out[i - 1]!.setlId <= out[i]!.setlId)) sorted = false;
    if (!sorted) out.sort((a, b) => (a.setlId < b.setlId ? -1 : a.setlId > b.setlId ? 1 : 0));
    for (let i = 1; i < out.length; i++) {
      if (out[i]!.setlId === out[i - 1]!.setlId) {
        throw new DipError('DUPLICATE_CASE', `结算ID ${out[i]!.setlId} 重复`, `duplicate setl_id ${out[i]!.setlId}`);
      }
    }
    const specialReview = selectSpecialReview(out, this.policy, opts.decisions, this.referencePointValue);
    return { results: out, specialReview };
  }
}
