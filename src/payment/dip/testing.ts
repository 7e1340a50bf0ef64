/**
 * Test helpers (tests only): a DIP policy from YAML lines with overrides, a hand-made catalog, and cases.
 * Policies go through the strict loader and resolver like in the pipeline.
 */

import { CATALOG_FORMAT, type Catalog, type CatalogGroup, catalogHash } from '../../grouping/dip/catalog.ts';
import { DISCHARGE_WAY_DEATH, type InpatientCase } from '../../model/case.ts';
import type { Institution, InstitutionLevel } from '../../model/institution.ts';
import { dipKind } from '../../policy/kinds/dip.ts';
import { dipSettlementKind } from '../../policy/kinds/dip-settlement.ts';
import { resolveValuesText } from '../testing.ts';
import type { DipPolicy, DipSettlementPolicy } from './policy.ts';

const DIP_DEFAULTS: Record<string, string> = {
  historyYears:
    '{ value: { years: [2022, 2023, 2024], weights: [1, 2, 7] }, source: "002 四(二) 前3年; 技术规范 1:2:7" }',
  coreGroupThreshold: '{ value: { method: fixed, minCases: 1 }, source: "技术规范 临界值" }',
  trimming: '{ value: none, source: "测试：不剔除" }',
  scoreScale: '{ value: 1000, source: "技术规范 × 1000" }',
  scoreBasis: '{ value: { method: mean }, source: "技术规范 均值法" }',
  comprehensiveMinCases: '{ value: 0, source: "测试" }',
  cvWarning: '{ value: 1, source: "技术规范 CV" }',
  primaryCareGroups: '{ value: { groups: [], maxCv: 0.7 }, source: "002 四(二) 基层病种" }',
  auxiliary:
    '{ value: { minCases: 1000000, minCoefficient: 1.1, age: [], icuDays: [], cci: [], death: false }, source: "技术规范 辅助目录" }',
  institutionCoefficient:
    '{ value: { method: given, byLevel: { "3": 1, "2": 1, "1": 1, primary: 1 } }, source: "002 四(二) 等级系数" }',
  coefficientDecimals: '{ value: 4, source: "测试 四位小数" }',
  referencePointValue: '{ value: 10, source: "测试 参考点值 10 元/点" }',
  lowCost: '{ value: { ratio: 0.5 }, source: "002 四(二) 异常低值; 技术规范 50%" }',
  highCost: '{ value: { multiple: 2, excessRate: 1 }, source: "002 四(二) 异常高值; 技术规范 2 倍" }',
  specialReview: '{ value: { multiple: 5, capPerMille: 5 }, source: "技术规范 特例单议 5‰" }',
  ungrouped: '{ value: { method: unpaid }, source: "测试 未入组不计分" }',
  // Hand-made tests score cost-paid cases at the reference value; clause tests ask for year-end explicitly.
  costPaidCases: '{ value: opening, source: "测试 按参考点值计分" }',
};

export function testDipPolicy(overrides: Record<string, string> = {}): DipPolicy {
  const values = { ...DIP_DEFAULTS, ...overrides };
  return resolveValuesText(
    dipKind,
    Object.entries(values)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n'),
  );
}

const SETTLEMENT_DEFAULTS: Record<string, string> = {
  budget: '{ value: { method: given, amount: 9000000 }, source: "002 四(一) 测试预算" }',
  fundPaymentRatio: '{ value: 0.75, source: "技术规范 基金支付比例" }',
  pointValue: '{ value: { method: floating }, source: "002 四(三) 年终点值" }',
  provisionalPointValue: '{ value: { method: fixed, value: 10 }, source: "002 四(三) 月预结算" }',
  prepayRatio: '{ value: 0.9, source: "技术规范 质量保证金 10%" }',
  advanceMonths: '{ value: { "3": 1, "2": 1, "1": 0.5, primary: 0.5 }, source: "000 §4 预付" }',
  sharing: '{ value: none, source: "测试 不分担" }',
  defaultAssessment: '{ value: 1, source: "测试 考核系数 1" }',
};

export function testSettlementPolicy(overrides: Record<string, string> = {}): DipSettlementPolicy {
  const values = { ...SETTLEMENT_DEFAULTS, ...overrides };
  return resolveValuesText(
    dipSettlementKind,
    Object.entries(values)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n'),
  );
}

export function testInstitution(code: string, level: InstitutionLevel = '2'): Institution {
  return { code, name: code, level, type: level === 'primary' ? 'primary' : 'general', county: '150100' };
}

/** A case discharged on `date` with principal diagnosis `dx` (and secondaries) and procedures. */
export function dipCase(
  setlId: string,
  p: {
    inst?: string;
    dx?: string | string[];
    procs?: string[];
    cost?: number;
    fund?: number;
    date?: string;
    age?: number;
    icu?: number;
    death?: boolean;
  } = {},
): InpatientCase {
  const cost = p.cost ?? 1_000_000;
  const fund = p.fund ?? Math.round(cost * 0.75);
  const date = p.date ?? '2025-03-15';
  const dx = Array.isArray(p.dx) ? p.dx : [p.dx ?? 'K35.800'];
  return {
    setlId,
    mdtrtId: `M${setlId}`,
    psnNo: `P${setlId}`,
    institutionCode: p.inst ?? 'H1',
    insuranceType: 'employee',
    sex: '1',
    ageYears: p.age ?? 40,
    admissionTime: `${date}T08:00:00`,
    dischargeTime: `${date}T10:00:00`,
    losDays: 5,
    dischargeWay: p.death ? DISCHARGE_WAY_DEATH : '1',
    diagnoses: dx.map((code) => ({ code })),
    procedures: (p.procs ?? []).map((code) => ({ code })),
    icuDays: p.icu ?? 0,
    readmit31: false,
    totalCost: cost,
    fundPay: fund,
    selfPay: cost - fund,
    ownPay: 0,
    accountPay: 0,
    cashPay: cost - fund,
  };
}

/** A hand-made catalog (scores in points as numbers, e.g. 1000 → 1000.0000 points). */
export function testCatalog(
  groups: (Partial<CatalogGroup> & Pick<CatalogGroup, 'code' | 'kind' | 'dx'> & { points: number })[],
  referencePointValueFenPerPoint = '1000/1',
): Catalog {
  const body: Omit<Catalog, 'hash' | 'version'> = {
    format: CATALOG_FORMAT,
    id: 'test-catalog',
    region: 'test',
    origin: 'imported',
    years: [],
    weights: [],
    scale: 1000,
    basisMeanCost: null,
    coefficientDecimals: 4,
    referencePointValue: referencePointValueFenPerPoint,
    institutionCoefficients: [],
    groups: groups
      .map(
        (g): CatalogGroup => ({
          procedures: [],
          treatment: 'conservative',
          cases: 0,
          trimmedCases: 0,
          meanCost: 0,
          cv: null,
          primaryCare: false,
          auxiliary: [],
          flags: [],
          ...g,
          score: Math.round(g.points * 10_000),
        }),
      )
      .map(({ points: _p, ...g }: CatalogGroup & { points?: number }) => g)
      .sort((a, b) => (a.code < b.code ? -1 : 1)),
    warnings: [],
  };
  const hash = catalogHash(body);
  return { ...body, version: `test+${hash.slice(0, 8)}`, hash };
}
