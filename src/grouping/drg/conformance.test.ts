/**
 * Conformance (R-PAY-DRG): every case of the CHS-DRG 1.1 public reference set
 * (../shared/reference/chs-drg-1.1/cases_public.csv, expected results from the unmodified OpenDRG JS grouper)
 * must get the expected MDC, ADRG, DRG and status. 100 % agreement is required; each mismatch is listed.
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
import { requireChsDrg11Reference } from './reference-dir.ts';
import { type DrgOutcome, outcomeAt } from './results.ts';
import { referenceKernel, referencePack } from './testing.ts';

const dir = requireChsDrg11Reference();
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

describe('CHS-DRG 1.1 conformance on cases_public.csv', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'yibao-drg-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('has all 3,030 reference cases with expected results', () => {
    expect(cases).toHaveLength(3030);
    expect(cases.every((c) => c.expected)).toBe(true);
  });

  it('batch kernel: 3,030 / 3,030 cases agree on MDC, ADRG, DRG and status', () => {
    expect(mismatches(groupAll(referenceKernel(), cases))).toEqual([]);
  });

  it('single-case API with trace agrees with the batch on every case', () => {
    const kernel = referenceKernel();
    expect(mismatches((i) => groupCase(kernel, cases[i]!, { trace: true }))).toEqual([]);
  });

  it('a pack written by the importer and loaded back groups identically', () => {
    const file = join(tmp, 'pack.json');
    writeDrgPackFile(referencePack(), file);
    const fromFile = compileDrgPack(loadDrgPack(file));
    const fromFolder = compileDrgPack(loadDrgPack(tmp));
    expect(mismatches(groupAll(fromFile, cases))).toEqual([]);
    expect(mismatches(groupAll(fromFolder, cases))).toEqual([]);
  });

  it('grouping does not depend on batch order (reversed input, same results)', () => {
    const kernel = referenceKernel();
    const reversed = [...cases].reverse();
    const got = groupAll(kernel, reversed);
    expect(mismatches((i) => got(cases.length - 1 - i))).toEqual([]);
  });
});
