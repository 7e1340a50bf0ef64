// R-DATA-1 the ingest summary in the user's words: CSV and XLSX count rows (读取 N 行 / read N rows), Parquet and
// 4101 JSON records (读取 N 条记录 / read N records); a header found under title rows says on which row it is and
// which rows above it were skipped.
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestFile } from '../ingest/pipeline.ts';
import { memoryStore, tempDir, toCsv, validCase } from '../ingest/testing.ts';
import type { CliContext } from './context.ts';
import { ignoredColumnLines, summarise } from './ingest-commands.ts';

const tmp = tempDir('yibao-ingest-summary-');
afterAll(() => tmp.remove());

const zh: CliContext = { db: ':memory:', json: false, lang: 'zh' };
const en: CliContext = { ...zh, lang: 'en' };

async function report(file: string) {
  const store = await memoryStore();
  try {
    return await ingestFile(store, { kind: 'cases', file, dryRun: true });
  } finally {
    await store.close();
  }
}

const cases = [validCase({ setl_id: 'U1' }), validCase({ setl_id: 'U2', gend: '3' })];

describe('R-DATA-1 ingest summary', () => {
  it('CSV under a title and a blank line: the header row, the title skipped, 2 rows read', async () => {
    // line 1 title · 2 blank · 3 header · 4 U1 · 5 U2 (sex 3)
    const file = tmp.file('title.csv', `2025年住院结算清单\n\n${toCsv(cases)}`);
    const r = await report(file);
    const textZh = summarise(r, zh);
    expect(textZh).toContain('  表头在第 3 行，其上的行已跳过：第 1 行“2025年住院结算清单”\n');
    expect(textZh).toContain('  读取 2 行 = 可入库 1 + 拒收 1 + 已存在 0\n');
    expect(textZh).toContain('  拒收原因（行数）：');
    // The reason in words, no English enum in zh (the code is the rejects file's qc_code column); en keeps the code.
    expect(textZh).toContain('\n           1  代码取值不合规\n');
    expect(textZh).not.toMatch(/E_[A-Z]/);
    expect(summarise(r, en)).toMatch(/\n {4}E_CODE_INVALID +1 {2}code value not allowed\n/);
    expect(textZh).toContain('例：第 5 行 gend');
    const textEn = summarise(r, en);
    expect(textEn).toContain('  header on row 3; the rows above it were skipped: row 1 "2025年住院结算清单"\n');
    expect(textEn).toContain('  read 2 rows = acceptable 1 + rejected 1 + already present 0\n');
    expect(textEn).toContain('  reasons (rows):');
  });

  it('a row with two reasons: the reason counts say so, and they reconcile with the rejected rows (walk5 item 7)', async () => {
    // U3: sex 3 (代码取值不合规) and discharge before admission (日期先后不合理) — one row, two reasons; U2 one reason.
    const rows = [
      ...cases,
      validCase({ setl_id: 'U3', gend: '3', adm_time: '2025-03-06 08:00:00', dscg_time: '2025-03-05 10:00:00' }),
    ];
    const r = await report(tmp.file('two-reasons.csv', toCsv(rows)));
    expect([r.read, r.accepted, r.rejected]).toEqual([3, 1, 2]);
    expect(Object.values(r.rejectsByCode).reduce((a, b) => a + b, 0)).toBe(3);
    expect(summarise(r, zh)).toContain('  拒收原因（行数；一行可有多个原因：拒收 2 行，共 3 个原因）：\n');
    expect(summarise(r, en)).toContain('  reasons (rows; a row may have several: 2 rows rejected for 3 reasons):\n');
  });

  it('a header on the first line says nothing about skipped rows', async () => {
    const r = await report(tmp.file('plain.csv', toCsv(cases)));
    expect(summarise(r, zh)).not.toContain('表头');
    expect(summarise(r, en)).not.toContain('header');
  });

  it('XLSX with only a blank row above the header: 表头在第 2 行（其上为空行）', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sheet1');
    const columns = Object.keys(cases[0]!);
    ws.getRow(2).values = columns;
    ws.getRow(3).values = columns.map((c) => cases[0]![c]!);
    const file = `${tmp.path}/blank-above.xlsx`;
    await wb.xlsx.writeFile(file);
    const r = await report(file);
    expect(summarise(r, zh)).toContain('  表头在第 2 行（其上为空行）\n  读取 1 行 = 可入库 1 + 拒收 0 + 已存在 0\n');
    expect(summarise(r, en)).toContain('  header on row 2 (blank rows above it)\n  read 1 row = ');
  });

  it('Parquet counts records: 读取 2 条记录 / read 2 records, reasons by records', async () => {
    const csv = tmp.file('pq-src.csv', toCsv(cases));
    const file = `${tmp.path}/cases.parquet`;
    const store = await memoryStore();
    await store.connection.run(
      `COPY (SELECT * FROM read_csv('${csv}', all_varchar = true)) TO '${file}' (FORMAT parquet)`,
    );
    await store.close();
    const r = await report(file);
    const textZh = summarise(r, zh);
    expect(textZh).toContain('  读取 2 条记录 = 可入库 1 + 拒收 1 + 已存在 0\n');
    expect(textZh).toContain('  拒收原因（记录数）：');
    expect(textZh).toContain('例：第 2 条记录 gend');
    const textEn = summarise(r, en);
    expect(textEn).toContain('  read 2 records = acceptable 1 + rejected 1 + already present 0\n');
    expect(textEn).toContain('  reasons (records):');
  });
});

// A new user ingested a corrected rejects file (as the explain and README say it ingests as it is) and read
// "未识别的列（已忽略）：qc_row, qc_setl_id, qc_field, …": seven columns of yibao's own file called unknown, in a
// list with an ASCII comma.
describe('R-DATA-1 ignored columns in the summary', () => {
  const rejectsFile = ['qc_row', 'qc_setl_id', 'qc_field', 'qc_code', 'qc_message_zh', 'qc_message_en', 'qc_raw'];
  it("a rejects file's own columns are said to be its own, in one line; other unknown columns listed with 、", () => {
    expect(ignoredColumnLines(rejectsFile, zh)).toEqual(['  拒收明细的说明列（7 列）已忽略']);
    expect(ignoredColumnLines(rejectsFile, en)).toEqual(["  the rejects file's own columns (7) ignored"]);
    // the zh and en rejects files' headers (行号、字段、拒收原因…) are its own too
    const zhFile = ['行号', '记录编号', '字段', '拒收原因', '说明', '原文'];
    expect(ignoredColumnLines(zhFile, zh)).toEqual(['  拒收明细的说明列（6 列）已忽略']);
    expect(ignoredColumnLines(['record', 'record key', 'field', 'rejection reason', 'detail', 'raw text'], en)).toEqual(
      ["  the rejects file's own columns (6) ignored"],
    );
    expect(ignoredColumnLines(['备注', '科室名'], zh)).toEqual(['  未识别的列（已忽略）：备注、科室名']);
    expect(ignoredColumnLines(['note', 'ward'], en)).toEqual(['  unknown columns (ignored): note, ward']);
    expect(ignoredColumnLines([], zh)).toEqual([]);
  });

  it('a corrected rejects file: the summary names its qc_* columns once and nothing as unknown', async () => {
    const row = { qc_row: '2', qc_setl_id: 'U9', qc_field: 'gend', qc_code: 'E_CODE', ...validCase({ setl_id: 'U9' }) };
    const r = await report(tmp.file('fixed.rejects.csv', toCsv([row])));
    const text = summarise(r, zh);
    expect(text).toContain('  拒收明细的说明列（4 列）已忽略\n');
    expect(text).not.toContain('未识别的列');
  });
});

describe('R-DATA-1 a re-exported case file whose rows changed: the summary says what the user can do', () => {
  it('cases have no --replace: keep the stored rows, or ingest every file into a new store (--db …-2.duckdb)', async () => {
    const store = await memoryStore();
    try {
      const first = tmp.file('cases-v1.csv', toCsv([validCase({ setl_id: 'R1' })]));
      await ingestFile(store, { kind: 'cases', file: first, rejectsFile: tmp.file('v1.rejects.csv', '') });
      const changed = tmp.file('cases-v2.csv', toCsv([validCase({ setl_id: 'R1', dscg_way: '2' })]));
      const r = await ingestFile(store, { kind: 'cases', file: changed, rejectsFile: tmp.file('v2.rejects.csv', '') });
      expect(r.rejectsByCode).toEqual({ E_ALREADY_STORED_DIFFERENT: 1 });
      const ctx = { ...zh, db: 'data/yibao.duckdb' };
      const textZh = summarise(r, ctx);
      expect(textZh).toContain(
        '  已入库的结算清单不会被覆盖，也不能删除（--replace 只用于审核扣款、考核结果、特例单议结果）：\n' +
          '    若已入库的内容是对的：无需处理，结算使用已入库的行；\n' +
          '    若文件中的新内容才是对的：把全部文件（含机构等）导入一个新的存储，之后每条命令都加同一个 --db（或 --store）\n' +
          `    如 yibao --db data/yibao-2.duckdb ingest cases ${changed}（原存储及其中的运行记录保持不变）\n`,
      );
      const textEn = summarise(r, { ...ctx, lang: 'en' });
      expect(textEn).toContain(
        '  stored settlement lists (cases) are not overwritten and cannot be removed (--replace is for audit deductions, assessment results, special-review decisions only):',
      );
      expect(textEn).toContain(`    e.g. yibao --db data/yibao-2.duckdb ingest cases ${changed} (the old store`);
      expect(textEn.split('\n').filter((l) => /\p{Script=Han}/u.test(l))).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('walk4 #8: a row accepted with a QC warning is counted and shown with its first message (it said nothing)', async () => {
    const twice = [validCase({ setl_id: 'S03', mdtrt_id: 'V03' }), validCase({ setl_id: 'S04', mdtrt_id: 'V03' })];
    const r = await report(tmp.file('twice.csv', toCsv(twice)));
    const textZh = summarise(r, zh);
    expect(textZh).toContain('  读取 2 行 = 可入库 2 + 拒收 0 + 已存在 0\n  提示（已入库，行数）：\n');
    expect(textZh).toContain('           1  同一就诊ID已结算（重复结算，仅提示）\n');
    expect(textZh).toContain('例：第 3 行 就诊ID V03 已由结算ID S03 结算');
    expect(textZh).not.toMatch(/W_[A-Z]/);
    const textEn = summarise(r, en);
    expect(textEn).toMatch(/ {4}W_DUPLICATE_VISIT +1 {2}the visit is already settled/);
    expect(textEn).toContain('e.g. row 3: visit V03 is already settled as S03');
  });
});
