import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importWeights } from './weights-import.ts';

const shared = resolve(import.meta.dirname, '../../../../shared/reference');

describe('R-PAY-DRG weight import (needs ../shared/reference)', () => {
  it('reads Harbin 2024 weights: GZ13 RW 0.5418 × 12,252.70 元 = 6,638.51 元 reference cost', () => {
    const text = readFileSync(resolve(shared, 'harbin-drg-weights/weights_2024.csv'), 'utf8');
    const known = new Set(
      readFileSync(resolve(shared, 'chs-drg-1.1/drg.csv'), 'utf8')
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[0]!),
    );
    const r = importWeights(text, 1_225_270, 'harbin-2024', known);
    expect(r.rejected).toEqual([]);
    expect(r.table.weights.size).toBe(703);
    expect(r.table.weights.get('GZ13')!.meanCost).toBe(663_851);
    // Harbin uses a local variant: codes outside the national list are reported, not dropped.
    expect(r.unknownCodes.length).toBeGreaterThan(0);
    expect(r.unknownCodes.every((c) => !known.has(c))).toBe(true);
  });

  it('rejects bad rows with their line numbers', () => {
    const r = importWeights('drg,rw\nA1,1.5\nA1,2\nB1,x\nC1\nD1,-1\n', 1000, 't');
    expect(r.rejected.map((x) => x.line)).toEqual([3, 4, 5, 6]);
    expect(r.table.weights.size).toBe(1);
  });
});
