import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRegion } from './generate.ts';
import type { Manifest } from './manifest.ts';
import { defaultShards, shardRows } from './shard.ts';

const root = mkdtempSync(join(tmpdir(), 'yibao-synth-shards-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

describe('shards: how a year is dealt out', () => {
  it('gives every shard an equal part, the first n mod shards one more, adding up to n', () => {
    expect(shardRows(10, 3)).toEqual([4, 3, 3]);
    expect(shardRows(2, 4)).toEqual([1, 1, 0, 0]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5_000_000 }), fc.integer({ min: 1, max: 64 }), (n, k) => {
        const parts = shardRows(n, k);
        expect(parts.reduce((a, b) => a + b, 0)).toBe(n);
        expect(Math.max(...parts) - Math.min(...parts)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('uses one shard per 100,000 cases, from 1 to 16 (small regions stay one shard)', () => {
    expect([99_999, 100_000, 250_000, 1_000_000, 1_600_000, 20_000_000].map(defaultShards)).toEqual([
      1, 1, 2, 10, 16, 16,
    ]);
  });
});

describe('generateRegion on worker threads: the same files whatever the number of workers', () => {
  const one = join(root, 'one');
  const two = join(root, 'two');
  const options = {
    cases: 4000,
    seed: 'shards',
    shards: 3,
    feeItems: true,
    badRowRate: 0.02,
    misbehaviour: true,
  } as const;
  let m1: Manifest;
  let m2: Manifest;
  beforeAll(async () => {
    m1 = await generateRegion({ ...options, out: one, workers: 1 });
    m2 = await generateRegion({ ...options, out: two, workers: 2 });
  }, 180_000);

  it('writes byte-identical files (same SHA-256) with 1 and 2 workers', () => {
    expect(m2.files.map((f) => [f.path, f.rows, f.sha256])).toEqual(m1.files.map((f) => [f.path, f.rows, f.sha256]));
    expect(m2.counts).toEqual(m1.counts);
    expect(m1.counts.feeItems).toBeGreaterThan(0);
    expect(m1.counts.badRows).toBeGreaterThan(0);
    // The shards' parts are gone.
    expect(readdirSync(two).filter((f) => f.startsWith('.synth'))).toEqual([]);
  });

  it('holds the same rows in the same order: no row of one run is missing from the other (DuckDB EXCEPT)', async () => {
    for (const name of ['cases-2025', 'fee-items-2024']) {
      const a = `(SELECT row_number() OVER () AS n, * FROM read_parquet('${one}/${name}.parquet'))`;
      const b = `(SELECT row_number() OVER () AS n, * FROM read_parquet('${two}/${name}.parquet'))`;
      const [r] = await query(
        `SELECT (SELECT count(*) FROM (SELECT * FROM ${a} EXCEPT SELECT * FROM ${b})) AS only_one,
                (SELECT count(*) FROM (SELECT * FROM ${b} EXCEPT SELECT * FROM ${a})) AS only_two,
                (SELECT count(*) FROM ${a}) AS rows`,
      );
      expect(r, name).toMatchObject({ only_one: 0n, only_two: 0n });
      expect(Number(r!.rows)).toBeGreaterThan(0);
    }
  });

  it('numbers a year’s rows 1…n through the shards: setl_id ascending, row = position, fee lines follow their cases', async () => {
    const [r] = await query(`WITH c AS (
        SELECT row_number() OVER () AS pos, setl_id FROM read_parquet('${two}/cases-2023.parquet'))
      SELECT count(*) AS n, count(*) FILTER (WHERE setl_id IS DISTINCT FROM 'JS2023' || lpad(pos::VARCHAR, 9, '0')
        AND pos NOT IN (SELECT "row"::BIGINT FROM read_csv('${two}/truth.csv', all_varchar = true, header = true)
                        WHERE category = 'bad-row' AND file = 'cases-2023.parquet')) AS misplaced
      FROM c`);
    expect(Number(r!.n)).toBe(m2.counts.casesByYear['2023']);
    expect(r!.misplaced).toBe(0n);
    const [f] = await query(`WITH f AS (
        SELECT setl_id, lag(setl_id) OVER (ORDER BY pos) AS prev FROM (
          SELECT row_number() OVER () AS pos, setl_id FROM read_parquet('${two}/fee-items-2023.parquet')))
      SELECT count(*) FILTER (WHERE setl_id < prev) AS backwards FROM f`);
    expect(f!.backwards).toBe(0n);
  });

  it('never admits a person who is in hospital or dead, across shards and years', async () => {
    const [r] = await query(`WITH s AS (
        SELECT psn_no, adm_time, dscg_time, dscg_way,
          lag(dscg_time) OVER (PARTITION BY psn_no ORDER BY adm_time, dscg_time) AS prev_dscg,
          lag(dscg_way) OVER (PARTITION BY psn_no ORDER BY adm_time, dscg_time) AS prev_way
        FROM read_parquet('${two}/cases-*.parquet') WHERE psn_no IS NOT NULL)
      SELECT count(*) FILTER (WHERE adm_time::DATE < prev_dscg::DATE) AS overlaps,
             count(*) FILTER (WHERE prev_way = '5') AS after_death FROM s`);
    // Bad rows may carry broken dates; the clean ones never overlap.
    expect(Number(r!.overlaps)).toBeLessThanOrEqual(m2.counts.badRows);
    expect(r!.after_death).toBe(0n);
  });

  it('lists every injected row in truth.csv with the row it really has', async () => {
    const lines = readFileSync(join(two, 'truth.csv'), 'utf8').trim().split('\n').slice(1);
    expect(lines.length).toBe(m2.counts.truthRows);
    const rows = lines
      .map((l) => l.split(','))
      .filter((c) => c[0] === 'case' && c[1] === 'misbehaviour' && c[3] === 'cases-2025.parquet');
    expect(rows.length).toBeGreaterThan(0);
    for (const c of rows) expect(c[5]).toBe(`JS2025${c[4]!.padStart(9, '0')}`);
    expect(existsSync(join(two, 'manifest.json'))).toBe(true);
  });
});
