/** The contract suite catches what it promises to catch (each broken method below fails exactly one check). */
import { describe, expect, it } from 'vitest';
import { byUnitId, type PaymentMethod, type UnitResult } from '../model/unit-result.ts';
import { step } from './common/trace.ts';
import {
  type ContractFixture,
  checkOrderIndependence,
  checkPaymentContract,
  checkResults,
  seededShuffle,
} from './contract.ts';

interface Bill {
  id: string;
  fen: number;
}
const good = (b: Bill): UnitResult => ({
  unitId: b.id,
  institutionCode: 'H1',
  month: '2025-01',
  method: 'ffs',
  status: 'paid',
  claim: { kind: 'amount', amount: b.fen },
  billed: b.fen,
  patientPaid: 0,
  explanation: [step('R-PAY-FFS', '资府办函〔2018〕52号 二(五)', '按项目', 'by items', {}, (b.fen / 100).toFixed(2))],
});
const method = (f: (units: readonly Bill[]) => UnitResult[]): PaymentMethod<Bill, null> => ({
  id: 'ffs',
  zh: '测试',
  en: 'test',
  evaluate: (units) => f(units),
});
const fixture: ContractFixture<Bill, null> = {
  label: 'three bills',
  units: [
    { id: 'b', fen: 250 },
    { id: 'a', fen: 100 },
    { id: 'c', fen: 999 },
  ],
  context: null,
};
const checks = (m: PaymentMethod<Bill, null>, unitIdOf?: (b: Bill) => string) =>
  checkPaymentContract(m, fixture, unitIdOf ? { unitIdOf } : {}).map((v) => v.check);

describe('the payment contract (ARCHITECTURE "Seams": one contract suite over every method)', () => {
  it('a well-behaved method passes every check', () => {
    const m = method((us) => us.map(good).sort(byUnitId));
    expect(checks(m, (b) => b.id)).toEqual([]);
    expect(checkOrderIndependence(m, fixture)).toEqual([]);
  });

  it('results not sorted by unit id are caught', () => {
    expect(checks(method((us) => us.map(good)))).toContain('order');
  });

  it('a fraction of a fen, a negative claim and a patient share above the billing are caught', () => {
    const bad = [
      { ...good({ id: 'a', fen: 100 }), claim: { kind: 'amount' as const, amount: 100.5 } },
      { ...good({ id: 'b', fen: 100 }), claim: { kind: 'amount' as const, amount: -1 } },
      { ...good({ id: 'c', fen: 100 }), patientPaid: 101 },
    ];
    expect(checkResults('ffs', bad).map((v) => v.check)).toEqual(['money', 'money', 'money']);
  });

  it('a unit without explanation, without a clause, or whose trace never reaches the claim is caught', () => {
    const r = good({ id: 'a', fen: 100 });
    expect(checkResults('ffs', [{ ...r, explanation: [] }]).map((v) => v.message)).toEqual(['no explanation']);
    const noClause = { ...r, explanation: [step('R-PAY-FFS', undefined, '按项目', 'by items', {}, '1.00')] };
    expect(checkResults('ffs', [noClause]).map((v) => v.message)).toEqual(['no step cites a clause']);
    const wrongResult = { ...r, explanation: [step('R-PAY-FFS', 'x', '按项目', 'by items', {}, '9.99')] };
    expect(checkResults('ffs', [wrongResult])[0]!.message).toMatch(/arrives at the claim/);
    const notRid = { ...r, explanation: [step('PAY', 'x', '按项目', 'by items', {}, '1.00')] };
    expect(checkResults('ffs', [notRid])[0]!.message).toMatch(/not an R-ID/);
  });

  it('a dropped unit is caught by coverage (never a silent drop)', () => {
    expect(
      checks(
        method((us) => us.slice(1).map(good).sort(byUnitId)),
        (b) => b.id,
      ),
    ).toEqual(['coverage']);
  });

  it('a method that changes between runs is caught by determinism', () => {
    let n = 0;
    const m = method((us) => us.map((b) => good({ ...b, fen: b.fen + n++ })).sort(byUnitId));
    expect(checks(m)).toContain('determinism');
  });

  it('a method whose result depends on input order is caught by the fast-check shuffles', () => {
    // the first bill in the input gets a 1-fen bonus
    const m = method((us) => us.map((b, i) => good({ ...b, fen: b.fen + (i === 0 ? 1 : 0) })).sort(byUnitId));
    expect(checkOrderIndependence(m, fixture).map((v) => v.check)).toEqual(['order']);
  });

  it('a failing method-specific balance is reported with its name and both amounts', () => {
    const m = method((us) => us.map(good).sort(byUnitId));
    const v = checkPaymentContract(m, fixture, {
      balances: () => [{ what: 'Σ claims = 13.50', expected: 1350, actual: 1349 }],
    });
    expect(v).toEqual([{ check: 'balance', message: 'Σ claims = 13.50: expected 1350, got 1349' }]);
  });

  it('seededShuffle is a deterministic permutation', () => {
    const xs = Array.from({ length: 20 }, (_, i) => i);
    expect(seededShuffle(xs, 7)).toEqual(seededShuffle(xs, 7));
    expect([...seededShuffle(xs, 7)].sort((a, b) => a - b)).toEqual(xs);
  });
});
