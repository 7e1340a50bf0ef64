/** 入组条件 expressions: every term of the pack vocabulary parses and formats back (R-PAY-DRG). */
import { describe, expect, it } from 'vitest';
import type { DrgCondition } from '../pack-schema.ts';
import { ExpressionError, type ExpressionScope, formatCondition, parseCondition } from './expression.ts';

const lists: Record<string, string[]> = {
  主要诊断: ['I21.000', 'I21.900'],
  主要手术: ['36.0601'],
  任一诊断: ['P07.100'],
  瓣膜手术: ['35.0201'],
  冠脉手术: ['00.6601'],
  手术表1: ['81.0201'],
  手术表2: ['81.0500'],
  手术表3: ['03.0900'],
};
const adrg: ExpressionScope = { kind: 'adrg', list: (n) => lists[n] };
const mdc = (regions?: Record<string, string[]>): ExpressionScope => ({ kind: 'mdc', traumaRegions: () => regions });

/** Parse, format, and parse the formatted text with the lists the formatter names: the same condition. */
function roundTrip(c: DrgCondition, scope: ExpressionScope): DrgCondition {
  const { text, lists: named } = formatCondition(c);
  const byName = new Map(named.map((l) => [l.name, l.codes]));
  return parseCondition(text, { ...scope, list: (n) => byName.get(n) });
}

describe('parseCondition', () => {
  it('reads the list terms, with the list named after the term by default', () => {
    expect(parseCondition('主要诊断 且 主要手术', adrg)).toEqual({
      all: [
        { kind: 'principalDxIn', codes: ['I21.000', 'I21.900'] },
        { kind: 'mainProcIn', codes: ['36.0601'] },
      ],
    });
    expect(parseCondition('任一手术:瓣膜手术 且 任一手术：冠脉手术', adrg).all).toEqual([
      { kind: 'anyProcIn', codes: ['35.0201'] },
      { kind: 'anyProcIn', codes: ['00.6601'] },
    ]);
  });

  it('merges every birth-weight comparison into one term (PS2: 1500 ≤ w < 2000)', () => {
    expect(parseCondition('任一诊断 且 日龄≤28 且 出生体重>0 且 出生体重≥1500 且 出生体重＜2000', adrg).all).toEqual([
      { kind: 'anyDxIn', codes: ['P07.100'] },
      { kind: 'ageDaysMax', value: 28 },
      { kind: 'birthWeightG', gt: 0, gte: 1500, lt: 2000 },
    ]);
  });

  it('reads the procedure-table combination of JA1: (1 and 2) or (1 and 3)', () => {
    expect(parseCondition('主要诊断 且 手术组合（1+2｜1+3）', adrg).all[1]).toEqual({
      kind: 'procCategoryCombination',
      categories: { '1': ['81.0201'], '2': ['81.0500'], '3': ['03.0900'] },
      anyOf: [
        ['1', '2'],
        ['1', '3'],
      ],
    });
  });

  it('in an MDC row, 主要诊断 means the MDC主诊表 list; sex, age and trauma regions', () => {
    const regions = { 头颈部创伤: ['S01.800x031'], 胸部创伤: ['S21.101'] };
    expect(parseCondition('主要诊断 且 性别=男', mdc()).all).toEqual([
      { kind: 'principalDxInMdcList' },
      { kind: 'sexIs', sex: '1' },
    ]);
    expect(parseCondition('主要诊断 且 年龄=0', mdc()).all[1]).toEqual({ kind: 'ageYearsEq', value: 0 });
    expect(parseCondition('主要诊断 且 创伤部位>=2', mdc(regions)).all[1]).toEqual({
      kind: 'minDistinctTraumaRegions',
      min: 2,
      regions,
    });
  });

  it('reads the flags', () => {
    expect(parseCondition('主要手术为手术室手术', mdc()).all).toEqual([{ kind: 'mainProcIsOrProcedure' }]);
    expect(parseCondition('无手术室手术', adrg).all).toEqual([{ kind: 'noOrProcedure' }]);
    expect(parseCondition('无条件', adrg).all).toEqual([{ kind: 'always' }]);
    expect(parseCondition('性别为空', { kind: 'check' }).all).toEqual([{ kind: 'sexEmpty' }]);
  });

  it('rejects what it cannot read, saying what is wrong', () => {
    const bad = (text: string, scope: ExpressionScope) => {
      try {
        parseCondition(text, scope);
      } catch (e) {
        expect(e).toBeInstanceOf(ExpressionError);
        return (e as ExpressionError).en;
      }
      throw new Error(`accepted: ${text}`);
    };
    expect(bad('主要诊断 且 主诊断', adrg)).toContain('unknown condition term: 主诊断');
    expect(bad('任一手术:冠状手术', adrg)).toContain('no list named "冠状手术"');
    expect(bad('出生体重>0 且 出生体重>100', adrg)).toContain('given twice');
    expect(bad('年龄=abc', adrg)).toContain('not a number');
    expect(bad('主要诊断:主要诊断', mdc())).toContain('no list named "主要诊断" for this MDC in the 条件编码表 sheet');
    expect(bad('(主要诊断 且 主要手术', adrg)).toContain('unbalanced brackets');
    expect(bad('已填日龄<29 且 已填日龄<30', adrg)).toContain('given twice');
    expect(bad('主要诊断 且 创伤部位>=2', mdc())).toContain('部位');
    expect(bad('手术组合(1+|2)', adrg)).toContain('like 手术组合(1+2|1+3+4)');
    expect(bad('  ', adrg)).toContain('empty');
  });
});

describe('formatCondition', () => {
  it('numbers the lists of a kind that occurs twice, and gives the same condition back', () => {
    const c: DrgCondition = {
      all: [
        { kind: 'principalDxIn', codes: ['M16.000'] },
        { kind: 'anyProcIn', codes: ['81.5100'] },
        { kind: 'anyProcIn', codes: ['81.5200'] },
      ],
    };
    const f = formatCondition(c);
    expect(f.text).toBe('主要诊断 且 任一手术:任一手术1 且 任一手术:任一手术2');
    expect(f.lists.map((l) => l.name)).toEqual(['主要诊断', '任一手术1', '任一手术2']);
    expect(roundTrip(c, adrg)).toEqual(c);
  });

  it('writes birth-weight bands lower bound first and reads them back', () => {
    const c: DrgCondition = {
      all: [
        { kind: 'anyDxIn', codes: ['P07.100'] },
        { kind: 'ageDaysMax', value: 28 },
        { kind: 'birthWeightG', lt: 2500, gte: 2000 },
      ],
    };
    expect(formatCondition(c).text).toBe('任一诊断 且 日龄<=28 且 出生体重>=2000 且 出生体重<2500');
    expect(roundTrip(c, adrg)).toEqual(c);
  });

  it('round-trips MDC entries, combinations and checks', () => {
    const regions = { 上肢创伤: ['S41.100'], 下肢创伤: ['S71.800x012'] };
    const z: DrgCondition = {
      all: [{ kind: 'principalDxInMdcList' }, { kind: 'minDistinctTraumaRegions', min: 2, regions }],
    };
    expect(roundTrip(z, mdc(regions))).toEqual(z);
    const ja1: DrgCondition = {
      all: [
        { kind: 'principalDxIn', codes: ['C50.900'] },
        {
          kind: 'procCategoryCombination',
          categories: { '1': ['85.4100'], '2': ['85.2100'] },
          anyOf: [['1'], ['1', '2']],
        },
      ],
    };
    expect(formatCondition(ja1).text).toBe('主要诊断 且 手术组合(1|1+2)');
    expect(roundTrip(ja1, adrg)).toEqual(ja1);
    const check: DrgCondition = {
      all: [
        { kind: 'ageYearsEq', value: 0 },
        { kind: 'ageDaysMax', value: 28 },
        { kind: 'birthWeightG', eq: 0 },
      ],
    };
    expect(formatCondition(check).text).toBe('年龄=0 且 日龄<=28 且 出生体重=0');
    expect(roundTrip(check, { kind: 'check' })).toEqual(check);
  });
});

/**
 * CHS-DRG 2.0's shapes (issue 12; ../shared/reference/chs-drg-2.0/README.md §3–§5): nested 或, 其他诊断, the
 * main-procedure slot, numbers that must be given, field checks, sex exclusion — each parses to its pack term and
 * formats back to the same condition.
 */
describe('CHS-DRG 2.0 terms', () => {
  const lists20: Record<string, string[]> = {
    主要诊断: ['O00.000'],
    其他诊断: ['Z93.000'],
    任一手术1: ['31.2100'],
    任一手术2: ['96.7201'],
    灰码: ['A00.000', 'A00.100'],
  };
  const adrg20: ExpressionScope = { kind: 'adrg', list: (n) => lists20[n] };

  it('AH2: (其他诊断 或 任一手术) 且 任一手术 — a bracketed 或 group is one anyOf term', () => {
    const c = parseCondition('(其他诊断 或 任一手术:任一手术1) 且 任一手术:任一手术2', adrg20);
    expect(c).toEqual({
      all: [
        {
          kind: 'anyOf',
          anyOf: [
            { all: [{ kind: 'secondaryDxIn', codes: ['Z93.000'] }] },
            { all: [{ kind: 'anyProcIn', codes: ['31.2100'] }] },
          ],
        },
        { kind: 'anyProcIn', codes: ['96.7201'] },
      ],
    });
    expect(roundTrip(c, adrg20)).toEqual(c);
    expect(formatCondition(c).text).toBe('(其他诊断 或 任一手术:任一手术1) 且 任一手术:任一手术2');
  });

  it('且 binds tighter than 或: 主要诊断 或 主要手术 且 任一手术 = 主要诊断 or (主要手术 and 任一手术)', () => {
    const l: Record<string, string[]> = { 主要诊断: ['A'], 主要手术: ['B'], 任一手术: ['C'] };
    expect(parseCondition('主要诊断 或 主要手术 且 任一手术', { kind: 'adrg', list: (n) => l[n] })).toEqual({
      all: [
        {
          kind: 'anyOf',
          anyOf: [
            { all: [{ kind: 'principalDxIn', codes: ['A'] }] },
            {
              all: [
                { kind: 'mainProcIn', codes: ['B'] },
                { kind: 'anyProcIn', codes: ['C'] },
              ],
            },
          ],
        },
      ],
    });
  });

  it('a whole expression of alternatives reads as one group; groups nest', () => {
    const c = parseCondition('主要诊断 或 (其他诊断 且 (有主要手术 或 无主要手术))', adrg20);
    expect(c.all).toHaveLength(1);
    expect(c.all[0]).toMatchObject({ kind: 'anyOf', anyOf: [{ all: [{ kind: 'principalDxIn' }] }, {}] });
    expect(roundTrip(c, adrg20)).toEqual(c);
  });

  it('lists of one kind with the same codes share one name (JA1 tests its 主要诊断 three times)', () => {
    const c = parseCondition('(主要诊断 且 任一手术:任一手术1) 或 (主要诊断 且 任一手术:任一手术2)', adrg20);
    const f = formatCondition(c);
    expect(f.lists.map((l) => l.name)).toEqual(['主要诊断', '任一手术1', '任一手术2']);
    expect(roundTrip(c, adrg20)).toEqual(c);
  });

  it('PV1 / P entry: 已填日龄>=29 is a number that must be given (an empty age in days fails it); bounds merge', () => {
    expect(parseCondition('已填日龄>=29 且 无主要手术', adrg20).all).toEqual([
      { kind: 'numberIn', field: 'ageDays', gte: 29 },
      { kind: 'noMainProc' },
    ]);
    const band = parseCondition('已填出生体重>=1500 且 已填出生体重<=1999', adrg20);
    expect(band.all).toEqual([{ kind: 'numberIn', field: 'birthWeightG', gte: 1500, lte: 1999 }]);
    expect(roundTrip(band, adrg20)).toEqual(band);
  });

  it('input checks: malformed and given fields, an invalid sex, no diagnosis, a gray principal diagnosis', () => {
    const check: ExpressionScope = { kind: 'check', list: (n) => lists20[n] };
    expect(parseCondition('年龄不合法（最小值0）', check).all).toEqual([
      { kind: 'fieldMalformed', field: 'age', min: 0 },
    ]);
    expect(parseCondition('已填日龄 且 已填年龄>0', check).all).toEqual([
      { kind: 'fieldGiven', field: 'ageDays' },
      { kind: 'numberIn', field: 'age', gt: 0 },
    ]);
    expect(parseCondition('性别无效', check).all).toEqual([{ kind: 'sexInvalid' }]);
    expect(parseCondition('无诊断', check).all).toEqual([{ kind: 'noDiagnosis' }]);
    const gray = parseCondition('主要诊断:灰码', check);
    expect(gray.all).toEqual([{ kind: 'principalDxIn', codes: ['A00.000', 'A00.100'] }]);
    // In a check (as in an MDC row) a list term always names its list.
    expect(formatCondition(gray, { scope: 'check' }).text).toBe('主要诊断:主要诊断');
  });

  it('MDC rows: M skips sex 2 (性别≠女), Y tests any diagnosis of a named list, Z its own trauma-region list', () => {
    const regions = { 头颈部: ['S02.000'], 胸部: ['S22.400'] };
    const scope: ExpressionScope = {
      kind: 'mdc',
      list: (n) => (n === '任一诊断' ? ['B20.000'] : n === '主要诊断' ? ['S02.000', 'S22.400'] : undefined),
      traumaRegions: (n) => (n === '创伤部位' ? regions : undefined),
    };
    expect(parseCondition('主要诊断 且 性别≠女', scope).all).toEqual([
      { kind: 'principalDxInMdcList' },
      { kind: 'sexIsNot', sex: '2' },
    ]);
    expect(parseCondition('任一诊断:任一诊断', scope).all).toEqual([{ kind: 'anyDxIn', codes: ['B20.000'] }]);
    const z = parseCondition('主要诊断:主要诊断 且 创伤部位>=2:创伤部位', scope);
    expect(z.all).toEqual([
      { kind: 'principalDxIn', codes: ['S02.000', 'S22.400'] },
      { kind: 'minDistinctTraumaRegions', min: 2, regions },
    ]);
    const f = formatCondition(z, { scope: 'mdc' });
    expect(f.text).toBe('主要诊断:主要诊断 且 创伤部位>=2:创伤部位');
    expect(f.lists.find((l) => l.name === '创伤部位')!.regionOf!.get('S22.400')).toBe('胸部');
  });
});
