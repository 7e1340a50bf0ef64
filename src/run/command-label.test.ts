/** Glossary (one word for one thing): a recorded run's command and status in zh output carry no English command word. */
import { describe, expect, it } from 'vitest';
import { commandLabel, runStatusLabel } from './command-label.ts';

const RECORDED = [
  'settle',
  'settle dip 2025',
  'settle drg 2025',
  'dip settle',
  'demo',
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
    expect(commandLabel('settle dip 2025', 'en')).toBe('settle dip 2025');
    expect(commandLabel('ingest cases', 'zh')).toBe('导入 结算清单');
    expect(commandLabel('ingest institutions', 'zh')).toBe('导入 定点医疗机构');
    expect(commandLabel('codes import icd9 map', 'zh')).toBe('导入编码 ICD-9-CM-3 手术操作 编码对照');
    expect(commandLabel('monitor 2025', 'zh')).toBe('智能监控 2025');
    expect(commandLabel('dip settle', 'zh')).toBe('DIP 结算');
    expect(commandLabel('codes import icd10', 'zh')).toBe('导入编码 ICD-10 诊断');
    expect(commandLabel('ingest cases', 'en')).toBe('ingest cases');
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
});
