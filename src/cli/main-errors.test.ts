// Errors about the user's input are one sentence in the language asked for (--lang), with the exit code scripts
// rely on; before, zh output showed "English / 中文" and a missing policy folder was an internal stack trace.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { PolicyError } from '../policy/errors.ts';
import { SettlementError } from '../settlement/errors.ts';
import { StoreError } from '../store/errors.ts';
import { EXIT, errorText, noStoreError } from './context.ts';
import { localMessage, main } from './main.ts';

const tmp = mkdtempSync(join(tmpdir(), 'yibao-main-errors-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

async function run(args: string[], db = join(tmp, 'x.duckdb')) {
  let err = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    err += String(s);
    return true;
  });
  const code = await main(['node', 'yibao', '--db', db, ...args]);
  vi.restoreAllMocks();
  return { code, err };
}

describe('CLI errors in the user language', () => {
  it('settle with a missing policy folder: exit 3, a zh sentence without English, no stack trace', async () => {
    const { code, err } = await run(['settle', '--year', '2025', '--policies', join(tmp, 'nowhere')]);
    expect(code).toBe(EXIT.badInput);
    expect(err).toContain('找不到政策文件目录');
    expect(err).not.toContain('not found');
    expect(err).not.toContain('    at ');
  });

  it('the same in English with --lang en', async () => {
    const { code, err } = await run(['--lang', 'en', 'settle', '--year', '2025', '--policies', join(tmp, 'nowhere')]);
    expect(code).toBe(EXIT.badInput);
    expect(err).toContain('policy folder not found');
    expect(err).not.toContain('找不到');
  });

  it('localMessage keeps the place (file, field, subject) and the valid example', () => {
    const p = new PolicyError('X', 'a.yaml', 'values.k', '值不对', 'bad value', 'k: 1');
    expect(localMessage(p, 'zh')).toBe('a.yaml: values.k: 值不对\n  正确示例：\n    k: 1');
    expect(localMessage(p, 'en')).toBe('a.yaml: values.k: bad value\n  valid example:\n    k: 1');
    expect(localMessage(new SettlementError('Y', '不在池中', 'not in the pool', 'H1'), 'zh')).toBe('H1: 不在池中');
  });

  it('a command that reads a store, with no store at --db: exit 3, says so and what to run, creates nothing', async () => {
    const view = join(tmp, 'view.csv');
    writeFileSync(view, 'setl_id,amount\nA,1\n');
    const db = join(tmp, 'none.duckdb');
    for (const args of [
      ['hospital', 'reconcile', '--run', 'R', '--in', view],
      ['community', 'settle', '--year', '2025'],
      ['runs'],
      ['runs', '--settlements'],
      ['explain', 'case', 'S1'], // was "…: 存储文件不存在" alone, without what to run or where the demo's store is
      ['explain', 'settlement', 'H1'],
    ]) {
      const zh = await run(args, db);
      expect(zh.code, args.join(' ')).toBe(EXIT.badInput);
      expect(zh.err).toContain(`${db} 处没有存储（文件不存在）`);
      expect(zh.err).toMatch(/请先运行 yibao (settle|demo)/);
      expect(zh.err).toContain('--db data/demo.duckdb');
      expect(zh.err).not.toMatch(/[a-z]{4,} [a-z]{4,} [a-z]{4,}/); // no English sentence
      const en = await run(['--lang', 'en', ...args], db);
      expect(en.code).toBe(EXIT.badInput);
      expect(en.err).toContain(`there is no store at ${db}`);
      expect(en.err).not.toMatch(/\p{Script=Han}/u);
      expect(existsSync(db)).toBe(false);
    }
  });

  // `--store chdb://:memory: runs` said 存储结构版本 0 早于本程序的 12 (and `--db :memory:` DuckDB's English
  // "Cannot launch in-memory database in read-only mode!"): a store in memory starts empty, there is nothing to list.
  // walk6 #8: `settle` on a store in memory said "no history years" (测算年度 … 内没有可用的历史病例), `community settle`
  // "no settlement run of the year", where runs and monitor say the store in memory holds nothing.
  it('runs, monitor, settle, dip, community settle on a store in memory (chdb://:memory:, :memory:): exit 3, one line saying it holds nothing', async () => {
    for (const db of ['chdb://:memory:', ':memory:']) {
      for (const args of [
        ['runs'],
        ['runs', '--settlements'],
        ['monitor', 'run', '--year', '2025'],
        ['settle', '--year', '2025'],
        ['settle', '--year', '2025', '--what-if'],
        ['dip', 'settle', '--region', 'demo', '--year', '2025'],
        ['dip', 'calibrate', '--region', 'demo', '--year', '2025'],
        ['community', 'settle', '--year', '2025'],
      ]) {
        const zh = await run(args, db);
        expect([zh.code, zh.err]).toEqual([
          EXIT.badInput,
          `${db} 是内存中的存储，每次运行都从空开始，没有可读取的内容；请用 --db 文件或 --store chdb://文件夹 指定已有的存储\n`,
        ]);
        const en = await run(['--lang', 'en', ...args], db);
        expect([en.code, en.err]).toEqual([
          EXIT.badInput,
          `${db} is a store in memory: each run starts it empty, so there is nothing to read; give --db FILE or --store chdb://FOLDER an existing store\n`,
        ]);
      }
    }
  });

  // Errors turned into CLI errors kept "English / 中文" (explain settlement, serve, monitor, settle, drg).
  it('errorText: an error in the reader’s language — its text(lang), else its zh / en, else its message', () => {
    const store = new StoreError('X', 'a.duckdb', '被占用', 'in use');
    expect([errorText(store, 'zh'), errorText(store, 'en')]).toEqual(['a.duckdb: 被占用', 'a.duckdb: in use']);
    const settlement = new SettlementError('Y', '池中没有机构 H9', 'no institution H9', 'P');
    expect([errorText(settlement, 'zh'), errorText(settlement, 'en')]).toEqual([
      '池中没有机构 H9',
      'no institution H9',
    ]);
    expect(errorText(new Error('plain'), 'zh')).toBe('plain');
  });

  // A new user with no demo read "yibao demo 的存储是 data/demo.duckdb：加 --db data/demo.duckdb": a missing file.
  it('the demo store is offered with --db only once it exists; else it says it is not there yet', () => {
    const missing = join(tmp, 'no-demo.duckdb');
    const zh = noStoreError({ db: 'data/yibao.duckdb', lang: 'zh' }, { zh: '请先导入', en: 'ingest first' }, missing);
    expect(zh.message).toContain(
      `（yibao demo 的存储是 ${missing}，目前还没有：运行 yibao demo 之后才可加 --db ${missing}）`,
    );
    const en = noStoreError({ db: 'data/yibao.duckdb', lang: 'en' }, { zh: '请先导入', en: 'ingest first' }, missing);
    expect(en.message).toContain(`not there yet: add --db ${missing} after running yibao demo`);
    const present = join(tmp, 'demo-here.duckdb');
    writeFileSync(present, '');
    expect(noStoreError({ db: 'x.duckdb', lang: 'zh' }, { zh: 'a', en: 'a' }, present).message).toContain(
      `，它已存在：加 --db ${present}）`,
    );
  });

  // A new user who ran `yibao demo` and then `yibao settle --year 2025` without --db got an empty data/yibao.duckdb
  // and "测算年度 2022、2023、2024 内没有可用的历史病例…": the store was missing, not the history.
  it('settle with no store at --db: exit 3, says so, what to run and where the demo store is; creates nothing', async () => {
    const db = join(tmp, 'settle-none.duckdb');
    const out = join(tmp, 'settle-none-out');
    const zh = await run(['settle', '--year', '2025', '--out', out], db);
    expect(zh.code).toBe(EXIT.badInput);
    expect(zh.err).toContain(`${db} 处没有存储（文件不存在）。结算读取已入库的结算清单，请先用 yibao ingest 导入`);
    expect(zh.err).toContain('--db data/demo.duckdb');
    const en = await run(['--lang', 'en', 'settle', '--year', '2025', '--out', out], db);
    expect(en.err).toContain(`there is no store at ${db}`);
    expect(en.err).not.toMatch(/\p{Script=Han}/u);
    expect(existsSync(db)).toBe(false);
    expect(existsSync(out)).toBe(false);
  });

  // walk5 #2: a chdb:// folder that does not exist was "schema version 0 is older than 12; open it once for writing"
  // (and the read made nosuch/folder/tmp); settle made an empty chDB store, then said the history years were empty.
  it('a chdb:// folder that does not exist: the same "no store here" as DuckDB, and nothing made', async () => {
    const folder = join(tmp, 'no-chdb', 'folder');
    const db = `chdb://${folder}`;
    const out = join(tmp, 'no-chdb-out');
    for (const args of [
      ['runs', '--settlements'],
      ['explain', 'case', 'X'],
      ['monitor', 'check', 'S1'],
      ['settle', '--year', '2025', '--out', out],
    ]) {
      const zh = await run(['--store', db, ...args]);
      expect(zh.code).toBe(EXIT.badInput);
      expect(zh.err).toContain(`${db} 处没有存储（文件夹不存在）。`);
      expect(zh.err).toContain('，或用 --store 指定已有的存储');
      const en = await run(['--lang', 'en', '--store', db, ...args]);
      expect(en.err).toContain(`there is no store at ${db} (no such folder).`);
      expect(en.err).toContain('or give --store an existing store');
      expect(en.err).not.toMatch(/\p{Script=Han}/u);
    }
    expect(existsSync(join(tmp, 'no-chdb'))).toBe(false);
    expect(existsSync(out)).toBe(false);
  });

  // walk5 #8: `--store clickhous://x` and `mysql://x/y` were looked for as DuckDB files ("no store here").
  it('a misspelt store scheme: exit 3, unknown scheme with did-you-mean, nothing made', async () => {
    const cwd = process.cwd();
    process.chdir(tmp);
    try {
      const zh = await run(['--store', 'clickhous://x', 'runs']);
      expect(zh.code).toBe(EXIT.badInput);
      expect(zh.err).toMatch(/^clickhous:\/\/x: 未知的存储地址类型 clickhous:\/\/，是否想写 clickhouse:\/\/？/);
      const en = await run(['--lang', 'en', '--store', 'mysql://x/y', 'settle', '--year', '2025']);
      expect(en.code).toBe(EXIT.badInput);
      expect(en.err).toMatch(/^mysql:\/\/x\/y: unknown store scheme mysql:\/\/, did you mean clickhouse:\/\/\?/);
      expect(existsSync(join(tmp, 'clickhous:'))).toBe(false);
      expect(existsSync(join(tmp, 'mysql:'))).toBe(false);
    } finally {
      process.chdir(cwd);
    }
  });

  // The demo now writes its statements as a set swapped into --out: `demo --out .` is refused at once (exit 3), not
  // after a minute of generating and settling the region.
  it('demo --out . (the working folder): refused before any work, nothing written', async () => {
    const own = mkdtempSync(join(tmpdir(), 'yibao-demo-here-'));
    const cwd = process.cwd();
    process.chdir(own);
    try {
      const { code, err } = await run(['demo', '--out', '.', '--cases', '1000'], join(own, 'd.duckdb'));
      expect(code).toBe(EXIT.badInput);
      expect(err).toContain('不能把输出写到当前文件夹或它的上级文件夹');
      expect(readdirSync(own)).toEqual([]);
    } finally {
      process.chdir(cwd);
      rmSync(own, { recursive: true, force: true });
    }
  });
});

describe('usage errors in the user language, with an example (usage-errors.ts)', () => {
  it('estimate without --published: zh names the option with what it is and an example, no English', async () => {
    const { code, err } = await run(['estimate']);
    expect(code).toBe(EXIT.usage);
    expect(err).toContain('缺少必需的选项 --published（公布的付费参数目录）');
    expect(err).toContain('例如：yibao estimate --published examples/hospital/dip'); // run inside yibao's folder
    expect(err).toContain('全部选项：yibao estimate --help');
    expect(err).not.toContain('required option');
    expect(err).not.toMatch(/specified|Usage|Options|folder/); // no English (and not the bilingual help)
  });

  it('the same in English with --lang en: no Chinese', async () => {
    const { code, err } = await run(['--lang', 'en', 'estimate']);
    expect(code).toBe(EXIT.usage);
    expect(err).toContain('missing required option --published (folder of the published parameters)');
    expect(err).toContain('for example: yibao estimate --published examples/hospital/dip');
    expect(err).not.toMatch(/\p{Script=Han}/u);
  });

  // A new user in their own folder read "yibao estimate --published examples/hospital/dip" and could not run it: that
  // folder exists only inside yibao's. From any other folder the example names the shipped folder by its full path.
  it("from a folder of the user's own, the example folders are the shipped ones by full path, and they exist", async () => {
    const own = mkdtempSync(join(tmpdir(), 'yibao-own-folder-'));
    const cwd = process.cwd();
    process.chdir(own);
    try {
      const zh = await run(['estimate']);
      const published = /例如：yibao estimate --published (\S+)/.exec(zh.err)?.[1];
      expect(published, zh.err).toBeDefined();
      expect(isAbsolute(published!)).toBe(true);
      expect(existsSync(join(published!, 'published.yaml'))).toBe(true);
      const en = await run(['--lang', 'en', 'hospital', 'settle']);
      expect(en.err).toContain(`for example: yibao hospital settle --published ${published} --in cases.csv`);
      const from = /--from (\S+)/.exec((await run(['drg', 'import'])).err)?.[1];
      expect(isAbsolute(from!)).toBe(true);
      expect(existsSync(join(from!, 'DRG.csv'))).toBe(true); // the scheme workbook (CSV folder) drg import reads
    } finally {
      process.chdir(cwd);
      rmSync(own, { recursive: true, force: true });
    }
  });

  it('every command: a missing required option or argument is named in zh and en with a complete example', async () => {
    const { buildProgram } = await import('./main.ts');
    const { exampleCall } = await import('./usage-errors.ts');
    const program = await buildProgram();
    const required: string[] = [];
    const visit = (c: typeof program) => {
      const opts = c.options.filter((o) => o.mandatory);
      const args = c.registeredArguments.filter((a) => a.required);
      if (opts.length + args.length > 0) {
        const example = exampleCall(c);
        // Every required option and argument has an example value, not its placeholder.
        expect(example, example).not.toMatch(/<[^>]+>/);
        required.push(example);
      }
      for (const sub of c.commands) visit(sub);
    };
    visit(program);
    expect(required).toContain('yibao drg group --in cases.csv --out results.csv');
    expect(required).toContain('yibao explain case S2025001');
    const zh = await run(['explain', 'case']);
    expect(zh.code).toBe(EXIT.usage);
    expect(zh.err).toContain('缺少参数 <setl_id>（结算ID）');
    expect(zh.err).toContain('例如：yibao explain case S2025001');
    const en = await run(['--lang', 'en', 'settle', '--year']);
    expect(en.err).toContain('option --year (settlement year) needs a value');
    expect(en.err).not.toMatch(/\p{Script=Han}/u);
  });

  // A new user typed `yibao ingest` and read "缺少参数 <file>（输入文件 CSV/Parquet/XLSX/4101 JSON（或数据类型，后跟文件）/
  // input file (or the kind, then the file)）" and "例如：yibao ingest weights.csv" (the weights table's example).
  it('ingest, qc and codes import without a file: the argument in one language, an example of their own', async () => {
    const { describeIn } = await import('./usage-errors.ts');
    expect(describeIn('输入文件 CSV/XLSX（或数据类型，后跟文件）/ input file (or the kind)', 'zh')).toBe(
      '输入文件 CSV/XLSX',
    );
    expect(describeIn('输入文件 CSV/XLSX（或数据类型，后跟文件）/ input file (or the kind)', 'en')).toBe('input file');
    expect(describeIn('结算年度 / settlement year', 'en')).toBe('settlement year');
    const zh = await run(['ingest']);
    expect(zh.code).toBe(EXIT.usage);
    expect(zh.err).toContain('缺少参数 <file>（输入文件 CSV/Parquet/XLSX/4101 JSON）\n例如：yibao ingest cases.csv\n');
    expect(zh.err).not.toMatch(/[A-Za-z]+ file|weights/);
    const en = await run(['--lang', 'en', 'qc']);
    expect(en.err).toContain('missing argument <file> (input file)\nfor example: yibao qc cases.csv\n');
    expect(en.err).not.toMatch(/\p{Script=Han}/u);
    expect((await run(['codes', 'import'])).err).toContain('例如：yibao codes import icd10.csv --kind icd10');
  });

  it('an unknown option names the nearest one in the user language', async () => {
    const zh = await run(['settle', '--year', '2025', '--inpatinet', 'dip']);
    expect(zh.code).toBe(EXIT.usage);
    expect(zh.err).toContain('未知选项 --inpatinet（是否想用 --inpatient？）');
    const en = await run(['--lang', 'en', 'settle', '--year', '2025', '--inpatinet', 'dip']);
    expect(en.err).toContain('unknown option --inpatinet (did you mean --inpatient?)');
  });
});

describe('a policy file with a YAML syntax error', () => {
  // A new user's edit of the template's budget (an indented line left under a one-line value) read
  // "…: line 14: YAML/JSON 语法错误（第 14 行）…" with "line" in zh and a DIP header as the "正确示例" of a settlement file.
  it('names the line once in the user language and shows the file’s own lines there', async () => {
    const { parsePolicy } = await import('../policy/loader.ts');
    const { POLICY_KINDS } = await import('../policy/kinds/index.ts');
    const text = [
      'kind: dip-settlement',
      'region: city01',
      'id: x',
      'version: "1"',
      'title: t',
      'effective: { from: 2025-01-01, to: 2025-12-31 }',
      'values:',
      '  budget:',
      '    value: { method: given, amount: 200000 }',
      '      method: items',
      '    source: "002 四(一)"',
    ].join('\n');
    let err: PolicyError | undefined;
    try {
      parsePolicy(text, 'policies/dip-settlement-2025.yaml', POLICY_KINDS);
    } catch (e) {
      err = e as PolicyError;
    }
    expect(err).toBeInstanceOf(PolicyError);
    const zh = localMessage(err!, 'zh');
    expect(zh).toMatch(/^policies\/dip-settlement-2025\.yaml: YAML\/JSON 语法错误（第 10 行）/);
    expect(zh).toContain('\n  > 10 |       method: items');
    expect(zh).toContain('\n     9 |     value: { method: given, amount: 200000 }');
    expect(zh).not.toMatch(/line \d|正确示例|kind: dip\n/);
    const en = localMessage(err!, 'en');
    expect(en).toMatch(/^policies\/dip-settlement-2025\.yaml: syntax error \(line 10\)/);
    expect(en).toContain('  > 10 |       method: items');
  });
});

it('a missing policy is one sentence without the "(kind @ region)" placeholder', async () => {
  const { PolicySet } = await import('../policy/registry.ts');
  let err: PolicyError | undefined;
  try {
    new PolicySet([]).fileFor('drg', 'city01', '2025-01-01');
  } catch (e) {
    err = e as PolicyError;
  }
  expect(localMessage(err!, 'zh')).toMatch(/^没有地区 city01 在 2025-01-01 生效的/);
  expect(localMessage(err!, 'en')).toMatch(/^no drg policy for region city01/);
});

describe('a command stopped by a policy file lists every error of it and how to check it (walk2 #7)', () => {
  it('settle --policies with two mistakes in one file: both, each with its example, then yibao policy check FILE', async () => {
    const { cpSync, readFileSync } = await import('node:fs');
    const dir = join(tmp, 'broken');
    cpSync(new URL('../../policies/demo', import.meta.url), join(dir, 'demo'), { recursive: true });
    const file = join(dir, 'demo', 'dip-settlement-2025.yaml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8')
        .replace('to: 2025-12-31 }', 'to: 2025-02-30 }')
        .replace('growthRate: 0.05', 'growthRat: 0.10'),
    );
    const zh = await run(['settle', '--year', '2025', '--policies', dir]);
    expect(zh.code).toBe(EXIT.badInput);
    expect(zh.err).toContain(
      `${file}: effective.to: 应为真实的日历日期 YYYY-MM-DD\n  正确示例：\n    kind: dip-settlement\n`,
    );
    expect(zh.err).toContain(`${file}: values.budget.value.growthRat: 未知的键 "growthRat"，是否应为 "growthRate"？`);
    expect(zh.err).toContain(`此文件共 2 处错误；改正后可先检查：yibao policy check ${file}`);
    expect(zh.err).not.toMatch(/格式不符|valid example/);
    const en = await run(['--lang', 'en', 'settle', '--year', '2025', '--policies', dir]);
    expect(en.err).toContain('unknown key "growthRat"; did you mean "growthRate"?');
    expect(en.err).toContain('  valid example:\n');
    expect(en.err).toContain(`2 errors in this file; after correcting it, check it with: yibao policy check ${file}`);
    expect(en.err).not.toMatch(/[\u4e00-\u9fff]{2}.*：|\uFF1A/u);
  });
});
