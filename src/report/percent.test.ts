import { describe, expect, it } from 'vitest';
import { shareText } from './percent.ts';

describe('R-PAY-DRG 入组率 in words: never rounded up to 100% or down to 0% (walk3 #10)', () => {
  it('5,971 of 5,972 grouped: 99.983…% → 99.98%, not 100.0%', () => {
    expect(shareText(5971 / 5972)).toBe('99.98%');
  });
  it('5,888 of 5,972 grouped: 98.593…% → 98.6% (one decimal when it says what it is)', () => {
    expect(shareText(5888 / 5972)).toBe('98.6%');
  });
  it('all grouped: 100.0%; none: 0.0%; 1 of 10,000: 0.01%', () => {
    expect(shareText(1)).toBe('100.0%');
    expect(shareText(0)).toBe('0.0%');
    expect(shareText(1 / 10_000)).toBe('0.01%');
  });
});
