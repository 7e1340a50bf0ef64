// R-DATA-1: a header matches the column contract by 4101 name, by the Chinese label, and by the short Chinese
// label a user writes by hand (险种类型, 年龄, 诊断编码), which before failed as "required columns missing".
import { describe, expect, it } from 'vitest';
import { CASE_COLUMNS, INSTITUTION_COLUMNS } from '../../model/columns.ts';
import { IngestFileError } from '../errors.ts';
import { matchHeader } from './header.ts';

describe('R-DATA-1 header matching', () => {
  it('a cases file with short Chinese headers has every required column', () => {
    const header = [
      '结算ID',
      '就诊ID',
      '人员编号',
      '定点医药机构编号',
      '险种类型',
      '性别',
      '年龄',
      '入院时间',
      '出院时间',
      '实际住院天数',
      '离院方式',
      '诊断编码',
      '医疗费总额',
      '统筹基金支出',
    ];
    const m = matchHeader('cases.csv', header, CASE_COLUMNS);
    expect(m.ignored).toEqual([]);
    expect(m.byPosition.slice(4, 7)).toEqual(['insutype', 'gend', 'age']);
    expect(m.byPosition[11]).toBe('diag_codes');
  });

  it('full labels and 4101 names still match; a missing column is still named', () => {
    const m = matchHeader(
      'i.csv',
      ['FIXMEDINS_CODE', '机构名称', '医院等级 3/2/1/primary', '机构类型', '所属区县'],
      INSTITUTION_COLUMNS,
    );
    expect(m.byPosition).toEqual(['fixmedins_code', 'fixmedins_name', 'hosp_lv', 'inst_type', 'admdvs']);
    expect(() => matchHeader('i.csv', ['机构名称'], INSTITUTION_COLUMNS)).toThrow(IngestFileError);
  });
});
