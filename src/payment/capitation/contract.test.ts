import { ratio } from '../../model/money.ts';
import type { UnitResult } from '../../model/unit-result.ts';
import { runPaymentContract } from '../contract.ts';
import {
  attributeSpending,
  type CapitationContext,
  calibrateCapitation,
  capitationMethod,
  contractUnitId,
  enrolmentUnitId,
  type FamilyDoctorContext,
  familyDoctorContracts,
  familyDoctorMethod,
} from './index.ts';
import { actual, CAP, history, persons, planned, policy, spending, YEAR } from './test-fixtures.ts';

const standards = calibrateCapitation({
  year: YEAR,
  policy,
  history,
  planned,
  persons,
  caps: { employee: CAP, resident: 0 },
});
const base = { year: YEAR, policy, standards, persons };
const sum = (rs: readonly UnitResult[], f: (r: UnitResult) => number) => rs.reduce((s, r) => s + f(r), 0);
const claim = (r: UnitResult) => (r.claim.kind === 'amount' ? r.claim.amount : 0);

runPaymentContract<(typeof actual)[number], CapitationContext>(
  'capitation (seed 004)',
  () => capitationMethod,
  () => [
    { label: 'empty batch', units: [], context: { ...base, spending: [], mode: 'plan' } },
    { label: 'planned year', units: planned, context: { ...base, spending: [], mode: 'plan' } },
    { label: 'actual year with switches and visits', units: actual, context: { ...base, spending, mode: 'year-end' } },
  ],
  {
    unitIdOf: enrolmentUnitId,
    permuteContext: (c, permute) => ({ ...c, persons: permute(c.persons), spending: permute(c.spending) }),
    balances: (f, results) => {
      const checks = [
        // R-CAP-2: the heads never claim more than the cap
        { what: 'Σ head amounts ≤ cap', expected: 1, actual: sum(results, claim) <= CAP ? 1 : 0 },
      ];
      if (f.context.mode === 'year-end') {
        // every visit's fund money is in exactly one head or listed as unattributed
        const un = attributeSpending(f.context.spending, f.units, 2).unattributed;
        checks.push({
          what: 'Σ fund spending of heads + unattributed = Σ visits',
          expected: f.context.spending.reduce((s, v) => s + v.fundPayable, 0),
          actual: sum(results, (r) => r.billed - r.patientPaid) + un.reduce((s, u) => s + u.visit.fundPayable, 0),
        });
      }
      return checks;
    },
  },
);

const { contracts } = familyDoctorContracts(actual, YEAR, 2);
const fdContext: FamilyDoctorContext = {
  year: YEAR,
  policy,
  served: contracts
    .filter((c) => c.psnNo !== 'p9')
    .map((c) => ({ psnNo: c.psnNo, institutionCode: c.institutionCode })),
  assessments: [
    { institutionCode: 'F1', score: ratio(9n, 10n) },
    { institutionCode: 'F2', score: ratio(1n) },
  ],
};

runPaymentContract(
  'family-doctor fee (seed 004)',
  () => familyDoctorMethod,
  () => [
    { label: 'empty batch', units: [], context: fdContext },
    { label: 'contracts of the fixture year', units: contracts, context: fdContext },
  ],
  {
    unitIdOf: contractUnitId,
    permuteContext: (c, permute) => ({ ...c, served: permute(c.served), assessments: permute(c.assessments) }),
    balances: (_f, results) => [
      // R-CAP-6: the package costs the patient nothing
      { what: 'Σ patientPaid', expected: 0, actual: sum(results, (r) => r.patientPaid) },
    ],
  },
);
