// R-DATA-1: a header matches the column contract by 4101 name, by the Chinese label, and by the short Chinese
// label a user writes by hand (险种类型, 年龄, 诊断编码), which before failed as "required columns missing".
import { describe, expect, it } from 'vitest';
import { CASE_COLUMNS, INSTITUTION_COLUMNS } from '../../model/columns.ts';
import { IngestFileError } from '../errors.ts';
import { HeaderSearch, matchHeader } from './header.ts';

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

describe('R-DATA-1 the header under title rows (HeaderSearch)', () => {
  const inst = ['机构编码', '机构名称', '医院等级', '机构类型', '所属区县'];

  it('the first row with every required column, by Chinese labels; the title and note above it are kept to report', () => {
    const search = new HeaderSearch('i.xlsx', INSTITUTION_COLUMNS);
    expect(search.offer({ row: 1, cells: ['2025年定点医疗机构名单', '', ''] })).toBeUndefined();
    expect(search.offer({ row: 2, cells: ['', ''] })).toBeUndefined();
    // a row with some column names (机构名称 only) is not the header
    expect(search.offer({ row: 3, cells: ['单位：', '机构名称'] })).toBeUndefined();
    const found = search.offer({ row: 4, cells: inst });
    expect(found?.row).toBe(4);
    expect(found?.byPosition).toEqual(['fixmedins_code', 'fixmedins_name', 'hosp_lv', 'inst_type', 'admdvs']);
    expect(found?.above).toEqual([
      { row: 1, text: '2025年定点医疗机构名单' },
      { row: 3, text: '单位： 机构名称' },
    ]);
  });

  it('a --columns mapping makes a row the header', () => {
    const cells = ['医院代码', ...inst.slice(1)];
    const plain = new HeaderSearch('i.csv', INSTITUTION_COLUMNS);
    expect(plain.offer({ row: 2, cells })).toBeUndefined();
    const mapped = new HeaderSearch('i.csv', INSTITUTION_COLUMNS, { 医院代码: 'fixmedins_code' });
    expect(mapped.offer({ row: 2, cells })?.byPosition[0]).toBe('fixmedins_code');
  });

  it('no header: the row with the most required columns (then known ones, then filled cells) is named, with what it lacks', () => {
    const search = new HeaderSearch('i.csv', INSTITUTION_COLUMNS);
    search.offer({ row: 1, cells: ['名单'] });
    search.offer({ row: 2, cells: ['机构编码', '机构名称', '备注'] });
    search.offer({ row: 3, cells: ['机构编码', '机构名称', '医院等级'] });
    search.offer({ row: 4, cells: ['机构编码', '机构名称', '医院等级', '附注'] });
    let err: IngestFileError | undefined;
    try {
      search.fail();
    } catch (e) {
      err = e as IngestFileError;
    }
    expect(err?.code).toBe('E_HEADER_MISSING');
    // rows 3 and 4 hold 3 of the 5 required columns and no other known one; row 4 has more filled cells: row 4
    expect(err?.zh).toBe(
      '前 20 行中没有含全部必填列的表头行；最接近的是第 4 行，缺少必填列：' +
        'inst_type（机构类型 综合医院/中医医院/精神专科医院/康复医院/基层医疗机构/妇幼保健院）、admdvs（所属区县）；' +
        '该行未识别（已忽略）的列："附注"；可用 --columns 文件列名=inst_type 对应',
    );
  });
});

// walk7 6: hospital exports put the unit after the name (医疗总费用(元), 统筹基金支付（元）); such a header asked for
// --columns. A unit suffix in the column's own unit matches the column of the name alone; another unit does not.
describe('R-DATA-1 headers with a unit suffix', () => {
  const header = [
    '结算ID',
    '就诊ID',
    '人员编号',
    '医疗机构编码',
    '险种类型',
    '性别',
    '年龄（岁）',
    '入院日期',
    '出院日期',
    '住院天数(天)',
    '离院方式',
    '主要诊断',
    '医疗总费用(元)',
    '统筹基金支付（元）',
    '个人自付(元)',
    '现金支付 (元)',
    '床位费【元】',
    '新生儿出生体重(g)',
  ];

  it('match the same fields as without the unit', () => {
    const m = matchHeader('cases.csv', header, CASE_COLUMNS);
    expect(m.ignored).toEqual([]);
    expect(m.byPosition.slice(9)).toEqual([
      'act_ipt_days',
      'dscg_way',
      'diag_codes',
      'medfee_sumamt',
      'hifp_pay',
      'psn_selfpay',
      'psn_cashpay',
      'fee_bed',
      'nwb_bir_wt',
    ]);
  });

  it('a unit that is not the column’s is not that column: 住院天数(元) is unknown, an amount in 万元 is refused', () => {
    const days = matchHeader('cases.csv', [...header, '实际住院天数(元)'], CASE_COLUMNS);
    expect(days.ignored).toEqual(['实际住院天数(元)']);
    let err: IngestFileError | undefined;
    try {
      matchHeader('cases.csv', [...header.slice(0, 12), '医疗总费用(万元)', '统筹基金支付'], CASE_COLUMNS);
    } catch (e) {
      err = e as IngestFileError;
    }
    expect(err?.code).toBe('E_HEADER_UNIT');
    expect(err?.zh).toBe(
      '列 "医疗总费用(万元)" 的单位是“万元”，而 medfee_sumamt（医疗费总额）以元为单位；请在表格中换算为元、列名写作 "医疗总费用" 或 "医疗总费用(元)" 后重新导出',
    );
    expect(err?.en).toContain(
      'column "医疗总费用(万元)" is in "万元", but medfee_sumamt (total medical cost) is in yuan',
    );
  });
});
