/**
 * Patient benefits (待遇政策, R-BEN-1…4): deductible (起付线), fund payment ratio (统筹基金支付比例) by fund × service type ×
 * institution level, the annual cap (年度最高支付限额), the deductible counted continuously for referrals inside a medical
 * community, and the one-stop split over critical-illness insurance (大病保险) and medical assistance (医疗救助).
 * Exclusions (R-BEN-3) are the fee-for-service policy's (src/policy/kinds/ffs.ts), applied when a bill is priced.
 *
 * 鲁医保发〔2024〕39号 三(一): "县域医共体内实行差别化的医保报销政策，合理拉开不同等级医疗机构报销比例，乡镇卫生院和县级医院居民
 * 医保住院报销比例原则上相差不低于10个百分点。……对县域医共体内符合规定的转诊转院住院参保患者简化手续，可连续计算起付线。"
 * 省深化医疗保障制度改革实施意见（征求意见稿，seed 003）(二十二): "实现统筹区内医疗保障一站式服务、一窗口办理、一单制结算。"
 *
 * `policy check` refuses a file whose ratio gap (`levelGap`) is smaller than its own minimum in any period.
 */
import { z } from 'zod';
import { compareRatios, type Ratio, subRatios } from '../../model/money.ts';
import type { PolicyKind } from '../kind.ts';
import { param, type Series, zEnName, zShare, zYuan } from '../values.ts';

export const LEVELS = ['3', '2', '1', 'primary'] as const;
export const SERVICES = ['inpatient', 'outpatient'] as const;

const LEVEL_ZH: Record<string, string> = { '3': '三级', '2': '二级', '1': '一级', primary: '基层' };

const byLevel = <S extends z.ZodType>(s: S) => z.object({ '3': s, '2': s, '1': s, primary: s }).strict();
const byService = <S extends z.ZodType>(s: S) => z.object({ inpatient: s, outpatient: s }).strict();
const byFund = <S extends z.ZodType>(s: S) => z.object({ employee: s, resident: s }).strict();

const ciBand = z.object({ upTo: zYuan.optional(), share: zShare }).strict();

const criticalIllness = z
  .object({
    /** Annual threshold (起付标准) on the in-scope amount the patient bears after the basic fund. */
    threshold: zYuan,
    /** Bands over the amount above the threshold (upTo in yuan above the threshold; last band open). */
    bands: z.array(ciBand).min(1),
    annualCap: zYuan,
  })
  .strict();

const assistanceCategory = z
  .object({
    /** 救助对象类别, e.g. special-hardship (特困人员), low-income (低保对象). */
    category: z.string().min(1),
    zh: z.string().min(1),
    /** The category's name in English, shown in en output (else its zh). */
    en: zEnName.optional(),
    /** Annual threshold on the remaining in-scope self-pay before assistance pays. */
    threshold: zYuan,
    share: zShare,
    annualCap: zYuan,
  })
  .strict();

const levelGap = z
  .object({
    fund: z.enum(['employee', 'resident']),
    service: z.enum(SERVICES),
    /** The lower level (乡镇卫生院 = primary) whose ratio must be higher by at least `minGap`. */
    lower: z.enum(LEVELS),
    /** The upper level (县级医院). */
    upper: z.enum(LEVELS),
    minGap: zShare,
  })
  .strict();

type FundRatios = Record<'employee' | 'resident', Record<'inpatient' | 'outpatient', Record<string, Ratio>>>;
type LevelGap = z.output<typeof levelGap>;

function periodsMeet(a: { from?: string; to?: string }, b: { from?: string; to?: string }): boolean {
  return (a.from ?? '') <= (b.to ?? '9999-12-31') && (b.from ?? '') <= (a.to ?? '9999-12-31');
}

const values = z
  .object({
    deductible: param(byFund(byService(byLevel(zYuan)))),
    /** Inpatient deductible per admission; outpatient per year, or both per admission/visit. */
    deductibleBasis: param(byService(z.enum(['per-admission', 'per-year']))),
    fundRatio: param(byFund(byService(byLevel(zShare)))),
    /** Annual cap on the basic fund's payments per person. */
    annualCap: param(byFund(zYuan)),
    /** The level-difference rule (e.g. township vs county hospital, residents' inpatient ratio, ≥ 10 points). */
    levelGap: param(levelGap),
    /**
     * Referral inside a medical community (连续计算起付线): `difference` = the receiving level's deductible minus what
     * was paid earlier in the same referral chain; `waived` = no second deductible.
     */
    referralDeductible: param(z.enum(['difference', 'waived'])),
    criticalIllness: param(byFund(criticalIllness)),
    medicalAssistance: param(z.array(assistanceCategory)),
  })
  .strict()
  .superRefine((v, ctx) => {
    const ratios = v.fundRatio as Series<FundRatios>;
    for (const g of v.levelGap as Series<LevelGap>) {
      for (const r of ratios) {
        if (!periodsMeet(g, r)) continue;
        const row = r.value[g.value.fund][g.value.service];
        const lower = row[g.value.lower]!;
        const upper = row[g.value.upper]!;
        const gap = subRatios(lower, upper);
        if (compareRatios(gap, g.value.minGap) < 0) {
          const pts = (x: Ratio) => (Number((x.num * 10000n) / x.den) / 100).toString();
          ctx.addIssue({
            code: 'custom',
            path: ['fundRatio'],
            message:
              `${g.value.fund === 'resident' ? '居民医保' : '职工医保'}${g.value.service === 'inpatient' ? '住院' : '门诊'}` +
              `报销比例${LEVEL_ZH[g.value.lower]} ${pts(lower)}% 与${LEVEL_ZH[g.value.upper]} ${pts(upper)}% 相差 ${pts(gap)} 个百分点，` +
              `低于 ${pts(g.value.minGap)} 个百分点（${g.source}） / ${g.value.fund} ${g.value.service} ratio gap ` +
              `${g.value.lower} vs ${g.value.upper} is ${pts(gap)} points, below ${pts(g.value.minGap)}`,
          });
        }
      }
    }
  });

export const benefitsKind: PolicyKind<typeof values> = {
  kind: 'benefits',
  zh: '待遇政策',
  en: 'Patient benefits',
  values,
  example: `fundRatio: { value: { employee: { inpatient: { "3": 0.85, "2": 0.88, "1": 0.9, primary: 0.92 }, outpatient: { "3": 0.5, "2": 0.55, "1": 0.6, primary: 0.7 } }, resident: { inpatient: { "3": 0.6, "2": 0.7, "1": 0.75, primary: 0.85 }, outpatient: { "3": 0.4, "2": 0.45, "1": 0.5, primary: 0.6 } } }, source: "本地基本医保待遇办法" }
levelGap: { value: { fund: resident, service: inpatient, lower: primary, upper: "2", minGap: 0.1 }, source: "鲁医保发〔2024〕39号 三(一)" }
referralDeductible: { value: difference, source: "鲁医保发〔2024〕39号 三(一)" }
deductible: { value: { employee: { inpatient: { "3": 1200, "2": 800, "1": 400, primary: 200 }, outpatient: { "3": 0, "2": 0, "1": 0, primary: 0 } }, resident: { inpatient: { "3": 1200, "2": 800, "1": 400, primary: 200 }, outpatient: { "3": 0, "2": 0, "1": 0, primary: 0 } } }, source: "本地基本医保待遇办法 起付标准" }
deductibleBasis: { value: { inpatient: per-admission, outpatient: per-year }, source: "鲁医保发〔2024〕39号 三(一) 可连续计算起付线" }
annualCap: { value: { employee: 400000, resident: 250000 }, source: "本地基本医保待遇办法 年度最高支付限额" }
criticalIllness: { value: { employee: { threshold: 20000, bands: [{ share: 0.8 }], annualCap: 300000 }, resident: { threshold: 15000, bands: [{ upTo: 100000, share: 0.6 }, { share: 0.7 }], annualCap: 400000 } }, source: "大病保险办法" }
medicalAssistance: { value: [{ category: low-income, zh: 低保对象, threshold: 0, share: 0.7, annualCap: 30000 }], source: "医疗救助办法" }`,
};
