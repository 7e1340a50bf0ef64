/**
 * Smart-monitoring rule base (智能监控规则库, R-MON-1…4) in the national two-library shape (两库: 规则库 + 知识库):
 * every rule has an id, a name, a logic (a small declarative condition over fee lines, or a named detector with its
 * parameters), a result type (违规 / 可疑), a time window, care settings, stages (事前 / 事中 / 事后) and the clause
 * it comes from. The knowledge tables (code pairs, sex/age/department limits, unit limits, catalog prices,
 * diagnosis lists) are CSV files next to the policy file, named under `knowledge`; a region edits them.
 */
import { z } from 'zod';
import type { PolicyKind } from '../kind.ts';
import { param, zNonNegInt, zNonNegRatio, zPositiveInt, zRatio } from '../values.ts';

const detector = <D extends string, P extends z.ZodRawShape>(name: D, params: P) =>
  z.object({ detector: z.literal(name), params: z.object(params).strict() }).strict();

const noParams = <D extends string>(name: D) =>
  z.object({ detector: z.literal(name), params: z.object({}).strict().optional() }).strict();

/** A field of a declarative condition: the fee line (`item.*`) or its case (`case.*`). */
export const CONDITION_FIELDS = [
  'item.code',
  'item.chargeCategory',
  'item.catalogClass',
  'case.sex',
  'case.ageYears',
  'case.losDays',
  'case.icuDays',
  'case.department',
  'case.procedureCount',
] as const;
export type ConditionField = (typeof CONDITION_FIELDS)[number];

const condition = z
  .object({
    field: z.enum(CONDITION_FIELDS),
    op: z.enum(['eq', 'ne', 'in', 'lt', 'le', 'gt', 'ge', 'prefix']),
    value: z.union([z.string(), z.number().int(), z.array(z.string()).min(1)]),
  })
  .strict();

/** A declarative fee-line rule: a line is flagged when every condition holds (AND). */
const declarative = z.object({ where: z.array(condition).min(1) }).strict();

export const RULE_LOGIC = z.union([
  declarative,
  z.discriminatedUnion('detector', [
    // fee-line edits (明细审核)
    noParams('duplicate-charge'),
    detector('code-pair', { relation: z.enum(['bundle', 'exclusive']) }),
    noParams('over-quantity'),
    noParams('item-substitution'),
    detector('restricted-item', { check: z.enum(['sex', 'age', 'department']) }),
    detector('phantom-bed-days', { bedItems: z.array(z.string().min(1)).min(1), toleranceDays: zNonNegInt }),
    /** A line charged (费用发生时间) more than `toleranceDays` calendar days before admission or after discharge. */
    detector('charge-outside-stay', { toleranceDays: zNonNegInt }),
    // case behaviour (病例行为)
    detector('split-admission', {
      windowDays: zPositiveInt,
      highWithinDays: zNonNegInt,
      sameInstitution: z.boolean(),
      /** Diagnosis lists whose principal diagnoses are excepted (e.g. chemotherapy cycles). */
      exceptLists: z.array(z.string().min(1)),
      exceptPlanned: z.boolean(),
    }),
    noParams('overlapping-stays'),
    /** One 就诊ID (mdtrt_id) settled again (another setl_id, same person, institution and dates): 重复结算. */
    noParams('duplicate-settlement'),
    detector('low-standard-admission', { list: z.string().min(1), maxLosDays: zPositiveInt }),
    detector('upcoding-no-trace', { list: z.string().min(1), costFactor: zNonNegRatio, losFactor: zNonNegRatio }),
    detector('abnormal-los', { losFactor: zNonNegRatio, minExcessDays: zNonNegInt }),
    detector('cost-shifting-case', { ownShareFactor: zNonNegRatio, minOwnShare: zNonNegRatio }),
    // institution behaviour (机构行为), whole year only
    detector('upcoding-share', { list: z.string().min(1), zMin: zRatio, riseMin: zRatio }),
    detector('cost-shifting-share', { zMin: zRatio, riseMin: zRatio }),
    detector('point-inflation', { zMin: zRatio, riseMin: zRatio }),
    detector('under-service', { visitsDropMin: zRatio, referralRiseMin: zRatio }),
    detector('low-standard-share', { list: z.string().min(1), maxLosDays: zPositiveInt, zMin: zRatio }),
    /**
     * Upcoding by group: the share of an institution's cases in high-weight groups — groups whose mean claim (points
     * per case) in the settlement run is at least `factor` × the region's mean claim — against its peers.
     */
    detector('high-weight-share', { factor: zNonNegRatio, zMin: zRatio }),
  ]),
]);
export type RuleLogic = z.output<typeof RULE_LOGIC>;

export const RULE = z
  .object({
    id: z.string().regex(/^[A-Z][A-Z0-9-]+$/, { message: 'rule id: upper-case letters, digits and "-"' }),
    name: z.string().min(1),
    nameEn: z.string().min(1),
    logic: RULE_LOGIC,
    /** 违规 violation or 可疑 suspicious. */
    result: z.enum(['violation', 'suspicious']),
    /** `case` (one stay), `Nd` (N days around it) or `year`. */
    window: z.string().regex(/^(case|year|\d+d)$/, { message: 'window: case, year or Nd (e.g. 15d)' }),
    settings: z.array(z.enum(['inpatient', 'outpatient', 'special-disease'])).min(1),
    stages: z.array(z.enum(['before', 'during', 'after'])).min(1),
    clause: z.string().min(2),
    /** Off rules stay in the base (their history matters) but do not run. */
    enabled: z.boolean().default(true),
  })
  .strict();
export type MonitorRule = z.output<typeof RULE>;

const band = z.object({ minScore: zRatio, coefficient: zNonNegRatio }).strict();

const values = z
  .object({
    rules: param(
      z.array(RULE).superRefine((rules, ctx) => {
        const seen = new Set<string>();
        for (const r of rules) {
          if (seen.has(r.id)) ctx.addIssue({ code: 'custom', message: `duplicate rule id ${r.id}` });
          seen.add(r.id);
        }
      }),
    ),
    /** Knowledge tables (知识库): CSV files relative to the policy file. */
    knowledge: param(
      z
        .object({
          itemLimits: z.string().min(1),
          codePairs: z.string().min(1),
          itemCatalog: z.string().min(1),
          diagnosisLists: z.string().min(1),
        })
        .strict(),
    ),
    /** How many years before the monitored one give the baselines (cost, LOS by diagnosis category and level). */
    baselineYears: param(zPositiveInt),
    /** Fewest baseline cases for a category × level baseline to be used. */
    baselineMinCases: param(zPositiveInt),
    /** Institutions compared with each other (同级同类): by level only, or by level and type. */
    peerBy: param(z.enum(['level', 'level-type'])),
    /** Readmission windows of the indicators (days). */
    readmissionDays: param(z.array(zPositiveInt).min(1)),
    /** Institution score (考核得分) and its mapping to the assessment coefficient (考核系数). */
    assessment: param(
      z
        .object({
          base: zRatio,
          violationPoints: zNonNegRatio,
          suspiciousPoints: zNonNegRatio,
          /** Points per indicator that deviates from peers by at least `indicatorZ` standard deviations. */
          indicatorPoints: zNonNegRatio,
          indicatorZ: zRatio,
          /** Flags count per 1,000 cases of the institution, so large and small institutions compare. */
          perThousandCases: z.boolean(),
          maxDeduction: zNonNegRatio,
          /** Highest band first; a score at or above `minScore` gets `coefficient`. */
          bands: z.array(band).min(1),
        })
        .strict(),
    ),
  })
  .strict();

export const monitorKind: PolicyKind<typeof values> = {
  kind: 'monitor',
  zh: '智能监控规则库',
  en: 'Smart-monitoring rule base',
  values,
  example: `rules:
  value:
    - id: YB-IT-001
      name: 重复收费
      nameEn: duplicate charge
      logic: { detector: duplicate-charge }
      result: violation
      window: case
      settings: [inpatient]
      stages: [during, after]
      clause: "医疗保障基金使用监督管理条例 第十五条"
  source: "示范市智能监控规则库 2025"
knowledge: { value: { itemLimits: monitor/item-limits.csv, codePairs: monitor/code-pairs.csv, itemCatalog: monitor/item-catalog.csv, diagnosisLists: monitor/diagnosis-lists.csv }, source: "示范市知识库" }
baselineYears: { value: 3, source: "示范市智能监控实施细则 第五条" }
baselineMinCases: { value: 20, source: "示范市智能监控实施细则 第五条" }
peerBy: { value: level, source: "示范市智能监控实施细则 第六条" }
readmissionDays: { value: [14, 15, 31], source: "示范市智能监控实施细则 第七条" }
assessment: { value: { base: 100, violationPoints: 2, suspiciousPoints: 0.5, indicatorPoints: 2, indicatorZ: 2, perThousandCases: true, maxDeduction: 30, bands: [{ minScore: 90, coefficient: 1 }, { minScore: 0, coefficient: 0.95 }] }, source: "示范市考核办法" }`,
};
