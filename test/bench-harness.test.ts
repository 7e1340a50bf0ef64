/**
 * The bench's one CPU clock (bench/harness.ts), which every stage's "CPU … s" figure reads: user + system time of
 * the whole process since the clock started, in seconds and milliseconds of the same reading; the settle stage
 * meter splits it into stages that add up to the total.
 */
import { describe, expect, it } from 'vitest';
import { cpuClock, stageMeter } from '../bench/harness.ts';

/** Spin this thread until the process has spent `ms` more milliseconds of CPU (however loaded the machine). */
function spin(ms: number): number {
  const from = process.cpuUsage();
  let x = 0;
  for (;;) {
    for (let i = 0; i < 10_000; i++) x = (x * 31 + 7) % 1_000_003;
    const u = process.cpuUsage(from);
    if (u.user + u.system >= ms * 1000) return x;
  }
}

describe('bench CPU clock', () => {
  it('counts CPU time spent since it started, never less than the thread spun, in s and ms alike', () => {
    const clock = cpuClock();
    const before = process.cpuUsage();
    spin(60);
    const own = process.cpuUsage(before);
    const ms = clock.ms();
    const seconds = clock.seconds();
    // The clock started before `before`, so it holds at least what was measured between.
    expect(ms).toBeGreaterThanOrEqual((own.user + own.system) / 1000);
    expect(ms).toBeGreaterThanOrEqual(60);
    // The later reading in seconds is at least the earlier one in milliseconds, and not far from it.
    expect(seconds * 1000).toBeGreaterThanOrEqual(ms);
    expect(seconds * 1000 - ms).toBeLessThan(50);
  });

  it('a fresh clock reads (nearly) zero and never goes backwards', () => {
    const clock = cpuClock();
    let last = clock.seconds();
    expect(last).toBeLessThan(0.05);
    for (let i = 0; i < 200; i++) {
      const now = clock.seconds();
      expect(now).toBeGreaterThanOrEqual(last);
      last = now;
    }
  });

  it('the stage meter gives each stage its CPU seconds, which add up to the total end() returns', () => {
    const meter = stageMeter();
    spin(10);
    meter.onStage('history');
    spin(30);
    meter.onStage('dip evaluate');
    spin(20);
    meter.onStage('history');
    spin(10);
    const total = meter.end();
    expect(Object.keys(meter.cpu).sort()).toEqual(['dip evaluate', 'history', 'start']);
    const sum = Object.values(meter.cpu).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(total, 9);
    expect(meter.cpu.history!).toBeGreaterThan(0.02);
    expect(Object.keys(meter.rss).sort()).toEqual(['dip evaluate', 'history', 'start']);
    for (const mb of Object.values(meter.rss)) expect(mb).toBeGreaterThan(0);
  });
});
