/** R-MON-1 institution indicators as tables show them: 次均费用 is money (fen in the store), shown in yuan. */
import { describe, expect, it } from 'vitest';
import { INDICATORS, indicatorShown } from './indicators.ts';

describe('R-MON-1 indicators shown in their unit', () => {
  it('次均费用 1,052,222.22 fen reads 10,522.22 yuan; a share or an index stays as it is', () => {
    expect(INDICATORS.costPerCase.zh).toBe('次均费用（元）');
    expect(INDICATORS.costPerCase.en).toBe('cost per case (yuan)');
    expect(indicatorShown('costPerCase', 1_052_222.2222)).toBe(10_522.22);
    expect(indicatorShown('costPerCase', undefined)).toBeUndefined();
    expect(indicatorShown('drugShare', 0.3125)).toBe(0.3125);
    expect(indicatorShown('cmi', 1.05)).toBe(1.05);
    expect(indicatorShown('costPerCaseGrowth', 0.12)).toBe(0.12);
  });
});
