import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ratio } from '../model/money.ts';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { BUNDLED_POLICY_DIR, loadPolicyDir } from '../policy/registry.ts';
import { SettlementError } from '../settlement/errors.ts';
import { openStore } from '../store/index.ts';
import { budgetedFunds, type CommunityYearOptions, runCommunityYear, valueClaim } from './community-year.ts';

describe('R-MC-2 a stored unit valued for the community (points × point value × fund payment ratio)', () => {
  it('points: 123.4567 points × 12.345678 元/点 × 0.9, half-up to the fen', () => {
    // 123.4567 × 1234.5678 fen × 0.9 = 137,174.0999… fen → 137,174 fen.
    const v = valueClaim({ points: 1_234_567, amountFen: null }, ratio(12_345_678n, 10_000n), ratio(9n, 10n));
    expect(v).toBe(137_174);
  });

  it('a fixed amount × fund payment ratio: 1,000.05 元 × 0.9 = 900.045 → 900.05 元', () => {
    expect(valueClaim({ points: null, amountFen: 100_005 }, ratio(1000n), ratio(9n, 10n))).toBe(90_005);
  });
});

describe('R-MC-2 a community of the policy with no insured persons in the store', () => {
  it('is a SettlementError naming the community, its county and the persons ingest (not a RangeError)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yibao-community-empty-'));
    const store = await openStore(join(dir, 'empty.duckdb'));
    try {
      const policies = loadPolicyDir(BUNDLED_POLICY_DIR, POLICY_KINDS);
      // The check runs before the run's results are read, so an unused run stands in.
      const run = {} as CommunityYearOptions['run'];
      const err = await runCommunityYear(store, { region: 'demo', year: 2025, policies, run }).catch((e) => e);
      expect(err).toBeInstanceOf(SettlementError);
      expect(err.code).toBe('MC_NO_POPULATION');
      expect(err.zh).toContain('yibao ingest --kind persons');
      expect(err.en).toMatch(/medical community \S+ .* has no insured persons/);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("R-BUD-4 a fund without insured persons in the community's county (鲁医保发〔2024〕39号 二(二) 人头预算标准 × 服务人群)", () => {
  const community = { id: 'MC01', county: '990101', members: ['H1', 'H2'] };
  const employeesOnly = new Map([['990101|employee', 6]]);

  it('is left out when no member was paid for that fund (an employees-only county: was RangeError, exit 70)', () => {
    const months = [{ institutionCode: 'H1', fund: 'employee' as const, units: 3 }];
    expect(budgetedFunds(community, employeesOnly, months, 'mc.yaml')).toEqual(['employee']);
  });

  it('is a SettlementError naming the fund and the persons ingest when members were paid for its patients', () => {
    const months = [
      { institutionCode: 'H1', fund: 'employee' as const, units: 3 },
      { institutionCode: 'H2', fund: 'resident' as const, units: 1 },
    ];
    let err: unknown;
    try {
      budgetedFunds(community, employeesOnly, months, 'mc.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SettlementError);
    const e = err as SettlementError;
    expect(e.code).toBe('MC_NO_FUND_POPULATION');
    expect(e.zh).toContain('没有居民医保参保人');
    expect(e.zh).toContain('yibao ingest --kind persons');
    expect(e.en).toContain('no insured persons of resident insurance');
  });

  it('a non-member paid for that fund does not matter', () => {
    const months = [{ institutionCode: 'H9', fund: 'resident' as const, units: 1 }];
    expect(budgetedFunds(community, employeesOnly, months, 'mc.yaml')).toEqual(['employee']);
  });
});
