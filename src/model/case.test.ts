import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DISCHARGE_WAY_DEATH, DISCHARGE_WAYS, isDeathDischarge } from './case.ts';
import { codeOfWord, codesOf, DISCHARGE_WAY } from './code-words.ts';

describe('离院方式 dscg_way (4101): 5 死亡 is the death discharge', () => {
  it('isDeathDischarge is true for 5 死亡 only', () => {
    expect(DISCHARGE_WAY_DEATH).toBe('5');
    expect(DISCHARGE_WAYS.filter(isDeathDischarge)).toEqual(['5']);
    expect(isDeathDischarge(' 5')).toBe(false);
  });

  it('the word 死亡 (and died) names the death code; the code words cover every 离院方式 code', () => {
    expect(codeOfWord(DISCHARGE_WAY, '死亡')).toBe(DISCHARGE_WAY_DEATH);
    expect(codeOfWord(DISCHARGE_WAY, 'died')).toBe(DISCHARGE_WAY_DEATH);
    expect(codesOf(DISCHARGE_WAY)).toEqual([...DISCHARGE_WAYS]);
  });

  it('property: a string is a death discharge exactly when it is the code 5', () => {
    fc.assert(fc.property(fc.string({ maxLength: 3 }), (s) => isDeathDischarge(s) === (s === '5')));
  });
});
