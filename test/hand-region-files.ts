/**
 * The files of the hand-computed region of test/hand-capitation-region.test.ts (audit2), shared with
 * test/explain-institution-year.test.ts: institutions, persons, enrolments, outpatient special-disease visits and
 * inpatient cases (DIP, per-bed-day, single-disease), and its policies for region city02. The hand computation is
 * in the comment of hand-capitation-region.test.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const REPO = new URL('..', import.meta.url).pathname;

export function writeHandRegionFiles(dir: string): void {
  writeFileSync(
    join(dir, 'institutions.csv'),
    [
      '医疗机构编码,机构名称,医院等级,机构类型,所属区县,医共体编号,是否牵头医院',
      'H1,市第一人民医院,3,general,990101,MC01,1',
      'H2,城东社区卫生服务中心,primary,primary,990101,MC01,0',
      'H3,市精神卫生中心,2,psychiatric,990102,,0',
      'H4,市康复医院,2,rehabilitation,990102,,0',
      '',
    ].join('\n'),
  );
  const cases = [
    '结算ID,就诊ID,人员编号,医疗机构编码,险种类型,性别,出生日期,年龄,入院日期,出院日期,住院天数,离院方式,主要诊断,主要手术,医疗总费用,统筹基金支付,个人自付,现金支付',
  ];
  const day = (iso: string, plus: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + plus * 86_400_000);
  const add = (id: string, inst: string, adm: string, los: number, dx: string, px: string, cost: number, way = '1') => {
    const fund = cost * 0.8;
    const own = (cost - fund).toFixed(2);
    const out = day(adm, los).toISOString().slice(0, 10);
    cases.push(
      [
        id,
        `M${id}`,
        `Q${id}`,
        inst,
        '310',
        dx.startsWith('O') ? '2' : '1',
        '1970-01-01',
        String(Number(adm.slice(0, 4)) - 1970),
      ]
        .concat([adm, out, String(los), way, dx, px, cost.toFixed(2), fund.toFixed(2), own, own])
        .join(','),
    );
  };
  let n = 0;
  for (const y of [2022, 2023, 2024])
    for (let i = 0; i < 6; i++)
      add(`S${y}${String(++n).padStart(3, '0')}`, i % 2 ? 'H1' : 'H2', `${y}-0${3 + i}-10`, 4, 'K29.700', '', 5000);
  add('DIP01', 'H1', '2025-03-10', 4, 'K29.700', '', 5000);
  add('DIP02', 'H2', '2025-03-12', 4, 'K29.700', '', 5000);
  add('PD01', 'H3', '2025-02-01', 75, 'F20.000', '', 20000); // PSY psychiatric: 60 × 260 + 15 × 230 = 19,050.00
  add('PD02', 'H1', '2025-05-01', 20, 'F32.900', '', 7000); // PSY general: 20 × 300 = 6,000.00
  add('PD03', 'H4', '2025-03-01', 200, 'I69.300', '', 80000); // REH rehabilitation: 60 × 420 + 120 × 380 + 20 × 330
  add('PD04', 'H1', '2025-06-01', 15, 'I69.300', '', 7000); // REH general, exactly the minimum 15 days: 15 × 450
  add('PD05', 'H4', '2025-06-01', 14, 'I69.300', '', 6000); // 14 < 15 days: not per-bed-day
  add('PD06', 'H2', '2025-07-01', 5, 'Z51.500', '', 1500); // PAL primary: 5 × 260 = 1,300.00
  add('SD01', 'H1', '2025-04-01', 5, 'K35.800', '47.0100', 7000); // SD001 level 3: 6,500.00
  add('SD02', 'H2', '2025-04-02', 4, 'K35.800', '47.0100', 5000); // SD001 primary: 4,550.00
  add('SD03', 'H1', '2025-04-03', 9, 'K35.800', '47.0100', 9000); // 9 > 7 days: leaves the pathway
  add('SD04', 'H1', '2025-04-04', 3, 'O80.000', '', 4000); // SD014 level 3: 3,500.00
  add('SD05', 'H1', '2025-04-05', 5, 'K35.800', '47.0100', 7000, '5'); // death: leaves the pathway
  writeFileSync(join(dir, 'cases.csv'), `${cases.join('\n')}\n`);
  writeFileSync(
    join(dir, 'persons.csv'),
    '人员编号,性别,出生日期,险种类型,参保地区县\nP1,1,1950-06-01,310,990101\nP2,1,1980-03-01,310,990101\nP3,2,1955-01-01,310,990101\nP4,2,1970-07-01,310,990101\nP5,1,1990-01-01,310,990101\nP6,2,1960-05-05,310,990101\n',
  );
  writeFileSync(
    join(dir, 'enrolments.csv'),
    [
      '人员编号,门特病种编码,门特类别,险种类型,治疗定点机构,家庭医生签约机构,开始日期,结束日期',
      'P1,D1,2,310,H1,,2024-01-01,2024-12-31',
      'P2,D1,2,310,H1,,2024-01-01,2024-12-31',
      'P6,D1,2,310,H2,,2024-01-01,2024-12-31',
      'P3,D2,2,310,H2,,2024-01-01,2024-12-31',
      'P4,D2,2,310,H2,,2024-01-01,2024-12-31',
      'P4,K1,1,310,H1,,2024-01-01,2025-12-31',
      'P1,D1,2,310,H1,H2,2025-01-01,2025-12-31',
      'P2,D1,2,310,H1,H1,2025-01-01,2025-12-31',
      'P3,D2,2,310,H2,H2,2025-01-01,2025-12-31',
      'P4,D2,2,310,H2,,2025-01-01,2025-12-31',
      'P6,D1,2,310,H2,,2025-01-01,2025-04-30',
      'P6,D1,2,310,H1,,2025-05-01,2025-12-31',
      'P5,D1,2,310,H1,H1,2025-07-01,2025-12-31',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'outpatient.csv'),
    [
      '结算ID,人员编号,医疗机构编码,险种类型,门特病种编码,结算时间,医疗费总额,统筹基金支出,门诊调增费用,个人自付',
      'V2401,P1,H1,310,D1,2024-03-01 10:00:00,3500.00,2800.00,200.00,500.00',
      'V2402,P2,H1,310,D1,2024-04-01 10:00:00,2000.00,1500.00,0.00,500.00',
      'V2403,P6,H2,310,D1,2024-05-01 10:00:00,2000.00,1500.00,0.00,500.00',
      'V2404,P3,H2,310,D2,2024-06-01 10:00:00,6000.00,4500.00,0.00,1500.00',
      'V2405,P4,H2,310,D2,2024-07-01 10:00:00,4000.00,3500.00,0.00,500.00',
      'V2501,P1,H1,310,D1,2025-03-10 10:00:00,2000.00,1600.00,100.00,300.00',
      'V2502,P2,H1,310,D1,2025-05-05 10:00:00,1500.00,1200.00,0.00,300.00',
      'V2503,P5,H1,310,D1,2025-08-01 10:00:00,1000.00,800.00,0.00,200.00',
      'V2504,P6,H2,310,D1,2025-02-02 10:00:00,1000.00,700.00,0.00,300.00',
      'V2505,P6,H1,310,D1,2025-06-06 10:00:00,1000.00,750.00,0.00,250.00',
      'V2506,P4,H2,310,D2,2025-04-04 10:00:00,5000.00,4000.00,0.00,1000.00',
      'V2507,P2,H2,310,D1,2025-06-01 10:00:00,500.00,400.00,0.00,100.00',
      '',
    ].join('\n'),
  );
}

/** The region's policies: `init`'s four, the demo's capitation (cap written as 12,600.00), per-diem, single-disease,
 * community and benefits files for region city02, one community MC01 = H1 (lead) + H2. */
export function writeHandRegionPolicies(dir: string): void {
  const demo = join(REPO, 'policies', 'demo');
  const retag = (t: string) => t.replace(/^region: demo$/m, 'region: city02').replace(/^id: demo-/m, 'id: city02-');
  for (const k of ['per-diem', 'single-disease', 'benefits', 'community-payment'])
    writeFileSync(join(dir, 'policies', `${k}-2025.yaml`), retag(readFileSync(join(demo, `${k}-2025.yaml`), 'utf8')));
  const cap = retag(readFileSync(join(demo, 'capitation-2025.yaml'), 'utf8'))
    .replace('  capShareOfBudget:\n    value: 0.036', '  capShareOfBudget:\n    value: null')
    .replace('  capAmount:\n    value: null', '  capAmount:\n    value: { employee: 12600, resident: 0 }');
  writeFileSync(join(dir, 'policies', 'capitation-2025.yaml'), cap);
  const mc = retag(readFileSync(join(demo, 'medical-community-2025.yaml'), 'utf8'));
  const head = mc.slice(0, mc.indexOf('    value:\n      - id: MC990121'));
  const items = ['personnel', 'finance', 'assets', 'operations', 'drug-catalog', 'drug-distribution']
    .map((i) => `            - { item: ${i}, passed: true }`)
    .join('\n');
  writeFileSync(
    join(dir, 'policies', 'medical-community-2025.yaml'),
    `${head}    value:
      - id: MC01
        name: 东城县医共体
        county: "990101"
        lead: H1
        members: [H1, H2]
        assessment:
          by: 东城县医共体管委会
          date: 2024-11-12
          items:
${items}
        application: { date: 2024-11-18, by: lead-hospital, to: 东城县医疗保障局 }
        jointReview: { date: 2024-12-03, departments: [东城县医疗保障局, 东城县财政局, 东城县卫生健康局], passed: true }
        approval: { date: 2024-12-18, departments: [样例市医疗保障局, 样例市财政局, 样例市卫生健康委], effectiveFrom: 2025-01-01 }
        agreement: { signedOn: 2024-12-27, signedBy: H1 }
`,
  );
  const settlement = join(dir, 'policies', 'dip-settlement-2025.yaml');
  writeFileSync(
    settlement,
    readFileSync(settlement, 'utf8').replace(
      / {2}budget:\n {4}value:\n(?: {6,}.*\n)+/,
      '  budget:\n    value: { method: given, amount: 100000 }\n',
    ),
  );
}
