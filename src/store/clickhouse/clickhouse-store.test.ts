// R-DATA-1 on ClickHouse (issue 17): the Store contract against the ClickHouse back-end through chDB (ClickHouse in
// process), the schema parity with the DuckDB store, and the dialect differences that decide a fen.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CONTRACT_FIXTURE, type ContractFixture, caseColumnRows, storeContract } from '../contract.ts';
import { CLICKHOUSE_DIALECT, DUCKDB_DIALECT, type SqlDialect } from '../dialect.ts';
import { DuckDbStore } from '../duckdb/duckdb-store.ts';
import { CORE_TABLES } from '../duckdb/schema.ts';
import { openStore } from '../index.ts';
import { ClickHouseStore } from './clickhouse-store.ts';
import { parseLocation } from './client.ts';
import { CH_SCHEMA_VERSION } from './schema.ts';

const dir = mkdtempSync(join(tmpdir(), 'yibao-chdb-'));
// chDB (in process) may still be finishing a background merge in the folder: retry the removal.
afterAll(() => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));
let n = 0;
/** chDB is one engine per process: one data folder, a fresh database per store. */
const fresh = () => `chdb://${dir}?database=s${++n}`;

async function openLoaded(fixture: ContractFixture = CONTRACT_FIXTURE): Promise<ClickHouseStore> {
  const store = await ClickHouseStore.open(fresh());
  const meta = { run_id: 'fixture' };
  const load = (table: string, rows: readonly Record<string, unknown>[]) =>
    store.conn.insert(
      table,
      rows.map((r) => ({ ...r, ...meta })),
    );
  await load('cases', fixture.cases);
  await load('fee_items', fixture.feeItems);
  await load('institutions', fixture.institutions);
  await load('persons', fixture.persons);
  await load('enrolments', fixture.enrolments);
  await load('outpatient_settlements', fixture.outpatient);
  await load('codes', fixture.codes);
  await store.conn.insert('rejects', fixture.rejects); // each row with its own run
  return store;
}

storeContract('ClickHouse (chDB)', openLoaded);

/** DuckDB type → the ClickHouse type of the same column (NOT NULL → plain, NULL-able → Nullable). */
function mapped(duckType: string, nullable: boolean): string {
  const base: Record<string, string> = {
    VARCHAR: 'String',
    INTEGER: 'Int32',
    BIGINT: 'Int64',
    BOOLEAN: 'Bool',
    DATE: 'Date32',
    TIMESTAMP: "DateTime64(3, 'UTC')",
    'DECIMAL(18,2)': 'Decimal(18, 2)',
    'DECIMAL(18,4)': 'Decimal(18, 4)',
    'DECIMAL(18,6)': 'Decimal(18, 6)',
    'DECIMAL(38,12)': 'Decimal(38, 12)',
    DOUBLE: 'Float64',
    HUGEINT: 'Int128',
  };
  if (duckType === 'VARCHAR[]') return 'Array(String)';
  const t = base[duckType];
  if (!t) throw new Error(`unmapped DuckDB type ${duckType}`);
  return nullable ? `Nullable(${t})` : t;
}

describe('ClickHouse store specifics (issue 17)', () => {
  it('case columns: the dictionaries are work tables of the call, dropped after it, also when the reader stops early', async () => {
    const store = await openLoaded();
    const work = async () =>
      (
        await store.rows(`SELECT count() FROM system.tables WHERE database = {db:String} AND name LIKE 'yibao_tmp_%'`, {
          db: store.conn.database,
        })
      )[0]![0];
    try {
      const read = store.iterateCaseColumns({}, { batchSize: 1, settlement: true });
      const it = read[Symbol.asyncIterator]();
      expect((await it.next()).value?.n).toBe(1);
      // Four dictionaries (attributes, diagnoses, procedures, departments): their Join tables (the value tables
      // are dropped once read and joined).
      expect(Number(await work())).toBe(4);
      await it.return?.(undefined);
      expect(Number(await work())).toBe(0);
      expect((await caseColumnRows(store.iterateCaseColumns({}, { batchSize: 2 }))).rows).toHaveLength(3);
      expect(Number(await work())).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('has every core table of the DuckDB store with the same columns in the mapped types, at the same version', async () => {
    const duck = await DuckDbStore.open(':memory:');
    const ch = await ClickHouseStore.open(fresh());
    try {
      expect(await ch.schemaVersion()).toBe(await duck.schemaVersion());
      for (const table of CORE_TABLES) {
        const d = await duck.rows(
          `SELECT column_name, data_type, is_nullable FROM information_schema.columns
           WHERE table_name = $t AND table_schema = 'main' ORDER BY ordinal_position`,
          { t: table },
        );
        const c = await ch.describeTable(table);
        expect(c, table).toBeDefined();
        // DuckDB's PRIMARY KEY columns report NOT NULL; ClickHouse's key columns are plain types.
        expect(
          c!.map((x) => `${x.name} ${x.type}`),
          table,
        ).toEqual(d.map((r) => `${r[0]} ${mapped(r[1] as string, r[2] === 'YES')}`));
      }
    } finally {
      await duck.close();
      await ch.close();
    }
  });

  it('reopens without migrating again, and a read-only open of an empty database is refused as too old', async () => {
    const loc = fresh();
    const a = await ClickHouseStore.open(loc);
    await a.close();
    const b = await openStore(loc, { readOnly: true });
    expect(b.readOnly).toBe(true);
    expect(await b.schemaVersion()).toBe(CH_SCHEMA_VERSION);
    await expect(b.recordRun({} as never)).rejects.toThrow(/read-only/);
    await b.close();
    await expect(openStore(`chdb://${dir}?database=never_migrated`, { readOnly: true })).rejects.toThrow(/older than/);
  });

  it('a settlement run that fails while writing leaves no record and no rows; a complete one reads back exactly', async () => {
    const ch = await ClickHouseStore.open(fresh());
    try {
      const rec = {
        id: 'r1',
        region: 'x',
        year: 2025,
        command: 'settle dip 2025',
        caseMethod: 'dip',
        methods: ['dip', 'per-diem'],
        inputs: [{ path: 'store:cases/2025', sha256: 'ab'.repeat(32), bytes: 3, role: 'cases' }],
        counts: { current: 3 },
        startedAt: '2025-01-01T00:00:00.000Z',
        finishedAt: '2025-01-01T00:00:01.250Z',
        status: 'ok' as const,
      };
      const unit = {
        poolId: 'x-2025',
        unitId: 'U1',
        method: 'dip',
        institution: 'H1',
        month: '2025-03',
        group: 'K35.8-47.01',
        status: 'paid',
        points: 9_007_199_254_740_991,
        amountFen: null,
        billedFen: -12345,
        patientPaidFen: 0,
        basis: null,
        trace: '{"steps":[]}',
      };
      await expect(
        ch.saveSettlementRun(rec, async (w) => {
          await w.units([unit]);
          throw new Error('disk full');
        }),
      ).rejects.toThrow('disk full');
      expect(await ch.listSettlementRuns()).toEqual([]);
      expect(await ch.rows(`SELECT count() FROM ${ch.conn.table('run_units')}`)).toEqual([['0']]);
      await ch.saveSettlementRun(rec, async (w) => {
        await w.units([unit]);
      });
      expect(await ch.listSettlementRuns()).toEqual([rec]);
      expect(await ch.runResults('r1').unit('U1')).toEqual({ ...unit, settledFen: null });
      await expect(ch.runResults('nope').record()).rejects.toThrow(/no settlement run/);
    } finally {
      await ch.close();
    }
  });

  it('parses server URLs without keeping the password in the location', () => {
    const l = parseLocation('clickhouse://ana:s3cret@ch1.example:9000/region_a');
    expect(l).toMatchObject({ kind: 'server', url: 'http://ch1.example:9000', database: 'region_a', username: 'ana' });
    expect(l.display).toBe('clickhouse://ch1.example:9000/region_a');
    expect(parseLocation('clickhouses://h/x').url).toBe('https://h:8443');
    expect(parseLocation('chdb://:memory:')).toMatchObject({ kind: 'chdb', path: ':memory:', database: 'yibao' });
    expect(() => parseLocation('clickhouse://h/bad-name')).toThrow(/database name/);
  });

  it('money crosses as exact text: Float64 → Decimal would truncate (toDecimal64(1.005, 2) = 1.00), text does not', async () => {
    const ch = await ClickHouseStore.open(fresh());
    try {
      const r = await ch.rows("SELECT toString(toDecimal64(1.005, 2)), toString(toDecimal64('1.005', 3))");
      expect(r[0]).toEqual(['1', '1.005']);
      const w = await ch.openResultWriter({
        name: 'money_edge',
        columns: [
          { name: 'a', type: 'money' },
          { name: 'b', type: 'bigint' },
        ],
      });
      const rows = [
        { a: 100_000_000_000_01, b: -9_223_372_036_854_775_807n },
        { a: -1, b: 2 ** 53 - 1 },
      ];
      await w.append(rows);
      await w.close();
      const back: unknown[] = [];
      for await (const b of ch.iterateResults('money_edge', { orderBy: ['a'] })) back.push(...b);
      expect(back).toEqual([rows[1], rows[0]]);
    } finally {
      await ch.close();
    }
  });

  it('the dialect layer gives DuckDB’s answers on ClickHouse: integer division, exact interpolated median and quantile, discrete lower median, NULLs on unmatched joins', async () => {
    const duck = await DuckDbStore.open(':memory:');
    const ch = await ClickHouseStore.open(fresh());
    try {
      const ask = async (d: SqlDialect, xs: readonly number[], a: number, b: number) => {
        const list = xs.join(', ');
        const sql =
          d.name === 'duckdb'
            ? `SELECT CAST(${d.intDiv(String(a), String(b))} AS BIGINT), CAST(${d.median('x')} AS DOUBLE),
                 CAST(${d.quantile('x', 0.9)} AS DOUBLE), CAST(${d.lowerMedian('x')} AS BIGINT)
               FROM (SELECT unnest([${list}]) AS x)`
            : `SELECT toInt64(${d.intDiv(`toInt64(${a})`, `toInt64(${b})`)}), toFloat64(${d.median('x')}),
                 toFloat64(${d.quantile('x', 0.9)}), toInt64(${d.lowerMedian('x')}) FROM (SELECT arrayJoin([${list}]) AS x)`;
        const r = d.name === 'duckdb' ? await duck.rows(sql) : await ch.rows(sql);
        return r[0]!.map((v) => Number(v));
      };
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.integer({ min: -1_000_000, max: 1_000_000 }), { minLength: 1, maxLength: 12 }),
          fc.integer({ min: -10_000, max: 10_000 }),
          fc.integer({ min: -97, max: 97 }).filter((x) => x !== 0),
          async (xs, a, b) => {
            const [c, d] = [await ask(CLICKHOUSE_DIALECT, xs, a, b), await ask(DUCKDB_DIALECT, xs, a, b)];
            // division, median and lower median exactly; the 0.9 quantile's interpolation is a double on both (last
            // bit may differ)
            expect(c.slice(0, 2)).toEqual(d.slice(0, 2));
            expect(c[2]).toBeCloseTo(d[2]!, 6);
            expect(c[3]).toBe(d[3]);
          },
        ),
        { numRuns: 25 },
      );
      // median of 1..4 is 2.5 (ClickHouse's plain quantileExact would say 3, median() is approximate)
      expect(await ask(CLICKHOUSE_DIALECT, [1, 2, 3, 4], -7, 2)).toEqual([-3, 2.5, expect.closeTo(3.7, 9), 2]);
      const j = await ch.rows(
        'SELECT b.v FROM (SELECT 1 AS k) AS a LEFT JOIN (SELECT 2 AS k, 5 AS v) AS b ON a.k = b.k',
      );
      expect(j).toEqual([[null]]);
    } finally {
      await duck.close();
      await ch.close();
    }
  });
});

describe('ClickHouse store memory limit (issue 9: the store’s memory limit is set on both back-ends)', () => {
  it('sets max_memory_usage per query: the option, else the shared default (never ClickHouse’s share of RAM)', async () => {
    const given = await ClickHouseStore.open(fresh(), { memoryLimit: '512MB' });
    try {
      const [[v]] = (await given.rows("SELECT getSetting('max_memory_usage')")) as [[unknown]];
      expect(String(v)).toBe('512000000');
      const [[spill]] = (await given.rows("SELECT getSetting('max_bytes_before_external_group_by')")) as [[unknown]];
      expect(String(spill)).toBe('256000000');
    } finally {
      await given.close();
    }
    const dflt = await ClickHouseStore.open(fresh());
    try {
      const [[v]] = (await dflt.rows("SELECT getSetting('max_memory_usage')")) as [[unknown]];
      const bytes = Number(v);
      expect(bytes).toBeGreaterThanOrEqual(2 ** 30);
      expect(bytes).toBeLessThanOrEqual(4e9);
    } finally {
      await dflt.close();
    }
  });
});
