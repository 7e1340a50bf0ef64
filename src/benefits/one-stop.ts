/**
 * One-stop settlement of one bill (一站式服务、一单制结算, R-BEN-4) over the basic fund, critical-illness insurance,
 * medical assistance and the patient, with the deductible, the fund payment ratio by fund × service type × level and
 * the annual cap (R-BEN-1), the deductible counted continuously for referrals inside a medical community (R-BEN-2)
 * and the exclusions taken out before anything else (R-BEN-3).
 *
 * 鲁医保发〔2024〕39号 三(一): "对县域医共体内符合规定的转诊转院住院参保患者简化手续，可连续计算起付线。"
 * 省深化医疗保障制度改革实施意见（seed 003）(八): "强化基本医疗保险、大病保险与医疗救助三重保障功能"；(二十二): "一单制结算"。
 * 资府办函〔2018〕52号 二(五): "公共卫生费用、与疾病治疗无直接关系的体育健身或养生保健消费等，不得纳入医保支付范围。"
 *
 * Rounding rule: the basic fund's part is (in-scope − deductible) × ratio, half-up once per bill; critical illness
 * and assistance round half-up once per band segment of the bill; the patient's part is the remainder, so the four
 * parts add up to the bill's total exactly.
 */
import type { TraceStep } from '../model/explain.ts';
import { type Fen, fenToYuan, formatRatio, mulRatio, type Ratio, ratio } from '../model/money.ts';
import type { BenefitsPolicy, BenefitYearState, BillContext, BillScope, OneStopResult } from './types.ts';

const yuan = fenToYuan;
const pct = (r: Ratio) => `${formatRatio(ratio(r.num * 100n, r.den), 2)}%`;

export interface BandSegment {
  from: Fen;
  to: Fen;
  share: Ratio;
  paid: Fen;
}

/**
 * Pay `added` on top of `prior` (both accumulated this year) by bands above an annual `threshold`: only the part
 * above the threshold counts; band edges `upTo` are amounts above the threshold (the last band may be open).
 */
export function payAboveThreshold(
  prior: Fen,
  added: Fen,
  threshold: Fen,
  bands: readonly { upTo?: Fen; share: Ratio }[],
): { paid: Fen; segments: BandSegment[] } {
  const start = Math.max(0, prior - threshold);
  const end = Math.max(0, prior + added - threshold);
  const segments: BandSegment[] = [];
  let lo = 0;
  for (const b of bands) {
    const hi = b.upTo ?? Number.MAX_SAFE_INTEGER;
    const from = Math.max(start, lo);
    const to = Math.min(end, hi);
    if (to > from) segments.push({ from, to, share: b.share, paid: mulRatio(to - from, b.share, 'half-up') });
    lo = hi;
    if (lo >= end) break;
  }
  return { paid: segments.reduce((s, x) => s + x.paid, 0), segments };
}

/** Split one bill over the four payers, given what the person has used this year. */
export function settleBill(
  bill: BillScope,
  ctx: BillContext,
  year: BenefitYearState,
  policy: BenefitsPolicy,
): OneStopResult {
  if (bill.ownPay + bill.classBSelfPay + bill.inScope !== bill.total)
    throw new RangeError(
      `bill parts ${bill.ownPay} + ${bill.classBSelfPay} + ${bill.inScope} do not add up to ${bill.total}`,
    );
  const steps: TraceStep[] = [];
  steps.push({
    rule: 'R-BEN-3',
    clause: bill.excluded.map((e) => e.source).join('; ') || undefined,
    zh: '费用分段：自费（丙类及不予支付的项目）、乙类先行自付、政策范围内费用',
    en: 'bill by scope: own pay (class C and excluded services), class-B self-pay, in-scope',
    values: {
      医疗费用总额: yuan(bill.total),
      自费: yuan(bill.ownPay),
      ...Object.fromEntries(bill.excluded.map((e) => [`其中不予支付：${e.zh}`, yuan(e.amount)])),
      乙类先行自付: yuan(bill.classBSelfPay),
    },
    result: yuan(bill.inScope),
  });

  // Deductible (起付线), continued along a referral chain inside a community.
  const fullDeductible = policy.deductible.value[ctx.fund][ctx.service][ctx.level];
  const basis = policy.deductibleBasis.value[ctx.service];
  let due = fullDeductible;
  let dedNote = { zh: '按次起付线', en: 'per-admission deductible' };
  if (basis === 'per-year') {
    due = Math.max(0, fullDeductible - year.outpatientDeductiblePaid);
    dedNote = { zh: '年度起付线减本年已付', en: 'annual deductible less what was paid this year' };
  }
  if (ctx.referral) {
    if (policy.referralDeductible.value === 'waived') {
      due = 0;
      dedNote = { zh: '医共体内转诊：不再另付起付线', en: 'referral inside the community: no second deductible' };
    } else {
      due = Math.max(0, due - ctx.referral.chainDeductiblePaid);
      dedNote = {
        zh: '医共体内转诊，连续计算起付线：只补足转入机构起付线与已付起付线之差',
        en: 'referral inside the community, deductible counted continuously: only the difference is due',
      };
    }
  }
  const deductible = Math.min(due, bill.inScope);
  steps.push({
    rule: ctx.referral ? 'R-BEN-2' : 'R-BEN-1',
    clause: ctx.referral ? policy.referralDeductible.source : policy.deductible.source,
    zh: dedNote.zh,
    en: dedNote.en,
    values: {
      起付线: yuan(fullDeductible),
      ...(ctx.referral ? { 转诊链已付起付线: yuan(ctx.referral.chainDeductiblePaid) } : {}),
      ...(basis === 'per-year' ? { 本年已付起付线: yuan(year.outpatientDeductiblePaid) } : {}),
    },
    result: yuan(deductible),
  });

  // Basic fund: (in-scope − deductible) × ratio, within the annual cap.
  const fundRatio = policy.fundRatio.value[ctx.fund][ctx.service][ctx.level];
  const byRatio = mulRatio(bill.inScope - deductible, fundRatio, 'half-up');
  const capLeft = Math.max(0, policy.annualCap.value[ctx.fund] - year.basicFundPaid);
  const basicFund = Math.min(byRatio, capLeft);
  steps.push({
    rule: 'R-BEN-1',
    clause: `${policy.fundRatio.source}; ${policy.annualCap.source}`,
    zh: '基本医保统筹支付 = (政策范围内费用 − 起付线) × 支付比例，不超过年度最高支付限额余额',
    en: 'basic fund = (in-scope − deductible) × ratio, within what is left of the annual cap',
    values: { 支付比例: pct(fundRatio), 按比例: yuan(byRatio), 年度限额余额: yuan(capLeft) },
    result: yuan(basicFund),
  });

  // Critical-illness insurance on the in-scope amount the patient still bears, above the annual threshold.
  const ciPolicy = policy.criticalIllness.value[ctx.fund];
  const ciAdded = bill.inScope - basicFund;
  const ci = payAboveThreshold(year.criticalIllnessBase, ciAdded, ciPolicy.threshold, ciPolicy.bands);
  const ciCapLeft = Math.max(0, ciPolicy.annualCap - year.criticalIllnessPaid);
  const criticalIllness = Math.min(ci.paid, ciCapLeft);
  steps.push({
    rule: 'R-BEN-4',
    clause: policy.criticalIllness.source,
    zh: '大病保险：政策范围内个人负担累计超过起付标准的部分按分段比例支付，不超过年度限额',
    en: 'critical-illness insurance: in-scope self-pay accumulated above the threshold, by bands, within the cap',
    values: {
      本次政策范围内个人负担: yuan(ciAdded),
      本年此前累计: yuan(year.criticalIllnessBase),
      起付标准: yuan(ciPolicy.threshold),
      ...Object.fromEntries(
        ci.segments.map((s, k) => [`分段${k + 1} ${yuan(s.from)}–${yuan(s.to)} × ${pct(s.share)}`, yuan(s.paid)]),
      ),
      年度限额余额: yuan(ciCapLeft),
    },
    result: yuan(criticalIllness),
  });

  // Medical assistance on what is left of the in-scope self-pay, for an assisted person.
  const cat = ctx.assistanceCategory
    ? policy.medicalAssistance.value.find((c) => c.category === ctx.assistanceCategory)
    : undefined;
  if (ctx.assistanceCategory && !cat)
    throw new RangeError(`unknown medical-assistance category "${ctx.assistanceCategory}"`);
  const maAdded = ciAdded - criticalIllness;
  let assistance = 0;
  if (cat) {
    const ma = payAboveThreshold(year.assistanceBase, maAdded, cat.threshold, [{ share: cat.share }]);
    const maCapLeft = Math.max(0, cat.annualCap - year.assistancePaid);
    assistance = Math.min(ma.paid, maCapLeft);
    steps.push({
      rule: 'R-BEN-4',
      clause: policy.medicalAssistance.source,
      zh: `医疗救助（${cat.zh}）：大病保险后政策范围内个人负担 × 救助比例，不超过年度限额`,
      en: `medical assistance (${cat.en ?? cat.category}): in-scope self-pay after critical illness × share, within the cap`,
      values: {
        救助基数: yuan(maAdded),
        起付标准: yuan(cat.threshold),
        救助比例: pct(cat.share),
        年度限额余额: yuan(maCapLeft),
      },
      result: yuan(assistance),
    });
  }
  const patient = bill.total - basicFund - criticalIllness - assistance;
  const patientInScope = bill.inScope - basicFund - criticalIllness - assistance;
  steps.push({
    rule: 'R-BEN-4',
    clause: policy.criticalIllness.source,
    zh: '个人负担 = 医疗费用总额 − 基本医保 − 大病保险 − 医疗救助（一单制结算）',
    en: 'patient = total − basic fund − critical illness − assistance (one bill)',
    values: {
      基本医保: yuan(basicFund),
      大病保险: yuan(criticalIllness),
      医疗救助: yuan(assistance),
    },
    result: yuan(patient),
  });
  const state: BenefitYearState = {
    basicFundPaid: year.basicFundPaid + basicFund,
    outpatientDeductiblePaid: year.outpatientDeductiblePaid + (basis === 'per-year' ? deductible : 0),
    criticalIllnessBase: year.criticalIllnessBase + ciAdded,
    criticalIllnessPaid: year.criticalIllnessPaid + criticalIllness,
    assistanceBase: year.assistanceBase + (cat ? maAdded : 0),
    assistancePaid: year.assistancePaid + assistance,
  };
  return { deductible, basicFund, criticalIllness, assistance, patient, patientInScope, state, steps };
}
