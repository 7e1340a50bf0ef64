/**
 * The payment-method contract (支付方式契约测试): one suite that every method — DIP, DRG, per-bed-day,
 * single-disease, capitation, family-doctor fee, fee-for-service — passes. Architecture "Seams": "DIP, DRG,
 * per-diem, single-disease, capitation and FFS all implement it, and one contract suite runs over all of them."
 *
 * What it checks, on fixtures the method's own test supplies:
 * - money is whole fen and whole 0.0001 points, never negative, and a unit's patient share never exceeds its
 *   billing; method-specific identities (`balances`) hold to the fen;
 * - every UnitResult carries an explanation: steps with an R-ID, Chinese and English text, at least one cited
 *   clause, and a step whose result is the claim itself (the trace arrives at the number that is paid);
 * - results are sorted by unit id, unit ids are unique, and (with `unitIdOf`) every input unit is accounted for
 *   exactly once — never a silent drop;
 * - deterministic: two runs give byte-identical JSON;
 * - order independent: any permutation of the inputs (fast-check shuffles) gives the same results.
 *
 * `checkPaymentContract` is pure and returns violations (usable outside tests); `runPaymentContract` registers
 * the vitest suite. Import this file from tests only (it imports vitest).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fenToYuan } from '../model/money.ts';
import { formatPoints } from '../model/points.ts';
import type { PaymentMethod, UnitResult } from '../model/unit-result.ts';

export interface ContractFixture<I, C> {
  label: string;
  units: readonly I[];
  context: C;
}

/** A money identity of a method that must hold exactly (to the fen or to the 0.0001 point). */
export interface BalanceCheck {
  what: string;
  expected: number;
  actual: number;
}

export interface ContractOptions<I, C> {
  /** The unit id a result for this input must carry; every input is then accounted for exactly once. */
  unitIdOf?: (unit: I) => string;
  /** Method-specific identities over one fixture's results. */
  balances?: (fixture: ContractFixture<I, C>, results: readonly UnitResult[]) => BalanceCheck[];
  /** Permute the arrays inside the context too (history, persons, spending…), for order independence. */
  permuteContext?: (context: C, permute: <T>(xs: readonly T[]) => T[]) => C;
  /** fast-check runs per fixture for order independence (default 25). */
  runs?: number;
}

export interface ContractViolation {
  check: string;
  unitId?: string;
  message: string;
}

const RULE_ID = /^R-[A-Z]+(-[A-Z0-9]+)*$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const STATUSES = new Set(['paid', 'low-cost', 'high-cost', 'special-review', 'ungrouped', 'excluded', 'fallback']);

function isMoney(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

/** The texts a step may show for the claim: yuan text or fen for amounts, point text or integer for points. */
function claimTexts(r: UnitResult): Set<unknown> {
  return r.claim.kind === 'amount'
    ? new Set([fenToYuan(r.claim.amount), r.claim.amount])
    : new Set([formatPoints(r.claim.points), r.claim.points]);
}

/** Static checks on one method's results (money, explanations, ordering). Pure. */
export function checkResults(methodId: string, results: readonly UnitResult[]): ContractViolation[] {
  const out: ContractViolation[] = [];
  const bad = (check: string, unitId: string | undefined, message: string) => out.push({ check, unitId, message });
  results.forEach((r, i) => {
    const id = r.unitId;
    if (typeof id !== 'string' || id.length === 0) bad('unit', id, `result ${i} has no unit id`);
    if (i > 0 && !(results[i - 1]!.unitId < id)) bad('order', id, 'results are not strictly sorted by unit id');
    if (!r.institutionCode) bad('unit', id, 'no institution code');
    if (!MONTH.test(r.month)) bad('unit', id, `month "${r.month}" is not YYYY-MM`);
    if (r.method !== methodId) bad('unit', id, `method "${r.method}" differs from the method's id "${methodId}"`);
    if (!STATUSES.has(r.status)) bad('unit', id, `unknown status "${r.status}"`);
    const claimValue = r.claim.kind === 'amount' ? r.claim.amount : r.claim.points;
    if (!isMoney(claimValue)) bad('money', id, `claim ${claimValue} is not a whole non-negative fen/point count`);
    if (!isMoney(r.billed)) bad('money', id, `billed ${r.billed} is not whole non-negative fen`);
    if (!isMoney(r.patientPaid)) bad('money', id, `patientPaid ${r.patientPaid} is not whole non-negative fen`);
    if (r.patientPaid > r.billed) bad('money', id, `patientPaid ${r.patientPaid} exceeds billed ${r.billed}`);
    if (!Array.isArray(r.explanation) || r.explanation.length === 0) {
      bad('explanation', id, 'no explanation');
      return;
    }
    for (const s of r.explanation) {
      if (!RULE_ID.test(s.rule)) bad('explanation', id, `step rule "${s.rule}" is not an R-ID`);
      if (!s.zh || !s.en) bad('explanation', id, `step "${s.rule}" lacks Chinese or English text`);
      for (const [k, v] of Object.entries(s.values ?? {})) {
        if (!(v === null || ['string', 'number', 'boolean'].includes(typeof v)))
          bad('explanation', id, `step value ${k} is not a plain value`);
      }
    }
    if (!r.explanation.some((s) => s.clause)) bad('explanation', id, 'no step cites a clause');
    if (!isMoney(claimValue)) return; // already reported; no text to look for
    const texts = claimTexts(r);
    if (!r.explanation.some((s) => texts.has(s.result)))
      bad('explanation', id, 'no step arrives at the claim (result equal to the claimed amount or points)');
    // A points claim holding a fixed amount too (a DRG high-cost excess as money): a step arrives at the amount.
    const fixed = r.claim.kind === 'points' ? r.claim.amount : undefined;
    if (fixed !== undefined && !isMoney(fixed)) bad('money', id, `claim amount ${fixed} is not whole non-negative fen`);
    else if (fixed !== undefined && !r.explanation.some((s) => s.result === fenToYuan(fixed) || s.result === fixed))
      bad('explanation', id, 'no step arrives at the fixed amount the points claim holds');
  });
  return out;
}

/** All contract checks on one fixture that need no randomness. Pure (runs the method twice). */
export function checkPaymentContract<I, C>(
  method: PaymentMethod<I, C>,
  fixture: ContractFixture<I, C>,
  options: ContractOptions<I, C> = {},
): ContractViolation[] {
  const first = method.evaluate(fixture.units, fixture.context);
  const out = checkResults(method.id, first);
  const again = method.evaluate(fixture.units, fixture.context);
  if (JSON.stringify(first) !== JSON.stringify(again))
    out.push({ check: 'determinism', message: 'two runs on the same input differ' });
  if (JSON.stringify(JSON.parse(JSON.stringify(first))) !== JSON.stringify(first))
    out.push({ check: 'serialisable', message: 'results do not survive a JSON round trip' });
  if (options.unitIdOf) {
    const expected = fixture.units.map(options.unitIdOf).sort();
    const got = first.map((r) => r.unitId).sort();
    if (JSON.stringify(expected) !== JSON.stringify(got))
      out.push({
        check: 'coverage',
        message: `input units and result units differ (${expected.length} in, ${got.length} out)`,
      });
  }
  for (const b of options.balances?.(fixture, first) ?? []) {
    if (b.expected !== b.actual)
      out.push({ check: 'balance', message: `${b.what}: expected ${b.expected}, got ${b.actual}` });
  }
  return out;
}

/**
 * Order independence: fast-check shuffles the units (and, with `permuteContext`, the context's arrays) and
 * compares every run with the baseline. Returns the first counterexample as a violation, or nothing.
 */
export function checkOrderIndependence<I, C>(
  method: PaymentMethod<I, C>,
  fixture: ContractFixture<I, C>,
  options: ContractOptions<I, C> = {},
): ContractViolation[] {
  const baseline = JSON.stringify(method.evaluate(fixture.units, fixture.context));
  const n = fixture.units.length;
  const details = fc.check(
    fc.property(
      fc.shuffledSubarray([...fixture.units], { minLength: n, maxLength: n }),
      fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      (units, seed) => {
        const permute = <T>(xs: readonly T[]): T[] => seededShuffle(xs, seed);
        const context = options.permuteContext ? options.permuteContext(fixture.context, permute) : fixture.context;
        return JSON.stringify(method.evaluate(units, context)) === baseline;
      },
    ),
    { numRuns: options.runs ?? 25 },
  );
  return details.failed
    ? [{ check: 'order', message: `a permutation of the inputs changes the results (seed ${details.seed})` }]
    : [];
}

/**
 * Register the contract suite for one method. `makeInputs` returns fixtures (include an empty batch, a boundary
 * batch and a realistic one).
 */
export function runPaymentContract<I, C>(
  name: string,
  makeMethod: () => PaymentMethod<I, C>,
  makeInputs: () => ContractFixture<I, C>[],
  options: ContractOptions<I, C> = {},
): void {
  describe(`payment contract (R-PAY, ARCHITECTURE "Seams"): ${name}`, () => {
    const fixtures = makeInputs();
    it('has at least one fixture with units', () => {
      expect(fixtures.some((f) => f.units.length > 0)).toBe(true);
    });
    for (const fixture of fixtures) {
      it(`${fixture.label}: money whole and balanced to the fen, explanations on every unit, deterministic`, () => {
        expect(checkPaymentContract(makeMethod(), fixture, options)).toEqual([]);
      });
      it(`${fixture.label}: independent of input order (fast-check shuffles)`, () => {
        expect(checkOrderIndependence(makeMethod(), fixture, options)).toEqual([]);
      });
    }
  });
}

/** A deterministic Fisher–Yates shuffle driven by a 32-bit seed (mulberry32). */
export function seededShuffle<T>(xs: readonly T[], seed: number): T[] {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
