/**
 * The special-review queue (特例单议) with its cap counted region-wide.
 *
 * DIP 技术规范: "特例单议……申请病例数量原则上不超过统筹地区 DIP 出院总病例数的 5‰……按月或按季度组织专家评审，评审通过的病例
 * 按项目付费或调整支付标准". 002 四(二): "对于综合病种、异常高值的病例，可通过病例单议、专家评审等方式确定病种分值". (R-DIP-3)
 *
 * Candidates are high-cost cases above `specialReview.multiple` × standard. The cap is floor(N × capPerMille ÷ 1000)
 * with N the DIP cases of the period (not excluded); the most deviating candidates (cost ÷ standard, ties by
 * setl_id) are queued, the rest stay high-cost cases. A queued case keeps its high-cost points until the panel
 * decides: approved → by items or at the points it sets; rejected → high-cost. By items, as the policy's
 * `specialReviewByItems` reads it: `points-at-cost` (default) = points by its cost, cost ÷ the reference point value
 * (002 四(二) 通过病例单议、专家评审等方式确定病种分值), or `items` = a fixed amount equal to its cost, paid from the pool's
 * fund before the points (DIP 技术规范 评审通过的病例按项目付费).
 */
import type { Ratio } from '../../model/money.ts';
import type { Points } from '../../model/points.ts';
import { formatRatioShort } from '../../settlement/point-value.ts';
import type { DipCaseResult } from './engine.ts';
import { costPoints } from './points.ts';
import type { DipPolicy } from './policy.ts';

export interface SpecialReviewDecision {
  setlId: string;
  approved: boolean;
  /** For an approved case: pay by items (its cost), or at the points the panel set. */
  payment?: { kind: 'items' } | { kind: 'points'; points: Points };
  /** The panel's decision document. */
  source: string;
}

/** Mark the queue in place; returns the cap and the queued count. */
export function selectSpecialReview(
  results: DipCaseResult[],
  policy: DipPolicy,
  decisions: ReadonlyMap<string, SpecialReviewDecision> | undefined,
  referenceValue: Ratio,
): { cap: number; queued: number; candidates: number } {
  let dip = 0;
  const candidates: DipCaseResult[] = [];
  for (const r of results) {
    if (r.status !== 'excluded') dip++;
    if (r.specialCandidate) candidates.push(r);
  }
  return selectSpecialReviewAmong(candidates, dip, policy, decisions, referenceValue);
}

/**
 * The same queue from the candidates alone and the count of DIP cases of the period (not excluded): a year that
 * streams through the engine keeps only its candidates (few) until its end, then marks them here, in place.
 */
export function selectSpecialReviewAmong(
  candidates: DipCaseResult[],
  dip: number,
  policy: DipPolicy,
  decisions: ReadonlyMap<string, SpecialReviewDecision> | undefined,
  referenceValue: Ratio,
): { cap: number; queued: number; candidates: number } {
  const cap = specialReviewCap(dip, policy);
  // Most deviating first: cost_a / std_a > cost_b / std_b ⇔ cost_a × std_b > cost_b × std_a, with std the case's
  // standard — its group mean cost (an exact ratio) or, in points, its base points (the reference value cancels).
  const std = (r: DipCaseResult) =>
    r.standard ?? { num: BigInt(r.basePoints) * referenceValue.num, den: referenceValue.den * 10_000n };
  candidates.sort((a, b) => {
    const sa = std(a);
    const sb = std(b);
    const l = BigInt(a.cost) * sb.num * sa.den;
    const r = BigInt(b.cost) * sa.num * sb.den;
    if (l !== r) return l > r ? -1 : 1;
    return a.setlId < b.setlId ? -1 : a.setlId > b.setlId ? 1 : 0;
  });
  let queued = 0;
  for (const r of candidates) {
    if (queued >= cap) {
      r.reason = aboveCapReason(dip, policy);
      continue;
    }
    queued++;
    applySpecialReview(r, decisions?.get(r.setlId), policy, referenceValue);
  }
  return { cap, queued, candidates: candidates.length };
}

/** The cap of the queue: floor(DIP cases of the period × capPerMille ÷ 1000). */
export function specialReviewCap(dipCases: number, policy: DipPolicy): number {
  const sr = policy.specialReview.value;
  return Number((BigInt(dipCases) * sr.capPerMille.num) / (sr.capPerMille.den * 1000n));
}

/**
 * Why a candidate above the cap stays a high-cost case. The clause is the step's own (specialReview.source), shown
 * beside the text: inside the text it read twice in a statement's 计算依据.
 */
export function aboveCapReason(dipCases: number, policy: DipPolicy): string {
  const cap = specialReviewCap(dipCases, policy);
  const perMille = formatRatioShort(policy.specialReview.value.capPerMille);
  // How the cap came about: a small region's 0 read as a mistake ("超过特例单议上限 0 例").
  return `超过特例单议上限 ${cap} 例（${dipCases} 例 DIP 病例 × ${perMille}‰，向下取整），按高倍率病例计分 / above the special-review cap of ${cap} ${cap === 1 ? 'case' : 'cases'} (${dipCases} DIP ${dipCases === 1 ? 'case' : 'cases'} × ${perMille}‰, rounded down): scored as a high-cost case`;
}

/**
 * A queued case (特例单议) and the panel's decision, if any (002 四(二) 可通过病例单议、专家评审等方式确定病种分值):
 * none yet → high-cost points meanwhile; rejected → a high-cost case; approved → paid by items (its cost as a fixed
 * amount) or at the points the panel set. In place; also used to explain one case of a run with the decision the
 * run applied.
 */
export function applySpecialReview(
  r: DipCaseResult,
  d: SpecialReviewDecision | undefined,
  policy: DipPolicy,
  referenceValue: Ratio,
): void {
  r.status = 'special-review';
  r.deviation = 'special-review';
  if (!d) {
    r.reason = '待特例单议评审，暂按高倍率病例计分 / queued for special review, high-cost points meanwhile';
    return;
  }
  if (!d.approved) {
    r.status = 'high-cost';
    r.deviation = 'high';
    r.reason = `特例单议未通过（${d.source}），按高倍率病例计分 / special review rejected (${d.source}): scored as a high-cost case`;
  } else if (d.payment?.kind === 'points') {
    r.points = d.payment.points;
    r.reason = `特例单议通过（${d.source}），按评审点数计分 / special review approved (${d.source}): scored at the panel's points`;
  } else if (policy.specialReviewByItems.value === 'points-at-cost') {
    r.points = costPoints(r.cost, referenceValue);
    r.reason = `特例单议通过（${d.source}），按项目费用折算点数（费用 ÷ 参考点值，${policy.specialReviewByItems.source}） / special review approved (${d.source}): fee-for-service cost converted to points (cost ÷ reference point value)`;
  } else {
    r.claim = 'amount';
    r.amount = r.cost;
    r.points = 0;
    r.reason = `特例单议通过（${d.source}），按项目付费（${policy.specialReviewByItems.source}） / special review approved (${d.source}): paid by items`;
  }
}
