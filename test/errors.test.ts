/**
 * One error path (issue 10): every failure a user causes — a path, a permission, a lock, a file that is not what it
 * should be — exits 3 with one sentence (Chinese by default, English with --lang en) saying what to do; 70 is left
 * for real bugs. And a `--db` that is not a yibao store is refused, never replaced by an in-memory database.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { EXIT } from '../src/cli/context.ts';
import { main } from '../src/cli/main.ts';
import { tempDir, toCsv, validCase } from '../src/ingest/testing.ts';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const tmp = tempDir('yibao-errors-');
afterAll(() => tmp.remove());
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

async function yibao(...args: string[]) {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    err += String(s);
    return true;
  });
  try {
    const code = await main(['node', 'yibao', ...args]);
    return { code, out, err };
  } finally {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  }
}

const cases = tmp.file('cases.csv', toCsv([validCase({ setl_id: 'E1' })]));

describe('issue 10: --db must be a yibao store', () => {
  it('--db pointing at a CSV file exits 3 and leaves the file as it was (no in-memory fallback)', async () => {
    const before = readFileSync(cases, 'utf8');
    const r = await yibao('--db', cases, 'ingest', cases, '--rejects', join(tmp.path, 'r.csv'));
    expect(r.code).toBe(EXIT.badInput);
    expect(r.err).toContain('不是 DuckDB 数据库');
    expect(r.out).not.toContain('入库 1');
    expect(readFileSync(cases, 'utf8')).toBe(before);
    const en = await yibao('--lang', 'en', '--db', cases, 'runs');
    expect([en.code, en.err.trim().split('\n').length]).toEqual([EXIT.badInput, 1]);
    expect(en.err).toContain('is not a DuckDB database');
  });

  it('a new path creates a store', async () => {
    const db = join(tmp.path, 'new', 'region.duckdb');
    const r = await yibao('--db', db, 'ingest', cases, '--rejects', join(tmp.path, 'r2.csv'), '--as-of', '2025-12-31');
    expect(r.code, r.err).toBe(EXIT.ok);
    const store = await DuckDbStore.open(db, { readOnly: true });
    expect(Number(await store.scalar('SELECT count(*) FROM cases'))).toBe(1);
    await store.close();
  });
});

describe('issue 10: user-caused failures exit 3 with one sentence', () => {
  const db = join(tmp.path, 'store.duckdb');
  const oneSentence = (r: { code: number; err: string }) => {
    expect(r.code, r.err).toBe(EXIT.badInput);
    expect(r.err).not.toMatch(/internal error|\n\s+at /);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  };

  it('a folder as input, a folder as --rejects, an input below a file, an invalid --as-of', async () => {
    const dir = join(tmp.path, 'x.csv');
    mkdirSync(dir, { recursive: true });
    oneSentence(await yibao('--db', db, 'ingest', dir));
    oneSentence(await yibao('--db', db, 'ingest', cases, '--rejects', dir));
    oneSentence(await yibao('--db', db, 'ingest', join(cases, 'inner.csv')));
    const asOf = await yibao('--db', db, 'ingest', cases, '--as-of', '2021-02-30');
    expect(asOf.code).toBe(EXIT.badInput);
    expect(asOf.err).toContain('2021-02-30');
  });

  it('--rejects below a file (cannot be created) exits 3 before anything is stored', async () => {
    const r = await yibao('--db', db, 'ingest', cases, '--rejects', join(cases, 'r.csv'));
    oneSentence(r);
    expect(r.err).toContain('--rejects');
  });

  it('explain and settle on a store locked by another process exit 3 with what to do', async () => {
    const locked = join(tmp.path, 'locked.duckdb');
    (await DuckDbStore.open(locked)).close();
    const holder: ChildProcess = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { DuckDBInstance } from '@duckdb/node-api';
         const i = await DuckDBInstance.create(${JSON.stringify(locked)});
         await i.connect(); process.stdout.write('ready\\n'); setInterval(() => {}, 1000);`,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
      for (const args of [
        ['explain', 'case', 'X1'],
        ['settle', '--year', '2025', '--out', join(tmp.path, 'o')],
      ]) {
        const r = await yibao('--db', locked, ...args);
        oneSentence(r);
        expect(r.err).toContain('另一个进程');
      }
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('--columns maps a file column; an unknown target is refused with a sentence', async () => {
    const { oprn_oprt_codes, ...rest } = validCase({ setl_id: 'E2' });
    const file = tmp.file('variant.csv', toCsv([{ ...rest, oprn_codes: oprn_oprt_codes! }]));
    const stop = await yibao('--db', db, 'ingest', file, '--as-of', '2025-12-31');
    oneSentence(stop);
    expect(stop.err).toContain('oprn_oprt_codes');
    const ok = await yibao(
      '--db',
      db,
      'ingest',
      file,
      '--columns',
      'oprn_codes=oprn_oprt_codes',
      '--as-of',
      '2025-12-31',
    );
    expect(ok.code, ok.err).toBe(EXIT.ok);
    const map = tmp.file('map.txt', '# file column = yibao column\noprn_codes=oprn_oprt_codes\n');
    expect((await yibao('--db', db, 'qc', file, '--columns', map, '--as-of', '2025-12-31')).code).toBe(EXIT.ok);
    oneSentence(await yibao('--db', db, 'ingest', file, '--columns', 'oprn_codes=procedures'));
  });

  it('settle --out naming a file exits 3', async () => {
    const r = await yibao('--db', db, 'settle', '--year', '2025', '--out', join(cases, 'out'));
    expect(r.code, r.err).toBe(EXIT.badInput);
  });
});
