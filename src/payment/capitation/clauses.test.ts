/**
 * Readings of seed 004 (攀枝花 二类门特按病种结合人头付费试行办法) that the policy chooses, each checked by hand:
 * the cliff beside the bands (四(六)3), caps per fund (四(三)1), money rounded once (四(四)1(3)).
 */
import { describe, expect, it } from 'vitest';
import { ratio } from '../../model/money.ts';
import { SettlementError } from '../../settlement/errors.ts';
import { calibrateCapitation, capitationCaps, capitationMethod, settleCapitationYear } from './index.ts';
import { actual, CAP, history, persons, planned, policy, row, spending, YEAR } from './test-fixtures.ts';
import { shareWithCliff } from './year-end.ts';

const standards = calibrateCapitation({
  year: YEAR,
  policy,
  history,
  planned,
  persons,
  caps: { employee: CAP, resident: 0 },
});
const yearEnd = capitationMethod.evaluate(actual, {
  year: YEAR,
  policy,
  standards,
  persons,
  spending,
  mode: 'year-end',
});
const settle = (p: typeof policy) =>
  settleCapitationYear({ year: YEAR, policy: p, results: yearEnd, prepayments: [] }).lines;
const flatModel = { ...standards.riskModel, score: () => ({ weight: ratio(1n), cell: 'flat' }) };
const cliff = { ...policy, overspendReading: { value: 'cliff' as const, source: '四(六)3 cliff' } };

describe('四(六)3 overspend: bands (default) or cliff (policy `overspendReading`)', () => {
  it('四(六)3 bands: H3 6000.00 total, 6900.00 spent (15 % over) → fund bears 40 % of the first 600.00 = 240.00, pays 6240.00', () => {
    expect(policy.overspendReading.value).toBe('bands');
    expect(settle(policy).find((l) => l.institutionCode === 'H3')!.fundPays).toBe(624_000);
  });

  it('四(六)3 cliff: the same H3 (≥ 10 % over) bears all 900.00 itself → fund pays the total 6000.00', () => {
    const h3 = settle(cliff).find((l) => l.institutionCode === 'H3')!;
    expect([h3.fundPays, h3.sharing.institutionBears]).toEqual([600_000, 90_000]);
  });

  it('四(六)3 cliff: below the edge it is the bands — H2 6 % over (945.00) → fund bears 40 % = 378.00 either way', () => {
    const b = settle(policy).find((l) => l.institutionCode === 'H2')!;
    const c = settle(cliff).find((l) => l.institutionCode === 'H2')!;
    expect(c.fundPays).toBe(b.fundPays);
    expect(c.fundPays).toBe(1_575_000 + 37_800);
  });

  it('四(六)3 cliff edge: exactly 10 % over (1000.00 on 10000.00) is at the edge → institution bears all; 9.99 % shares 40 %', () => {
    const bands = { ...policy.sharing.value, source: 'x' };
    expect(shareWithCliff(1_000_000, 1_100_000, bands).fundPays).toBe(1_000_000);
    expect(shareWithCliff(1_000_000, 1_099_900, bands).fundPays).toBe(1_000_000 + 39_960);
  });
});

describe('四(三)1 caps per fund; no cap is an error that says what to provide', () => {
  it('四(三)1 capAmount per fund: employee 12,000,000.00 and resident 30,000,000.00 taken as written (no budget needed)', () => {
    const p = {
      ...policy,
      capAmount: { value: { employee: 1_200_000_000, resident: 3_000_000_000 }, source: '四(三)1' },
    };
    expect(capitationCaps(p, {})).toEqual({ employee: 1_200_000_000, resident: 3_000_000_000 });
  });

  it('四(三)1 capShareOfBudget per fund: employee 3 %, resident 5 % of 1,000,000.00 each, rounded down', () => {
    const p = {
      ...policy,
      capShareOfBudget: { value: { employee: ratio(3n, 100n), resident: ratio(5n, 100n) }, source: '四(三)1' },
    };
    expect(capitationCaps(p, { fundBudgets: { employee: 100_000_000, resident: 100_000_033 } })).toEqual({
      employee: 3_000_000,
      resident: 5_000_001,
    });
  });

  it('四(三)1 the shipped Panzhihua policy (share null, no amount) gives a SettlementError naming capAmount, in zh and en — not a RangeError', () => {
    try {
      capitationCaps(policy, { fundBudgets: { employee: 1, resident: 1 } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SettlementError);
      const err = e as SettlementError;
      expect(err.code).toBe('CAP_MISSING');
      expect(err.zh).toMatch(/capAmount/);
      expect(err.zh).toMatch(/总控额度/);
      expect(err.en).toMatch(/state capAmount/);
    }
  });
});

describe('四(四)1(3) institution total = corrected rate × risk-weighted heads, rounded once', () => {
  it('四(四)1(3): a person switching H1 → H4 on 1 July at rate 100.00: 49.5890 + 50.4110 → 49.59 + 50.41 = the whole 100.00 (per-head floors gave 99.99)', () => {
    const rates = new Map([['employee|D1', 10_000]]);
    const s = { ...standards, rates, riskModel: flatModel };
    const rows = [
      row('pS', 'D1', 'H1', 'F1', '2021-01-01', '2021-06-30'),
      row('pS', 'D1', 'H4', 'F1', '2021-07-01', '2021-12-31'),
    ];
    const flatPersons = persons.map((p) => ({ ...p, birthDate: '1980-01-01' }));
    const r = capitationMethod.evaluate(rows, {
      year: YEAR,
      policy,
      standards: s,
      persons: flatPersons,
      spending: [],
      mode: 'plan',
    });
    expect(r.map((x) => (x.claim.kind === 'amount' ? x.claim.amount : -1))).toEqual([4959, 5041]);
  });

  it("R-CAP-3: the head step names the fund in the glossary's words (职工医保 / employee insurance), never the model word", () => {
    const rows = [row('pS', 'D1', 'H1', 'F1', '2021-01-01', '2021-12-31')];
    const r = capitationMethod.evaluate(rows, {
      year: YEAR,
      policy,
      standards: { ...standards, rates: new Map([['employee|D1', 10_000]]), riskModel: flatModel },
      persons: persons.map((p) => ({ ...p, birthDate: '1980-01-01' })),
      spending: [],
      mode: 'plan',
    });
    const head = r[0]!.explanation.find((x) => x.rule === 'R-CAP-3')!;
    expect(head.zh).toContain('（2 类门特，职工医保）');
    expect(head.en).toContain('(class 2, employee insurance)');
    expect(head.zh).not.toMatch(/employee|resident/);
  });

  it('四(四)1(3): three heads of 1/3 of a year at 1.00 each in one institution total 1.00 (0.3315 × 3 = 0.9945 → 0.99), not 0.33 × 3', () => {
    const rates = new Map([['employee|D1', 100]]);
    const s = { ...standards, rates, riskModel: flatModel };
    const rows = ['p1', 'p2', 'pS'].map((p) => row(p, 'D1', 'H1', 'F1', '2021-01-01', '2021-05-01'));
    const flatPersons = persons.map((p) => ({ ...p, birthDate: '1980-01-01' }));
    const r = capitationMethod.evaluate(rows, {
      year: YEAR,
      policy,
      standards: s,
      persons: flatPersons,
      spending: [],
      mode: 'plan',
    });
    // 100 × 121/365 = 33.1507 fen each; Σ 99.452 → 99 fen once; split 33/33/33
    expect(r.reduce((t, x) => t + (x.claim.kind === 'amount' ? x.claim.amount : 0), 0)).toBe(99);
  });
});
