/** The bench entry point runs end to end on a small replication and checks its own results. */
import { describe, expect, it } from 'vitest';
import { benchDrgGrouping } from './bench.ts';

describe('benchDrgGrouping', () => {
  it('replicates, interns, groups on 1 and 2 threads with no mismatch', async () => {
    const lines: string[] = [];
    const r = await benchDrgGrouping({ cases: 6060, workers: 2, runs: 1, log: (l) => lines.push(l) });
    expect(r.cases).toBe(6060);
    expect(r.mismatches).toBe(0);
    expect(r.singleThread.casesPerSecond).toBeGreaterThan(0);
    expect(r.workerThreads.workers).toBe(2);
    expect(r.peakRssMiB).toBeGreaterThan(0);
    expect(lines.join('\n')).toMatch(/1 thread: .* cases\/s/);
  });

  it('runs on CHS-DRG 2.0 too, with no mismatch against the 2.0 public cases', async () => {
    const r = await benchDrgGrouping({ scheme: '2.0', cases: 6000, workers: 2, runs: 1, log: () => {} });
    expect(r.scheme).toBe('2.0');
    expect(r.mismatches).toBe(0);
  });
});
