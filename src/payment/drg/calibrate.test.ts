/** CHS-DRG 权重测算: history years weighted by calendar year (1:2:7 → 2022, 2023, 2024 for 2025). */
import { describe, expect, it } from 'vitest';
import { ratio } from '../../model/money.ts';
import { SettlementError } from '../../settlement/errors.ts';
import { calibrateWeights, historyYearWeights } from './calibrate.ts';

const params = { trimLow: ratio(0n), trimHigh: ratio(1n), decimals: 4, yearWeights: [1, 2, 7], minCases: 1 };

describe('CHS-DRG 权重测算 years by calendar year', () => {
  it('CHS-DRG 1:2:7 for settlement year 2025 → 2022: 1, 2023: 2, 2024: 7', () => {
    expect([...historyYearWeights(2025, [1, 2, 7])]).toEqual([
      [2022, 1],
      [2023, 2],
      [2024, 7],
    ]);
  });

  it('CHS-DRG: A costs 100.00 in 2022 (×1) and 200.00 in 2024 (×7), B 300.00 in 2023 (×2): mean A = (100 + 1400)/8 = 187.50', () => {
    const t = calibrateWeights(
      [
        { drg: 'A', year: 2022, cost: 10_000 },
        { drg: 'A', year: 2024, cost: 20_000 },
        { drg: 'B', year: 2023, cost: 30_000 },
      ],
      params,
      'test',
      2025,
    );
    expect(t.weights.get('A')!.meanCostExact).toEqual(ratio(18_750n));
    // overall = (100 + 600 + 1400) / (1 + 2 + 7) = 210.00; RW A = 187.50 / 210 = 0.8929
    expect(t.weights.get('A')!.rw).toEqual(ratio(8929n, 10000n));
  });

  it('CHS-DRG: a missing year (no 2023 cases) is an error naming 2023 — 2022 never silently takes 2023’s weight', () => {
    const run = () =>
      calibrateWeights(
        [
          { drg: 'A', year: 2022, cost: 10_000 },
          { drg: 'A', year: 2024, cost: 20_000 },
        ],
        params,
        'test',
        2025,
      );
    expect(run).toThrow(SettlementError);
    expect(run).toThrow(/2023/);
    expect(run).toThrow(/yearWeights/);
  });

  it('CHS-DRG: a year given weight 0 may be missing', () => {
    const t = calibrateWeights(
      [{ drg: 'A', year: 2024, cost: 20_000 }],
      { ...params, yearWeights: [0, 0, 1] },
      't',
      2025,
    );
    expect(t.weights.get('A')!.rw).toEqual(ratio(1n));
  });

  it('CHS-DRG: no DRG reaching minCases (A 4 cases, B 1, minCases 5) is an error naming minCases and A’s 4 cases (walk3 #3)', () => {
    const run = () =>
      calibrateWeights(
        [
          ...[10_000, 11_000, 12_000, 13_000].map((cost) => ({ drg: 'A', year: 2024, cost })),
          { drg: 'B', year: 2024, cost: 50_000 },
        ],
        { ...params, yearWeights: [0, 0, 1], minCases: 5 },
        't',
        2025,
      );
    expect(run).toThrow(SettlementError);
    const e = (() => {
      try {
        run();
      } catch (x) {
        return x as SettlementError;
      }
    })()!;
    expect(e.code).toBe('DRG_NO_WEIGHT_REACHES_MIN_CASES');
    expect(e.zh).toContain('rwCalibration.minCases（5 例）');
    expect(e.zh).toContain('2 个病组有历史病例，最多的病组 A 有 4 例');
    expect(e.en).toContain('the largest, A, has 4');
    expect(e.zh).not.toContain('病种目录');
  });

  it('CHS-DRG: grouped cases only in a year of weight 0 is an error naming the weighted year, not an internal error', () => {
    const run = () =>
      calibrateWeights(
        [
          { drg: 'A', year: 2023, cost: 10_000 },
          { drg: null, year: 2024, cost: 10_000 },
        ],
        { ...params, yearWeights: [0, 0, 1] },
        't',
        2025,
      );
    expect(run).toThrow(SettlementError);
    expect(run).toThrow(/2024/);
  });
});
