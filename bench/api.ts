/**
 * API bench: the single-case estimate over HTTP (POST /api/estimate) under a steady load from autocannon, on
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
      await autocannon({ ...request, connections: 10, duration: 3, overallRate: Math.min(rate, 500) }); // warm-up
      // The server's own time per request (its Server-Timing header), to tell server work from waiting for a CPU.
      const inServer: number[] = [];
      const load0 = loadavg()[0]!;
      const cpu0 = cpuSeconds(server.pid);
      const r = await autocannon({
        url: server.url,
        connections: 20,
        duration: seconds,
        overallRate: rate,
        timeout: 5,
        requests: [
          {
            method: 'POST',
            path: '/api/estimate',
            headers: request.headers,
            body,
            onResponse: (_status, _body, _ctx, headers) => {
              const m = /dur=([\d.]+)/.exec(headers['server-timing'] ?? '');
              if (m) inServer.push(Number(m[1]));
            },
          },
        ],
      });
      const cpu1 = cpuSeconds(server.pid);
      const load1 = loadavg()[0]!;
      const sent = r['2xx'] + r.non2xx + r.errors;
      inServer.sort((a, b) => a - b);
      const cpu = cpu0 !== undefined && cpu1 !== undefined && sent > 0 ? ((cpu1 - cpu0) * 1000) / sent : undefined;
      return [
        {
          label: `estimate over HTTP at ${rate} req/s`,
          items: sent,
          seconds: r.duration,
          notes:
            `p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms; ${r['2xx']} ok, ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts; ` +
            `in the server p50 ${percentile(inServer, 50).toFixed(2)} ms, p99 ${percentile(inServer, 99).toFixed(2)} ms` +
            `${cpu !== undefined ? `, server CPU ${cpu.toFixed(2)} ms per request` : ''}; load average ${load0.toFixed(1)} → ${load1.toFixed(1)}`,
        },
      ];
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
