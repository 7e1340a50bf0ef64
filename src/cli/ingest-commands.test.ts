// R-DATA-1 through the command line: `ingest`, `qc`, `codes import` and `runs`, with --json, --lang and the
// exit codes scripts rely on (0 clean, 1 rows rejected, 3 unusable input).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { SAMPLE_CODE_LISTS } from '../codes/index.ts';
import { tempDir, toCsv, validCase } from '../ingest/testing.ts';
import { registerCodesCommands } from './codes-commands.ts';
import { CliError, EXIT } from './context.ts';
import { defaultRejectsFile, registerIngestCommands } from './ingest-commands.ts';
import { registerRunsCommands } from './runs-command.ts';

const tmp = tempDir('yibao-ingest-cli-');
afterAll(() => tmp.remove());
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});
const db = join(tmp.path, 'region.duckdb');

async function run(args: string[], opts: { json?: boolean; lang?: 'zh' | 'en' } = {}) {
  const program = new Command('yibao').exitOverride();
  const getContext = () => ({ db, json: opts.json ?? false, lang: opts.lang ?? 'zh' });
  registerIngestCommands(program, getContext);
  registerCodesCommands(program, getContext);
  registerRunsCommands(program, getContext);
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  process.exitCode = undefined;
  try {
    await program.parseAsync(['node', 'yibao', ...args]);
  } finally {
    vi.restoreAllMocks();
  }
  const code = process.exitCode ?? 0;
  process.exitCode = undefined;
  return { out, code };
}

describe('R-DATA-1 the rejects file without --rejects (walk8 #8)', () => {
  it('qc writes its own file beside the one ingest wrote, never over it', () => {
    expect(defaultRejectsFile('data/cases.csv', false)).toBe(join('out', 'rejects', 'cases.csv.rejects.csv'));
    expect(defaultRejectsFile('data/cases.csv', true)).toBe(join('out', 'rejects', 'cases.csv.qc-rejects.csv'));
  });
});

describe('R-DATA-1 yibao ingest / qc / codes import / runs', () => {
  const file = tmp.file('cases.csv', toCsv([validCase({ setl_id: 'K1' }), validCase({ setl_id: 'K2', gend: '3' })]));
  const rejects = join(tmp.path, 'cases.rejects.csv');

  it('qc checks without storing and exits 1 when rows would be rejected', async () => {
    const { out, code } = await run(['qc', file, '--rejects', rejects]);
    expect(code).toBe(EXIT.dataProblems);
    expect(out).toContain('读取 2 行 = 可入库 1 + 拒收 1 + 已存在 0');
    // The format and encoding as people write them, and the first rejected row's reason beside its count.
    expect(out).toContain('（CSV，UTF-8）');
    // K2 is line 3 of the file (header 1): the row the user's editor shows, and what the 行号 column counts.
    expect(out).toContain(
      '例：第 3 行 gend（性别 1男 2女 9未说明） 的值 "3" 不是允许的取值；应为 男（1）/女（2）/未说明（9） 之一',
    );
    expect(out).toContain('（“行号”即编辑器或表格软件中显示的行号）');
    const en = await run(['qc', file, '--rejects', rejects], { lang: 'en' });
    expect(en.out).toContain('(CSV, UTF-8)');
    expect(en.out).toContain('e.g. row 3: gend value "3" is not allowed; use one of 1 (male)/2 (female)/9 (unknown)');
    expect(en.out).toContain(' (its "row" is the row number your editor or spreadsheet shows)');
    expect(existsSync(rejects)).toBe(true);
    expect(existsSync(db)).toBe(false);
  });

  // The rejects file of a zh run had English headers (qc_row, qc_field, qc_code E_CODE_INVALID, qc_message_en …).
  it('the rejects file speaks the reader’s language: zh headers and reasons in zh, en in en; it re-ingests as it is', async () => {
    const zhFile = join(tmp.path, 'zh.rejects.csv');
    await run(['qc', file, '--rejects', zhFile]);
    const [head, line] = readFileSync(zhFile, 'utf8').split(/\r?\n/);
    // 原文 only when a line could not be split (below): here every rejected row was split into its columns
    expect(head).toMatch(/^\uFEFF行号,记录编号,字段,拒收原因,说明,setl_id,/);
    expect(line).toMatch(/^3,K2,gend（性别）,代码取值不合规,"?gend（性别 1男 2女 9未说明） 的值 ""3"" 不是允许的取值/);
    expect(line).not.toMatch(/E_CODE_INVALID|is not allowed/);
    const enFile = join(tmp.path, 'en.rejects.csv');
    await run(['qc', file, '--rejects', enFile], { lang: 'en' });
    const [enHead, enLine] = readFileSync(enFile, 'utf8').split(/\r?\n/);
    expect(enHead).toMatch(/^\uFEFFrow,record key,field,rejection reason,detail,setl_id,/);
    expect(enLine).toMatch(/^3,K2,gend \(sex\),code value not allowed,"?gend value ""3"" is not allowed/);
    // its own columns (the row as read follows, with its Chinese names and diagnoses)
    expect(enLine!.slice(0, enLine!.indexOf(',K2,', 2))).not.toMatch(/\p{Script=Han}/u);
    // ingested again as it is: its own five columns are said to be its own, none is unknown
    const again = await run(['qc', zhFile, '--rejects', join(tmp.path, 'again.csv')]);
    expect(again.out).toContain('拒收明细的说明列（5 列）已忽略');
    expect(again.out).not.toContain('未识别的列');
  });

  it('the rejects file has 原文 / raw text only when a line could not be split, holding that line', async () => {
    const lines = toCsv([validCase({ setl_id: 'W1' }), validCase({ setl_id: 'W2', gend: '3' })]).split('\n');
    lines[1] = 'W1,M-W1,P0001'; // line 2 cut short: 3 fields
    const cut = tmp.file('cut.csv', lines.join('\n'));
    for (const [lang, head] of [
      ['zh', '\uFEFF行号,记录编号,字段,拒收原因,说明,原文,setl_id,'],
      ['en', '\uFEFFrow,record key,field,rejection reason,detail,raw text,setl_id,'],
    ] as const) {
      const f = join(tmp.path, `cut.${lang}.rejects.csv`);
      await run(['qc', cut, '--rejects', f], { lang });
      const [h, ...rows] = readFileSync(f, 'utf8').split(/\r?\n/);
      expect(h!.startsWith(head)).toBe(true);
      // the cut line's own text in 原文; the other rejected row (split into its columns) has none
      expect(rows[0]).toMatch(/^2,W1,"",/);
      expect(rows[0]).toContain(',"W1,M-W1,P0001",W1,M-W1,P0001,');
      expect(rows.find((r) => r.startsWith('3,W2,'))).toMatch(/""3""[^"]*",,W2,M-W2,/);
    }
  });

  it('codes import loads a list and exits 0', async () => {
    const { out, code } = await run(['codes', 'import', '--kind', 'icd10', SAMPLE_CODE_LISTS.icd10], { lang: 'en' });
    expect(code).toBe(EXIT.ok);
    // The list by its name, the count with its noun (it read "code list icd10: read 210 = imported 210 …").
    expect(out).toContain('ICD-10 code list: read 210 rows = imported 210 + rejected 0 (replacing 0 earlier entries)');
  });

  it('ingest stores the accepted rows and prints the counts as JSON with --json', async () => {
    const { out, code } = await run(['ingest', file, '--rejects', rejects], { json: true });
    expect(code).toBe(EXIT.dataProblems);
    const report = JSON.parse(out);
    expect([report.read, report.accepted, report.rejected, report.alreadyPresent]).toEqual([2, 1, 1, 0]);
    expect(report.skippedChecks.map((s: { rule: string }) => s.rule)).toEqual(['code-icd9', 'institution']);
    // a script (--json) gets the rejects file with the error codes
    expect(readFileSync(rejects, 'utf8')).toContain('E_CODE_INVALID');
  });

  it('runs lists what happened, most recent first', async () => {
    const { out } = await run(['runs'], { json: true });
    const runs = JSON.parse(out) as { command: string; counts: Record<string, number> }[];
    expect(runs.map((r) => r.command)).toEqual(['ingest cases', 'codes import icd10']);
    expect(runs[0]!.counts).toEqual({ read: 2, accepted: 1, rejected: 1, alreadyPresent: 0 });
    const text = await run(['runs'], { lang: 'en' });
    expect(text.out).toContain(
      'ingest settlement lists (cases)  data problems  read 2, accepted 1, rejected 1, already present 0',
    );
    // glossary.md: the counts in zh words, no English key (issue 11).
    const zh = await run(['runs'], { lang: 'zh' });
    expect(zh.out).toContain('导入 结算清单  有数据问题  读取 2，入库 1，拒收 1，已存在 0');
    expect(zh.out).not.toMatch(/read|accepted|rejected|alreadyPresent/);
  });

  it('codes import names a rejected row’s reason in words in zh (no English enum), with its code in en', async () => {
    const list = tmp.file('icd10-bad.csv', 'code,name\nA09.000,肠道感染\n,无编码\n');
    const zh = await run(['codes', 'import', '--kind', 'icd10', list, '--rejects', join(tmp.path, 'r-zh.csv')]);
    expect(zh.out).toContain('  必填项为空 1\n');
    expect(zh.out).not.toMatch(/E_[A-Z]/);
    const en = await run(['codes', 'import', '--kind', 'icd10', list, '--rejects', join(tmp.path, 'r-en.csv')], {
      lang: 'en',
    });
    expect(en.out).toContain('  E_REQUIRED 1 (required field empty)\n');
    // the sample list back, as the tests after this one read it
    await run(['codes', 'import', '--kind', 'icd10', SAMPLE_CODE_LISTS.icd10], { lang: 'en' });
  });

  it('a missing file or an unknown kind are input and usage errors (exit 3 and 2)', async () => {
    await expect(run(['ingest', join(tmp.path, 'nope.csv')], { lang: 'en' })).rejects.toMatchObject({
      exitCode: EXIT.badInput,
      message: expect.stringContaining('file not found'),
    });
    await expect(run(['ingest', file, '--kind', 'bogus'])).rejects.toBeInstanceOf(CliError);
  });
});

describe('R-DATA-1 codes import: own header names, a half-good file (walk5 items 4, 10)', () => {
  it('--columns maps the file’s header names; a file with rejected rows leaves the stored list as it was unless --force', async () => {
    const own = tmp.file('own.csv', 'icd_code,icd_name\nJ18.900,肺炎\nI63.900,脑梗死\n');
    const a = await run(['codes', 'import', '--kind', 'icd10', own, '--columns', 'icd_code=code,icd_name=name']);
    expect([a.code, a.out]).toEqual([EXIT.ok, 'ICD-10 编码库：读取 2 行 = 导入 2 + 拒收 0（替换原有 210 条）\n']);
    const bad = tmp.file('half.csv', 'code,name\nJ18.900,肺炎\nJ18.900,重复\nN20.000,肾结石\n');
    const r = join(tmp.path, 'half.rejects.csv');
    const zh = await run(['codes', 'import', '--kind', 'icd10', bad, '--rejects', r]);
    expect(zh.code).toBe(EXIT.dataProblems);
    expect(zh.out).toContain(
      'ICD-10 编码库：读取 3 行 = 可导入 1 + 拒收 2；编码库未更改（保留原有 2 条）\n' +
        '  有行被拒收，已导入的编码库未替换：请按拒收明细更正后重新导入，或加 --force 只导入通过的 1 行（替换原有 2 条）\n',
    );
    const en = await run(['codes', 'import', '--kind', 'icd10', bad, '--rejects', r], { lang: 'en' });
    expect(en.out).toContain(
      'ICD-10 code list: read 3 rows = importable 1 + rejected 2; the list is unchanged (keeping 2 earlier entries)\n' +
        '  rows were rejected, so the stored list was not replaced: correct them (see the rejects file) and import again, or add --force to import only the 1 row that passes (replacing 2 entries)\n',
    );
    const forced = await run(['codes', 'import', '--kind', 'icd10', bad, '--rejects', r, '--force']);
    expect([forced.code, forced.out.split('\n')[0]]).toEqual([
      EXIT.dataProblems,
      'ICD-10 编码库：读取 3 行 = 导入 1 + 拒收 2（替换原有 2 条）',
    ]);
    // the sample list back, as the tests after this one read it
    await run(['codes', 'import', '--kind', 'icd10', SAMPLE_CODE_LISTS.icd10, '--force']);
  });
});

describe('R-DATA-1 codes import under a title row', () => {
  it('codes import: a list under a title and a blank line reads from its header (line 3) and says so', async () => {
    const titled = tmp.file('icd10-title.csv', `ICD-10 医保版 2.0\n\n${readFileSync(SAMPLE_CODE_LISTS.icd10, 'utf8')}`);
    const { out, code } = await run(['codes', 'import', '--kind', 'icd10', titled]);
    expect(code).toBe(EXIT.ok);
    expect(out).toContain(
      'ICD-10 编码库：读取 210 行 = 导入 210 + 拒收 0（替换原有 210 条）\n  表头在第 3 行，其上的行已跳过：第 1 行“ICD-10 医保版 2.0”\n',
    );
  });
});
