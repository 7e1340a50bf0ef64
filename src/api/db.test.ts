/**
 * The server's store shared with the command line (walk2 #14: a running `yibao serve` made `yibao runs` and
 * `explain case` fail with 存储文件正被另一个进程使用). DuckDB lets one process hold a file open for writing and no
 * other process open it, not even to read; the server now holds it only while a request or job uses it.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import { ApiDb } from './db.ts';

const tmp = mkdtempSync(join(tmpdir(), 'yibao-apidb-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const DUCKDB = new URL('../../node_modules/@duckdb/node-api/lib/index.js', import.meta.url).href;
/** Another process opening the file (as `yibao runs` does, read-only), holding it for `holdMs`; prints "ok". */
const other = (path: string, mode: 'READ_ONLY' | 'READ_WRITE', holdMs = 0) => [
  '--input-type=module',
  '-e',
  `import { DuckDBInstance } from ${JSON.stringify(DUCKDB)};
   const i = await DuckDBInstance.create(${JSON.stringify(path)}, { access_mode: '${mode}' });
   const c = await i.connect();
   await c.run('SELECT 1');
   process.stdout.write('ok');
   await new Promise((r) => setTimeout(r, ${holdMs}));
   c.closeSync(); i.closeSync();`,
];

describe('the API store shared with commands (walk2 #14)', () => {
  it('idle, the server lets the file go: another process reads it; the next request opens it again', async () => {
    const path = join(tmp, 'a.duckdb');
    await (await DuckDbStore.open(path)).close();
    const db = await ApiDb.open(path, { idleMs: 50, waitMs: 5000 });
    try {
      expect(await db.query('SELECT 42 AS n')).toEqual([{ n: 42 }]);
      await new Promise((r) => setTimeout(r, 300));
      expect(db.isOpen).toBe(false);
      expect(execFileSync(process.execPath, other(path, 'READ_ONLY'), { encoding: 'utf8' })).toBe('ok');
      expect(await db.query('SELECT 7 AS n')).toEqual([{ n: 7 }]);
      expect(db.isOpen).toBe(true);
    } finally {
      await db.close();
    }
  });

  it('a request while a command holds the file waits for it, then answers', async () => {
    const path = join(tmp, 'b.duckdb');
    await (await DuckDbStore.open(path)).close();
    const db = await ApiDb.open(path, { idleMs: 20, waitMs: 10_000 });
    try {
      await new Promise((r) => setTimeout(r, 200));
      expect(db.isOpen).toBe(false);
      const child = spawn(process.execPath, other(path, 'READ_WRITE', 1500));
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      const started = Date.now();
      expect(await db.query('SELECT 1 AS n')).toEqual([{ n: 1 }]);
      expect(Date.now() - started).toBeGreaterThan(500);
    } finally {
      await db.close();
    }
  });

  it('held while a request is in flight (acquire … release), let go after', async () => {
    const path = join(tmp, 'c.duckdb');
    await (await DuckDbStore.open(path)).close();
    const db = await ApiDb.open(path, { idleMs: 30, waitMs: 5000 });
    try {
      await db.acquire();
      await new Promise((r) => setTimeout(r, 150));
      expect(db.isOpen).toBe(true);
      db.release();
      await new Promise((r) => setTimeout(r, 150));
      expect(db.isOpen).toBe(false);
    } finally {
      await db.close();
    }
  });
});
