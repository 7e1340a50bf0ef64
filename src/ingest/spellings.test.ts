/**
 * R-DATA-1 other spellings of amounts and dates (walk7 7). Hospital exports and hand-made sheets write an amount
 * 10,000.00, 10000元, 10000.00 元, ￥10,000.00 or in full-width digits, and a date 2025年6月5日 or 2025.3.5; each of
 * these has one reading and is stored as its plain spelling would be (money exact, DECIMAL(18,2), never a float).
 * A spelling that could be read two ways (1,00 — a decimal comma?; 5.3.2025 — day or month first?; 25.3.5) is
 * refused with the format message. CSV, XLSX text cells and Parquet text columns read them alike; typed Parquet
 * columns (DECIMAL, DATE) never meet them.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASE_COLUMNS } from '../model/columns.ts';
import type { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import { ingestFile } from './pipeline.ts';
import { finalExpr, TYPED_MACROS, typedExpr } from './qc/typed.ts';
import { type Row, sampleStore, tableRows, tempDir, toCsv, validCase } from './testing.ts';

const tmp = tempDir('yibao-spellings-');
afterAll(() => tmp.remove());

const sqlText = (v: string) => `'${v.replaceAll("'", "''")}'`;
const FULL = '０１２３４５６７８９';
const fullWidth = (s: string) => s.replace(/[0-9]/g, (d) => FULL[Number(d)]!).replace('.', '．');
/** 1234567 → 1,234,567 (groups of three from the right). */
const grouped = (digits: string) => digits.replace(/\B(?=(\d{3})+$)/g, ',');

let conn: Awaited<ReturnType<DuckDBInstance['connect']>>;
let db: DuckDBInstance;
beforeAll(async () => {
  db = await DuckDBInstance.create(':memory:');
  conn = await db.connect();
  await conn.run(TYPED_MACROS);
});
afterAll(() => {
  conn.closeSync();
  db.closeSync();
});

/** The stored value (as text) of `text` in a column of `type`, or null when it is malformed. */
async function read(type: 'money' | 'date' | 'datetime', text: string): Promise<string | null> {
  const r = await conn.runAndReadAll(`SELECT CAST(${finalExpr(type, typedExpr(type, sqlText(text)))} AS VARCHAR)`);
  return (r.getRows()[0]![0] as string | null) ?? null;
}

describe('R-DATA-1 amounts: every spelling of one value stores that value (property)', () => {
  it('10,000.00, 10000元, 10000.00 元, ￥10,000.00, ¥, full-width — the plain value, exactly', async () => {
    await fc.assert(
      fc.asyncProperty(
        // fen up to 10^15 (13 integer digits): beyond a double's exact integers when scaled, so a float would show.
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        fc.boolean(),
        async (fen, negative) => {
          const yuan = (fen / 100n).toString();
          const cents = (fen % 100n).toString().padStart(2, '0');
          const sign = negative && fen > 0n ? '-' : '';
          // The stored value, computed by hand from the fen: sign, yuan, two decimals.
          const expected = `${sign}${yuan}.${cents}`;
          const spellings = [
            `${sign}${yuan}.${cents}`,
            `${sign}${grouped(yuan)}.${cents}`,
            `${sign}${yuan}.${cents}元`,
            `${sign}${yuan}.${cents} 元`,
            `${sign}${grouped(yuan)}.${cents}元`,
            `${sign}￥${grouped(yuan)}.${cents}`,
            `￥${sign}${grouped(yuan)}.${cents}`,
            `${sign}¥${yuan}.${cents}`,
            `${sign}${fullWidth(`${yuan}.${cents}`)}`,
            `${sign}${fullWidth(`${yuan}.${cents}`)}元`,
            ` ${sign}${grouped(yuan)}.${cents} `,
          ];
          if (cents === '00') spellings.push(`${sign}${yuan}元`, `${sign}${grouped(yuan)}`, `${sign}￥${yuan}`);
          for (const s of spellings) expect([s, await read('money', s)]).toEqual([s, expected]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('spellings with two readings or none are not read: 1,00 (decimal comma?), 1.000,00, 1,2345, two signs, 万元, three decimals', async () => {
    for (const s of [
      '1,00',
      '1.000,00',
      '1,2345',
      ',100',
      '-￥-5',
      '1万元',
      '1.5万',
      '10,000.001',
      '10000.001元',
      '¥',
      '元',
    ])
      expect([s, await read('money', s)]).toEqual([s, null]);
  });
});

describe('R-DATA-1 dates: 2025年6月5日 and 2025.3.5 are the date 2025-06-05 / 2025-03-05 (property)', () => {
  it('every date 1900–2100 reads the same in each spelling, as date and as date-time', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.date({ min: new Date('1900-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }),
        async (d) => {
          const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
          const p = (n: number) => String(n).padStart(2, '0');
          const iso = `${y}-${p(m)}-${p(day)}`;
          const spellings = [
            iso,
            `${y}年${m}月${day}日`,
            `${y}年${p(m)}月${p(day)}日`,
            `${y} 年 ${m} 月 ${day} 日`,
            `${y}.${m}.${day}`,
            `${y}.${p(m)}.${p(day)}`,
            fullWidth(`${y}`).concat('年', fullWidth(`${m}`), '月', fullWidth(`${day}`), '日'),
          ];
          for (const s of spellings) {
            expect([s, await read('date', s)]).toEqual([s, iso]);
            expect([s, await read('datetime', s)]).toEqual([s, `${iso} 00:00:00`]);
          }
          expect(await read('datetime', `${y}年${m}月${day}日 8:30`)).toBe(`${iso} 08:30:00`);
          expect(await read('datetime', `${y}.${m}.${day} 08:30:00`)).toBe(`${iso} 08:30:00`);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a year that is not first and in four digits, or a date that is not one, is not read: 5.3.2025, 25.3.5, 2025年6月, 2025.2.30', async () => {
    for (const s of ['5.3.2025', '05.03.2025', '25.3.5', '2025年6月', '2025.13.1', '2025.2.30', '2025年2月30日'])
      expect([s, await read('date', s)]).toEqual([s, null]);
  });
});

describe('R-DATA-1 the spellings from CSV, XLSX and Parquet store what the plain file stores', () => {
  const plain: Row[] = [
    validCase({ setl_id: 'W1' }),
    validCase({ setl_id: 'W2', medfee_sumamt: '10000.00', hifp_pay: '7000.00', psn_selfpay: '3000.00' }),
    validCase({ setl_id: 'W3', brdy: '1980-01-01', age: '45', adm_time: '2025-03-05', dscg_time: '2025-03-09' }),
  ].map((r) => ({ ...r, psn_ownpay: '0', psn_cashpay: '3000.00', fee_oprn: '', fee_wm: '', acct_pay: '0' }));
  plain[2] = { ...plain[2]!, psn_cashpay: '2345.67', oprn_oprt_dates: '2025-03-06' };
  plain[0] = { ...plain[0]!, medfee_sumamt: '12345.67', hifp_pay: '9345.67', psn_selfpay: '3000.00' };
  const spelled: Row[] = [
    { ...plain[0]!, medfee_sumamt: '12,345.67', hifp_pay: '￥9,345.67', psn_selfpay: '3000.00元' },
    { ...plain[1]!, medfee_sumamt: '１００００.００', hifp_pay: '7000.00 元', psn_cashpay: '￥3,000' },
    { ...plain[2]!, brdy: '1980.01.01', adm_time: '2025年3月5日', dscg_time: '2025.3.9' },
  ];
  /** Every stored case as text, in setl_id order. */
  const stored = (store: DuckDbStore) =>
    tableRows(
      store,
      `SELECT ${CASE_COLUMNS.map((c) => `CAST("${c.name}" AS VARCHAR) AS "${c.name}"`).join(', ')} FROM cases ORDER BY setl_id`,
    );

  it('CSV (GBK), XLSX text cells and Parquet text columns: the same stored cases as the plain CSV; a re-import of the plain file is already present', async () => {
    const reference = await sampleStore(tmp);
    const r0 = await ingestFile(reference, { kind: 'cases', file: tmp.file('plain.csv', toCsv(plain)) });
    expect([r0.accepted, r0.rejected]).toEqual([3, 0]);
    const want = await stored(reference);
    // the money columns hold the plain values, exactly
    expect(want.map((r) => [r.medfee_sumamt, r.hifp_pay, r.psn_cashpay, r.adm_time])).toEqual([
      ['12345.67', '9345.67', '3000.00', '2025-03-01 08:00:00'],
      ['10000.00', '7000.00', '3000.00', '2025-03-01 08:00:00'],
      ['12345.67', '10000.00', '2345.67', '2025-03-05 00:00:00'],
    ]);

    const iconv = (await import('iconv-lite')).default;
    const csvStore = await sampleStore(tmp);
    const csv = await ingestFile(csvStore, {
      kind: 'cases',
      file: tmp.file('spelled.csv', iconv.encode(toCsv(spelled), 'gbk')),
    });
    expect([csv.accepted, csv.rejected, csv.rejectsByCode]).toEqual([3, 0, {}]);
    expect(await stored(csvStore)).toEqual(want);
    const again = await ingestFile(csvStore, { kind: 'cases', file: tmp.file('plain2.csv', toCsv(plain)) });
    expect([again.accepted, again.alreadyPresent]).toEqual([0, 3]);

    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('结算清单');
    const cols = Object.keys(spelled[0]!);
    ws.addRow(cols);
    for (const r of spelled) ws.addRow(cols.map((c) => r[c]));
    const xlsxFile = `${tmp.path}/spelled.xlsx`;
    await wb.xlsx.writeFile(xlsxFile);
    const xlsxStore = await sampleStore(tmp);
    const xlsx = await ingestFile(xlsxStore, { kind: 'cases', file: xlsxFile });
    expect([xlsx.accepted, xlsx.rejected]).toEqual([3, 0]);
    expect(await stored(xlsxStore)).toEqual(want);

    // Parquet whose columns are all text (VARCHAR): the text way, the same spellings.
    const pqFile = `${tmp.path}/spelled.parquet`;
    const pdb = await DuckDBInstance.create(':memory:');
    const pc = await pdb.connect();
    const rowsSql = spelled
      .map(
        (r, i) =>
          `SELECT ${i} AS _i, ${cols.map((c) => `${r[c] === '' ? 'NULL::VARCHAR' : sqlText(r[c]!)} AS "${c}"`).join(', ')}`,
      )
      .join(' UNION ALL ');
    await pc.run(`COPY (SELECT * EXCLUDE (_i) FROM (${rowsSql}) ORDER BY _i) TO ${sqlText(pqFile)} (FORMAT parquet)`);
    pc.closeSync();
    pdb.closeSync();
    const pqStore = await sampleStore(tmp);
    const pq = await ingestFile(pqStore, { kind: 'cases', file: pqFile });
    expect([pq.accepted, pq.rejected]).toEqual([3, 0]);
    expect(await stored(pqStore)).toEqual(want);
    for (const s of [reference, csvStore, xlsxStore, pqStore]) await s.close();
  }, 60_000);

  it('an ambiguous spelling is refused with the format message, in zh and en, its raw text kept', async () => {
    const store = await sampleStore(tmp);
    const rows = [
      { ...plain[1]!, medfee_sumamt: '10000,00' },
      { ...plain[2]!, setl_id: 'W4', adm_time: '5.3.2025' },
    ];
    const r = await ingestFile(store, { kind: 'cases', file: tmp.file('ambiguous.csv', toCsv(rows)) });
    expect([r.accepted, r.rejected, r.rejectsByCode.E_FORMAT]).toEqual([0, 2, 2]);
    const msgs = await tableRows(store, 'SELECT row_no, field, message_zh, message_en FROM rejects ORDER BY row_no');
    expect(msgs).toEqual([
      {
        row_no: '2',
        field: 'medfee_sumamt',
        message_zh: 'medfee_sumamt（医疗费总额） 应为金额（元，最多两位小数，如 1234.56），实际为 "10000,00"',
        message_en: 'medfee_sumamt should be an amount in yuan with at most two decimals, e.g. 1234.56, got "10000,00"',
      },
      {
        row_no: '3',
        field: 'adm_time',
        message_zh: 'adm_time（入院时间） 应为日期时间（如 2025-01-31 08:00:00），实际为 "5.3.2025"',
        message_en: 'adm_time should be a date-time such as 2025-01-31 08:00:00, got "5.3.2025"',
      },
    ]);
    await store.close();
  }, 60_000);
});
