/** A DRG run's shared settlement steps read as DRG first (walk3 #9; R-PAY-DRG, R-DIP-6). */
import { describe, expect, it } from 'vitest';
import type { TraceStep } from '../model/explain.ts';
import { poolRules } from './explain-run.ts';

const steps: TraceStep[] = [
  { rule: 'R-BUD-2', zh: '住院可分配基金总额', en: 'inpatient fund' },
  { rule: 'R-DIP-6', zh: '浮动点值', en: 'floating point value' },
  { rule: 'R-PAY-DRG', zh: '病例点数', en: 'points' },
];

describe('R-PAY-DRG / R-DIP-6: the settlement steps of a DRG pool', () => {
  it('a DRG run: R-DIP-6 reads R-PAY-DRG/R-DIP-6; the budget and DRG steps as they are', () => {
    expect(poolRules(steps, 'drg').map((s) => s.rule)).toEqual(['R-BUD-2', 'R-PAY-DRG/R-DIP-6', 'R-PAY-DRG']);
  });
  it('a DIP run: unchanged', () => {
    expect(poolRules(steps, 'dip')).toBe(steps);
  });
});
