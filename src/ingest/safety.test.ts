// Nothing lost, nothing wrong accepted (issue 10, R-DATA-1): encodings, raw text of unreadable rows, strict 4101
// JSON types, identifiers, future dates, age vs birth date, XLSX cells, header names and the rejects file.

import { isUtf8 } from 'node:buffer';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { IngestFileError } from './errors.ts';
import { ingestFile } from './pipeline.ts';
import { loadQcSettings } from './qc/settings.ts';
import { memoryStore, tableRows, tempDir, toCsv, validCase } from './testing.ts';

const tmp = tempDir('yibao-safety-');
afterAll(() => tmp.remove());
const qc = loadQcSettings(undefined, '2025-12-31');

async function ingest(file: string, extra: Partial<Parameters<typeof ingestFile>[1]> = {}) {
  const store = await memoryStore();
  const rejectsFile = join(tmp.path, `${Math.random().toString(36).slice(2)}.rej.csv`);
  try {
    const r = await ingestFile(store, { kind: 'cases', file, qc, rejectsFile, ...extra });
    const rows = await tableRows(
      store,
      `SELECT setl_id, psn_no, '[' || array_to_string(diag_names, ', ') || ']' AS diag_names,
              '[' || array_to_string(oprn_oprt_codes, ', ') || ']' AS oprn_oprt_codes FROM cases ORDER BY setl_id`,
    );
    const rejects = existsSync(rejectsFile) ? readFileSync(rejectsFile, 'utf8') : '';
    return { r, rows, rejects };
  } finally {
    await store.close();
  }
}

const CHINESE = { diag_names: '急性阑尾炎|高血压' };

// walk3 item 1: a file is one encoding, decided for the whole file. GBK 女 is C5 AE, which is also valid UTF-8 (Ů).
const SEX_ONLY = {
  chfpdr_name: 'Li Na',
  diag_names: 'appendicitis|hypertension',
  oprn_oprt_names: 'appendectomy',
  gend: '女',
};

describe('walk3 1: GBK bytes that are also valid UTF-8 (R-DATA-1)', () => {
  it('a GBK file whose row with 女 alone is valid UTF-8 is read as GB18030 throughout: every row stored', async () => {
    const rows = [validCase({ setl_id: 'G1', ...CHINESE }), validCase({ setl_id: 'G2', ...SEX_ONLY })];
    const bytes = iconv.encode(toCsv(rows), 'gbk');
    expect(bytes.includes(Buffer.from([0x2c, 0xc5, 0xae, 0x2c]))).toBe(true); // ,女, in GBK
    const { r, rows: stored } = await ingest(tmp.file('walk3-gbk.csv', bytes));
    expect([r.encoding, r.encodingNote, r.read, r.accepted, r.rejected]).toEqual(['gb18030', undefined, 2, 2, 0]);
    expect(stored.map((x) => [x.setl_id, x.diag_names])).toEqual([
      ['G1', '[急性阑尾炎, 高血压]'],
      ['G2', '[appendicitis, hypertension]'],
    ]);
  });

  it('a small GBK file (Chinese header, one row with 女) finds its header: GB18030, not a 1:1 tie read as UTF-8', async () => {
    const text =
      '结算ID,就诊ID,人员编号,医疗机构编码,险种类型,性别,出生日期,年龄,入院日期,出院日期,住院天数,离院方式,主要诊断,主要手术,医疗总费用,统筹基金支付,个人自付,现金支付\nS24099,M24002,P002,H2,390,女,1980-05-05,44,2024-04-01,2024-04-06,5,1,K35.800,47.0100,12000.00,8400.00,3600.00,3600.00\n';
    const { r, rows } = await ingest(tmp.file('one.gbk.csv', iconv.encode(text, 'gbk')));
    expect([r.encoding, r.read, r.accepted, r.rejected]).toEqual(['gb18030', 1, 1, 0]);
    expect(rows.map((x) => x.setl_id)).toEqual(['S24099']);
  });

  it('a GBK file that is valid UTF-8 as a whole (ASCII header, 女 its only Chinese) is GB18030, and says it read both ways', async () => {
    const bytes = iconv.encode(toCsv([validCase({ setl_id: 'G3', ...SEX_ONLY })]), 'gbk');
    expect(isUtf8(bytes)).toBe(true);
    const store = await memoryStore();
    try {
      const r = await ingestFile(store, { kind: 'cases', file: tmp.file('tiny.gbk.csv', bytes), qc });
      expect([r.encoding, r.encodingNote, r.accepted, r.rejected]).toEqual(['gb18030', 'ambiguous', 1, 0]);
      expect(await tableRows(store, 'SELECT gend FROM cases')).toEqual([{ gend: '2' }]);
    } finally {
      await store.close();
    }
  });

  it('a UTF-8 file whose only non-ASCII text is µ or β (plausible UTF-8, also valid GB18030) stays UTF-8', async () => {
    const text = toCsv([
      validCase({ setl_id: 'U3', ...SEX_ONLY, gend: '1', diag_names: 'β-thalassemia 5µg|hypertension' }),
    ]);
    const { r, rows } = await ingest(tmp.file('greek.csv', Buffer.from(text)));
    expect([r.encoding, r.accepted]).toEqual(['utf8', 1]);
    expect(rows[0]!.diag_names).toBe('[β-thalassemia 5µg, hypertension]');
  });

  it('a header that does not decode says the encoding it was read in and the option to try (it listed "����ID" only)', async () => {
    const text = '结算ID,就诊ID,人员编号,医疗机构编码,性别\nS1,M1,P1,H1,女\n';
    const file = tmp.file('header.gbk.csv', iconv.encode(text, 'gbk'));
    const err = await ingest(file, { encoding: 'utf8' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IngestFileError);
    expect((err as IngestFileError).zh).toContain(
      '表头含无法解码的字符（�）：文件按 UTF-8 读取，编码可能不对；请加 --encoding gbk 再试',
    );
    expect((err as IngestFileError).en).toContain(
      'the file was read as UTF-8, perhaps the wrong encoding; try again with --encoding gbk',
    );
  });

  it('--encoding utf8 still reads such a file as UTF-8 (the user decides): 女 read as Ů is rejected by the sex check', async () => {
    const bytes = iconv.encode(toCsv([validCase({ setl_id: 'G4', ...SEX_ONLY })]), 'gbk');
    const { r } = await ingest(tmp.file('forced.csv', bytes), { encoding: 'utf8' });
    expect([r.encoding, r.accepted, r.rejected]).toEqual(['utf8', 0, 1]);
  });
});

describe('issue 10: encodings, UTF-8 first (R-DATA-1)', () => {
  it('a UTF-8 file with one GBK row stores its UTF-8 rows as they are and rejects the GBK row (E_ENCODING)', async () => {
    const head = toCsv([validCase({ setl_id: 'U1', ...CHINESE }), validCase({ setl_id: 'U2', ...CHINESE })]);
    const gbkRow = toCsv([validCase({ setl_id: 'G1', ...CHINESE })]).split('\n')[1]!;
    const file = tmp.file('mixed.csv', Buffer.concat([Buffer.from(head), iconv.encode(`${gbkRow}\n`, 'gbk')]));
    const { r, rows } = await ingest(file);
    expect([r.read, r.accepted, r.rejected, r.encoding]).toEqual([3, 2, 1, 'utf8']);
    expect(r.rejectsByCode.E_ENCODING).toBe(1);
    expect(rows.map((x) => x.diag_names)).toEqual(['[急性阑尾炎, 高血压]', '[急性阑尾炎, 高血压]']);
  });

  it('a GBK file with one UTF-8 row rejects that row instead of storing it as mojibake', async () => {
    const rows = [validCase({ setl_id: 'G1', ...CHINESE }), validCase({ setl_id: 'G2', ...CHINESE })];
    const utf8Row = toCsv([validCase({ setl_id: 'U1', ...CHINESE })]).split('\n')[1]!;
    const file = tmp.file(
      'mixed-gbk.csv',
      Buffer.concat([iconv.encode(toCsv(rows), 'gbk'), Buffer.from(`${utf8Row}\n`)]),
    );
    const { r, rows: stored } = await ingest(file);
    expect([r.read, r.accepted, r.rejected, r.encoding]).toEqual([3, 2, 1, 'gb18030']);
    expect(stored.map((x) => [x.setl_id, x.diag_names])).toEqual([
      ['G1', '[急性阑尾炎, 高血压]'],
      ['G2', '[急性阑尾炎, 高血压]'],
    ]);
  });

  it('the mixed row is rejected with its row number and the reason, without a stray character', async () => {
    const rows = [validCase({ setl_id: 'G1', ...CHINESE }), validCase({ setl_id: 'G2', ...CHINESE })];
    const utf8Row = toCsv([validCase({ setl_id: 'U1', ...CHINESE })]).split('\n')[1]!;
    const file = tmp.file(
      'mixed-gbk2.csv',
      Buffer.concat([iconv.encode(toCsv(rows), 'gbk'), Buffer.from(`${utf8Row}\n`)]),
    );
    const { r, rejects } = await ingest(file);
    expect([r.encoding, r.encodingNote, r.rejectsByCode]).toEqual(['gb18030', 'mixed', { E_ENCODING: 1 }]);
    expect(rejects).toContain('该行是 UTF-8，而文件其余各行是 GB18030：文件混用了编码，该行未入库');
    expect(rejects).toContain(utf8Row);
    expect(rejects).not.toContain('\uFFFD');
    expect(rejects).not.toContain('\uFFFE');
  });

  it('decodes a UTF-16 file with a byte-order mark', async () => {
    const text = toCsv([validCase({ setl_id: 'W1', ...CHINESE })]);
    const file = tmp.file('utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf16le')]));
    const { r, rows } = await ingest(file);
    expect([r.accepted, r.encoding]).toEqual([1, 'utf16le']);
    expect(rows[0]!.diag_names).toBe('[急性阑尾炎, 高血压]');
  });
});

describe('issue 10: rejects keep the raw text (R-DATA-1)', () => {
  it('an unbalanced quote: the reject carries the raw line text in qc_raw', async () => {
    const good = toCsv([validCase({ setl_id: 'Q1' }), validCase({ setl_id: 'Q2' })]);
    const [header, row1, row2] = good.split('\n');
    const broken = row2!.replace('M-Q2', '"M-Q2');
    const file = tmp.file('quote.csv', `${header}\n${row1}\n${broken}\n`);
    const { r, rejects } = await ingest(file);
    expect(r.rejected).toBe(1);
    expect(rejects.split('\n')[0]).toContain('qc_raw');
    expect(rejects).toContain('""M-Q2');
    expect(rejects).toContain('Q2');
  });
});

describe('issue 10: strict 4101 JSON (R-DATA-1)', () => {
  const message = (setlId: string, extra: Record<string, unknown> = {}) => ({
    setlinfo: {
      setl_id: setlId,
      mdtrt_id: `M${setlId}`,
      fixmedins_code: 'H001',
      psn_no: 'P0001',
      insutype: '310',
      gend: '1',
      brdy: '1960-01-31',
      age: 64,
      adm_time: '2025-03-01 08:00:00',
      dscg_time: '2025-03-05 10:00:00',
      act_ipt_days: 4,
      dscg_way: '1',
      medfee_sumamt: '100.00',
      hifp_pay: '80.00',
    },
    diseinfo: [{ diag_type: '1', diag_code: 'K35.800', maindiag_flag: '1' }],
    oprninfo: [{ oprn_oprt_code: '47.0100', oprn_oprt_date: '2025-03-01', main_oprn_flag: '1' }],
    ...extra,
  });

  it('oprninfo as a string, an object as a field, a boolean flag: each a reject naming the field', async () => {
    const msgs = [
      message('J1'),
      message('J2', { oprninfo: '47.0100' }),
      message('J3', { diseinfo: [{ diag_code: { code: 'K35.800' } }] }),
      { ...message('J4'), setlinfo: { ...message('J4').setlinfo, age: [64] } },
    ];
    const file = tmp.file('types.json', JSON.stringify(msgs));
    const { r, rows, rejects } = await ingest(file);
    expect([r.read, r.accepted, r.rejected, r.rejectsByCode.E_JSON_TYPE]).toEqual([4, 1, 3, 3]);
    expect(rows.map((x) => [x.setl_id, x.oprn_oprt_codes])).toEqual([['J1', '[47.0100]']]);
    for (const field of ['oprninfo', 'diseinfo.diag_code', 'setlinfo.age'])
      expect(rejects).toContain(`,${field},E_JSON_TYPE,`);
  });
});

describe('issue 10: identifiers, dates and ages (R-DATA-1)', () => {
  it('a control character (NUL, tab) in an identifier is refused (E_CONTROL_CHAR)', async () => {
    const file = tmp.file(
      'nul.csv',
      toCsv([
        validCase({ setl_id: 'C1' }),
        validCase({ setl_id: 'C2', psn_no: 'P00\u000001' }),
        validCase({ setl_id: 'C3', fixmedins_code: 'H0\t01' }),
      ]),
    );
    const { r, rows } = await ingest(file);
    expect([r.accepted, r.rejected, r.rejectsByCode.E_CONTROL_CHAR]).toEqual([1, 2, 2]);
    expect(rows.map((x) => x.setl_id)).toEqual(['C1']);
  });

  it('a discharge after the as-of date is refused (E_DATE_FUTURE); --as-of must be a real date', async () => {
    const file = tmp.file(
      'future.csv',
      toCsv([
        validCase({ setl_id: 'F1' }),
        validCase({ setl_id: 'F2', dscg_time: '2030-03-05 10:00:00', act_ipt_days: '1' }),
      ]),
    );
    const { r } = await ingest(file);
    expect([r.accepted, r.rejectsByCode.E_DATE_FUTURE]).toEqual([1, 1]);
    expect(() => loadQcSettings(undefined, '2021-02-30')).toThrow(/2021-02-30/);
  });

  it('age and nwb_age are checked against the birth and admission dates within the QC policy tolerance', async () => {
    const file = tmp.file(
      'age.csv',
      toCsv([
        validCase({ setl_id: 'A1' }), // 1960-01-31 → 2025-03-01: 65 complete years, age 64 within the 1-year tolerance
        validCase({ setl_id: 'A2', age: '5' }),
        validCase({ setl_id: 'A3', age: '0', brdy: '2025-02-01', nwb_age: '28' }), // 28 days: right
        validCase({ setl_id: 'A4', age: '0', brdy: '2025-02-01', nwb_age: '200' }),
      ]),
    );
    const { r } = await ingest(file);
    expect(qc.ageToleranceYears).toBe(1);
    expect([r.accepted, r.rejected, r.rejectsByCode.E_AGE_BIRTH]).toEqual([2, 2, 2]);
  });
});

describe('issue 10: XLSX cells (R-DATA-1)', () => {
  it('an id beyond 2^53 stored as a number is refused (E_ID_ROUNDED); a formula error is named, not "[object Object]"', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('cases');
    const base = validCase();
    const cols = Object.keys(base);
    ws.addRow(cols);
    ws.addRow(cols.map((c) => (c === 'setl_id' ? 'X1' : base[c])));
    ws.addRow(cols.map((c) => (c === 'setl_id' ? 2 ** 64 : base[c])));
    ws.addRow(
      cols.map((c) =>
        c === 'setl_id' ? 'X3' : c === 'age' ? { formula: '1/0', result: { error: '#DIV/0!' } } : base[c],
      ),
    );
    const file = join(tmp.path, 'ids.xlsx');
    await wb.xlsx.writeFile(file);
    const { r, rejects } = await ingest(file);
    expect([r.accepted, r.rejectsByCode.E_ID_ROUNDED, r.rejectsByCode.E_XLSX_FORMULA]).toEqual([1, 1, 1]);
    expect(rejects).not.toContain('[object Object]');
    expect(rejects).toContain('=1/0');
  });
});

describe('issue 10 / issue 11: header names (R-DATA-1)', () => {
  it('oprn_codes stops the import with "did you mean oprn_oprt_codes"; --columns maps it and the procedures are kept', async () => {
    const row = validCase({ setl_id: 'H1' });
    const { oprn_oprt_codes, ...rest } = row;
    const file = tmp.file('variant.csv', toCsv([{ ...rest, oprn_codes: oprn_oprt_codes! }]));
    const err = await ingest(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IngestFileError);
    expect((err as IngestFileError).code).toBe('E_HEADER_SIMILAR');
    expect((err as IngestFileError).en).toContain('did you mean oprn_oprt_codes');
    const { rows } = await ingest(file, { columns: { oprn_codes: 'oprn_oprt_codes' } });
    expect(rows[0]!.oprn_oprt_codes).toBe('[47.0100]');
    const ignored = await ingest(file, { columns: { oprn_codes: '-' } });
    expect(ignored.r.ignoredColumns).toEqual(['oprn_codes']);
  });

  it('short Chinese headers (性别, 年龄, 主要诊断, 出院时间 …) are accepted as the columns', async () => {
    const v = validCase({ setl_id: 'Z1' });
    const zh: Record<string, string> = {
      结算ID: v.setl_id!,
      就诊ID: v.mdtrt_id!,
      人员编号: v.psn_no!,
      定点医药机构编号: v.fixmedins_code!,
      险种类型: v.insutype!,
      性别: v.gend!,
      出生日期: v.brdy!,
      年龄: v.age!,
      入院时间: v.adm_time!,
      出院时间: v.dscg_time!,
      住院天数: v.act_ipt_days!,
      离院方式: v.dscg_way!,
      主要诊断: 'K35.800',
      医疗费总额: v.medfee_sumamt!,
      统筹基金支出: v.hifp_pay!,
    };
    const { r, rows } = await ingest(tmp.file('zh.csv', toCsv([zh])));
    expect([r.accepted, r.ignoredColumns]).toEqual([1, []]);
    expect(rows[0]!.setl_id).toBe('Z1');
  });

  it('a missing required column lists the headers that were ignored', async () => {
    const { age, ...rest } = validCase();
    const file = tmp.file('missing.csv', toCsv([{ ...rest, 病人岁数: age! }]));
    const err = (await ingest(file).catch((e: unknown) => e)) as IngestFileError;
    expect(err.code).toBe('E_HEADER_MISSING');
    expect(err.zh).toContain('"病人岁数"');
    expect(err.en).toContain('--columns');
  });
});

describe('issue 10: the rejects file and unusable paths (R-DATA-1)', () => {
  it('the rejects file appears only when the run commits', async () => {
    const file = tmp.file('rej.csv', toCsv([validCase({ setl_id: 'R1' }), validCase({ setl_id: 'R2', gend: '7' })]));
    const rejectsFile = join(tmp.path, 'out', 'never.rej.csv');
    const store = await memoryStore();
    const crash = (s: string) => {
      if (s === 'commit') throw new Error('killed before commit');
    };
    await expect(ingestFile(store, { kind: 'cases', file, qc, rejectsFile, onStage: crash })).rejects.toThrow(/killed/);
    expect(existsSync(rejectsFile)).toBe(false);
    const r = await ingestFile(store, { kind: 'cases', file, qc, rejectsFile });
    expect([r.accepted, r.rejected, existsSync(rejectsFile)]).toEqual([1, 1, true]);
    await store.close();
  });

  it('a folder as the input or as the rejects path is refused before anything is read', async () => {
    const dir = join(tmp.path, 'x.csv');
    mkdirSync(dir, { recursive: true });
    const store = await memoryStore();
    await expect(ingestFile(store, { kind: 'cases', file: dir, qc })).rejects.toMatchObject({ code: 'E_NOT_A_FILE' });
    const file = tmp.file('ok.csv', toCsv([validCase()]));
    await expect(ingestFile(store, { kind: 'cases', file, qc, rejectsFile: dir })).rejects.toMatchObject({
      code: 'E_REJECTS_PATH',
    });
    await store.close();
  });
});

describe('issue 11: one alias table without ambiguity', () => {
  it('no header name is accepted for two columns of the same kind', async () => {
    const { KINDS } = await import('./kinds/index.ts');
    const { acceptedNames } = await import('../model/columns.ts');
    for (const spec of Object.values(KINDS)) {
      const seen = new Map<string, string>();
      for (const col of spec.columns) {
        for (const n of acceptedNames(col)) {
          const k = n.toLowerCase();
          expect(seen.get(k) ?? col.name, `${spec.kind}: ${n}`).toBe(col.name);
          seen.set(k, col.name);
        }
      }
    }
  });
});

describe('issue 10: what resembles a column (did you mean)', () => {
  it('listed variants and near typos resemble a column; unrelated names do not', async () => {
    const { resembles } = await import('./source/header.ts');
    const { CASE_COLUMNS } = await import('../model/columns.ts');
    const name = (cell: string) => resembles(cell, CASE_COLUMNS)?.name;
    expect(name('oprn_codes')).toBe('oprn_oprt_codes');
    expect(name('hi_no')).toBe('psn_no');
    expect(name('setl_idd')).toBe('setl_id');
    expect(name('dscg_tiem')).toBe('dscg_time');
    expect(name('出院日')).toBe('dscg_time');
    for (const other of ['fixmedins_name', 'remark', '备注', 'name', 'id']) expect(name(other), other).toBeUndefined();
  });
});
