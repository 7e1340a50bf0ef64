/** POST /api/estimate: what one case will be paid under a stored run's rules, before the agency settles it. */
import { z } from 'zod';
import { dipGroupCodesIn } from '../../grouping/dip/treatment.ts';
import { DISCHARGE_WAYS, type InpatientCase } from '../../model/case.ts';
import { yuanToFen } from '../../model/money.ts';
import { DipError } from '../../payment/dip/errors.ts';
import { groupLabel, methodLabel } from '../../report/labels.ts';
import { labelledExplanation } from '../../report/readable-explanation.ts';
import type { ApiContext } from '../app.ts';
import { badRequest, notFound } from '../errors.ts';
import { estimate } from '../estimate.ts';
import { label, UNIT_STATUS } from '../labels.ts';
import { IsoDateText } from '../params.ts';
import { route } from '../route.ts';
import { requireInstitution, requireRunReader } from '../scope.ts';

const Yuan = z.union([z.string(), z.number()]).transform((v, ctx) => {
  try {
    return yuanToFen(typeof v === 'number' ? String(v) : v);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'yuan with at most two decimals, e.g. "12345.60"' });
    return z.NEVER;
  }
});
const IsoDate = IsoDateText;

export const EstimateBody = z
  .object({
    institution: z.string().min(1).max(64),
    insurance: z.enum(['employee', 'resident']).default('employee'),
    sex: z.enum(['1', '2', '9']),
    age: z.number().int().min(0).max(130),
    ageDays: z.number().int().min(0).max(365).optional(),
    birthWeight: z.number().int().min(0).max(10_000).optional(),
    admissionWeight: z.number().int().min(0).max(20_000).optional(),
    admission: IsoDate,
    discharge: IsoDate,
    losDays: z.number().int().min(0).max(3650),
    dischargeWay: z.enum(DISCHARGE_WAYS).default('1'),
    department: z.string().max(32).optional(),
    /** 主诊医师代码 (the before-care prompts ask for it, as the settlement list does). */
    doctor: z.string().max(32).optional(),
    diagnoses: z.array(z.string().min(1).max(32)).min(1).max(50),
    procedures: z
      .array(z.object({ code: z.string().min(1).max(32), date: IsoDate.optional() }))
      .max(50)
      .default([]),
    icuDays: z.number().int().min(0).max(3650).default(0),
    totalCost: Yuan,
    fundPay: Yuan.optional(),
  })
  .strict();
export type EstimateBody = z.infer<typeof EstimateBody>;

export function caseOf(b: EstimateBody): InpatientCase {
  const c: InpatientCase = {
    setlId: 'estimate',
    mdtrtId: 'estimate',
    psnNo: '',
    institutionCode: b.institution,
    insuranceType: b.insurance,
    sex: b.sex,
    ageYears: b.age,
    admissionTime: `${b.admission}T00:00:00`,
    dischargeTime: `${b.discharge}T00:00:00`,
    losDays: b.losDays,
    dischargeWay: b.dischargeWay,
    diagnoses: b.diagnoses.map((code) => ({ code })),
    procedures: b.procedures.map((p) => (p.date ? { code: p.code, date: p.date } : { code: p.code })),
    icuDays: b.icuDays,
    readmit31: false,
    totalCost: b.totalCost,
    fundPay: b.fundPay ?? b.totalCost,
    selfPay: 0,
    ownPay: 0,
    accountPay: 0,
    cashPay: 0,
  };
  if (b.ageDays !== undefined) c.ageDays = b.ageDays;
  if (b.birthWeight !== undefined) c.newbornBirthWeightG = b.birthWeight;
  if (b.admissionWeight !== undefined) c.newbornAdmissionWeightG = b.admissionWeight;
  if (b.department !== undefined) c.department = b.department;
  if (b.doctor !== undefined) c.doctorCode = b.doctor;
  return c;
}

export function estimateRoutes(ctx: ApiContext) {
  return [
    route({
      method: 'post',
      path: '/api/estimate',
      tag: 'estimate',
      zh: '单病例预测：按某次结算运行的政策、病种目录与年度点值，预测一个出院病例的病种、点数、预计支付与盈亏（金额单位：元）',
      en: "single-case estimate: a discharged case's group, points, expected payment and profit/loss under a stored run's policy, catalog and year-end point value (money in yuan)",
      query: z.object({
        run: z.string().min(1).max(64).default('latest'),
        explain: z.enum(['true', 'false']).default('false'),
        lang: z.enum(['zh', 'en']).optional(),
      }),
      body: EstimateBody,
      handler: async ({ principal, query, body }) => {
        requireInstitution(principal, body.institution);
        if (body.discharge < body.admission) {
          throw badRequest('出院日期早于入院日期', 'the discharge date is before the admission date');
        }
        const run = await ctx.findRun(query.run);
        if (!run) throw notFound('没有可用的结算运行', 'no settlement run to estimate against');
        requireRunReader(principal, run);
        // walk4 #1: an institution not in the list was a 500 with both languages in one message
        const [known] = await ctx.db.query('SELECT 1 AS ok FROM institutions WHERE fixmedins_code = $c', {
          c: body.institution,
        });
        if (!known)
          throw notFound(
            `医疗机构 ${body.institution} 不在机构名录中：请核对机构编码（或先导入该机构：yibao ingest institutions）`,
            `institution ${body.institution} is not in the institution list: check the code (or ingest the institution first: yibao ingest institutions)`,
          );
        let e: ReturnType<typeof estimate>;
        try {
          e = estimate(await ctx.estimator.pricing(run), caseOf(body), query.explain === 'true');
        } catch (x) {
          // a case the engine refuses (its own zh and en) is the request's fault, not the server's
          if (x instanceof DipError) throw badRequest(x.zh, x.en);
          throw x;
        }
        const lang = query.lang ?? 'zh';
        return {
          ...e,
          // The path's group codes as the statements spell them, each language its own (the zh path read
          // `归入综合病种 I21#surgery` in the workbench; the CLI estimate already wrote them in words).
          path: e.path.map((p) => ({ ...p, zh: dipGroupCodesIn(p.zh, 'zh'), en: dipGroupCodesIn(p.en, 'en') })),
          ...(e.explanation ? { explanation: labelledExplanation(e.explanation, lang) } : {}),
          statusLabel: label(UNIT_STATUS, e.status, lang),
          // DIP / DRG, or the carve-out that pays the case (按床日付费, 按病种付费), in the reader's words
          methodLabel: methodLabel(e.method, lang),
          // The group as the statements label it (K35.8 + 47.0100, J18.9（无手术操作）); `group` keeps the code.
          groupText: e.group === null ? null : groupLabel(e.group, lang),
        };
      },
    }),
  ];
}
