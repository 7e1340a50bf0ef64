/**
 * The catalog a settlement writes (`catalogTable`, zh or en headers, CSV or workbook) reads back as a published
 * catalog (`readCatalogFile`, what `yibao estimate --published` and `dip settle --catalog` read): the same groups,
 * codes, scores, treatments, mean costs and auxiliary coefficients (R-DIP-1). A cell it cannot read names the file,
 * the row, the column and what was expected (walk6: the en catalog failed with neither).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCatalogFile } from '../payment/dip/io/catalog-file.ts';
import { testCatalog } from '../payment/dip/testing.ts';
import { writeCsv } from './csv.ts';
import { catalogTable } from './dip-rows.ts';
import { writeXlsx } from './xlsx.ts';

const dir = mkdtempSync(join(tmpdir(), 'yibao-catalog-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const catalog = testCatalog([
  { code: 'K35#surgery', kind: 'comprehensive', dx: 'K35', treatment: 'surgery', points: 1000, meanCost: 1_000_000 },
  {
    code: 'K35.8|47.0100',
    kind: 'core',
    dx: 'K35.8',
    procedures: ['47.0100'],
    treatment: 'surgery',
    points: 1234.5678,
    name: '急性阑尾炎（阑尾切除术）',
    auxiliary: [
      { subtype: 'age:E65', coefficient: '1.1000', cases: 12 },
      { subtype: 'death', coefficient: '1.2500', cases: 11 },
    ],
  },
  { code: 'J18.9|', kind: 'core', dx: 'J18.9', points: 600.5, primaryCare: true },
  { code: 'J18#conservative', kind: 'comprehensive', dx: 'J18', treatment: 'conservative', points: 500 },
]);
const meta = { id: 'city01-published', version: '2025.1', region: 'city01', scale: 1000 };
const seen = (c: typeof catalog) =>
  c.groups.map((g) => [g.code, g.score, g.treatment, g.primaryCare, g.meanCost, g.name ?? '', g.auxiliary]);
const expected = [
  ['J18#conservative', 5_000_000, 'conservative', false, 0, '', []],
  ['J18.9|', 6_005_000, 'conservative', true, 0, '', []],
  ['K35#surgery', 10_000_000, 'surgery', false, 1_000_000, '', []],
  [
    'K35.8|47.0100',
    12_345_678,
    'surgery',
    false,
    0,
    '急性阑尾炎（阑尾切除术）',
    [
      { subtype: 'age:E65', coefficient: '1.1000', cases: 0 },
      { subtype: 'death', coefficient: '1.2500', cases: 0 },
    ],
  ],
];

describe('the catalog a settlement writes reads back as a published catalog (R-DIP-1)', () => {
  for (const lang of ['zh', 'en'] as const) {
    it(`${lang} CSV and workbook: every group as written`, async () => {
      const csv = join(dir, `catalog-${lang}.csv`);
      writeCsv(csv, catalogTable(catalog), lang);
      expect(seen(await readCatalogFile(csv, meta))).toEqual(expected);
      const xlsx = join(dir, `catalog-${lang}.xlsx`);
      await writeXlsx(xlsx, [catalogTable(catalog)], lang);
      expect(seen(await readCatalogFile(xlsx, meta))).toEqual(expected);
    });
  }

  it('a cell it cannot read: the file, the row, the column as headed, what was expected and what it holds', async () => {
    const csv = join(dir, 'bad.csv');
    writeFileSync(
      csv,
      'code,kind,diagnosis,procedures,treatment,name,score\nK35#x,comprehensive,K35,,surgical,,1000\n',
    );
    await expect(readCatalogFile(csv, meta)).rejects.toThrow(
      `the catalog file ${csv}, row 2, column "treatment": a comprehensive group needs a treatment type: related surgery, therapeutic procedure, diagnostic procedure, conservative treatment (or surgery/therapeutic/diagnostic/conservative), found "surgical"`,
    );
    writeFileSync(csv, '病种编码,病种类型,主要诊断编码,治疗方式,分值\nK35#surgery,综合病种,K35,相关手术,1000.00001\n');
    await expect(readCatalogFile(csv, meta)).rejects.toThrow(
      `目录文件 ${csv} 第 2 行「分值」：分值应为不超过 4 位小数的非负数（如 1234.5678），而该格为「1000.00001」`,
    );
  });
});
