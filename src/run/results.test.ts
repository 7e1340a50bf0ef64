/**
 * A settlement run's results are kept exactly (issue 9, R-DIP-6): a pool settled with sharing bands, a monthly
 * quota, deductions (up to negative months, clamped and carried or paid back) and mixed point and amount claims, written to the run tables and read back, equals the
 * settled pool in every figure, ratio and step; units keep their claims; point values keep the exact ratio.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Institution } from '../model/institution.ts';
import { type Ratio, ratio } from '../model/money.ts';
import type { UnitResult } from '../model/unit-result.ts';
import type { SettlementRules } from '../settlement/rules.ts';
import { settlePool } from '../settlement/settle.ts';
import { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import { fromJson, poolRows, readPoolSettlement, toJson, unitResultOf, unitRow } from './results.ts';

const r = (n: number, d = 1): Ratio => ratio(BigInt(n), BigInt(d));
const rules: SettlementRules = {
  fundPaymentRatio: { value: { kind: 'given', ratio: r(3, 4) }, source: '基金支付比例 75%' },
  pointValue: { value: { kind: 'floating' }, source: '002 四(三) 年终点值' },
  provisionalPointValue: {
    value: { kind: 'monthly-quota', quotaRatio: r(9, 10), capAtOpening: true },
    source: '002 四(三) 月度预结算总额',
  },
  prepayRatio: { value: r(19, 20), source: '预结算 95%' },
  advanceMonths: { value: { '3': r(1), '2': r(1), '1': r(1, 2) }, source: '000 §4 预付 1 个月' },
  sharing: {
    value: {
      surplus: [{ upTo: r(1, 10), institutionShare: r(1, 2) }, { institutionShare: r(0) }],
      overspend: [{ upTo: r(1, 10), fundShare: r(1, 2) }, { fundShare: r(0) }],
      source: '示范细则 第十三条',
    },
    source: '示范细则 第十三条',
  },
  defaultAssessment: { value: r(1), source: '考核系数 1' },
};
const institutions: Institution[] = [
  { code: 'A', name: 'A', level: '3', type: 'general', county: '1' },
  { code: 'B', name: 'B', level: '2', type: 'general', county: '1' },
  { code: 'C', name: 'C', level: '1', type: 'general', county: '1' },
];

const unitArb = fc.record({
  inst: fc.constantFrom('A', 'B', 'C'),
  month: fc.integer({ min: 1, max: 12 }),
  points: fc.option(fc.integer({ min: 1, max: 50_000_000 }), { nil: null }),
  amount: fc.integer({ min: 1, max: 5_000_000 }),
  billed: fc.integer({ min: 0, max: 8_000_000 }),
  status: fc.constantFrom('paid', 'low-cost', 'high-cost'),
});

describe('settlement run results (issue 9)', () => {
  it('a pool written to the run tables and read back equals the settled pool (property)', async () => {
    const store = await DuckDbStore.open(':memory:');
    let n = 0;
    const negative = new Set<string>();
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(unitArb, { minLength: 1, maxLength: 40 }),
          fc.integer({ min: 0, max: 80_000_000 }),
          fc.constantFrom('clamp-and-carry' as const, 'pay-back' as const),
          async (specs, deduction, negativeMonth) => {
            const units: UnitResult[] = specs.map((s, i) => ({
              unitId: `U${String(i).padStart(4, '0')}`,
              institutionCode: s.inst,
              month: `2025-${String(s.month).padStart(2, '0')}`,
              method: s.points === null ? 'per-diem' : 'dip',
              group: s.points === null ? 'P' : `G${i % 3}`,
              status: s.status as UnitResult['status'],
              claim: s.points === null ? { kind: 'amount', amount: s.amount } : { kind: 'points', points: s.points },
              billed: s.billed,
              patientPaid: Math.floor(s.billed / 5),
              explanation: [{ rule: 'R-DIP-3', zh: '分值', en: 'score', result: i }],
            }));
            const pool = settlePool({
              poolId: 'p-dip-2025',
              region: 'p',
              year: 2025,
              units,
              budget: { fund: 20_000_000_00, steps: [] },
              openingPointValue: { value: r(1_234_567, 1000), source: '年初点值' },
              institutions,
              lastYearFundPaid: new Map([
                ['A', 9_000_000_00],
                ['B', 6_000_000_00],
              ]),
              // A deduction larger than the month's prepay makes a negative month: clamped and carried, or paid back.
              deductions: [
                { institutionCode: 'B', period: '2025-03', amount: deduction, reason: '审核', source: '审核' },
              ],
              assessments: [],
              rules: { ...rules, negativeMonth: { value: negativeMonth, source: '负数月份 (test)' } },
            });
            for (const x of pool.notices ?? []) negative.add(x.rule);
            const rows = poolRows(pool);
            const id = `run-${++n}`;
            await store.saveSettlementRun(
              {
                id,
                region: 'p',
                year: 2025,
                command: 'test',
                caseMethod: 'dip',
                methods: ['dip', 'per-diem'],
                inputs: [],
                counts: { current: units.length },
                startedAt: '2025-01-01T00:00:00.000Z',
                finishedAt: '2025-01-01T00:00:01.000Z',
                status: 'ok',
              },
              async (w) => {
                await w.units(units.map((u) => unitRow('p-dip-2025', u, u.method === 'per-diem')));
                await w.pools([rows.pool]);
                await w.poolMonths(rows.months);
                await w.institutionMonths(rows.institutionMonths);
                await w.institutionYear(rows.institutionYear);
                await w.groups(rows.groups);
              },
            );
            const reader = store.runResults(id);
            expect(await readPoolSettlement(reader, 'p', 2025, 'p-dip-2025')).toEqual(pool);
            for (const u of units) {
              const back = unitResultOf((await reader.unit(u.unitId))!);
              expect(back.claim).toEqual(u.claim);
              expect(back.explanation).toEqual(u.method === 'per-diem' ? u.explanation : []);
            }
            // The DECIMAL copy of the point value is the exact ratio rounded half-up to 12 decimals.
            const pv = pool.pointValue.pointValue;
            const scaled = (pv.num * 10n ** 12n * 2n + pv.den) / (2n * pv.den);
            const dec = await store.scalar(
              `SELECT CAST(point_value * 1000000000000 AS HUGEINT)::VARCHAR FROM run_pools WHERE run_id = '${id}'`,
            );
            expect(String(dec)).toBe(String(scaled));
          },
        ),
        { numRuns: 16, seed: 2025 }, // fixed: both negative-month readings occur among these runs
      );
      expect((await store.listSettlementRuns({ region: 'p', year: 2025, limit: 100 })).length).toBe(n);
      expect([...negative].sort()).toEqual(['clamp-and-carry', 'pay-back']); // both readings were read back
    } finally {
      await store.close();
    }
  });
});

describe('exact JSON of what a run keeps (traces, derived values)', () => {
  const replaced = (v: unknown) =>
    JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? { $bigint: x.toString() } : x));
  it('the text is the bigint-aware form with or without a bigint inside, and reads back equal (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.option(fc.bigInt(), { nil: undefined }), (value, big) => {
        const v = big === undefined ? value : { value, ratio: { num: big, den: 7n } };
        expect(toJson(v)).toBe(replaced(v));
        expect(fromJson(toJson(v))).toEqual(fromJson(replaced(v)));
      }),
    );
    expect(toJson({ num: 10n ** 30n, den: 3n })).toBe(
      '{"num":{"$bigint":"1000000000000000000000000000000"},"den":{"$bigint":"3"}}',
    );
    expect(fromJson<{ num: bigint }>(toJson({ num: 10n ** 30n })).num).toBe(10n ** 30n);
  });
});
