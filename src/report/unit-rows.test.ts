/** A unit's stored basis (its last step's words and clause) is the same text with or without the cache behind it. */
import { describe, expect, it } from 'vitest';
import type { TraceStep } from '../model/explain.ts';
import { basisOf, basisText } from './unit-rows.ts';

const last = (zh: string, en: string, clause?: string): TraceStep => ({
  rule: 'R-CAP-3',
  zh,
  en,
  ...(clause ? { clause } : {}),
  values: {},
  result: '1.00',
});

describe('basisOf: one text per last step, made once for units that share it', () => {
  it('gives each step its own words and clause, whatever came before', () => {
    const a = basisOf(last('机构总额', 'Institution total', '四(四)1(3)'));
    expect(a).toBe('{"zh":"机构总额","en":"Institution total","clause":"四(四)1(3)"}');
    expect(basisOf(last('机构总额', 'Institution total', '四(四)1(3)'))).toBe(a);
    // Same zh, another en or clause or none: not the cached text.
    expect(basisOf(last('机构总额', 'Total', '四(四)1(3)'))).toBe(
      '{"zh":"机构总额","en":"Total","clause":"四(四)1(3)"}',
    );
    expect(basisOf(last('机构总额', 'Total'))).toBe('{"zh":"机构总额","en":"Total"}');
    expect(basisOf(last('机构总额', 'Institution total', '四(六)1'))).toBe(
      '{"zh":"机构总额","en":"Institution total","clause":"四(六)1"}',
    );
    expect(basisOf(undefined)).toBeNull();
    expect(basisText(a!, 'en')).toBe('Institution total [四(四)1(3)]');
  });

  it('stays right past the cache size (thousands of distinct texts)', () => {
    for (let i = 0; i < 10_000; i++) {
      expect(JSON.parse(basisOf(last(`第 ${i} 段`, `part ${i}`))!)).toEqual({ zh: `第 ${i} 段`, en: `part ${i}` });
    }
  });
});
