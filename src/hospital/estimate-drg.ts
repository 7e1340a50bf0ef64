/**
 * One case under CHS-DRG at discharge (DRG 病例预分组与预测): the kernel groups it with its trace (why this MDC,
 * ADRG and DRG; which secondary diagnoses counted as MCC/CC and which the principal's exclusion table removed), and
 * the pricing the agency uses (src/payment/drg/price.ts) gives the claim. This adds the thresholds in money, the
 * standard and expected payment and the profit or loss.
 *
 * CHS-DRG (R-PAY-DRG): 支付标准 = RW × 费率 × 等级系数 (point method: 点数 = RW × 100 × 等级系数, valued at the point
 * value); cost below lowRatio × the DRG mean → low-cost; above the RW tier's multiple × the DRG mean → high-cost.
 */
import { drgInputFromCase, groupCase } from '../grouping/drg/index.ts';
import { DRG_STATUS_TEXT } from '../grouping/drg/status.ts';
import type { DrgTrace } from '../grouping/drg/trace.ts';
import { type InpatientCase, isDeathDischarge } from '../model/case.ts';
import { languagePart } from '../model/explain-labels.ts';
import type { InstitutionLevel } from '../model/institution.ts';
import { mulRatio, mulRatios, type Ratio, ratio } from '../model/money.ts';
import { toPoints } from '../model/points.ts';
import { claimAmount } from '../model/unit-result.ts';
import { ungroupedAtOf } from '../payment/drg/cases.ts';
import { highMultiple, priceDrgCase } from '../payment/drg/price.ts';
import { valueOfPoints } from '../settlement/value.ts';
import {
  type CaseEstimate,
  type CasePosition,
  caseIdentity,
  type DrgHospitalPricing,
  HospitalError,
  type PathStep,
  type SeverityNote,
} from './types.ts';

const SPLIT: Record<string, { zh: string; en: string }> = {
  always: { zh: '不区分并发症', en: 'not split by complications' },
  mcc: { zh: '按是否伴严重并发症或合并症（MCC）细分', en: 'split by MCC' },
  mccOrCc: { zh: '按是否伴严重（MCC）或一般（CC）并发症或合并症细分', en: 'split by MCC or CC' },
};

/** At most three items, then how many more. */
function shortList(items: readonly string[]): string {
  return items.length <= 3 ? items.join('、') : `${items.slice(0, 3).join('、')} 等 ${items.length} 个`;
}

/** The trace in words: codes the scheme does not know, failed input checks, MDC, ADRG, MCC/CC, DRG. */
export function drgPath(trace: DrgTrace): { path: PathStep[]; severity: SeverityNote[] } {
  const path: PathStep[] = [];
  const severity: SeverityNote[] = [];
  for (const n of trace.codeNotes) {
    const zhKind = n.kind === 'diagnosis' ? '诊断' : '手术操作';
    path.push({
      stage: 'code',
      zh: `${zhKind}编码 ${n.code}（第 ${n.position} 个）不在 ${trace.scheme} ${trace.version} 编码表中，不参与分组`,
      en: `${n.kind} code ${n.code} (position ${n.position}) is not in ${trace.scheme} ${trace.version} and takes no part in grouping`,
    });
  }
  const notEntered: string[] = [];
  const adrgTried: string[] = [];
  for (const s of trace.steps) {
    switch (s.step) {
      case 'inputCheck':
        if (s.triggered)
          path.push({
            stage: 'input',
            zh: `信息校验不通过：${languagePart(s.label, 'zh')}`,
            en: `input check failed: ${languagePart(s.label, 'en')}`,
          });
        break;
      case 'mdc':
        if (!s.entered) {
          notEntered.push(s.mdc);
          break;
        }
        path.push({
          stage: 'mdc',
          zh: `进入 ${s.mdc} ${s.name}${notEntered.length ? `（此前未进入：${notEntered.join('、')}）` : ''}`,
          en: `entered ${s.mdc} ${s.name}${notEntered.length ? ` (not entered before: ${notEntered.join(', ')})` : ''}`,
        });
        notEntered.length = 0;
        adrgTried.length = 0;
        break;
      case 'ambiguity':
        if (s.hit)
          path.push({
            stage: 'adrg',
            zh: `${s.mdc} 歧义病例：手术室手术与主要诊断无关`,
            en: `${s.mdc} ambiguous case: OR procedure unrelated to the principal diagnosis`,
          });
        break;
      case 'adrg':
        if (!s.matched) {
          adrgTried.push(`${s.adrg}${s.unmetTerm ? `（${s.unmetTerm.zh}不满足）` : ''}`);
          break;
        }
        path.push({
          stage: 'adrg',
          zh: `入 ADRG ${s.adrg} ${s.name}：${s.ruleLabel || '入组条件满足'}${adrgTried.length ? `；此前未满足：${shortList(adrgTried)}` : ''}`,
          en: `ADRG ${s.adrg} ${s.name}: rule met${adrgTried.length ? `; not met before: ${adrgTried.length} ADRG(s)` : ''}`,
        });
        adrgTried.length = 0;
        break;
      case 'secondary': {
        severity.push({
          position: s.position,
          code: s.code,
          name: s.name,
          list: s.list,
          counted: s.counted,
          excludedBy: s.counted ? null : s.principalTable,
        });
        path.push({
          stage: 'severity',
          zh: s.counted
            ? `第 ${s.position} 诊断 ${s.code} ${s.name} 为 ${s.list}，计入`
            : `第 ${s.position} 诊断 ${s.code} ${s.name} 为 ${s.list}，但与主要诊断同属排除表 ${s.principalTable}，被排除`,
          en: s.counted
            ? `diagnosis ${s.position} ${s.code} is a ${s.list} and counts`
            : `diagnosis ${s.position} ${s.code} is a ${s.list} but is excluded by the principal diagnosis's table ${s.principalTable}`,
        });
        break;
      }
      case 'drg':
        if (s.held) {
          const split = SPLIT[s.split] ?? { zh: s.split, en: s.split };
          path.push({
            stage: 'drg',
            zh: `入组 ${s.drg} ${s.name}（${split.zh}）`,
            en: `DRG ${s.drg} ${s.name} (${split.en})`,
          });
        }
        break;
    }
  }
  if (notEntered.length > 0) {
    path.push({
      stage: 'mdc',
      zh: `未进入或未在其中入组的 MDC：${notEntered.join('、')}`,
      en: `MDCs not entered or without a matching ADRG: ${notEntered.join(', ')}`,
    });
  }
  return { path, severity };
}

function heldDrgName(trace: DrgTrace): string | null {
  for (const s of trace.steps) if (s.step === 'drg' && s.held) return s.name || null;
  return null;
}

const POSITION: Record<string, CasePosition> = {
  paid: 'normal',
  'low-cost': 'low-cost',
  'high-cost': 'high-cost',
  fallback: 'ungrouped',
  ungrouped: 'ungrouped',
};

export function estimateDrg(
  c: InpatientCase,
  p: DrgHospitalPricing,
  level: InstitutionLevel | undefined,
): Omit<CaseEstimate, 'prompts' | 'fundBasis'> {
  if (!level) {
    throw new HospitalError(
      'UNKNOWN_INSTITUTION',
      `医疗机构 ${c.institutionCode} 不在公布参数的机构名单中（需要其级别）`,
      `institution ${c.institutionCode} is not in the published institution list (its level is needed)`,
    );
  }
  const g = groupCase(p.kernel, drgInputFromCase(c), { trace: true });
  const { path, severity } = drgPath(g.trace!);
  const text = DRG_STATUS_TEXT[g.status];
  const grouped = g.status === 'SUCCESS' ? g.drg : null;
  if (!grouped) path.push({ stage: 'result', zh: `结果：${text.zh}`, en: `result: ${text.en}` });
  const patientPaid = Math.max(0, Math.min(c.totalCost, c.totalCost - c.fundPay));
  const result = priceDrgCase(
    {
      setlId: c.setlId,
      institutionCode: c.institutionCode,
      level,
      insuranceType: c.insuranceType,
      month: c.dischargeTime.slice(0, 7),
      drg: grouped,
      groupStatus: g.status,
      ...(ungroupedAtOf(g) ? { ungroupedAt: ungroupedAtOf(g)! } : {}),
      ...(c.department ? { department: c.department } : {}),
      losDays: c.losDays,
      died: isDeathDischarge(c.dischargeWay),
      cost: c.totalCost,
      patientPaid,
    },
    p.table,
    p.pricing,
  );
  const w = grouped ? p.table.weights.get(grouped) : undefined;
  if (grouped && !w) {
    path.push({
      stage: 'result',
      zh: `${grouped} 不在公布的权重表中：按未入组规则处理`,
      en: `${grouped} is not in the published weights: treated as ungrouped`,
    });
  }
  const pr = p.pricing;
  const coef = pr.levelCoefficients[level];
  const pv = p.pointValue?.value ?? null;
  let standardPoints: number | null = null;
  let standardPayment: number | null = null;
  if (w) {
    if (pr.mode === 'amount') {
      standardPayment = mulRatio(pr.baseRate![c.insuranceType], mulRatios(w.rw, coef));
    } else {
      standardPoints = toPoints(mulRatios(w.rw, mulRatios(ratio(pr.pointsPerRw), coef)));
      standardPayment = pv ? valueOfPoints(standardPoints, pv) : null;
    }
  }
  const claim = result.claim;
  // A high-cost case under `excessInPointPool: amount` claims its standard in points and the excess as fixed money.
  const expectedPayment =
    claim.kind === 'amount' ? claim.amount : pv ? valueOfPoints(claim.points, pv) + claimAmount(claim) : null;
  const rw: Ratio | null = w ? w.rw : null;
  return {
    ...caseIdentity(c),
    method: 'drg',
    group: grouped,
    groupName: grouped ? heldDrgName(g.trace!) : null,
    path,
    severity,
    weight: rw,
    score: null,
    standardPoints,
    points: claim.kind === 'points' ? claim.points : null,
    costPaidPoints: null,
    standardPayment,
    thresholds: w
      ? { low: mulRatio(w.meanCost, pr.lowRatio), high: mulRatio(w.meanCost, highMultiple(w.rw, pr.highTiers)) }
      : null,
    position: POSITION[result.status] ?? 'ungrouped',
    status: result.status,
    specialReviewCandidate: false,
    expectedPayment,
    pointValue: p.pointValue,
    cost: c.totalCost,
    patientPaid,
    expectedFund: expectedPayment === null ? null : expectedPayment - patientPaid,
    profit: expectedPayment === null ? null : expectedPayment - c.totalCost,
    losDays: c.losDays,
    died: isDeathDischarge(c.dischargeWay),
  };
}
