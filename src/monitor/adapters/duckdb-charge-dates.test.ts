/**
 * R-MON-2/3 charges before admission or after discharge (入院前、出院后收费, 条例 第四十条) in the whole-year SQL mode,
 * on hand-built fee lines of one stored case: the same flags, amounts and evidence as `checkCase()` on that case.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TempDir, tempDir } from '../../ingest/testing.ts';
import { DuckDbStore } from '../../store/duckdb/duckdb-store.ts';
import { loadRegionFast } from '../bench-region.ts';
import { checkCase } from '../check-case.ts';
import type { RuleBase } from '../rule-base.ts';
import { emptyContext, mkRule, testKnowledge } from '../testing.ts';
import { prepareYear, yearCaseFlags } from './duckdb-sql.ts';

let tmp: TempDir;
let store: DuckDbStore;
const YEAR = 2025;
const rule = mkRule('OUT1', { detector: 'charge-outside-stay', params: { toleranceDays: 1 } });
const base = { policyId: 't', policyVersion: '1', rules: [rule], knowledge: testKnowledge() } as unknown as RuleBase;
let setlId = '';

beforeAll(async () => {
  tmp = tempDir('yibao-monitor-dates-');
  store = await DuckDbStore.open(':memory:');
  await loadRegionFast(store, { dir: `${tmp.path}/region`, cases: 300, seed: 3, misbehaviour: false, years: [YEAR] });
  const conn = store.connection;
  // a stay of at least two days, its lines replaced by hand-built ones
  const row = (
    await conn.runAndReadAll(
      `SELECT setl_id FROM cases WHERE year(dscg_time) = ${YEAR} AND CAST(dscg_time AS DATE) - CAST(adm_time AS DATE) >= 2
       ORDER BY setl_id LIMIT 1`,
    )
  ).getRows()[0]!;
  setlId = String(row[0]);
  await conn.run(`DELETE FROM fee_items WHERE setl_id = '${setlId}'`);
  const line = (no: number, code: string, yuan: string, when: string) =>
    `('${setlId}', ${no}, '${code}', '${code}', '01', '04', 1, ${yuan}, ${yuan}, ${when}, 't')`;
  const adm = `(SELECT CAST(adm_time AS DATE) FROM cases WHERE setl_id = '${setlId}')`;
  const dscg = `(SELECT CAST(dscg_time AS DATE) FROM cases WHERE setl_id = '${setlId}')`;
  await conn.run(`INSERT INTO fee_items (setl_id, line_no, med_list_codg, med_list_name, chrgitm_lv, med_chrgitm_type,
      cnt, pric, det_item_fee_sumamt, fee_ocur_time, run_id) VALUES
    ${line(1, 'LAB', '25.00', `${dscg} + INTERVAL 3 DAY + INTERVAL 9 HOUR`)},
    ${line(2, 'LAB', '25.00', `${adm} + INTERVAL 1 DAY`)},
    ${line(3, 'CT', '250.00', `${adm} - INTERVAL 2 DAY + INTERVAL 23 HOUR`)},
    ${line(4, 'XR', '90.00', `${adm} - INTERVAL 1 DAY`)},
    ${line(5, 'XR', '90.00', `${dscg} + INTERVAL 1 DAY + INTERVAL 20 HOUR`)},
    ${line(6, 'MRI', '600.00', 'NULL')}`);
}, 120_000);

afterAll(async () => {
  await store?.close();
  tmp?.remove();
});

describe('R-MON-2 charges outside the stay, whole-year SQL', () => {
  it('flags the lab line 3 days after discharge and the CT 2 days before admission (tolerance 1 day), as checkCase()', async () => {
    const conn = store.connection;
    await prepareYear(conn, YEAR, base.knowledge, { all: new Map(), plain: new Map(), ownShare: new Map() });
    const sql = (await yearCaseFlags(conn, base)).filter((f) => f.setlId === setlId);
    expect(sql.map((f) => [f.flagId, f.amount, f.evidence.daysOutside, f.evidence.lines])).toEqual([
      [`OUT1:${setlId}:CT`, 25_000, 2, 1],
      [`OUT1:${setlId}:LAB`, 2_500, 3, 1],
    ]);
    // the generator's own lines all lie within their stays: no other case is flagged
    expect((await yearCaseFlags(conn, base)).filter((f) => f.setlId !== setlId)).toEqual([]);
    const [c] = await store.readCases([setlId]);
    const items = await store.readFeeItems([setlId]);
    expect(items.find((i) => i.itemCode === 'MRI')?.chargeTime).toBeUndefined();
    expect(checkCase(base.rules, base.knowledge, { case: c!, items, context: emptyContext() })).toEqual(sql);
  });
});
