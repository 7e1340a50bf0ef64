/** The main job end to end on a small region (R-DATA-1, R-DIP-6, R-PAY-DRG). Needs ../shared for the DRG part. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { explainDipCase } from '../src/dip/run.ts';
import { runDemo } from '../src/run/demo.ts';

const dir = mkdtempSync(join(tmpdir(), 'yibao-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const demo = (method: 'dip' | 'drg') =>
  runDemo({
    out: join(dir, method),
    db: join(dir, `${method}.duckdb`),
    cases: 6000,
    seed: 7,
    method,
    region: 'demo',
    policies: 'policies',
    lang: 'zh',
  });

describe('yibao demo (main job)', () => {
  it('ingests every row (read = accepted + rejected + already present) and settles DIP to the fen', async () => {
    const r = await demo('dip');
    for (const i of r.ingest) expect(i.read).toBe(i.accepted + i.rejected + i.alreadyPresent);
    expect(r.ingest.some((i) => i.rejected > 0)).toBe(true); // the generator injects bad rows
    const s = r.year.settlement;
    expect(s.institutions.reduce((a, i) => a + i.gross, 0)).toBe(s.fund);
    expect(r.year.counts.current).toBe(r.year.counts.perDiem + r.year.counts.singleDisease + r.year.counts.caseMethod);
    const dipCase = r.year.dip!.evaluation.results.find((c) => c.groupIndex >= 0)!;
    const e = explainDipCase(r.year.dip!, dipCase.setlId);
    expect(e.steps.map((x) => x.rule)).toContain('R-DIP-2');
    expect(r.files.some((f) => f.endsWith('.xlsx'))).toBe(true);
  });

  it('settles the same region by DRG when the method is switched (needs ../shared/reference)', async () => {
    const r = await demo('drg');
    expect(r.year.drg!.groupedShare).toBeGreaterThan(0.9);
    const s = r.year.settlement;
    expect(s.institutions.reduce((a, i) => a + i.gross, 0)).toBe(s.fund);
  });
});
