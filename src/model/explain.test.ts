import { describe, expect, it } from 'vitest';
import { type Explanation, renderExplanation } from './explain.ts';
import { fullWidthBrackets, hasValueLabel, labelledKeys, valueLabel } from './explain-labels.ts';

// glossary.md: in zh output no identifier appears; the DRG steps keyed their values mdc, adrg, drg, status, rw, …
describe('explanations of a DRG case in the reader’s words (R-PAY-DRG)', () => {
  const e: Explanation = {
    subject: 'case S1',
    steps: [
      {
        rule: 'R-PAY-DRG',
        zh: '分组结果 未入组（无法入组）',
        en: 'grouped as no DRG (not groupable)',
        values: { mdc: '0000', adrg: '00', drg: null, status: '无法入组', cost: '12000.00' },
      },
      {
        rule: 'R-PAY-DRG',
        zh: '相对权重与等级系数',
        en: 'relative weight and level coefficient',
        values: { rw: '1.0000', levelCoefficient: '1.0000', meanCost: '4666.67', multiple: '1', pointsPerRw: 100 },
      },
    ],
  };

  it('every DRG value key has words in both languages', () => {
    for (const k of ['mdc', 'adrg', 'drg', 'status', 'cost', 'weightTable', 'rw', 'levelCoefficient', 'meanCost'])
      expect(hasValueLabel(k)).toBe(true);
    for (const k of ['multiple', 'pointsPerRw', 'threshold', 'excessRate', 'pointValue'])
      expect(hasValueLabel(k)).toBe(true);
  });

  // `explain settlement` in en read "统筹基金总收入 = …", "预留比例", "扣除 急诊 (002 四(一)) = …" (R-BUD-2 budget by items).
  it('R-BUD-2 the budget by items in en: revenue, reserve ratio, reserve and each item deducted (its name as written)', () => {
    expect(['统筹基金总收入', '预留比例', '预留基金'].map((k) => valueLabel(k, 'en'))).toEqual([
      'pooled-fund revenue',
      'reserve ratio',
      'reserve',
    ]);
    expect(valueLabel('扣除 急诊 (002 四(一))', 'en')).toBe('less 急诊 (002 四(一))');
    // zh in full-width brackets around the source; the quoted clause keeps its own (四(一) is the policy's text).
    expect(valueLabel('扣除 急诊 (002 四(一))', 'zh')).toBe('扣除 急诊（002 四(一)）');
  });

  it('glossary: 预结算点值 is the pre-settlement point value in en', () => {
    expect(valueLabel('预结算点值', 'en')).toBe('pre-settlement point value');
    expect(valueLabel('预结算点值', 'zh')).toBe('预结算点值');
  });

  it('zh shows no identifier and an absent value as a dash; en shows no Chinese label', () => {
    const zh = renderExplanation(e, 'zh');
    expect(zh).toContain('病组（DRG） = —');
    expect(zh).toContain('权重（RW） = 1.0000');
    expect(zh).toContain('每 RW 点数 = 100');
    const keys = zh
      .split('\n')
      .filter((l) => l.includes(' = '))
      .map((l) => l.trim().split(' = ')[0]!);
    expect(keys.filter((k) => /^[a-zA-Z]+$/.test(k))).toEqual([]);
    const en = renderExplanation(e, 'en');
    expect(en).toContain('relative weight (RW) = 1.0000');
    expect(en).toContain('DRG = —');
  });
});

// `yibao explain case P001/M03900/2024-01-01` (a capitation head) printed 一类门特 = false in zh.
describe('a flag in an explanation reads 是/否 in zh and yes/no in en', () => {
  const e: Explanation = {
    subject: 'case P1',
    steps: [{ rule: 'R-CAP-2', zh: '风险调整', en: 'risk', values: { age: 64, class1: false }, result: true }],
  };

  it('zh 否 / 是, en no / yes; numbers as they are', () => {
    const zh = renderExplanation(e, 'zh').split('\n');
    expect(zh.slice(2)).toEqual([expect.stringMatching(/ = 64$/), expect.stringMatching(/ = 否$/), '     → 是']);
    const en = renderExplanation(e, 'en').split('\n');
    expect(en.slice(2)).toEqual([expect.stringMatching(/ = 64$/), expect.stringMatching(/ = no$/), '     → yes']);
  });
});

// glossary.md: zh text takes full-width brackets. `explain case` of a per-bed-day case read 床日标准(元) = 450.00, a
// capitation head 人头费率(元), the opening point value 2024 总费用(元) (and that key in en read in Chinese).
describe('value names in zh take full-width brackets （元）', () => {
  it('no fixed zh label has an ASCII bracket', () => {
    const ascii = labelledKeys()
      .map((k) => valueLabel(k, 'zh'))
      .filter((l) => /[()]/.test(l));
    expect(ascii).toEqual([]);
    expect(valueLabel('dailyRate', 'zh')).toBe('床日标准（元）');
    expect(valueLabel('rate', 'zh')).toBe('人头费率（元）');
    expect(valueLabel('同级别标准费用(基础点数×参考点值)', 'zh')).toBe('同级别标准费用（基础点数×参考点值）');
  });

  it('R-DIP-6 keys built from data: the opening point value’s years, a deduction, an unlabelled Chinese key', () => {
    expect(valueLabel('2024 总费用(元)', 'zh')).toBe('2024 总费用（元）');
    expect(valueLabel('2024 总费用(元)', 'en')).toBe('2024 total cost (yuan)');
    expect(valueLabel('2024 权重', 'en')).toBe('2024 weight');
    expect(valueLabel('2024 总点数', 'en')).toBe('2024 total points');
    expect(valueLabel('扣款1 重复收费 (监控 YB-CS-006)', 'zh')).toBe('扣款1 重复收费（监控 YB-CS-006）');
    expect(valueLabel('基准费用M(元)', 'zh')).toBe('基准费用M（元）');
    expect(valueLabel('2024 基金支出 ÷ 人数 × 权重', 'en')).toBe('2024 fund spending ÷ insured persons × weight');
    expect(valueLabel('H1 按病种分值付费（DIP）', 'en')).toBe('H1 DIP');
    expect(valueLabel('H3 按人头付费', 'en')).toBe('H3 capitation');
    expect(valueLabel('H1 年度清算额 − 月度已支付 − 年初预付', 'en')).toBe(
      'H1 year-end amount − paid monthly − start-of-year advance',
    );
  });

  it('unbalanced brackets stay as written', () => {
    expect(fullWidthBrackets('a (b')).toBe('a (b');
    expect(fullWidthBrackets('扣除 急诊 (002 四(一))')).toBe('扣除 急诊（002 四(一)）');
  });
});

// en output showed the policy's Chinese labels (扣除 急诊, a community's 药品耗材集采) where the policy names them in
// English too: the key carries the English name in square brackets, en shows it, zh drops it (R-BUD-2, R-BUD-4).
describe('a policy label with its English name, in each language', () => {
  it('R-BUD-2 a budget item deducted: en the English name, zh the item with its source in full-width brackets', () => {
    const k = '扣除 急诊 [emergency care] (002 四(一))';
    expect(valueLabel(k, 'en')).toBe('less emergency care (002 四(一))');
    expect(valueLabel(k, 'zh')).toBe('扣除 急诊（002 四(一)）');
    expect(valueLabel('扣除 急诊 [emergency care]', 'en')).toBe('less emergency care');
    // A user's policy without one: its item as written (the only name there is).
    expect(valueLabel('扣除 急诊 (002 四(一))', 'en')).toBe('less 急诊 (002 四(一))');
  });

  it('R-BUD-4 a community growth factor: en the English name, zh the Chinese', () => {
    const k = '药品耗材集采 [volume-based procurement of drugs and consumables]';
    expect(valueLabel(k, 'en')).toBe('volume-based procurement of drugs and consumables');
    expect(valueLabel(k, 'zh')).toBe('药品耗材集采');
    expect(hasValueLabel(k)).toBe(true);
  });
});

// `community settle --explain MC --lang en` read 因素合计 = 3.50%, 医保报销比例 = 57.72%（目标≥57.00%）→ 20/20 … (R-MC-4).
describe('a county medical community’s explanation in en', () => {
  it('its value names and an indicator against its target in English', () => {
    const e: Explanation = {
      subject: 'community MC1 2025',
      steps: [
        {
          rule: 'R-MC-4',
          zh: '监测指标',
          en: 'indicators',
          values: { 因素合计: '3.50%', 县域内基层医疗机构基金支出占比: '7.46%（目标≥9.00%，预警）→ 0/20' },
        },
      ],
    };
    const en = renderExplanation(e, 'en');
    expect(en).toContain('     factors in total = 3.50%');
    expect(en).toContain('     primary institutions’ share of fund spending = 7.46% (target ≥9.00%, warning) → 0/20');
    expect(renderExplanation(e, 'zh')).toContain(
      '     县域内基层医疗机构基金支出占比 = 7.46%（目标≥9.00%，预警）→ 0/20',
    );
  });
});
