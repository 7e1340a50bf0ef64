/**
 * Fee-for-service payment policy (按项目付费, R-PAY-FFS, R-BEN-3): the self-pay share of catalog class 乙 items,
 * and the lists of services that the fund never pays (public health, fitness and wellness consumption).
 *
 * 资府办函〔2018〕52号 二(五): "对不宜打包付费的复杂病例和门诊费用，可按项目付费。……公共卫生费用、与疾病治疗无直接关系的
 * 体育健身或养生保健消费等，不得纳入医保支付范围。"
 */
import { z } from 'zod';
import type { PolicyKind } from '../kind.ts';
import { param, paramOr, zEnName, zShare } from '../values.ts';

const override = z.object({ itemCodePrefix: z.string().min(1), share: zShare }).strict();

const exclusion = z
  .object({
    /** `public-health` 公共卫生费用; `wellness` 体育健身、养生保健消费. */
    reason: z.enum(['public-health', 'wellness']),
    zh: z.string().min(1),
    /** The exclusion's name in English, shown in en output (else its zh). */
    en: zEnName.optional(),
    /** 医保目录编码 prefixes. */
    itemCodePrefixes: z.array(z.string().min(1)),
    /** 收费类别 codes (e.g. "14" 其他费). */
    chargeCategories: z.array(z.string().min(1)),
  })
  .strict();

const values = z
  .object({
    /** How a unit paid by items is priced: Σ unit price × quantity, each item rounded half-up to the fen. */
    itemBilling: paramOr(
      z.enum(['price-times-quantity']),
      'price-times-quantity',
      'yibao default: 按项目付费 = Σ 单价 × 数量 (cite the region’s fee-for-service clause)',
    ),
    /** 乙类先行自付比例: the patient pays this share of a class 乙 item before the fund's scope. */
    classBSelfPayShare: param(zShare),
    /** Item-specific self-pay shares for class 乙 (the longest matching prefix wins). */
    classBSelfPayOverrides: param(z.array(override)),
    /** Services outside the fund's scope whatever their catalog class. */
    exclusions: param(z.array(exclusion)),
  })
  .strict();

export const ffsKind: PolicyKind<typeof values> = {
  kind: 'ffs',
  zh: '按项目付费',
  en: 'Fee-for-service payment',
  values,
  example: `itemBilling: { value: price-times-quantity, source: "资府办函〔2018〕52号 二(五) 对不宜打包付费的复杂病例和门诊费用，可按项目付费" }
classBSelfPayShare: { value: 0.1, source: "本地基本医保待遇办法 乙类先行自付" }
classBSelfPayOverrides: { value: [{ itemCodePrefix: "C", share: 0.2 }], source: "本地目录 乙类耗材自付比例" }
exclusions: { value: [{ reason: wellness, zh: 养生保健, itemCodePrefixes: ["WELL"], chargeCategories: [] }], source: "资府办函〔2018〕52号 二(五)" }`,
};
