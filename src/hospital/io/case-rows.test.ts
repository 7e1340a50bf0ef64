import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { HospitalError } from '../types.ts';
import { caseColumnOf, readCaseFile, readCaseRows } from './case-rows.ts';

const dir = mkdtempSync(join(tmpdir(), 'yibao-case-rows-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ROW =
  'S1,M1,P1,H1,310,1,1975-02-01,50,2025-04-02,2025-04-07,5,1,K35.800,47.0100,30000.00,21000.00,9000.00,9000.00';

describe('hospital case rows (R-DATA-1 flat-file contract, the headers ingest accepts)', () => {
  it('reads the short Chinese headers of yibao ingest as the 4101 columns', async () => {
    const zh = join(dir, 'zh.csv');
    writeFileSync(
      zh,
      `结算ID,就诊ID,人员编号,医疗机构编码,险种类型,性别,出生日期,年龄,入院日期,出院日期,住院天数,离院方式,主要诊断,主要手术,医疗总费用,统筹基金支付,个人自付,现金支付\n${ROW}\n`,
    );
    const en = join(dir, 'en.csv');
    writeFileSync(
      en,
      `setl_id,mdtrt_id,psn_no,fixmedins_code,insutype,gend,brdy,age,adm_time,dscg_time,act_ipt_days,dscg_way,diag_codes,oprn_oprt_codes,medfee_sumamt,hifp_pay,psn_selfpay,psn_cashpay\n${ROW}\n`,
    );
    const [a] = await readCaseRows(zh);
    const [b] = await readCaseRows(en);
    expect(a).toEqual(b);
    expect(a!.totalCost).toBe(3_000_000);
    expect(a!.fundPay).toBe(2_100_000);
    expect(a!.diagnoses.map((d) => d.code)).toEqual(['K35.800']);
    expect(a!.procedures.map((p) => p.code)).toEqual(['47.0100']);
    expect(a!.institutionCode).toBe('H1');
  });

  it('maps labels, short labels and aliases; leaves unknown headers as they are', () => {
    expect(caseColumnOf('医疗费总额')).toBe('medfee_sumamt');
    expect(caseColumnOf('医疗总费用')).toBe('medfee_sumamt');
    expect(caseColumnOf(' 年龄(岁) ')).toBe('age');
    expect(caseColumnOf('setl_id')).toBe('setl_id');
    expect(caseColumnOf('备注')).toBe('备注');
  });

  it('reads a header with its column’s own unit as ingest does (医疗总费用(元), 统筹基金支付（元）); another unit is no column', () => {
    expect(caseColumnOf('医疗总费用(元)')).toBe('medfee_sumamt');
    expect(caseColumnOf('统筹基金支付（元）')).toBe('hifp_pay');
    expect(caseColumnOf('住院天数(天)')).toBe('act_ipt_days');
    expect(caseColumnOf('医疗总费用(万元)')).toBe('医疗总费用(万元)');
  });

  it('names a missing column by its Chinese label and its 4101 name', async () => {
    const f = join(dir, 'missing.csv');
    writeFileSync(f, '结算ID,医疗机构编码,入院日期,出院日期,统筹基金支付\nS1,H1,2025-04-02,2025-04-07,21000.00\n');
    await expect(readCaseRows(f)).rejects.toThrow('missing.csv：表头（第 1 行）缺少列：医疗费总额（medfee_sumamt）');
  });

  it('a header under a title row (CSV and XLSX) is found as yibao qc finds it: the title is skipped, rows keep their numbers', async () => {
    // Before: "cases.xlsx 第 3 行：缺少 医疗费总额（medfee_sumamt）" (exit 3) — row 1 was taken as the header.
    const header =
      '结算ID,就诊ID,人员编号,医疗机构编码,险种类型,性别,出生日期,年龄,入院日期,出院日期,住院天数,离院方式,主要诊断,主要手术,医疗总费用,统筹基金支付,个人自付,现金支付';
    const csv = join(dir, 'title.csv');
    writeFileSync(csv, `2025年本院住院结算清单\n\n${header}\n${ROW}\n`);
    const f = await readCaseFile(csv);
    expect(f.header).toEqual({ row: 3, above: [{ row: 1, text: '2025年本院住院结算清单' }] });
    expect(f.cases.map((c) => [c.setlId, c.totalCost])).toEqual([['S1', 3_000_000]]);
    const xlsx = join(dir, 'title.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('住院结算清单');
    ws.addRow(['2025年本院住院结算清单']);
    ws.addRow([]);
    ws.addRow(header.split(','));
    ws.addRow(ROW.split(','));
    ws.addRow(ROW.replace('S1,', 'S2,').replace('30000.00', '').split(','));
    await wb.xlsx.writeFile(xlsx);
    // S2 has no cost: the error names its row as the spreadsheet shows it (5), in one language each.
    const err = await readCaseFile(xlsx).catch((e: HospitalError) => e);
    expect(err).toBeInstanceOf(HospitalError);
    expect((err as HospitalError).zh).toBe('title.xlsx 第 5 行：缺少 医疗费总额（medfee_sumamt）');
    // en read "title.xlsx 第 5 行: medfee_sumamt is missing"
    expect((err as HospitalError).en).toBe('title.xlsx row 5: medfee_sumamt is missing');
  });

  it('no header within the first rows: the closest row and what it lacks', async () => {
    const f = join(dir, 'no-header.csv');
    writeFileSync(
      f,
      '本院清单\n结算ID,医疗机构编码,入院日期,出院日期,统筹基金支付\nS1,H1,2025-04-02,2025-04-07,21000.00\n',
    );
    await expect(readCaseRows(f)).rejects.toThrow(
      'no-header.csv：前 20 行中没有含全部必需列的表头行；最接近的是第 2 行，缺少列：医疗费总额（medfee_sumamt）',
    );
  });
});
