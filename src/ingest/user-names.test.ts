/**
 * R-DATA-1 rejects name the field as the user's file does (walk7 9): a GBK file headed 结算ID, …, 统筹基金支付 got a
 * rejects file whose row columns were setl_id, mdtrt_id, … and whose field was hifp_pay（统筹基金支出）. Now the field
 * is the user's header with the standard field in brackets — 统筹基金支付（hifp_pay） — in the rejects file, its
 * message and the summary's example line (zh and en), and the row keeps the file's own headers, so the corrected
 * rejects file is ingested again as it is. A file headed with the 4101 names reads as before.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { summarise } from '../cli/ingest-commands.ts';
import { ingestFile } from './pipeline.ts';
import { sampleStore, tempDir, toCsv, validCase } from './testing.ts';

const tmp = tempDir('yibao-user-names-');
afterAll(() => tmp.remove());

/** The user's headers for the columns of validCase (the Chinese names a HIS export uses), two with a unit. */
const HEADERS: Record<string, string> = {
  setl_id: '结算ID',
  mdtrt_id: '就诊ID',
  psn_no: '人员编号',
  fixmedins_code: '医疗机构编码',
  insutype: '险种类型',
  gend: '性别',
  brdy: '出生日期',
  age: '年龄',
  adm_time: '入院日期',
  dscg_time: '出院日期',
  act_ipt_days: '住院天数',
  dscg_way: '离院方式',
  diag_codes: '诊断编码',
  oprn_oprt_codes: '手术编码',
  medfee_sumamt: '医疗总费用(元)',
  hifp_pay: '统筹基金支付',
};
const ctx = (lang: 'zh' | 'en') => ({ lang, json: false, db: 'data/yibao.duckdb' }) as Parameters<typeof summarise>[1];

function userFile(name: string, hifpPay: string): string {
  const rows = [validCase({ setl_id: 'U1' }), validCase({ setl_id: 'U2', hifp_pay: hifpPay })].map((r) =>
    Object.fromEntries(Object.keys(HEADERS).map((c) => [HEADERS[c]!, r[c]!])),
  );
  return tmp.file(name, iconv.encode(toCsv(rows), 'gbk'));
}

const readCsv = (path: string) =>
  parse(readFileSync(path, 'utf8'), { columns: true, bom: true }) as Record<string, string>[];

describe('R-DATA-1 rejects in the user’s own column names', () => {
  it('zh: 字段 统筹基金支付（hifp_pay）, its message and the example line too; the row under the file’s headers; the corrected file ingests', async () => {
    const store = await sampleStore(tmp);
    const file = userFile('gbk-zh.csv', '7000.0.0');
    const rejectsFile = `${tmp.path}/gbk-zh.rejects.csv`;
    const r = await ingestFile(store, { kind: 'cases', file, rejectsFile, lang: 'zh' });
    expect([r.accepted, r.rejected]).toEqual([1, 1]);
    const message = '统筹基金支付（hifp_pay） 应为金额（元，最多两位小数，如 1234.56），实际为 "7000.0.0"';
    expect(summarise(r, ctx('zh'))).toContain(`      例：第 3 行 ${message}\n`);
    const lines = readCsv(rejectsFile);
    expect(Object.keys(lines[0]!)).toEqual(['行号', '记录编号', '字段', '拒收原因', '说明', ...Object.values(HEADERS)]);
    expect(lines.map((l) => [l.行号, l.记录编号, l.字段, l.说明, l.统筹基金支付, l['医疗总费用(元)']])).toEqual([
      ['3', 'U2', '统筹基金支付（hifp_pay）', message, '7000.0.0', '12345.67'],
    ]);
    // the store keeps the same message
    const stored = await store.connection.runAndReadAll('SELECT field, message_zh FROM rejects');
    expect(stored.getRows()).toEqual([['hifp_pay', message]]);
    // corrected in place, the rejects file is ingested again as it is
    const fixed = readFileSync(rejectsFile, 'utf8').replace(/,7000\.0\.0(\r?\n)/, ',10000.00$1');
    const again = await ingestFile(store, { kind: 'cases', file: tmp.file('fixed.csv', fixed), lang: 'zh' });
    expect([again.accepted, again.rejected]).toEqual([1, 0]);
    await store.close();
  });

  it('en: field 统筹基金支付 (hifp_pay), the message begins "统筹基金支付" (hifp_pay)', async () => {
    const store = await sampleStore(tmp);
    const rejectsFile = `${tmp.path}/gbk-en.rejects.csv`;
    const r = await ingestFile(store, {
      kind: 'cases',
      file: userFile('gbk-en.csv', '-5'),
      rejectsFile,
      lang: 'en',
    });
    const message = '"统筹基金支付" (hifp_pay) is negative: -5.00';
    expect(summarise(r, ctx('en'))).toContain(`      e.g. row 3: ${message}\n`);
    const lines = readCsv(rejectsFile);
    expect(lines.map((l) => [l.row, l.field, l.detail, l.统筹基金支付])).toContainEqual([
      '3',
      '统筹基金支付 (hifp_pay)',
      message,
      '-5',
    ]);
    await store.close();
  });

  // tidy4 3: the duplicate-row messages named the key by the standard label alone (与第 2 行完全重复（结算ID U1）).
  it('duplicates and conflicts name the key by the user’s header with the standard field in brackets, zh and en', async () => {
    const rows = [
      validCase({ setl_id: 'U1' }),
      validCase({ setl_id: 'U1' }),
      validCase({ setl_id: 'U3' }),
      validCase({ setl_id: 'U3', hifp_pay: '6000.00' }),
    ].map((r) => Object.fromEntries(Object.keys(HEADERS).map((c) => [HEADERS[c]!, r[c]!])));
    const text = toCsv(rows).replace('结算ID', '结算编号');
    for (const lang of ['zh', 'en'] as const) {
      const store = await sampleStore(tmp);
      const file = tmp.file(`dup-${lang}.csv`, text);
      const r = await ingestFile(store, { kind: 'cases', file, lang });
      expect([r.accepted, r.rejected]).toEqual([1, 3]);
      const stored = await store.connection.runAndReadAll(
        `SELECT row_no, message_${lang} FROM rejects ORDER BY row_no`,
      );
      expect(stored.getRows().map(([row, m]) => [Number(row), m])).toEqual(
        lang === 'zh'
          ? [
              [3, '与第 2 行完全重复（结算编号（setl_id） U1）'],
              [4, '结算编号（setl_id） U3 在文件中出现 2 次且内容不同（首次在第 4 行），无法判断哪条正确，全部拒收'],
              [5, '结算编号（setl_id） U3 在文件中出现 2 次且内容不同（首次在第 4 行），无法判断哪条正确，全部拒收'],
            ]
          : [
              [3, 'exact duplicate of row 2 ("结算编号" (setl_id) U1)'],
              [4, '"结算编号" (setl_id) U3 appears 2 times with different content (first at row 4); all refused'],
              [5, '"结算编号" (setl_id) U3 appears 2 times with different content (first at row 4); all refused'],
            ],
      );
      await store.close();
    }
  });

  it('a file headed with the 4101 names (any case) reads as before: hifp_pay（统筹基金支出）, columns setl_id …', async () => {
    const store = await sampleStore(tmp);
    const rows = [validCase({ setl_id: 'V1', hifp_pay: 'x' })];
    const text = toCsv(rows).replace('setl_id', 'SETL_ID');
    const rejectsFile = `${tmp.path}/plain.rejects.csv`;
    await ingestFile(store, { kind: 'cases', file: tmp.file('plain.csv', text), rejectsFile, lang: 'zh' });
    const lines = readCsv(rejectsFile);
    expect(Object.keys(lines[0]!).slice(5, 7)).toEqual(['SETL_ID', 'mdtrt_id']);
    expect([lines[0]!.字段, lines[0]!.说明]).toEqual([
      'hifp_pay（统筹基金支出）',
      'hifp_pay（统筹基金支出） 应为金额（元，最多两位小数，如 1234.56），实际为 "x"',
    ]);
    await store.close();
  });
});
