/**
 * The README's "Settle your own region" walk-through (issue 11), run exactly as written: the commands of the README
 * block, spawned as a new user would type them, in an empty temporary folder outside the repository, on files typed
 * here. Every figure is hand-computed from the clauses the policy files cite (R-DIP-2, R-DIP-3 special review with
 * seed 002 四(二), R-DIP-6 point value, assessment coefficient and audit deduction) and checked to the fen in the
 * statements, `explain` and the stored run.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = new URL('..', import.meta.url).pathname;
const BIN = join(REPO, 'bin', 'yibao.js');
const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
const block = readme.split('<!-- own-region:start -->')[1]?.split('<!-- own-region:end -->')[0] ?? '';
const lines = block
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l.startsWith('yibao ') || l.startsWith('# '));

const dir = mkdtempSync(join(tmpdir(), 'yibao-own-region-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The files of the walk-through, as a user would type them. */
function writeFiles(): void {
  writeFileSync(
    join(dir, 'institutions.csv'),
    '医疗机构编码,机构名称,医院等级,机构类型,所属区县\nH1,市第一人民医院,3,general,150101\nH2,市第二人民医院,3,general,150102\n',
  );
  const header =
    '结算ID,就诊ID,人员编号,医疗机构编码,险种类型,性别,出生日期,年龄,入院日期,出院日期,住院天数,离院方式,主要诊断,主要手术,医疗总费用,统筹基金支付,个人自付,现金支付';
  const rows: string[] = [];
  const add = (inst: string, year: number, month: number, day: number, cost: number, fund: number) => {
    const n = String(rows.length + 1).padStart(3, '0');
    const d = (x: number) => `${year}-${String(month).padStart(2, '0')}-${String(x).padStart(2, '0')}`;
    const own = (cost - fund).toFixed(2);
    rows.push(
      [`S${year}${n}`, `M${n}`, `P${n}`, inst, '310', rows.length % 2 ? '2' : '1', `${year - 40}-01-01`, '40']
        .concat([d(day), d(day + 4), '4', '1', 'K35.800', '47.0100', cost.toFixed(2), fund.toFixed(2), own, own])
        .join(','),
    );
  };
  for (const year of [2022, 2023, 2024])
    for (let i = 0; i < 6; i++) add(i % 2 ? 'H1' : 'H2', year, 3 + i, 10, 10_000, 7_000);
  for (let i = 0; i < 3; i++) add('H1', 2025, 3, 10 + i, 10_000, 7_000);
  for (let i = 0; i < 2; i++) add('H2', 2025, 3, 10 + i, 10_000, 7_000);
  add('H2', 2025, 3, 15, 60_000, 42_000); // S2025024
  writeFileSync(join(dir, 'cases.csv'), `${header}\n${rows.join('\n')}\n`);
  writeFileSync(
    join(dir, 'special-review.csv'),
    '结算ID,结果,支付方式,点数,依据\nS2025024,通过,按点数,3000,市医保局特例单议专家评审意见 2025 年第 1 号\n',
  );
  writeFileSync(
    join(dir, 'deductions.csv'),
    '医疗机构编码,期间,扣款金额,原因,依据\nH2,2025,1000.00,重复收费,2025 年度审核结论 第 3 号\n',
  );
  writeFileSync(
    join(dir, 'assessments.csv'),
    '医疗机构编码,考核年度,考核系数,依据\nH1,2025,0.95,2025 年度考核结果通报\n',
  );
}

/** The two edits the README asks for, as a user would make them in an editor. */
const EDITS: Record<string, (text: string) => string> = {
  '# 编辑 policies/dip-settlement-2025.yaml: budget → value: { method: given, amount: 70000 }': (t) =>
    t.replace(/ {2}budget:\n {4}value:\n(?: {6,}.*\n)+/, '  budget:\n    value: { method: given, amount: 70000 }\n'),
  '# 编辑 policies/dip-2025.yaml: specialReview → value: { multiple: 5, capPerMille: 200 }': (t) =>
    t.replace('value: { multiple: 5, capPerMille: 5 }', 'value: { multiple: 5, capPerMille: 200 }'),
};

interface Ran {
  line: string;
  code: number;
  out: string;
}

const exec = promisify(execFile);

/** One command line as a user types it (`yibao …` is `node bin/yibao.js …`), in the walk-through's folder. */
async function run(line: string): Promise<Ran> {
  const args = line.split(/\s+/).slice(1);
  try {
    const r = await exec(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
    return { line, code: 0, out: `${r.stdout}${r.stderr}` };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { line, code: typeof x.code === 'number' ? x.code : -1, out: `${x.stdout ?? ''}${x.stderr ?? ''}` };
  }
}

/** A CSV statement as rows of cells (no quoted commas in these files). */
const csv = (path: string) =>
  readFileSync(join(dir, path), 'utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r?\n/)
    .map((l) => l.split(','));
const cellOf = (rows: string[][], key: string, column: string) =>
  rows.find((r) => r[0] === key)![rows[0]!.indexOf(column)]!;

describe('README: settle your own region from a folder of CSV files (issue 11)', () => {
  it('runs the README commands in an empty folder and the statements agree with the hand computation to the fen', async () => {
    expect(lines.filter((l) => l.startsWith('yibao '))).toHaveLength(13);
    writeFiles();
    const ran: Ran[] = [];
    for (const line of lines) {
      if (line.startsWith('# ')) {
        const edit = EDITS[line];
        expect(edit, `the README's edit "${line}" is one the test knows`).toBeDefined();
        const file = join(dir, line.split(' ')[2]!.replace(':', ''));
        const before = readFileSync(file, 'utf8');
        const after = edit!(before);
        expect(after, line).not.toBe(before);
        writeFileSync(file, after);
        continue;
      }
      const r = await run(line);
      expect(r.code, `${line}\n${r.out}`).toBe(0);
      ran.push(r);
    }
    const out = (i: number) => ran[i]!.out;
    // policy check: every file of the folder valid.
    expect(out(1)).toMatch(/✓ policies\/dip-settlement-2025\.yaml/);
    // ingest: counts reconcile.
    expect(out(2)).toContain('读取 2 行 = 入库 2 + 拒收 0 + 已存在 0');
    expect(out(3)).toContain('读取 24 行 = 入库 24 + 拒收 0 + 已存在 0');

    // First settlement: S2025024 queued for special review at its high-cost points 1000 × ((6 − 2) × 1 + 1) = 5000;
    // 10,000 points, fund payment ratio 77,000 ÷ 110,000 = 0.7, point value 70,000 ÷ 0.7 ÷ 10,000 = 10 yuan/point.
    expect(out(4)).toContain('总点数：10000.0000');
    expect(out(4)).toContain('特例单议 1');
    expect(out(4)).toContain('年度点值：10.000000 元/点 / 10.000000 元/点');
    const first = csv('out/first/dip/city01-dip-2025-annual.csv');
    expect(cellOf(first, 'H1', '年度清算额')).toBe('21000.00'); // 3000 × 10 × 0.7
    expect(cellOf(first, 'H2', '年度清算额')).toBe('49000.00'); // 7000 × 10 × 0.7
    expect(cellOf(first, 'H1', '年度点值（元/点）')).toBe('10.000000');
    const queued = csv('out/first/dip/city01-dip-2025-cases.csv').find((r) => r[0] === 'S2025024')!;
    expect([queued[7], queued[8]]).toEqual(['特例单议', '5000.0000']);
    expect(out(5)).toContain('特例单议：待特例单议评审，暂按高倍率病例计分');

    // Year-end inputs ingested like every kind.
    for (const i of [6, 7, 8]) expect(out(i)).toContain('读取 1 行 = 入库 1 + 拒收 0 + 已存在 0');

    // Second settlement: the panel's 3000 points → 8000 points, 70,000 ÷ 0.7 ÷ 8000 = 12.5 yuan/point;
    // H1 3000 × 12.5 × 0.7 = 26,250.00 × 0.95 = 24,937.50; H2 5000 × 12.5 × 0.7 = 43,750.00 − 1,000.00 = 42,750.00.
    expect(out(9)).toContain('总点数：8000.0000');
    expect(out(9)).toContain('年度点值：10.000000 元/点 / 12.500000 元/点');
    // The region summary shows what the special-review case adds beside the count: 3000 points × 12.5 = 37,500.00,
    // × 0.7 = 26,250.00 payable by the fund.
    expect(out(9)).toContain(
      '特例单议：1 例，点数 3000.0000，按项目付费 0.00 元，付费额 37500.00 元，基金应付 26250.00 元',
    );
    const region = csv('out/year-end/dip/city01-dip-2025-region.csv');
    expect(region.find((r) => r[0] === '特例单议基金应付（×基金支付比例）')?.at(-1)).toBe('26250.00');
    const ye = csv('out/year-end/dip/city01-dip-2025-annual.csv');
    const col = (inst: string, c: string) => cellOf(ye, inst, c);
    expect(
      ['年度应付（（点数×点值+定额）×基金支付比例）', '考核系数', '考核后金额', '审核扣款', '年度清算额'].map((c) =>
        col('H1', c),
      ),
    ).toEqual(['26250.00', '0.950000', '24937.50', '0.00', '24937.50']);
    expect(
      ['年度应付（（点数×点值+定额）×基金支付比例）', '考核系数', '审核扣款', '年度清算额'].map((c) => col('H2', c)),
    ).toEqual(['43750.00', '1.000000', '1000.00', '42750.00']);
    // H1's advance: one month of its 2024 fund payment (3 × 7,000.00) = 1,750.00; clearing = year end − months − advance.
    expect(col('H1', '年初预付')).toBe('1750.00');
    for (const inst of ['H1', 'H2']) {
      const fen = (c: string) => Math.round(Number(col(inst, c)) * 100);
      expect(fen('清算支付额'), inst).toBe(fen('年度清算额') - fen('月度已支付') - fen('年初预付'));
    }
    const decided = csv('out/year-end/dip/city01-dip-2025-cases.csv').find((r) => r[0] === 'S2025024')!;
    expect([decided[7], decided[8]]).toEqual(['特例单议', '3000.0000']);
    // … with the decision and its document as the case's basis in the statement.
    expect(decided.join(',')).toContain('特例单议通过（市医保局特例单议专家评审意见 2025 年第 1 号），按评审点数计分');

    // explain: the decision with its document and clause; the year of H1 line by line, the same figures.
    expect(out(10)).toContain('特例单议通过（市医保局特例单议专家评审意见 2025 年第 1 号），按评审点数计分');
    expect(out(10)).toContain('可通过病例单议、专家评审等方式确定病种分值');
    expect(out(10)).toMatch(/结算方式 = 按点数\n\s+医疗总费用 = 60000\.00\n\s+参考点值 = 10\.000000\n\s+→ 3000\.0000/);
    expect(out(11)).toContain('浮动点值 = (基金预算 ÷ 基金支付比例 − 定额结算金额) ÷ 总点数');
    expect(out(11)).toContain('→ 12.500000 元/点');
    expect(out(11)).toContain('→ 24937.50');
    expect(out(12)).toContain('→ 42750.00');
    // English: the values' names and units in English (clauses are quoted as the documents say them).
    expect(out(12)).toContain('fund budget = 70000.00');
    expect(out(12)).toContain('→ 12.500000 yuan/point');
    expect(out(12)).toContain('deduction 1 2025 重复收费 = 1000.00');
    for (const l of out(12)
      .split('\n')
      .filter((x) => x.startsWith('     ') && !x.includes('重复收费')))
      expect(l, 'no Chinese label in English output').not.toMatch(/\p{Script=Han}/u);

    // The run names the year-end inputs it applied, by the hash of the stored rows.
    const runs = await run('yibao --json runs --settlements');
    const [latest] = JSON.parse(runs.out) as { inputs: { path: string; role?: string; bytes: number }[] }[];
    expect(latest!.inputs.filter((i) => i.role?.startsWith('year-end')).map((i) => [i.path, i.bytes])).toEqual([
      ['store:year-end/deductions/2025', 1],
      ['store:year-end/assessments/2025', 1],
      ['store:year-end/special-review/2025', 1],
    ]);

    // The same year in English: the workbooks pass the outside check, and no header, sheet name or label is Chinese
    // (institution names are data and stay as registered).
    const en = await run('yibao --lang en settle --region city01 --year 2025 --policies policies --out out/en');
    expect(en.code, en.out).toBe(0);
    expect(en.out).toContain('cases: 6 = DIP 6 (5 normal cases, 1 case for special review)');
    expect(en.out).toContain(
      'special review: 1 case, points 3000.0000, fee-for-service 0.00 yuan, payment 37500.00 yuan',
    );
    expect(en.out.split('\n').filter((l) => /\p{Script=Han}/u.test(l))).toEqual([]);
    const check = await exec(
      'python3',
      [join(REPO, '..', 'shared', 'tools', 'xlsx_check.py'), join(dir, 'out', 'en')],
      {
        encoding: 'utf8',
      },
    );
    expect(check.stdout).toMatch(/3 workbooks, 0 problems/);
    for (const file of ['dip/city01-dip-2025.xlsx', 'dip/institutions/H1.xlsx']) {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(join(dir, 'out', 'en', file));
      const names = new Set(['市第一人民医院', '市第二人民医院']);
      wb.eachSheet((ws) => {
        expect(ws.name, file).not.toMatch(/\p{Script=Han}/u);
        ws.eachRow((row) => {
          for (const v of (row.values as unknown[]).slice(1))
            if (typeof v === 'string' && !names.has(v))
              // the panel's document is quoted as written (data); the words around it are English
              // and so is the clause a basis cites in brackets
              expect(
                v.replace('市医保局特例单议专家评审意见 2025 年第 1 号', '').replace(/\[[^\]]*\]/g, ''),
                `${file} / ${ws.name}`,
              ).not.toMatch(/\p{Script=Han}/u);
        });
      });
    }

    // Rerun of a year-end file: nothing changes (already present).
    const again = await run('yibao ingest deductions deductions.csv');
    expect(again.out).toContain('读取 1 行 = 入库 0 + 拒收 0 + 已存在 1');

    // Correcting a year-end input (README "Correcting a year-end input"): H2's deduction 1,000.00 → 800.00.
    const yearEndRun = /结算运行 (\S+)/.exec(out(9))![1]!;
    writeFileSync(
      join(dir, 'deductions.csv'),
      '医疗机构编码,期间,扣款金额,原因,依据\nH2,2025,800.00,重复收费,2025 年度审核结论 第 3 号\n',
    );
    const refused = await run('yibao ingest deductions deductions.csv');
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('如需更正，请加 --replace 重新导入该文件');
    expect(readFileSync(join(dir, 'out/rejects/deductions.csv.rejects.csv'), 'utf8')).toContain('--replace');
    const replaced = await run('yibao ingest deductions deductions.csv --replace');
    expect(replaced.code, replaced.out).toBe(0);
    expect(replaced.out).toMatch(/H2\|2025\|重复收费（原由运行 \S+ 入库）：扣款金额 1000\.00 → 800\.00/);
    const log = await run('yibao --lang en runs --limit 1');
    expect(log.out).toMatch(/H2\|2025\|重复收费 \(stored by run \S+\): amount deducted 1000\.00 → 800\.00/);
    // The re-settle names the changed input; H2 = 43,750.00 − 800.00 = 42,950.00. The run settled before keeps 42,750.00.
    const resettled = await run('yibao settle --region city01 --year 2025 --policies policies --out out/corrected');
    expect(resettled.code, resettled.out).toBe(0);
    expect(resettled.out).toMatch(/已入库的 2025 年审核扣款：已变更（sha256 \w{12} → \w{12}）/);
    expect(resettled.out.split('以下输入有变')[1]?.match(/已变更|新增|已移除/g)).toEqual(['已变更']);
    expect(cellOf(csv('out/corrected/dip/city01-dip-2025-annual.csv'), 'H2', '年度清算额')).toBe('42950.00');
    const kept = await run(`yibao explain settlement H2 --period 2025 --run ${yearEndRun}`);
    expect(kept.out).toContain('→ 42750.00');
  }, 1_200_000); // twenty spawned commands on a shared 2-core machine
});
