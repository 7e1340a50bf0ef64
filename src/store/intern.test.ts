import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringInterner } from './intern.ts';

describe('stringInterner', () => {
  it('gives back every value unchanged, in any order and with repeats (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 6 }), { maxLength: 200 }), (values) => {
        const intern = stringInterner();
        expect(values.map(intern)).toEqual(values);
      }),
    );
  });
  it('gives the first string read for a value again (one object per value)', () => {
    const intern = stringInterner();
    const first = ['H', '001'].join('');
    expect(intern(first)).toBe(first);
    expect(intern(['H0', '01'].join(''))).toBe(first);
  });
});
