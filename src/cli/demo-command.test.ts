import { describe, expect, it } from 'vitest';
import type { ProfitLine } from '../hospital/profit.ts';
import type { IngestReport } from '../ingest/pipeline.ts';
import { moneyWithoutUnit } from '../report/money-units.ts';
import type { DemoResult } from '../run/demo.ts';
import type { DemoHospital } from '../run/hospital-demo.ts';
import {
  ffsLine,
  hospitalLines,
  listText,
  qcTableLines,
  stageWord,
  statementsLine,
  timeLine,
  yearEndTopLines,
} from './demo-command.ts';

/** An ingest report with the counts the demo's table reads. */
const report = (kind: IngestReport['kind'], read: number, rejected: number, codes: Record<string, number> = {}) =>
  ({
    kind,
    read,
    accepted: read - rejected,
    rejected,
    alreadyPresent: 0,
    rejectsByCode: codes,
    ...(rejected > 0 ? { rejectsFile: `out/demo/rejects/${kind}.csv` } : {}),
  }) as IngestReport;

const ENGLISH_WORD =
  /\b(read|accepted|rejected|present|kind|institutions|cases|fee-items|persons|synth|codes|ingest)\b/;

describe('yibao demo summary in the reader’s words (glossary: 读取/入库/拒收/已存在, no English enum in zh)', () => {
  const ingest = [report('institutions', 30, 0), report('cases', 100, 2, { E_REQUIRED: 2 }), report('cases', 50, 0)];

  it('R-DATA-1 QC table in zh: Chinese heads and kinds, columns aligned by display width, files of a kind summed', () => {
    const lines = qcTableLines(ingest, { lang: 'zh' });
    // (file paths are paths: the rejects line is left out of the word check)
    expect(lines.filter((l) => !l.includes('拒收明细') && ENGLISH_WORD.test(l))).toEqual([]);
    expect(lines[0]).toMatch(/^ {2}数据类型 +读取 +入库 +拒收 +已存在$/);
    expect(lines[1]).toMatch(/^ {2}定点医疗机构 +30 +30 +0 +0$/);
    expect(lines[2]).toMatch(/^ {2}结算清单 ×2 +150 +148 +2 +0$/);
    // Every count ends in the same terminal column as its head (CJK characters are two columns wide).
    const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u4e00-\u9fff]/.test(ch) ? 2 : 1), 0);
    expect(width(lines[1]!)).toBe(width(lines[0]!));
    expect(width(lines[2]!)).toBe(width(lines[0]!));
    // No English enum in zh (the code is in the rejects file's qc_code column).
    expect(lines[3]).toBe('      拒收原因：必填项为空 2');
  });

  it('the same table in en keeps the English heads and kind names', () => {
    const lines = qcTableLines(ingest, { lang: 'en' });
    expect(lines[0]).toMatch(/^ {2}kind +read +accepted +rejected +present$/);
    expect(lines[2]).toMatch(/^ {2}cases ×2 +150 +148 +2 +0$/);
    expect(lines.some((l) => /[\u4e00-\u9fff]/.test(l))).toBe(false);
  });

  // A new user read "拒收原因：E_FEE_SUM_MISMATCH 3, E_NEGATIVE_AMOUNT 2" and "政策文件：demo-per-diem-2025, …": lists
  // with an ASCII comma in zh text.
  it('R-DATA-1 zh lists reasons, rejects files, policies and rules with 、; en with a comma', () => {
    const two = [
      report('cases', 100, 3, { E_REQUIRED: 2, E_CODE_UNKNOWN: 1 }),
      report('cases', 50, 1, { E_REQUIRED: 1 }),
    ];
    const zh = qcTableLines(two, { lang: 'zh' });
    expect(zh).toContain('      拒收原因：必填项为空 3、编码不在编码库或机构名单中 1');
    expect(zh).toContain('      拒收明细：out/demo/rejects/cases.csv、out/demo/rejects/cases.csv');
    const en = qcTableLines(two, { lang: 'en' });
    expect(en).toContain(
      '      rejected for: E_REQUIRED 3 (required field empty), E_CODE_UNKNOWN 1 (code not in the code list / institutions)',
    );
    expect(listText(['demo-dip-2025', 'demo-dip-settlement-2025'], { lang: 'zh' })).toBe(
      'demo-dip-2025、demo-dip-settlement-2025',
    );
    expect(listText(['YB-CS-006 29', 'YB-CS-001 11'], { lang: 'en' })).toBe('YB-CS-006 29, YB-CS-001 11');
  });

  it('stages read in the user’s language; an unknown stage stays as it is', () => {
    expect(stageWord('synth', 'zh')).toBe('生成合成统筹区');
    expect(stageWord('record', 'zh')).toBe('存储结算运行');
    expect(stageWord('record', 'en')).toBe('store the run');
    expect(stageWord('other', 'zh')).toBe('other');
  });

  // `yibao demo --cases 3000` printed 用时：…，capitation enrolments 0.0s，capitation match 0.0s，… 按人头付费 0.2s: the
  // capitation stage's parts (timed for the bench) in English beside the stage that already holds their time.
  it('the time line names the stages only, not a stage’s parts, in either language', () => {
    const seconds = {
      dip: 1.2,
      'capitation enrolments': 0.04,
      'capitation match': 0.1,
      'capitation write': 0.02,
      capitation: 0.2,
      record: 0.2,
    };
    expect(timeLine(seconds, { lang: 'zh' })).toBe('用时：DIP 结算 1.2s，按人头付费 0.2s，存储结算运行 0.2s');
    expect(timeLine(seconds, { lang: 'en' })).toBe('time: DIP 1.2s, capitation 0.2s, store the run 0.2s');
    // a key with a space whose first word is no stage of its own stays (shown as it is)
    expect(timeLine({ 'other thing': 1 }, { lang: 'en' })).toBe('time: other thing 1.0s');
  });
});

// The demo's last lines named each of its 29 institutions' workbooks on one line of some 2,000 characters.
describe('yibao demo: the statements line', () => {
  const files = [
    'out/demo/dip/demo-dip-2025.xlsx',
    'out/demo/dip/institutions/H1.xlsx',
    'out/demo/dip/institutions/H2.xlsx',
    'out/demo/dip/demo-dip-2025-annual.csv',
    'out/demo/capitation/capitation-2025.xlsx',
  ];
  it('names the workbooks and counts the institutions’ own ones, in zh and en', () => {
    expect(statementsLine(files, { lang: 'zh' })).toBe(
      '报表：out/demo/dip/demo-dip-2025.xlsx、out/demo/capitation/capitation-2025.xlsx、out/demo/dip/institutions/（2 家机构各一个工作簿）（另有 1 个 CSV/JSON 文件）',
    );
    expect(statementsLine(files, { lang: 'en' })).toBe(
      'statements: out/demo/dip/demo-dip-2025.xlsx, out/demo/capitation/capitation-2025.xlsx, out/demo/dip/institutions/ (one workbook per institution, 2) (+1 CSV/JSON file)',
    );
  });
});

// The demo printed the top five's year-end figures and the hospital's losses without 元 / yuan (1103415.26, -28046.19).
describe('yibao demo: every money figure carries its unit', () => {
  // Year-end 11034152.60 元 = 1103415260 fen; paid = monthly 400000000 + advance 60425598 = 460425598 fen.
  const institution = {
    institutionCode: 'H1',
    points: 833_912_001,
    yearEnd: 1_103_415_26,
    monthlyPaid: 400_000_00,
    advance: 60_425_98,
    clearing: 642_989_28,
  } as unknown as DemoResult['year']['settlement']['institutions'][number];
  const line = (code: string, profit: number) =>
    ({
      dimension: code === 'C18' ? 'group' : 'department',
      code,
      name: code === 'C18' ? '' : '重症医学科',
      cases: 1,
      profit,
    }) as unknown as ProfitLine;
  const hospital: DemoHospital = {
    institutionCode: 'H1',
    name: '示范医院',
    cases: 74,
    payment: 1_377_471_52,
    cost: 1_199_323_21,
    profit: 178_148_31,
    lossGroups: [line('C18', -28_046_19)],
    lossDepartments: [line('28', -3_958_41)],
    file: 'out/demo/hospital/hospital-H1.xlsx',
  };
  it('the year-end top five in zh and en: year-end amount, paid (monthly + advance) and clearing payment', () => {
    const zh = yearEndTopLines([institution], { lang: 'zh' });
    expect(zh[1]).toBe('  H1  点数 83391.2001  年度清算额 1103415.26 元  已支付 460425.98 元  清算支付额 642989.28 元');
    const en = yearEndTopLines([institution], { lang: 'en' });
    expect(en[1]).toBe(
      '  H1  points 83391.2001  year-end amount 1103415.26 yuan  paid 460425.98 yuan  clearing payment 642989.28 yuan',
    );
    // R-MC-3: a member of a community settled under a global budget is not paid its own clearing (tidy4 1).
    const members = new Map([['H1', { communityId: 'MC1', name: '东山县医共体', advanceBasis: 'community' as const }]]);
    expect(yearEndTopLines([institution], { lang: 'zh' }, members)[1]).toBe(
      '  H1  点数 83391.2001  年度清算额 1103415.26 元  已支付 460425.98 元  清算支付额 642989.28 元  东山县医共体（MC1）成员单位：不另行支付，由医共体清算',
    );
    expect(yearEndTopLines([institution], { lang: 'en' }, members)[1]).toMatch(
      /clearing payment 642989\.28 yuan {2}member of 东山县医共体 \(MC1\): not paid separately, settled through the community$/,
    );
  });
  it('the hospital side in zh and en: its totals and each losing group and department', () => {
    const zh = hospitalLines(hospital, 'dip', { lang: 'zh' }).join('\n');
    expect(zh).toContain('预测支付 1377471.52 元，医疗费用总额 1199323.21 元，预测盈亏 178148.31 元');
    expect(zh).toContain('病例 1  预测盈亏 -28046.19 元');
    expect(moneyWithoutUnit(zh, 'zh')).toEqual([]);
    const en = hospitalLines(hospital, 'dip', { lang: 'en' }).join('\n');
    expect(en).toContain('cases 1  profit/loss -3958.41 yuan');
    // the department in English (it read 28 重症医学科 in en)
    expect(en).toContain('    28 critical care medicine  cases 1');
    expect(zh).toContain('    28 重症医学科  病例 1');
    expect(moneyWithoutUnit(en, 'en')).toEqual([]);
  });
});

// walk3 item 5 (DRG demo, zh): the item pricing's line read 患者负担 19,127,903.76 while the statements' 患者负担 summed to
// 55,138,695.64 and the community sheet's 个人负担 to 52,808,865.39. The pricing's figure is own pay + the 乙类 self-pay
// of the priced items only (no deductible or coinsurance is given to it, R-PAY-FFS / R-BEN-3): it says so now.
describe('the item pricing line names its patient figure (R-PAY-FFS)', () => {
  // Two settlements, 5 items, billed 241.93 + 100.00; own pay 51.11 + class-B self-pay 26.00 = 77.11.
  const f = { settlements: 2, items: 5, billed: 34_193, patientPaid: 7_711, excludedSettlements: 0, listedDiffers: 0 };
  it('zh: 其中自费及乙类先行自付, not 患者负担', () => {
    const zh = ffsLine(f, { lang: 'zh' });
    expect(zh).toContain('合计 341.93 元，其中自费及乙类先行自付 77.11 元（按目录类别，不含起付线与共付）');
    expect(zh).not.toContain('患者负担');
  });
  it('en: own pay and class-B self-pay, not patient burden', () => {
    const en = ffsLine(f, { lang: 'en' });
    expect(en).toContain(
      'billed 341.93 yuan, of which own pay and class-B self-pay 77.11 yuan (by catalog class; deductible and coinsurance not included)',
    );
    expect(en).not.toContain('patient burden');
  });
});
