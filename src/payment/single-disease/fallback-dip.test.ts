/**
 * R-PAY-DISEASE with the real DIP engine as the fallback (demo policy: 出径病例按 DIP 结算): a case that leaves the
 * pathway is grouped and scored by DIP, and keeps its single-disease label with status `fallback`.
 */
import { describe, expect, it } from 'vitest';
import { singleDiseaseKind } from '../../policy/kinds/single-disease.ts';
import { DipEngine } from '../dip/engine.ts';
import { dipMethod } from '../dip/method.ts';
import { dipCase, testCatalog, testDipPolicy, testInstitution } from '../dip/testing.ts';
import { resolvePolicyFile } from '../testing.ts';
import { buildStandards, type FallbackEvaluator, singleDiseaseMethod } from './index.ts';

// DIP test catalog: K35.8 + 47.0901 = 1000 points; level-3 coefficient 1.2 → 1200 points for a normal-cost case.
const catalog = testCatalog([
  { code: 'K35.8|47.0901', kind: 'core', dx: 'K35.8', procedures: ['47.0901'], treatment: 'surgery', points: 1000 },
]);
const institutions = [testInstitution('H3', '3')];
const engine = new DipEngine({
  catalog,
  policy: testDipPolicy({
    institutionCoefficient:
      '{ value: { method: given, byLevel: { "3": 1.2, "2": 1, "1": 0.9, primary: 0.8 } }, source: "002 四(二) 医院等级系数" }',
  }),
  institutions,
});
const dip: FallbackEvaluator = { method: 'dip', evaluate: (cases) => dipMethod.evaluate(cases, { engine }) };
const policy = resolvePolicyFile(singleDiseaseKind, 'policies/demo/single-disease-2025.yaml', '2025-06-30');
const context = { policy, institutions, standards: buildStandards(policy).table, fallback: dip };

describe('R-PAY-DISEASE fallback to the DIP engine', () => {
  it('R-PAY-DISEASE: on the pathway (5 days) → SD001 6500.00; 9 days → DIP 1000 × 1.2 = 1200 points, status fallback', () => {
    const onPath = dipCase('A', { inst: 'H3', procs: ['47.0901'], cost: 1_000_000 });
    const long = { ...dipCase('B', { inst: 'H3', procs: ['47.0901'], cost: 1_000_000 }), losDays: 9 };
    const [a, b] = singleDiseaseMethod.evaluate([onPath, long], context);
    expect(a).toMatchObject({ status: 'paid', group: 'SD001', claim: { kind: 'amount', amount: 650_000 } });
    expect(b).toMatchObject({
      method: 'single-disease',
      status: 'fallback',
      group: 'SD001',
      claim: { kind: 'points', points: 12_000_000 },
    });
    expect(b!.explanation.some((s) => s.rule.startsWith('R-DIP'))).toBe(true);
  });
});
