/**
 * `yibao estimate` and `yibao hospital settle` through commander on the example published folders
 * (examples/hospital): the numbers a hospital would see, checked by hand against the published catalog.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { REPO_ROOT } from '../grouping/drg/reference-dir.ts';
import type { ProfitLine } from '../hospital/profit.ts';
import type { CaseEstimate } from '../hospital/types.ts';
import { hospitalTables } from '../report/hospital-rows.ts';
import { asciiPunctuationInZh } from '../report/zh-punctuation.ts';
import { buildInstitutions } from '../synth/region.ts';
import { lossLines, registerHospitalCommands } from './hospital-commands.ts';

const tmp = mkdtempSync(join(tmpdir(), 'yibao-hospital-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());
const ex = (p: string) => join(REPO_ROOT, 'examples', 'hospital', p);
/**
 * The DIP example without the region's carve-outs (its per-bed-day and single-disease files): the tests of DIP's own
 * arithmetic below price every example case by DIP (with them, the pneumonia and appendectomy cases inside a
 * single-disease pathway are paid their fixed standard, as the demo's agency pays them: see the carve-out tests).
 */
const DIP_ONLY = join(tmp, 'dip-only');
cpSync(ex('dip'), DIP_ONLY, { recursive: true });
for (const f of ['per-diem-2025.yaml', 'single-disease-2025.yaml']) rmSync(join(DIP_ONLY, f));

async function run(args: string[], json = false, lang: 'zh' | 'en' = 'zh'): Promise<string> {
  const program = new Command('yibao').exitOverride();
  registerHospitalCommands(program, () => ({ lang, json, db: ':memory:' }));
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  await program.parseAsync(['node', 'yibao', ...args]);
  vi.restoreAllMocks();
  return out;
}

describe('yibao estimate / hospital settle (examples/hospital/dip: level 3, reference 10 元/点, forecast 9.5 元/点)', () => {
  it('R-DIP-3 estimate C002 (appendectomy 1000 points, 21,000 元 > 2 × 10,000): high-cost, 1,100 points × 9.5 = 10,450 元', async () => {
    const out = await run(['estimate', '--published', DIP_ONLY, '--in', ex('cases.csv'), '--id', 'C002'], true);
    const e = JSON.parse(out);
    expect([e.group, e.position, e.points, e.expectedPayment, e.profit]).toEqual([
      'K35.8|47.0901',
      'high-cost',
      11_000_000,
      1_045_000,
      -1_055_000,
    ]);
    expect(e.thresholds).toEqual({ low: 500_000, high: 2_000_000 });
  });
  it('estimate from flags prints the glossary words, no field names', async () => {
    const out = await run([
      'estimate',
      '--published',
      DIP_ONLY,
      '--inst',
      'H99010200001',
      '--dx',
      'J18.900',
      '--dscg',
      '2025-06-10',
      '--adm',
      '2025-06-04',
      '--los',
      '6',
      '--cost',
      '5200',
      '--fund',
      '3600',
      '--dept',
      '02',
      '--doctor',
      'D0003',
      '--age',
      '60',
    ]);
    expect(out).toContain('支付标准：4750.00 元');
    expect(out).toContain('事前提示：无');
    // zh in full-width punctuation (it read "支付标准: 4750.00 元").
    expect(asciiPunctuationInZh(out)).toEqual([]);
    expect(out).toContain('费用低于 2500.00 元 为低倍率病例');
    expect(out).toContain('预测盈亏：-450.00 元');
    expect(out).not.toMatch(/\b(rw|meanCost|levelCoefficient|expectedPayment)\b/);
  });
  it('R-DIP-6 estimate from flags without --fund says the fund share is not estimated (it printed 4750 − 5200 = −450 as the fund)', async () => {
    const args = ['estimate', '--published', DIP_ONLY, '--inst', 'H99010200001', '--dx', 'J18.900', '--age', '60'];
    const flags = [...args, '--dscg', '2025-06-10', '--adm', '2025-06-04', '--los', '6', '--cost', '5200'];
    const zh = await run(flags);
    expect(zh).toContain('其中统筹基金支付（预测）：未估算（未给出统筹基金支付 --fund');
    // no --id: the id line says none was given, not the internal word 'estimate' (it printed '结算ID estimate')
    expect(zh).toContain('结算ID （未给出，按参数预测）');
    expect(zh).not.toMatch(/estimate/);
    expect(zh).toContain('预测盈亏：-450.00 元');
    const en = await run(flags, false, 'en');
    expect(en).toContain('of which pooled-fund payment (expected): not estimated (no pooled-fund payment --fund given');
    expect(en).toContain('settlement id (none given: typed as flags)');
    const e = JSON.parse(await run(flags, true));
    expect([e.expectedFund, e.fundBasis]).toEqual([null, 'not-given']);
    // With --fund 3600 the patient paid 5,200 − 3,600 = 1,600: the fund's part is 4,750 − 1,600 = 3,150 元.
    expect(await run([...flags, '--fund', '3600'])).toContain('其中统筹基金支付（预测）：3150.00 元');
  });
  it('estimate from flags without --age says --age is missing (it estimated a 0-year-old: 年龄为 0 岁，年龄(天)必填)', async () => {
    const args = ['estimate', '--published', DIP_ONLY, '--inst', 'H99010200001', '--dx', 'J18.900'];
    await expect(run([...args, '--dscg', '2025-06-10', '--cost', '5200'])).rejects.toThrow(/缺少 --age/);
  });
  // walk4 item 9: README's flag form without --adm was estimated as a 1-day stay at the discharge date (QC: 手术日期
  // 不在住院期间); with --adm 03-01 and no --los, as 1 day against the dates' 4 (QC: 相差超过 1 天). Both exit 1.
  it('estimate from flags takes the stay from --adm and --dscg (03-01 → 03-05: 4 days) and asks for --adm', async () => {
    const args = ['estimate', '--published', DIP_ONLY, '--inst', 'H99010200001', '--age', '45', '--dx', 'K35.800'];
    const flags = [...args, '--proc', '47.0901@2025-03-02', '--dscg', '2025-03-05', '--cost', '9800'];
    await expect(run(flags)).rejects.toThrow('缺少 --adm（或用 --in 文件）');
    await expect(run(flags, false, 'en')).rejects.toThrow('--adm is required (or --in FILE)');
    const e = JSON.parse(await run([...flags, '--adm', '2025-03-01'], true));
    expect([e.losDays, e.prompts.filter((p: { level: string }) => p.level === 'reject')]).toEqual([4, []]);
    // K35.8 + 47.0901, 1000 points at 9.5 元/点 = 9,500 元 (9,800 between 5,000 and 20,000: a normal case)
    expect([e.group, e.position, e.expectedPayment]).toEqual(['K35.8|47.0901', 'normal', 950_000]);
    // --los still wins (and QC says when it is off the dates by more than a day)
    const off = JSON.parse(await run([...flags, '--adm', '2025-03-01', '--los', '9'], true));
    expect(off.prompts.map((p: { code: string }) => p.code)).toContain('E_LOS_MISMATCH');
  });
  it('estimate --id of a case not in the file says so, with the file’s ids (it said only 没有要预测的病例)', async () => {
    const call = ['estimate', '--published', DIP_ONLY, '--in', ex('cases.csv'), '--id', 'NOPE'];
    await expect(run(call)).rejects.toThrow(
      /^结算ID NOPE 不在 \S+cases\.csv 中（文件有 \d+ 例：C001、C002、\S+ 等）：请核对 --id，或去掉 --id 预测文件中的全部病例$/,
    );
    await expect(run(call, false, 'en')).rejects.toThrow(
      /^settlement id NOPE is not in \S+cases\.csv \(it has \d+ cases: C001, C002, .*, …\): check --id, or leave it out to estimate every case of the file$/,
    );
  });
  // A new user followed the usage example `yibao estimate --published …/examples/hospital/dip` and read only
  // "缺少 --inst（或用 --in 文件）": which else, and how? Now every missing flag at once, and two calls that run.
  it('estimate with only --published names every flag a case needs and two calls to copy, both of which run', async () => {
    const err = (lang: 'zh' | 'en') =>
      run(['estimate', '--published', ex('dip')], false, lang).then(
        () => '',
        (e: Error) => e.message,
      );
    const zh = await err('zh');
    const [head, byFlags, byFile] = zh.split('\n');
    expect(head).toBe('缺少 --inst、--age、--dx、--adm、--dscg、--cost：用选项给出一个病例，或用 --in 给出病例文件');
    expect(byFlags).toBe(
      `例如: yibao estimate --published ${ex('dip')} --inst H99010200001 --age 61 --dx K35.800 --proc 47.0901@2025-03-03 --adm 2025-03-02 --dscg 2025-03-14 --los 12 --cost 21000`,
    );
    expect(byFile).toMatch(/^或: yibao estimate --published \S+ --in \S+cases\.csv --id C002$/);
    // Both calls run: the appendectomy C002 of the example cases (21,000 元, high-cost), by flags and by file.
    const flags = byFlags!.replace(/^例如: yibao /, '').split(' ');
    const file = byFile!.replace(/^或: yibao /, '').split(' ');
    const a = JSON.parse(await run(flags, true));
    const b = JSON.parse(await run(file, true));
    expect([a.group, a.position, a.expectedPayment]).toEqual(['K35.8|47.0901', 'high-cost', 1_045_000]);
    expect(JSON.stringify(a.prompts)).not.toContain('不在住院期间'); // the procedure date is inside the stay
    expect([b.group, b.position, b.expectedPayment]).toEqual(['K35.8|47.0901', 'high-cost', 1_045_000]);
    expect((await err('en')).split('\n')[0]).toBe(
      'missing --inst, --age, --dx, --adm, --dscg, --cost: give one case by its options, or a case file with --in',
    );
  });
  it('R-DIP-6 hospital settle writes the workbook and the ranked losses', async () => {
    const outDir = join(tmp, 'dip');
    const out = await run(['hospital', 'settle', '--published', DIP_ONLY, '--in', ex('cases.csv'), '--out', outDir]);
    expect(out).toContain('亏损最多的病种');
    expect(out).toContain('1. H99010200001 S72 综合病种（相关手术）');
    expect(existsSync(join(outDir, 'hospital.xlsx'))).toBe(true);
    const groups = readFileSync(join(outDir, 'hospital-groups.csv'), 'utf8');
    // K35.8 + 47.0901: C001 8,000 → 9,500; C002 21,000 → 10,450: payment 19,950, loss −9,050.
    // The core group by its stable code, as every file writes it (walk6: K35.8|47.0901), its published name beside it.
    expect(groups).toContain('H99010200001,K35.8|47.0901,急性阑尾炎-腹腔镜下阑尾切除术,2,29000.00,19950.00');
    expect(groups.trim().split('\n').at(-1)).toMatch(/^合计,,,7,96800.00,/);
    // The indices say what they are measured against; a group's time index against its own cases is blank, not 1.
    expect(out).toContain(
      '消耗指数参照：费用消耗指数按公布的病种次均费用（5/5 个病种，其余按本文件病例）；时间消耗指数按本文件病例的同病种平均住院日（地区平均住院日未公布）；只与自身比较（恒为 1）的行留空',
    );
    const en = await run(
      ['hospital', 'settle', '--published', DIP_ONLY, '--in', ex('cases.csv'), '--out', outDir],
      false,
      'en',
    );
    expect(en).toContain(
      'consumption indices against: cost — the published mean cost of the DIP groups (5 of 5, the rest the mean of these cases); time — the mean stay of the same DIP group in these cases (no regional stay is published); lines compared only with themselves (always 1) are left blank',
    );
    const [head, appendectomy] = groups.split('\n').filter((l, i) => i === 0 || l.includes('K35.8|47.0901'));
    const at = (k: string) => appendectomy!.split(',')[head!.split(',').indexOf(k)];
    // cost index: (8,000 + 21,000) ÷ 9,800 ÷ 2 = 1.4796 against the published mean cost; time index blank.
    expect([at('时间消耗指数'), at('费用消耗指数')]).toEqual(['', '1.4796']);
  });
  it('departments by name in the asked language: terminal and hospital-departments.csv (en showed 03 内科; the CSV had codes only)', async () => {
    const outZh = join(tmp, 'dept-zh');
    const zh = await run(['hospital', 'settle', '--published', DIP_ONLY, '--in', ex('cases.csv'), '--out', outZh]);
    expect(zh).toMatch(/\. H99010200001 03 内科：病例 \d+，预测盈亏 /);
    // zh in full-width punctuation (it printed 亏损最多的病种: and 内科: 病例 3, 预测盈亏 …).
    expect(asciiPunctuationInZh(zh)).toEqual([]);
    const dz = readFileSync(join(outZh, 'hospital-departments.csv'), 'utf8').split('\n');
    expect(dz[0]!.split(',').slice(0, 4)).toEqual(['\uFEFF机构编码', '出院科别', '科室名称', '病例数']);
    expect(dz.find((l) => l.startsWith('H99010200001,03,'))).toMatch(/^H99010200001,03,内科,/);
    const outEn = join(tmp, 'dept-en');
    const en = await run(
      ['hospital', 'settle', '--published', DIP_ONLY, '--in', ex('cases.csv'), '--out', outEn],
      false,
      'en',
    );
    expect(en).toMatch(/\. H99010200001 03 internal medicine: /);
    expect(en).not.toMatch(/内科|外科|全科医疗科|妇产科/);
    const de = readFileSync(join(outEn, 'hospital-departments.csv'), 'utf8');
    expect(de).toContain('H99010200001,03,internal medicine,');
  });
  it('R-DIP-3 costPaidCases: year-end (the example’s default): a low-cost case is paid its cost and shows the points it is worth; 次均点数 counts them', async () => {
    // L1: appendectomy (1000 points, level 3, reference 10 元/点: standard 10,000 元, low threshold 5,000 元) at
    // 4,000 元 → low-cost, paid 4,000.00 元 = 4,000 ÷ 9.5 = 421.0526 points (before: no 病例点数 line at all).
    const flags = [
      '--inst',
      'H99010200001',
      '--age',
      '40',
      '--adm',
      '2025-05-01',
      '--dscg',
      '2025-05-03',
      '--los',
      '2',
    ];
    const low = await run([
      'estimate',
      '--published',
      DIP_ONLY,
      ...flags,
      '--dx',
      'K35.800',
      '--proc',
      '47.0901@2025-05-01',
      '--cost',
      '4000',
      '--fund',
      '2800',
    ]);
    expect(low).toContain('医疗费用总额：4000.00 元 → 低倍率病例');
    // walk6 item 4: the agency's cases sheet leaves 点数 blank for such a case (it is paid its cost, 002 四(二) 按实际费用
    // 确定病种分值, not counted in the total points); the estimate says the same, and gives the points its cost is worth
    // under their own name, the one the hospital's cases sheet heads them with (按实际费用折算点数).
    expect(low).toContain('病例点数：—（按金额支付，不计入总点数）');
    expect(low).toContain('按实际费用折算点数：421.0526（低倍率病例按实际费用 4000.00 元 ÷ 点值 9.5000 元/点）');
    expect(low).toContain('预测支付：4000.00 元');
    expect(asciiPunctuationInZh(low)).toEqual([]);
    const lowEn = await run(
      [
        'estimate',
        '--published',
        DIP_ONLY,
        ...flags,
        '--dx',
        'K35.800',
        '--proc',
        '47.0901@2025-05-01',
        '--cost',
        '4000',
        '--fund',
        '2800',
      ],
      false,
      'en',
    );
    expect(lowEn).toContain('points: — (paid as an amount, not counted in the total points)');
    expect(lowEn).toContain(
      'points of a case paid its cost: 421.0526 (the low-cost case’s actual cost, 4000.00 yuan, ÷ point value 9.5000 yuan per point)',
    );
    // U1: a diagnosis of no group of the catalog → ungrouped, paid 3,000 × 0.7 = 2,100.00 元 = 221.0526 points.
    const ung = await run([
      'estimate',
      '--published',
      DIP_ONLY,
      ...flags,
      '--dx',
      'A01.000',
      '--cost',
      '3000',
      '--fund',
      '2100',
    ]);
    expect(ung).toContain('预测支付：2100.00 元');
    expect(ung).toContain('病例点数：—（按金额支付，不计入总点数）');
    expect(ung).toContain(
      '按实际费用折算点数：221.0526（未入组病例按规定比例折算的费用 2100.00 元 ÷ 点值 9.5000 元/点）',
    );
    // The year: the example's C001 (1000 points) and C002 (1100 points, high-cost) with L1 in the same group:
    // 次均点数 = (1000 + 1100 + 421.0526) ÷ 3 = 840.3509 (before: (1000 + 1100 + 0) ÷ 3 = 700).
    const file = join(tmp, 'with-low.csv');
    const rows = readFileSync(ex('cases.csv'), 'utf8').trimEnd();
    writeFileSync(
      file,
      `${rows}\nL1,M9,P9,H99010200001,310,1,40,2025-05-01,2025-05-03,2,1,03,D0002,李娜,K35.800,47.0901,2025-05-01,4000.00,2800.00\n`,
    );
    const outDir = join(tmp, 'dip-low');
    await run(['hospital', 'settle', '--published', DIP_ONLY, '--in', file, '--out', outDir]);
    const groups = readFileSync(join(outDir, 'hospital-groups.csv'), 'utf8').split('\n');
    const header = groups[0]!.split(',');
    const appendectomy = groups.find((l) => l.startsWith('H99010200001,K35.8|47.0901,'))!.split(',');
    expect(appendectomy[header.indexOf('次均点数')]).toBe('840.3509');
    const cases = readFileSync(join(outDir, 'hospital-cases.csv'), 'utf8').split('\n');
    const caseHeader = cases[0]!.split(',');
    const l1 = cases.find((l) => l.startsWith('L1,'))!.split(',');
    // 病例点数 stays blank (reconcile reads it as the points claimed); the points it is worth beside it.
    expect([l1[caseHeader.indexOf('病例点数')], l1[caseHeader.indexOf('按实际费用折算点数')]]).toEqual([
      '',
      '421.0526',
    ]);
  });
  it('hospital settle and estimate read a case file with a title row above the header, and say it was skipped', async () => {
    // Before: "title.csv 第 3 行：缺少 医疗费总额（medfee_sumamt）", exit 3, though yibao qc found the header on row 3.
    const file = join(tmp, 'title.csv');
    writeFileSync(file, `2025年本院住院结算清单\n\n${readFileSync(ex('cases.csv'), 'utf8')}`);
    const out = await run(['hospital', 'settle', '--published', DIP_ONLY, '--in', file, '--out', join(tmp, 'title')]);
    expect(out).toContain('  表头在第 3 行，其上的行已跳过：第 1 行“2025年本院住院结算清单”');
    expect(
      readFileSync(join(tmp, 'title', 'hospital-groups.csv'), 'utf8')
        .trim()
        .split('\n')
        .at(-1),
    ).toMatch(/^合计,,,7,96800.00,/);
    const en = await run(['estimate', '--published', DIP_ONLY, '--in', file, '--id', 'C002'], false, 'en');
    expect(en.split('\n')[0]).toBe('header on row 3; the rows above it were skipped: row 1 "2025年本院住院结算清单"');
    expect(en).toContain('expected payment: 10450.00 yuan');
  });
  it('R-DATA-1 hospital settle keeps a case QC would reject (出院 before 入院) out of every total, lists it and exits 1', async () => {
    // The example's 8 cases (C008 refused for its principal Z37.000: 7 counted, cost 96,800 元) and R9, an appendectomy of 9,000 元 discharged before it was admitted:
    // the settlement-list QC rejects it (E_DATE_ORDER), so the agency never pays it as it is. Before: 病例 9 in every
    // total (cost 114,900 元) and exit 0.
    const file = join(tmp, 'with-reject.csv');
    const rows = readFileSync(ex('cases.csv'), 'utf8').trimEnd();
    writeFileSync(
      file,
      `${rows}\nR9,M9,P9,H99010200001,310,1,45,2025-06-10,2025-06-05,5,1,03,D0002,李娜,K35.800,47.0901,2025-06-10,9000.00,6300.00\n`,
    );
    const outDir = join(tmp, 'dip-reject');
    try {
      const out = await run(['hospital', 'settle', '--published', DIP_ONLY, '--in', file, '--out', outDir]);
      expect(process.exitCode).toBe(1);
      // C008's principal Z37.000 (outcome of delivery, a secondary code only) is refused by the ingest QC too
      // (E_PRINCIPAL_DIAGNOSIS), as its prompt says: in no total either (before: still counted, 8).
      expect(out).toContain('病例 9（计入预测 7；结算清单质控将拒收 2 例，不计入）');
      expect(out).toContain('事前提示：质控将拒收 2，信息不完整 1');
      // the dates as the list has them, not 2025-06-05T00:00:00
      expect(out).toContain('  R9：出院时间 2025-06-05 早于入院时间 2025-06-10');
      expect(out).toContain(join(outDir, 'hospital-rejected.csv'));
      const groups = readFileSync(join(outDir, 'hospital-groups.csv'), 'utf8');
      expect(groups).toContain('H99010200001,K35.8|47.0901,急性阑尾炎-腹腔镜下阑尾切除术,2,29000.00,19950.00');
      expect(groups.trim().split('\n').at(-1)).toMatch(/^合计,,,7,96800.00,/);
      const months = readFileSync(join(outDir, 'hospital-months.csv'), 'utf8');
      expect(months).not.toContain('2025-06');
      expect(readFileSync(join(outDir, 'hospital-cases.csv'), 'utf8')).not.toContain('R9,');
      const rejected = readFileSync(join(outDir, 'hospital-rejected.csv'), 'utf8').trim().split('\n');
      // header, C008 (principal Z37.000) and R9
      expect(rejected).toHaveLength(3);
      expect(rejected[1]).toMatch(/^C008,H99010200001,.*主要诊断 Z37\.000 属于“分娩的结局”，不能作为主要诊断/);
      expect(rejected[2]).toMatch(
        /^R9,H99010200001,03,D0002,李娜,K35.8\|47.0901,.*出院时间 2025-06-05 早于入院时间 2025-06-10/,
      );
      // walk4 item 22: R9 read `正常病例 … 9500.00` as if priced. Its type is 质控将拒收 and its points, expected
      // payment, fund and profit are blank; the group's standard (1000 points, 9,500 元) and thresholds stay.
      const head = rejected[0]!.replace(/^\uFEFF/, '').split(',');
      const r9 = rejected[2]!.split(',');
      const at = (h: string) => r9[head.indexOf(h)];
      expect(
        [
          '病例类型',
          '标准点数',
          '病例点数',
          '支付标准金额',
          '医疗费用总额',
          '预测支付金额',
          '统筹基金支付（预测）',
          '预测盈亏金额',
        ].map(at),
      ).toEqual(['质控将拒收', '1000.0000', '', '9500.00', '9000.00', '', '', '']);
      process.exitCode = undefined;
      const en = await run(['hospital', 'settle', '--published', DIP_ONLY, '--in', file, '--out', outDir], false, 'en');
      expect(process.exitCode).toBe(1);
      expect(en).toContain('cases 9 (7 counted; 2 the settlement-list QC would reject, not counted)');
      expect(en).toContain('  R9: discharge 2025-06-05 is before admission 2025-06-10');
    } finally {
      process.exitCode = undefined;
    }
  });
});

// walk4 item 10: a 90-day F20.000 stay and a normal delivery O80.000 were estimated as DIP (未入组 … 18,900 元), though
// the region pays them per bed-day and single-disease. The published folder now carries the region's per-diem and
// single-disease files, and the estimate prices such a case as the agency's run carves it out.
describe('R-PAY-BEDDAY / R-PAY-DISEASE cases the region pays outside DIP and DRG (the examples carry the carve-outs)', () => {
  const head =
    'setl_id,mdtrt_id,psn_no,fixmedins_code,insutype,gend,age,adm_time,dscg_time,act_ipt_days,dscg_way,dscg_caty,chfpdr_code,chfpdr_name,diag_codes,oprn_oprt_codes,oprn_oprt_dates,medfee_sumamt,hifp_pay';
  const file = join(tmp, 'carve-outs.csv');
  writeFileSync(
    file,
    [
      head,
      'W007,V7,P7,H99010200001,390,1,45,2025-01-02,2025-04-02,90,1,08,D04,陈静,F20.000,,,27000.00,18900.00',
      'W008,V8,P8,H99010200001,310,2,28,2025-05-01,2025-05-04,3,1,04,D05,赵磊,O80.000,,,4000.00,2800.00',
      // 5 days > SD014's 4: leaves the pathway (出径), paid by the case method
      'W011,V11,P11,H99010200001,310,2,28,2025-05-01,2025-05-06,5,1,04,D05,赵磊,O80.000,,,4000.00,2800.00',
    ].join('\n'),
  );
  it('DIP: PSY 60 × 300 + 30 × 260 = 25,800 元 = 2,580 points (÷ 10 元/点) × 9.5 = 24,510 元; SD014 level 3: 3,500 元', async () => {
    const all = JSON.parse(await run(['estimate', '--published', ex('dip'), '--in', file], true));
    expect(
      all.map((e: CaseEstimate) => [e.setlId, e.method, e.group, e.points, e.expectedPayment, e.profit, e.thresholds]),
    ).toEqual([
      ['W007', 'per-diem', 'PSY', 25_800_000, 2_451_000, -249_000, null],
      ['W008', 'single-disease', 'SD014', null, 350_000, -50_000, null],
      ['W011', 'dip', null, null, all[2].expectedPayment, all[2].profit, null],
    ]);
    const zh = await run(['estimate', '--published', ex('dip'), '--in', file, '--id', 'W007']);
    expect(zh).toContain('按床日付费（不按 DIP/DRG）病种：PSY 精神病');
    expect(zh).toContain('  - 第 61–180 天：30 床日 × 260.00 元 → 7800.00');
    expect(zh).toContain('预测支付：24510.00 元');
    const en = await run(['estimate', '--published', ex('dip'), '--in', file, '--id', 'W008'], false, 'en');
    expect(en).toContain('single-disease payment (not DIP/DRG), disease: SD014 单胎顺产');
    expect(en).toContain('expected payment: 3500.00 yuan');
  });
  it('DRG: the same stay enters a DRG pool as its amount, 25,800 元 (no points on the DIP scale)', async () => {
    const e = JSON.parse(await run(['estimate', '--published', ex('drg'), '--in', file, '--id', 'W007'], true));
    expect([e.method, e.group, e.points, e.expectedPayment]).toEqual(['per-diem', 'PSY', null, 2_580_000]);
  });
  it('hospital settle names each case’s payment method; DIP points per case leave the carve-outs out', async () => {
    const outDir = join(tmp, 'carve-settle');
    await run(['hospital', 'settle', '--published', ex('dip'), '--in', file, '--out', outDir]);
    const rows = readFileSync(join(outDir, 'hospital-cases.csv'), 'utf8').trim().split('\n');
    const h = rows[0]!.replace(/^\uFEFF/, '').split(',');
    const col = (r: string, k: string) => r.split(',')[h.indexOf(k)];
    expect(rows.slice(1).map((r) => [col(r, '结算ID'), col(r, '支付方式'), col(r, '预测支付金额')])).toEqual([
      ['W007', '按床日付费', '24510.00'],
      ['W008', '按病种付费', '3500.00'],
      ['W011', '按病种分值付费（DIP）', col(rows[3]!, '预测支付金额')],
    ]);
    const inst = readFileSync(join(outDir, 'hospital-institutions.csv'), 'utf8').split('\n')[1]!.split(',');
    const ih = readFileSync(join(outDir, 'hospital-institutions.csv'), 'utf8')
      .replace(/^\uFEFF/, '')
      .split('\n')[0]!
      .split(',');
    // W011 is ungrouped in the example catalog: no DIP case with points, so no mean (not 2,580 from the PSY stay)
    expect(inst[ih.indexOf('次均点数')]).toBe('');
  });
});

describe('the shipped hospital examples are of the demo region (reconcile runs against the demo)', () => {
  it('each published institution has the demo’s code, name and level (it was 示范第一医院 level 3 for the demo’s 东山县人民医院, level 2)', () => {
    const demo = new Map(buildInstitutions().map((i) => [i.code, i] as const));
    for (const m of ['dip', 'drg']) {
      const text = readFileSync(ex(join(m, 'published.yaml')), 'utf8');
      const listed = [...text.matchAll(/\{ code: (\S+), name: (\S+), level: "(\S+)" \}/g)];
      expect(listed.length).toBeGreaterThan(0);
      for (const [, code, name, level] of listed) {
        expect([code, demo.get(code!)?.name, demo.get(code!)?.level]).toEqual([code, name, level]);
      }
    }
  });
});

/** A profit line with only what the loss ranking reads (the rest zero). */
const line = (code: string, profit: number): ProfitLine => ({
  dimension: 'group',
  institutionCode: 'H1',
  code,
  name: '',
  cases: 1,
  groupedCases: 1,
  cost: 0,
  payment: 0,
  fund: 0,
  profit,
  lowCost: 0,
  highCost: 0,
  ungrouped: 0,
  deviatingShare: 0,
  cmi: null,
  averagePoints: 1,
  timeIndex: null,
  costIndex: null,
  deaths: 0,
  lowRiskCases: 0,
  lowRiskDeaths: 0,
  lowRiskMortality: null,
});

describe('hospital loss ranking in words (glossary: 综合病种 and its treatment type, no English enum in zh)', () => {
  it('names a DIP comprehensive group as the statements do, in zh and en', () => {
    const lines = [line('C34#surgery', -4_993_138), line('K35.8|47.0100', 100)];
    expect(lossLines(lines, 5, 'zh')).toEqual(['  1. H1 C34 综合病种（相关手术）：病例 1，预测盈亏 -49931.38']);
    expect(lossLines(lines, 5, 'en')[0]).toBe(
      '  1. H1 C34 comprehensive (related surgery): cases 1, profit/loss -49931.38',
    );
  });
  it('says so when no line loses instead of an empty list', () => {
    expect(lossLines([line('K35.8|47.0100', 100)], 5, 'zh')).toEqual(['  （无亏损）']);
    expect(lossLines([], 5, 'en')).toEqual(['  (none loses)']);
  });
  it('the workbook tables show the comprehensive group in words too, beside its stable code', () => {
    const book = {
      method: 'dip' as const,
      institutions: [],
      months: [],
      groups: [line('I48#therapeutic', -110_130)],
      departments: [],
      doctors: [],
      lowRisk: { groups: [], source: 'computed' as const },
    };
    const tables = hospitalTables({ book, months: [], estimates: [] } as never, 'zh');
    const groups = tables.find((x) => x.name === 'hospital-groups')!;
    // walk6: the code is the same in every file and language (machine-readable); the name says it in words.
    const [row] = [...groups.rows];
    expect(row!.code).toBe('I48#therapeutic');
    expect(row!.name).toBe('I48 综合病种（治疗性操作）');
  });

  // The en hospital workbook of a new user's demo had eight Chinese sheet names (医院预测汇总, 按月预测, …).
  it('every table has an English sheet name for the en workbook', () => {
    for (const method of ['dip', 'drg'] as const) {
      const book = { method, institutions: [], months: [], groups: [], departments: [], doctors: [] };
      const tables = hospitalTables({ book, months: [], estimates: [] } as never, 'en');
      expect(tables.map((x) => x.en ?? x.zh).filter((n) => /\p{Script=Han}/u.test(n))).toEqual([]);
    }
  });
});

describe('a published folder whose DIP policy keeps the template’s calibrated coefficients', () => {
  it('R-DIP-5 estimate says which level lacks a coefficient and what to write (exit 3, no stack)', async () => {
    const dir = join(tmp, 'calibrated');
    cpSync(DIP_ONLY, dir, { recursive: true });
    const policy = join(dir, 'dip-2025.yaml');
    writeFileSync(
      policy,
      readFileSync(policy, 'utf8').replace(
        /value: \{ method: given, byLevel: \{[^}]*\} \}/,
        'value: { method: calibrated, basis: mean-cost }',
      ),
    );
    const args = ['estimate', '--published', dir, '--in', ex('cases.csv'), '--id', 'C002'];
    await expect(run(args)).rejects.toThrow(
      /没有三级医疗机构的等级系数：在 DIP 政策的 institutionCoefficient 中写明各等级的系数（如 \{ method: given, byLevel:/,
    );
    await expect(run(args, false, 'en')).rejects.toThrow(/no coefficient for level 3 institutions: give each level/);
  });

  // walk4 item 11: README says copy examples/hospital/drg; the copy named the scheme and weights by paths relative
  // to yibao's own folder (../../../../shared/reference/…) and failed with "/shared/reference/chs-drg-1.1: 分组方案数据包不存在".
  it('R-PAY-DRG the DRG example copied elsewhere still estimates D001 (GZ13 RW 0.5418 × 12,252.70 = 6,638.51 元)', async () => {
    const dir = join(tmp, 'copied', 'pubdrg');
    cpSync(ex('drg'), dir, { recursive: true });
    const e = JSON.parse(
      await run(['estimate', '--published', dir, '--in', ex('cases-drg.csv'), '--id', 'D001'], true),
    );
    expect([e.group, e.standardPayment]).toEqual(['GZ13', 663_851]);
  });
  it('a table the published file names but the folder lacks: the file, the key and what to write (zh and en)', async () => {
    const dir = join(tmp, 'no-weights');
    cpSync(ex('drg'), dir, { recursive: true });
    rmSync(join(dir, 'weights-harbin-2024.csv'));
    const args = ['estimate', '--published', dir, '--in', ex('cases-drg.csv'), '--id', 'D001'];
    await expect(run(args)).rejects.toThrow(
      /^公布参数 \S+published\.yaml 的 tables\.weights（权重表（drg,rw））写的是 weights-harbin-2024\.csv，按该文件所在目录 \S+ 找不到 \S+：把权重表（drg,rw）放入该目录并写文件名，或写它的完整路径$/,
    );
    const scheme = join(tmp, 'bad-scheme');
    cpSync(ex('drg'), scheme, { recursive: true });
    const pub = join(scheme, 'published.yaml');
    writeFileSync(pub, readFileSync(pub, 'utf8').replace('scheme: chs-drg-1.1', 'scheme: ../shared/chs'));
    await expect(
      run(['estimate', '--published', scheme, '--in', ex('cases-drg.csv'), '--id', 'D001'], false, 'en'),
    ).rejects.toThrow(
      /tables\.scheme \(the grouping scheme\) as \.\.\/shared\/chs, .*not found: write a scheme name, chs-drg-2\.0 or chs-drg-1\.1, or put/,
    );
  });

  it('a QC file of another region in the published folder is named with the region to write, not skipped silently', async () => {
    const dir = join(tmp, 'other-qc');
    cpSync(DIP_ONLY, dir, { recursive: true });
    const qc = join(dir, 'qc.yaml');
    writeFileSync(qc, readFileSync(qc, 'utf8').replace(/^region: demo$/m, 'region: city03'));
    const args = ['estimate', '--published', dir, '--in', ex('cases.csv'), '--id', 'C002'];
    await expect(run(args)).rejects.toThrow(
      /质控文件 .*qc\.yaml 属于地区 city03.*把其中的 region: city03 改为 region: demo/,
    );
  });

  it('a case of an institution the published folder does not list names published.yaml and what to do (exit 3)', async () => {
    const cases = join(tmp, 'other-hospital.csv');
    const text = readFileSync(ex('cases.csv'), 'utf8');
    writeFileSync(cases, text.replaceAll('H99010200001', 'H1'));
    const args = ['hospital', 'settle', '--published', DIP_ONLY, '--in', cases, '--out', join(tmp, 'other-out')];
    await expect(run(args)).rejects.toThrow(
      /医疗机构 H1 不在机构名录中；公布参数的机构名单在 .*published\.yaml 的 institutions（编码、名称、级别），请把本院加入/,
    );
    await expect(run(args, false, 'en')).rejects.toThrow(
      /the published institution list is institutions in .*published\.yaml/,
    );
  });
});
