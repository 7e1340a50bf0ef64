/**
 * Explanation of one DIP case (`yibao explain case ID`): the group matched and why, the score, the coefficients,
 * the deviating-case rule, the points and, when a point value is given, the payment. JSON-able. (R-DIP-1…5)
 *
 * 002 前言: "持续推进医保支付方式改革……提高医疗服务透明度"; 四(五): "使医疗行为可量化、可比较".
 */

import { TREATMENT_ZH } from '../../grouping/dip/treatment.ts';
import type { Explanation, TraceStep } from '../../model/explain.ts';
import { fenToYuan, mulRatio, type Ratio, ratio } from '../../model/money.ts';
import { formatPoints } from '../../model/points.ts';
import { formatRatioShort } from '../../settlement/point-value.ts';
import { formatPointValue, valueOfPoints } from '../../settlement/value.ts';
import { subtypesText } from './auxiliary.ts';
import type { DipCaseResult, DipEngine } from './engine.ts';

const MATCH_ZH: Record<string, string> = {
  exact: '主要诊断亚目 + 全部手术操作 与核心病种完全一致',
  'most-shared': '同一主要诊断下，手术操作包含且最多的核心病种',
  'main-procedure': '同一主要诊断下，包含主要手术的核心病种',
  comprehensive: '未匹配核心病种，按主要诊断类目 × 治疗方式 归入综合病种',
  none: '未能入组',
  excluded: '不按 DIP 结算',
};

const MATCH_EN: Record<string, string> = {
  exact: 'a core group with the same principal diagnosis and all its procedures',
  'most-shared': 'the core group of the principal diagnosis sharing the most procedures',
  'main-procedure': 'the core group of the principal diagnosis with the main procedure',
  comprehensive: 'no core group matched: the comprehensive group of the diagnosis category and treatment type',
  none: 'ungrouped',
  excluded: 'not settled by DIP',
};

/** A reason kept as "中文 / English": the part in the language asked for (the whole text when it has one part). */
export function reasonIn(reason: string | undefined, lang: 'zh' | 'en'): string {
  if (!reason) return '';
  const i = reason.lastIndexOf(' / ');
  if (i < 0) return reason;
  return lang === 'zh' ? reason.slice(0, i) : reason.slice(i + 3);
}

/** The trace of one case result (without payment): what `UnitResult.explanation` carries. */
export function caseSteps(r: DipCaseResult, engine: DipEngine): TraceStep[] {
  const p = engine.policy;
  const cat = engine.catalog;
  const scale = engine.coefficients.scale;
  const coef = (v: number) => (v / scale).toFixed(engine.coefficients.decimals);
  const steps: TraceStep[] = [];
  if (r.status === 'excluded') {
    steps.push({
      rule: 'R-DIP-4',
      clause: '002 四(二)',
      zh: `不按 DIP 计分：${reasonIn(r.reason, 'zh')}`,
      en: `not scored by DIP: ${reasonIn(r.reason, 'en')}`,
      result: 0,
    });
    return steps;
  }
  const g = r.groupIndex >= 0 ? cat.groups[r.groupIndex]! : null;
  steps.push({
    rule: 'R-DIP-1',
    clause: `${p.coreGroupThreshold.source}；目录 ${cat.id} ${cat.version}`,
    zh: `入组：${MATCH_ZH[r.match] ?? r.match}`,
    en: `grouping: ${MATCH_EN[r.match] ?? r.match}`,
    values: {
      匹配步骤: r.match,
      病种: r.group ?? '—',
      病种类型: g ? (g.kind === 'core' ? '核心病种' : `综合病种（${TREATMENT_ZH[g.treatment]}）`) : '—',
      ...(g && g.kind === 'core' ? { 病种手术操作: g.procedures.join('+') || '保守治疗' } : {}),
    },
    result: r.group ?? r.reason ?? 'ungrouped',
  });
  if (!g) {
    steps.push(ungroupedStep(r, engine));
    return steps;
  }
  steps.push({
    rule: 'R-DIP-2',
    clause: p.scoreBasis.source,
    zh: '病种分值 = 病种加权次均费用 ÷ 基准费用 × 分值基准',
    en: 'group score = weighted group mean cost ÷ reference cost × score scale',
    values: {
      病种次均费用: fenToYuan(g.meanCost),
      基准费用: cat.basisMeanCost === null ? '—' : fenToYuan(cat.basisMeanCost),
      分值基准: cat.scale,
      历史病例数: g.cases,
    },
    result: formatPoints(g.score),
  });
  steps.push({
    rule: 'R-DIP-5',
    clause: r.coefficientScope === 'primary-care' ? p.primaryCareGroups.source : engine.coefficients.source,
    zh:
      r.coefficientScope === 'primary-care'
        ? '基层病种不设医院等级系数（同城同病同价）'
        : r.coefficientScope === 'institution'
          ? '医疗机构系数（本机构）'
          : '医院等级系数（按机构级别）',
    en:
      r.coefficientScope === 'primary-care'
        ? 'primary-care group: no level coefficient (same price for the same disease in the city)'
        : r.coefficientScope === 'institution'
          ? 'institution coefficient (this institution)'
          : "level coefficient (by the institution's level)",
    values: {
      医疗机构: r.institutionCode,
      级别: engine.institutions.get(r.institutionCode)?.level ?? '',
    },
    result: coef(r.institutionCoefficient),
  });
  if (g.auxiliary.length > 0) {
    steps.push({
      rule: 'R-DIP-5',
      clause: p.auxiliary.source,
      zh: '辅助目录系数：病例满足的亚型中取最高系数，不满足取 1',
      en: 'auxiliary coefficient: the highest of the triggered subtypes met, else 1',
      values: {
        // Both languages (`中文 / English`), shown in the reader's: en read 年龄 ≥65岁 (the policy's bands have `en`).
        满足的亚型: subtypesText(
          r.subtypes.map((s) => ({ subtype: s })),
          p.auxiliary.value,
        ),
        本病种已启用亚型: subtypesText(
          g.auxiliary.map((a) => ({ subtype: a.subtype, suffix: `=${a.coefficient}` })),
          p.auxiliary.value,
        ),
      },
      result: coef(r.auxCoefficient),
    });
  }
  steps.push({
    rule: 'R-DIP-5',
    clause: p.coefficientDecimals.source,
    zh: '基础点数 = 病种分值 × 医院等级系数 × 辅助目录系数（四舍五入到 0.0001 点）',
    en: 'base points = group score × level coefficient × auxiliary coefficient (half-up to 0.0001)',
    values: {
      病种分值: formatPoints(r.score),
      等级系数: coef(r.institutionCoefficient),
      辅助系数: coef(r.auxCoefficient),
    },
    result: formatPoints(r.basePoints),
  });
  const rpv = engine.referencePointValue;
  const standard = r.standard ? mulRatio(1, r.standard, 'half-up') : valueOfPoints(r.basePoints, rpv);
  const dev: TraceStep = {
    rule: 'R-DIP-3',
    clause: '',
    zh: '',
    en: '',
    values: {
      医疗总费用: fenToYuan(r.cost),
      参考点值: formatPointValue(rpv),
      ...(r.standard
        ? // The standard as the policy's value (in words when shown); its source is a clause, cited with the step's.
          { 上一年度同级别病种次均费用: fenToYuan(standard), 偏差判定标准: p.deviationStandard.value }
        : { '同级别标准费用(基础点数×参考点值)': fenToYuan(standard) }),
      费用倍率: standard > 0 ? (r.cost / standard).toFixed(4) : '—',
      低倍界值: formatRatioShort(p.lowCost.value.ratio),
      高倍界值: formatRatioShort(p.highCost.value.multiple),
      特例单议界值: formatRatioShort(p.specialReview.value.multiple),
    },
    result: formatPoints(r.points),
  };
  Object.assign(dev, deviationWords(r, engine));
  if (r.deviation === 'low' && r.claim === 'amount') dev.result = fenToYuan(r.amount);
  if (r.deviation === 'high') {
    dev.values!.超出部分比例 = formatRatioShort(p.highCost.value.excessRate);
    if (p.highCost.value.maxPointsMultiple)
      dev.values!.极高病例点数上限倍数 = formatRatioShort(p.highCost.value.maxPointsMultiple);
  }
  steps.push(dev);
  const special = specialReviewStep(r, engine);
  if (special) steps.push(special);
  return steps;
}

/**
 * The words and clause of a grouped case's deviating-case step (R-DIP-3): normal, low-cost, high-cost or special
 * review. The same words end the full trace (`caseSteps`) and make the basis a run stores (`basisStep`).
 */
function deviationWords(r: DipCaseResult, engine: DipEngine): { clause: string; zh: string; en: string } {
  const p = engine.policy;
  let w: { clause: string; zh: string; en: string };
  switch (r.deviation) {
    case 'none':
      w = {
        clause: joinClauses(p.lowCost.source, p.highCost.source),
        zh: '费用在正常区间，病例点数 = 基础点数',
        en: 'cost within the normal range: points = base points',
      };
      break;
    case 'low':
      // A case claiming its cost as an amount beside the points (0 points): valued at the year-end point value it is
      // worth exactly its cost, so the pool pays it cost × fund payment ratio like the fixed amounts.
      w =
        r.claim === 'amount'
          ? {
              clause: joinClauses(p.lowCost.source, p.costPaidCases.source),
              zh: '低倍率病例：按实际费用支付（以医疗总费用计入定额结算金额，不计点数；按年度点值折算即为实际费用）',
              en: 'low-cost case: paid its actual cost (claimed as an amount beside the points, no points; at the year-end point value it is worth exactly its cost)',
            }
          : {
              clause: p.lowCost.source,
              zh: '低倍率病例：病例点数 = 医疗总费用 ÷ 参考点值（按实际费用）',
              en: 'low-cost case: points = cost ÷ reference point value (its actual cost)',
            };
      break;
    case 'high':
      w = {
        clause: p.highCost.source,
        zh: '高倍率病例：病例点数 = 基础点数 × ((费用 ÷ 标准费用 − 高倍界值) × 超出部分比例 + 1)',
        en: 'high-cost case: points = base × ((cost ÷ standard − multiple) × excess rate + 1)',
      };
      if (p.highCost.value.maxPointsMultiple) {
        w.zh += '，且不超过基础点数 × 上限倍数';
        w.en += ', at most base × the cap multiple';
      }
      break;
    default:
      w = { clause: p.specialReview.source, zh: '特例单议病例', en: 'special-review case' };
  }
  if (r.standard) w.clause = joinClauses(p.deviationStandard.source, w.clause);
  return w;
}

/**
 * Policy sources cited together, each once: a source's parts (split at '；') already cited by an earlier one are left
 * out — the demo's lowCost and costPaidCases both begin "002 四(二) 对于异常低值的病例…", which a low-cost case's basis
 * quoted twice (walk6). Sources without a shared part read as before: `a; b`.
 */
export function joinClauses(...sources: string[]): string {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const source of sources) {
    const parts = source.split('；').filter((part) => {
      const key = part.trim();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    if (parts.length > 0) kept.push(parts.join('；'));
  }
  return kept.join('; ');
}

/** What a grouped case's base points are, by where its coefficient comes from (R-DIP-5). */
const BASE_POINTS_WORDS: Record<DipCaseResult['coefficientScope'], { zh: string; en: string }> = {
  level: {
    zh: '病种分值 × 医院等级系数 × 辅助目录系数',
    en: 'group score × level coefficient × auxiliary coefficient',
  },
  institution: {
    zh: '病种分值 × 医疗机构系数 × 辅助目录系数',
    en: 'group score × institution coefficient × auxiliary coefficient',
  },
  'primary-care': {
    zh: '病种分值 × 辅助目录系数（基层病种不设医院等级系数）',
    en: 'group score × auxiliary coefficient (primary-care group: no level coefficient)',
  },
  none: { zh: '病种分值 × 辅助目录系数', en: 'group score × auxiliary coefficient' },
};

/** Basis steps already made, per engine: a run stores one per case and they repeat (a few kinds per policy). */
const BASIS_MEMO = new WeakMap<DipEngine, Map<string, TraceStep>>();

/**
 * The basis of a grouped case as a run stores it (the per-case sheet's 计算依据; R-DIP-3, R-DIP-5): its deviating-case
 * step in words, with how its base points are made, without the figures the full trace (`explain case`) shows.
 * Ungrouped and special-review cases have their own steps (`ungroupedStep`, `specialReviewStep`).
 */
export function basisStep(r: DipCaseResult, engine: DipEngine): TraceStep {
  const key = `${r.deviation}|${r.claim}|${r.standard ? 1 : 0}|${r.coefficientScope}`;
  let memo = BASIS_MEMO.get(engine);
  if (!memo) {
    memo = new Map();
    BASIS_MEMO.set(engine, memo);
  }
  const hit = memo.get(key);
  if (hit) return hit;
  const base = BASE_POINTS_WORDS[r.coefficientScope];
  const p = engine.policy;
  let step: TraceStep;
  if (r.deviation === 'none') {
    // A normal case's points are its base points: the clause is the coefficient's (the score × coefficient rule).
    step = {
      rule: 'R-DIP-5',
      clause: r.coefficientScope === 'primary-care' ? p.primaryCareGroups.source : engine.coefficients.source,
      zh: `费用在正常区间：病例点数 = ${base.zh}`,
      en: `cost within the normal range: points = ${base.en}`,
    };
  } else {
    const w = deviationWords(r, engine);
    const paidByCost = r.deviation === 'low' && r.claim === 'amount';
    step = {
      rule: 'R-DIP-3',
      clause: w.clause,
      zh: paidByCost ? w.zh : `${w.zh}；基础点数 = ${base.zh}`,
      en: paidByCost ? w.en : `${w.en}; base points = ${base.en}`,
    };
  }
  Object.freeze(step);
  memo.set(key, step);
  return step;
}

/**
 * The step of an ungrouped case (R-DIP-1, 未入组): how the local rule scores it and why no group fits. With
 * `withReason`, the basis a run stores for such a case in its statements (the per-case sheet's 计算依据), which
 * then says why on its own.
 */
export function ungroupedStep(r: DipCaseResult, engine: DipEngine, withReason = false): TraceStep {
  const p = engine.policy;
  const rule = p.ungrouped.value;
  // In a full trace the grouping step before it gives the reason; as a basis alone the step says it itself.
  const why = withReason ? { zh: reasonIn(r.reason, 'zh'), en: reasonIn(r.reason, 'en') } : { zh: '', en: '' };
  return {
    rule: 'R-DIP-1',
    clause: p.ungrouped.source,
    zh: `${
      rule.method === 'unpaid'
        ? '未入组病例：按本地规则暂不计分，待核查'
        : r.claim === 'amount'
          ? `未入组病例：按实际费用 × ${formatRatioShort(rule.ratio)} 支付（点数按年度点值折算，${p.costPaidCases.source}）`
          : `未入组病例：按实际费用 ÷ 参考点值 × ${formatRatioShort(rule.ratio)} 计分`
    }${why.zh ? `（${why.zh}）` : ''}`,
    en: `${
      rule.method === 'unpaid'
        ? 'ungrouped case: no points until reviewed (local rule)'
        : r.claim === 'amount'
          ? `ungrouped case: paid its cost × ${formatRatioShort(rule.ratio)} (points solved at the year-end point value)`
          : `ungrouped case: points = cost ÷ reference point value × ${formatRatioShort(rule.ratio)}`
    }${why.en ? ` (${why.en})` : ''}`,
    values: {
      原因: r.reason ?? '',
      医疗总费用: fenToYuan(r.cost),
      参考点值: formatPointValue(engine.referencePointValue),
    },
    result: r.claim === 'amount' ? fenToYuan(r.amount) : formatPoints(r.points),
  };
}

/**
 * The special-review step of a case above the special-review bound (特例单议): queued or not, the panel's decision and
 * its document, and how the case is paid. Also the basis a run stores for such a case in its statements.
 */
export function specialReviewStep(r: DipCaseResult, engine: DipEngine): TraceStep | undefined {
  if (!r.specialCandidate && r.deviation !== 'special-review') return undefined;
  const p = engine.policy;
  return {
    rule: 'R-DIP-3',
    clause: p.specialReview.source,
    zh: `特例单议：${reasonIn(r.reason, 'zh')}`,
    en: `special review: ${reasonIn(r.reason, 'en')}`,
    values: {
      状态: r.status,
      结算方式: r.claim === 'amount' ? 'items' : 'points',
      医疗总费用: fenToYuan(r.cost),
      参考点值: formatPointValue(engine.referencePointValue),
    },
    result: r.claim === 'amount' ? fenToYuan(r.amount) : formatPoints(r.points),
  };
}

/**
 * The full explanation of a case. With `pointValue` (fen per point) the last step is the case's points value at the
 * settlement's point value (points × point value, half-up to the fen); with `fundPaymentRatio` too, it is the fund's
 * part of it (× fund payment ratio), named as such: the case's settled amount (病例结算金额, the institution's amount
 * split to the fen) is a stored run's, explained after it (run/explain-run.ts), and may differ from the half-up
 * points value by a fen.
 */
export function explainCase(
  r: DipCaseResult,
  engine: DipEngine,
  payment?: { pointValue: Ratio; fundPaymentRatio?: Ratio; source: string },
): Explanation {
  const steps = caseSteps(r, engine);
  if (payment && r.status !== 'excluded') {
    const value = r.claim === 'amount' ? r.amount : valueOfPoints(r.points, payment.pointValue);
    const fpr = payment.fundPaymentRatio ?? ratio(1n);
    // A case paid its actual cost claims an amount, not points: its payment is that amount (no "0 points × value").
    if (r.claim === 'amount') {
      steps.push({
        rule: 'R-DIP-6',
        clause: payment.source,
        ...(payment.fundPaymentRatio
          ? {
              zh: '本病例的基金支付部分 = 定额金额（按实际费用）× 基金支付比例',
              en: 'the fund’s part of this case = its fixed amount (its actual cost) × fund payment ratio',
            }
          : { zh: '病例支付 = 按实际费用的定额金额', en: 'case payment = the amount of its actual cost' }),
        values: {
          定额金额: fenToYuan(value),
          ...(payment.fundPaymentRatio ? { 基金支付比例: formatRatioShort(fpr) } : {}),
        },
        result: fenToYuan(payment.fundPaymentRatio ? mulRatio(value, fpr, 'half-up') : value),
      });
      return { subject: `case ${r.setlId} (${r.institutionCode}, ${r.month})`, steps };
    }
    steps.push({
      rule: 'R-DIP-6',
      clause: payment.source,
      ...(payment.fundPaymentRatio
        ? {
            zh: '本病例的基金支付部分 = 点数金额 × 基金支付比例（点数金额 = 病例点数 × 点值，四舍五入到分）',
            en: 'the fund’s part of this case = points value × fund payment ratio (points value = points × point value, rounded half-up to the fen)',
          }
        : {
            zh: '点数金额 = 病例点数 × 点值（四舍五入到分）',
            en: 'points value = points × point value (rounded half-up to the fen)',
          }),
      values: {
        病例点数: formatPoints(r.points),
        点值: formatPointValue(payment.pointValue),
        ...(payment.fundPaymentRatio ? { 点数金额: fenToYuan(value), 基金支付比例: formatRatioShort(fpr) } : {}),
      },
      result: fenToYuan(payment.fundPaymentRatio ? mulRatio(value, fpr, 'half-up') : value),
    });
  }
  return { subject: `case ${r.setlId} (${r.institutionCode}, ${r.month})`, steps };
}
