/**
 * Starting a whole-year monitoring run from the API (issue 15: monitoring reachable): the agency starts it as a job,
 * follows the job to the stored monitoring run, whose flags belong to the year's latest settlement run and are what
 * the queue then shows; an institution may not start one, an unknown settlement run is 404, and the start is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, serveDemo, type TestServer, TOKENS } from './fixture.ts';

let s: TestServer;
beforeAll(async () => {
  s = await serveDemo();
}, 240_000);
afterAll(async () => {
  await s?.close();
});

const post = (body: unknown, token: string) =>
  call(s, '/api/monitor/runs', token, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('POST /api/monitor/runs (R-MON-3 whole year, started from the API)', () => {
  it('agency only; a job that stores a monitoring run tied to the latest settlement run; the queue reads it', async () => {
    expect((await post({ year: 2025 }, TOKENS.h1)).status).toBe(403);
    expect((await post({ year: 2025, settlementRunId: 'no-such-run' }, TOKENS.agency)).status).toBe(404);
    expect((await post({ year: 'x' }, TOKENS.agency)).status).toBe(400);
    const before = (await call(s, '/api/monitor/flags?limit=1', TOKENS.agency)).body.monitorRun.id as string;
    const latestRun = (await call(s, '/api/runs', TOKENS.agency)).body.rows[0].id as string;
    let job = (await post({ year: 2025 }, TOKENS.agency)).body;
    expect([job.status, job.kind, job.baseRunId]).toEqual(['running', 'monitor', latestRun]);
    const deadline = Date.now() + 240_000;
    while (job.status === 'running' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      job = (await call(s, `/api/jobs/${job.id}`, TOKENS.agency)).body;
    }
    expect(job.status, job.message).toBe('done');
    expect(job.runId).toMatch(/^mon-/);
    expect(job.runId).not.toBe(before);
    const q = await call(s, '/api/monitor/flags?limit=10000', TOKENS.agency);
    expect(q.body.monitorRun).toMatchObject({ id: job.runId, year: 2025, runId: latestRun });
    expect(q.body.table.total).toBeGreaterThan(0);
    const audit = await call(s, '/api/audit?action=run', TOKENS.agency);
    expect(audit.body.rows[0].detail).toContain(job.id);
    expect(audit.body.rows[0].target).toBe('monitor demo 2025');
  }, 300_000);
});
