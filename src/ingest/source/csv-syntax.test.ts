/** walk6 #7: every csv-parse error kind in the reader's words, naming the field; no parser English in zh. */
import { describe, expect, it } from 'vitest';
import { csvSyntaxText } from './csv-syntax.ts';

const header = ['结算ID', '主要诊断', '医疗总费用'];
const CODES = [
  'CSV_QUOTE_NOT_CLOSED',
  'CSV_INVALID_CLOSING_QUOTE',
  'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE',
  'INVALID_OPENING_QUOTE',
  'CSV_MAX_RECORD_SIZE',
  'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH',
  'CSV_RECORD_INCONSISTENT_COLUMNS',
  'SOMETHING_NEW',
];

describe('csvSyntaxText: the CSV parser’s error kinds in zh and en', () => {
  it('each kind: zh without English (the parser’s message stays out), en without Chinese but the header name', () => {
    for (const code of CODES) {
      const s = csvSyntaxText({ code, index: 1, message: 'Quote Not Closed: the parsing is finished' }, header);
      expect(s.field, code).toBe('主要诊断');
      expect(s.zh.replace('CSV', ''), code).not.toMatch(/[A-Za-z]/);
      expect(s.zh, code).not.toContain('Quote');
      expect(s.en.replace('主要诊断', ''), code).not.toMatch(/\p{Script=Han}/u);
    }
  });
  it('names the field by its position and header: 第 2 个字段（主要诊断） / field 2 (主要诊断)', () => {
    const s = csvSyntaxText({ code: 'CSV_QUOTE_NOT_CLOSED', index: 1 }, header);
    expect(s.zh).toBe(
      '第 2 个字段（主要诊断）以引号开头，但引号到文件末尾都没有闭合，该行未能读取：请补上右引号，或删去多余的引号',
    );
    expect(s.en).toBe(
      'field 2 (主要诊断) opens a quote that is never closed before the end of the file, so the row cannot be read: add the closing quote or remove the stray one',
    );
  });
  it('without a field from the parser: the row, and an empty field', () => {
    const s = csvSyntaxText({ code: 'INVALID_OPENING_QUOTE' }, header);
    expect(s.field).toBe('');
    expect(s.zh.startsWith('该行中间出现引号')).toBe(true);
    expect(csvSyntaxText(undefined, header).zh).toBe('该行无法按 CSV 读取；请核对该行的引号与分隔符');
  });
});
