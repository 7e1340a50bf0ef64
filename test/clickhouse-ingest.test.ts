/**
 * Ingest with QC through ClickHouse (issue 17): `yibao --store chdb://… ingest FILE` checks each file in a staging
 * DuckDB store with the same pipeline and appends the accepted rows to ClickHouse. The contract: every file of a
 * generated region (with bad rows) gives the same report — read, accepted, rejected, rejects by code — and the same
 * stored rows on ClickHouse as on DuckDB (R-DATA-1); a file whose keys are already stored is refused before
 * anything is written; `qc` stores nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.ts';
import { SAMPLE_CODE_LISTS } from '../src/codes/index.ts';
import { importCodes } from '../src/ingest/codes-import.ts';
import { type IngestReport, ingestFile } from '../src/ingest/pipeline.ts';
import { ClickHouseStore } from '../src/store/clickhouse/clickhouse-store.ts';
import { handOff } from '../src/store/clickhouse/handoff.ts';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.ts';
import { generateRegion } from '../src/synth/generate.ts';

const dir = mkdtempSync(join(tmpdir(), 'yibao-ch-ingest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const loc = `chdb://${join(dir, 'chdb')}?database=ingest`;

/** Master data before cases, cases before their fee lines (the order of `yibao demo`). */
const ORDER = [
  ['institutions', 'institutions'],
  ['persons', 'persons'],
  ['enrolments', 'enrolments'],
  ['outpatient', 'outpatient'],
  ['cases', 'cases'],
  ['fee-items', 'fee-items'],
] as const;

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
    out += String(c);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => {
    err += String(c);
    return true;
  });
  try {
    return { code: await main(['node', 'yibao', ...args]), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
    process.exitCode = undefined;
  }
}

async function collect<T>(it: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const b of it) out.push(...b);
  return out;
}

const counts = (r: IngestReport) => ({
  kind: r.kind,
  read: r.read,
  accepted: r.accepted,
  rejected: r.rejected,
  alreadyPresent: r.alreadyPresent,
  rejectsByCode: r.rejectsByCode,
  warningsByCode: r.warningsByCode,
  translatedCodes: r.translatedCodes,
  status: r.status,
});

describe('ingest with QC through ClickHouse (chDB): the same reports and rows as on DuckDB', () => {
  let files: { kind: (typeof ORDER)[number][0]; path: string }[] = [];
  let duck: DuckDbStore;
  const onDuck = new Map<string, IngestReport>();

  beforeAll(async () => {
    const region = join(dir, 'region');
    const manifest = await generateRegion({
      out: region,
      cases: 400,
      seed: 5,
      feeItems: true,
      badRowRate: 0.01,
      misbehaviour: false,
    });
    files = ORDER.flatMap(([kind, stem]) =>
      manifest.files
        .map((f) => f.path)
        .filter((p) => new RegExp(`^${stem}(-\\d{4})?\\.(parquet|csv)$`).test(p.split('/').pop()!))
        .sort()
        .map((p) => ({ kind, path: join(region, p) })),
    );
    duck = await DuckDbStore.open(join(dir, 'duck.duckdb'));
    for (const kind of ['icd10', 'icd9'] as const) {
      await importCodes(duck, { kind, file: SAMPLE_CODE_LISTS[kind], listVersion: 'sample' });
    }
    for (const f of files) {
      onDuck.set(
        f.path,
        await ingestFile(duck, { kind: f.kind, file: f.path, rejectsFile: join(dir, 'rejects-duck.csv') }),
      );
    }
    // The code lists reach ClickHouse by the hand-off (`yibao store push --tables codes`).
    const ch = await ClickHouseStore.open(loc);
    await handOff(duck, ch, { workDir: dir, tables: ['codes'] });
    await ch.close();
  }, 300_000);
  afterAll(async () => {
    await duck?.close();
  });

  it('R-DATA-1: every file gives the DuckDB report (rows read, accepted, rejected by code) and the same stored rows', async () => {
    expect(files.map((f) => f.kind)).toEqual(expect.arrayContaining(['institutions', 'cases', 'fee-items']));
    let rejected = 0;
    for (const f of files) {
      const r = await cli([
        '--store',
        loc,
        '--json',
        'ingest',
        f.path,
        '--kind',
        f.kind,
        '--rejects',
        join(dir, 'rej.csv'),
      ]);
      expect([0, 1], r.err).toContain(r.code);
      const report = JSON.parse(r.out) as IngestReport;
      expect(counts(report), f.path).toEqual(counts(onDuck.get(f.path)!));
      rejected += report.rejected;
    }
    expect(rejected).toBeGreaterThan(0); // the generated bad rows were rejected on both

    const ch = await ClickHouseStore.open(loc, { readOnly: true });
    try {
      expect(await ch.readInstitutions()).toEqual(await duck.readInstitutions());
      expect(await collect(ch.iteratePersons())).toEqual(await collect(duck.iteratePersons()));
      expect(await ch.readEnrolments()).toEqual(await duck.readEnrolments());
      expect(await collect(ch.iterateOutpatient({}))).toEqual(await collect(duck.iterateOutpatient({})));
      for (const year of [2022, 2023, 2024, 2025]) {
        expect(await collect(ch.iterateCases({ year }, 500))).toEqual(await collect(duck.iterateCases({ year }, 500)));
      }
      expect(await collect(ch.iterateFeeItems({ year: 2025 }, 5_000))).toEqual(
        await collect(duck.iterateFeeItems({ year: 2025 }, 5_000)),
      );
      expect(await ch.countCases({})).toBeGreaterThan(300);
      // Each ingest is recorded as a run, as on DuckDB, with its rejects.
      const runs = await ch.listRuns({ limit: 100 });
      expect(runs.filter((x) => x.command.startsWith('ingest')).length).toBe(files.length);
      const rej = await ch.rows(`SELECT count() FROM ${ch.conn.table('rejects')}`);
      expect(Number(rej[0]![0])).toBeGreaterThan(0);
    } finally {
      await ch.close();
    }
  }, 600_000);

  it('a file whose keys are already stored is refused whole (exit 3, zh/en sentence); qc stores nothing', async () => {
    const cases = files.find((f) => f.kind === 'cases')!;
    const ch = await ClickHouseStore.open(loc, { readOnly: true });
    const before = await ch.countCases({});
    await ch.close();
    const again = await cli(['--store', loc, 'ingest', cases.path, '--kind', 'cases', '--rejects', join(dir, 'r.csv')]);
    expect(again.code).toBe(3);
    expect(again.err).toMatch(/已有 \d+ 个相同主键/);
    const en = await cli([
      '--store',
      loc,
      '--lang',
      'en',
      'qc',
      cases.path,
      '--kind',
      'cases',
      '--rejects',
      join(dir, 'r.csv'),
    ]);
    expect([0, 1]).toContain(en.code);
    const after = await ClickHouseStore.open(loc, { readOnly: true });
    expect(await after.countCases({})).toBe(before);
    await after.close();
  }, 300_000);

  it('a command that needs the embedded store (store push from it) says so in one sentence naming what ClickHouse serves (exit 3)', async () => {
    for (const lang of ['zh', 'en']) {
      const r = await cli(['--store', loc, '--lang', lang, 'store', 'push', '--to', `chdb://${join(dir, 'other')}`]);
      expect(r.code).toBe(3);
      expect(r.err).toMatch(
        lang === 'zh'
          ? /ClickHouse 可用于 ingest、qc、codes import、settle.*monitor.*serve/
          : /ClickHouse serves ingest.*monitor.*serve/,
      );
    }
  });
});
