/**
 * API bench: the single-case estimate over HTTP (POST /api/estimate) under a steady open-loop load (paced-load.ts), on
 * loopback only, for a bounded time. The server runs in its own process (as `yibao serve` would) on a copy of a
 * small demo store with a stored DIP run; the request is a real case of that store. Reports p50/p99 latency,
 * the rate reached and errors. Target (issue 16): p99 ≤ 5 ms at 1,000 requests/s for 60 s with 0 errors.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { DEMO_TOKENS } from '../src/api/server.ts';
import { fenToYuan } from '../src/model/money.ts';
import { runDemo } from '../src/run/demo.ts';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.ts';
import type { Stage } from './harness.ts';
import { type PacedLoadOptions, pacedLoad, percentileOf } from './paced-load.ts';

const BIN = fileURLToPath(new URL('../bin/yibao.js', import.meta.url));
const AGENCY = 'demo-agency-0000000000000001';

/** A DIP case of the run that grouped normally, as the estimate's request body. */
async function sampleBody(db: string): Promise<string> {
  const s = await DuckDbStore.open(db, { readOnly: true });
  try {
    const rows = await s.rows(
      `SELECT c.fixmedins_code, c.gend, c.age, strftime(c.adm_time, '%Y-%m-%d'), strftime(c.dscg_time, '%Y-%m-%d'),
              c.act_ipt_days, c.dscg_way, c.diag_codes, c.oprn_oprt_codes, CAST(c.medfee_sumamt AS VARCHAR)
       FROM run_units u JOIN cases c ON c.setl_id = u.unit_id
       WHERE u.method = 'dip' AND u.status = 'paid' AND u.grp IS NOT NULL ORDER BY u.unit_id LIMIT 1`,
    );
    const r = rows[0];
    if (!r) throw new Error('the bench store has no grouped DIP case');
    const list = (v: unknown) => ((v as { items?: unknown[] } | null)?.items ?? []).map(String);
    return JSON.stringify({
      institution: r[0],
      sex: r[1],
      age: Number(r[2]),
      admission: r[3],
      discharge: r[4],
      losDays: Number(r[5]),
      dischargeWay: r[6],
      diagnoses: list(r[7]),
      procedures: list(r[8]).map((code) => ({ code })),
      totalCost: fenToYuan(Math.round(Number(r[9]) * 100)),
    });
  } finally {
    await s.close();
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); undefined elsewhere. */
function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields after the command name in parentheses: state is field 3, utime field 14, stime field 15 (clock ticks).
    const rest = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(rest[11]) + Number(rest[12])) / 100;
  } catch {
    return undefined;
  }
}

/** The p-th percentile (nearest rank) of sorted values. */
const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

function startServer(db: string): Promise<{ url: string; pid: number | undefined; stop: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, '--db', db, 'serve', '--port', '0', '--tokens', DEMO_TOKENS], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) {
        resolve({
          url: `http://127.0.0.1:${m[1]}`,
          pid: child.pid,
          stop: () =>
            new Promise((done) => {
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.stderr.on('data', () => {});
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening: ${out}`)));
  });
}

export const apiStage: Stage = async (args) => {
  const seconds = Number(args.seconds ?? 60);
  const rate = Number(args.rate ?? 1000);
  const dir = mkdtempSync(join(tmpdir(), 'yibao-bench-api-'));
  try {
    const db = join(dir, 'demo.duckdb');
    if (args.db && existsSync(args.db)) copyFileSync(args.db, db);
    else {
      await runDemo({
        out: join(dir, 'out'),
        db,
        cases: 3000,
        seed: 7,
        region: 'demo',
        policies: 'policies',
        lang: 'zh',
      });
    }
    await (await DuckDbStore.open(db)).close(); // a store of an older schema is migrated once, for writing
    const body = await sampleBody(db);
    const server = await startServer(db);
    try {
      const request = {
        url: `${server.url}/api/estimate`,
        method: 'POST' as const,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${AGENCY}` },
        body,
      };
      const first = await fetch(request.url, { method: 'POST', headers: request.headers, body });
      if (!first.ok) throw new Error(`estimate failed: ${first.status} ${await first.text()}`);
      const load = (r: number, secs: number, onHeaders?: PacedLoadOptions['onHeaders']) =>
        pacedLoad({
          url: server.url,
          path: '/api/estimate',
          method: 'POST',
          headers: request.headers,
          body,
          rate: r,
          seconds: secs,
          connections: 50,
          onHeaders,
        });
      await load(Math.min(rate, 500), 3); // warm-up
      // The server's own time per request (its Server-Timing header), to tell server work from waiting for a CPU.
      const inServer: number[] = [];
      const load0 = loadavg()[0]!;
      const cpu0 = cpuSeconds(server.pid);
      const r = await load(rate, seconds, (h) => {
        const m = /dur=([\d.]+)/.exec(String(h['server-timing'] ?? ''));
        if (m) inServer.push(Number(m[1]));
      });
      const cpu1 = cpuSeconds(server.pid);
      const load1 = loadavg()[0]!;
      inServer.sort((a, b) => a - b);
      const cpu = cpu0 !== undefined && cpu1 !== undefined && r.sent > 0 ? ((cpu1 - cpu0) * 1000) / r.sent : undefined;
      const ms = (p: number) => percentileOf(r.latencies, p).toFixed(2);
      const sent = (p: number) => percentileOf(r.fromSend, p).toFixed(2);
      const lagMs = (p: number) => percentileOf(r.sendLag, p).toFixed(2);
      // The most the server carries: closed loop, 20 connections back to back, for a tenth of the time.
      const max = await autocannon({ ...request, connections: 20, duration: Math.max(5, Math.round(seconds / 10)) });
      return [
        {
          label: `estimate over HTTP at ${rate} req/s (open loop)`,
          items: r.sent,
          seconds: r.seconds,
          notes:
            `p50 ${ms(50)} ms, p99 ${ms(99)} ms, p99.9 ${ms(99.9)} ms, max ${ms(100)} ms (from each request's due time); ` +
            `from the moment sent p50 ${sent(50)} ms, p99 ${sent(99)} ms (the client sent p50 ${lagMs(50)} ms, p99 ${lagMs(99)} ms late); ` +
            `${r.ok} ok, ${r.non2xx} non-2xx, ${r.errors} errors; ` +
            `in the server p50 ${percentile(inServer, 50).toFixed(2)} ms, p99 ${percentile(inServer, 99).toFixed(2)} ms` +
            `${cpu !== undefined ? `, server CPU ${cpu.toFixed(2)} ms per request` : ''}; load average ${load0.toFixed(1)} → ${load1.toFixed(1)}`,
        },
        {
          label: 'estimate over HTTP, most the server carries (closed loop, 20 connections)',
          items: max['2xx'] + max.non2xx + max.errors,
          seconds: max.duration,
          notes: `p50 ${max.latency.p50} ms, p99 ${max.latency.p99} ms; ${max['2xx']} ok, ${max.non2xx} non-2xx, ${max.errors} errors (autocannon)`,
        },
      ];
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
