/**
 * A kernel read back from its snapshot (kernel-snapshot.ts) groups and explains every public case exactly as the
 * kernel compiled from the scheme (R-PAY-DRG); a changed scheme file or the cache turned off never reads a
 * snapshot.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { drgTraceToExplanation } from './explain.ts';
import { groupCase } from './group-case.ts';
import { openDrgKernelCached } from './kernel-snapshot.ts';
import { readCaseFile } from './reference-cases.ts';
import { requireChsDrg20Reference } from './reference-dir.ts';
import { reference20Kernel } from './testing.ts';

const tmp = mkdtempSync(join(tmpdir(), 'yibao-drg-snapshot-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const saved = process.env.YIBAO_CACHE_DIR;
let cache = '';
beforeEach(() => {
  cache = mkdtempSync(join(tmp, 'cache-'));
  process.env.YIBAO_CACHE_DIR = cache;
});
afterEach(() => {
  if (saved === undefined) delete process.env.YIBAO_CACHE_DIR;
  else process.env.YIBAO_CACHE_DIR = saved;
});

describe('kernel snapshot', () => {
  it('CHS-DRG 2.0 from its snapshot: same group, status and explanation for the 3,000 public cases', async () => {
    const first = await openDrgKernelCached('chs-drg-2.0');
    expect(first.from).toBe('scheme');
    expect(readdirSync(cache).filter((f) => f.startsWith('drg-kernel-'))).toHaveLength(1);
    const again = await openDrgKernelCached('chs-drg-2.0');
    expect(again.from).toBe('snapshot');
    expect(again.tables).toEqual(first.tables);
    const fresh = reference20Kernel();
    const cases = readCaseFile(join(requireChsDrg20Reference(), 'cases_public.csv'));
    cases.forEach((c, i) => {
      // Every case grouped; every 10th traced and explained (the trace reads the names and term texts).
      const trace = i % 10 === 0;
      const a = groupCase(fresh, c, { trace });
      const b = groupCase(again.kernel, c, { trace });
      expect(b).toEqual(a);
      if (trace) expect(drgTraceToExplanation(c.id ?? '', b)).toEqual(drgTraceToExplanation(c.id ?? '', a));
    });
    // Interning from strings and code translation use the dictionaries the snapshot rebuilds on first use.
    expect(again.kernel.dx.ids.get('I63.900')).toBe(fresh.dx.ids.get('I63.900'));
  });

  it('a changed scheme file is compiled again, never read from the old snapshot', async () => {
    const dir = join(tmp, 'edited-2.0');
    cpSync(requireChsDrg20Reference(), dir, { recursive: true });
    expect((await openDrgKernelCached(dir)).from).toBe('scheme');
    expect((await openDrgKernelCached(dir)).from).toBe('snapshot');
    const drgCsv = join(dir, 'drg.csv');
    writeFileSync(drgCsv, readFileSync(drgCsv, 'utf8').replace(/\n$/, '\r\n'));
    expect((await openDrgKernelCached(dir)).from).toBe('scheme');
  });

  it('YIBAO_CACHE_DIR=off writes and reads nothing', async () => {
    process.env.YIBAO_CACHE_DIR = 'off';
    expect((await openDrgKernelCached('chs-drg-2.0')).from).toBe('scheme');
    expect((await openDrgKernelCached('chs-drg-2.0')).from).toBe('scheme');
    expect(readdirSync(cache)).toEqual([]);
  });
});
