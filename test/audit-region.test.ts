/**
 * The audit's hand region (an engineer who did not read the code computed every figure from the clauses first):
 * policies from `yibao init`, a few typed cases over the history years 2022–2024 and the settlement year 2025, then
 * `ingest` / `settle` as a new user types them in an empty folder outside the repository. DIP: scores (R-DIP-2), level
 * coefficients and a primary-care group without one (R-DIP-5), low-cost, high-cost and special-review bounds (R-DIP-3),
 * opening and year-end point values, monthly pre-settlement, year-end amount and clearing (R-DIP-6). DRG: RW, level
 * coefficients, low outlier paid by items and high outlier standard + excess in a pool whose base rate comes from the
 * budget (R-PAY-DRG).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { CHS_DRG_20_REFERENCE_DIR } from '../src/grouping/drg/reference-dir.ts';
import { SETTLED_AMOUNT } from '../src/report/labels.ts';

const BIN = join(new URL('..', import.meta.url).pathname, 'bin', 'yibao.js');
const exec = promisify(execFile);
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function yibao(dir: string, line: string): Promise<string> {
  const r = await exec(process.execPath, [BIN, ...line.split(/\s+/)], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
  return `${r.stdout}${r.stderr}`;
}

const HEADER =
  '结算ID,就诊ID,人员编号,医疗机构编码,险种类型,性别,出生日期,年龄,入院日期,出院日期,住院天数,离院方式,主要诊断,主要手术,医疗总费用,统筹基金支付,个人自付,现金支付';
type Row = [id: string, inst: string, year: number, month: number, group: 'A' | 'P', cost: number, fund: number];

/** History: A (appendicitis with its operation) and P (pneumonia, conservative) at H1 (level 3) and H2 (level 2). */
const HISTORY: Row[] = [
  ['S202201', 'H1', 2022, 3, 'A', 12_000, 8_400],
  ['S202202', 'H2', 2022, 4, 'A', 6_000, 4_200],
  ['S202203', 'H1', 2022, 5, 'P', 3_500, 2_450],
  ['S202204', 'H2', 2022, 6, 'P', 1_500, 1_050],
  ['S202301', 'H1', 2023, 3, 'A', 13_000, 9_100],
  ['S202302', 'H2', 2023, 4, 'A', 7_000, 4_900],
  ['S202303', 'H1', 2023, 5, 'P', 4_000, 2_800],
  ['S202304', 'H2', 2023, 6, 'P', 2_000, 1_400],
  ['S202401', 'H1', 2024, 3, 'A', 16_000, 11_200],
  ['S202402', 'H2', 2024, 4, 'A', 10_000, 7_000],
  ['S202403', 'H1', 2024, 5, 'P', 5_500, 3_850],
  ['S202404', 'H2', 2024, 6, 'P', 3_500, 2_450],
];

function region(codes: { A: [string, string]; P: [string, string] }, current: Row[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'yibao-audit-'));
  dirs.push(dir);
  writeFileSync(
    join(dir, 'institutions.csv'),
    '医疗机构编码,机构名称,医院等级,机构类型,所属区县\nH1,市第一人民医院,3,general,150101\nH2,市第二人民医院,2,general,150102\n',
  );
  const rows = [...HISTORY, ...current].map(([id, inst, y, m, g, cost, fund]) =>
    [id, `M${id}`, `P${id}`, inst, '310', '1', `${y - 40}-01-01`, '40', `${y}-${String(m).padStart(2, '0')}-10`]
      .concat([`${y}-${String(m).padStart(2, '0')}-14`, '4', '1', ...codes[g], cost.toFixed(2), fund.toFixed(2)])
      .concat([(cost - fund).toFixed(2), (cost - fund).toFixed(2)])
      .join(','),
  );
  writeFileSync(join(dir, 'cases.csv'), `${HEADER}\n${rows.join('\n')}\n`);
  return dir;
}

/** Edit a policy file as a user would in an editor; each edit must change the file. */
function edit(dir: string, file: string, ...changes: [RegExp | string, string][]): void {
  const path = join(dir, 'policies', file);
  let text = readFileSync(path, 'utf8');
  for (const [from, to] of changes) {
    const next = text.replace(from, to);
    expect(next, `${file}: ${from}`).not.toBe(text);
    text = next;
  }
  writeFileSync(path, text);
}

const BUDGET = / {2}budget:\n {4}value:\n(?: {6,}.*\n)+/;
const csv = (dir: string, path: string) =>
  readFileSync(join(dir, path), 'utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r?\n/)
    .map((l) => l.split(','));
/** The cell of the row whose first columns are `keys`, in `column`. */
const cell = (rows: string[][], column: string, ...keys: string[]) =>
  rows.find((r) => keys.every((k, i) => r[i] === k))![rows[0]!.indexOf(column)]!;

describe('audit region, DIP (R-DIP-2/3/5/6; hand-computed before yibao ran)', () => {
  // Yearly means A 9,000 / 10,000 / 13,000 → (9,000 + 2 × 10,000 + 7 × 13,000) ÷ 10 = 12,000; P → 4,000; all → 8,000:
  // scores 1,500 and 500. Level 3: (7,750 + 2 × 8,500 + 7 × 10,750) ÷ 10 = 10,000 ÷ 8,000 = 1.25; level 2: 0.75.
  // Opening value 320,000 ÷ 40,000 = 8. Deviation standard: 2024's same-level group mean (A: H1 16,000, H2 10,000).
  const current: Row[] = [
    ['C01', 'H1', 2025, 1, 'A', 15_000, 10_500], // normal: 1,875 points
    ['C02', 'H2', 2025, 4, 'A', 11_000, 7_700], // normal: 1,125
    ['C03', 'H1', 2025, 3, 'A', 6_000, 4_200], // low-cost (< 8,000): paid its cost
    ['C04', 'H1', 2025, 5, 'A', 48_000, 33_600], // high-cost: 1,500 × ((3 − 2) + 1) × 1.25 = 3,750
    ['C05', 'H2', 2025, 1, 'A', 9_000, 6_300], // normal: 1,125
    ['C06', 'H2', 2025, 6, 'A', 55_000, 38_500], // > 5 × 10,000: special review; 1,500 × 4.5 × 0.75 = 5,062.5
    ['C07', 'H1', 2025, 2, 'P', 5_000, 3_500], // primary-care group: 500 at any level
    ['C08', 'H2', 2025, 2, 'P', 3_000, 2_900],
    ['C09', 'H2', 2025, 4, 'P', 4_000, 2_000],
  ];

  it('init → ingest → settle: every figure of the hand table to the fen; the March quota read both ways', async () => {
    const dir = region({ A: ['K35.800', '47.0100'], P: ['J18.900', ''] }, current);
    await yibao(dir, 'init city01 --year 2025 --out policies');
    edit(dir, 'dip-settlement-2025.yaml', [BUDGET, '  budget:\n    value: { method: given, amount: 64837.5 }\n']);
    edit(
      dir,
      'dip-2025.yaml',
      ['value: { method: fixed, minCases: 15 }', 'value: { method: fixed, minCases: 5 }'],
      ['value: { low: 0.025, high: 0.975 }', 'value: none'],
      ['value: { multiple: 5, capPerMille: 5 }', 'value: { multiple: 5, capPerMille: 200 }'],
    );
    writeFileSync(
      join(dir, 'deductions.csv'),
      '医疗机构编码,期间,扣款金额,原因,依据\nH1,2025,500.00,重复收费,审核结论 第 1 号\n',
    );
    writeFileSync(join(dir, 'assessments.csv'), '医疗机构编码,考核年度,考核系数,依据\nH2,2025,0.98,考核结果通报\n');
    await yibao(dir, 'ingest institutions institutions.csv --policy policies/qc-2025.yaml');
    await yibao(dir, 'ingest cases cases.csv --policy policies/qc-2025.yaml');
    const out = await yibao(dir, 'settle --region city01 --year 2025 --policies policies --out out/a --year-end .');
    // Fund payment ratio 109,200 ÷ 156,000 = 0.7; the low-cost case paid its cost: (64,837.50 ÷ 0.7 − 6,000) ÷
    // 14,437.5 points = 6 元/点.
    expect(out).toContain('总点数：14437.5000');
    expect(out).toContain('年初点值 / 年度点值：8.000000 元/点 / 6.000000 元/点');
    expect(out).toContain('高倍率病例 1，低倍率病例 1，正常病例 6，特例单议 1');
    const catalog = csv(dir, 'out/a/dip/city01-dip-2025-catalog.csv');
    expect(cell(catalog, '分值', 'K35.8|47.0100')).toBe('1500.0000');
    expect(cell(catalog, '分值', 'J18.9|')).toBe('500.0000');
    const cases = csv(dir, 'out/a/dip/city01-dip-2025-cases.csv');
    expect(['C01', 'C02', 'C04', 'C06', 'C07', 'C08'].map((c) => cell(cases, '点数', c))).toEqual([
      '1875.0000',
      '1125.0000',
      '3750.0000',
      '5062.5000',
      '500.0000',
      '500.0000',
    ]);
    expect([cell(cases, '病例类型', 'C03'), cell(cases, SETTLED_AMOUNT[0], 'C03')]).toEqual(['低倍率病例', '6000.00']);
    expect(cell(cases, '病例类型', 'C06')).toBe('特例单议');
    // H1 (6,125 × 6 + 6,000) × 0.7 = 29,925 − 500 = 29,425; H2 8,312.5 × 6 × 0.7 = 34,912.50 × 0.98 = 34,214.25.
    // Advance: 2024 fund ÷ 12 = 15,050 ÷ 12 = 1,254.17 and 9,450 ÷ 12 = 787.50.
    const annual = csv(dir, 'out/a/dip/city01-dip-2025-annual.csv');
    expect(['年度清算额', '年初预付', '结余（+）/超支（−）'].map((c) => cell(annual, c, 'H1'))).toEqual([
      '29425.00',
      '1254.17',
      '-21875.00', // 29,925 − 74,000 × 0.7
    ]);
    expect(['年度清算额', '年初预付'].map((c) => cell(annual, c, 'H2'))).toEqual(['34214.25', '787.50']);
    // Months (quota 24,500 ÷ 12 × 0.9 = 1,837.50): January (1,837.50 + 7,200) ÷ 3,000 = 3.0125 元/点: H1 1,148.44 →
    // 1,091.02, H2 689.06 → 654.61; February 3.4375: H1 218.75 → 207.81, H2 1,618.75 → 1,537.81; April–June the
    // whole quota to one institution: 1,745.63.
    const monthly = csv(dir, 'out/a/dip/city01-dip-2025-monthly.csv');
    const paid = (inst: string) => monthly.filter((r) => r[0] === inst).map((r) => [r[2], r.at(-1)]);
    expect(paid('H1')).toEqual([
      ['2025-01', '1091.02'],
      ['2025-02', '207.81'],
      ['2025-03', '3990.00'], // the low-cost case paid its cost beside the quota (overQuota pay-fixed)
      ['2025-05', '1745.63'],
    ]);
    expect(paid('H2').map((r) => r[1])).toEqual(['654.61', '1537.81', '1745.63', '1745.63']);
    expect(cell(annual, '清算支付额', 'H1')).toBe('21136.37'); // 29,425 − 7,034.46 − 1,254.17
    expect(cell(annual, '清算支付额', 'H2')).toBe('27743.07'); // 34,214.25 − 5,683.68 − 787.50
    // The year-end value's 定额结算金额 = 6,000.00 is C03's cost: the step says what the amount holds (zh and en).
    expect(await yibao(dir, 'explain settlement H1 --period 2025')).toContain(
      '（定额结算金额：按床日、按病种付费的定额，及按实际费用或按项目支付、不计点数的病例的医疗总费用）',
    );
    expect(await yibao(dir, '--lang en explain settlement H1 --period 2025')).toContain(
      '(fixed amounts: per-bed-day and single-disease standards, and the total cost of cases paid their cost or by items, which carry no points)',
    );

    // overQuota: cap keeps March within its quota: (1,837.50 + 1,800 − 1,800) × 0.95 = 1,745.63.
    edit(dir, 'dip-settlement-2025.yaml', ['overQuota: pay-fixed }', 'overQuota: cap }']);
    await yibao(dir, 'settle --region city01 --year 2025 --policies policies --out out/b');
    const capped = csv(dir, 'out/b/dip/city01-dip-2025-monthly.csv');
    expect(cell(capped, '月度已支付', 'H1', '市第一人民医院', '2025-03')).toBe('1745.63');
    expect(cell(csv(dir, 'out/b/dip/city01-dip-2025-annual.csv'), '清算支付额', 'H1')).toBe('23380.74');
  }, 300_000);
});

describe.skipIf(!existsSync(CHS_DRG_20_REFERENCE_DIR))(
  'audit region, DRG with a base rate from the budget (R-PAY-DRG)',
  () => {
    // The same history groups into GE19 (K35.301 with 47.0100) and ES35 (J18.900): RW 12,000 ÷ 8,000 = 1.5 and 0.5.
    // Level coefficients 1.2 (level 3) and 1; no trimming; low < 0.4 × mean; high > 2.5 × (RW < 2) or 3 × (RW < 1) the
    // mean, the excess at 0.8.
    const current: Row[] = [
      ['D01', 'H1', 2025, 1, 'A', 14_000, 9_800], // 1.5 × 100 × 1.2 = 180 points
      ['D02', 'H1', 2025, 2, 'A', 3_000, 2_100], // low (< 4,800): paid by items, 3,000.00
      ['D03', 'H1', 2025, 3, 'A', 40_000, 28_000], // high (> 30,000): 180 + (40,000 ÷ 12,000 − 2.5) × 0.8 × 150 = 280
      ['D04', 'H2', 2025, 1, 'A', 10_000, 7_000], // 150
      ['D05', 'H2', 2025, 2, 'P', 3_000, 2_100], // 50
      ['D06', 'H2', 2025, 3, 'P', 15_000, 10_500], // high (> 12,000): 50 + (3.75 − 3) × 0.8 × 50 = 80
      ['D07', 'H1', 2025, 4, 'P', 4_500, 3_150], // 0.5 × 100 × 1.2 = 60
    ];

    it('the low-cost case is paid its cost and the level coefficient scales the standard only: 800 points at 88.375 元/点', async () => {
      const dir = region({ A: ['K35.301', '47.0100'], P: ['J18.900', ''] }, current);
      await yibao(dir, 'init city02 --year 2025 --out policies --inpatient drg');
      edit(dir, 'settlement-2025.yaml', [BUDGET, '  budget:\n    value: { method: given, amount: 51590 }\n']);
      edit(
        dir,
        'drg-2025.yaml',
        ['value: { "3": 1, "2": 1, "1": 1, primary: 1 }', 'value: { "3": 1.2, "2": 1, "1": 1, primary: 1 }'],
        ['trimLow: 0.025, trimHigh: 0.975', 'trimLow: 0, trimHigh: 1'],
        ['excessRate: 1', 'excessRate: 0.8'],
      );
      await yibao(dir, 'ingest institutions institutions.csv --policy policies/qc-2025.yaml');
      await yibao(dir, 'ingest cases cases.csv --policy policies/qc-2025.yaml');
      const out = await yibao(dir, 'settle --region city02 --year 2025 --policies policies --out out/d');
      // (51,590 ÷ 0.7 − 3,000) ÷ 800 = 88.375 元/点 = 8,837.50 元/RW.
      expect(out).toContain('总点数：800.0000');
      expect(out).toContain('/ 88.375000 元/点');
      const cases = csv(dir, 'out/d/drg/city02-drg-2025-cases.csv');
      expect(current.map(([id]) => [cell(cases, '点数', id), cell(cases, SETTLED_AMOUNT[0], id)])).toEqual([
        ['180.0000', '15907.50'],
        ['', '3000.00'],
        ['280.0000', '24745.00'],
        ['150.0000', '13256.25'],
        ['50.0000', '4418.75'],
        ['80.0000', '7070.00'],
        ['60.0000', '5302.50'],
      ]);
      // H1 (520 × 88.375 + 3,000) × 0.7 = 34,268.50; H2 280 × 88.375 × 0.7 = 17,321.50.
      const annual = csv(dir, 'out/d/drg/city02-drg-2025-annual.csv');
      expect([cell(annual, '年度清算额', 'H1'), cell(annual, '年度清算额', 'H2')]).toEqual(['34268.50', '17321.50']);
      const explained = await yibao(dir, 'explain settlement H1 --period 2025');
      expect(explained).toContain('→ 8837.50 元/RW');
    }, 300_000);
  },
);
