/**
 * A new user's settlement with a DIP history year missing: the warning (R-DIP-2, DIP 技术规范 前三年 1:2:7 加权 — the
 * missing year's weight goes to the others, renormalised) was printed once by `settle` and then nowhere: `runs`,
 * `runs --settlements` and the statement's summary did not show it. Now it is kept with the run and shown by each,
 * zh and en. Run as a user would, in an empty folder: init, ingest (2022 and 2024 only), settle. Then a policy what-if
 * (`settle --what-if` from a copy of the folder with one value changed): its statements say on every sheet and CSV
 * that they are a simulation, not issued, and it counts the unchanged files among those the run applied.
 *
 * Hand-computed: historyYears 2022–2024 weights 1:2:7 (the template), 2023 without cases → 1:7 renormalised to
 * 1 ÷ 8 = 12.5% and 7 ÷ 8 = 87.5%.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = new URL('../../bin/yibao.js', import.meta.url).pathname;
const exec = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'yibao-settle-warnings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function yibao(...args: string[]): Promise<string> {
  const r = await exec(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return `${r.stdout}${r.stderr}`;
}

const ZH =
  'DIP 历史年度 2023（权重 2）没有病例：病种分值与年初点值只按有病例的年度 2022、2024 测算，权重 1:7 重新归一为 2022 12.5%、2024 87.5%';
const EN =
  'DIP history year(s) 2023 (weight 2) have no cases: the scores and the opening point value are calibrated from 2022, 2024 only, the weights 1:7 renormalised to 2022 12.5%, 2024 87.5%';

let settled = '';
beforeAll(async () => {
  writeFileSync(
    join(dir, 'institutions.csv'),
    '医疗机构编码,机构名称,医院等级,机构类型,所属区县\nH1,市第一人民医院,3,general,150101\nH2,市第二人民医院,3,general,150102\n',
  );
  const rows: string[] = [];
  const add = (inst: string, year: number, month: number) => {
    const n = String(rows.length + 1).padStart(3, '0');
    const d = (x: number) => `${year}-${String(month).padStart(2, '0')}-${String(x).padStart(2, '0')}`;
    rows.push(
      `S${year}${n},M${n},P${n},${inst},310,1,${year - 40}-01-01,40,${d(10)},${d(14)},4,1,K35.800,47.0100,10000.00,7000.00,3000.00,3000.00`,
    );
  };
  for (const year of [2022, 2024, 2025]) for (let i = 0; i < 4; i++) add(i % 2 ? 'H1' : 'H2', year, 3 + i);
  writeFileSync(
    join(dir, 'cases.csv'),
    `结算ID,就诊ID,人员编号,医疗机构编码,险种类型,性别,出生日期,年龄,入院日期,出院日期,住院天数,离院方式,主要诊断,主要手术,医疗总费用,统筹基金支付,个人自付,现金支付\n${rows.join('\n')}\n`,
  );
  await yibao('init', 'city01', '--year', '2025', '--out', 'policies');
  await yibao('ingest', 'institutions', 'institutions.csv', '--policy', 'policies/qc-2025.yaml');
  await yibao('ingest', 'cases', 'cases.csv', '--policy', 'policies/qc-2025.yaml');
  settled = await yibao('settle', '--year', '2025', '--out', 'out');
}, 120_000);

describe('R-DIP-2 the missing-history-year warning is kept with the run and shown where the run is read', () => {
  it('settle prints it once', () => {
    expect(settled.split('\n').filter((l) => l.includes('历史年度 2023'))).toHaveLength(1);
    expect(settled).toContain(`  ! ${ZH}`);
  });
  it('runs --settlements and runs: under the run, zh and en', async () => {
    expect(await yibao('runs', '--settlements')).toContain(`    ! ${ZH}`);
    expect(await yibao('--lang', 'en', 'runs', '--settlements')).toContain(`    ! ${EN}`);
    const log = await yibao('runs', '--limit', '3');
    expect(log.split('\n').filter((l) => l.includes('历史年度 2023'))).toEqual([
      expect.stringContaining(`    ! ${ZH}`),
    ]);
    const json = JSON.parse(await yibao('--json', 'runs', '--settlements')) as { warnings?: { code: string }[] }[];
    // The template's example budget is far above last year's payment: its warning is kept too, before it; and the
    // year-end point value it gives is far from the opening one (pointValueChange), listed after the run's own.
    expect(json[0]!.warnings?.map((w) => w.code)).toEqual([
      'BUDGET_HIGH',
      'HISTORY_YEAR_MISSING',
      'POINT_VALUE_CHANGE',
    ]);
  }, 60_000);
  it('the statement’s summary (统筹区汇总, its CSV): a 警示 row of each after the region and year', () => {
    const lines = readFileSync(join(dir, 'out', 'dip', 'city01-dip-2025-region.csv'), 'utf8').split('\r\n');
    expect(lines[3]).toMatch(/^警示：基金预算 .* 超过上年度基金支付 /);
    expect(lines[4]!.startsWith(`警示：${ZH}`)).toBe(true);
  });
});

describe('settle --what-if: statements marked as a simulation, the unchanged files counted among those applied', () => {
  let out = '';
  beforeAll(async () => {
    cpSync(join(dir, 'policies'), join(dir, 'whatif'), { recursive: true });
    const f = join(dir, 'whatif', 'dip-settlement-2025.yaml');
    writeFileSync(f, readFileSync(f, 'utf8').replace('quotaRatio: 0.9', 'quotaRatio: 0.8'));
    out = await yibao('settle', '--year', '2025', '--policies', 'whatif', '--what-if');
  }, 120_000);
  it('the other file is the run’s other applied file (dip-2025.yaml), not the folder’s other three', () => {
    // The folder holds four files (dip, dip-settlement, payment-mix, qc); the run applied dip and dip-settlement.
    expect(out).toContain('  本次结算所用的其余 1 个政策文件内容相同：dip-2025.yaml（读自 whatif，上次读自 policies）');
    expect(out).toContain('这些报表是模拟测算（未发布）');
  });
  it('every CSV and the JSON Lines name ends in -simulation; every workbook opens on 模拟测算（未发布）, each sheet title begins with it', async () => {
    const folder = join(dir, 'out', 'what-if', 'dip');
    const csvs = readdirSync(folder).filter((f) => f.endsWith('.csv'));
    // The statements' seven and the per-institution comparison with the issued run (walk7 #11).
    expect(csvs.length).toBe(8);
    for (const c of csvs) expect(c).toMatch(/-simulation\.csv$/);
    // The per-case JSON Lines file too (it was city01-dip-2025-cases.jsonl, unmarked).
    expect(readdirSync(folder).filter((f) => f.endsWith('.jsonl'))).toEqual(['city01-dip-2025-cases-simulation.jsonl']);
    for (const book of ['city01-dip-2025.xlsx', 'institutions/H1.xlsx']) {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(join(folder, book));
      const names = wb.worksheets.map((w) => w.name);
      expect(names[0], book).toBe('模拟测算（未发布）');
      for (const n of names.slice(1)) expect(n, book).toMatch(/^模拟测算（未发布）/);
      expect(wb.worksheets[0]!.getCell('B2').text).toContain('不作为结算、拨付依据');
    }
    const json = JSON.parse(readFileSync(join(folder, 'city01-dip-2025.json'), 'utf8')) as {
      simulation?: { zh: string };
    };
    expect(json.simulation?.zh).toBe('模拟测算（未发布）');
  });
  it('settle names the change and the per-institution comparison file (walk7 #11)', () => {
    expect(out).toContain('  政策改动：区域总额预算与结算 · 预结算点值 · 月度预结算总额比例：0.9（90%） → 0.8（80%）');
    expect(out).toContain('  各机构对比：out/what-if/dip/city01-dip-2025-comparison-simulation.csv');
    const lines = readFileSync(join(dir, 'out', 'what-if', 'dip', 'city01-dip-2025-comparison-simulation.csv'), 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines.map((l) => l.split(',')[0])).toEqual(['机构编码', expect.any(String), expect.any(String)]);
  });
  // walk7 #1: explain of a what-if run read like an issued statement (no mark, the run not named as a what-if).
  it('explain settlement and case of the what-if run: the 模拟测算（未发布） mark, the issued run and the change, zh and en', async () => {
    const w = /政策模拟运行 (\S+)（对比已发布的结算运行 (\S+)；/.exec(out)!;
    const [, run, base] = w;
    const zh = await yibao('explain', 'settlement', 'H1', '--run', run!);
    expect(zh.split('\n').slice(0, 3)).toEqual([
      `模拟测算（未发布）：政策模拟运行 ${run}，对比已发布的结算运行 ${base}（仍在用）；不是经办机构发出的结算单，不作为结算、拨付依据`,
      '  政策改动：区域总额预算与结算 · 预结算点值 · 月度预结算总额比例：0.9（90%） → 0.8（80%）',
      '  以下条款原文中的数值是现行政策的值，计算用的是改动后的值',
    ]);
    const en = await yibao('--lang', 'en', 'explain', 'case', 'S2025009', '--run', run!);
    expect(en.split('\n')[0]).toBe(
      `simulation, not issued: policy what-if run ${run}, compared with the issued run ${base} (still in force); not a statement the agency issued, and no basis for any payment`,
    );
    expect(en).toContain(
      '  policy change: regional budget and settlement · pre-settlement point value · monthly pre-settlement share: 0.9 (90%) → 0.8 (80%)',
    );
    const json = JSON.parse(await yibao('--json', 'explain', 'settlement', 'H1', '--run', run!));
    expect([json.simulation.zh, json.simulation.baseRunId]).toEqual(['模拟测算（未发布）', base]);
    // The issued run's explanation carries no mark.
    expect(await yibao('explain', 'settlement', 'H1')).not.toContain('模拟测算');
  }, 60_000);
  it('the issued run’s statements are not marked', () => {
    const issued = readdirSync(join(dir, 'out', 'dip')).filter((f) => f.endsWith('.csv'));
    expect(issued.some((f) => f.includes('simulation'))).toBe(false);
  });
});
