import { describe, expect, it } from 'vitest';
import { departmentName } from './departments.ts';

describe('出院科别 names (《医疗机构诊疗科目名录》 first-level subjects)', () => {
  it('names a first-level code and a second-level one by its first level, in zh and en', () => {
    expect(departmentName('07')).toBe('儿科');
    expect(departmentName('03.01')).toBe('内科');
    expect(departmentName('0301', 'en')).toBe('internal medicine');
    expect(departmentName('28')).toBe('重症医学科');
  });
  it('a local code not on the list has no name (shown as its code)', () => {
    expect(departmentName('A03')).toBe('');
    expect(departmentName('99')).toBe('');
    expect(departmentName('')).toBe('');
  });
});
