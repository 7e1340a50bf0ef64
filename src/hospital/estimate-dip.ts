/**
 * One case under DIP at discharge (DIP 病例预测): the DIP engine groups and scores it exactly as the agency will
 * (src/dip/engine.ts), and this adds what the hospital asks — the path in words, the deviating-case thresholds in
 * money, the standard and expected payment at the published or forecast point value, and the profit or loss.
 *
 * DIP 技术规范 / 002 四(二) (R-DIP-1…5): 病例分值 = 病种分值 × 等级系数 (× 辅助目录系数); cost below lowRatio × the
 * same-level standard → points by cost; above multiple × standard → high-cost points. The standard is base points ×
 * the reference point value (the engine's); the payment is points × the point value the hospital expects.
 */

import { TREATMENT_ZH } from '../grouping/dip/treatment.ts';
import { type InpatientCase, isDeathDischarge } from '../model/case.ts';
import { languagePart } from '../model/explain-labels.ts';
import { type Fen, mulRatio, type Ratio } from '../model/money.ts';
import type { DipCaseResult } from '../payment/dip/engine.ts';
import { costPoints } from '../payment/dip/points.ts';
import { exactValueOfPoints, valueOfPoints } from '../settlement/value.ts';
import { type CaseEstimate, type CasePosition, caseIdentity, type DipHospitalPricing, type PathStep } from './types.ts';

const TREATMENT_EN: Record<string, string> = {
  surgery: 'surgery',
  therapeutic: 'therapeutic procedure',
  diagnostic: 'diagnostic procedure',
  conservative: 'conservative treatment',
};

/** An exact fen ratio × a multiple, rounded half-up once to the fen. */
function moneyOf(exactFen: Ratio, multiple: Ratio): Fen {
  return mulRatio(1, { num: exactFen.num * multiple.num, den: exactFen.den * multiple.den }, 'half-up');
}

function matchStep(r: DipCaseResult, p: DipHospitalPricing, c: InpatientCase): PathStep {
  const g = r.groupIndex >= 0 ? p.engine.catalog.groups[r.groupIndex]! : null;
  const dx = c.diagnoses[0]?.code ?? '';
  const procs = c.procedures.map((x) => x.code).join('+');
  if (!g) {
    return {
      stage: 'match',
      // The grouper keeps its reason as "中文 / English": each language gets its own half.
      zh: `未能入组：${languagePart(r.reason ?? '', 'zh')}`,
      // the grouper names the missing comprehensive group by its code (X99#conservative): in words here
      en: `ungrouped: ${languagePart(r.reason ?? '', 'en').replace(
        /\b([A-Z][0-9A-Z.]*)#(surgery|therapeutic|diagnostic|conservative)\b/g,
        (_m, dx: string, t: string) => `${dx} comprehensive group (${TREATMENT_EN[t]})`,
      )}`,
    };
  }
  const shown = g.procedures.join('+');
  switch (r.match) {
    case 'exact':
      return {
        stage: 'match',
        zh: `主要诊断 ${dx} 与手术操作 ${procs || '（无，保守治疗）'} 同核心病种 ${g.code} 完全一致`,
        en: `principal diagnosis ${dx} with procedures ${procs || '(none, conservative)'} equals core group ${g.code}`,
      };
    case 'most-shared':
      return {
        stage: 'match',
        zh: `无完全一致的核心病种；同一主要诊断下，病例已做的手术操作包含且最多的是 ${shown}（核心病种 ${g.code}）`,
        en: `no exact core group; under the same principal diagnosis, the case's procedures contain most of ${shown} (core group ${g.code})`,
      };
    case 'main-procedure':
      return {
        stage: 'match',
        zh: `同一主要诊断下，含主要手术 ${c.procedures[0]?.code ?? ''} 的核心病种为 ${g.code}`,
        en: `under the same principal diagnosis, the core group with the main procedure ${c.procedures[0]?.code ?? ''} is ${g.code}`,
      };
    default:
      return {
        stage: 'match',
        zh: `未匹配核心病种，按主要诊断类目 ${g.dx} × 治疗方式“${TREATMENT_ZH[g.treatment]}”归入综合病种 ${g.code}`,
        en: `no core group; comprehensive group ${g.code} by the category ${g.dx} and ${TREATMENT_EN[g.treatment]}`,
      };
  }
}

const POSITION: Record<string, CasePosition> = { none: 'normal', low: 'low-cost', high: 'high-cost' };

export function estimateDip(c: InpatientCase, p: DipHospitalPricing): Omit<CaseEstimate, 'prompts' | 'fundBasis'> {
  const e = p.engine;
  const r = e.evaluateCase(c);
  const g = r.groupIndex >= 0 ? e.catalog.groups[r.groupIndex]! : null;
  const path: PathStep[] = [matchStep(r, p, c)];
  const scale = e.coefficients.scale;
  const coef = (v: number) => (v / scale).toFixed(e.coefficients.decimals);
  if (g) {
    path.push({
      stage: 'coefficient',
      zh:
        r.coefficientScope === 'primary-care'
          ? '基层病种：不设等级系数（同城同病同价），系数 1'
          : `${r.coefficientScope === 'institution' ? '本机构系数' : '等级系数'} ${coef(r.institutionCoefficient)}`,
      en:
        r.coefficientScope === 'primary-care'
          ? 'primary-care group: no level coefficient (1)'
          : `${r.coefficientScope === 'institution' ? 'institution coefficient' : 'level coefficient'} ${coef(r.institutionCoefficient)}`,
    });
    if (r.auxSubtype) {
      path.push({
        stage: 'auxiliary',
        zh: `辅助目录亚型 ${r.auxSubtype}，辅助目录系数 ${coef(r.auxCoefficient)}`,
        en: `auxiliary subtype ${r.auxSubtype}, auxiliary coefficient ${coef(r.auxCoefficient)}`,
      });
    }
  }
  const pv = p.pointValue.value;
  const policy = e.policy;
  const grouped = g !== null && r.basePoints > 0;
  const standardRef = grouped ? exactValueOfPoints(r.basePoints, e.referencePointValue) : null;
  const expectedPayment =
    r.status === 'excluded' ? null : r.claim === 'amount' ? r.amount : valueOfPoints(r.points, pv);
  const position: CasePosition =
    r.status === 'excluded' ? 'excluded' : !g ? 'ungrouped' : (POSITION[r.deviation] ?? 'high-cost');
  return {
    ...caseIdentity(c),
    method: 'dip',
    group: r.group,
    groupName: g ? (g.name ?? null) : null,
    path,
    severity: [],
    weight: null,
    score: g ? r.score : null,
    standardPoints: grouped ? r.basePoints : null,
    points: r.claim === 'points' ? r.points : null,
    costPaidPoints:
      r.claim === 'amount' && (r.status === 'low-cost' || r.status === 'ungrouped') && pv.num > 0n
        ? costPoints(r.amount, pv)
        : null,
    standardPayment: grouped ? valueOfPoints(r.basePoints, pv) : null,
    thresholds: standardRef
      ? {
          low: moneyOf(standardRef, policy.lowCost.value.ratio),
          high: moneyOf(standardRef, policy.highCost.value.multiple),
        }
      : null,
    position,
    status: r.status,
    specialReviewCandidate: r.specialCandidate,
    expectedPayment,
    pointValue: p.pointValue,
    cost: c.totalCost,
    patientPaid: r.patientPaid,
    expectedFund: expectedPayment === null ? null : expectedPayment - r.patientPaid,
    profit: expectedPayment === null ? null : expectedPayment - c.totalCost,
    losDays: c.losDays,
    died: isDeathDischarge(c.dischargeWay),
  };
}
