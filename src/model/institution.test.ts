/** 基层医疗机构 (seed 001 县域医共体 indicators: 基层就诊率, 县域内基层医疗机构基金支出占比). */
import { describe, expect, it } from 'vitest';
import { isPrimaryCare } from './institution.ts';

describe('R-MC-5 which institutions are primary care (基层医疗机构)', () => {
  it('a township health centre licensed 一级 with 机构类型 基层医疗机构 is primary care, as is any of level 基层', () => {
    expect(isPrimaryCare({ level: '1', type: 'primary' })).toBe(true);
    expect(isPrimaryCare({ level: 'primary', type: 'primary' })).toBe(true);
    expect(isPrimaryCare({ level: 'primary', type: 'general' })).toBe(true);
  });
  it('a level-1 or county hospital of another type is not', () => {
    expect(isPrimaryCare({ level: '1', type: 'general' })).toBe(false);
    expect(isPrimaryCare({ level: '2', type: 'tcm' })).toBe(false);
  });
});
