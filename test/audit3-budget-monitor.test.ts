/**
 * audit3's hand cases (computed from the clauses before running yibao, by someone who had not read its code), run as a
 * new user types them in an empty folder outside the repository.
 *
 * Budget walk — four institutions (H1 level 3, H2 level 2, M1 妇幼 level 2, P1 基层), every case K35.800 + 47.0100 at
 * 10,000.00 with a fund payment of 7,000.00; history 2022–2024 H1 2, H2 2, M1 1, P1 1 a year; 2025 (all in March) H1 4,
 * H2 3, M1 2, P1 1:
 * - R-BUD-2 (002 四(一)): 100,000.00 revenue − 3 % reserve 3,000.00 − the eight listed items 20,000.00 = 77,000.00.
 * - R-DIP-6: 10,000 points, fund ratio 0.7, point value 77,000 ÷ 0.7 ÷ 10,000 = 11; an institution gets points × 7.7.
 * - R-BUD-3 / R-MON-4: H2's assessment coefficient 0.9: 23,100.00 × 0.9 = 20,790.00.
 * - R-BUD-5 (000 §4 视医院级别及信誉情况，预付 0-2 个月): months 2 / 1 / ½ for level 3 / 2 / 基层 and M1 at 0 by its
 *   credit: H1 14,000 ÷ 12 × 2 = 2,333.33, H2 14,000 ÷ 12 = 1,166.67, M1 0.00, P1 7,000 ÷ 12 × ½ = 291.67 → 3,791.67.
 * - Monthly: quota 42,000 ÷ 12 × 0.9 = 3,150.00 for March's 10,000 points, × 0.95 → 2,992.50 paid; clearing (年底办理决算:
 *   the advance comes back) 74,690.00 − 2,992.50 − 3,791.67 = 67,905.83.
 * - R-BUD-4 (001 二(二), 二(四)): a medical community of H2 and P1 — its budget from the history per head, the growth
 *   cap, one month advanced, out-of-county spending counted (figures in the test).
 *
 * Monitoring walk — A1, A2, A3 level 3 and B1 level 2; 2024 two plain K35.800 stays at each A (the upcoding baseline):
 * - R-MON-2 split admission: A1 readmits PX 2 days after discharge (medium), A2 PZ after 1 day (high), 7,000.00 each;
 *   PY's 20 days later is not one. Low-standard admission: J06.900 for 3 days at A3 and 2 days at B1 (1,400.00 each),
 *   not the 6-day one. Upcoding suspect: A2's MCC I50.900 with cost and stay at the level baseline's medians.
 * - R-MON-3: `monitor check` of each case at discharge gives the same prompt as the whole year.
 * - R-MON-1 (002 四(五) 与同级别医院平均水平对比): 15-day readmission A1 1/4, A2 1/3, A3 0 → the level average 0.194444
 *   for each; cost per case 10,000 / 10,000 / 5,000 → 8,333.33.
 * - R-MON-4: one or two suspicious flags on 2–4 cases is more than the 30 points the policy deducts at most per 1,000
 *   cases × 0.2: score 70 → coefficient 0.95 for every institution.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = new URL('..', import.meta.url).pathname;
const BIN = join(REPO, 'bin', 'yibao.js');
const exec = promisify(execFile);
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function yibao(dir: string, line: string): Promise<string> {
  const r = await exec(process.execPath, [BIN, ...line.split(/\s+/)], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
  return `${r.stdout}${r.stderr}`;
}

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'yibao-audit3-'));
  dirs.push(dir);
  return dir;
}

const ITEMS = [
  ['急诊', 1000],
  ['普通门诊统筹', 5000],
  ['门诊特慢病', 4000],
  ['门诊特殊用药', 500],
  ['统筹区域外就医', 6000],
  ['医保直接结算的药品及耗材费用', 500],
  ['大病保险', 2000],
  ['职工生育保险', 1000],
] as const;

describe('audit3 budget walk: R-BUD-2, R-BUD-3, R-BUD-4, R-BUD-5 by hand', () => {
  it('budget, year-end amounts, advances by level and credit, and the clearing, to the fen', async () => {
    const dir = folder();
    await yibao(dir, 'init aud3 --year 2025 --out policies');
    const file = join(dir, 'policies', 'dip-settlement-2025.yaml');
    const text = readFileSync(file, 'utf8')
      .replace(
        / {6}revenue: \d+\n {6}reserveRatio: [\d.]+\n {6}deductions:\n(?: {8}- .*\n)+/,
        `      revenue: 100000\n      reserveRatio: 0.03\n      deductions:\n${ITEMS.map(([i, a]) => `        - { item: ${i}, amount: ${a} }\n`).join('')}`,
      )
      .replace(
        /value: \{ "3": 1, "2": 1, "1": 1, primary: 1 \}/,
        'value: { "3": 2, "2": 1, "1": 1, primary: 0.5, byInstitution: { M1: 0 } }',
      );
    expect(text).toContain('byInstitution: { M1: 0 }');
    expect(text).toContain('{ item: 职工生育保险, amount: 1000 }');
    writeFileSync(file, text);
    writeFileSync(
      join(dir, 'institutions.csv'),
      '医疗机构编码,机构名称,医院等级,机构类型,所属区县\nH1,市第一人民医院,3,general,150101\nH2,县人民医院,2,general,150102\nM1,市妇幼保健院,2,maternal-child,150101\nP1,城关镇卫生院,primary,primary,150102\n',
    );
    const rows: string[] = [];
    const add = (inst: string, y: number, m: number, d: number) => {
      const n = String(rows.length + 1).padStart(3, '0');
      const date = (x: number) => `${y}-${String(m).padStart(2, '0')}-${String(x).padStart(2, '0')}`;
      rows.push(
        `S${y}${n},M${n},P${n},${inst},310,1,${y - 40}-01-01,40,${date(d)},${date(d + 4)},4,1,K35.800,47.0100,10000.00,7000.00,3000.00,3000.00`,
      );
    };
    for (const y of [2022, 2023, 2024])
      ['H1', 'H1', 'H2', 'H2', 'M1', 'P1'].forEach((inst, i) => {
        add(inst, y, 3 + i, 10);
      });
    ['H1', 'H1', 'H1', 'H1', 'H2', 'H2', 'H2', 'M1', 'M1', 'P1'].forEach((inst, i) => {
      add(inst, 2025, 3, 1 + i);
    });
    writeFileSync(
      join(dir, 'cases.csv'),
      `结算ID,就诊ID,人员编号,医疗机构编码,险种类型,性别,出生日期,年龄,入院日期,出院日期,住院天数,离院方式,主要诊断,主要手术,医疗总费用,统筹基金支付,个人自付,现金支付\n${rows.join('\n')}\n`,
    );
    writeFileSync(
      join(dir, 'assessments.csv'),
      '医疗机构编码,考核年度,考核系数,依据\nH2,2025,0.9,2025 年度考核结果通报\n',
    );
    await yibao(dir, 'ingest institutions institutions.csv --policy policies/qc-2025.yaml');
    await yibao(dir, 'ingest cases cases.csv --policy policies/qc-2025.yaml');
    await yibao(dir, 'ingest assessments assessments.csv');
    const out = await yibao(dir, 'settle --region aud3 --year 2025 --policies policies --out out/s');
    expect(out).toContain('基金预算：77000.00 元');
    expect(out).toContain('11.000000 元/点（浮动点值）');
    expect(out).toContain(
      '年度清算额合计：74690.00 元；年初预付 3791.67 元；月度已支付 2992.50 元；清算支付额 67905.83 元',
    );
    const h2 = await yibao(dir, 'explain settlement H2 --period 2025');
    expect(h2).toMatch(/预留基金 = 3000\.00/);
    expect(h2).toMatch(/考核系数 = 0\.9\n\s+→ 20790\.00/);
    expect(h2).toMatch(/预付月数 = 1\n\s+→ 1166\.67/);
    const m1 = await yibao(dir, 'explain settlement M1 --period 2025');
    expect(m1).toMatch(/按级别预付月数 = 1\n\s+按信誉预付月数 = 0\n\s+预付月数 = 0\n\s+→ 0\.00/);
    // 15,400.00 − 598.50 paid in March − no advance.
    expect(m1).toMatch(/年度清算额 = 15400\.00\n\s+月度已支付 = 598\.50\n\s+年初预付 = 0\.00\n\s+→ 14801\.50/);
    const p1 = await yibao(dir, '--lang en explain settlement P1 --period 2025');
    expect(p1).toMatch(/months advanced = 0\.5\n\s+→ 291\.67/);
    expect(p1).toContain('recovered at the year end');
    expect(p1).not.toMatch(/按级别|按信誉/);

    // R-BUD-4 (001 二(二)): a community of county 150102 (H2 leads, P1) serving the 14 insured persons of the county —
    // the H2 and P1 patients of every year and one 2025 H1 patient (S2025019, out of the county). History per head
    // 21,000.00 ÷ 14 = 1,500.00 each year; employee factors 3.5 % ≤ 4.5 % revenue growth → 1,552.50 × 14 = 21,735.00,
    // advance one month 1,811.25 (二(四)). Counted: members 23,100.00 + 7,700.00 + outside 7,000.00 = 37,800.00,
    // overspend 16,065.00: the fund bears 5 % of the budget × 50 % + the next 5 % × 30 % = 869.40 × the assessment
    // coefficient 0.8 (score 60: cost growth 66.7 % and primary visits 20 % miss) = 695.52. The community's year
    // 21,735.00 + 695.52 − 7,000.00 paid outside = 15,430.52.
    const template = readFileSync(join(REPO, 'policies', 'templates', 'shandong-community-payment.yaml'), 'utf8');
    writeFileSync(
      join(dir, 'policies', 'community-payment-2025.yaml'),
      template.replace('region: sd-template', 'region: aud3').replace(/^id: .*$/m, 'id: aud3-community-payment-2025'),
    );
    const demo = readFileSync(join(REPO, 'policies', 'demo', 'medical-community-2025.yaml'), 'utf8');
    const first = demo.split('      - id: MC990122')[0]!;
    writeFileSync(
      join(dir, 'policies', 'medical-community-2025.yaml'),
      first
        .replace('region: demo', 'region: aud3')
        .replace(/^id: .*$/m, 'id: aud3-medical-community-2025')
        .replace('id: MC990121', 'id: MC150102')
        .replace('county: "990121"', 'county: "150102"')
        .replace(/lead: H\d+/, 'lead: H2')
        .replace(/members: \[.*\]/, 'members: [H2, P1]')
        .replace(/signedBy: H\d+/, 'signedBy: H2'),
    );
    const persons = rows.map((r) => {
      const [id, , psn, inst] = r.split(',');
      const county = inst === 'H2' || inst === 'P1' || id === 'S2025019' ? '150102' : '150101';
      return `${psn},1,1980-01-01,310,${county}`;
    });
    writeFileSync(join(dir, 'persons.csv'), `人员编号,性别,出生日期,险种类型,参保地区县\n${persons.join('\n')}\n`);
    await yibao(dir, 'ingest persons persons.csv');
    const c = await yibao(dir, 'community settle --year 2025 --region aud3 --policies policies --out out/c');
    expect(c).toContain('基金预算 21735.00 元：职工 1552.50 元/人 × 14 人 = 21735.00 元');
    // Members by their methods as the run issued them (001 二(三) 按各种付费方式计算获取的医保基金): H2 23,100.00 × its
    // assessment coefficient 0.9 = 20,790.00, P1 7,700.00 → 28,490.00; + 7,000.00 outside the county = 35,490.00.
    expect(c).toContain(
      '纳入预算的实际支出 35490.00 元（成员单位按支付方式年度所得 28490.00 元 + 县域外等按结算清单统筹基金支付 7000.00 元）',
    );
    expect(c).toContain('职工超支 13755.00 元，基金分担 695.52 元');
    // Paid during the year: the DIP months H2 897.75 + P1 299.25 = 1,197.00; one advance, the community's 1,811.25.
    expect(c).toContain(
      '清算支付额 = 医共体年度应得 15430.52 元 − 月度已支付 1197.00 元 − 年初预付（医共体） 1811.25 元 = 12422.27 元',
    );
    expect(c).toContain('考核得分 60/100，考核系数 0.80');
  }, 600_000);
});

describe('audit3 monitoring walk: R-MON-1…4 by hand', () => {
  it('flags with evidence, the same at discharge, the same-level averages and the scores', async () => {
    const dir = folder();
    await yibao(dir, 'init aud3m --year 2025 --out policies');
    const monitor = readFileSync(join(REPO, 'policies', 'demo', 'monitor-2025.yaml'), 'utf8')
      .replace('region: demo', 'region: aud3m')
      .replace('id: demo-monitor-2025', 'id: aud3m-monitor-2025')
      .replace(/(baselineMinCases:\n {4}value: )20/, '$13');
    expect(monitor).toContain('baselineMinCases:\n    value: 3');
    writeFileSync(join(dir, 'policies', 'monitor-2025.yaml'), monitor);
    cpSync(join(REPO, 'policies', 'demo', 'monitor'), join(dir, 'policies', 'monitor'), { recursive: true });
    writeFileSync(
      join(dir, 'institutions.csv'),
      '医疗机构编码,机构名称,医院等级,机构类型,所属区县\nA1,甲一医院,3,general,150101\nA2,甲二医院,3,general,150101\nA3,甲三医院,3,general,150102\nB1,乙一医院,2,general,150102\n',
    );
    const rows: string[] = [];
    const add = (
      id: string,
      psn: string,
      inst: string,
      adm: string,
      dis: string,
      los: number,
      dx: string,
      proc: string,
      cost: number,
      fund: number,
    ) =>
      rows.push(
        `${id},M${id},${psn},${inst},310,1,1975-01-01,50,${adm} 08:00:00,${dis} 10:00:00,${los},1,${dx},${proc},0,0,${cost.toFixed(2)},${fund.toFixed(2)},${(cost - fund).toFixed(2)},${(cost - fund).toFixed(2)}`,
      );
    let n = 0;
    for (const inst of ['A1', 'A2', 'A3'])
      for (const k of [0, 1]) {
        n += 1;
        add(`H24${n}`, `Q${n}`, inst, `2024-0${3 + k}-01`, `2024-0${3 + k}-05`, 4, 'K35.800', '47.0100', 10_000, 7_000);
      }
    add('A1C1', 'PX', 'A1', '2025-03-01', '2025-03-05', 4, 'K35.800', '47.0100', 10_000, 7_000);
    add('A1C2', 'PX', 'A1', '2025-03-07', '2025-03-11', 4, 'K35.900', '47.0100', 10_000, 7_000);
    add('A1C3', 'PY', 'A1', '2025-04-01', '2025-04-05', 4, 'K35.800', '47.0100', 10_000, 7_000);
    add('A1C4', 'PY', 'A1', '2025-04-25', '2025-04-29', 4, 'K35.800', '47.0100', 10_000, 7_000);
    add('A2C1', 'PZ', 'A2', '2025-03-01', '2025-03-05', 4, 'K35.800', '47.0100', 10_000, 7_000);
    add('A2C2', 'PZ', 'A2', '2025-03-06', '2025-03-10', 4, 'K35.800', '47.0100', 10_000, 7_000);
    add('A2C3', 'PW', 'A2', '2025-05-01', '2025-05-05', 4, 'K35.800|I50.900', '47.0100', 10_000, 7_000);
    add('A3C1', 'PV', 'A3', '2025-06-01', '2025-06-04', 3, 'J06.900', '', 2_000, 1_400);
    add('A3C2', 'PU', 'A3', '2025-06-01', '2025-06-07', 6, 'J06.900', '', 3_000, 2_100);
    add('A3C3', 'PT', 'A3', '2025-07-01', '2025-07-05', 4, 'K35.800', '47.0100', 10_000, 7_000);
    add('B1C1', 'PS', 'B1', '2025-07-01', '2025-07-05', 4, 'K35.800', '47.0100', 10_000, 7_000);
    add('B1C2', 'PR', 'B1', '2025-08-01', '2025-08-03', 2, 'J06.900', '', 2_000, 1_400);
    writeFileSync(
      join(dir, 'cases.csv'),
      `setl_id,mdtrt_id,psn_no,fixmedins_code,insutype,gend,brdy,age,adm_time,dscg_time,act_ipt_days,dscg_way,diag_codes,oprn_oprt_codes,icu_days,days_rinp_flag_31,medfee_sumamt,hifp_pay,psn_selfpay,psn_cashpay\n${rows.join('\n')}\n`,
    );
    await yibao(dir, 'ingest institutions institutions.csv --policy policies/qc-2025.yaml');
    await yibao(dir, 'ingest cases cases.csv --policy policies/qc-2025.yaml');
    await yibao(dir, 'monitor run --year 2025 --policies policies --region aud3m --out out/m');
    const doc = JSON.parse(readFileSync(join(dir, 'out', 'm', 'monitor-2025.json'), 'utf8')) as {
      flags: { flagId: string; severity: string; amount: number; evidence: Record<string, unknown> }[];
      indicators: { institutionCode: string; indicator: string; value: number; levelMean?: number; peers: number }[];
      scores: { institutionCode: string; score: string; coefficient: string }[];
    };
    const flags = Object.fromEntries(doc.flags.map((f) => [f.flagId, [f.severity, f.amount]]));
    expect(flags).toEqual({
      'YB-CS-001:A1C2': ['medium', 700_000],
      'YB-CS-001:A2C2': ['high', 700_000],
      'YB-CS-003:A3C1': ['medium', 140_000],
      'YB-CS-003:B1C2': ['medium', 140_000],
      'YB-CS-004:A2C3': ['medium', 0],
    });
    expect(doc.flags.find((f) => f.flagId === 'YB-CS-001:A1C2')!.evidence).toMatchObject({
      previousSetlId: 'A1C1',
      gapDays: 2,
    });
    expect(doc.flags.find((f) => f.flagId === 'YB-CS-004:A2C3')!.evidence).toMatchObject({
      secondary: 'I50.900',
      baselineMedianCost: 1_000_000,
      baselineCases: 6,
    });
    for (const [setl, rule, shown] of [
      ['A1C2', 'YB-CS-001', '7000.00'],
      ['A2C2', 'YB-CS-001', '7000.00'],
      ['A3C1', 'YB-CS-003', '1400.00'],
      ['B1C2', 'YB-CS-003', '1400.00'],
      ['A2C3', 'YB-CS-004', '0.00'],
    ] as const) {
      const one = await yibao(dir, `monitor check ${setl} --policies policies --region aud3m`);
      expect(one).toContain(`病例 ${setl}：1 条提示`);
      expect(one).toContain(`${rule} `);
      expect(one).toContain(` ${shown} — `);
    }
    for (const setl of ['A1C1', 'A1C4', 'A3C2'])
      expect(await yibao(dir, `monitor check ${setl} --policies policies --region aud3m`)).toContain('0 条提示');
    const ind = (inst: string, name: string) =>
      doc.indicators.find((i) => i.institutionCode === inst && i.indicator === name)!;
    for (const inst of ['A1', 'A2', 'A3']) expect(ind(inst, 'readmit15').levelMean).toBeCloseTo((0.25 + 1 / 3) / 3, 12);
    expect(ind('A1', 'readmit15').value).toBe(0.25);
    expect(ind('A1', 'costPerCase').levelMean).toBeCloseTo(2_500_000 / 3, 6);
    expect(ind('B1', 'readmit15').levelMean).toBeUndefined();
    expect(doc.scores.map((s) => [s.institutionCode, s.score, s.coefficient])).toEqual([
      ['A1', '70.00', '0.9500'],
      ['A2', '70.00', '0.9500'],
      ['A3', '70.00', '0.9500'],
      ['B1', '70.00', '0.9500'],
    ]);
  }, 600_000);
});
