import { describe, expect, it } from 'vitest';
import { moneyWithoutUnit, yuanText } from './money-units.ts';

describe('money in terminal text carries its unit', () => {
  it('yuanText: 123456 fen is 1234.56 元 / 1234.56 yuan; negative amounts keep their sign', () => {
    expect(yuanText(123_456, 'zh')).toBe('1234.56 元');
    expect(yuanText(-5, 'en')).toBe('-0.05 yuan');
  });
  it('moneyWithoutUnit finds a bare two-decimal figure, not points, percentages, coefficients or a CMI list', () => {
    expect(moneyWithoutUnit('年度清算额 1103415.26  已支付 460425.98 元', 'zh')).toEqual(['年度清算额 1103415.26']);
    expect(moneyWithoutUnit('点数 83391.2001，103.50 元/人，增长率 16.3%，考核系数 0.60', 'zh')).toEqual([]);
    expect(moneyWithoutUnit('CMI：H1 1.15、H2 1.06', 'zh')).toEqual([]);
    // The figure with the 16 characters before it, for the test's message.
    expect(moneyWithoutUnit('paid 460425.98 yuan, clearing -12.00', 'en')).toEqual([' yuan, clearing -12.00']);
  });
});
