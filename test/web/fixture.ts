/**
 * A small demo store for the API and browser tests, built once per `vitest run` (in global-setup.ts's folder)
 * and copied for each test file, since the server opens its store for writing (the audit log).
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { DEMO_TOKENS, type RunningServer, startServer } from '../../src/api/server.ts';
import { loadRuleBase } from '../../src/monitor/adapters/knowledge-files.ts';
import { runMonitoring } from '../../src/monitor/adapters/monitor-store.ts';
import { POLICY_KINDS } from '../../src/policy/kinds/index.ts';
import { loadPolicyDir } from '../../src/policy/registry.ts';
import { runDemo } from '../../src/run/demo.ts';
import { settleRegionYear } from '../../src/run/settle-region-year.ts';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.ts';

/** This run's folder for the shared demo store (global-setup.ts). */
const cache = (): string => inject('workbenchCache');

/** The folder the shared demo store's `yibao demo` wrote its statements to (`dip/demo-dip-2025-cases.csv`, …). */
export const demoOut = (): string => join(cache(), 'out');

/** Demo tokens (examples/tokens.demo.yaml). */
export const TOKENS = {
  agency: 'demo-agency-0000000000000001',
  h1: 'demo-hospital-H99010200001',
  h2: 'demo-hospital-H99010200002',
  community: 'demo-community-MC990121-lead',
};
export const H1 = 'H99010200001';
export const H2 = 'H99010200002';
export const LEAD = 'H99012100001';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function ensureStore(): Promise<string> {
  const CACHE = cache();
  const DB = join(CACHE, 'demo.duckdb');
  const DONE = join(CACHE, 'done');
  const LOCK = join(CACHE, 'lock');
  mkdirSync(CACHE, { recursive: true });
  for (;;) {
    if (existsSync(DONE)) return DB;
    try {
      mkdirSync(LOCK);
    } catch {
      await sleep(500); // another test file is building it
      continue;
    }
    try {
      await runDemo({
        out: join(CACHE, 'out'),
        db: DB,
        cases: 3000,
        seed: 7,
        region: 'demo',
        policies: 'policies',
        lang: 'zh',
      });
      await ensureRun(DB);
      writeFileSync(DONE, 'ok');
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
}

/**
 * A stored settlement run of 2025 (the demo stores one once it settles through settleRegionYear) and a whole-year
 * monitoring run tied to it (`yibao monitor run --year 2025`), for the monitoring queue.
 */
async function ensureRun(db: string): Promise<void> {
  const policies = loadPolicyDir('policies', POLICY_KINDS);
  const store = await DuckDbStore.open(db);
  try {
    let [run] = await store.listSettlementRuns({ limit: 1 });
    if (!run) run = (await settleRegionYear(store, { region: 'demo', year: 2025, policies })).record;
    await runMonitoring(store, loadRuleBase(policies, 'demo', '2025-12-31'), {
      region: 'demo',
      year: 2025,
      settlementRunId: run.id,
    });
  } finally {
    await store.close();
  }
}

export interface TestServer extends RunningServer {
  dir: string;
  db: string;
}

/**
 * A copy of the demo store served on a free loopback port (`policies`: another policy folder for its jobs;
 * `prepare`: changes made to the copy before the server opens it).
 */
export async function serveDemo(
  webDir?: string,
  policies?: string,
  prepare?: (store: DuckDbStore) => Promise<void>,
): Promise<TestServer> {
  const source = await ensureStore();
  const dir = mkdtempSync(join(tmpdir(), 'yibao-web-'));
  const db = join(dir, 'demo.duckdb');
  copyFileSync(source, db);
  if (prepare) {
    const store = await DuckDbStore.open(db);
    try {
      await prepare(store);
    } finally {
      await store.close();
    }
  }
  const s = await startServer({
    db,
    tokens: DEMO_TOKENS,
    port: 0,
    ...(webDir ? { webDir } : {}),
    ...(policies ? { policies } : {}),
  });
  return {
    ...s,
    dir,
    db,
    close: async () => {
      await s.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The demo served with a policy what-if stored beside its run: the demo's policies copied, the settlement's growth
 * rate 0.05 → 0.10, settled as a what-if of the run in force (as `yibao settle --what-if` does). Its id is `whatIf`.
 */
export async function serveDemoWithWhatIf(): Promise<{ server: TestServer; whatIf: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'yibao-whatif-policies-'));
  let whatIf = '';
  try {
    const server = await serveDemo(undefined, undefined, async (store) => {
      const [base] = await store.listSettlementRuns({ region: 'demo', year: 2025, limit: 1 });
      cpSync('policies/demo', dir, { recursive: true });
      const file = join(dir, 'dip-settlement-2025.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('growthRate: 0.05', 'growthRate: 0.10'));
      const run = await settleRegionYear(store, {
        region: 'demo',
        year: 2025,
        policies: loadPolicyDir(dir, POLICY_KINDS),
        whatIfOf: base!.id,
        command: `what-if ${base!.id} ${dir}`,
      });
      whatIf = run.record.id;
    });
    return { server, whatIf };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** fetch a route with a token; JSON body parsed. */
export async function call(
  server: RunningServer,
  path: string,
  token?: string,
  init: RequestInit = {},
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON a route returns
): Promise<{ status: number; body: any; headers: Headers }> {
  const headers = new Headers(init.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  const r = await fetch(`${server.url}${path}`, { ...init, headers });
  const type = r.headers.get('content-type') ?? '';
  const body = type.includes('json') ? await r.json() : Buffer.from(await r.arrayBuffer());
  return { status: r.status, body, headers: r.headers };
}
