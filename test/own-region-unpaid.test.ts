/**
 * An own region from `yibao init` with six typed cases of 2025, one of them ungrouped and paid nothing (the 内蒙古
 * template's `ungrouped: unpaid`, 002 四(二) "未能入组病例暂不计分") — the last new-user pass's region, run as a user
 * types it in an empty folder outside the repository. Hand-computed from the clauses the files cite (R-DIP-6):
 *
 * history 2022–2024: six cases a year of K35.8|47.0100 at 10,000.00 (fund 7,000.00) → 1000 points a case, opening point
 * value 10 yuan/point. 2025: H1 three such cases (March–May), H2 two (March, April) and, in August, J18.900 without a
 * group: 70,000.00, the patient paid 21,000.00. Budget given 150,000.00.
 *
 * `unpaidCases: outside` (the template's default): H2's August month nets nothing (it was −21,000.00); the fund payment
 * ratio over the paid cases (50,000.00 − 15,000.00) ÷ 50,000.00 = 0.7; year-end value 150,000 ÷ 0.7 ÷ 5000 =
 * 42.857143 yuan/point, 4.29 × the opening one — beyond `pointValueChange` ±50 %, so a warning, stored with the run.
 * H1 3000 × 42.857143 × 0.7 = 90,000.00, H2 60,000.00; H2's item billing compared (10,000 + 10,000 − 6,000) = 14,000.00.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = new URL('..', import.meta.url).pathname;
const BIN = join(REPO, 'bin', 'yibao.js');
const exec = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'yibao-own-unpaid-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeFiles(): void {
  writeFileSync(
    join(dir, 'institutions.csv'),
    '医疗机构编码,机构名称,医院等级,机构类型,所属区县\nH1,市第一人民医院,3,general,150101\nH2,市第二人民医院,3,general,150102\n',
  );
  const header =
    '结算ID,就诊ID,人员编号,医疗机构编码,险种类型,性别,出生日期,年龄,入院日期,出院日期,住院天数,离院方式,主要诊断,主要手术,医疗总费用,统筹基金支付,个人自付,现金支付';
  const rows: string[] = [];
  const add = (inst: string, year: number, month: number, day: number, cost: number, fund: number, dx = 'K35.800') => {
    const n = String(rows.length + 1).padStart(3, '0');
    const d = (x: number) => `${year}-${String(month).padStart(2, '0')}-${String(x).padStart(2, '0')}`;
    const own = (cost - fund).toFixed(2);
    const px = dx === 'K35.800' ? '47.0100' : '';
    rows.push(
      [`S${year}${n}`, `M${n}`, `P${n}`, inst, '310', rows.length % 2 ? '2' : '1', `${year - 40}-01-01`, '40']
        .concat([d(day), d(day + 4), '4', '1', dx, px, cost.toFixed(2), fund.toFixed(2), own, own])
        .join(','),
    );
  };
  for (const year of [2022, 2023, 2024])
    for (let i = 0; i < 6; i++) add(i % 2 ? 'H1' : 'H2', year, 3 + i, 10, 10_000, 7_000);
  for (let i = 0; i < 3; i++) add('H1', 2025, 3 + i, 10, 10_000, 7_000);
  for (let i = 0; i < 2; i++) add('H2', 2025, 3 + i, 12, 10_000, 7_000);
  add('H2', 2025, 8, 15, 70_000, 49_000, 'J18.900'); // S2025024: no group in the catalog
  writeFileSync(join(dir, 'cases.csv'), `${header}\n${rows.join('\n')}\n`);
}

async function run(line: string): Promise<{ code: number; out: string }> {
  const args = line.split(/\s+/).slice(1);
  try {
    const r = await exec(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
    return { code: 0, out: `${r.stdout}${r.stderr}` };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof x.code === 'number' ? x.code : -1, out: `${x.stdout ?? ''}${x.stderr ?? ''}` };
  }
}
async function ok(line: string): Promise<string> {
  const r = await run(line);
  expect(r.code, `${line}\n${r.out}`).toBe(0);
  return r.out;
}

const csv = (path: string) =>
  readFileSync(join(dir, path), 'utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r?\n/)
    .map((l) => l.split(','));
const cell = (rows: string[][], key: string, column: string, second?: string) =>
  rows.find((r) => r[0] === key && (second === undefined || r.includes(second)))![rows[0]!.indexOf(column)]!;

const settlementFile = () => join(dir, 'policies', 'dip-settlement-2025.yaml');

describe('own region: an ungrouped case paid nothing (R-DIP-6, dip-settlement unpaidCases and pointValueChange)', () => {
  it('outside by default: no negative month, ratio over the paid cases, a point-value warning stored with the run; netted reproduces the old month; zh and en', async () => {
    writeFiles();
    await ok('yibao init city01 --year 2025 --out policies');
    const text = readFileSync(settlementFile(), 'utf8');
    expect(text).toMatch(/ {2}unpaidCases:\n {4}value: outside\n/);
    writeFileSync(
      settlementFile(),
      text.replace(
        / {2}budget:\n {4}value:\n(?: {6,}.*\n)+/,
        '  budget:\n    value: { method: given, amount: 150000 }\n',
      ),
    );
    expect(await ok('yibao policy check policies')).toMatch(/✓ policies\/dip-settlement-2025\.yaml/);
    await ok('yibao ingest institutions institutions.csv --policy policies/qc-2025.yaml');
    expect(await ok('yibao ingest cases cases.csv --policy policies/qc-2025.yaml')).toContain(
      '读取 24 行 = 入库 24 + 拒收 0 + 已存在 0',
    );

    const zh = await ok('yibao settle --region city01 --year 2025 --policies policies --out out/zh');
    expect(zh).toContain('病例：6 = 按病种分值付费（DIP） 6（正常病例 5，未入组 1）');
    expect(zh).toContain('基金支付比例：0.7');
    expect(zh).toContain('年初点值 / 年度点值：10.000000 元/点 / 42.857143 元/点（浮动点值）');
    expect(zh).toContain(
      '其中未入组且不计点数：1 例，医疗费用总额 70000.00 元，患者负担 21000.00 元——基金不予支付，患者负担由医疗机构留用，不冲抵月度预结算，不计入基金支付比例',
    );
    expect(zh).toContain('! 年度点值 42.857143 元/点 是年初点值 10.000000 元/点 的 4.29 倍，相差超过 50%');
    expect(zh).not.toContain('月度预结算为负');
    // H2's August: nothing netted (the last pass read 患者负担 21000.00, 应预结算 −21000.00, 结转后续 21000.00).
    const monthly = csv('out/zh/dip/city01-dip-2025-monthly.csv');
    expect(
      ['患者负担', '应预结算（元）', '结转后续', '月度已支付'].map((c) => cell(monthly, 'H2', c, '2025-08')),
    ).toEqual(['0.00', '0.00', '0.00', '0.00']);
    // … and shows the patient's 21,000.00 beside it, not netted.
    expect(cell(monthly, 'H2', '未入组不计点数病例的患者负担（不冲抵）', '2025-08')).toBe('21000.00');
    const annual = csv('out/zh/dip/city01-dip-2025-annual.csv');
    const ye = (inst: string, c: string) => cell(annual, inst, c);
    expect(['按项目基金应付', '年度清算额', '月度已支付', '年初预付', '清算支付额'].map((c) => ye('H1', c))).toEqual([
      '21000.00',
      '90000.00',
      '5985.00', // March, April (3,150 + 6,000) ÷ 2000 = 4.575: 4,575.00 − 3,000.00 = 1,575.00 × 95 % = 1,496.25 each;
      // May (3,150 + 3,000) ÷ 1000 = 6.15: 6,150.00 − 3,000.00 = 3,150.00 × 95 % = 2,992.50
      '1750.00',
      '82265.00',
    ]);
    // H2: its item billing compared is its two paid cases (14,000.00, not 63,000.00): a surplus of 46,000.00.
    expect(['按项目基金应付', '结余（+）/超支（−）', '年度清算额', '清算支付额'].map((c) => ye('H2', c))).toEqual([
      '14000.00',
      '46000.00',
      '60000.00',
      '55257.50',
    ]);
    const region = csv('out/zh/dip/city01-dip-2025-region.csv');
    const unpaidRow = region.find((r) => r[0]!.startsWith('未入组且不计点数病例的患者负担'))!;
    expect([unpaidRow[2], unpaidRow[4]]).toEqual(['1', '21000.00']);
    const warnRow = region.find((r) => r[0]!.startsWith('提示：年度点值 42.857143 元/点'))!;
    expect(warnRow[3]).toBe('4.285714');

    // The run keeps the warning: runs lists it under the run, in both languages.
    const runs = await ok('yibao runs --settlements --limit 1');
    expect(runs).toContain('! city01-dip-2025：年度点值 42.857143 元/点 是年初点值 10.000000 元/点 的 4.29 倍');
    expect(await ok('yibao runs --limit 1')).toContain('! city01-dip-2025：年度点值 42.857143 元/点');
    const runsEn = await ok('yibao --lang en runs --settlements --limit 1');
    expect(runsEn).toContain(
      '! city01-dip-2025: the year-end point value 42.857143 yuan/point is 4.29 × the opening point value 10.000000 yuan/point',
    );
    // explain: the month says what became of the patient's payment, with the clause.
    expect(await ok('yibao explain settlement H2 --period 2025')).toContain(
      '未入组且不计点数的病例 1 例：基金不予支付，其患者负担由医疗机构留用，不冲抵当月预结算',
    );

    expect(await ok('yibao explain case S2025024')).toContain(
      '未入组且不计点数：基金不予支付；本病例的患者负担 21000.00 元由医疗机构留用，不冲抵 2025-08 的月度预结算，不计入基金支付比例',
    );

    // English: the same figures, no Chinese outside quoted clauses and names; the workbooks pass the outside check.
    const en = await ok('yibao --lang en settle --region city01 --year 2025 --policies policies --out out/en');
    expect(en).toContain(
      'of which ungrouped and claiming no points: 1 case, total medical cost 70000.00 yuan, patient payments 21000.00 yuan — the fund pays nothing',
    );
    expect(en).toContain(
      '! the year-end point value 42.857143 yuan/point is 4.29 × the opening point value 10.000000 yuan/point, a change of more than 50%',
    );
    for (const l of en.split('\n'))
      expect(l.replace(/“[^”]*”/g, ''), 'no Chinese outside quoted clauses').not.toMatch(/\p{Script=Han}/u);
    const explainEn = await ok('yibao --lang en explain settlement H2 --period 2025');
    expect(explainEn).toContain(
      '1 ungrouped case claiming no points: the fund pays nothing for it; the patient’s payment stays with the institution, not netted against the month',
    );
    const check = await exec(
      'python3',
      [join(REPO, '..', 'shared', 'tools', 'xlsx_check.py'), join(dir, 'out', 'en')],
      {
        encoding: 'utf8',
      },
    );
    expect(check.stdout).toMatch(/3 workbooks, 0 problems/);

    // netted: the old reading — H2's August −21,000.00, clamped; the notice says what the year end does with it.
    writeFileSync(
      settlementFile(),
      readFileSync(settlementFile(), 'utf8').replace('    value: outside\n', '    value: netted\n'),
    );
    const netted = await ok('yibao settle --region city01 --year 2025 --policies policies --out out/netted');
    expect(netted).toContain(
      '! H2 2025-08 月度预结算为负（-21000.00 元）：当月不付；本年度此后没有该机构的月度预结算可扣减，21000.00 元年度清算也不另行扣回',
    );
    expect(netted).toContain('患者负担仍冲抵月度预结算，计入基金支付比例');
    const nettedAnnual = csv('out/netted/dip/city01-dip-2025-annual.csv');
    // The fund payment ratio is 0.7 either way here (the case's patient share is 30 % too); the clearing is the same:
    // the negative month paid 0.00 and the year end takes nothing back — 60,000.00 − 2,992.50 − 1,750.00.
    expect(['按项目基金应付', '结余（+）/超支（−）', '清算支付额'].map((c) => cell(nettedAnnual, 'H2', c))).toEqual([
      '63000.00',
      '-3000.00',
      '55257.50',
    ]);
    const nettedEn = await ok(
      'yibao --lang en settle --region city01 --year 2025 --policies policies --out out/netted-en',
    );
    expect(nettedEn).toContain(
      '! H2 2025-08: the monthly pre-settlement is negative (-21000.00 yuan): nothing paid this month; the institution has no later monthly pre-settlement this year to subtract 21000.00 yuan from, and the year end takes nothing back separately',
    );
  }, 600_000);
});
