/**
 * Conformance (R-PAY-DRG, issue 12): every case of the CHS-DRG 2.0 public reference set
 * (../shared/reference/chs-drg-2.0/cases_public.csv, expected results from an independent reference grouper,
 * see its README §9) must get the expected MDC, ADRG, DRG and status. 100 % agreement is required; each
 * mismatch is listed. The test fails (never skips) when the folder is missing.
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
import { type ReferenceCase, readCaseFile } from './reference-cases.ts';
import { requireChsDrg20Reference } from './reference-dir.ts';
import { type DrgOutcome, outcomeAt } from './results.ts';
import { reference20Kernel, reference20Pack } from './testing.ts';

const dir = requireChsDrg20Reference();
const cases = readCaseFile(join(dir, 'cases_public.csv'));

function mismatches(got: (i: number) => DrgOutcome): string[] {
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
}

function groupAll(kernel: DrgKernel, list: readonly ReferenceCase[]): (i: number) => DrgOutcome {
  const results = groupBatch(kernel, internCases(kernel, list));
  return (i) => outcomeAt(kernel, results, i);
}

describe('CHS-DRG 2.0 conformance on cases_public.csv', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'yibao-drg20-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('has all 3,000 reference cases with expected results, covering 409 ADRGs and 634 DRGs', () => {
    expect(cases).toHaveLength(3000);
    expect(cases.every((c) => c.expected)).toBe(true);
    const pack = reference20Pack();
    expect([pack.mdcs.length, pack.adrgs.length, pack.drgs.length]).toEqual([26, 409, 634]);
  });

  it('batch kernel: 3,000 / 3,000 cases agree on MDC, ADRG, DRG and status', () => {
    expect(mismatches(groupAll(reference20Kernel(), cases))).toEqual([]);
  });

  it('single-case API with trace agrees with the batch on every case', () => {
    const kernel = reference20Kernel();
    expect(mismatches((i) => groupCase(kernel, cases[i]!, { trace: true }))).toEqual([]);
  });

  it('a pack written by the importer and loaded back (file and folder) groups identically', () => {
    const file = join(tmp, 'pack.json');
    writeDrgPackFile(reference20Pack(), file);
    expect(mismatches(groupAll(compileDrgPack(loadDrgPack(file)), cases))).toEqual([]);
    expect(mismatches(groupAll(compileDrgPack(loadDrgPack(tmp)), cases))).toEqual([]);
  });

  it('the reference folder itself is accepted as a pack (auto-detected as 2.0)', () => {
    expect(loadDrgPack(dir).version).toBe('2.0');
  });
});
