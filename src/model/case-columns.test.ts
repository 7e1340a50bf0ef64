import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caseColumnDictionaries, listPairKey, memoById, memoByListPair, procedureListsById } from './case-columns.ts';

describe('issue 9: per-distinct-list work on typed columns', () => {
  it('memoById makes a value once per id of a dictionary, and again for another dictionary', () => {
    const made: number[] = [];
    const f = memoById((dict, id) => {
      made.push(id);
      return dict.procedures[id]!.length;
    });
    const one = { ...caseColumnDictionaries(), procedures: [['a'], ['a', 'b']] };
    expect([f(one, 1), f(one, 0), f(one, 1), f(one, 0)]).toEqual([2, 1, 2, 1]);
    expect(made).toEqual([1, 0]);
    const two = { ...caseColumnDictionaries(), procedures: [['a', 'b', 'c']] };
    expect(f(two, 0)).toBe(3);
    expect(made).toEqual([1, 0, 0]);
  });

  it('memoById keeps a falsy value (false, 0) without making it again', () => {
    let calls = 0;
    const f = memoById(() => {
      calls++;
      return false;
    });
    const d = caseColumnDictionaries();
    expect([f(d, 3), f(d, 3)]).toEqual([false, false]);
    expect(calls).toBe(1);
  });

  it('procedureListsById gives the same Procedure[] object for the same list id', () => {
    const f = procedureListsById();
    const d = { ...caseColumnDictionaries(), procedures: [['36.0600', '88.5500']] };
    expect(f(d, 0)).toEqual([{ code: '36.0600' }, { code: '88.5500' }]);
    expect(f(d, 0)).toBe(f(d, 0));
  });

  it('memoByListPair makes a value once per (diagnosis list, procedure list) pair of a dictionary', () => {
    const made: string[] = [];
    const f = memoByListPair((dict, d, p) => {
      made.push(`${d}/${p}`);
      return `${dict.diagnoses[d]![0]!.code}+${dict.procedures[p]!.join('+')}`;
    });
    const dict = {
      ...caseColumnDictionaries(),
      diagnoses: [[{ code: 'I63.9' }], [{ code: 'J18.9' }]],
      procedures: [[], ['88.9101']],
    };
    expect([f(dict, 0, 1), f(dict, 1, 0), f(dict, 0, 1), f(dict, 1, 1)]).toEqual([
      'I63.9+88.9101',
      'J18.9+',
      'I63.9+88.9101',
      'J18.9+88.9101',
    ]);
    expect(made).toEqual(['0/1', '1/0', '1/1']);
    expect(f({ ...dict, procedures: [['00.6600'], ['36.0700']] }, 0, 1)).toBe('I63.9+36.0700');
    expect(made).toEqual(['0/1', '1/0', '1/1', '0/1']);
  });

  it('listPairKey: two pairs never share a key, also past 2^21 procedure lists', () => {
    expect(listPairKey(0, 2 ** 21)).not.toBe(listPairKey(1, 0));
    expect(listPairKey(2 ** 27 - 1, 2 ** 26 - 1)).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => listPairKey(0, 2 ** 26)).toThrow();
    expect(() => listPairKey(2 ** 27, 0)).toThrow();
    const id = (max: number) => fc.integer({ min: 0, max });
    fc.assert(
      fc.property(id(2 ** 27 - 1), id(2 ** 26 - 1), id(2 ** 27 - 1), id(2 ** 26 - 1), (d1, p1, d2, p2) => {
        expect(listPairKey(d1, p1) === listPairKey(d2, p2)).toBe(d1 === d2 && p1 === p2);
      }),
    );
  });
});
