import { describe, expect, it } from 'vitest';
import { codeOfWord, INSURANCE_TYPE, insuranceTypeShortWord, insuranceTypeWord } from './code-words.ts';

describe('险种 words (glossary: 职工医保 / 居民医保; short 职工 / 居民 where the context names the insurance)', () => {
  it('the full and the short word of each fund, in zh and en', () => {
    expect(insuranceTypeWord('employee', 'zh')).toBe('职工医保');
    expect(insuranceTypeWord('resident', 'en')).toBe('resident insurance');
    expect(insuranceTypeShortWord('employee', 'zh')).toBe('职工');
    expect(insuranceTypeShortWord('resident', 'zh')).toBe('居民');
    expect(insuranceTypeShortWord('employee', 'en')).toBe('employee');
    expect(insuranceTypeShortWord('resident', 'en')).toBe('resident');
  });

  it('a short word typed in a file is still taken as its code (310 / 390)', () => {
    for (const [word, code] of [
      ['职工', '310'],
      ['employee', '310'],
      ['居民', '390'],
      ['Resident', '390'],
      ['城乡居民医保', '390'],
    ] as const)
      expect(codeOfWord(INSURANCE_TYPE, word)).toBe(code);
  });
});
