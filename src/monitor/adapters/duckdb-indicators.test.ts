/**
 * R-MON-1 indicators from the store: the settlement-list QC failure rate (rejected case rows of an institution-year ÷
 * its accepted + never-accepted rejected rows) and the high-weight group share of a settlement run's case units
 * (groups whose mean claim is at least `factor` × the region's mean claim), both hand-computed on planted rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TempDir, tempDir } from '../../ingest/testing.ts';
import { DuckDbStore } from '../../store/duckdb/duckdb-store.ts';
import { loadRegionFast } from '../bench-region.ts';
import { compareWithPeers, indicatorShown, institutionFlags } from '../indicators.ts';
import type { RuleBase } from '../rule-base.ts';
import { mkRule, r, testKnowledge } from '../testing.ts';
import { readInstitutionYears } from './duckdb-indicators.ts';

let tmp: TempDir;
let store: DuckDbStore;
const YEAR = 2025;
const rule = mkRule('HW1', { detector: 'high-weight-share', params: { factor: r(2), zMin: r(2) } }, 'suspicious');
const base = {
  policyId: 't',
  policyVersion: '1',
  rules: [rule],
  knowledge: testKnowledge(),
  values: { readmissionDays: { value: [14, 15, 31] } },
} as unknown as RuleBase;

let institutions: string[];
let cases: Map<string, number>;

beforeAll(async () => {
  tmp = tempDir('yibao-monitor-indicators-');
  store = await DuckDbStore.open(':memory:');
  await loadRegionFast(store, {
    dir: `${tmp.path}/region`,
    cases: 600,
    seed: 5,
    misbehaviour: false,
    years: [2024, 2025],
  });
  const conn = store.connection;
  await conn.run('DELETE FROM rejects');
  const r0 = await conn.runAndReadAll(
    `SELECT fixmedins_code, count(*) FROM cases WHERE year(dscg_time) = ${YEAR} GROUP BY 1 ORDER BY 2 DESC, 1`,
  );
  cases = new Map(r0.getRows().map((x) => [String(x[0]), Number(x[1])]));
  institutions = [...cases.keys()];
  const [a, b] = institutions as [string, string];
  const [accepted] = (
    await conn.runAndReadAll(
      `SELECT setl_id FROM cases WHERE fixmedins_code = '${a}' AND year(dscg_time) = ${YEAR} LIMIT 1`,
    )
  )
    .getRows()[0]!
    .map(String);
  const raw = (key: string, inst: string, dscg: string) =>
    JSON.stringify({ setl_id: key, fixmedins_code: inst, dscg_time: `${dscg} 10:00:00` });
  const rej = (key: string, inst: string, dscg: string, code: string) =>
    `('run', 'cases', 'f.csv', 1, '${key}', 'x', '${code}', 'zh', 'en', '${raw(key, inst, dscg)}')`;
  // A (2025): X1 twice (one row, two failed checks), X2, and a duplicate of an accepted case → 3 rejected rows,
  // 2 of them never accepted. A (2024): X3, which is not this year's. B: none.
  await conn.run(`INSERT INTO rejects (run_id, kind, source, row_no, record_key, field, code, message_zh, message_en, raw) VALUES
    ${rej('X1', a, '2025-03-01', 'E_REQUIRED')}, ${rej('X1', a, '2025-03-01', 'E_DATE_ORDER')},
    ${rej('X2', a, '2025-05-01', 'E_REQUIRED')}, ${rej(accepted!, a, '2025-01-01', 'E_DUPLICATE_CONFLICT')},
    ${rej('X3', a, '2024-12-01', 'E_REQUIRED')}`);
  // Run R1: group G (mean 3 points) and L (mean 1 point); region mean = (3 + 1 × 5) / 6 = 1.333…; 2 × 1.333 ≤ 3 → G
  // is high-weight, L is not. A: 1 of 2 units in G; B: 0 of 2; the third institution 0 of 2.
  const c = institutions[2]!;
  const u = (inst: string, id: string, grp: string, pts: number) =>
    `('R1', 'P', '${id}', 'dip', '${inst}', '2025-06', '${grp}', 'paid', ${pts}, NULL, 0, 0, NULL, NULL)`;
  await conn.run(`INSERT INTO run_units VALUES
    ${u(a, 'U1', 'G', 30_000)}, ${u(a, 'U2', 'L', 10_000)}, ${u(b, 'U3', 'L', 10_000)}, ${u(b, 'U4', 'L', 10_000)},
    ${u(c, 'U5', 'L', 10_000)}, ${u(c, 'U6', 'L', 10_000)}`);
}, 240_000);

afterAll(async () => {
  await store?.close();
  tmp?.remove();
});

describe('R-MON-1 QC failure rate and high-weight group share', () => {
  it('QC failure rate = rejected rows ÷ (accepted cases + rejected rows never accepted), per institution-year', async () => {
    const { current, previous } = await readInstitutionYears(store.connection, base, YEAR, 'R1');
    const [a, b] = institutions as [string, string];
    const na = cases.get(a)!;
    expect(current.find((i) => i.institutionCode === a)!.values.qcFailureRate).toBeCloseTo(3 / (na + 2), 12);
    expect(current.find((i) => i.institutionCode === b)!.values.qcFailureRate).toBe(0);
    const prevA = previous.find((i) => i.institutionCode === a)!;
    expect(prevA.values.qcFailureRate).toBeCloseTo(1 / (prevA.cases + 1), 12);
  });

  it('high-weight share from the run: A 1/2, the others 0; none without a settlement run', async () => {
    const { current } = await readInstitutionYears(store.connection, base, YEAR, 'R1');
    const [a, b, c] = institutions as [string, string, string];
    expect(current.find((i) => i.institutionCode === a)!.values.highWeightShare).toBe(0.5);
    expect(current.find((i) => i.institutionCode === b)!.values.highWeightShare).toBe(0);
    expect(current.find((i) => i.institutionCode === c)!.values.highWeightShare).toBe(0);
    const none = await readInstitutionYears(store.connection, base, YEAR);
    expect(none.current.every((i) => i.values.highWeightShare === undefined)).toBe(true);
  });

  it('004 四(七)2 次均门诊费用增长: 门特 cost per visit 400.00 (2024: 300.00, 500.00) → 500.00 (2025: 400.00, 500.00, 600.00), growth 0.25', async () => {
    const conn = store.connection;
    const [a] = institutions as [string];
    await conn.run(`DELETE FROM outpatient_settlements WHERE fixmedins_code = '${a}'`);
    const visit = (id: string, at: string, cost: string) =>
      `('${id}', 'P${id}', '${a}', '310', 'M00800', '${at} 09:00:00', ${cost}, 0, 'run')`;
    await conn.run(`INSERT INTO outpatient_settlements
      (setl_id, psn_no, fixmedins_code, insutype, opsp_dise_code, setl_time, medfee_sumamt, hifp_pay, run_id) VALUES
      ${visit('V1', '2024-03-01', '300.00')}, ${visit('V2', '2024-09-01', '500.00')},
      ${visit('V3', '2025-02-01', '400.00')}, ${visit('V4', '2025-06-01', '500.00')}, ${visit('V5', '2025-11-30', '600.00')}`);
    const { current, previous } = await readInstitutionYears(conn, base, YEAR, 'R1');
    expect(previous.find((i) => i.institutionCode === a)!.values.costPerVisit).toBe(40_000);
    const now = current.find((i) => i.institutionCode === a)!.values;
    expect(now.costPerVisit).toBe(50_000);
    expect(now.costPerVisitGrowth).toBeCloseTo(0.25, 12);
    expect(indicatorShown('costPerVisit', now.costPerVisit)).toBe(500);
  });

  it('R-MON-2 high-weight-share flags an institution ≥ zMin above its peers, never one at the peers’ mean', () => {
    const rows = ['A', 'B', 'C', 'D'].map((code, i) => ({
      institutionCode: code,
      level: '2',
      type: 'general',
      year: YEAR,
      cases: 500,
      values: { highWeightShare: [0.1, 0.11, 0.09, 0.4][i]! },
    }));
    const flags = institutionFlags([rule], rows, [], compareWithPeers(rows, 'level'));
    expect(flags.map((f) => f.flagId)).toEqual([`HW1:D:${YEAR}`]);
    expect(flags[0]!.evidence).toMatchObject({ indicator: 'highWeightShare', peers: 3, peerMean: '0.1000' });
  });
});
