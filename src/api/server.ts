/**
 * Start the HTTP API and the workbench on the store (DuckDB file or ClickHouse): `yibao serve` and `startServer()` (tests, bench).
 * Binds to 127.0.0.1 by default.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { StoreError } from '../store/errors.ts';
import { chdbFolder, storeMissing } from '../store/location.ts';
import { createApp, workbenchBuilt } from './app.ts';
import { AuditLog } from './audit.ts';
import { readTokenFile, TokenRegistry } from './auth.ts';
import { ApiDb, DEFAULT_STORE_SHARING, type StoreSharing } from './db.ts';
import { Estimator } from './estimate.ts';
import { kernelOpener, runExplainer } from './explain.ts';
import { JobBoard } from './jobs.ts';
import { allRoutes } from './routes/index.ts';
import { runFinder } from './run-finder.ts';

export interface ServerOptions {
  db: string;
  /** Token file (YAML); see examples/tokens.demo.yaml. */
  tokens: string;
  port?: number;
  host?: string;
  /** Built workbench folder (default: dist/web of the project). */
  webDir?: string;
  policies?: string;
  region?: string;
  /** CHS-DRG scheme for explaining DRG cases (default: the scheme each run recorded, see run/drg-scheme.ts). */
  pack?: string;
  /**
   * How a DuckDB store file is shared with the command line: let go when idle (default, `DEFAULT_STORE_SHARING`), or
   * `null` to hold it open for the server's lifetime (no command can then open the same store, not even to read).
   */
  storeSharing?: StoreSharing | null;
}

export interface RunningServer {
  url: string;
  port: number;
  /** Whether the built workbench is served at the root (else only the API: `npm run build:web` first). */
  workbench: boolean;
  close(): Promise<void>;
}

export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../dist/web', import.meta.url));
export const DEMO_TOKENS = fileURLToPath(new URL('../../examples/tokens.demo.yaml', import.meta.url));

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function startServer(o: ServerOptions): Promise<RunningServer> {
  // A ClickHouse location (clickhouse://…, chdb://…) is opened as it is: the API's queries run on both (db.ts).
  // A DuckDB file or chDB folder that does not exist would be made empty by opening it (a server says so itself).
  if (storeMissing(o.db)) {
    const folder = chdbFolder(o.db) !== undefined;
    // Each language apart (serve shows the reader's); what makes a store from any folder, not `npm run demo`.
    throw new StoreError(
      'STORE_NOT_FOUND',
      o.db,
      `${folder ? '存储文件夹' : '存储文件'}不存在：先用 yibao ingest 导入数据、yibao settle 结算，或运行 yibao demo 后加 --db data/demo.duckdb`,
      `no such store ${folder ? 'folder' : 'file'}: ingest your data (yibao ingest) and settle it (yibao settle) first, or run yibao demo and add --db data/demo.duckdb`,
    );
  }
  const db = await ApiDb.open(o.db, o.storeSharing === undefined ? DEFAULT_STORE_SHARING : o.storeSharing);
  try {
    const audit = new AuditLog(db);
    const institutions = await db.use((s) => s.readInstitutions());
    const tokens = new TokenRegistry(readTokenFile(o.tokens), institutions);
    const kernel = kernelOpener(o.pack);
    const runs = runFinder(() => db.use((s) => s.listSettlementRuns({ limit: 100_000, kind: 'all' })));
    const ctx = {
      db,
      tokens,
      audit,
      policies: o.policies ?? 'policies',
      region: o.region ?? 'demo',
      version: version(),
      explainUnit: runExplainer(db, kernel),
      findRun: runs.find,
      estimator: new Estimator(db, kernel),
      jobs: new JobBoard(runs.invalidate, db),
      kernel,
    };
    const webDir = o.webDir ?? DEFAULT_WEB_DIR;
    const app = createApp(ctx, allRoutes(ctx), { webDir });
    const server = serve({ fetch: app.fetch, port: o.port ?? 8787, hostname: o.host ?? '127.0.0.1' });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', () => resolve());
      server.once('error', reject);
    });
    const port = (server.address() as AddressInfo).port;
    return {
      url: `http://${o.host ?? '127.0.0.1'}:${port}`,
      port,
      workbench: workbenchBuilt(webDir),
      close: async () => {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await db.close();
      },
    };
  } catch (e) {
    await db.close();
    throw e;
  }
}
