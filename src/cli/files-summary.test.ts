/**
 * `settle --out` printed one line per file written (a region's run: hundreds of institutions' workbooks); now a
 * summary — counts per kind, the folder, the workbooks opened first, the institutions' folder and where the full
 * list is — and every file only with --verbose. zh in full-width punctuation, en in the singular for one.
 */
import { describe, expect, it } from 'vitest';
import { asciiPunctuationInZh } from '../report/zh-punctuation.ts';
import { writtenFilesText } from './files-summary.ts';

const files = [
  'st/dip/demo-dip-2025-cases.csv',
  'st/dip/demo-dip-2025-annual.csv',
  'st/dip/demo-dip-2025.json',
  'st/dip/demo-dip-2025-cases.jsonl',
  'st/dip/demo-dip-2025.xlsx',
  ...Array.from({ length: 300 }, (_, i) => `st/dip/institutions/H${String(i).padStart(4, '0')}.xlsx`),
  'st/capitation/capitation-2025.xlsx',
];

describe('settle --out: what it wrote, in a few lines', () => {
  it('zh: counts per kind, the folder, the workbooks to open first, the institutions as one folder', () => {
    const zh = writtenFilesText('st', files, 'zh');
    expect(zh).toBe(
      [
        '报表写入 st（306 个文件：Excel 工作簿 302 个，CSV 文件 2 个，JSON Lines 文件 1 个，JSON 文件 1 个）',
        '  先打开：st/dip/demo-dip-2025.xlsx、st/capitation/capitation-2025.xlsx',
        '  各机构的工作簿：st/dip/institutions/（300 家机构各一个）',
        '  完整清单：st/dip/.yibao-files、st/capitation/.yibao-files（或加 --verbose 逐个列出）',
        '',
      ].join('\n'),
    );
    expect(asciiPunctuationInZh(zh)).toEqual([]);
  });

  it('en: the same, nouns in the singular for one', () => {
    expect(writtenFilesText('st', files, 'en').split('\n')[0]).toBe(
      'statements written to st (306 files: 302 workbooks, 2 CSV files, 1 JSON Lines file, 1 JSON file)',
    );
    expect(writtenFilesText('out', ['out/dip/x.xlsx'], 'en')).toBe(
      [
        'statements written to out (1 file: 1 workbook)',
        '  open first: out/dip/x.xlsx',
        '  full list: out/dip/.yibao-files (or add --verbose to list each file)',
        '',
      ].join('\n'),
    );
  });

  it('--verbose lists every file after the counts', () => {
    const v = writtenFilesText('st', files, 'zh', true).trimEnd().split('\n');
    expect(v).toHaveLength(1 + files.length);
    expect(v.slice(1)).toEqual(files.map((f) => `  → ${f}`));
  });
  it('the published folder for the hospitals is named with the command a hospital runs over it (walk6)', () => {
    const written = ['out/dip/city01-dip-2025.xlsx', 'out/published/published.yaml', 'out/published/catalog.json'];
    const zh = writtenFilesText('out', written, 'zh');
    expect(zh).toContain(
      '  发给定点医疗机构的公布参数：out/published（医院测算：yibao estimate --published out/published --in 结算清单.csv）',
    );
    expect(asciiPunctuationInZh(zh)).toEqual([]);
    expect(writtenFilesText('out', written, 'en')).toContain(
      '  the published parameters for the designated institutions: out/published (a hospital estimates with yibao estimate --published out/published --in cases.csv)',
    );
  });
});
