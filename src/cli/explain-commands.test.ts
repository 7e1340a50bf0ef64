/**
 * `yibao explain case` of a settlement id the run does not hold — a typo, another year, or a list the ingest QC
 * rejected (R-DATA-1: a rejected case is never settled): the error names the run and its year and says where the
 * rejected lists' reasons are, instead of only "没有结算ID为 … 的病例".
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import { testRunRecord } from '../store/testing.ts';
import { CliError } from './context.ts';
import { policyChangesText, registerExplainCommands } from './explain-commands.ts';
import { main } from './main.ts';

const tmp = mkdtempSync(join(tmpdir(), 'yibao-explain-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const db = join(tmp, 'y.duckdb');

async function saveEmptyRun(): Promise<void> {
  const store = await DuckDbStore.open(db);
  await store.saveSettlementRun(testRunRecord('RUN1', 'city03'), async () => {});
  await store.close();
}

async function explainCase(id: string, lang: 'zh' | 'en', at = db): Promise<CliError> {
  const program = new Command('yibao').exitOverride();
  registerExplainCommands(program, () => ({ lang, json: false, db: at }));
  try {
    await program.parseAsync(['node', 'yibao', 'explain', 'case', id]);
  } catch (e) {
    return e as CliError;
  }
  throw new Error('expected an error');
}

describe('yibao explain case of a case the run does not hold', () => {
  it('R-DATA-1 names the run, its region and year, and where a rejected list’s reason is', async () => {
    await saveEmptyRun();
    const zh = await explainCase('C2025021', 'zh');
    expect(zh).toBeInstanceOf(CliError);
    expect(zh.message).toContain('结算运行 RUN1（city03 2025 年）中没有结算ID为 C2025021 的病例');
    expect(zh.message).toContain('导入时被拒收的病例不参加结算');
    const en = await explainCase('C2025021', 'en');
    expect(en.message).toContain('no case C2025021 in settlement run RUN1 (city03 2025)');
    expect(en.message).toContain('rejects file');
  });
});

// Fault 5: a case rejected at ingest read "not found"; the store keeps the rejected rows (file, row, field, reason).
describe('yibao explain case of a case rejected at ingest', () => {
  it('R-DATA-1 right after ingest, before any settlement: the rejected case still says why; another case says to settle', async () => {
    const file = join(tmp, 'first.csv');
    writeFileSync(
      file,
      [
        '结算ID,就诊ID,人员编号,医疗机构编码,险种类型,性别,出生日期,年龄,入院日期,出院日期,住院天数,离院方式,主要诊断,主要手术,医疗总费用,统筹基金支付,个人自付,现金支付',
        'D1,M1,P1,H1,310,1,1985-01-01,40,2025-03-01,2025-03-05,4,1,K35.800,47.0100,10000.00,7000.00,3000.00,3000.00',
        'D2,M2,P2,H1,310,1,1985-01-01,40,2025-03-05,2025-03-01,4,1,K35.800,47.0100,9000.00,6000.00,3000.00,3000.00',
      ].join('\n'),
    );
    const fresh = join(tmp, 'no-run.duckdb');
    const quiet = { write: process.stdout.write, err: process.stderr.write };
    process.stdout.write = (() => true) as never;
    process.stderr.write = (() => true) as never;
    try {
      await main([
        'node',
        'yibao',
        '--db',
        fresh,
        'ingest',
        'cases',
        file,
        '--rejects',
        join(tmp, 'first-rejects.csv'),
      ]);
    } finally {
      process.stdout.write = quiet.write;
      process.stderr.write = quiet.err;
    }
    const zh = (await explainCase('D2', 'zh', fresh)).message;
    expect(zh).toMatch(
      /^病例 D2 在导入时被拒收，不参加结算：\n {2}\S*first\.csv 第 3 行，出院时间 2025-03-01 早于入院时间 2025-03-05/,
    );
    const en = (await explainCase('D2', 'en', fresh)).message;
    expect(en).toMatch(/^case D2 was rejected at ingest and is not settled:\n {2}\S*first\.csv row 3, dscg_time: /);
    // An accepted case has no run to be explained from yet: the answer says to settle first.
    expect((await explainCase('D1', 'zh', fresh)).message).toContain('中没有结算运行；请先运行 yibao settle');
  });

  it('R-DATA-1 says it was rejected, with the file, row, field and reason the store kept, in zh and en', async () => {
    const file = join(tmp, 'cases.csv');
    writeFileSync(
      file,
      [
        '结算ID,就诊ID,人员编号,医疗机构编码,险种类型,性别,出生日期,年龄,入院日期,出院日期,住院天数,离院方式,主要诊断,主要手术,医疗总费用,统筹基金支付,个人自付,现金支付',
        'C2025001,M1,P1,H1,310,1,1985-01-01,40,2025-03-01,2025-03-05,4,1,K35.800,47.0100,10000.00,7000.00,3000.00,3000.00',
        'C2025002,M2,P2,H1,310,1,1985-01-01,40,2025-03-01,2025-03-05,4,1,,47.0100,9000.00,6000.00,3000.00,3000.00',
        'C2025003,M3,P3,H1,310,1,1985-01-01,40,2025-03-05,2025-03-01,4,1,K35.800,47.0100,9000.00,6000.00,3000.00,3000.00',
      ].join('\n'),
    );
    const quiet = { write: process.stdout.write, err: process.stderr.write };
    process.stdout.write = (() => true) as never;
    process.stderr.write = (() => true) as never;
    try {
      await main(['node', 'yibao', '--db', db, 'ingest', 'cases', file, '--rejects', join(tmp, 'rejects.csv')]);
    } finally {
      process.stdout.write = quiet.write;
      process.stderr.write = quiet.err;
    }
    const zh = await explainCase('C2025002', 'zh');
    expect(zh).toBeInstanceOf(CliError);
    expect(zh.message).toContain('病例 C2025002 在导入时被拒收，不参加结算');
    // C2025002 is line 3 of the file (header 1): the row the user's editor shows.
    // the field by its Chinese label in zh (诊断编码, not diag_codes before the colon)
    // No English enum in zh: the reject code is the rejects file's qc_code column (and the en text's).
    // walk7 9: the stored message names the field by the file's own header (主要诊断), the standard field in brackets
    // … and once: not 诊断编码：必填项 主要诊断（diag_codes） (the stored message names it already; tidy4 5)
    expect(zh.message).toMatch(/cases\.csv 第 3 行，必填项 主要诊断（diag_codes） 为空（导入运行 /);
    expect(zh.message).not.toContain('诊断编码：');
    expect(zh.message).not.toMatch(/E_[A-Z]/);
    expect(zh.message).not.toContain('没有结算ID为');
    const en = await explainCase('C2025002', 'en');
    expect(en.message).toContain('case C2025002 was rejected at ingest and is not settled');
    expect(en.message).toMatch(/cases\.csv row 3: required field "主要诊断" \(diag_codes\) is empty \(ingest run /);
    // The same words as zh: no internal code (walk7 #14: en showed E_FORMAT where zh read 格式错误).
    expect(en.message).not.toMatch(/E_[A-Z]/);
    // no Chinese but the user's own header
    expect(en.message.replace('"主要诊断"', '')).not.toMatch(/\p{Script=Han}/u);
    // A message that starts with the field's label names it once (not 出院时间：出院时间 …).
    const order = (await explainCase('C2025003', 'zh')).message;
    expect(order).toMatch(/cases\.csv 第 4 行，出院时间 2025-03-01 早于入院时间 2025-03-05（导入运行 /);
    expect(order).not.toContain('出院时间：出院时间');
    expect((await explainCase('C2025003', 'en')).message).toMatch(
      /cases\.csv row 4, dscg_time: discharge 2025-03-01 is before admission 2025-03-05 \(ingest run /,
    );
    // An accepted case of the run's year missing from the run (ingested after it): settle again.
    expect((await explainCase('C2025001', 'zh')).message).toBe(
      '病例 C2025001 已入库（2025 年），但结算运行 RUN1 中没有它：多半是在该运行之后导入的。重新结算（yibao settle --year 2025）后再解释',
    );
  });

  // A new user explained a history-year case (2022, used for the catalog) and read "check the settlement id and the
  // year": the case was stored, of another year than the run's.
  it('a stored case of a history year: its year and discharge date, and how to explain it (settle that year)', async () => {
    const file = join(tmp, 'history.csv');
    writeFileSync(
      file,
      [
        '结算ID,就诊ID,人员编号,医疗机构编码,险种类型,性别,出生日期,年龄,入院日期,出院日期,住院天数,离院方式,主要诊断,主要手术,医疗总费用,统筹基金支付,个人自付,现金支付',
        'C2022001,M1,P1,H1,310,1,1985-01-01,37,2022-03-01,2022-03-05,4,1,K35.800,47.0100,10000.00,7000.00,3000.00,3000.00',
      ].join('\n'),
    );
    const quiet = { write: process.stdout.write, err: process.stderr.write };
    process.stdout.write = (() => true) as never;
    process.stderr.write = (() => true) as never;
    try {
      await main(['node', 'yibao', '--db', db, 'ingest', 'cases', file]);
    } finally {
      process.stdout.write = quiet.write;
      process.stderr.write = quiet.err;
    }
    expect((await explainCase('C2022001', 'zh')).message).toBe(
      '病例 C2022001 已入库，2022-03-05 出院，属于 2022 年；结算运行 RUN1 结算的是 city03 2025 年（往年病例只用于测算病种目录或权重，不在 2025 年结算）。解释它在 2022 年的结算：先 yibao settle --year 2022，再 yibao explain case C2022001 --year 2022',
    );
    expect((await explainCase('C2022001', 'en')).message).toContain(
      'case C2022001 is stored, discharged 2022-03-05, so it belongs to 2022; settlement run RUN1 settles city03 2025 (cases of earlier years',
    );
  });

  it('R-DATA-1 a rejected Parquet record is named by its record number (第 N 条记录 / record N): no header line', async () => {
    const csv = join(tmp, 'pq.csv');
    writeFileSync(
      csv,
      [
        'setl_id,mdtrt_id,psn_no,fixmedins_code,insutype,gend,brdy,age,adm_time,dscg_time,act_ipt_days,dscg_way,diag_codes,medfee_sumamt,hifp_pay',
        'Q2025001,M1,P1,H1,310,1,1985-01-01,40,2025-03-01,2025-03-05,4,1,K35.800,10000.00,7000.00',
        'Q2025002,M2,P2,H1,310,1,1985-01-01,40,2025-03-01,2025-03-05,4,1,K35.800,10000.00,7000.00',
        'Q2025003,M3,P3,H1,310,1,1985-01-01,40,2025-03-01,2025-03-05,4,1,,9000.00,6000.00',
      ].join('\n'),
    );
    const file = join(tmp, 'cases.parquet');
    const scratch = await DuckDbStore.open(':memory:');
    await scratch.connection.run(
      `COPY (SELECT * FROM read_csv('${csv}', all_varchar = true)) TO '${file}' (FORMAT parquet)`,
    );
    await scratch.close();
    const quiet = { write: process.stdout.write, err: process.stderr.write };
    process.stdout.write = (() => true) as never;
    process.stderr.write = (() => true) as never;
    try {
      await main(['node', 'yibao', '--db', db, 'ingest', 'cases', file, '--rejects', join(tmp, 'pq.rejects.csv')]);
    } finally {
      process.stdout.write = quiet.write;
      process.stderr.write = quiet.err;
    }
    // Q2025003 is the third record of the file.
    // The field named once: the stored message names it (diag_codes（诊断编码）), no label before it (tidy4 5).
    expect((await explainCase('Q2025003', 'zh')).message).toMatch(
      /cases\.parquet 第 3 条记录，必填项 diag_codes（诊断编码/,
    );
    expect((await explainCase('Q2025003', 'en')).message).toMatch(/cases\.parquet record 3: required field diag_codes/);
  });
});

// `explain settlement --lang en` after a policy file was edited ended with "…/dip-2025.yaml（changed）、…/ffs-2025.yaml
// （changed）": the Chinese brackets and list mark in English text.
describe('the note that today’s policy files differ from the run’s, in each language', () => {
  const e = {
    run: 'RUN1',
    policyChanges: [
      { file: 'policies/demo/dip-2025.yaml', policyId: 'demo-dip-2025', change: 'changed' as const },
      { file: 'policies/demo/ffs-2025.yaml', policyId: 'demo-ffs-2025', change: 'removed' as const },
    ],
  };
  it('en in English punctuation, zh in Chinese; nothing when the files are the same', () => {
    expect(policyChangesText(e, 'en')).toBe(
      "Note: today's policy files differ from those of settlement run RUN1: policies/demo/dip-2025.yaml (changed), policies/demo/ffs-2025.yaml (removed). The figures above are reproduced from the run's policy snapshot, as issued.\n",
    );
    expect(policyChangesText(e, 'zh')).toBe(
      '注意：今天的政策文件与结算运行 RUN1 所用的不同：policies/demo/dip-2025.yaml（已修改）、policies/demo/ffs-2025.yaml（已删除）。以上数字按该运行的政策快照重现，即当时发布的数字。\n',
    );
    expect(policyChangesText({ run: 'RUN1', policyChanges: [] }, 'en')).toBe('');
  });
});
