/**
 * The region's payment-method mix (多元复合式医保支付方式组合): which case method pays inpatient cases that are
 * not paid per bed-day or by a single-disease standard. A region moves from DIP to DRG (or back) by changing this
 * value in its policy file (R-PAY-DIP, R-PAY-DRG; seed 000 §3, seed 002 二).
 */
import { z } from 'zod';
import type { PolicyKind } from '../kind.ts';
import { param } from '../values.ts';

const values = z
  .object({
    /** DIP 按病种分值付费 or CHS-DRG 按疾病诊断相关分组付费 for inpatient cases. */
    inpatientCaseMethod: param(z.enum(['dip', 'drg'])),
  })
  .strict();

export const paymentMixKind: PolicyKind<typeof values> = {
  kind: 'payment-mix',
  zh: '支付方式组合',
  en: 'Payment-method mix',
  values,
  example: `inpatientCaseMethod: { value: dip, source: "内蒙古 DIP 工作方案 二 实现住院病例全覆盖" }`,
};
