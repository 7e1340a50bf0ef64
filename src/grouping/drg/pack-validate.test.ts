/** Pack validation: shape errors and broken references name the field; harmless oddities are warnings. */
import { describe, expect, it } from 'vitest';
import { miniPack } from './mini-pack.ts';
import { DrgPackError } from './pack-error.ts';
import type { DrgPack } from './pack-schema.ts';
import { drgPackWarnings, parseDrgPack } from './pack-validate.ts';

function errorOf(change: (p: DrgPack) => void): DrgPackError {
  const raw = miniPack(change, false);
  try {
    parseDrgPack(raw, 'mini.json');
  } catch (e) {
    if (e instanceof DrgPackError) return e;
    throw e;
  }
  throw new Error('expected a DrgPackError');
}

describe('parseDrgPack', () => {
  it('accepts the mini pack', () => {
    expect(parseDrgPack(miniPack(undefined, false), 'mini.json').scheme).toBe('TEST');
  });

  it('rejects an unknown rule term and names where it is', () => {
    const e = errorOf((p) => {
      (p.adrgs[0]!.rule.all as unknown[]).push({ kind: 'losMax', value: 3 });
    });
    expect(e.code).toBe('DRG_PACK_INVALID');
    expect(e.where).toBe('adrgs[0].rule.all[2].kind');
    expect(e.message).toContain('mini.json');
  });

  it('rejects unknown keys (strict objects)', () => {
    const e = errorOf((p) => {
      (p as unknown as Record<string, unknown>).extra = 1;
    });
    expect(e.code).toBe('DRG_PACK_INVALID');
    expect(e.zh).toContain('extra');
  });

  it('rejects an ADRG order naming an unknown ADRG', () => {
    const e = errorOf((p) => {
      p.mdcs[0]!.adrgOrder.push('AZ9');
    });
    expect([e.code, e.where]).toEqual(['DRG_PACK_INCONSISTENT', 'mdcs[0].adrgOrder[2]']);
  });

  it('rejects an ADRG called by two MDCs, and one called by none', () => {
    expect(errorOf((p) => p.mdcs[1]!.adrgOrder.push('AA1')).en).toMatch(/not in B|called twice/);
    expect(errorOf((p) => p.mdcs[1]!.adrgOrder.pop()).en).toContain('never called');
  });

  it('rejects a DRG of another ADRG in a drgOrder, and an MDC order that misses an MDC', () => {
    expect(errorOf((p) => p.adrgs[0]!.drgOrder.push('BS19')).en).toContain('not in AA1');
    expect(errorOf((p) => p.mdcOrder.pop()).where).toBe('mdcOrder');
  });

  it('rejects principalDxInMdcList outside an MDC entry, and unknown procedure-table names', () => {
    expect(errorOf((p) => p.adrgs[0]!.rule.all.push({ kind: 'principalDxInMdcList' })).where).toBe(
      'adrgs[0].rule.all[2]',
    );
    expect(
      errorOf((p) => {
        const t = p.adrgs[3]!.rule.all[1]!;
        if (t.kind === 'procCategoryCombination') t.anyOf.push(['9']);
      }).en,
    ).toContain('unknown category 9');
  });
});

describe('drgPackWarnings', () => {
  it('reports list codes missing from the code lists and principal diagnoses outside their MDC list', () => {
    const pack = miniPack((p) => {
      const t = p.adrgs[4]!.rule.all[0]!;
      if (t.kind === 'principalDxIn') t.codes.push('d7');
    });
    const w = drgPackWarnings(pack);
    expect(w.map((x) => [x.code, x.where])).toEqual([
      ['UNKNOWN_DX_CODE', 'adrgs[4].rule.all[0]'],
      ['UNREACHABLE_DX', 'adrgs[4] (BR1)'],
      ['LAST_DRG_CONDITIONAL', 'adrgs[4] (BR1)'],
    ]);
  });
});
