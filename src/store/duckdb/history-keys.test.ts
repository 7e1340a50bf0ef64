// Issue 9, the DIP history pass as SQL (R-DIP-1, R-DIP-2, R-DIP-4): the keys' counts and exact sums, the per-bed-day
// stays told by their category, and the trimmed cases ranked by (cost, the year's position, setl_id) — ties at both
// ends broken as the calibration's sort breaks them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HistoryKeys } from '../../model/history-keys.ts';
import { DuckDbStore } from './duckdb-store.ts';
import { lit } from './sql.ts';

const dir = mkdtempSync(join(tmpdir(), 'yibao-hist-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A case with what the history keys read; `yuan` is medfee_sumamt, the fund pays 80 %. */
const stay = (setl: string, year: number, yuan: string, o: { dx?: string; age?: number; los?: number } = {}) => ({
  setl,
  year,
  yuan,
  fund: (Number(yuan) * 0.8).toFixed(2),
  dx: o.dx ?? 'K35.800',
  age: o.age ?? 40,
  los: o.los ?? 5,
});

const CASES = [
  stay('S05', 2024, '100.00'),
  stay('S01', 2024, '100.00'),
  stay('S09', 2023, '100.00'),
  stay('S02', 2023, '500.00', { age: 70 }),
  stay('S03', 2024, '900.00'),
  stay('S04', 2023, '900.00'),
  stay('S07', 2024, '300.00', { dx: 'F20.000', los: 20 }),
];

async function openWithCases(): Promise<DuckDbStore> {
  const store = await DuckDbStore.open(join(dir, 'h.duckdb'));
  for (const c of CASES) {
    await store.connection.run(
      `INSERT INTO cases (setl_id, mdtrt_id, psn_no, fixmedins_code, insutype, gend, age, adm_time, dscg_time,
         act_ipt_days, dscg_way, diag_codes, oprn_oprt_codes, medfee_sumamt, hifp_pay, run_id)
       VALUES (${lit(c.setl)}, ${lit(c.setl)}, 'P1', 'H001', '310', '1', ${c.age}, '${c.year}-03-01 08:00:00',
         '${c.year}-03-06 08:00:00', ${c.los}, '1', [${lit(c.dx)}]::VARCHAR[], ['47.0100']::VARCHAR[],
         ${c.yuan}, ${c.fund}, 'fixture')`,
    );
  }
  return store;
}

describe('DuckDB history keys (issue 9)', () => {
  it('groups by key with exact sums, tells the per-bed-day stay, and trims by (cost, year position, setl_id)', async () => {
    const store = await openWithCases();
    try {
      let seen: HistoryKeys | undefined;
      const { keys, tails } = await store.historyKeys(
        {
          years: [2023, 2024],
          bits: [{ value: 1, of: 'age-years', from: 65 }],
          // R-DIP-4: a psychiatric stay of at least 1 day at H001 is paid per bed-day.
          exclude: [{ principalPrefixes: ['F20'], institutions: ['H001'], minLosDays: 1 }],
          firstIds: true,
        },
        (k) => {
          seen = k;
          const d = k.diagnoses.findIndex((l) => l[0] === 'K35.800');
          // One group of the six appendicitis cases: its lowest and its highest trimmed.
          return { pairs: [{ diagnosisList: d, procedureList: 0, group: 0 }], cases: [6], low: [1], high: [1] };
        },
      );
      expect(seen).toBe(keys);
      expect([...keys.diagnoses].sort()).toEqual([['F20.000'], ['K35.800']]);
      expect(keys.procedures).toEqual([['47.0100']]);
      expect(keys.institutions).toEqual(['H001']);
      const rows = Array.from({ length: keys.n }, (_, r) => ({
        year: keys.year[r],
        dx: keys.diagnoses[keys.diagnosisList[r]!]![0],
        bits: keys.bits[r],
        excluded: keys.excluded[r],
        cases: keys.cases[r],
        cost: keys.cost[r],
        fund: keys.fundPay[r],
        squares: keys.costSquares[r],
        first: keys.firstId[r],
      }));
      // Rows in key order: year, then the lists' numbers (their order is the store's).
      expect(rows.map((x) => x.year)).toEqual([2023, 2023, 2024, 2024]);
      const byKey = (a: (typeof rows)[number], b: (typeof rows)[number]) =>
        a.year! - b.year! || a.dx!.localeCompare(b.dx!) || a.bits! - b.bits!;
      expect([...rows].sort(byKey)).toEqual([
        // 2023: S09 (100) and S04 (900); S02 (500, aged 70: the age bit) alone.
        {
          year: 2023,
          dx: 'K35.800',
          bits: 0,
          excluded: 0,
          cases: 2,
          cost: 100000,
          fund: 80000,
          squares: 8200000000n,
          first: 'S04',
        },
        {
          year: 2023,
          dx: 'K35.800',
          bits: 1,
          excluded: 0,
          cases: 1,
          cost: 50000,
          fund: 40000,
          squares: 2500000000n,
          first: 'S02',
        },
        // 2024: the psychiatric stay (excluded), then S01, S05 (100 each) and S03 (900).
        {
          year: 2024,
          dx: 'F20.000',
          bits: 0,
          excluded: 1,
          cases: 1,
          cost: 30000,
          fund: 24000,
          squares: 900000000n,
          first: 'S07',
        },
        {
          year: 2024,
          dx: 'K35.800',
          bits: 0,
          excluded: 0,
          cases: 3,
          cost: 110000,
          fund: 88000,
          squares: 8300000000n,
          first: 'S01',
        },
      ]);
      // Lowest: the three cases of 100 yuan, 2023 before 2024 → S09 (its key: 2023, no bit). Highest: the two of
      // 900 yuan, 2024 after 2023 → S03 (its key: 2024).
      const keyOf = (r: number) => `${keys.year[r]} ${keys.diagnoses[keys.diagnosisList[r]!]![0]} ${keys.bits[r]}`;
      expect({
        n: tails.n,
        keys: [...tails.row].map(keyOf),
        group: [...tails.group],
        cost: [...tails.cost],
      }).toEqual({ n: 2, keys: ['2023 K35.800 0', '2024 K35.800 0'], group: [0, 0], cost: [10000, 90000] });
    } finally {
      await store.close();
    }
  });
});
