/**
 * R-DATA-1 the ingest as a whole: read = accepted + rejected + already present, always; re-importing a file
 * is idempotent; a failing import leaves the store's data unchanged; rejects reach the file and the store;
 * fee items, institutions, persons and enrolments; QC settings come from the qc policy.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import { runMessageIn } from '../store/run-message.ts';
import { ingestFile } from './pipeline.ts';
import { loadQcSettings } from './qc/settings.ts';
import { memoryStore, type Row, tableRows, tempDir, toCsv, validCase } from './testing.ts';

const tmp = tempDir('yibao-pipeline-');
afterAll(() => tmp.remove());

const count = async (store: DuckDbStore, table: string) =>
  Number((await store.scalar(`SELECT count(*) FROM ${table}`)) ?? 0);

describe('R-DATA-1 idempotent re-import', () => {
  it('importing the same file twice stores each case once; the second run counts them as already present', async () => {
    const store = await memoryStore();
    const rows = [validCase({ setl_id: 'A1' }), validCase({ setl_id: 'A2' }), validCase({ setl_id: 'A3', gend: 'x' })];
    const file = tmp.file('idem.csv', toCsv(rows));
    const first = await ingestFile(store, { kind: 'cases', file });
    const second = await ingestFile(store, { kind: 'cases', file });
    expect([first.read, first.accepted, first.rejected, first.alreadyPresent]).toEqual([3, 2, 1, 0]);
    expect([second.read, second.accepted, second.rejected, second.alreadyPresent]).toEqual([3, 0, 1, 2]);
    expect(await count(store, 'cases')).toBe(2);
    const runs = await store.listRuns();
    expect(runs.map((r) => r.counts)).toEqual([
      { read: 3, accepted: 0, rejected: 1, alreadyPresent: 2 },
      { read: 3, accepted: 2, rejected: 1, alreadyPresent: 0 },
    ]);
    expect(runs[0]!.inputs[0]!.sha256).toBe(first.sha256);
    // Nothing of a run stays on the connection: neither its temp tables nor the bit set of the rows not stored.
    expect(await store.scalar("SELECT getvariable('yb_drop_rows')")).toBeNull();
    expect(
      Number(await store.scalar("SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name LIKE 'yb_%'")),
    ).toBe(0);
    await store.close();
  });

  it('a stored setl_id arriving with different content is refused, never silently replaced', async () => {
    const store = await memoryStore();
    await ingestFile(store, { kind: 'cases', file: tmp.file('v1.csv', toCsv([validCase({ setl_id: 'B1' })])) });
    const changed = tmp.file('v2.csv', toCsv([validCase({ setl_id: 'B1', act_ipt_days: '5' })]));
    const rejectsFile = `${tmp.path}/out/v2.rejects.csv`;
    const r = await ingestFile(store, { kind: 'cases', file: changed, rejectsFile });
    expect([r.accepted, r.rejected, r.rejectsByCode]).toEqual([0, 1, { E_ALREADY_STORED_DIFFERENT: 1 }]);
    expect((await tableRows(store, 'SELECT act_ipt_days FROM cases'))[0]!.act_ipt_days).toBe('4');
    // The key by its Chinese label in zh (结算ID B1, not setl_id B1), by its 4101 name in en.
    const rej = parse(readFileSync(rejectsFile, 'utf8'), { columns: true, bom: true }) as Record<string, string>[];
    expect(rej[0]!.qc_message_zh).toMatch(/^结算ID B1 已入库（运行 .+）且内容不同；不会覆盖已入库数据$/);
    expect(rej[0]!.qc_message_en).toMatch(/^setl_id B1 is already stored \(run .+\) with different content/);
    await store.close();
  });
});

describe('R-DATA-1 a failing import changes nothing', () => {
  it('a failure after the accepted rows were inserted rolls everything back; only a failed run is recorded', async () => {
    const store = await memoryStore();
    await ingestFile(store, { kind: 'cases', file: tmp.file('base.csv', toCsv([validCase({ setl_id: 'C0' })])) });
    const before = { cases: await count(store, 'cases'), rejects: await count(store, 'rejects') };
    const file = tmp.file('fail.csv', toCsv([validCase({ setl_id: 'C1' }), validCase({ setl_id: 'C2', age: 'x' })]));
    const seen: string[] = [];
    await expect(
      ingestFile(store, {
        kind: 'cases',
        file,
        onStage: (stage) => {
          seen.push(stage);
          if (stage === 'rejects') throw new Error('simulated crash after the insert');
        },
      }),
    ).rejects.toThrow('simulated crash');
    expect(seen).toContain('store'); // the insert had run
    expect({ cases: await count(store, 'cases'), rejects: await count(store, 'rejects') }).toEqual(before);
    expect((await tableRows(store, 'SELECT setl_id FROM cases')).map((r) => r.setl_id)).toEqual(['C0']);
    const [last] = await store.listRuns({ limit: 1 });
    expect([last!.status, last!.message]).toEqual(['failed', 'simulated crash after the insert']);
    // and the store still works: the same file now goes in
    const ok = await ingestFile(store, { kind: 'cases', file });
    expect([ok.accepted, ok.rejected]).toEqual([1, 1]);
    await store.close();
  });

  it('a file that cannot be read at all (required column missing) stores nothing', async () => {
    const store = await memoryStore();
    const { setl_id: _drop, ...noId } = validCase();
    const file = tmp.file('noid.csv', toCsv([noId]));
    await expect(ingestFile(store, { kind: 'cases', file })).rejects.toMatchObject({ code: 'E_HEADER_MISSING' });
    expect(await count(store, 'cases')).toBe(0);
    // The failed run keeps its error in both languages, each whole and marked, so `yibao runs` shows the reader's
    // (it kept one text "FILE: English / 中文" and zh printed both).
    const [last] = await store.listRuns({ limit: 1 });
    expect(last!.status).toBe('failed');
    expect(last!.message).toMatch(/^【zh】.*【en】/s);
    expect(runMessageIn(last!, 'zh')!.startsWith(`${file}: 前 20 行中没有含全部必填列的表头行；`)).toBe(true);
    expect(runMessageIn(last!, 'zh')).not.toMatch(/no row among/);
    expect(
      runMessageIn(last!, 'en')!.startsWith(`${file}: no row among the first 20 holds every required column`),
    ).toBe(true);
    expect(runMessageIn(last!, 'en')).not.toMatch(/表头/);
    await store.close();
  });
});

describe('R-DATA-1 read = accepted + rejected + already present', () => {
  it('holds for any mix of good, bad, duplicated and previously stored rows (property)', async () => {
    const store = await memoryStore();
    let k = 0;
    const variants: Row[] = [
      {},
      { gend: '3' },
      { medfee_sumamt: '1.234' },
      { act_ipt_days: '9' },
      { diag_codes: '' },
      { gend: '1', diag_codes: 'O80.000' },
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({ id: fc.integer({ min: 1, max: 8 }), v: fc.integer({ min: 0, max: variants.length - 1 }) }),
          {
            minLength: 1,
            maxLength: 12,
          },
        ),
        async (spec) => {
          const rows = spec.map(({ id, v }) => validCase({ setl_id: `Q${id}`, ...variants[v] }));
          const r = await ingestFile(store, { kind: 'cases', file: tmp.file(`p${++k}.csv`, toCsv(rows)) });
          expect(r.read).toBe(rows.length);
          expect(r.accepted + r.rejected + r.alreadyPresent).toBe(r.read);
          const stored = Number(await store.scalar('SELECT count(DISTINCT setl_id) = count(*) FROM cases'));
          expect(stored).toBe(1); // never two rows for one setl_id
        },
      ),
      { numRuns: 8 },
    );
    const totals = await tableRows(store, 'SELECT count(*) AS n FROM rejects');
    expect(Number(totals[0]!.n)).toBeGreaterThan(0);
    await store.close();
  });
});

describe('R-DATA-1 rejects file and table', () => {
  it('writes one line per row and error with the row as read (UTF-8 BOM), and keeps the same in the store', async () => {
    const store = await memoryStore();
    const rows = [validCase({ setl_id: 'D1' }), validCase({ setl_id: 'D2', gend: '3', age: '-1', brdy: '' })];
    const file = tmp.file('rej.csv', toCsv(rows));
    const rejectsFile = `${tmp.path}/out/rej.rejects.csv`;
    const r = await ingestFile(store, { kind: 'cases', file, rejectsFile });
    const text = readFileSync(rejectsFile, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = parse(text, { columns: true, bom: true }) as Record<string, string>[];
    // D2 is line 3 of the file (header 1, D1 2): the row an editor shows.
    expect(lines.map((l) => [l.qc_row, l.qc_setl_id, l.qc_code, l.qc_field])).toEqual([
      ['3', 'D2', 'E_CODE_INVALID', 'gend'],
      ['3', 'D2', 'E_RANGE', 'age'],
    ]);
    expect(lines[0]!.gend).toBe('3'); // the raw row follows
    expect(lines[0]!.medfee_sumamt).toBe('12345.67');
    const stored = await tableRows(
      store,
      'SELECT run_id, row_no, row_unit, record_key, code, raw FROM rejects ORDER BY code',
    );
    expect(stored.map((s) => [s.run_id, s.row_no, s.row_unit, s.record_key, s.code])).toEqual([
      [r.runId, '3', 'row', 'D2', 'E_CODE_INVALID'],
      [r.runId, '3', 'row', 'D2', 'E_RANGE'],
    ]);
    expect(JSON.parse(stored[0]!.raw!).gend).toBe('3');
    // the rejects file can be fixed and ingested again as it is (qc_* columns are ignored)
    const fixed = tmp.file('fixed.csv', text.replaceAll(',310,3,,-1,', ',310,1,,64,'));
    const again = await ingestFile(store, { kind: 'cases', file: fixed });
    expect(again.ignoredColumns).toEqual([
      'qc_row',
      'qc_setl_id',
      'qc_field',
      'qc_code',
      'qc_message_zh',
      'qc_message_en',
      'qc_raw',
    ]);
    expect([again.read, again.accepted, again.rejectsByCode]).toEqual([2, 1, { E_DUPLICATE_IN_FILE: 1 }]);
    await store.close();
  });

  it('a dry run (qc) reports and writes the rejects file but stores nothing', async () => {
    const store = await memoryStore();
    const file = tmp.file('dry.csv', toCsv([validCase({ setl_id: 'E1' }), validCase({ setl_id: 'E2', gend: '3' })]));
    const r = await ingestFile(store, { kind: 'cases', file, dryRun: true, rejectsFile: `${tmp.path}/dry.rej.csv` });
    expect([r.dryRun, r.accepted, r.rejected]).toEqual([true, 1, 1]);
    expect([await count(store, 'cases'), await count(store, 'rejects'), await count(store, 'runs')]).toEqual([0, 0, 0]);
    await store.close();
  });
});

describe('R-DATA-1 QC settings come from the qc policy', () => {
  it('a region that allows no LOS difference rejects what the demo policy (tolerance 1) accepts', async () => {
    const policy = tmp.file(
      'strict-qc.yaml',
      readFileSync('policies/demo/qc.yaml', 'utf8')
        .replace('id: demo-qc', 'id: strict-qc')
        .replace(/losToleranceDays:\n {4}value: 1/, 'losToleranceDays:\n    value: 0'),
    );
    const strict = loadQcSettings(policy, '2025-06-30');
    expect([strict.losToleranceDays, strict.policy.id]).toEqual([0, 'strict-qc']);
    const file = tmp.file('los.csv', toCsv([validCase({ act_ipt_days: '5' })]));
    const store = await memoryStore();
    expect((await ingestFile(store, { kind: 'cases', file, dryRun: true })).rejected).toBe(0);
    const r = await ingestFile(store, { kind: 'cases', file, dryRun: true, qc: strict });
    expect([r.rejected, r.rejectsByCode, r.policy.id]).toEqual([1, { E_LOS_MISMATCH: 1 }, 'strict-qc']);
    await store.close();
  });
});

describe('R-DATA-1 master data and fee items', () => {
  it('ingests institutions, persons and enrolments with their code sets and date checks', async () => {
    const store = await memoryStore();
    const inst = await ingestFile(store, {
      kind: 'institutions',
      file: tmp.file(
        'inst.csv',
        toCsv([
          {
            fixmedins_code: 'H1',
            fixmedins_name: '县医院',
            hosp_lv: '2',
            inst_type: 'general',
            admdvs: '01',
            mc_id: 'MC1',
            mc_lead: '1',
          },
          {
            fixmedins_code: 'H2',
            fixmedins_name: '乡镇卫生院',
            hosp_lv: 'primary',
            inst_type: 'primary',
            admdvs: '01',
            mc_id: 'MC1',
            mc_lead: '0',
          },
          {
            fixmedins_code: 'H3',
            fixmedins_name: '某医院',
            hosp_lv: '4',
            inst_type: 'general',
            admdvs: '01',
            mc_id: '',
            mc_lead: '1',
          },
        ]),
      ),
    });
    expect([inst.accepted, inst.rejected, inst.rejectsByCode]).toEqual([2, 1, { E_CODE_INVALID: 1, E_REQUIRED: 1 }]);
    expect((await store.readInstitutions()).map((i) => [i.code, i.level, i.isLead])).toEqual([
      ['H1', '2', true],
      ['H2', 'primary', false],
    ]);
    const persons = await ingestFile(store, {
      kind: 'persons',
      file: tmp.file(
        'persons.csv',
        toCsv([
          { psn_no: 'P1', gend: '1', brdy: '1950-02-03', insutype: '310', admdvs: '01' },
          { psn_no: 'P2', gend: '2', brdy: 'n/a', insutype: '390', admdvs: '01' },
        ]),
      ),
    });
    expect([persons.accepted, persons.rejected]).toEqual([1, 1]);
    const enr = await ingestFile(store, {
      kind: 'enrolments',
      file: tmp.file(
        'enr.csv',
        toCsv([
          {
            psn_no: 'P1',
            opsp_dise_code: 'M001',
            dise_class: '1',
            insutype: '310',
            treat_fixmedins_code: 'H1',
            fd_fixmedins_code: 'H2',
            begndate: '2025-01-01',
            enddate: '2025-12-31',
          },
          {
            psn_no: 'P1',
            opsp_dise_code: 'M002',
            dise_class: '2',
            insutype: '310',
            treat_fixmedins_code: 'H9',
            fd_fixmedins_code: '',
            begndate: '2025-01-01',
            enddate: '2025-12-31',
          },
          {
            psn_no: 'P1',
            opsp_dise_code: 'M003',
            dise_class: '2',
            insutype: '310',
            treat_fixmedins_code: 'H1',
            fd_fixmedins_code: '',
            begndate: '2025-07-01',
            enddate: '2025-06-30',
          },
        ]),
      ),
    });
    expect([enr.accepted, enr.rejected, enr.rejectsByCode]).toEqual([1, 2, { E_CODE_UNKNOWN: 1, E_DATE_ORDER: 1 }]);
    expect((await store.readEnrolments()).map((e) => e.diseaseCode)).toEqual(['M001']);
    await store.close();
  });

  it('fee items: all lines of a settlement go in together, once; a bad line refuses its settlement', async () => {
    const store = await memoryStore();
    await ingestFile(store, {
      kind: 'cases',
      file: tmp.file('fcases.csv', toCsv([validCase({ setl_id: 'F1' }), validCase({ setl_id: 'F2' })])),
    });
    const line = (setl: string, code: string, cnt: string, pric: string, amt: string) => ({
      setl_id: setl,
      med_list_codg: code,
      med_list_name: `项目${code}`,
      chrgitm_lv: '01',
      med_chrgitm_type: '09',
      cnt,
      pric,
      det_item_fee_sumamt: amt,
    });
    const lines = [
      line('F1', 'X1', '2', '10.00', '20.00'),
      line('F1', 'X1', '2', '10.00', '20.00'), // an identical line is a real second line, not a duplicate
      line('F2', 'X2', '1.5', '3.00', '4.50'),
      line('F2', 'X3', '1', 'abc', '1.00'),
      line('F9', 'X4', '1', '1.00', '1.00'),
    ];
    const file = tmp.file('fee.csv', toCsv(lines));
    const r = await ingestFile(store, { kind: 'fee-items', file });
    expect([r.read, r.accepted, r.rejected, r.rejectsByCode]).toEqual([
      5,
      2,
      3,
      { E_CASE_UNKNOWN: 1, E_FORMAT: 1, E_GROUP_REJECTED: 1 },
    ]);
    expect((await store.readFeeItems(['F1'])).map((f) => [f.itemCode, f.quantity, f.amount])).toEqual([
      ['X1', '2', 2000],
      ['X1', '2', 2000],
    ]);
    const again = await ingestFile(store, { kind: 'fee-items', file });
    expect([again.accepted, again.alreadyPresent, again.rejected]).toEqual([0, 2, 3]);
    const changed = await ingestFile(store, {
      kind: 'fee-items',
      file: tmp.file('fee2.csv', toCsv([line('F1', 'X1', '3', '10.00', '30.00')])),
    });
    expect(changed.rejectsByCode).toEqual({ E_ALREADY_STORED_DIFFERENT: 1 });
    await store.close();
  });

  it('fee items: the optional charge date-time (fee_ocur_time 费用发生时间) is stored; malformed or future dates refuse the line', async () => {
    const store = await memoryStore();
    await ingestFile(store, {
      kind: 'cases',
      file: tmp.file('dcases.csv', toCsv([validCase({ setl_id: 'D1' }), validCase({ setl_id: 'D2' })])),
    });
    const line = (setl: string, code: string, when: string) => ({
      setl_id: setl,
      med_list_codg: code,
      chrgitm_lv: '01',
      cnt: '1',
      pric: '5.00',
      det_item_fee_sumamt: '5.00',
      fee_ocur_time: when,
    });
    const r = await ingestFile(store, {
      kind: 'fee-items',
      file: tmp.file(
        'dfee.csv',
        toCsv([line('D1', 'A', '2025-03-02 09:30:00'), line('D1', 'B', ''), line('D2', 'C', '2025-13-40')]),
      ),
    });
    expect([r.accepted, r.rejectsByCode]).toEqual([2, { E_FORMAT: 1 }]);
    expect((await store.readFeeItems(['D1'])).map((f) => [f.itemCode, f.chargeTime])).toEqual([
      ['A', '2025-03-02T09:30:00'],
      ['B', undefined],
    ]);
    const future = await ingestFile(store, {
      kind: 'fee-items',
      file: tmp.file('dfee2.csv', toCsv([line('D2', 'C', '2031-01-01 08:00:00')])),
    });
    expect(future.rejectsByCode).toEqual({ E_DATE_FUTURE: 1 });
    await store.close();
  });
});
