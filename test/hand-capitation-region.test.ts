/**
 * A small region typed and computed by hand from the clauses, before yibao ran on it (audit2): capitation with risk
 * adjustment, enrolment by days, a mid-year entry and a switch of institution, a head without visits, a visit at the
 * wrong institution, the year end with 80 % surplus retention and 40/60 overspend sharing (seed 004 四(四)–四(六)), the
 * family-doctor fee; per-bed-day stays by category × institution type × stage converted to points (seed 000 §8,
 * R-DIP-4); single-disease standards by level and pathway exits (seed 000 §6); a county medical community of two
 * members counting capitation at what its year end pays (seed 001 二(三)). The commands run as a new user types them,
 * in an empty folder outside the repository; every figure below is the hand computation, checked to the fen.
 *
 * Capitation by hand (employee fund only; cap 12,600.00 written in the policy, 四(三)1):
 * - history 2024 (基期): D1 P1 2,800 + 200 调增, P2 1,500, P6 1,500 → 6,000 ÷ 3 = 2,000.00; D2 P3 4,500, P4 3,500 →
 *   8,000 ÷ 2 = 4,000.00 (四(四)1(1)).
 * - risk cells observed ÷ expected (四(四)1(2), age on 1 January): ≥ 65 (P1 73, P3 69) 7,500 ÷ 6,000 = 1.25; < 65
 *   (P2, P6) 3,000 ÷ 4,000 = 0.75; < 65 with class-1 (P4) 3,500 ÷ 4,000 = 0.875.
 * - plan (heads enrolled on 1 January, whole year): 2,000 × 1.25 + 2,000 × 0.75 + 4,000 × 1.25 + 4,000 × 0.875 +
 *   2,000 × 0.75 (P6 64 on 2025-01-01) = 14,000; factor 12,600 ÷ 14,000 = 0.9 → rates D1 1,800.00, D2 3,600.00
 *   (四(四)1(3)); H1 2,250 + 1,350 = 3,600.00, H2 4,500 + 3,150 + 1,350 = 9,000.00; prepaid 95 %: 3,420.00, 8,550.00.
 * - year end by actual heads (四(六)1), days ÷ 365: H1 P1 2,250 + P2 1,350 + P5 1,350 × 184/365 + P6 1,350 × 245/365
 *   = 5,186.71; H2 P4 3,150 + P6 1,350 × 120/365 = 3,593.83 (P3 enrolled, no visit: not counted).
 * - fund-payable spending: H1 1,700 + 1,200 + 800 + 750 = 4,450.00; H2 4,000 + 700 = 4,700.00 (P2's visit at H2 is
 *   at the wrong institution: listed, counted nowhere).
 * - H1 surplus 736.71 × 80 % = 589.37 → 5,039.37, clearing 1,619.37; H2 overspend 1,106.17, 10 % edge 359.38 × 40 %
 *   = 143.75 → 3,737.58, clearing −4,812.42 (四(六)2、3).
 * - family doctor 100 元 (四(四)2): 30 June H1 1, H2 2 contracts → 50.00, 100.00; served (a visit during the
 *   contract): H1 P2, P5 → 200.00 − 50.00 = 150.00; H2 P1 → 100.00 − 100.00 = 0.00.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { writeHandRegionFiles, writeHandRegionPolicies } from './hand-region-files.ts';

const REPO = new URL('..', import.meta.url).pathname;
const BIN = join(REPO, 'bin', 'yibao.js');
const dir = mkdtempSync(join(tmpdir(), 'yibao-hand-capitation-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const exec = promisify(execFile);

async function yibao(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const r = await exec(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
    return { code: 0, out: `${r.stdout}${r.stderr}` };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof x.code === 'number' ? x.code : -1, out: `${x.stdout ?? ''}${x.stderr ?? ''}` };
  }
}

const csv = (path: string) =>
  readFileSync(join(dir, path), 'utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r?\n/)
    .map((l) => l.split(','));
const row = (rows: string[][], key: string) => {
  const r = rows.find((x) => x[0] === key);
  if (!r) throw new Error(`no row ${key}`);
  return Object.fromEntries(rows[0]!.map((h, i) => [h, r[i]!]));
};

describe('a hand-computed capitation, per-bed-day, single-disease and community region (seeds 004, 000 §6 §8, 001)', () => {
  it('agrees with the hand computation to the fen', async () => {
    writeHandRegionFiles(dir);
    expect((await yibao('init', 'city02', '--year', '2025', '--out', 'policies')).code).toBe(0);
    writeHandRegionPolicies(dir);
    expect((await yibao('policy', 'check', 'policies')).code).toBe(0);
    for (const kind of ['institutions', 'persons', 'enrolments', 'outpatient', 'cases']) {
      const r = await yibao('ingest', kind, `${kind}.csv`, '--policy', 'policies/qc-2025.yaml');
      expect(r.code, r.out).toBe(0);
      expect(r.out).toContain('拒收 0');
    }
    const settled = await yibao(
      'settle',
      '--region',
      'city02',
      '--year',
      '2025',
      '--policies',
      'policies',
      '--out',
      'out',
    );
    expect(settled.code, settled.out).toBe(0);
    expect(settled.out).toContain('住院病例 13 = 按床日 5 + 按病种 3 + DIP 5');

    // R-CAP-1/2: standards and corrected rates.
    const std = csv('out/capitation/capitation-standards.csv');
    expect(row(std, '职工').校正的基准病种人头费率).toBe('1800.00');
    expect(std.map((r) => [r[1], r[5], r[6]])).toEqual([
      ['门特病种', '历史人头标准（元）', '校正的基准病种人头费率'],
      ['D1', '2000.00', '1800.00'],
      ['D2', '4000.00', '3600.00'],
    ]);
    // R-CAP-4: plan and 95 % prepayment.
    const plan = csv('out/capitation/capitation-plan.csv');
    expect([row(plan, 'H1').年度病种人头付费总额, row(plan, 'H1')['全年预付（95%）']]).toEqual(['3600.00', '3420.00']);
    expect([row(plan, 'H2').年度病种人头付费总额, row(plan, 'H2')['全年预付（95%）']]).toEqual(['9000.00', '8550.00']);
    // R-CAP-3/5: year end by actual heads, sharing, clearing.
    const ye = csv('out/capitation/capitation-year-end.csv');
    const h1 = row(ye, 'H1');
    const h2 = row(ye, 'H2');
    expect([
      h1.实际就诊人头,
      h1.年度总额,
      h1.符合统筹基金支付范围的费用,
      h1.基金应付,
      h1['清算额（负数为退回）'],
    ]).toEqual(['4', '5186.71', '4450.00', '5039.37', '1619.37']);
    expect([h2.实际就诊人头, h2.未就诊人头, h2.年度总额, h2.基金应付, h2['清算额（负数为退回）']]).toEqual([
      '2',
      '1',
      '3593.83',
      '3737.58',
      '-4812.42',
    ]);
    expect(csv('out/capitation/capitation-unattributed.csv')[1]![0]).toBe('V2507');
    const fd = csv('out/capitation/family-doctor.csv');
    expect([row(fd, 'H1')['年中预付（50%）'], row(fd, 'H1')['年终拨付（负数为退回）']]).toEqual(['50.00', '150.00']);
    expect([row(fd, 'H2')['年中预付（50%）'], row(fd, 'H2')['年终拨付（负数为退回）']]).toEqual(['100.00', '0.00']);

    // R-PAY-BEDDAY / R-DIP-4 and R-PAY-DISEASE: each case's claim.
    const cases = csv('out/dip/city02-dip-2025-cases.csv');
    const claim = (id: string) => [row(cases, id).支付方式, row(cases, id).点数, row(cases, id).定额金额];
    expect(claim('PD01')).toEqual(['按床日付费', '1905.0000', '']);
    expect(claim('PD02')).toEqual(['按床日付费', '600.0000', '']);
    expect(claim('PD03')).toEqual(['按床日付费', '7740.0000', '']);
    expect(claim('PD04')).toEqual(['按床日付费', '675.0000', '']);
    expect(claim('PD05')[0]).toBe('按病种分值付费（DIP）');
    expect(claim('PD06')).toEqual(['按床日付费', '130.0000', '']);
    expect(claim('SD01')).toEqual(['按病种付费', '', '6500.00']);
    expect(claim('SD02')).toEqual(['按病种付费', '', '4550.00']);
    expect(claim('SD04')).toEqual(['按病种付费', '', '3500.00']);
    expect(claim('SD03')[0]).toBe('按病种分值付费（DIP）');
    // … and its 计算依据 says it left the pathway before the DIP words (it read only "未入组病例…").
    expect(row(cases, 'SD03').计算依据).toMatch(
      /^出径：住院 9 天超过路径 7 天，改为按病种分值付费（DIP）结算；未入组病例/,
    );

    // A listed disease that left its pathway says why it was not paid at its standard.
    const sd03 = await yibao('explain', 'case', 'SD03');
    expect(sd03.out).toContain('出径：住院 9 天超过路径 7 天，改为按病种分值付费（DIP）结算');
    const sd05 = await yibao('--lang', 'en', 'explain', 'case', 'SD05');
    expect(sd05.out).toContain('Leaves the pathway: discharge way 5 (died); paid by DIP');
    // A rehabilitation stay one day short of the category's minimum says why it is paid by DIP.
    const pd05 = await yibao('explain', 'case', 'PD05');
    expect(pd05.out).toContain('医疗康复（REH）须住院至少 15 天，本次 14 天：不按床日付费');
    // One head, every step (R-CAP-3: 245 of 365 days at H1 after the switch).
    const head = await yibao('explain', 'case', 'P6/D1/2025-05-01');
    expect(head.out).toContain('→ 906.1644');
    expect(head.out).toContain('→ 906.16');

    // R-MC-3: the community counts capitation at what its year end paid: 5,039.37 + 3,737.58 = 8,776.95, not the
    // heads' 8,780.54. Budget (R-BUD-4): 2024 fund spending of the county's 6 employees 2,800 + 200 (门诊调增费用, fund
    // money: it was left out) + 1,500 + 1,500 + 4,500 + 3,500 = 14,000.00 ÷ 6 × weight 0.5 (2022, 2023 nothing) =
    // 1,166.67 × (1 + 3.5 %) = 1,207.50 × 6 = 7,245.00; no resident is insured there, so the resident fund has no budget
    // (it stopped with a RangeError).
    const community = await yibao(
      'community',
      'settle',
      '--year',
      '2025',
      '--region',
      'city02',
      '--policies',
      'policies',
      '--out',
      'out/community',
    );
    expect(community.code, community.out).toBe(0);
    expect(community.out).toContain('基金预算 7245.00 元：职工 1207.50 元/人 × 6 人 = 7245.00 元');
    expect(community.out).toContain('按人头付费 8776.95 元');
    expect(community.out).toContain('家庭医生签约服务费 300.00 元');
  }, 300_000);

  // R-PAY-CAP referral fees (seed 000 二(七) "由基层医疗卫生机构或家庭医生团队支付一定的转诊费用"), by hand: with
  // `referralFee: visit-fund-spending`, P2's visit at H2 (V2507, fund 400.00) is charged to P2's institution H1: H1's
  // spending 4,450.00 + 400.00 = 4,850.00, surplus 5,186.71 − 4,850.00 = 336.71, retained 80 % = 269.368 → 269.37, the
  // fund pays 4,850.00 + 269.37 = 5,119.37 (was 5,039.37), clearing 5,119.37 − 3,420.00 = 1,699.37; H2 as before; the
  // visit is no longer listed as fitting no head.
  it('charges a head’s visit elsewhere to its institution when the policy says so (referral fee)', async () => {
    const file = join(dir, 'policies', 'capitation-2025.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('value: { method: none }');
    writeFileSync(file, text.replace('value: { method: none }', 'value: { method: visit-fund-spending }'));
    expect((await yibao('policy', 'check', 'policies')).code).toBe(0);
    const settled = await yibao(
      'settle',
      '--region',
      'city02',
      '--year',
      '2025',
      '--policies',
      'policies',
      '--out',
      'ref',
    );
    expect(settled.code, settled.out).toBe(0);
    const ye = csv('ref/capitation/capitation-year-end.csv');
    const h1 = row(ye, 'H1');
    expect([
      h1.实际就诊人头,
      h1.年度总额,
      h1['转诊费用（人头在其他机构就诊的统筹支付）'],
      h1['符合统筹基金支付范围的费用（含转诊费用）'],
      h1.结余,
      h1['机构留用（结余）/基金分担（超支）'],
      h1.基金应付,
      h1['清算额（负数为退回）'],
    ]).toEqual(['4', '5186.71', '400.00', '4850.00', '336.71', '269.37', '5119.37', '1699.37']);
    const h2 = row(ye, 'H2');
    expect([h2['转诊费用（人头在其他机构就诊的统筹支付）'], h2.基金应付, h2['清算额（负数为退回）']]).toEqual([
      '0.00',
      '3737.58',
      '-4812.42',
    ]);
    expect(csv('ref/capitation/capitation-unattributed.csv').slice(1)).toEqual([]);
    // The head's explanation shows the step with the clause (zh and en).
    const head = await yibao('explain', 'case', 'P2/D1/2025-01-01');
    expect(head.out).toContain('转诊费用：本人头在其他机构就诊的统筹基金支付额，计入本机构的基金支出');
    expect(head.out).toContain('→ 400.00');
    const en = await yibao('--lang', 'en', 'explain', 'case', 'P2/D1/2025-01-01');
    expect(en.out).toContain('Referral fee: the fund-payable amount of this head’s visits at other institutions');
    // R-MC-3: the community counts capitation at what this year end pays: 5,119.37 + 3,737.58 = 8,856.95.
    const community = await yibao(
      'community',
      'settle',
      '--year',
      '2025',
      '--region',
      'city02',
      '--policies',
      'policies',
      '--out',
      'ref/community',
    );
    expect(community.code, community.out).toBe(0);
    expect(community.out).toContain('按人头付费 8856.95 元');
  }, 300_000);
});
