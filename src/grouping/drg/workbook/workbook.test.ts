/**
 * Scheme workbooks (R-PAY-DRG): the example in examples/drg-scheme-workbook imports to a pack that groups
 * hand-checked cases as the CHS-DRG rules say; XLSX and GB18030 CSV read the same; every fault in a workbook
 * is reported with its file, sheet, row and column.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsvTable, type TextTable } from '../../../tables/index.ts';
import { compileDrgPack } from '../compile.ts';
import { groupCase } from '../group-case.ts';
import { DrgPackError } from '../pack-error.ts';
import type { DrgPack } from '../pack-schema.ts';
import { drgPackWarnings } from '../pack-validate.ts';
import { REPO_ROOT } from '../reference-dir.ts';
import { packFromSchemeTables } from './from-tables.ts';
import { readSchemeWorkbook, writeSchemeWorkbook } from './io.ts';

const SAMPLE = join(REPO_ROOT, 'examples/drg-scheme-workbook');
const tmp = mkdtempSync(join(tmpdir(), 'yibao-drg-wb-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function sampleTables(): TextTable[] {
  return readdirSync(SAMPLE)
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((f) => readCsvTable(join(SAMPLE, f), basename(f, '.csv')));
}

/** The sample's tables with one sheet's rows changed. */
function edited(sheet: string, change: (rows: string[][]) => string[][]): TextTable[] {
  return sampleTables().map((t) => {
    if (t.name !== sheet) return t;
    const rows = change(t.rows.map((r) => [...r]));
    return { ...t, rows, rowNumbers: rows.map((_, i) => i + 1) };
  });
}

function importError(tables: TextTable[]): DrgPackError {
  try {
    packFromSchemeTables({ origin: 'scheme.xlsx', tables });
  } catch (e) {
    if (e instanceof DrgPackError) return e;
    throw e;
  }
  throw new Error('the workbook was accepted');
}

const withoutSource = (p: DrgPack) => ({ ...p, source: null });

describe('the example workbook', () => {
  it('imports with no warning: 4 MDCs in sheet order, the default input checks, splits by code suffix', async () => {
    const pack = await readSchemeWorkbook(SAMPLE);
    expect(drgPackWarnings(pack)).toEqual([]);
    expect(pack.version).toBe('0.1');
    expect(pack.mdcOrder).toEqual(['A', 'Z', 'F', 'E']);
    expect(pack.inputChecks.map((c) => c.status)).toEqual(['CHECK_FAILED', 'CHECK_FAILED']);
    const z = pack.mdcs.find((m) => m.mdc === 'Z')!;
    expect(z.entry.all[1]).toEqual({
      kind: 'minDistinctTraumaRegions',
      min: 2,
      regions: { 头颈部创伤: ['S01.800x031'], 胸部创伤: ['S21.101'], 下肢创伤: ['S71.800x012'] },
    });
    const split = Object.fromEntries(pack.drgs.map((d) => [d.drg, d.split]));
    expect([split.FR31, split.FR33, split.FR35, split.FB19, split.ET21]).toEqual([
      'mcc',
      'mccOrCc',
      'always',
      'always',
      'mcc',
    ]);
    // Blank 入组条件 with only a 主要手术 list means 主要手术.
    expect(pack.adrgs.find((a) => a.adrg === 'FM1')!.rule).toEqual({
      all: [{ kind: 'mainProcIn', codes: ['36.0601'] }],
    });
    // The dictionaries are derived from the codes the sheets use, with their names.
    expect(new Map(pack.diagnosisCodes).get('J96.000')).toBe('急性呼吸衰竭');
    expect(new Map(pack.procedureCodes).get('39.6500')).toBe('体外膜氧合[ECMO]');
    expect(pack.source).toMatchObject({ workbook: SAMPLE, statedSource: 'yibao examples/drg-scheme-workbook' });
  });

  /*
   * Expected results worked out by hand from the sheets and the CHS-DRG rules (MDC order, first matching ADRG,
   * first DRG whose split holds; a secondary MCC/CC counts unless its 排除表 is the principal diagnosis's).
   */
  const CASES: [
    string,
    { sex: string; age: number; ageDays?: number; diagnoses: string; procedures: string },
    string,
  ][] = [
    // J96.000 is an MCC of table 109; the principal I21.000 is in table 93: it counts → FR31.
    ['MCC counts', { sex: '1', age: 65, diagnoses: 'I21.000|J96.000', procedures: '' }, 'MDCF/FR3/FR31/SUCCESS'],
    // I21.900 is an MCC of table 93, the principal's own table: excluded, no CC either → FR35.
    ['MCC excluded', { sex: '1', age: 65, diagnoses: 'I21.000|I21.900', procedures: '' }, 'MDCF/FR3/FR35/SUCCESS'],
    // J18.900 is a CC (table 101 ≠ 93) → FR33.
    ['CC counts', { sex: '1', age: 65, diagnoses: 'I21.900|J18.900', procedures: '' }, 'MDCF/FR3/FR33/SUCCESS'],
    // 36.0601 is an OR procedure: MDC A is entered, AH1 does not match, the case goes on to MDC F → FM1.
    ['falls through A', { sex: '1', age: 65, diagnoses: 'I21.000', procedures: '36.0601' }, 'MDCF/FM1/FM19/SUCCESS'],
    // One procedure of each FB1 list.
    ['two lists', { sex: '1', age: 65, diagnoses: 'I20.000', procedures: '35.0201|00.6601' }, 'MDCF/FB1/FB19/SUCCESS'],
    // ECMO as main procedure → AH1; I21.000 is an MCC (table 93), principal I50.900 is table 95 → AH11.
    ['pre-MDC', { sex: '1', age: 65, diagnoses: 'I50.900|I21.000', procedures: '39.6500' }, 'MDCA/AH1/AH11/SUCCESS'],
    // Two body regions (头颈部 + 胸部), no OR procedure → ZZ1; no MCC → ZZ15.
    [
      'multiple trauma',
      { sex: '1', age: 30, diagnoses: 'S01.800x031|S21.101', procedures: '' },
      'MDCZ/ZZ1/ZZ15/SUCCESS',
    ],
    // One region only: Z is not entered, and no other MDC lists the code.
    ['one region', { sex: '1', age: 30, diagnoses: 'S01.800x031', procedures: '' }, '0000/00/0000/FAIL'],
    // In MDC F's list but in no ADRG of it: falls through every MDC.
    ['no ADRG', { sex: '2', age: 70, diagnoses: 'I20.000', procedures: '' }, '0000/00/0000/FAIL'],
    // The default input checks: sex missing; a newborn without birth weight.
    ['no sex', { sex: '', age: 30, diagnoses: 'I21.000', procedures: '' }, '0000/00/0000/CHECK_FAILED'],
    ['newborn', { sex: '2', age: 0, ageDays: 10, diagnoses: 'J18.900', procedures: '' }, '0000/00/0000/CHECK_FAILED'],
  ];

  it.each(CASES)('groups a hand-checked case: %s', async (_, input, expected) => {
    const kernel = compileDrgPack(await readSchemeWorkbook(SAMPLE));
    const r = groupCase(kernel, input);
    expect(`${r.mdc}/${r.adrg}/${r.drg}/${r.status}`).toBe(expected);
  });

  it('reads the other usual arrangement: 诊断ADRG / 手术ADRG sheets, no MDC column, a sheet named DRG组', () => {
    const tables = sampleTables().flatMap((t): TextTable[] => {
      const re = (name: string, rows: string[][]) => ({ ...t, name, rows, rowNumbers: rows.map((_, i) => i + 1) });
      if (t.name === 'ADRG')
        return [
          re(
            'ADRG',
            t.rows.map((r) => [r[0]!, r[1]!, r[3]!, r[4]!]),
          ),
        ];
      if (t.name === 'DRG')
        return [
          re('DRG组', [
            ['序号', 'ADRG编码', 'DRG编码', 'DRG名称'],
            ...t.rows.slice(1).map((r, i) => [String(i + 1), r[2]!, r[0]!, r[1]!]),
          ]),
        ];
      if (t.name !== 'ADRG入组条件') return [t];
      const of = (list: string) =>
        t.rows
          .slice(1)
          .filter((r) => r[1] === list)
          .map((r) => [r[0]!, r[2]!, r[3]!]);
      return [
        re('诊断ADRG', [['ADRG编码', '编码', '名称'], ...of('主要诊断')]),
        re('手术ADRG', [['编码', '名称', 'ADRG编码'], ...of('主要手术').map(([a, c, n]) => [c!, n!, a!])]),
        re('ADRG入组条件', [t.rows[0]!, ...t.rows.slice(1).filter((r) => r[1] !== '主要诊断' && r[1] !== '主要手术')]),
      ];
    });
    const expected = packFromSchemeTables({ origin: 'a', tables: sampleTables() });
    expect(withoutSource(packFromSchemeTables({ origin: 'a', tables }))).toEqual(withoutSource(expected));
  });

  it('reads a sectioned ADRG入组条件 sheet: heading rows name the list, the ADRG is written once per block', () => {
    const HEADING: Record<string, string> = { 主要诊断: '包含以下主要诊断：', 主要手术: '包含以下主要手术或操作：' };
    const sectioned = (rows: string[][]) => {
      const out = [['ADRG编码', '编码', '名称']];
      let block = '';
      for (const [adrg, list, code, name] of rows.slice(1)) {
        const key = `${adrg}/${list}`;
        if (key !== block) out.push([adrg === block.split('/')[0] ? '' : adrg!, HEADING[list!] ?? `列表:${list}`, '']);
        block = key;
        out.push(['', code!, name!]);
      }
      return out;
    };
    const tables = edited('ADRG入组条件', sectioned);
    expect(tables.find((t) => t.name === 'ADRG入组条件')!.rows.slice(0, 4)).toEqual([
      ['ADRG编码', '编码', '名称'],
      ['AH1', '包含以下主要手术或操作：', ''],
      ['', '39.6500', '体外膜氧合[ECMO]'],
      ['', '96.7201', '呼吸机治疗[大于等于96小时]'],
    ]);
    const expected = packFromSchemeTables({ origin: 'a', tables: sampleTables() });
    expect(withoutSource(packFromSchemeTables({ origin: 'a', tables }))).toEqual(withoutSource(expected));

    const unknown = importError(
      edited('ADRG入组条件', (rows) =>
        sectioned(rows).map((r) => (r[1] === '列表:冠脉手术' ? [r[0]!, '冠脉相关操作', ''] : r)),
      ),
    );
    expect(unknown.message).toContain('cannot tell the list from the heading "冠脉相关操作"');
    const noAdrg = importError(edited('ADRG入组条件', (rows) => sectioned(rows).filter((r) => r[0] !== 'AH1')));
    expect(noAdrg.where).toBe('ADRG入组条件, row 2, ADRG');
    expect(noAdrg.message).toContain('the first codes need an ADRG');
    const orphan = importError(
      edited('ADRG入组条件', (rows) => {
        const out = sectioned(rows);
        const at = out.findIndex((r) => r[0] === 'FM1');
        out[at + 1]![0] = 'FM1';
        return out.filter((_, i) => i !== at);
      }),
    );
    expect(orphan.where).toBe('ADRG入组条件, row 9, 编码');
    expect(orphan.message).toContain('a heading row must say which list');
  });

  it('finds the header under a title row (附件 …) and reads the data below it', () => {
    const tables = edited('MCC', (rows) => [['附件3 严重并发症或合并症（MCC）表'], [], ...rows]);
    const expected = packFromSchemeTables({ origin: 'a', tables: sampleTables() });
    expect(withoutSource(packFromSchemeTables({ origin: 'a', tables }))).toEqual(withoutSource(expected));
  });

  it('exports to XLSX and imports back to the same pack; codes stay text', async () => {
    const pack = await readSchemeWorkbook(SAMPLE);
    const file = join(tmp, 'sample.xlsx');
    await writeSchemeWorkbook(pack, file);
    const again = await readSchemeWorkbook(file);
    expect(withoutSource(again)).toEqual(withoutSource(pack));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.getWorksheet('手术室手术')!.getCell('A2').value).toBe('39.6500');
  });

  it('reads CSV files saved in GB18030 (Excel on Chinese Windows) like UTF-8 ones', async () => {
    const dir = join(tmp, 'gbk');
    rmSync(dir, { recursive: true, force: true });
    const utf8 = await readSchemeWorkbook(SAMPLE);
    await writeSchemeWorkbook(utf8, dir);
    for (const f of readdirSync(dir)) {
      writeFileSync(join(dir, f), iconv.encode(readFileSync(join(dir, f), 'utf8'), 'gb18030'));
    }
    expect(withoutSource(await readSchemeWorkbook(dir))).toEqual(withoutSource(utf8));
  });
});

describe('faults in a workbook name the file, sheet, row and column', () => {
  it('a missing sheet', () => {
    const e = importError(sampleTables().filter((t) => t.name !== '排除表'));
    expect(e.code).toBe('DRG_WORKBOOK_INVALID');
    expect(e.message).toContain('scheme.xlsx');
    expect(e.message).toContain('missing sheet "排除表"');
  });

  it('a missing column', () => {
    const e = importError(edited('MCC', (rows) => rows.map((r) => r.slice(0, 2))));
    expect(e.where).toBe('MCC, row 1');
    expect(e.message).toContain('missing column "排除表"');
  });

  it('an empty required cell', () => {
    const e = importError(edited('DRG', (rows) => rows.map((r, i) => (i === 3 ? [r[0]!, r[1]!, ''] : r))));
    expect(e.where).toBe('DRG, row 4, ADRG');
  });

  it('a list name in 入组条件 that no list has', () => {
    const e = importError(
      edited('ADRG', (rows) =>
        rows.map((r) => (r[0] === 'FB1' ? [...r.slice(0, 3), '任一手术:瓣膜手术 且 任一手术:冠状手术', r[4]!] : r)),
      ),
    );
    expect(e.where).toBe('ADRG, row 4, 入组条件');
    expect(e.message).toContain('no list named "冠状手术"');
  });

  it('a list no condition uses (a typo in the 列表 column)', () => {
    const e = importError(edited('ADRG入组条件', (rows) => [...rows, ['FB1', '冠脉手朮', '00.6602', '']]));
    expect(e.where).toBe('ADRG入组条件, row 13, 列表');
    expect(e.message).toContain('list "冠脉手朮" is not used by the condition of FB1');
  });

  it('a blank 入组条件 where the lists do not say which rule is meant', () => {
    const e = importError(
      edited('ADRG', (rows) => rows.map((r) => (r[0] === 'FB1' ? [...r.slice(0, 3), '', r[4]!] : r))),
    );
    expect(e.where).toBe('ADRG, row 4, 入组条件');
    expect(e.message).toContain('fill in 入组条件');
  });

  it('an unknown 细分条件, and a suffix-7 DRG (死亡或转院) left to the default', () => {
    const word = importError(
      edited('DRG', (rows) => rows.map((r) => (r[0] === 'FR33' ? [...r.slice(0, 3), '伴CC'] : r))),
    );
    expect(word.where).toBe('DRG, row 11, 细分条件');
    expect(word.message).toContain('unknown split "伴CC"');
    const seven = importError(edited('DRG', (rows) => [...rows, ['FR37', '急性心肌梗死，死亡或转院', 'FR3', '']]));
    expect(seven.message).toContain('the fourth character of FR37 is not 1/3/5/9');
  });

  it('an MCC given twice with different exclusion tables', () => {
    const e = importError(edited('MCC', (rows) => [...rows, ['J96.000', '急性呼吸衰竭', '110']]));
    expect(e.where).toBe('MCC, row 8, 排除表');
    expect(e.message).toContain('J96.000 already has exclusion table "109", here "110"');
  });

  it('an ADRG without any DRG, and a DRG of an unknown ADRG', () => {
    const orphan = importError(edited('DRG', (rows) => rows.filter((r) => r[2] !== 'FM1')));
    expect(orphan.where).toBe('ADRG, row 5, ADRG');
    expect(orphan.message).toContain('the DRG sheet has no DRG of FM1');
    const unknown = importError(edited('DRG', (rows) => [...rows, ['XX15', '未知', 'XX1', '']]));
    expect(unknown.message).toContain('XX1 is not in the ADRG sheet');
  });

  it('no 版本 in the 方案 sheet', () => {
    const e = importError(edited('方案', (rows) => rows.filter((r) => r[0] !== '版本')));
    expect(e.where).toBe('方案, row 1');
    expect(e.message).toContain('版本');
  });

  it('a code typed into Excel as a number (51.2100 would become 51.21)', async () => {
    const file = join(tmp, 'numeric.xlsx');
    await writeSchemeWorkbook(await readSchemeWorkbook(SAMPLE), file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    wb.getWorksheet('手术室手术')!.getCell('A3').value = 96.72;
    await wb.xlsx.writeFile(file);
    await expect(readSchemeWorkbook(file)).rejects.toThrow(
      /手术室手术, row 3, 手术编码: the code is a number cell \(96\.72\)/,
    );
  });
});

describe('CHS-DRG 2.0 and the workbook layout', () => {
  it('refuses to export a condition an expression cannot carry unchanged, naming it, instead of writing a workbook that reads back differently', async () => {
    const { reference20Pack } = await import('../testing.ts');
    const { schemeTablesFromPack, workbookGaps } = await import('./to-tables.ts');
    const pack = structuredClone(reference20Pack());
    expect(workbookGaps(pack)).toEqual([]);
    // Two birth-weight terms in one conjunction would be read back as one term with both bounds.
    const ps1 = pack.adrgs.find((a) => a.adrg === 'PS1')!;
    ps1.rule.all.push({ kind: 'birthWeightG', gte: 500 });
    expect(workbookGaps(pack)).toEqual(['ADRG PS1: two birthWeightG terms in one conjunction']);
    expect(() => schemeTablesFromPack(pack)).toThrow(/cannot hold ADRG PS1: two birthWeightG terms/);
  });
});
