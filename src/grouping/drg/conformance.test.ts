/**
 * Conformance (R-PAY-DRG, issue 12): every case of each public CHS-DRG reference set must get the expected MDC,
 * ADRG, DRG and status. 100 % agreement is required; each mismatch is listed. The tests fail (never skip) when a
 * reference folder is missing.
 * - CHS-DRG 1.1: ../shared/reference/chs-drg-1.1/cases_public.csv, expected results from the unmodified OpenDRG
 *   JS grouper.
 * - CHS-DRG 2.0: ../shared/reference/chs-drg-2.0/cases_public.csv, expected results from an independent reference
 *   grouper (see its README §9).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { internCases } from './case-batch.ts';
import { compileDrgPack } from './compile.ts';
import { groupBatch, groupCase } from './group-case.ts';
import type { DrgKernel } from './kernel-types.ts';
import { loadDrgPack, writeDrgPackFile } from './pack-io.ts';
import type { DrgPack } from './pack-schema.ts';
import { type ReferenceCase, readCaseFile } from './reference-cases.ts';
import { requireChsDrg11Reference, requireChsDrg20Reference } from './reference-dir.ts';
import { type DrgOutcome, outcomeAt } from './results.ts';
import { reference20Kernel, reference20Pack, referenceKernel, referencePack } from './testing.ts';

interface ReferenceSet {
  version: '1.1' | '2.0';
  dir: () => string;
  kernel: () => DrgKernel;
  pack: () => DrgPack;
  cases: number;
  /** MDCs, ADRGs and DRGs the scheme has. */
  size: [number, number, number];
}

const SETS: ReferenceSet[] = [
  {
    version: '1.1',
    dir: () => requireChsDrg11Reference(),
    kernel: referenceKernel,
    pack: referencePack,
    cases: 3030,
    size: [26, 376, 628],
  },
  {
    version: '2.0',
    dir: () => requireChsDrg20Reference(),
    kernel: reference20Kernel,
    pack: reference20Pack,
    cases: 3000,
    size: [26, 409, 634],
  },
];

function groupAll(kernel: DrgKernel, list: readonly ReferenceCase[]): (i: number) => DrgOutcome {
  const results = groupBatch(kernel, internCases(kernel, list));
  return (i) => outcomeAt(kernel, results, i);
}

describe.each(SETS)('CHS-DRG $version conformance on cases_public.csv', (set) => {
  const dir = set.dir();
  const cases = readCaseFile(join(dir, 'cases_public.csv'));
  const tmp = mkdtempSync(join(tmpdir(), `yibao-drg${set.version.replace('.', '')}-`));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  const mismatches = (got: (i: number) => DrgOutcome): string[] => {
    const out: string[] = [];
    cases.forEach((c, i) => {
      const e = c.expected!;
      const g = got(i);
      if (g.mdc !== e.mdc || g.adrg !== e.adrg || g.drg !== e.drg || g.status !== e.status) {
        out.push(
          `${c.id}: expected ${e.mdc}/${e.adrg}/${e.drg}/${e.status}, got ${g.mdc}/${g.adrg}/${g.drg}/${g.status}`,
        );
      }
    });
    return out;
  };

  it(`has all ${set.cases} reference cases with expected results, and the scheme's MDCs, ADRGs and DRGs`, () => {
    expect(cases).toHaveLength(set.cases);
    expect(cases.every((c) => c.expected)).toBe(true);
    const pack = set.pack();
    expect([pack.mdcs.length, pack.adrgs.length, pack.drgs.length]).toEqual(set.size);
  });

  it('batch kernel: every case agrees on MDC, ADRG, DRG and status', () => {
    expect(mismatches(groupAll(set.kernel(), cases))).toEqual([]);
  });

  it('single-case API with trace agrees with the batch on every case', () => {
    const kernel = set.kernel();
    expect(mismatches((i) => groupCase(kernel, cases[i]!, { trace: true }))).toEqual([]);
  });

  it('a pack written by the importer and loaded back (file and folder) groups identically', () => {
    const file = join(tmp, 'pack.json');
    writeDrgPackFile(set.pack(), file);
    expect(mismatches(groupAll(compileDrgPack(loadDrgPack(file)), cases))).toEqual([]);
    expect(mismatches(groupAll(compileDrgPack(loadDrgPack(tmp)), cases))).toEqual([]);
  });

  it('grouping does not depend on batch order (reversed input, same results)', () => {
    const got = groupAll(set.kernel(), [...cases].reverse());
    expect(mismatches((i) => got(cases.length - 1 - i))).toEqual([]);
  });

  it(`the reference folder itself is accepted as a pack (auto-detected as ${set.version})`, () => {
    expect(loadDrgPack(dir).version).toBe(set.version);
  });
});
