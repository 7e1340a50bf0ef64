/**
 * Policy what-if of a DRG region whose weights are published (the DRG policy's `weights: { method: file }`, the
 * table beside the policy file): the what-if settles again with the base run's published table — not a missing
 * file, not weights calibrated from history — and each institution's payment is compared with the run in force.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSchemeKernel } from '../../src/run/drg-scheme.ts';
import { call, serveDemo, type TestServer, TOKENS } from './fixture.ts';

const dir = mkdtempSync(join(tmpdir(), 'yibao-whatif-drg-'));
const policies = join(dir, 'policies');
/** The published table: RW 0.5000, 0.6000, … 3.4000 in turn over the scheme's DRGs (not what history would give). */
const published = new Map<string, string>();
let s: TestServer;

beforeAll(async () => {
  cpSync('policies', policies, { recursive: true });
  const drgFile = join(policies, 'demo', 'drg-2025.yaml');
  const text = readFileSync(drgFile, 'utf8').replace(
    'value: { method: calibrate }',
    'value: { method: file, file: demo-drg-weights-2025.csv, referenceBaseRate: "10000.00" }',
  );
  expect(text).toContain('method: file');
  writeFileSync(drgFile, text);
  const kernel = await openSchemeKernel('chs-drg-2.0');
  for (const [i, code] of kernel.core.drgCodes.entries()) published.set(code, (0.5 + (i % 30) / 10).toFixed(4));
  writeFileSync(
    join(policies, 'demo', 'demo-drg-weights-2025.csv'),
    `drg,rw\n${[...published].map(([d, rw]) => `${d},${rw}`).join('\n')}\n`,
  );
  s = await serveDemo(undefined, policies);
}, 180_000);
afterAll(async () => {
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (path: string, body: unknown) =>
  call(s, path, TOKENS.agency, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

interface Job {
  id: string;
  status: string;
  message: string | null;
  runId: string;
  warning: unknown;
}

async function finished(job: Job): Promise<Job> {
  const deadline = Date.now() + 280_000;
  let j = job;
  while (j.status === 'running' && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 1000));
    j = (await call(s, `/api/jobs/${job.id}`, TOKENS.agency)).body;
  }
  return j;
}

interface Unit {
  unitId: string;
  group: string;
  points: number;
}
const units = async (run: string, inst: string): Promise<Unit[]> =>
  (await call(s, `/api/runs/${run}/institutions/${inst}/units?method=drg&status=paid&limit=50`, TOKENS.agency)).body
    .rows;

describe('policy what-if of a DRG region with published weights (示范细则 第八条, 第十条)', () => {
  it('level-2 coefficient 0.9 → 0.8: level-2 points × 8/9 at the same published RW, level-3 points unchanged; exported as XLSX', async () => {
    const base = await finished((await post('/api/runs', { year: 2025, method: 'drg' })).body);
    expect(base.status, base.message ?? '').toBe('done');
    const params = (await call(s, `/api/runs/${base.runId}/what-if/parameters`, TOKENS.agency)).body.table.rows as {
      id: string;
      value: number;
      source: string;
    }[];
    const level2 = params.find((p) => p.id === 'demo-drg-2025:levelCoefficients.2')!;
    expect(level2.value).toBe(0.9);
    expect(level2.source).toMatch(/第十条/);

    const job = await finished(
      (await post(`/api/runs/${base.runId}/what-if`, { changes: [{ parameter: level2.id, value: 0.8 }] })).body,
    );
    expect(job.status, job.message ?? '').toBe('done');
    expect(job.warning).toBeNull();
    const c = (await call(s, `/api/what-if/${job.runId}`, TOKENS.agency)).body;
    expect(c.base.id).toBe(base.runId);
    expect(c.changes).toEqual([
      {
        parameter: level2.id,
        value: 0.8,
        key: 'levelCoefficients.2',
        policy: 'DRG 政策',
        group: 'DRG 政策 · 等级系数',
        label: '二级',
        ratio: false,
        inForce: 0.9,
        source: level2.source,
        text: 'DRG 政策 · 等级系数 · 二级：0.9 → 0.8',
      },
    ]);

    const institutions = (await call(s, '/api/institutions?lang=en', TOKENS.agency)).body.rows as {
      code: string;
      level: string;
    }[];
    const checked = { level2: 0, level3: 0 };
    for (const { code, level } of institutions) {
      if (level !== 'level 2' && level !== 'level 3') continue;
      const before = await units(base.runId, code);
      const after = new Map((await units(job.runId, code)).map((u) => [u.unitId, u] as const));
      for (const u of before) {
        const w = after.get(u.unitId);
        if (!w) continue;
        expect(w.group).toBe(u.group);
        // Points = published RW × 100 × level coefficient (1/10000 points): the table beside the policy, in both runs.
        const rw = Number(published.get(u.group));
        const coefficient = level === 'level 2' ? 0.9 : 1;
        expect(u.points).toBe(Math.round(rw * 100 * coefficient * 10_000));
        if (level === 'level 2') {
          expect(w.points * 9).toBe(u.points * 8);
          checked.level2++;
        } else {
          expect(w.points).toBe(u.points);
          checked.level3++;
        }
      }
    }
    expect(checked.level2).toBeGreaterThan(5);
    expect(checked.level3).toBeGreaterThan(5);

    // Each institution side by side with the run in force; the difference is what-if − issued.
    const rows = c.table.rows as { code: string; base: number; whatIf: number; difference: number }[];
    expect(rows.length).toBeGreaterThan(10);
    for (const r of rows) expect(r.difference).toBe(r.whatIf - r.base);
    const xlsx = await call(s, `/api/what-if/${job.runId}?format=xlsx`, TOKENS.agency);
    expect(xlsx.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body);
    // The notice sheet first (模拟测算（未发布）), then each institution with a 合计 row.
    expect(book.worksheets[0]!.name).toBe('模拟测算（未发布）');
    const sheet = book.worksheets[1]!;
    expect(sheet.rowCount).toBe(rows.length + 2);
    expect(String(sheet.getRow(1).values)).toContain('差额');
  }, 600_000);
});
