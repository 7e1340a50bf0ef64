/**
 * Capitation by disease with risk adjustment (按病种结合人头付费, R-PAY-CAP, R-CAP-1…6), as in Panzhihua's trial
 * rules for class-2 outpatient special diseases (seed 004), with the family-doctor contract fee.
 *
 * 攀枝花医保 二类门特按病种结合人头付费试行办法 一: "医保经办机构根据一定时期内定点医疗机构二类门特服务人数和病种费用，按照
 * 二类门特统筹基金预算总控额度确定的每个病种统筹基金支付标准向定点医疗机构支付费用的一种支付方式。"
 */
import { z } from 'zod';
import type { PolicyKind } from '../kind.ts';
import { param, paramOr, zNonNegRatio, zPositiveInt, zShare, zYuan } from '../values.ts';

/**
 * Surplus-retention / overspend-sharing bands (结余留用、超支分担): `upTo` is the band's upper edge as a share of the
 * target, ascending; only the last band may be open. Same shape as `SharingBands` in src/settlement/sharing.ts, so
 * medical-community policies can reuse this schema.
 */
export const zSharingBands = z
  .object({
    surplus: z.array(z.object({ upTo: zNonNegRatio.optional(), institutionShare: zShare }).strict()).min(1),
    overspend: z.array(z.object({ upTo: zNonNegRatio.optional(), fundShare: zShare }).strict()).min(1),
  })
  .strict()
  .superRefine((b, ctx) => {
    for (const side of ['surplus', 'overspend'] as const) {
      const list = b[side] as { upTo?: { num: bigint; den: bigint } }[];
      list.forEach((band, i) => {
        if (!band.upTo && i < list.length - 1)
          ctx.addIssue({
            code: 'custom',
            path: [side, i, 'upTo'],
            message: 'only the last band may be open (no upTo)',
          });
        const prev = list[i - 1]?.upTo;
        if (band.upTo && prev && band.upTo.num * prev.den <= prev.num * band.upTo.den)
          ctx.addIssue({ code: 'custom', path: [side, i, 'upTo'], message: 'band edges must increase' });
      });
    }
  });

const cell = z.object({ age65: z.boolean(), class1: z.boolean(), weight: zNonNegRatio }).strict();

const zMonthDay = z
  .string()
  .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { message: 'expected MM-DD, e.g. "06-30"' });

const values = z
  .object({
    /** 纳入按人头付费的门特类别 (2 = 二类门特); rows of other classes only count as risk factors. */
    capitatedDiseaseClass: param(z.union([z.literal(1), z.literal(2)])),
    /**
     * Share of the fund's annual spending budget set aside as the cap (四(三)1), one for both funds or one per fund;
     * null when the cap is an amount (`capAmount`, or given with the annual budget).
     */
    capShareOfBudget: param(
      z.union([zShare, z.object({ employee: zShare.nullable(), resident: zShare.nullable() }).strict()]).nullable(),
    ),
    /** The cap as an amount per fund (元), when the annual budget fixes it; null when a share or the run gives it. */
    capAmount: paramOr(
      z.object({ employee: zYuan.nullable(), resident: zYuan.nullable() }).strict().nullable(),
      null,
      'yibao default: no cap amount in the policy (四(三)1 leaves the amount to the annual budget)',
    ),
    /** Per-head standard from history = (统筹支付 [+ 门诊调增费用]) ÷ 结算人数. */
    standardBasis: param(z.object({ includeOutpatientAdjustment: z.boolean() }).strict()),
    /** Age at or above which a head is in the older risk cell (年龄 65 岁及以上). */
    riskAgeThreshold: param(zPositiveInt),
    /** The day on which age is taken. */
    riskAgeAsOf: param(z.enum(['year-start', 'year-end', 'segment-start'])),
    /** Risk weights by cell (age ≥ threshold × class-1 special disease): calibrated from history, or a table. */
    riskWeights: param(
      z.discriminatedUnion('method', [
        z.object({ method: z.literal('calibrate') }).strict(),
        z.object({ method: z.literal('table'), cells: z.array(cell).length(4) }).strict(),
      ]),
    ),
    /**
     * 校正的基准病种人头费率: `fill-cap` scales the history standards so the risk-adjusted total of the enrolled heads
     * equals the cap; `not-above-cap` scales them down only when they would exceed it.
     */
    baseRateCorrection: param(z.enum(['fill-cap', 'not-above-cap'])),
    /** 按月均等划分: number of monthly parts of the annual total. */
    prepayMonths: param(zPositiveInt),
    /** 按 95% 的比例预付. */
    prepayShare: param(zShare),
    /** 家庭医生签约服务费 元/人·年. */
    familyDoctorFee: param(zYuan),
    /**
     * What the year-end family-doctor fee counts (四(六)1 "按年度签约并提供服务总人数和人头标准计算"): `heads` = each
     * contracted person served counts one head at the full annual standard; `days` = pro-rated by contract days.
     */
    familyDoctorCount: paramOr(
      z.enum(['heads', 'days']),
      'heads',
      '攀枝花医保 二类门特按病种结合人头付费试行办法 四(六)1 (yibao default)',
    ),
    /**
     * What a head is (人头, 四(一)2): a person with one treating institution at a time for a disease; two at once is
     * an enrolment conflict not paid until corrected.
     */
    headDefinition: paramOr(
      z.enum(['one-treating-institution']),
      'one-treating-institution',
      'yibao default: 人头 = 选择一家定点医疗机构作为就医治疗机构的参保人员 (cite the region’s clause)',
    ),
    /** Share of the family-doctor fee prepaid mid-year (50%). */
    familyDoctorMidYearShare: param(zShare),
    /** The mid-year day (MM-DD) whose contracts count for the mid-year prepayment. */
    familyDoctorMidYearDate: param(zMonthDay),
    /** How the annual assessment (年度考核结果) enters the family-doctor fee: the score (0–1) multiplies it. */
    familyDoctorAssessment: param(z.enum(['multiply-score'])),
    /** Year-end heads: `visited` = enrolled heads with at least one settled visit (实际就诊人头); `enrolled` = all. */
    yearEndHeads: param(z.enum(['visited', 'enrolled'])),
    /** Mid-year entry and switches of institution, disease or insurance type: pro-rated by days. */
    proRate: param(z.enum(['days'])),
    /** Year-end sharing of the difference between actual fund spending and the total. */
    sharing: param(zSharingBands),
    /**
     * Reading of an overspend clause such as 四(六)3: `bands` = each part of the overspend shared by its band (the
     * part beyond the last shared band is the institution's alone); `cliff` = once the overspend reaches the last
     * shared band's edge, the institution bears all of it, the first part included.
     */
    overspendReading: paramOr(
      z.enum(['bands', 'cliff']),
      'bands',
      '攀枝花医保 二类门特按病种结合人头付费试行办法 四(六)3 (yibao default: bands)',
    ),
    /**
     * 转诊费用 (seed 000 二(七): "患者需向上级医院转诊的，由基层医疗卫生机构或家庭医生团队支付一定的转诊费用"): what a
     * capitated head's visit at another institution costs its treating institution. `none` (default: Panzhihua's
     * rules say nothing of referral fees) lists the visit as unattributed, charged to no one; `visit-fund-spending`
     * charges the visit's fund-payable amount to the head's institution at year end (added to its fund spending).
     */
    referralFee: paramOr(
      // An object (not a bare word) so a later method can take its parameters (a share, a fixed fee) beside it.
      z.object({ method: z.enum(['none', 'visit-fund-spending']) }).strict(),
      { method: 'none' },
      'yibao default: 攀枝花医保 二类门特按病种结合人头付费试行办法 未规定转诊费用 (none)',
    ),
  })
  .strict();

export const capitationKind: PolicyKind<typeof values> = {
  kind: 'capitation',
  zh: '按病种结合人头付费',
  en: 'Capitation by disease with risk adjustment',
  values,
  example: `capitatedDiseaseClass: { value: 2, source: "攀枝花医保 二类门特按病种结合人头付费试行办法 四(一)1" }
capShareOfBudget: { value: null, source: "攀枝花医保 二类门特按病种结合人头付费试行办法 四(三)1" }
capAmount: { value: { employee: 1000000, resident: 2000000 }, source: "2021 年基金支出总预算 二类门特总控额度" }
standardBasis: { value: { includeOutpatientAdjustment: true }, source: "攀枝花医保 二类门特按病种结合人头付费试行办法 四(四)1(1)" }
riskAgeThreshold: { value: 65, source: "攀枝花医保 二类门特按病种结合人头付费试行办法 四(四)1(2)" }
riskAgeAsOf: { value: year-start, source: "攀枝花医保 二类门特按病种结合人头付费试行办法 四(四)1(2)" }
riskWeights: { value: { method: calibrate }, source: "攀枝花医保 二类门特按病种结合人头付费试行办法 四(四)1(2)" }
baseRateCorrection: { value: fill-cap, source: "攀枝花医保 二类门特按病种结合人头付费试行办法 四(四)1(3)" }
prepayMonths: { value: 12, source: "攀枝花医保 二类门特按病种结合人头付费试行办法 四(五)1" }
prepayShare: { value: 0.95, source: "攀枝花医保 二类门特按病种结合人头付费试行办法 四(五)1" }
familyDoctorFee: { value: 100, source: "攀枝花医保 二类门特按病种结合人头付费试行办法 四(四)2" }
headDefinition: { value: one-treating-institution, source: "攀枝花医保 二类门特按病种结合人头付费试行办法 四(一)2" }
familyDoctorCount: { value: heads, source: "攀枝花医保 二类门特按病种结合人头付费试行办法 四(六)1" }
familyDoctorMidYearShare: { value: 0.5, source: "攀枝花医保 二类门特按病种结合人头付费试行办法 四(五)1" }
familyDoctorMidYearDate: { value: "06-30", source: "攀枝花医保 二类门特按病种结合人头付费试行办法 四(五)1" }
familyDoctorAssessment: { value: multiply-score, source: "攀枝花医保 二类门特按病种结合人头付费试行办法 四(六)1" }
yearEndHeads: { value: visited, source: "攀枝花医保 二类门特按病种结合人头付费试行办法 四(六)1" }
proRate: { value: days, source: "攀枝花医保 二类门特按病种结合人头付费试行办法 四(六)4" }
sharing: { value: { surplus: [{ institutionShare: 0.8 }], overspend: [{ upTo: 0.1, fundShare: 0.4 }, { fundShare: 0 }] }, source: "攀枝花医保 二类门特按病种结合人头付费试行办法 四(六)2、3" }
overspendReading: { value: bands, source: "攀枝花医保 二类门特按病种结合人头付费试行办法 四(六)3" }
referralFee: { value: { method: none }, source: "攀枝花医保 二类门特按病种结合人头付费试行办法（未规定转诊费用）" }`,
};
