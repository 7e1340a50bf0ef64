/**
 * Reliability (issue 10, "nothing lost, nothing leaked"): real processes killed with SIGKILL in the middle of an
 * ingest and of a settlement leave the store and the statements exactly as before, and a rerun gives the same
 * result as an undisturbed run. Also: files holding personal data are created 0600, and capitation statements
 * carry no person's number. Small data (the demo at its smallest size) so it stays in `npm test`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync, watch } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFile } from '../src/ingest/pipeline.ts';
import { tempDir, toCsv, validCase } from '../src/ingest/testing.ts';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'yibao.js');
const tmp = tempDir('yibao-reliability-');
afterAll(() => tmp.remove());
const db = join(tmp.path, 'region.duckdb');
const demoOut = join(tmp.path, 'demo');
/** One settlement command (shared mode, keyed pseudonyms) used by the masking and the kill tests. */
const SETTLE = ['--db', db, '--share-mode', '0640', 'settle', '--year', '2025', '--out', join(tmp.path, 'settle')];
const KEYED = { YIBAO_PSEUDONYM_KEY: 'a-region-secret-key-0123456789' };

/** Run a command in a child process (asynchronously: the test worker must keep answering its runner). */
function run(cmd: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>((resolve) => {
    const child = spawn(process.execPath, cmd, { cwd: ROOT, env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += String(d);
    });
    child.stderr.on('data', (d) => {
      err += String(d);
    });
    child.on('close', (code, signal) => resolve({ code, signal, out, err }));
  });
}

const yibao = (args: string[], env: Record<string, string> = {}) => run([BIN, ...args], env);

/** Path → SHA-256 of every file below `dir` (the atomic writer's own list file included). */
function snapshot(dir: string, only?: RegExp): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (!only || only.test(name)) {
        out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
      }
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

async function withStore<T>(file: string, f: (s: DuckDbStore) => Promise<T>): Promise<T> {
  const store = await DuckDbStore.open(file, { readOnly: true });
  try {
    return await f(store);
  } finally {
    await store.close();
  }
}

/** How many settlement runs the store holds. */
const runCounts = (file: string) =>
  withStore(file, async (s) => ({ runs: Number(await s.scalar('SELECT count(*) FROM settlement_runs')) }));

/** Every stored settlement run of the same year has the same number of units (none is half-stored). */
const completeRuns = (file: string) =>
  withStore(file, async (s) => {
    const rows = await s.rows(
      'SELECT r.run_id, count(u.unit_id) FROM settlement_runs r LEFT JOIN run_units u USING (run_id) GROUP BY 1',
    );
    return rows.length > 0 && new Set(rows.map((r) => Number(r[1]))).size === 1 && Number(rows[0]![1]) > 0;
  });

/** The runs and the row count of every table of the store (opened read-only in this process, then closed). */
async function storeState(file: string): Promise<string> {
  const store = await DuckDbStore.open(file, { readOnly: true });
  try {
    const tables = await store.rows(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1",
    );
    const counts: string[] = [];
    for (const [t] of tables) counts.push(`${t}=${String(await store.scalar(`SELECT count(*) FROM "${String(t)}"`))}`);
    const runs = await store.rows('SELECT * FROM runs ORDER BY 1');
    return JSON.stringify({ counts, runs: runs.map((r) => r.map(String)) });
  } finally {
    await store.close();
  }
}

/** Start `yibao args` and SIGKILL it as soon as `when(dirEntry)` sees a matching entry appear in `watchDir`. */
function killWhen(
  args: string[],
  env: Record<string, string>,
  watchDir: string,
  when: (name: string) => boolean,
): Promise<ChildProcess> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      stdio: 'ignore',
      env: { ...process.env, ...env },
    });
    let killed = false;
    const kill = () => {
      if (killed) return;
      killed = true;
      child.kill('SIGKILL');
    };
    const w = watch(watchDir, (_e, name) => {
      if (name && when(String(name))) kill();
    });
    child.on('exit', () => {
      w.close();
      resolve(child);
    });
  });
}

beforeAll(async () => {
  const r = await yibao(['--db', db, 'demo', '--cases', '1000', '--out', demoOut]);
  expect(r.code, r.err).toBe(0);
}, 240_000);

describe('issue 10: nothing leaked', () => {
  it('capitation statements name no person (psn_no pseudonymised: keyed hash, else masked); files 0600 by default, 0640 shared', async () => {
    expect(statSync(db).mode & 0o777).toBe(0o600);
    for (const f of Object.keys(snapshot(demoOut))) expect(statSync(join(demoOut, f)).mode & 0o777, f).toBe(0o600);
    const persons = readFileSync(join(demoOut, 'region', 'enrolments.csv'), 'utf8')
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[0]!)
      .filter((p) => p.length > 4);
    expect(persons.length).toBeGreaterThan(10);
    const check = (dir: string) => {
      for (const f of Object.keys(snapshot(dir))) {
        if (f.endsWith('.xlsx')) continue; // the same rows as the CSV files; checked through them
        const text = readFileSync(join(dir, f), 'utf8');
        for (const p of persons) expect(text.includes(p), `${f} holds ${p}`).toBe(false);
      }
    };
    check(join(demoOut, 'capitation'));
    const out = join(tmp.path, 'settle');
    const r = await yibao(SETTLE, KEYED);
    expect(r.code, r.err).toBe(0);
    for (const f of Object.keys(snapshot(out))) expect(statSync(join(out, f)).mode & 0o777, f).toBe(0o640);
    check(join(out, 'capitation'));
    const heads = readFileSync(join(out, 'capitation', 'capitation-heads.csv'), 'utf8');
    expect(heads).toMatch(/\nh:[0-9a-f]{16}\//); // h: + the first 16 hex digits of HMAC-SHA256(key, psn_no)
  });
});

describe('issue 10: nothing half-written (kill -9)', () => {
  it('settle killed while writing statements: the folder and the store are as before; a rerun is identical', async () => {
    const out = join(tmp.path, 'settle');
    const before = snapshot(out); // written by the test above
    expect(Object.keys(before).length).toBeGreaterThan(10);
    const storeBefore = await runCounts(db);
    let signal: NodeJS.Signals | null = null;
    for (let attempt = 0; attempt < 3 && signal !== 'SIGKILL'; attempt++) {
      const child = await killWhen(SETTLE, KEYED, tmp.path, (name) => name.startsWith('settle.tmp-'));
      signal = child.signalCode;
    }
    expect(signal).toBe('SIGKILL');
    expect(snapshot(out)).toEqual(before);
    // The settlement run is stored in one transaction before its statements are written: after the kill the store
    // holds the runs it held, or those plus one complete run — never a half-stored one.
    expect(await completeRuns(db)).toBe(true);
    expect([storeBefore.runs, storeBefore.runs + 1]).toContain((await runCounts(db)).runs);
    expect((await yibao(SETTLE, KEYED)).code).toBe(0);
    const csv = /\.(csv|jsonl)$/;
    expect(snapshot(out, csv)).toEqual(Object.fromEntries(Object.entries(before).filter(([f]) => csv.test(f))));
    expect(readdirSync(tmp.path).filter((n) => n.startsWith('settle.'))).toEqual([]);
  }, 240_000);

  it('ingest killed before its commit: store unchanged, no rejects file; the rerun equals an undisturbed ingest', async () => {
    const store = join(tmp.path, 'ingest.duckdb');
    copyFileSync(db, store);
    const file = tmp.file(
      'late.csv',
      toCsv([
        validCase({ setl_id: 'LATE1', fixmedins_code: 'H99010200001' }),
        validCase({ setl_id: 'LATE2', gend: '7', fixmedins_code: 'H99010200001' }),
      ]),
    );
    const rejects = join(tmp.path, 'late.rejects.csv');
    const before = await storeState(store);
    // A script that runs the real ingest and kills its own process (SIGKILL) as the commit starts.
    const script = tmp.file(
      'kill-at-commit.mts',
      `import { DuckDbStore } from ${JSON.stringify(join(ROOT, 'src/store/duckdb/duckdb-store.ts'))};
       import { ingestFile } from ${JSON.stringify(join(ROOT, 'src/ingest/pipeline.ts'))};
       const store = await DuckDbStore.open(process.argv[2]);
       await ingestFile(store, { kind: 'cases', file: process.argv[3], rejectsFile: process.argv[4],
         onStage: (s) => { if (s === process.argv[5]) process.kill(process.pid, 'SIGKILL'); } });`,
    );
    const r = await run(['--import', 'tsx', script, store, file, rejects, 'commit']);
    expect(r.signal, r.err).toBe('SIGKILL');
    expect(await storeState(store)).toBe(before);
    expect(existsSync(rejects)).toBe(false);
    const rerun = await yibao(['--db', store, '--json', 'ingest', file, '--rejects', rejects]);
    const undisturbed = join(tmp.path, 'undisturbed.duckdb');
    copyFileSync(db, undisturbed);
    const u = await DuckDbStore.open(undisturbed);
    const clean = await ingestFile(u, { kind: 'cases', file, rejectsFile: join(tmp.path, 'u.rej.csv') });
    await u.close();
    const j = JSON.parse(rerun.out) as { read: number; accepted: number; rejected: number; rejectsByCode: unknown };
    expect([j.read, j.accepted, j.rejected, j.rejectsByCode]).toEqual([
      clean.read,
      clean.accepted,
      clean.rejected,
      clean.rejectsByCode,
    ]);
    expect(readFileSync(rejects, 'utf8')).toBe(readFileSync(join(tmp.path, 'u.rej.csv'), 'utf8'));
  }, 240_000);
});
