// Issue 17 (R-DATA-1 on ClickHouse): rows cross between ClickHouse and JS in binary formats — read as Native, written
// as RowBinary — exactly: every value written comes back equal, money as Decimal to the fen (never through a double),
// 64-bit integers beyond 2^53 as bigint, and the text path (JSON) of the same rows agrees.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChConnection } from './client.ts';
import { decimalText, valueAt } from './native.ts';
import { encodeRows, encoderFor, RowBinaryWriter, scaledDecimal } from './rowbinary.ts';

const dir = mkdtempSync(join(tmpdir(), 'yibao-chdb-native-'));
let conn: ChConnection;
beforeAll(async () => {
  conn = await ChConnection.open(`chdb://${dir}?database=nat`);
});
afterAll(async () => {
  await conn.close();
  rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});

const COLUMNS = [
  { name: 'k', type: 'Int32' },
  { name: 'big', type: 'Int64' },
  { name: 'money', type: 'Decimal(18, 2)' },
  { name: 'ratio', type: 'Decimal(38, 12)' },
  { name: 'name', type: 'String' },
  { name: 'maybe', type: 'Nullable(String)' },
  { name: 'codes', type: 'Array(String)' },
  { name: 'born', type: 'Nullable(Date32)' },
  { name: 'at', type: "DateTime64(3, 'UTC')" },
  { name: 'flag', type: 'Nullable(Bool)' },
  { name: 'share', type: 'Float64' },
  { name: 'huge', type: 'Int128' },
];

async function table(name: string): Promise<string> {
  await conn.command(`DROP TABLE IF EXISTS ${conn.table(name)}`);
  await conn.command(
    `CREATE TABLE ${conn.table(name)} (${COLUMNS.map((c) => `${c.name} ${c.type}`).join(', ')}) ENGINE = MergeTree ORDER BY k`,
  );
  return name;
}

const SELECT = (t: string) => `SELECT ${COLUMNS.map((c) => c.name).join(', ')} FROM ${conn.table(t)} ORDER BY k`;

describe('Native read and RowBinary write (issue 17)', () => {
  it('hand-written rows: money 12.35 yuan is 1235 fen exactly, Int64 beyond 2^53 a bigint, dates before 1970', async () => {
    const t = await table('hand');
    const rows = [
      {
        k: 1,
        big: 9_007_199_254_740_993n, // 2^53 + 1: not a double
        money: '12.35',
        ratio: '-0.000000000001',
        name: '阑尾炎 K35.8',
        maybe: null,
        codes: [],
        born: '1949-10-01',
        at: '2025-03-01T08:30:00.123Z',
        flag: true,
        share: 0.1,
        huge: -(2n ** 100n),
      },
      {
        k: 2,
        big: -42,
        money: '-0.01',
        ratio: '1.5',
        name: '',
        maybe: 'x',
        codes: ['K35.8', '', 'I10'],
        born: null,
        at: '2025-12-31 23:59:59.999',
        flag: null,
        share: -2.5e-9,
        huge: 7,
      },
    ];
    await conn.insertRowBinary(t, COLUMNS, encodeRows(t, COLUMNS, rows));
    const got = await conn.nativeRows(SELECT(t));
    expect(got).toEqual([
      [
        1,
        9_007_199_254_740_993n,
        '12.35',
        '-0.000000000001',
        '阑尾炎 K35.8',
        null,
        [],
        '1949-10-01',
        '2025-03-01 08:30:00.123',
        true,
        0.1,
        -(2n ** 100n),
      ],
      [2, -42, '-0.01', '1.5', '', 'x', ['K35.8', '', 'I10'], null, '2025-12-31 23:59:59.999', null, -2.5e-9, 7],
    ]);
    // the same table through the text path: money and ratios as the text ClickHouse prints, the Int64 as quoted text
    const text = await conn.rows(`SELECT toString(money), toString(ratio), toString(big), toInt64(money * 100) FROM
      ${conn.table(t)} ORDER BY k`);
    expect(text).toEqual([
      ['12.35', '-0.000000000001', '9007199254740993', '1235'],
      ['-0.01', '1.5', '-42', '-1'],
    ]);
  });

  it('property: random rows written as RowBinary read back equal through Native and through JSON', async () => {
    const t = await table('prop');
    const fen = fc.integer({ min: -999_999_999_999, max: 999_999_999_999 });
    const row = fc.record({
      big: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
      fen,
      ratioNum: fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
      name: fc.string({ maxLength: 12, unit: 'binary' }),
      maybe: fc.option(fc.string({ maxLength: 5 }), { nil: null }),
      codes: fc.array(fc.string({ maxLength: 6 }), { maxLength: 4 }),
      bornDays: fc.option(fc.integer({ min: -25_000, max: 40_000 }), { nil: null }),
      atMs: fc.integer({ min: 0, max: 4_102_444_800_000 }),
      flag: fc.option(fc.boolean(), { nil: null }),
      share: fc.double({ noNaN: true, noDefaultInfinity: true }),
      huge: fc.bigInt({ min: -(2n ** 127n), max: 2n ** 127n - 1n }),
    });
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 30 }), async (rs) => {
        round++;
        await conn.command(`TRUNCATE TABLE ${conn.table(t)}`);
        const rows = rs.map((r, k) => ({
          k,
          big: r.big,
          money: decimalText(BigInt(r.fen), 2),
          ratio: decimalText(r.ratioNum, 12),
          name: r.name,
          maybe: r.maybe,
          codes: r.codes,
          born: r.bornDays === null ? null : new Date(r.bornDays * 86_400_000).toISOString().slice(0, 10),
          at: new Date(r.atMs).toISOString(),
          flag: r.flag,
          share: r.share,
          huge: r.huge,
        }));
        await conn.insertRowBinary(t, COLUMNS, encodeRows(t, COLUMNS, rows));
        const back = await conn.nativeRows(SELECT(t));
        const safe = (v: bigint) => (Number.isSafeInteger(Number(v)) ? Number(v) : v);
        expect(back).toEqual(
          rows.map((r) => [
            r.k,
            safe(r.big),
            r.money,
            r.ratio,
            r.name,
            r.maybe,
            r.codes,
            r.born,
            r.at.replace('T', ' ').replace('Z', ''),
            r.flag,
            r.share,
            safe(r.huge),
          ]),
        );
        // money leaves as fen the same on both paths
        const blocks = await conn.native(`SELECT toInt64(money * 100) AS f FROM ${conn.table(t)} ORDER BY k`);
        const viaNative = blocks.flatMap((b) =>
          Array.from({ length: b.rows }, (_, i) => valueAt(b.columns[0]!.data, i)),
        );
        const viaJson = (await conn.rows(`SELECT toInt64(money * 100) FROM ${conn.table(t)} ORDER BY k`)).map((r) =>
          Number(r[0]),
        );
        expect(viaNative).toEqual(rs.map((r) => r.fen));
        expect(viaJson).toEqual(rs.map((r) => r.fen));
      }),
      { numRuns: 25 },
    );
    expect(round).toBeGreaterThanOrEqual(25);
  });

  it('a NULL literal (Nullable(Nothing)) and several blocks are read', async () => {
    const blocks = await conn.native(
      'SELECT number AS n, NULL AS none FROM numbers(20000) SETTINGS max_block_size = 4096',
    );
    expect(blocks.length).toBeGreaterThan(1);
    let total = 0;
    let sum = 0;
    for (const b of blocks) {
      expect(b.columns.map((c) => c.type)).toEqual(['UInt64', 'Nullable(Nothing)']);
      let nulls = 0;
      for (let i = 0; i < b.rows; i++) {
        sum += valueAt(b.columns[0]!.data, i) as number;
        if (valueAt(b.columns[1]!.data, i) === null) nulls++;
      }
      expect(nulls).toBe(b.rows);
      total += b.rows;
    }
    expect(total).toBe(20_000);
    expect(sum).toBe((19_999 * 20_000) / 2);
  });

  it('property: a safe JS integer written as Int64 has the bytes of its two’s complement (negative fen included)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (v) => {
        const w = new RowBinaryWriter();
        encoderFor('Int64', 't.x')(w, v);
        const want = Buffer.alloc(8);
        want.writeBigInt64LE(BigInt(v));
        expect(w.bytes()).toEqual(want);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses what a column cannot hold exactly: a double for a Decimal, a third decimal for Decimal(18,2), a day not in the calendar', () => {
    const w = new RowBinaryWriter();
    const money = encoderFor('Decimal(18, 2)', 't.money');
    expect(() => money(w, 12.35)).toThrow(/exact text/);
    expect(() => money(w, '1.005')).toThrow(/more than 2 decimals/);
    expect(() => encoderFor('Int64', 't.x')(w, 2 ** 53 + 2)).toThrow(/exact integer/);
    expect(() => encoderFor('Int32', 't.x')(w, 2 ** 31)).toThrow(/not an integer in/);
    expect(() => encoderFor('Map(String, String)', 't.m')).toThrow(/not written here/);
    // a day the calendar does not have is refused, not rolled over into the next month
    expect(() => encoderFor('Date32', 't.d')(w, '2025-02-29')).toThrow(/not a date/);
    expect(() => encoderFor("DateTime64(3, 'UTC')", 't.at')(w, '2025-02-30 08:00:00')).toThrow(/not a date-time/);
    encoderFor('Date32', 't.d')(w, '2024-02-29');
    expect(scaledDecimal('-0.5', 2, 'x')).toBe(-50n);
    expect(scaledDecimal('1.2300', 2, 'x')).toBe(123n);
    expect(decimalText(-5n, 2)).toBe('-0.05');
    expect(decimalText(1200n, 2)).toBe('12');
  });
});
