/**
 * The methods of this folder in the shared settlement layer (src/settlement): per-bed-day points (R-DIP-4) and
 * single-disease standards (fixed amounts) paid from one inpatient pool with a floating point value (R-DIP-6).
 */
import { describe, expect, it } from 'vitest';
import type { Institution } from '../model/institution.ts';
import { ratio } from '../model/money.ts';
import { perDiemKind } from '../policy/kinds/per-diem.ts';
import { singleDiseaseKind } from '../policy/kinds/single-disease.ts';
import { poolBudget } from '../settlement/budget.ts';
import { budgetRule, settlementRules } from '../settlement/policy-rules.ts';
import { settlePool } from '../settlement/settle.ts';
import { testSettlementPolicy } from './dip/testing.ts';
import { buildRateTable, perDiemMethod } from './per-diem/index.ts';
import { buildStandards, singleDiseaseMethod } from './single-disease/index.ts';
import { resolvePolicyFile, testCase } from './testing.ts';

const institutions: Institution[] = [
  { code: 'H1', name: '精神卫生中心', level: '3', type: 'psychiatric', county: 'C1' },
  { code: 'H2', name: '人民医院', level: '3', type: 'general', county: 'C1' },
];
const perDiem = resolvePolicyFile(perDiemKind, 'policies/demo/per-diem-2025.yaml', '2025-06-30');
const single = resolvePolicyFile(singleDiseaseKind, 'policies/demo/single-disease-2025.yaml', '2025-06-30');

describe('R-DIP-4 / R-DIP-6 per-diem points and single-disease amounts in one settlement pool', () => {
  // Per-diem: 200 days of schizophrenia at H1 = 47200.00 → 4720 points; 61 days at H2 = 18260.00 → 1826 points.
  // Single-disease: appendicectomy at H2 = 6500.00 (a fixed amount). A pneumonia stay is not per-diem (excluded).
  const units = [
    ...perDiemMethod.evaluate(
      [
        testCase({
          setlId: 'P1',
          institutionCode: 'H1',
          losDays: 200,
          admissionTime: '2025-01-02',
          diagnoses: [{ code: 'F20.0' }],
          totalCost: 5_000_000,
          fundPay: 4_000_000,
        }),
        testCase({
          setlId: 'P2',
          institutionCode: 'H2',
          losDays: 61,
          admissionTime: '2025-02-01',
          diagnoses: [{ code: 'F20.0' }],
          totalCost: 2_000_000,
          fundPay: 1_600_000,
        }),
        testCase({ setlId: 'P3', institutionCode: 'H2', losDays: 8, admissionTime: '2025-03-01' }),
      ],
      { policy: perDiem, institutions, rates: buildRateTable(perDiem).table },
    ),
    ...singleDiseaseMethod.evaluate(
      [
        testCase({
          setlId: 'S1',
          institutionCode: 'H2',
          losDays: 5,
          admissionTime: '2025-04-01',
          diagnoses: [{ code: 'K35.8' }],
          procedures: [{ code: '47.01' }],
          totalCost: 700_000,
          fundPay: 500_000,
        }),
      ],
      { policy: single, institutions, standards: buildStandards(single).table },
    ),
  ];
  const settlementPolicy = testSettlementPolicy({
    budget: '{ value: { method: given, amount: 6000000 }, source: "测试预算 60000.00" }',
  });
  const result = settlePool({
    poolId: 'demo-inpatient-2025',
    region: 'demo',
    year: 2025,
    units,
    budget: poolBudget(budgetRule(settlementPolicy), 0),
    openingPointValue: { value: ratio(1000n), source: 'test 10 元/点' },
    institutions,
    lastYearFundPaid: new Map(),
    deductions: [],
    assessments: [],
    rules: settlementRules(settlementPolicy),
  });

  it('R-DIP-4: the pool sees 6546 points from per-diem and 6500.00 of fixed amounts; the excluded stay is left out', () => {
    expect(result.summary.totalPoints).toBe(65_460_000);
    expect(result.summary.amountClaims).toBe(650_000);
    expect(result.summary.excludedUnits).toBe(1);
  });

  it('R-DIP-6: the floating point value spends the fund exactly: Σ institutions’ gross = fund', () => {
    expect(result.institutions.reduce((s, i) => s + i.gross, 0)).toBe(result.fund);
    expect(result.institutions.map((i) => [i.institutionCode, i.points])).toEqual([
      ['H1', 47_200_000],
      ['H2', 18_260_000],
    ]);
  });
});
