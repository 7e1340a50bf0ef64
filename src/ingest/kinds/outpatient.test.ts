/**
 * R-DATA-1 for outpatient special-disease settlements (门特结算记录, `--kind outpatient`): each QC rule with a
 * failing and a passing row, duplicate setl_id, idempotent re-import, Parquet, and the command line.
 */
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { EXIT } from '../../cli/context.ts';
import { registerIngestCommands } from '../../cli/ingest-commands.ts';
import { ingestFile } from '../pipeline.ts';
import { memoryStore, type Row, tempDir, toCsv } from '../testing.ts';

const tmp = tempDir('yibao-outpatient-');
const collectBatches = async <T>(it: AsyncIterable<T[]>): Promise<T[]> => {
  const out: T[] = [];
  for await (const b of it) out.push(...b);
  return out;
};
afterAll(() => tmp.remove());

/** A visit that passes every check: 100.00 = fund 70.00 + adjustment 3.00 + co-pay 22.00 + own-pay 5.00. */
function visit(o: Row = {}): Row {
  return {
    setl_id: 'MT1',
    mdtrt_id: 'V1',
    psn_no: 'P1',
    fixmedins_code: 'H001',
    insutype: '310',
    opsp_dise_code: 'MT201',
    opsp_dise_name: '高血压病',
    setl_time: '2025-03-01 09:30:00',
    medfee_sumamt: '100.00',
    hifp_pay: '70.00',
    outp_adj_fee: '3.00',
    psn_selfpay: '22.00',
    psn_ownpay: '5.00',
    acct_pay: '27.00',
    psn_cashpay: '0',
    ...o,
  };
}

/** Each failing row with the code and field it must be rejected with. */
const FAILING: [string, Row, string, string][] = [
  ['required psn_no', { psn_no: '' }, 'E_REQUIRED', 'psn_no'],
  ['required disease', { opsp_dise_code: '' }, 'E_REQUIRED', 'opsp_dise_code'],
  ['insurance type', { insutype: '320' }, 'E_CODE_INVALID', 'insutype'],
  ['malformed date', { setl_time: '2025-02-30 10:00' }, 'E_FORMAT', 'setl_time'],
  ['future date', { setl_time: '2099-01-01 10:00:00' }, 'E_RANGE', 'setl_time'],
  ['money with 3 decimals', { hifp_pay: '70.001' }, 'E_FORMAT', 'hifp_pay'],
  ['negative amount', { psn_ownpay: '-5.00', psn_selfpay: '22.00' }, 'E_NEGATIVE_AMOUNT', 'psn_ownpay'],
  [
    'fund above the total',
    { hifp_pay: '98.00', psn_selfpay: '0', psn_ownpay: '0', acct_pay: '0' },
    'E_COMPONENTS_EXCEED_TOTAL',
    'hifp_pay',
  ],
  ['co-pay above the total', { psn_selfpay: '30.00', acct_pay: '27.00' }, 'E_COMPONENTS_EXCEED_TOTAL', 'psn_selfpay'],
];

describe('R-DATA-1 ingest --kind outpatient (门特结算记录)', () => {
  it('rejects each failing row with its code and field and stores the passing rows with exact fen', async () => {
    const store = await memoryStore();
    const rows = [
      visit({ setl_id: 'OK1' }),
      visit({ setl_id: 'OK2', outp_adj_fee: '', mdtrt_id: '', opsp_dise_name: '' }),
      ...FAILING.map(([, o], i) => visit({ setl_id: `BAD${i}`, ...o })),
    ];
    const file = tmp.file('visits.csv', toCsv(rows));
    const r = await ingestFile(store, { kind: 'outpatient', file, rejectsFile: join(tmp.path, 'visits.rejects.csv') });
    expect([r.read, r.accepted, r.rejected]).toEqual([rows.length, 2, FAILING.length]);
    const rejects = await store.rows(
      `SELECT record_key, field, code FROM rejects WHERE kind = 'outpatient' ORDER BY row_no, code`,
    );
    for (const [i, [name, , code, field]] of FAILING.entries()) {
      expect(rejects, name).toContainEqual([`BAD${i}`, field, code]);
    }
    const stored = await collectBatches(store.iterateOutpatient({ year: 2025 }));
    expect(stored.map((o) => [o.setlId, o.totalCost, o.fundPay, o.outpatientAdjustment, o.accountPay])).toEqual([
      ['OK1', 10_000, 7_000, 300, 2_700],
      ['OK2', 10_000, 7_000, 0, 2_700],
    ]);
    expect(r.skippedChecks.map((s) => s.rule)).toEqual(['institution']);
    await store.close();
  });

  it('a duplicate setl_id in the file keeps one exact repeat and refuses conflicting ones; re-import is idempotent', async () => {
    const store = await memoryStore();
    const file = tmp.file(
      'dups.csv',
      toCsv([
        visit({ setl_id: 'D1' }),
        visit({ setl_id: 'D1' }),
        visit({ setl_id: 'D2' }),
        visit({ setl_id: 'D2', hifp_pay: '60.00', psn_selfpay: '32.00' }),
      ]),
    );
    const first = await ingestFile(store, { kind: 'outpatient', file, rejectsFile: join(tmp.path, 'd.csv') });
    expect([first.read, first.accepted, first.rejected]).toEqual([4, 1, 3]);
    expect(first.rejectsByCode).toEqual({ E_DUPLICATE_IN_FILE: 1, E_DUPLICATE_CONFLICT: 2 });
    const again = await ingestFile(store, { kind: 'outpatient', file, rejectsFile: join(tmp.path, 'd.csv') });
    expect([again.accepted, again.alreadyPresent]).toEqual([0, 1]);
    const changed = tmp.file(
      'changed.csv',
      toCsv([visit({ setl_id: 'D1', hifp_pay: '71.00', psn_selfpay: '21.00', acct_pay: '26.00' })]),
    );
    const r = await ingestFile(store, { kind: 'outpatient', file: changed, rejectsFile: join(tmp.path, 'c.csv') });
    expect(r.rejectsByCode).toEqual({ E_ALREADY_STORED_DIFFERENT: 1 });
    await store.close();
  });

  it('checks the institution against the imported institutions once they are loaded', async () => {
    const store = await memoryStore();
    const inst = tmp.file(
      'inst.csv',
      'fixmedins_code,fixmedins_name,hosp_lv,inst_type,admdvs\nH001,社区卫生服务中心,primary,primary,100101\n',
    );
    await ingestFile(store, { kind: 'institutions', file: inst, rejectsFile: join(tmp.path, 'i.csv') });
    const file = tmp.file(
      'inst-visits.csv',
      toCsv([visit({ setl_id: 'I1' }), visit({ setl_id: 'I2', fixmedins_code: 'H999' })]),
    );
    const r = await ingestFile(store, { kind: 'outpatient', file, rejectsFile: join(tmp.path, 'iv.csv') });
    expect([r.accepted, r.rejectsByCode]).toEqual([1, { E_CODE_UNKNOWN: 1 }]);
    await store.close();
  });

  it('reads the same visits from Parquet as from CSV (typed timestamp and decimals)', async () => {
    const csv = tmp.file('pq.csv', toCsv([visit({ setl_id: 'P1' }), visit({ setl_id: 'P2', outp_adj_fee: '' })]));
    const pq = join(tmp.path, 'pq.parquet');
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    await conn.run(
      `COPY (SELECT * REPLACE (CAST(setl_time AS TIMESTAMP) AS setl_time, CAST(medfee_sumamt AS DECIMAL(18,2)) AS medfee_sumamt,
              CAST(hifp_pay AS DECIMAL(18,2)) AS hifp_pay, CAST(nullif(outp_adj_fee, '') AS DECIMAL(18,2)) AS outp_adj_fee)
            FROM read_csv('${csv}', all_varchar = true)) TO '${pq}' (FORMAT parquet)`,
    );
    conn.closeSync();
    db.closeSync();
    const store = await memoryStore();
    const r = await ingestFile(store, { kind: 'outpatient', file: pq, rejectsFile: join(tmp.path, 'pq.rejects.csv') });
    expect([r.accepted, r.rejected]).toEqual([2, 0]);
    const again = await ingestFile(store, { kind: 'outpatient', file: csv, rejectsFile: join(tmp.path, 'pq2.csv') });
    expect(again.alreadyPresent).toBe(2);
    await store.close();
  });

  it('yibao ingest --kind outpatient works from the command line (--json, exit 0)', async () => {
    const db = join(tmp.path, 'cli.duckdb');
    const file = tmp.file('cli.csv', toCsv([visit({ setl_id: 'C1' })]));
    const program = new Command('yibao').exitOverride();
    registerIngestCommands(program, () => ({ db, json: true, lang: 'zh' }));
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
      out += String(s);
      return true;
    });
    try {
      await program.parseAsync(['node', 'yibao', 'ingest', file, '--kind', 'outpatient']);
    } finally {
      vi.restoreAllMocks();
    }
    const code = process.exitCode ?? 0;
    process.exitCode = undefined;
    expect(code).toBe(EXIT.ok);
    expect(JSON.parse(out)).toMatchObject({ kind: 'outpatient', read: 1, accepted: 1, rejected: 0 });
  });
});
