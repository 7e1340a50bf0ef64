/**
 * County medical-community registry (县域医共体名录, R-MC-1): members, lead hospital, the "六统一" assessment with its
 * items and result, the application, the county joint review and the city's approval with their dates, the service
 * agreement the lead hospital signs, and the compensation entries for objective causes agreed at year end (R-MC-3).
 *
 * 鲁医保发〔2024〕39号 二(一): "对经医共体管委会评估达到“六统一”（统一人事管理、财务管理、资产管理、业务管理、药品耗材目录、
 * 药品耗材配送）的县域医共体，实行医保基金总额付费。由县域医共体牵头医院或医共体管委会办公室代表县域医共体全体成员单位向县
 * （市、区）医保、财政、卫生健康部门提交总额付费申请，经联合会审后报设区市医保、财政、卫生健康部门共同确定后实施。县域医共体
 * 牵头医院代表全体成员单位与医保经办机构签订服务协议。"
 */
import { z } from 'zod';
import type { PolicyKind } from '../kind.ts';
import { param, zIsoDate, zYuan } from '../values.ts';

/** The six unifications (六统一), in the order of 二(一). */
export const SIX_UNIFICATIONS = [
  'personnel', // 统一人事管理
  'finance', // 统一财务管理
  'assets', // 统一资产管理
  'operations', // 统一业务管理
  'drug-catalog', // 统一药品耗材目录
  'drug-distribution', // 统一药品耗材配送
] as const;
export type SixUnification = (typeof SIX_UNIFICATIONS)[number];

/** Objective causes of an overspend that the fund compensates (二(三)). */
export const COMPENSATION_CAUSES = ['policy-change', 'capability-change', 'public-health-event'] as const;
export type CompensationCause = (typeof COMPENSATION_CAUSES)[number];

const zFund = z.enum(['employee', 'resident']);

const assessmentItem = z
  .object({ item: z.enum(SIX_UNIFICATIONS), passed: z.boolean(), note: z.string().optional() })
  .strict();

const compensation = z
  .object({
    year: z.number().int().min(2000).max(2100),
    fund: zFund,
    cause: z.enum(COMPENSATION_CAUSES),
    /** What happened, as agreed (e.g. "2025 年新增血液透析中心"). */
    reason: z.string().min(1),
    amount: zYuan,
    /** Who approved the compensation (经办机构 / 联合会审). */
    approver: z.string().min(1),
    approvedOn: zIsoDate,
  })
  .strict();

const community = z
  .object({
    id: z.string().min(1),
    name: z.string().min(1),
    /** County (区县) admdvs code of the community's population served. */
    county: z.string().min(1),
    lead: z.string().min(1),
    members: z.array(z.string().min(1)).min(1),
    assessment: z
      .object({
        /** Who assessed (医共体管委会). */
        by: z.string().min(1),
        date: zIsoDate,
        items: z.array(assessmentItem),
      })
      .strict(),
    application: z
      .object({ date: zIsoDate, by: z.enum(['lead-hospital', 'committee-office']), to: z.string().min(1) })
      .strict()
      .optional(),
    jointReview: z
      .object({ date: zIsoDate, departments: z.array(z.string().min(1)).min(1), passed: z.boolean() })
      .strict()
      .optional(),
    approval: z
      .object({ date: zIsoDate, departments: z.array(z.string().min(1)).min(1), effectiveFrom: zIsoDate })
      .strict()
      .optional(),
    agreement: z
      .object({ signedOn: zIsoDate, signedBy: z.string().min(1) })
      .strict()
      .optional(),
    compensations: z.array(compensation).default([]),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (!c.members.includes(c.lead))
      ctx.addIssue({ code: 'custom', path: ['lead'], message: `lead ${c.lead} is not among the members` });
    if (new Set(c.members).size !== c.members.length)
      ctx.addIssue({ code: 'custom', path: ['members'], message: 'a member is listed twice' });
    const seen = c.assessment.items.map((i) => i.item);
    for (const u of SIX_UNIFICATIONS)
      if (seen.filter((s) => s === u).length !== 1)
        ctx.addIssue({
          code: 'custom',
          path: ['assessment', 'items'],
          message: `each of the six unifications must be assessed once; "${u}" appears ${seen.filter((s) => s === u).length} times`,
        });
  });

const values = z
  .object({
    communities: param(
      z.array(community).superRefine((list, ctx) => {
        const ids = list.map((c) => c.id);
        if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', message: 'community ids must be unique' });
        const members = list.flatMap((c) => c.members);
        if (new Set(members).size !== members.length)
          ctx.addIssue({ code: 'custom', message: 'an institution belongs to at most one community' });
      }),
    ),
  })
  .strict();

export const medicalCommunityKind: PolicyKind<typeof values> = {
  kind: 'medical-community',
  zh: '县域医共体名录',
  en: 'County medical-community registry',
  values,
  example: `communities: { value: [{ id: MC1, name: 东山县医共体, county: "990121", lead: H1, members: [H1, H2], assessment: { by: 医共体管委会, date: 2024-11-20, items: [{ item: personnel, passed: true }, { item: finance, passed: true }, { item: assets, passed: true }, { item: operations, passed: true }, { item: drug-catalog, passed: true }, { item: drug-distribution, passed: true }] } }], source: "鲁医保发〔2024〕39号 二(一)" }`,
};

export type MedicalCommunity = z.output<typeof community>;
export type CompensationEntry = z.output<typeof compensation>;
