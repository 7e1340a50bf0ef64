/**
 * Eligibility of a county medical community for the global budget (R-MC-1).
 *
 * 鲁医保发〔2024〕39号 二(一): "对经医共体管委会评估达到“六统一”……的县域医共体，实行医保基金总额付费。……提交总额付费申请，
 * 经联合会审后报设区市医保、财政、卫生健康部门共同确定后实施。县域医共体牵头医院代表全体成员单位与医保经办机构签订服务协议。"
 *
 * A community that is not eligible on the first day of the settlement period is settled member by member by the
 * usual methods, and the reasons are shown.
 */
import type { TraceStep } from '../model/explain.ts';
import type { MedicalCommunity } from '../policy/kinds/medical-community.ts';

export interface EligibilityReason {
  code:
    | 'six-unification-failed'
    | 'no-application'
    | 'joint-review-missing'
    | 'joint-review-failed'
    | 'not-approved'
    | 'approved-later'
    | 'no-agreement'
    | 'agreement-not-by-lead';
  zh: string;
  en: string;
}

export interface Eligibility {
  communityId: string;
  eligible: boolean;
  /** Why not (empty when eligible). */
  reasons: EligibilityReason[];
  steps: TraceStep[];
}

const ITEM_ZH: Record<string, string> = {
  personnel: '人事管理',
  finance: '财务管理',
  assets: '资产管理',
  operations: '业务管理',
  'drug-catalog': '药品耗材目录',
  'drug-distribution': '药品耗材配送',
};

/** Is the community paid by one global budget from `periodStart` (YYYY-MM-DD)? `source` is the registry's clause. */
export function communityEligibility(c: MedicalCommunity, periodStart: string, source: string): Eligibility {
  const reasons: EligibilityReason[] = [];
  const failed = c.assessment.items.filter((i) => !i.passed).map((i) => i.item);
  if (failed.length > 0)
    reasons.push({
      code: 'six-unification-failed',
      zh: `“六统一”评估未达到：${failed.map((f) => ITEM_ZH[f] ?? f).join('、')}`,
      en: `six-unification assessment not met: ${failed.join(', ')}`,
    });
  if (!c.application)
    reasons.push({ code: 'no-application', zh: '未提交总额付费申请', en: 'no application for the global budget' });
  if (!c.jointReview)
    reasons.push({ code: 'joint-review-missing', zh: '未经县级联合会审', en: 'no county joint review' });
  else if (!c.jointReview.passed)
    reasons.push({ code: 'joint-review-failed', zh: '县级联合会审未通过', en: 'the county joint review did not pass' });
  if (!c.approval)
    reasons.push({ code: 'not-approved', zh: '未经设区市共同确定', en: 'not approved by the city departments' });
  else if (c.approval.effectiveFrom > periodStart)
    reasons.push({
      code: 'approved-later',
      zh: `总额付费自 ${c.approval.effectiveFrom} 起实施，晚于清算期开始日 ${periodStart}`,
      en: `the global budget starts ${c.approval.effectiveFrom}, after the period start ${periodStart}`,
    });
  if (!c.agreement)
    reasons.push({ code: 'no-agreement', zh: '牵头医院未签订服务协议', en: 'no service agreement signed by the lead' });
  else if (c.agreement.signedBy !== c.lead)
    reasons.push({
      code: 'agreement-not-by-lead',
      zh: `服务协议由 ${c.agreement.signedBy} 签订，不是牵头医院 ${c.lead}`,
      en: `the agreement was signed by ${c.agreement.signedBy}, not the lead hospital ${c.lead}`,
    });
  const eligible = reasons.length === 0;
  const steps: TraceStep[] = [
    {
      rule: 'R-MC-1',
      clause: source,
      zh: eligible
        ? `${c.name}：“六统一”评估达到、申请经联合会审和设区市确定、牵头医院签订协议，实行总额付费`
        : `${c.name}：不实行总额付费，成员单位按各自支付方式分别结算（${reasons.map((r) => r.zh).join('；')}）`,
      en: eligible
        ? `${c.id}: six unifications met, application reviewed and approved, agreement signed by the lead: global budget`
        : `${c.id}: no global budget; members are settled one by one (${reasons.map((r) => r.en).join('; ')})`,
      values: {
        评估日期: c.assessment.date,
        申请日期: c.application?.date ?? null,
        会审日期: c.jointReview?.date ?? null,
        确定日期: c.approval?.date ?? null,
        实施日期: c.approval?.effectiveFrom ?? null,
        协议签订: c.agreement ? `${c.agreement.signedBy} ${c.agreement.signedOn}` : null,
      },
      result: eligible,
    },
  ];
  return { communityId: c.id, eligible, reasons, steps };
}
