/**
 * R-DATA-1 typed Parquet checked in place (issue 9): a Parquet column that already has its declared type is
 * read as it is (not as text), every check runs on the typed values, and the outcome is the one the text way
 * gives — the same case from CSV and from typed Parquet is accepted or rejected the same way (same rows, fields
 * and codes) and stored identically; values that cannot be stored (a date outside 1900–2100, an integer of more
 * than nine digits, a float that is not whole fen) are refused with the file's own value in the message.
 */
import { utimesSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CASE_COLUMNS, type ColumnType } from '../model/columns.ts';
import type { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import { IngestFileError } from './errors.ts';
import { ingestFile } from './pipeline.ts';
import { memoryStore, type Row, sampleStore, tableRows, tempDir, toCsv, validCase } from './testing.ts';

const tmp = tempDir('yibao-typed-parquet-');
afterAll(() => tmp.remove());

const sqlText = (v: string) => `'${v.replaceAll("'", "''")}'`;

/** The Parquet type a typed export gives each contract column (lists as lists, flags as booleans). */
function parquetType(type: ColumnType): string {
  switch (type) {
    case 'int':
      return 'INTEGER';
    case 'money':
      return 'DECIMAL(18,2)';
    case 'date':
      return 'DATE';
    case 'datetime':
      return 'TIMESTAMP';
    case 'flag':
      return 'BOOLEAN';
    case 'code-list':
    case 'text-list':
      return 'VARCHAR[]';
    default:
      return 'VARCHAR';
  }
}

/**
 * Write `rows` as a typed Parquet file: each column in its contract type (or `types[col]`), empty text = NULL,
 * lists split on "|" (items kept as written, spaces included), flags 0/1 as booleans.
 */
async function toTypedParquet(name: string, rows: readonly Row[], types: Record<string, string> = {}): Promise<string> {
  const file = `${tmp.path}/${name}`;
  const columns = CASE_COLUMNS.filter((c) => rows.some((r) => c.name in r));
  const typeOf = (name: string, type: ColumnType) => types[name] ?? parquetType(type);
  const value = (v: string | undefined, t: string): string => {
    if (v === undefined || v === '') return `NULL::${t}`;
    if (t === 'VARCHAR[]') return `[${v.split('|').map(sqlText).join(', ')}]::VARCHAR[]`;
    if (t === 'BOOLEAN') return v === '1' ? 'true' : 'false';
    return `CAST(${sqlText(v)} AS ${t})`;
  };
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  // Row order is kept by numbering the parts.
  const numbered = rows
    .map(
      (r, i) =>
        `SELECT ${i} AS _i, ${columns.map((c) => `${value(r[c.name], typeOf(c.name, c.type))} AS "${c.name}"`).join(', ')}`,
    )
    .join(' UNION ALL ');
  await conn.run(`COPY (SELECT * EXCLUDE (_i) FROM (${numbered}) ORDER BY _i) TO ${sqlText(file)} (FORMAT parquet)`);
  conn.closeSync();
  db.closeSync();
  return file;
}

/** Every stored case as text (run id left out), in setl_id order. */
const storedCases = (store: DuckDbStore) =>
  tableRows(
    store,
    `SELECT ${CASE_COLUMNS.map((c) => `CAST("${c.name}" AS VARCHAR) AS "${c.name}"`).join(', ')} FROM cases ORDER BY setl_id`,
  );

/**
 * A CSV's reject rows are the file's lines (header = line 1), a Parquet file's the record numbers: in these files
 * every record is one line, so the record is the line − 1. `RECORD_NO` selects it from `rejects`; `asRecords`
 * says a message's 第 N 行 / row N as that record.
 */
const RECORD_NO = "CASE WHEN row_unit = 'row' THEN row_no - 1 ELSE row_no END AS row_no";
const asRecords = (message: string) =>
  message
    .replace(/第 (\d+) 行/g, (_, n) => `第 ${Number(n) - 1} 条记录`)
    .replace(/\brow (\d+)/g, (_, n) => `record ${Number(n) - 1}`);

/** Every reject of the store as (record, field, code), sorted. */
const rejects = (store: DuckDbStore) =>
  tableRows(store, `SELECT ${RECORD_NO}, field, code FROM rejects ORDER BY row_no, code, field`).then((r) =>
    r.map((x) => `${x.row_no}:${x.field}:${x.code}`),
  );

describe('R-DATA-1 typed Parquet is checked in place', () => {
  it('the same cases from CSV and from typed Parquet give the same report, rejects and stored rows; a re-import from the other format is already present', async () => {
    const rows = [
      validCase({ setl_id: 'T1' }),
      validCase({ setl_id: 'T2', gend: '3' }), // E_CODE_INVALID
      validCase({ setl_id: 'T3', age: '200' }), // E_RANGE
      validCase({ setl_id: 'T4', diag_codes: 'C61.x00|I10.x00', gend: '2' }), // E_SEX_DIAGNOSIS
      validCase({ setl_id: 'T5', medfee_sumamt: '1.00' }), // fund + … exceed the total, categories ≠ total
      validCase({ setl_id: 'T1' }), // exact repeat of row 1
      validCase({ setl_id: 'T6', adm_time: '2025-03-06 08:00:00' }), // admission after discharge
      validCase({ setl_id: 'T7', oprn_oprt_codes: '', oprn_oprt_names: '', oprn_oprt_dates: '' }),
    ];
    const csvStore = await sampleStore(tmp);
    const pqStore = await sampleStore(tmp);
    const csv = await ingestFile(csvStore, { kind: 'cases', file: tmp.file('same.csv', toCsv(rows)) });
    const pqFile = await toTypedParquet('same.parquet', rows);
    const pq = await ingestFile(pqStore, { kind: 'cases', file: pqFile });
    const counts = (r: typeof csv) => [r.read, r.accepted, r.rejected, r.alreadyPresent, r.rejectsByCode];
    expect(counts(pq)).toEqual(counts(csv));
    expect(counts(pq)).toEqual([
      8,
      2,
      6,
      0,
      {
        E_AGE_BIRTH: 1, // T3: 200 years does not fit the birth date either
        E_CODE_INVALID: 1,
        E_COMPONENTS_EXCEED_TOTAL: 1,
        E_DATE_ORDER: 1,
        E_DUPLICATE_IN_FILE: 1,
        E_FEE_SUM_MISMATCH: 1,
        E_RANGE: 1,
        E_SEX_DIAGNOSIS: 1, // T4: C61 (prostate) for a woman
      },
    ]);
    expect(await rejects(pqStore)).toEqual(await rejects(csvStore));
    expect(await storedCases(pqStore)).toEqual(await storedCases(csvStore));
    expect((await storedCases(pqStore)).map((r) => r.setl_id)).toEqual(['T1', 'T7']);
    // The Parquet file again, into the store that read the CSV: every accepted case is already present.
    const again = await ingestFile(csvStore, { kind: 'cases', file: pqFile });
    expect([again.accepted, again.alreadyPresent]).toEqual([0, 2]);
    await csvStore.close();
    await pqStore.close();
  });

  it('walk7 7: a CSV that writes amounts 12,345.67 / ￥10,000.00 / 2000元 and dates 2025年3月1日 / 1960.01.31 stores what typed Parquet (DECIMAL, TIMESTAMP, DATE) stores; each re-import is already present', async () => {
    const rows = [validCase({ setl_id: 'S1' }), validCase({ setl_id: 'S2', adm_time: '2025-03-01 00:00:00' })];
    const spelled = [
      { ...rows[0]!, medfee_sumamt: '12,345.67', hifp_pay: '￥10,000.00', psn_selfpay: '2000元', brdy: '1960.01.31' },
      { ...rows[1]!, psn_cashpay: '２３４５.６７', adm_time: '2025年3月1日', oprn_oprt_dates: '2025-03-01' },
    ];
    const csvStore = await sampleStore(tmp);
    const pqStore = await sampleStore(tmp);
    const csv = await ingestFile(csvStore, { kind: 'cases', file: tmp.file('spelled.csv', toCsv(spelled)) });
    const pqFile = await toTypedParquet('plain.parquet', rows);
    const pq = await ingestFile(pqStore, { kind: 'cases', file: pqFile });
    expect([csv.accepted, csv.rejected, pq.accepted, pq.rejected]).toEqual([2, 0, 2, 0]);
    expect(await storedCases(csvStore)).toEqual(await storedCases(pqStore));
    const pqAgain = await ingestFile(csvStore, { kind: 'cases', file: pqFile });
    const csvAgain = await ingestFile(pqStore, { kind: 'cases', file: tmp.file('spelled2.csv', toCsv(spelled)) });
    expect([pqAgain.alreadyPresent, csvAgain.alreadyPresent, pqAgain.rejected, csvAgain.rejected]).toEqual([
      2, 2, 0, 0,
    ]);
    await csvStore.close();
    await pqStore.close();
  });

  it('an in-file conflicting duplicate is reported in the first pass even when its rows also fail a code check (walk5 item 7), the same from CSV and typed Parquet', async () => {
    // D1: both rows carry a diagnosis outside the code list and differ in cost; D2: the second row differs and has
    // an invalid sex code; D3: an exact repeat whose rows both fail the code list. Hand-derived: every row of D1
    // and D2 is a conflict (which one is right cannot be told), D3's second row is a duplicate as well.
    const rows = [
      validCase({ setl_id: 'D1', diag_codes: 'Q99.999', diag_names: '未知' }),
      validCase({ setl_id: 'D2' }),
      validCase({ setl_id: 'D2', gend: '3' }),
      validCase({ setl_id: 'D3', diag_codes: 'Q99.999', diag_names: '未知' }),
      validCase({
        setl_id: 'D1',
        diag_codes: 'Q99.999',
        diag_names: '未知',
        medfee_sumamt: '12345.68',
        fee_wm: '7345.68',
        psn_ownpay: '345.68',
        psn_cashpay: '2345.68',
      }),
      validCase({ setl_id: 'D3', diag_codes: 'Q99.999', diag_names: '未知' }),
      validCase({ setl_id: 'D4' }),
    ];
    const csvStore = await sampleStore(tmp);
    const pqStore = await sampleStore(tmp);
    const csv = await ingestFile(csvStore, { kind: 'cases', file: tmp.file('dup-bad.csv', toCsv(rows)) });
    const pq = await ingestFile(pqStore, { kind: 'cases', file: await toTypedParquet('dup-bad.parquet', rows) });
    const counts = (r: typeof csv) => [r.read, r.accepted, r.rejected, r.alreadyPresent, r.rejectsByCode];
    expect(counts(csv)).toEqual([
      7,
      1,
      6,
      0,
      { E_CODE_INVALID: 1, E_CODE_UNKNOWN: 4, E_DUPLICATE_CONFLICT: 4, E_DUPLICATE_IN_FILE: 1 },
    ]);
    expect(counts(pq)).toEqual(counts(csv));
    const found = await rejects(csvStore);
    expect(found.filter((x) => /DUPLICATE/.test(x))).toEqual([
      '1:setl_id:E_DUPLICATE_CONFLICT',
      '2:setl_id:E_DUPLICATE_CONFLICT',
      '3:setl_id:E_DUPLICATE_CONFLICT',
      '5:setl_id:E_DUPLICATE_CONFLICT',
      '6:setl_id:E_DUPLICATE_IN_FILE',
    ]);
    expect(await rejects(pqStore)).toEqual(found);
    expect((await storedCases(csvStore)).map((r) => r.setl_id)).toEqual(['D4']);
    await csvStore.close();
    await pqStore.close();
  });

  it('a row that fails a check and also differs from the stored row of its key gets both reasons in one pass, from CSV and typed Parquet', async () => {
    const stored = [validCase({ setl_id: 'E1' }), validCase({ setl_id: 'E2' })];
    // E1 changed (cost) with an unknown diagnosis: E_CODE_UNKNOWN and E_ALREADY_STORED_DIFFERENT; E2 the same as
    // stored but with a sex code 3: E_CODE_INVALID and E_ALREADY_STORED_DIFFERENT (its content differs: gend).
    const next = [
      validCase({
        setl_id: 'E1',
        diag_codes: 'Q99.999',
        diag_names: '未知',
        medfee_sumamt: '12345.68',
        fee_wm: '7345.68',
        psn_ownpay: '345.68',
        psn_cashpay: '2345.68',
      }),
      validCase({ setl_id: 'E2', gend: '3' }),
      validCase({ setl_id: 'E3' }),
    ];
    const outcomes = [];
    for (const pq of [false, true]) {
      const store = await sampleStore(tmp);
      const file = (name: string, rows: Row[]) =>
        pq ? toTypedParquet(`${name}.parquet`, rows) : Promise.resolve(tmp.file(`${name}.csv`, toCsv(rows)));
      await ingestFile(store, { kind: 'cases', file: await file(`stored-${pq}`, stored) });
      const r = await ingestFile(store, { kind: 'cases', file: await file(`next-${pq}`, next) });
      expect([r.read, r.accepted, r.rejected, r.alreadyPresent, r.rejectsByCode]).toEqual([
        3,
        1,
        2,
        0,
        { E_ALREADY_STORED_DIFFERENT: 2, E_CODE_INVALID: 1, E_CODE_UNKNOWN: 1 },
      ]);
      outcomes.push(await rejects(store));
      await store.close();
    }
    expect(outcomes[1]).toEqual(outcomes[0]);
  });

  it('a quote character in a code field (a stray CSV quote, K35"800) is refused with row, field and reason; a name keeps its quote — the same from CSV, XLSX and typed Parquet', async () => {
    // Q1: a stray quote inside the diagnosis codes (the CSV reader's relaxed quotes take it as written); Q2: the
    // attending doctor's code with a full-width quote; Q3: the doctor's name with a quote (free text: accepted); Q4 valid.
    const rows = [
      validCase({ setl_id: 'Q1', diag_codes: 'K35"800|I10.x00' }),
      validCase({ setl_id: 'Q2', chfpdr_code: 'D00＂0010031' }),
      validCase({ setl_id: 'Q3', chfpdr_name: '李"娜' }),
      validCase({ setl_id: 'Q4' }),
    ];
    const columns = Object.keys(rows[0]!);
    // The CSV as a hand-typed file writes it: the quotes inside the fields left as they are, not doubled.
    const csv = `${[columns.join(','), ...rows.map((r) => columns.map((c) => r[c]).join(','))].join('\n')}\n`;
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('清单');
    ws.addRow(columns);
    for (const r of rows) ws.addRow(columns.map((c) => r[c]));
    const xlsx = `${tmp.path}/quotes.xlsx`;
    await wb.xlsx.writeFile(xlsx);
    const files = [tmp.file('quotes.csv', csv), xlsx, await toTypedParquet('quotes.parquet', rows)];
    const outcomes = [];
    for (const file of files) {
      const store = await memoryStore();
      const r = await ingestFile(store, { kind: 'cases', file });
      expect([r.read, r.accepted, r.rejected, r.rejectsByCode]).toEqual([4, 2, 2, { E_CODE_QUOTE: 2 }]);
      const found = await tableRows(
        store,
        `SELECT ${RECORD_NO}, field, code, message_zh, message_en FROM rejects ORDER BY row_no`,
      );
      outcomes.push(
        found.map((x) => ({ ...x, message_zh: asRecords(x.message_zh!), message_en: asRecords(x.message_en!) })),
      );
      expect(
        (await tableRows(store, 'SELECT chfpdr_name FROM cases ORDER BY setl_id')).map((x) => x.chfpdr_name),
      ).toEqual(['李"娜', '李娜']);
      await store.close();
    }
    expect(outcomes[0]).toEqual([
      {
        row_no: '1',
        field: 'diag_codes',
        code: 'E_CODE_QUOTE',
        message_zh:
          'diag_codes（诊断编码(首个为主要诊断)）含有引号，不是有效的编码（可能是 CSV 中错位的引号）：K35"800|I10.x00',
        message_en:
          'diag_codes holds a quote character, so it is not a valid code (perhaps a stray quote in a CSV): K35"800|I10.x00',
      },
      {
        row_no: '2',
        field: 'chfpdr_code',
        code: 'E_CODE_QUOTE',
        message_zh: 'chfpdr_code（主诊医师代码）含有引号，不是有效的编码（可能是 CSV 中错位的引号）：D00＂0010031',
        message_en:
          'chfpdr_code holds a quote character, so it is not a valid code (perhaps a stray quote in a CSV): D00＂0010031',
      },
    ]);
    expect(outcomes[1]).toEqual(outcomes[0]);
    expect(outcomes[2]).toEqual(outcomes[0]);
  });

  it('native values are taken as the text way would read them: time cut to the second, text and list items trimmed, flags', async () => {
    const store = await sampleStore(tmp);
    const file = await toTypedParquet('native.parquet', [
      validCase({
        setl_id: '  N1  ',
        adm_time: '2025-03-01 08:00:00.750',
        diag_codes: ' K35.800 |I10.x00',
        days_rinp_flag_31: '1',
      }),
    ]);
    const r = await ingestFile(store, { kind: 'cases', file });
    expect([r.accepted, r.rejected]).toEqual([1, 0]);
    expect(
      await tableRows(
        store,
        'SELECT setl_id, CAST(adm_time AS VARCHAR) AS adm, CAST(diag_codes AS VARCHAR) AS dx, CAST(days_rinp_flag_31 AS VARCHAR) AS flag FROM cases',
      ),
    ).toEqual([{ setl_id: 'N1', adm: '2025-03-01 08:00:00', dx: '[K35.800, I10.x00]', flag: 'true' }]);
    await store.close();
  });

  it('values a typed file holds but the store cannot take are refused with the file’s own value: a date before 1900, a ten-digit integer, a float that is not whole fen, an empty list item, an empty list', async () => {
    const store = await sampleStore(tmp);
    const file = await toTypedParquet(
      'bad.parquet',
      [
        validCase({ setl_id: 'B1' }),
        validCase({ setl_id: 'B2', brdy: '0025-01-31' }),
        validCase({ setl_id: 'B3', age: '10000000000' }),
        validCase({ setl_id: 'B4', psn_ownpay: '345.675' }),
        validCase({ setl_id: 'B5', diag_codes: 'K35.800|' }),
        validCase({ setl_id: 'B6', diag_codes: '' }),
      ],
      { age: 'BIGINT', psn_ownpay: 'DOUBLE' },
    );
    const r = await ingestFile(store, { kind: 'cases', file, rejectsFile: `${tmp.path}/bad.rejects.csv` });
    expect([r.accepted, r.rejected]).toEqual([1, 5]);
    const found = await tableRows(store, 'SELECT row_no, field, code, message_en FROM rejects ORDER BY row_no, field');
    expect(found.filter((x) => x.code === 'E_FORMAT' || x.code === 'E_REQUIRED')).toEqual([
      {
        row_no: '2',
        field: 'brdy',
        code: 'E_FORMAT',
        message_en: 'brdy: date "0025-01-31" is not between the years 1900 and 2100',
      },
      { row_no: '3', field: 'age', code: 'E_FORMAT', message_en: 'age should be a whole number, got "10000000000"' },
      {
        row_no: '4',
        field: 'psn_ownpay',
        code: 'E_FORMAT',
        message_en: 'psn_ownpay should be an amount in yuan with at most two decimals, e.g. 1234.56, got "345.675"',
      },
      {
        row_no: '5',
        field: 'diag_codes',
        code: 'E_FORMAT',
        message_en: 'diag_codes should be codes separated by | (no empty item), got "K35.800|"',
      },
      {
        row_no: '6',
        field: 'diag_codes',
        code: 'E_REQUIRED',
        message_en: 'required field diag_codes (diagnosis codes, principal first) is empty',
      },
    ]);
    // The rejects keep the row as read (its text), e.g. the birth date of row 2.
    const raw = await tableRows(store, "SELECT raw FROM rejects WHERE row_no = 2 AND field = 'brdy'");
    expect(JSON.parse(raw[0]!.raw!)).toMatchObject({ setl_id: 'B2', brdy: '0025-01-31', age: '64' });
    await store.close();
  });

  it('a Parquet file that changes while it is imported fails the run and leaves the store unchanged (E_FILE_CHANGED)', async () => {
    const store = await sampleStore(tmp);
    const file = await toTypedParquet('moving.parquet', [validCase({ setl_id: 'M1' })]);
    const failure = ingestFile(store, {
      kind: 'cases',
      file,
      onStage: (s) => {
        if (s === 'dedupe') utimesSync(file, new Date(), new Date(Date.now() + 5000));
      },
    });
    await expect(failure).rejects.toBeInstanceOf(IngestFileError);
    await expect(failure).rejects.toMatchObject({ code: 'E_FILE_CHANGED' });
    expect(await tableRows(store, 'SELECT count(*) AS n FROM cases')).toEqual([{ n: '0' }]);
    await store.close();
  });
});

describe('R-DATA-1 a Parquet file lacking a column that gets a default value', () => {
  it('考核结果 from Parquet without a year column and --year 2025: staged as text so the default can fill it; same outcome as CSV', async () => {
    const rows = 'institution,coefficient,source\nH001,0.95,2025 年度考核 第 1 号\nH001,2.5,x';
    const parquet = `${tmp.path}/assessments.parquet`;
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    await conn.run(
      `COPY (SELECT * FROM (VALUES ('H001', '0.95', '2025 年度考核 第 1 号', 1), ('H001', '2.5', 'x', 2)) t(institution, coefficient, source, i) ORDER BY i)
       TO ${sqlText(parquet)} (FORMAT parquet)`,
    );
    conn.closeSync();
    db.closeSync();
    const fromCsv = await sampleStore(tmp);
    const fromParquet = await sampleStore(tmp);
    const opts = { kind: 'assessments' as const, defaults: { year: '2025' } };
    const a = await ingestFile(fromCsv, { ...opts, file: tmp.file('assessments.csv', rows) });
    const b = await ingestFile(fromParquet, { ...opts, file: parquet });
    // Both rows are H001 in 2025 with different coefficients: a conflict (all refused), reported with the second
    // row's range failure in the same pass (walk5 item 7).
    const outcome = [2, 0, 2, { E_DUPLICATE_CONFLICT: 2, E_RANGE: 1 }];
    expect([b.read, b.accepted, b.rejected, b.rejectsByCode]).toEqual(outcome);
    expect([a.read, a.accepted, a.rejected, a.rejectsByCode]).toEqual(outcome);
    await fromCsv.close();
    await fromParquet.close();
  });
});

describe('R-DATA-1 typed Parquet and CSV agree (property)', () => {
  /** Changes that a typed file can hold (so both formats can carry them), each failing some check or none. */
  const change = fc.constantFrom<Row>(
    {},
    {},
    { gend: '2' },
    { gend: '9' },
    { gend: '3' },
    { age: '130' },
    { age: '0' },
    { act_ipt_days: '9' },
    { medfee_sumamt: '-1.00' },
    { hifp_pay: '20000.00' },
    { adm_time: '2025-03-06 08:00:00' },
    { brdy: '2026-01-01' },
    { diag_codes: 'N40.x00|I10.x00' },
    { diag_codes: 'O80.000' },
    { oprn_oprt_codes: '99.9999' },
    { insutype: '999' },
    { icu_days: '30' },
    { psn_no: '' },
    { fee_oprn: '', fee_wm: '' },
  );
  it('any mix of rows gives the same counts, rejects (row, field, code) and stored rows from either format', async () => {
    const a = await sampleStore(tmp);
    const b = await sampleStore(tmp);
    const clear = async (s: DuckDbStore) => {
      for (const t of ['cases', 'rejects']) await s.connection.run(`DELETE FROM ${t}`);
    };
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), change), { minLength: 1, maxLength: 12 }),
          async (spec) => {
            const rows = spec.map(([id, c]) => validCase({ setl_id: `P${id}`, ...c }));
            await clear(a);
            await clear(b);
            const csv = await ingestFile(a, { kind: 'cases', file: tmp.file('prop.csv', toCsv(rows)) });
            const pq = await ingestFile(b, { kind: 'cases', file: await toTypedParquet('prop.parquet', rows) });
            expect([pq.read, pq.accepted, pq.rejected, pq.rejectsByCode]).toEqual([
              csv.read,
              csv.accepted,
              csv.rejected,
              csv.rejectsByCode,
            ]);
            expect(pq.read).toBe(pq.accepted + pq.rejected + pq.alreadyPresent);
            expect(await rejects(b)).toEqual(await rejects(a));
            expect(await storedCases(b)).toEqual(await storedCases(a));
          },
        ),
        { numRuns: 10 },
      );
    } finally {
      await a.close();
      await b.close();
    }
  }, 240_000);
});

describe('R-DATA-1 the typed fast path and the text path give the same result for the same bad data', () => {
  /** Every stored case in stored order (rowid: the order settlement reads), run id left out. */
  const storedInOrder = (store: DuckDbStore) =>
    tableRows(
      store,
      `SELECT ${CASE_COLUMNS.map((c) => `CAST("${c.name}" AS VARCHAR) AS "${c.name}"`).join(', ')} FROM cases ORDER BY rowid`,
    );
  /** Every reject of a run with its messages (run ids in messages replaced, they differ between stores). */
  const rejectsOf = async (store: DuckDbStore, runId: string) =>
    (
      await tableRows(
        store,
        `SELECT ${RECORD_NO}, record_key, field, code, message_zh, message_en FROM rejects WHERE run_id = '${runId}'
         ORDER BY row_no, code, field`,
      )
    ).map((r) => asRecords(JSON.stringify(r).replace(/\d{8}T\d{6}Z-[0-9a-f]{6}/g, 'RUN')));
  const changes: Row[] = [
    {},
    { gend: '2' }, // a woman with appendicitis: valid
    { gend: '3' }, // E_CODE_INVALID
    { age: '130' }, // E_RANGE, E_AGE_BIRTH
    { act_ipt_days: '9' }, // E_LOS_MISMATCH
    { medfee_sumamt: '-1.00' }, // E_NEGATIVE_AMOUNT and the totals
    { adm_time: '2025-03-06 08:00:00' }, // E_DATE_ORDER
    { diag_codes: 'N40.x00|I10.x00', gend: '2' }, // E_SEX_DIAGNOSIS (principal)
    { diag_codes: 'I10.x00|O80.000', gend: '1' }, // E_SEX_DIAGNOSIS (secondary)
    { diag_codes: 'P07.100', age: '30', brdy: '1994-06-01' }, // E_AGE_DIAGNOSIS
    { diag_codes: 'ZZZ.999|K35.800|YYY.1' }, // E_CODE_UNKNOWN, two codes in one message
    { oprn_oprt_codes: '47.0100|11.1111' }, // E_CODE_UNKNOWN (icd9)
    { oprn_oprt_dates: '2024-01-01' }, // procedure outside the stay
    { psn_no: 'X\uFFFDY' }, // E_ENCODING
    { setl_id: 'A\u0001B' }, // E_CONTROL_CHAR
    { diag_codes: 'K35.800|' }, // E_FORMAT: empty list item
    { fixmedins_code: 'H999' }, // institution not imported
    { icu_days: '30' }, // E_RANGE
  ];
  it('CSV and typed Parquet: the same rejects (row, key, field, code and both messages), the same stored rows in the same stored order, then the same already-present and refused changes', async () => {
    // 67 rows over 30 keys: exact repeats, conflicting repeats and clean rows mixed with every kind of failure;
    // D3–D5 appear once each (D5, row 66, changes in the third file: refused as stored with different content).
    const rows = [
      ...Array.from({ length: 60 }, (_, i) =>
        validCase({ setl_id: `F${i % 25}`, ...changes[(i * 7) % changes.length] }),
      ),
      validCase({ setl_id: 'D1' }),
      validCase({ setl_id: 'D1' }), // E_DUPLICATE_IN_FILE
      validCase({ setl_id: 'D2' }),
      validCase({ setl_id: 'D2', hifp_pay: '9000.00' }), // E_DUPLICATE_CONFLICT (both)
      validCase({ setl_id: 'D3' }),
      validCase({ setl_id: 'D4' }),
      validCase({ setl_id: 'D5' }),
    ];
    const changed = rows.map((r, i) => (i % 3 === 0 ? { ...r, hifp_pay: '9999.00', psn_cashpay: '2346.67' } : r));
    const csvStore = await sampleStore(tmp);
    const pqStore = await sampleStore(tmp);
    try {
      const inputs = [
        { csv: tmp.file('fast-1.csv', toCsv(rows)), pq: await toTypedParquet('fast-1.parquet', rows) },
        { csv: tmp.file('fast-2.csv', toCsv(rows)), pq: await toTypedParquet('fast-2.parquet', rows) },
        { csv: tmp.file('fast-3.csv', toCsv(changed)), pq: await toTypedParquet('fast-3.parquet', changed) },
      ];
      const outcomes: unknown[] = [];
      for (const { csv, pq } of inputs) {
        const a = await ingestFile(csvStore, { kind: 'cases', file: csv });
        const b = await ingestFile(pqStore, { kind: 'cases', file: pq });
        const summary = (r: typeof a) => [
          r.read,
          r.accepted,
          r.rejected,
          r.alreadyPresent,
          r.rejectsByCode,
          r.warningsByCode,
        ];
        expect(summary(b)).toEqual(summary(a));
        expect(await rejectsOf(pqStore, b.runId)).toEqual(await rejectsOf(csvStore, a.runId));
        // Stored order too: the text path sorts by the record number, the typed path stores in read order.
        expect(await storedInOrder(pqStore)).toEqual(await storedInOrder(csvStore));
        outcomes.push(summary(b).slice(0, 4));
      }
      // First import: some rows stored; the same file again: all of them already present; changed content for
      // stored keys: refused (E_ALREADY_STORED_DIFFERENT), never replaced.
      const [first, again, third] = outcomes as number[][];
      expect(first![1]).toBeGreaterThan(0);
      expect(again).toEqual([rows.length, 0, first![2], first![1]]);
      expect(third![1]).toBe(0);
      expect(await storedInOrder(pqStore)).toHaveLength(first![1]!);
      const codes = await tableRows(pqStore, 'SELECT DISTINCT code FROM rejects ORDER BY code');
      expect(codes.map((c) => c.code)).toEqual(
        expect.arrayContaining([
          'E_AGE_DIAGNOSIS',
          'E_ALREADY_STORED_DIFFERENT',
          'E_CODE_UNKNOWN',
          'E_CONTROL_CHAR',
          'E_DUPLICATE_CONFLICT',
          'E_DUPLICATE_IN_FILE',
          'E_ENCODING',
          'E_FORMAT',
          'E_SEX_DIAGNOSIS',
        ]),
      );
    } finally {
      await csvStore.close();
      await pqStore.close();
    }
  }, 240_000);
});
