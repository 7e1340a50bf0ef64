// R-DATA-1 code validity needs the code lists: importing ICD-10 医保版 and ICD-9-CM-3 医保版 from CSV (UTF-8,
// GBK) or XLSX, with procedure types, rejects, and replace-on-import (importing the same list twice is a no-op).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { SAMPLE_CODE_LISTS } from '../codes/index.ts';
import { procedureTypeOf } from '../codes/procedure-type.ts';
import { requireChsDrg11Reference } from '../grouping/drg/reference-dir.ts';
import { importCodes } from './codes-import.ts';
import { memoryStore, tempDir } from './testing.ts';

const tmp = tempDir('yibao-codes-');
afterAll(() => tmp.remove());

describe('R-DATA-1 code list import', () => {
  it('imports the full public ICD-10 医保版 2.0 and ICD-9-CM-3 医保版 2.0 lists (needs ../shared; fails without it)', async () => {
    const REFERENCE = requireChsDrg11Reference();
    const store = await memoryStore();
    const icd10 = await importCodes(store, {
      kind: 'icd10',
      file: join(REFERENCE, 'icd10.csv'),
      listVersion: '医保版2.0',
    });
    const icd9 = await importCodes(store, { kind: 'icd9', file: join(REFERENCE, 'icd9.csv') });
    expect([icd10.read, icd10.accepted, icd10.rejected]).toEqual([33304, 33304, 0]);
    expect([icd9.read, icd9.accepted, icd9.rejected]).toEqual([13686, 13686, 0]);
    const found = await store.lookupCodes('icd10', ['K35.800', 'A38.x00x002+I41.0*']);
    expect(found.get('K35.800')?.name).toBe('急性阑尾炎，其他未特指');
    expect(found.has('A38.x00x002+I41.0*')).toBe(true); // dagger–asterisk codes are kept as written
    await store.close();
  });

  it('replaces the list of its kind, so importing the same file twice gives the same store', async () => {
    const store = await memoryStore();
    const a = await importCodes(store, { kind: 'icd9', file: SAMPLE_CODE_LISTS.icd9 });
    const b = await importCodes(store, { kind: 'icd9', file: SAMPLE_CODE_LISTS.icd9 });
    expect([a.accepted, a.replaced, b.accepted, b.replaced]).toEqual([119, 0, 119, 119]);
    expect(await store.countCodes('icd9')).toBe(119);
    expect((await store.lookupCodes('icd9', ['36.0700'])).get('36.0700')?.procedureType).toBe('interventional');
    expect((await store.listRuns()).map((r) => r.command)).toEqual(['codes import icd9', 'codes import icd9']);
    await store.close();
  });

  it('reads XLSX with Chinese headers and procedure types; rejects bad codes, unknown types and duplicates', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('手术操作');
    ws.addRow(['手术操作编码', '手术操作名称', '手术操作类别', '备注']);
    ws.addRow(['47.0100', '腹腔镜下阑尾切除术', '手术', '']);
    ws.addRow(['88.5500', '单根导管的冠状动脉造影术', '诊断性操作', '']);
    ws.addRow(['36.0700', '药物洗脱冠状动脉支架置入', '介入治疗', '']);
    ws.addRow(['X1', '不是编码', '手术', '']);
    ws.addRow(['99.2500', '化疗', '化学', '']);
    ws.addRow(['47.0100', '腹腔镜下阑尾切除术', '手术', '']);
    const file = `${tmp.path}/icd9.xlsx`;
    await wb.xlsx.writeFile(file);
    const store = await memoryStore();
    const r = await importCodes(store, { kind: 'icd9', file, rejectsFile: `${tmp.path}/icd9.rejects.csv` });
    expect([r.read, r.accepted, r.rejected]).toEqual([6, 3, 3]);
    expect(r.rejectsByCode).toEqual({ E_CODE_INVALID: 1, E_DUPLICATE_IN_FILE: 1, E_FORMAT: 1 });
    const types = await store.lookupCodes('icd9', ['47.0100', '88.5500', '36.0700']);
    expect([...types.values()].map((c) => c.procedureType).sort()).toEqual(['diagnostic', 'interventional', 'surgery']);
    await store.close();
  });

  it('a conflicting duplicate is reported even when one of its rows also fails a check (walk5 item 7)', async () => {
    // Rows 2 and 4: J18.900 with different names, row 4 also without a name; row 3 fine.
    const file = tmp.file('dup.csv', 'code,name\nJ18.900,肺炎\nI63.900,脑梗死\nJ18.900,\n');
    const store = await memoryStore();
    const r = await importCodes(store, { kind: 'icd10', file });
    expect([r.read, r.accepted, r.rejected]).toEqual([3, 1, 2]);
    expect(r.rejectsByCode).toEqual({ E_DUPLICATE_CONFLICT: 2, E_REQUIRED: 1 });
    await store.close();
  });

  it('a file with rejected rows does not replace a stored list (walk5 item 10); --force replaces it with the rows that pass', async () => {
    const store = await memoryStore();
    await importCodes(store, {
      kind: 'icd10',
      file: tmp.file('first.csv', 'code,name\nJ18.900,肺炎\nI63.900,脑梗死\n'),
    });
    const bad = tmp.file('bad.csv', 'code,name\nN20.000,肾结石\nXYZ,坏编码\n');
    const r = await importCodes(store, { kind: 'icd10', file: bad });
    // Nothing replaced: the stored two stay, the file's one good row is not imported.
    expect([r.read, r.accepted, r.rejected, r.replaced, r.unchanged]).toEqual([2, 1, 1, 0, true]);
    expect([...(await store.lookupCodes('icd10', ['J18.900', 'I63.900', 'N20.000'])).keys()].sort()).toEqual([
      'I63.900',
      'J18.900',
    ]);
    const run = (await store.listRuns())[0]!;
    expect([run.status, run.counts]).toEqual([
      'data-problems',
      { read: 2, accepted: 0, rejected: 1, notImported: 1, replaced: 0 },
    ]);
    const forced = await importCodes(store, { kind: 'icd10', file: bad, force: true });
    expect([forced.accepted, forced.rejected, forced.replaced, forced.unchanged]).toEqual([1, 1, 2, false]);
    expect(await store.countCodes('icd10')).toBe(1);
    // Into an empty store the rows that pass are imported: nothing stored is lost.
    const empty = await memoryStore();
    const first = await importCodes(empty, { kind: 'icd10', file: bad });
    expect([first.accepted, first.replaced, first.unchanged]).toEqual([1, 0, false]);
    expect(await empty.countCodes('icd10')).toBe(1);
    await store.close();
    await empty.close();
  });

  it('maps the file’s own header names with columns (--columns icd_code=code,icd_name=name) (walk5 item 4)', async () => {
    const file = tmp.file('own-names.csv', 'icd_code,icd_name\nK35.800,急性阑尾炎，其他未特指\n');
    const store = await memoryStore();
    const r = await importCodes(store, { kind: 'icd10', file, columns: { icd_code: 'code', icd_name: 'name' } });
    expect([r.read, r.accepted]).toEqual([1, 1]);
    await store.close();
  });

  it('the reader’s rejects file has no 原文 column when every rejected row was split into its columns (walk5 item 10)', async () => {
    const file = tmp.file('raw.csv', 'code,name\nK35.800,急性阑尾炎\nXYZ,坏编码\n');
    const store = await memoryStore();
    const rejectsFile = `${tmp.path}/raw.rejects.csv`;
    await importCodes(store, { kind: 'icd10', file, rejectsFile, lang: 'zh' });
    expect(readFileSync(rejectsFile, 'utf8').split('\n')[0]).toBe('\uFEFF行号,记录编号,字段,拒收原因,说明,code,name');
    await importCodes(store, { kind: 'icd10', file, rejectsFile, lang: 'en', force: true });
    expect(readFileSync(rejectsFile, 'utf8').split('\n')[0]).toBe(
      '\uFEFFrow,record key,field,rejection reason,detail,code,name',
    );
    await store.close();
  });

  it('reads a GBK code list', async () => {
    const file = tmp.file('icd10-gbk.csv', iconv.encode('诊断编码,诊断名称\nK35.800,急性阑尾炎，其他未特指\n', 'gbk'));
    const store = await memoryStore();
    const r = await importCodes(store, { kind: 'icd10', file });
    expect(r.accepted).toBe(1);
    expect((await store.lookupCodes('icd10', ['K35.800'])).get('K35.800')?.name).toBe('急性阑尾炎，其他未特指');
    await store.close();
  });

  it('knows procedure-type words in Chinese and English', () => {
    expect(procedureTypeOf('治疗性操作')).toBe('therapeutic');
    expect(procedureTypeOf(' Surgery ')).toBe('surgery');
    expect(procedureTypeOf('其他')).toBeUndefined();
  });
});
