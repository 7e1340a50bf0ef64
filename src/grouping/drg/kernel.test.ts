/**
 * The kernel on a tiny hand-written pack (no reference data needed): each term of the vocabulary, the
 * ambiguity (QY) check, the bare-ADRG fallback and code translation, with made-up codes.
 */
import { describe, expect, it } from 'vitest';
import type { DrgCaseInput } from './case-batch.ts';
import { compileDrgPack } from './compile.ts';
import { groupCase } from './group-case.ts';
import { miniPack } from './mini-pack.ts';
import type { DrgPack } from './pack-schema.ts';

const base: DrgCaseInput = { sex: '1', age: 40, diagnoses: 'd1', procedures: '' };

function run(pack: DrgPack, c: Partial<DrgCaseInput>, translateCodes = false): string {
  const r = groupCase(compileDrgPack(pack), { ...base, ...c }, { translateCodes });
  return `${r.mdc} ${r.adrg} ${r.drg} ${r.status}`;
}

describe('kernel on a mini pack', () => {
  const pack = miniPack();

  it('two anyProcIn terms are each met on their own; one procedure in both lists meets both', () => {
    expect(run(pack, { procedures: 'p1|p3' })).toBe('MDCA AA1 AA19 SUCCESS');
    expect(run(pack, { procedures: 'p2' })).toBe('MDCA AA1 AA19 SUCCESS');
    expect(run(pack, { procedures: 'p1' }).startsWith('MDCB')).toBe(true);
  });

  it('a birth-weight term without bounds always holds', () => {
    expect(run(pack, { procedures: 'p9', birthWeightG: 'abc' })).toBe('MDCA AB1 AB19 SUCCESS');
  });

  it('principal dx + main procedure, then fall to the medical ADRG when the main procedure differs', () => {
    expect(run(pack, { procedures: 'p5' })).toBe('MDCB BB1 BB19 SUCCESS');
    expect(run(pack, { procedures: 'x1|p5' })).toBe('MDCB BR1 BR1 SUCCESS');
  });

  it('procedure tables: 1 alone, or 2 and 3 together', () => {
    expect(run(pack, { diagnoses: 'd2', procedures: 'x1|c1' })).toBe('MDCB BJ1 BJ19 SUCCESS');
    expect(run(pack, { diagnoses: 'd2', procedures: 'c3|c2' })).toBe('MDCB BJ1 BJ19 SUCCESS');
    expect(run(pack, { diagnoses: 'd2', procedures: 'c2' })).toBe('MDCB BR1 BR1 SUCCESS');
  });

  it('when no DRG split holds (last DRG conditional) the result is the bare ADRG code', () => {
    expect(run(pack, { diagnoses: 'd2' })).toBe('MDCB BR1 BR1 SUCCESS');
    expect(run(pack, { diagnoses: 'd2|m1' })).toBe('MDCB BR1 BR11 SUCCESS');
    expect(run(pack, { diagnoses: 'd2|c9' })).toBe('MDCB BR1 BR13 SUCCESS');
  });

  it("exclusion: d1's table 1 removes m1 (table 1) but not m2 (table 2)", () => {
    expect(run(pack, { diagnoses: 'd1|m1' })).toBe('MDCB BR1 BR1 SUCCESS');
    expect(run(pack, { diagnoses: 'd1|m2' })).toBe('MDCB BR1 BR11 SUCCESS');
  });

  it('a principal diagnosis in no MDC list → FAIL; catch-all ADRG for d3', () => {
    expect(run(pack, { diagnoses: 'zz' })).toBe('0000 00 0000 FAIL');
    expect(run(pack, { diagnoses: 'd3' })).toBe('MDCB BS1 BS19 SUCCESS');
  });

  it('sex empty → CHECK_FAILED before any MDC', () => {
    expect(run(pack, { sex: null, procedures: 'p1|p3' })).toBe('0000 00 0000 CHECK_FAILED');
  });

  it('ambiguity check (歧义病案) when enabled: an OR procedure reaching the medical ADRGs → QY', () => {
    const qy = miniPack((p) => {
      p.mdcs[1]!.ambiguityCheck.enabled = true;
    });
    expect(run(qy, { procedures: 'x1' })).toBe('MDCB BQY BQY QY');
    expect(run(qy, { procedures: 'p5' })).toBe('MDCB BB1 BB19 SUCCESS');
    expect(run(qy, { procedures: '' })).toBe('MDCB BR1 BR1 SUCCESS');
  });

  it('code translation (off by default): mapped codes group, unmapped ones stop the case', () => {
    expect(run(pack, { diagnoses: 'old1', procedures: 'oldp' }, true)).toBe('MDCB BB1 BB19 SUCCESS');
    expect(run(pack, { diagnoses: 'old1', procedures: 'oldp' })).toBe('0000 00 0000 FAIL');
    expect(run(pack, { diagnoses: 'd1', procedures: 'oldp' }, true)).toBe('0000 00 0000 ZD_NOT_MAPPING');
    expect(run(pack, { diagnoses: 'old1', procedures: '' }, true)).toBe('0000 00 0000 SS_NOT_MAPPING');
  });
});
