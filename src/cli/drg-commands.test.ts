/**
 * `drg import`, `drg group` and `drg case` through commander, as `yibao` will run them: the conformance set
 * grouped by the command gives the expected results, with one and two worker threads.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { readCaseFile } from '../grouping/drg/reference-cases.ts';
import { REPO_ROOT, requireChsDrg11Reference, requireChsDrg20Reference } from '../grouping/drg/reference-dir.ts';
import { asciiPunctuationInZh } from '../report/zh-punctuation.ts';
import { CliError } from './context.ts';
import { registerDrgCommands } from './drg-commands.ts';

const dir = requireChsDrg11Reference();
const tmp = mkdtempSync(join(tmpdir(), 'yibao-drg-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

async function run(args: string[], lang: 'zh' | 'en' = 'en', json = false): Promise<string> {
  const program = new Command('yibao').exitOverride();
  registerDrgCommands(program, () => ({ lang, json }));
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  await program.parseAsync(['node', 'yibao', ...args]);
  vi.restoreAllMocks();
  return out;
}

function expectedLines(): string[] {
  return readCaseFile(join(dir, 'cases_public.csv')).map(
    (c) => `${c.id},${c.expected!.mdc},${c.expected!.adrg},${c.expected!.drg},${c.expected!.status}`,
  );
}

describe('yibao drg', () => {
  const packFile = join(tmp, 'chs-drg-1.1.json');

  it('drg import writes a pack and reports the reference quirks', async () => {
    const out = await run(['drg', 'import', '--from', dir, '--out', packFile]);
    expect(out).toContain('CHS-DRG 1.1, 26 MDC, 376 ADRG, 628 DRG');
    expect(out).toContain('not in');
  });

  for (const [label, pack, workers] of [
    ['the reference folder, 1 thread', dir, '1'],
    ['the imported pack, 2 worker threads', packFile, '2'],
  ] as const) {
    it(`drg group with ${label}: 3,030 / 3,030 rows as expected`, async () => {
      const outFile = join(tmp, `results-${workers}.csv`);
      const out = await run([
        'drg',
        'group',
        '--pack',
        pack,
        '--in',
        join(dir, 'cases_public.csv'),
        '--out',
        outFile,
        '--workers',
        workers,
      ]);
      // The grouper's statuses in words, not SUCCESS / FAIL / CHECK_FAILED (the output file keeps the codes).
      expect(out).toMatch(/grouped 3,030 cases .* \(grouped 2,874, not groupable 136, input check failed 20\)/);
      expect(out).toMatch(/end to end: [\d,]+ cases\/s/);
      const lines = readFileSync(outFile, 'utf8').trimEnd().split('\n');
      expect(lines[0]).toBe('id,mdc,adrg,drg,status');
      const expected = expectedLines();
      const wrong = lines.slice(1).filter((l, i) => l !== expected[i]);
      expect(wrong).toEqual([]);
    });
  }

  const dir20 = requireChsDrg20Reference();
  const expected20 = () =>
    readCaseFile(join(dir20, 'cases_public.csv')).map(
      (c) => `${c.id},${c.expected!.mdc},${c.expected!.adrg},${c.expected!.drg},${c.expected!.status}`,
    );

  for (const workers of ['1', '2']) {
    it(`drg group defaults to CHS-DRG 2.0: 3,000 / 3,000 public 2.0 cases as expected (${workers} thread(s))`, async () => {
      const outFile = join(tmp, `results20-${workers}.csv`);
      const out = await run([
        'drg',
        'group',
        '--in',
        join(dir20, 'cases_public.csv'),
        '--out',
        outFile,
        '--workers',
        workers,
      ]);
      expect(out).toMatch(/grouped 3,000 cases .*\(grouped 2,635, /);
      if (workers === '1') {
        // zh: the statuses in words and full-width （），(it read "已分组 3,000 例 → … (SUCCESS 2,635, …)").
        const zh = await run(['drg', 'group', '--in', join(dir20, 'cases_public.csv'), '--out', outFile], 'zh');
        expect(zh).toMatch(/已分组 3,000 例 → .*（分组成功 2,635，/);
        expect(asciiPunctuationInZh(zh)).toEqual([]);
      }
      const lines = readFileSync(outFile, 'utf8').trimEnd().split('\n');
      expect(lines[0]).toBe('id,mdc,adrg,drg,status');
      const want = expected20();
      expect(lines.slice(1).filter((l, i) => l !== want[i])).toEqual([]);
    });
  }

  it('drg group reads the settlement-list (4101) column names, in CSV and in Parquet, and writes Parquet', async () => {
    // 2.0 rules (README §9.1 of the 2.0 reference): K80.101 + I50.900 / 51.2300, male, 45 → HC23.
    const inFile = join(tmp, 'setl.csv');
    writeFileSync(
      inFile,
      'setl_id,gend,age,nwb_age,nwb_bir_wt,act_ipt_days,diag_codes,oprn_oprt_codes\n' +
        'JS1,1,45,,,5,K80.101|I50.900,51.2300\nJS2,2,0,20,,3,,\n',
    );
    await run(['drg', 'group', '--pack', 'chs-drg-2.0', '--in', inFile, '--out', join(tmp, 'setl-out.csv')]);
    const want = 'id,mdc,adrg,drg,status\nJS1,MDCH,HC2,HC23,SUCCESS\nJS2,0000,00,0000,NO_DIAGNOSIS\n';
    expect(readFileSync(join(tmp, 'setl-out.csv'), 'utf8')).toBe(want);

    const { DuckDBInstance } = await import('@duckdb/node-api');
    const conn = await (await DuckDBInstance.create(':memory:')).connect();
    const parquetIn = join(tmp, 'setl.parquet');
    const parquetOut = join(tmp, 'setl-out.parquet');
    await conn.run(`COPY (SELECT * FROM read_csv('${inFile}', all_varchar = true)) TO '${parquetIn}' (FORMAT parquet)`);
    const summary = await run(['drg', 'group', '--in', parquetIn, '--out', parquetOut, '--workers', '2'], 'en', true);
    // Empty Parquet values reach the byte path as empty fields (not as quoted "", which would need csv-parse).
    expect(JSON.parse(summary).path).toBe('text');
    const rows = await conn.runAndReadAll(`SELECT * FROM read_parquet('${parquetOut}')`);
    expect(rows.getRows()).toEqual([
      ['JS1', 'MDCH', 'HC2', 'HC23', 'SUCCESS'],
      ['JS2', '0000', '00', '0000', 'NO_DIAGNOSIS'],
    ]);
    conn.closeSync();
  });

  it('drg group names the line whose field count differs from the header', async () => {
    const inFile = join(tmp, 'short.csv');
    writeFileSync(inFile, 'id,sex,age,age_days,birth_weight_g,diagnoses,procedures\n1,1,60,,,I63.900,\n2,1,60\n');
    const p = run(['drg', 'group', '--in', inFile, '--out', join(tmp, 'short-out.csv')]);
    await expect(p).rejects.toThrow(/line 3.*3 fields where the header has 7/);
  });

  it('drg group on 3 threads names the first bad line, though a later range with one finishes first', async () => {
    // About 3 MB: three ranges of ~1 MB. Range 0's bad line is near its end, range 2's near its start, so range 2
    // reports first; the error must still name the first bad line of the file.
    const header = 'id,sex,age,age_days,birth_weight_g,diagnoses,procedures\n';
    const rows = Array.from({ length: 150_000 }, (_, i) => `${i},1,60,,,I63.900,`);
    // Line 50,002 starts past the first MB (the line count reads the file 1 MB at a time).
    rows[50_000] = '50000,1,60';
    rows[102_000] = '102000,1';
    const inFile = join(tmp, 'two-bad.csv');
    writeFileSync(inFile, `${header}${rows.join('\n')}\n`);
    const p = run(['drg', 'group', '--in', inFile, '--out', join(tmp, 'two-bad-out.csv'), '--workers', '3']);
    await expect(p).rejects.toThrow(/line 50002\b.*3 fields where the header has 7/);
  });

  it('drg import into a folder writes pack.json there, which --pack then accepts', async () => {
    const folder = join(tmp, 'packdir');
    mkdirSync(folder);
    await run(['drg', 'import', '--from', dir, '--out', folder]);
    const out = await run(['drg', 'case', '--pack', folder, '--dx', 'I63.900', '--sex', '1', '--age', '60'], 'en');
    expect(out).toContain('DRG BR25');
  });

  it('drg group ignores extra columns and quotes ids that need it', async () => {
    const inFile = join(tmp, 'extra.csv');
    writeFileSync(
      inFile,
      'note,id,sex,age,age_days,birth_weight_g,dept,los,discharge_type,diagnoses,procedures\n' +
        'x,"a,1",1,60,,,,,,I63.900|A01.100,\n',
    );
    await run(['drg', 'group', '--pack', packFile, '--in', inFile, '--out', join(tmp, 'extra-out.csv')]);
    expect(readFileSync(join(tmp, 'extra-out.csv'), 'utf8')).toBe(
      'id,mdc,adrg,drg,status\n"a,1",MDCB,BR2,BR21,SUCCESS\n',
    );
  });

  it('drg group names a missing column', async () => {
    const inFile = join(tmp, 'bad.csv');
    writeFileSync(inFile, 'id,sex,diagnoses\n1,1,I63.900\n');
    const p = run(['drg', 'group', '--pack', packFile, '--in', inFile, '--out', join(tmp, 'bad-out.csv')]);
    await expect(p).rejects.toThrow(CliError);
    await expect(p).rejects.toThrow(/missing column\(s\): age, age_days, birth_weight_g, procedures/);
    // In zh, the Chinese only (it printed "… missing column(s) … / …" whatever --lang said).
    const zh = run(['drg', 'group', '--pack', packFile, '--in', inFile, '--out', join(tmp, 'bad-out.csv')], 'zh');
    await expect(zh).rejects.toThrow(CliError);
    await expect(zh).rejects.not.toThrow(/missing column/);
  });

  it('drg import from a missing file says so', async () => {
    const p = run(['drg', 'import', '--from', join(tmp, 'nope.xlsx'), '--out', join(tmp, 'never.json')]);
    await expect(p).rejects.toThrow(/nope\.xlsx: no such file or folder/);
  });

  it('drg group on a missing pack is a bad-input error', async () => {
    const p = run(['drg', 'group', '--pack', join(tmp, 'nope'), '--in', 'x.csv', '--out', 'y.csv']);
    await expect(p).rejects.toThrow(/no pack or reference folder/);
  });

  it('drg case explains one case in Chinese', async () => {
    const out = await run(
      ['drg', 'case', '--pack', packFile, '--dx', 'I63.900|I60.000|A00.100', '--sex', '1', '--age', '60'],
      'zh',
    );
    expect(out).toContain('进入 MDCB');
    expect(out).toContain('I60.000');
    expect(out).toContain('被排除');
    expect(out).toContain('入组 BR23');
  });

  describe('scheme workbooks (分组方案表格)', () => {
    const sample = join(REPO_ROOT, 'examples/drg-scheme-workbook');

    it('drg export writes an XLSX that drg import turns into a pack, which drg case then uses', async () => {
      const xlsx = join(tmp, 'sample.xlsx');
      const exported = await run(['drg', 'export', '--pack', sample, '--out', xlsx]);
      expect(exported).toMatch(/wrote .*sample\.xlsx \(xlsx\): 示例 0\.1, 13 sheets, \d+ rows/);
      const pack = join(tmp, 'sample-pack.json');
      const imported = await run(['drg', 'import', '--from', xlsx, '--out', pack]);
      expect(imported).toContain('示例 0.1, 4 MDC, 8 ADRG, 16 DRG');
      const out = await run(
        ['drg', 'case', '--pack', pack, '--dx', 'I21.000|J96.000', '--sex', '1', '--age', '65'],
        'zh',
      );
      expect(out).toContain('入组 FR31');
    });

    it('drg group reads a CSV-folder workbook directly', async () => {
      const inFile = join(tmp, 'wb-cases.csv');
      writeFileSync(
        inFile,
        'id,sex,age,age_days,birth_weight_g,dept,los,discharge_type,diagnoses,procedures\n' +
          'c1,1,65,,,,5,1,I21.900|J18.900,\nc2,1,30,,,,3,1,S01.800x031|S21.101,\n',
      );
      const outFile = join(tmp, 'wb-results.csv');
      await run(['drg', 'group', '--pack', sample, '--in', inFile, '--out', outFile]);
      expect(readFileSync(outFile, 'utf8')).toBe(
        'id,mdc,adrg,drg,status\nc1,MDCF,FR3,FR33,SUCCESS\nc2,MDCZ,ZZ1,ZZ15,SUCCESS\n',
      );
    });

    it('a faulty workbook is a bad-input error naming the sheet, row and column', async () => {
      const bad = join(tmp, 'bad-workbook');
      mkdirSync(bad);
      await run(['drg', 'export', '--pack', sample, '--out', bad]);
      writeFileSync(join(bad, '不作为主诊.csv'), '诊断编码,诊断名称\nZ51.100,为肿瘤化学治疗疗程\n');
      const ok = await run(['drg', 'import', '--from', bad, '--out', join(tmp, 'with-extra.json')]);
      expect(ok).toContain('sheets not read (not part of the workbook layout): 不作为主诊');
      const drg = readFileSync(join(bad, 'DRG.csv'), 'utf8').replace(
        'FR33,急性心肌梗死，伴一般并发症或合并症,FR3,伴并发症或合并症',
        'FR33,急性心肌梗死，伴一般并发症或合并症,FR3,伴CC',
      );
      writeFileSync(join(bad, 'DRG.csv'), drg);
      const p = run(['drg', 'import', '--from', bad, '--out', join(tmp, 'never.json')]);
      await expect(p).rejects.toThrow(CliError);
      await expect(p).rejects.toThrow(/bad-workbook: DRG, row 11, 细分条件: unknown split "伴CC"/);
    });
  });

  it('drg compare: a local edit of CHS-DRG 1.1 (GZ1 without its CC split) moves exactly the GZ13 cases to GZ15', async () => {
    // Remove GZ13 (伴一般并发症或合并症): a case that met its split had a CC but no MCC (GZ11 is tried first), so it
    // now falls through to GZ15, the unconditional last DRG. Every other case keeps its result.
    const national = join(tmp, 'chs-drg-1.1-workbook');
    const local = join(tmp, 'local-workbook');
    await run(['drg', 'export', '--pack', dir, '--out', national]);
    await run(['drg', 'export', '--pack', dir, '--out', local]);
    const drgSheet = readFileSync(join(local, 'DRG.csv'), 'utf8').split('\n');
    writeFileSync(join(local, 'DRG.csv'), drgSheet.filter((l) => !l.startsWith('GZ13,')).join('\n'));
    const gz13 = readCaseFile(join(dir, 'cases_public.csv')).filter((c) => c.expected!.drg === 'GZ13');
    expect(gz13).toHaveLength(18);

    const changes = join(tmp, 'changes.csv');
    const transitions = join(tmp, 'transitions.csv');
    const cases = join(dir, 'cases_public.csv');
    const args = ['drg', 'compare', '--from', national, '--to', local, '--in', cases, '--out', changes];
    const out = await run([...args, '--transitions', transitions]);
    expect(out).toContain('compared 3,030 cases');
    expect(out).toContain('same result: 3,012 (99.4 %)');
    expect(out).toContain('other DRG, same ADRG: 18 (0.6 %)');
    expect(out).toContain('other ADRG: 0 (0.0 %)');
    expect(out).toContain('GZ13 → GZ15 18');
    const lines = readFileSync(changes, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('id,from_mdc,from_adrg,from_drg,from_status,to_mdc,to_adrg,to_drg,to_status,change');
    expect(lines.slice(1)).toEqual(gz13.map((c) => `${c.id},MDCG,GZ1,GZ13,SUCCESS,MDCG,GZ1,GZ15,SUCCESS,drg`));
    expect(readFileSync(transitions, 'utf8')).toBe('from_drg,to_drg,cases\nGZ13,GZ15,18\n');
  });
});
