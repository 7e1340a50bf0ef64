// R-DATA-1 (the region's data in one store); the Store contract run against the embedded DuckDB back-end.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ASSESSMENT_COLUMNS,
  CASE_COLUMNS,
  DEDUCTION_COLUMNS,
  ENROLMENT_COLUMNS,
  FEE_ITEM_COLUMNS,
  INSTITUTION_COLUMNS,
  OUTPATIENT_COLUMNS,
  PERSON_COLUMNS,
  SPECIAL_REVIEW_COLUMNS,
} from '../../model/columns.ts';
import { CONTRACT_FIXTURE, type ContractFixture, storeContract } from '../contract.ts';
import { openStore } from '../index.ts';
import { DuckDbStore } from './duckdb-store.ts';
import { MIGRATIONS, SCHEMA_VERSION, SCHEMA_VERSION_DDL } from './schema.ts';
import { lit } from './sql.ts';

const dir = mkdtempSync(join(tmpdir(), 'yibao-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshPath = () => join(dir, `s${++n}.duckdb`);

function sqlValue(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (Array.isArray(v)) return v.length ? `[${v.map(sqlValue).join(', ')}]::VARCHAR[]` : '[]::VARCHAR[]';
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  return lit(String(v));
}

async function insert(
  store: DuckDbStore,
  table: string,
  rows: readonly Record<string, unknown>[],
  extra: Record<string, unknown>,
) {
  for (const r of rows) {
    const all = { ...r, ...extra };
    const cols = Object.keys(all);
    await store.connection.run(
      `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((c) => sqlValue(all[c])).join(', ')})`,
    );
  }
}

async function openLoaded(fixture: ContractFixture = CONTRACT_FIXTURE): Promise<DuckDbStore> {
  const store = await DuckDbStore.open(freshPath());
  const meta = { run_id: 'fixture' };
  await insert(store, 'cases', fixture.cases, meta);
  await insert(store, 'fee_items', fixture.feeItems, meta);
  await insert(store, 'institutions', fixture.institutions, meta);
  await insert(store, 'persons', fixture.persons, meta);
  await insert(store, 'enrolments', fixture.enrolments, meta);
  await insert(store, 'outpatient_settlements', fixture.outpatient, meta);
  await insert(store, 'codes', fixture.codes, { run_id: 'fixture' });
  await insert(store, 'rejects', fixture.rejects, {}); // each row with its own run
  return store;
}

storeContract('DuckDB', openLoaded);

describe('DuckDB store specifics (R-DATA-1)', () => {
  it('case columns: settlement ids of any length read back whole (short, 12, 13, 15 and 30 characters, non-ASCII)', async () => {
    // The year's ids are read in two parts of up to 12 characters (issue 9): every length and encoding joins back.
    const ids = [
      'S1',
      'S23456789012',
      'S234567890123',
      'JS2025000000001',
      'S23456789012345678901234567890',
      '结算号二〇二五年第一二三四五号',
    ];
    const base = CONTRACT_FIXTURE.cases[0]!;
    const store = await DuckDbStore.open(freshPath());
    await insert(
      store,
      'cases',
      ids.map((setl_id, k) => ({ ...base, setl_id, mdtrt_id: `M${k}` })),
      { run_id: 'fixture' },
    );
    try {
      const got: string[] = [];
      for await (const c of store.iterateCaseColumns({}, { batchSize: 4, settlement: true }))
        got.push(...c.settlement!.setlIds.slice(0, c.n));
      expect(got).toEqual([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    } finally {
      await store.close();
    }
  });

  it('case columns: each distinct code list is one dictionary entry, every row reads its own list back', async () => {
    // Every field, the settlement year's department dictionary included; the ids come from a join on the values.
    const store = await openLoaded();
    try {
      const cols = [];
      for await (const c of store.iterateCaseColumns({}, { batchSize: 2, idsFor: ['K35'], settlement: true }))
        cols.push(c);
      const dict = cols[0]!.dict;
      const keys = dict.diagnoses.map((d) => JSON.stringify(d));
      expect(new Set(keys).size).toBe(keys.length);
      const cases = await store.readCases(cols.flatMap((c) => c.settlement!.setlIds));
      const rows = cols.flatMap((c) =>
        Array.from({ length: c.n }, (_, r) => ({
          setlId: c.settlement!.setlIds[r]!,
          diagnoses: dict.diagnoses[c.diagnoses[r]!]!.map((d) => d.code),
          procedures: dict.procedures[c.procedures[r]!]!,
          institution: dict.attributes[c.attributes[r]!]!.institutionCode,
        })),
      );
      expect(rows).toEqual(
        cases.map((k) => ({
          setlId: k.setlId,
          diagnoses: k.diagnoses.map((d) => d.code),
          procedures: k.procedures.map((p) => p.code),
          institution: k.institutionCode,
        })),
      );
      expect(rows).toHaveLength(3);
    } finally {
      await store.close();
    }
  });

  it('creates the versioned schema once and reopens without migrating again', async () => {
    const path = freshPath();
    const a = await openStore(path);
    expect(await a.schemaVersion()).toBe(SCHEMA_VERSION);
    await a.close();
    const b = (await DuckDbStore.open(path)) as DuckDbStore;
    expect(Number(await b.scalar('SELECT count(*) FROM schema_version'))).toBe(SCHEMA_VERSION);
    await b.close();
  });

  it('migrates a store of an older schema version forward (version 1 → current) and keeps its rows', async () => {
    const path = freshPath();
    const old = await DuckDBInstance.create(path);
    const conn = await old.connect();
    await conn.run(SCHEMA_VERSION_DDL);
    await conn.run(MIGRATIONS[0]!.sql);
    await conn.run(`INSERT INTO schema_version VALUES (1, 'v1', now()::TIMESTAMP)`);
    await conn.run(
      `INSERT INTO runs VALUES ('r1', 'ingest cases', '[]', NULL, '{}', now()::TIMESTAMP, now()::TIMESTAMP, 0, 'ok', NULL)`,
    );
    conn.closeSync();
    old.closeSync();
    const store = await DuckDbStore.open(path);
    expect(await store.schemaVersion()).toBe(SCHEMA_VERSION);
    expect((await store.listRuns()).map((r) => r.id)).toEqual(['r1']);
    await store.close();
  });

  it('sets a memory limit (not DuckDB 80 % of RAM): the option, else the default of 1–4 GB', async () => {
    const a = await DuckDbStore.open(':memory:', { memoryLimit: '512MB' });
    const b = await DuckDbStore.open(':memory:');
    try {
      expect(String(await a.scalar("SELECT current_setting('memory_limit')"))).toMatch(/^(488\.2 MiB|512\.0 MB)$/);
      const gb = Number(String(await b.scalar("SELECT current_setting('memory_limit')")).split(' ')[0]);
      expect(gb).toBeGreaterThan(0);
      expect(gb).toBeLessThanOrEqual(4000);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('has table columns that are exactly the flat-file contract of model/columns.ts', async () => {
    const store = await DuckDbStore.open(':memory:');
    try {
      const cols = async (t: string) =>
        (
          await store.rows(
            `SELECT column_name FROM information_schema.columns WHERE table_name = ${lit(t)} ORDER BY ordinal_position`,
          )
        ).map((r) => r[0] as string);
      const meta = ['run_id'];
      // Columns added by later migrations (ALTER TABLE … ADD COLUMN) come after run_id: compare as sets.
      expect(new Set(await cols('cases'))).toEqual(new Set([...CASE_COLUMNS.map((c) => c.name), ...meta]));
      expect(new Set(await cols('fee_items'))).toEqual(
        new Set(['setl_id', 'line_no', ...FEE_ITEM_COLUMNS.slice(1).map((c) => c.name), ...meta]),
      );
      expect(await cols('institutions')).toEqual([...INSTITUTION_COLUMNS.map((c) => c.name), ...meta]);
      expect(await cols('persons')).toEqual([...PERSON_COLUMNS.map((c) => c.name), ...meta]);
      expect(await cols('enrolments')).toEqual([...ENROLMENT_COLUMNS.map((c) => c.name), ...meta]);
      expect(await cols('outpatient_settlements')).toEqual([...OUTPATIENT_COLUMNS.map((c) => c.name), ...meta]);
      expect(await cols('year_end_deductions')).toEqual([...DEDUCTION_COLUMNS.map((c) => c.name), ...meta]);
      expect(await cols('year_end_assessments')).toEqual([...ASSESSMENT_COLUMNS.map((c) => c.name), ...meta]);
      expect(await cols('year_end_special_reviews')).toEqual([...SPECIAL_REVIEW_COLUMNS.map((c) => c.name), ...meta]);
    } finally {
      await store.close();
    }
  });

  it('lets only one writer open a file in this process, and read-only opens refuse writes', async () => {
    const path = freshPath();
    const w = await openStore(path);
    await expect(openStore(path)).rejects.toMatchObject({ code: 'STORE_LOCKED' });
    await expect(openStore(path, { readOnly: true })).rejects.toMatchObject({ code: 'STORE_LOCKED' });
    await w.close();
    const r1 = await openStore(path, { readOnly: true });
    const r2 = await openStore(path, { readOnly: true });
    await expect(r1.recordRun({} as never)).rejects.toMatchObject({ code: 'STORE_READ_ONLY' });
    expect(await r2.countCases()).toBe(0);
    await r1.close();
    await r2.close();
    await expect(openStore(join(dir, 'missing.duckdb'), { readOnly: true })).rejects.toMatchObject({
      code: 'STORE_NOT_FOUND',
    });
  });

  it('refuses a second writing process (DuckDB file lock)', async () => {
    const path = freshPath();
    const w = await openStore(path);
    try {
      const script = `import('@duckdb/node-api').then(async ({ DuckDBInstance }) => {
        try { await DuckDBInstance.create(${JSON.stringify(path)}); console.log('opened'); }
        catch (e) { console.log(/lock/i.test(e.message) ? 'locked' : e.message); }
      })`;
      const out = spawnSync(process.execPath, ['-e', script], { cwd: process.cwd(), encoding: 'utf8' });
      expect(out.stdout.trim()).toBe('locked');
    } finally {
      await w.close();
    }
  });
});
