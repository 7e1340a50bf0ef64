/** Glossary (one word for one thing): a recorded run's command and status in zh output carry no English command word. */
import { describe, expect, it } from 'vitest';
import { commandLabel, inputLabel, inputRoleLabel, runStatusLabel } from './command-label.ts';

const RECORDED = [
  'settle',
  'settle dip 2025',
  'settle drg 2025',
  'dip settle',
  'demo',
  'demo settle dip 2025',
  'api settle drg 2025',
  'api',
  'monitor 2025',
  'ingest cases',
  'ingest institutions',
  'ingest special-review',
  'codes import icd10',
  'codes import icd9 map',
];

describe("runs: commands and statuses in the reader's language", () => {
  it('settle dip 2025 reads 结算 DIP 2025; ingest cases 导入 结算清单; codes import icd9 map 导入编码 ICD-9-CM-3 手术操作 编码对照', () => {
    expect(commandLabel('settle', 'zh')).toBe('结算');
    expect(commandLabel('settle dip 2025', 'zh')).toBe('结算 DIP 2025');
    // walk6 #3: en showed the recorded `settle dip 2025`, an internal enum: words in both languages.
    expect(commandLabel('settle dip 2025', 'en')).toBe('settlement DIP 2025');
    expect(commandLabel('demo settle drg 2025', 'en')).toBe('demo settlement DRG 2025');
    expect(commandLabel('codes import icd9 map', 'en')).toBe('code import ICD-9-CM-3 procedures code map');
    expect(commandLabel('monitor 2025', 'en')).toBe('smart monitoring 2025');
    expect(commandLabel('ingest cases', 'zh')).toBe('导入 结算清单');
    expect(commandLabel('ingest institutions', 'zh')).toBe('导入 定点医疗机构');
    expect(commandLabel('codes import icd9 map', 'zh')).toBe('导入编码 ICD-9-CM-3 手术操作 编码对照');
    expect(commandLabel('monitor 2025', 'zh')).toBe('智能监控 2025');
    expect(commandLabel('dip settle', 'zh')).toBe('DIP 结算');
    // The demo's settlement run, one name in runs and runs --settlements.
    expect(commandLabel('demo settle dip 2025', 'zh')).toBe('示范 结算 DIP 2025');
    expect(commandLabel('api settle drg 2025', 'zh')).toBe('工作台发起 结算 DRG 2025');
    expect(commandLabel('codes import icd10', 'zh')).toBe('导入编码 ICD-10 诊断');
    expect(commandLabel('ingest cases', 'en')).toBe('ingest settlement lists (cases)');
    expect(commandLabel('ingest special-review', 'en')).toBe('ingest special-review decisions');
    expect(commandLabel('store push', 'zh')).toBe('store push');
    expect(runStatusLabel('data-problems', 'zh')).toBe('有数据问题');
    expect(runStatusLabel('ok', 'en')).toBe('ok');
  });

  it('no command yibao records shows an English word in zh (ICD, DIP, DRG and numbers aside)', () => {
    for (const c of RECORDED) {
      const zh = commandLabel(c, 'zh').replace(/ICD-10|ICD-9-CM-3|DIP|DRG/g, '');
      expect(zh, c).not.toMatch(/[a-z]/i);
    }
    for (const s of ['ok', 'data-problems', 'failed']) expect(runStatusLabel(s, 'zh')).not.toMatch(/[a-z]/i);
  });

  it('no command yibao records shows its command word or an enum in en (settle, dip, drg, icd10)', () => {
    for (const c of RECORDED) {
      const en = commandLabel(c, 'en');
      expect(en, c).not.toMatch(/\b(settle|dip|drg|icd10|icd9|api|monitor|codes)\b/);
      expect(en, c).not.toMatch(/\p{Script=Han}/u);
    }
  });
});

describe("a run's inputs in the reader's words (the API's run inputs table, yibao settle's changed inputs)", () => {
  it('policy dip-settlement reads 政策文件（区域点数法总额预算与结算）; cases 结算清单; a year-end kind by its name', () => {
    expect(inputRoleLabel('policy dip-settlement', 'zh')).toBe('政策文件（区域点数法总额预算与结算）');
    expect(inputRoleLabel('policy dip', 'zh')).toBe('政策文件（DIP 按病种分值付费）');
    expect(inputRoleLabel('cases', 'zh')).toBe('结算清单');
    expect(inputRoleLabel('cases', 'en')).toBe('settlement lists');
    expect(inputRoleLabel('drg pack', 'zh')).toBe('DRG 分组方案');
    expect(inputRoleLabel('year-end deductions', 'zh')).toBe('审核扣款');
    expect(inputRoleLabel('policy no-such-kind', 'zh')).toBe('政策文件（no-such-kind）');
  });
  it('no role yibao records shows an English word in zh (DIP, DRG aside)', () => {
    const roles = ['cases', 'drg pack', 'year-end deductions', 'year-end assessments', 'year-end special-review'];
    for (const k of ['dip', 'dip-settlement', 'drg', 'per-diem', 'single-disease', 'capitation', 'payment-mix'])
      roles.push(`policy ${k}`);
    for (const r of roles) expect(inputRoleLabel(r, 'zh').replace(/DIP|DRG/g, ''), r).not.toMatch(/[a-z]/i);
  });
  it('rows read from the store are named by what they are and their year, not by the internal store:… name', () => {
    const special = { path: 'store:year-end/special-review/2025', role: 'year-end special-review' };
    expect(inputLabel(special, 'zh')).toBe('已入库的 2025 年特例单议结果');
    expect(inputLabel(special, 'en')).toBe('the stored 2025 special-review decisions');
    expect(inputLabel({ path: 'store:cases/2024', role: 'cases' }, 'zh')).toBe('已入库的 2024 年结算清单');
    // A file keeps its path: the reader can open it.
    expect(inputLabel({ path: 'policies/city01-dip-2025.yaml', role: 'policy dip' }, 'zh')).toBe(
      '政策文件（DIP 按病种分值付费） policies/city01-dip-2025.yaml',
    );
  });
});
