/**
 * Glossary (one word for one thing): an explanation shown in zh — by `yibao explain`, the API or the workbench — carries
 * no English enum word: a DRG run's calibrated weight table (R-PAY-DRG), the grouper status, the method, and the value
 * keys themselves (`weightTable` → 权重表).
 */
import { describe, expect, it } from 'vitest';
import { type Explanation, renderExplanation } from '../model/explain.ts';
import { languagePart } from '../model/explain-labels.ts';
import { labelledExplanation, readableExplanation } from './readable-explanation.ts';

const DRG_UNGROUPED: Explanation = {
  subject: 'case S1 (drg, H1)',
  steps: [
    {
      rule: 'R-PAY-DRG',
      zh: '分组结果 未入组',
      en: 'grouped as no DRG',
      values: { drg: null, status: 'SUCCESS', cost: '1234.00' },
    },
    {
      rule: 'R-PAY-DRG',
      clause: '测试市 DRG 办法 第五条',
      zh: '未入组或无权重：按项目付费',
      en: 'no DRG or no weight: paid by items',
      values: { weightTable: 'calibrated from 120 history cases (测试市 DRG 办法 第八条)' },
      result: '1234.00',
    },
  ],
};

describe("R-PAY-DRG explanation values in the reader's words", () => {
  it('the calibrated weight table reads 按 120 例历史病例测算（…） in zh and stays as it is in en', () => {
    const zh = readableExplanation(DRG_UNGROUPED, 'zh');
    expect(zh.steps[1]!.values!.weightTable).toBe('按 120 例历史病例测算（测试市 DRG 办法 第八条）');
    expect(zh.subject).toContain('按疾病诊断相关分组付费（DRG）');
    const en = readableExplanation(DRG_UNGROUPED, 'en');
    expect(en.steps[1]!.values!.weightTable).toBe('calibrated from 120 history cases (测试市 DRG 办法 第八条)');
  });

  it('R-DIP-3 the deviation standard is shown as the policy value in words (en with no Chinese), its source in the clause', () => {
    const dev: Explanation = {
      subject: 'case C1 (dip, RUN1)',
      steps: [
        {
          rule: 'R-DIP-3',
          clause: 'DIP 技术规范 2.0 上一年度同级别定点医疗机构该病种次均医疗总费用',
          zh: '高倍率病例',
          en: 'high-cost case',
          values: { 上一年度同级别病种次均费用: '8000.00', 偏差判定标准: 'group-mean-cost' },
        },
      ],
    };
    const en = renderExplanation(readableExplanation(dev, 'en'), 'en');
    expect(en).toContain('     deviation standard = the previous year’s same-level group mean cost');
    expect(en).toContain('[R-DIP-3 · DIP 技术规范 2.0 上一年度同级别定点医疗机构该病种次均医疗总费用] high-cost case');
    expect(en.split('\n').slice(2).join('\n')).not.toMatch(/\p{Script=Han}/u);
    const zh = renderExplanation(readableExplanation(dev, 'zh'), 'zh');
    expect(zh).toContain('     偏差判定标准 = 上一年度同级别病种次均费用');
    expect(zh).not.toContain('group-mean-cost');
  });

  it('R-DIP-3 a special-review decision settled by items or points reads 按项目 / 按点数 in zh, by items in en', () => {
    const e: Explanation = {
      subject: 'case S2 (dip, H1)',
      steps: [{ rule: 'R-DIP-3', zh: '特例单议', en: 'special review', values: { 结算方式: 'items' } }],
    };
    expect(readableExplanation(e, 'zh').steps[0]!.values!.结算方式).toBe('按项目');
    expect(readableExplanation(e, 'en').steps[0]!.values!.结算方式).toBe('by items');
    const p = { ...e, steps: [{ ...e.steps[0]!, values: { 结算方式: 'points' } }] };
    expect(readableExplanation(p, 'zh').steps[0]!.values!.结算方式).toBe('按点数');
    // A single disease's standard and a per-diem rate say where they came from in words (zh read "依据 = policy").
    const b = (basis: string, lang: 'zh' | 'en') =>
      readableExplanation({ ...e, steps: [{ ...e.steps[0]!, values: { basis } }] }, lang).steps[0]!.values!.basis;
    expect([
      b('policy', 'zh'),
      b('calibrated-level', 'zh'),
      b('calibrated-pooled', 'zh'),
      b('calibrated', 'zh'),
    ]).toEqual(['政策公布标准', '按本级别历史费用测算', '按全部级别历史费用测算', '按历史费用测算']);
    expect(b('policy', 'en')).toBe('published standard');
    expect(readableExplanation(p, 'en').steps[0]!.values!.结算方式).toBe('by points');
    expect(readableExplanation(p, 'zh').subject).toBe('case S2（按病种分值付费（DIP），结算运行 H1）');
  });

  // `yibao explain case` showed "病种 = K35.8|47.0100" and "→ K35.8|47.0100", the statements' label now reads words.
  it('R-DIP-1 a DIP core group reads as the statements label it: K35.8 + 47.0100, J18.9（无手术操作）', () => {
    const e: Explanation = {
      subject: 'case S3 (dip, R1)',
      steps: [
        { rule: 'R-DIP-1', zh: '入组', en: 'grouped', values: { 病种: 'K35.8|47.0100' }, result: 'K35.8|47.0100' },
        { rule: 'R-DIP-1', zh: '入组', en: 'grouped', values: { 病种: 'J18.9|' }, result: 'J18.9|' },
      ],
    };
    const zh = readableExplanation(e, 'zh');
    expect([zh.steps[0]!.values!.病种, zh.steps[0]!.result]).toEqual(['K35.8 + 47.0100', 'K35.8 + 47.0100']);
    expect([zh.steps[1]!.values!.病种, zh.steps[1]!.result]).toEqual(['J18.9（无手术操作）', 'J18.9（无手术操作）']);
    expect(readableExplanation(e, 'en').steps[1]!.result).toBe('J18.9 (no procedure)');
  });

  it('the API form labels each value key (权重表) and leaves no English word in a zh value or label', () => {
    const zh = labelledExplanation(DRG_UNGROUPED, 'zh');
    expect(zh.steps[1]!.valueLabels).toEqual({ weightTable: '权重表' });
    for (const st of zh.steps) {
      for (const [k, v] of Object.entries(st.values ?? {})) {
        expect(st.valueLabels![k], k).not.toMatch(/[a-z]/);
        if (typeof v === 'string') expect(v, k).not.toMatch(/[a-z]{3,}/);
      }
    }
    expect(labelledExplanation(DRG_UNGROUPED, 'en').steps[1]!.valueLabels).toEqual({ weightTable: 'weight table' });
  });
});

describe('the explain header: the run id labelled, zh in full-width punctuation', () => {
  it('a case reads 病例 X（按病种分值付费（DIP），结算运行 RUN） / case X (DIP, settlement run RUN); an institution names its point pool', () => {
    const c: Explanation = { subject: 'case JS2025000000005 (dip, 20261207T095212Z-c0922e)', steps: [] };
    // It read "病例 JS2025000000005 (按病种分值付费（DIP）, 20261207T095212Z-c0922e)": ASCII (, ) and a bare run id.
    expect(renderExplanation(readableExplanation(c, 'zh'), 'zh')).toBe(
      '病例 JS2025000000005（按病种分值付费（DIP），结算运行 20261207T095212Z-c0922e）',
    );
    expect(renderExplanation(readableExplanation(c, 'en'), 'en')).toBe(
      'case JS2025000000005 (DIP, settlement run 20261207T095212Z-c0922e)',
    );
    const s: Explanation = { subject: 'settlement H002 2025 (demo-dip-2025)', steps: [] };
    expect(renderExplanation(readableExplanation(s, 'zh'), 'zh')).toBe('机构结算 H002 2025（点数池 demo-dip-2025）');
    expect(renderExplanation(readableExplanation(s, 'en'), 'en')).toBe(
      'settlement H002 2025 (point pool demo-dip-2025)',
    );
  });
});

describe('R-DIP-1 an ungrouped case’s two-language reason in one language', () => {
  // The DIP grouper keeps why a case found no group in both languages, naming the comprehensive group by its code.
  const UNGROUPED: Explanation = {
    subject: 'C2025020 (dip, run1)',
    steps: [
      {
        rule: 'R-DIP-1',
        zh: '入组：未能入组',
        en: 'grouping: none',
        values: {
          原因: '目录中无 I63 的内科诊疗组综合病种，亦无可匹配的核心病种 / the catalog has no I63#conservative and no matching core group',
        },
        result:
          '目录中无 I63 的内科诊疗组综合病种，亦无可匹配的核心病种 / the catalog has no I63#conservative and no matching core group',
      },
      {
        rule: 'R-DIP-3',
        zh: '特例单议',
        en: 'special review',
        result:
          "特例单议通过（市医保局评审意见 第 1 号），按评审点数计分 / special review approved (市医保局评审意见 第 1 号): scored at the panel's points",
      },
    ],
  };

  it('zh shows only the Chinese part (no English words), en only the English part with the group in words', () => {
    const zh = readableExplanation(UNGROUPED, 'zh');
    expect(zh.steps[0]!.result).toBe('目录中无 I63 的内科诊疗组综合病种，亦无可匹配的核心病种');
    expect(zh.steps[0]!.values!.原因).toBe('目录中无 I63 的内科诊疗组综合病种，亦无可匹配的核心病种');
    expect(zh.steps[1]!.result).toBe('特例单议通过（市医保局评审意见 第 1 号），按评审点数计分');
    const en = readableExplanation(UNGROUPED, 'en');
    // Before: "no core group and no comprehensive group I63 comprehensive (conservative treatment)" (fault 3).
    expect(en.steps[0]!.result).toBe(
      'the catalog has no I63 comprehensive (conservative treatment) and no matching core group',
    );
    expect(en.steps[1]!.result).toBe(
      "special review approved (市医保局评审意见 第 1 号): scored at the panel's points",
    );
    expect(renderExplanation(readableExplanation(UNGROUPED, 'zh'), 'zh')).not.toMatch(
      /the catalog has|special review approved/,
    );
  });

  it('a text with a slash that is not two languages stays whole', () => {
    expect(languagePart('主要诊断 K35.8 / K35.9', 'zh')).toBe('主要诊断 K35.8 / K35.9');
    expect(languagePart('10.00 / 20.00', 'en')).toBe('10.00 / 20.00');
  });
});

// A run stored with its traces (before per-bed-day units kept none) explains from them: its per-bed-day steps read
// 机构类型 general, 第 >180 天 and 标准来源 = policy in zh — the words came into the trace later (R-PAY-BEDDAY).
describe('R-PAY-BEDDAY a per-bed-day trace stored by an earlier run, in the reader’s words', () => {
  const stored: Explanation = {
    subject: 'case S9 (per-diem, RUN0)',
    steps: [
      {
        rule: 'R-PAY-BEDDAY',
        zh: '按床日付费病种：精神病（PSY），机构类型 psychiatric',
        en: 'Per-diem category PSY at an institution of type psychiatric',
        values: { principalDiagnosis: 'F20.000', losDays: 200, minLosDays: 1 },
        result: 'PSY',
      },
      {
        rule: 'R-PAY-BEDDAY',
        zh: '第 1-60 天：60 床日 × 300.00 元',
        en: 'Days 1-60: 60 bed-days × 300.00 yuan',
        values: { bedDays: 60, dailyRate: '300.00', rateBasis: 'policy' },
        result: '18000.00',
      },
      {
        rule: 'R-PAY-BEDDAY',
        zh: '第 >180 天：20 床日 × 250.00 元',
        en: 'Days >180: 20 bed-days × 250.00 yuan',
        values: { bedDays: 20, dailyRate: '250.00', rateBasis: 'calibrated' },
        result: '5000.00',
      },
      {
        rule: 'R-PAY-BEDDAY',
        zh: '该病种与机构类型没有床日标准（政策未列或历史病例不足），不能按床日付费',
        en: 'No daily rate for this category and institution type (not in policy, or too few past stays)',
        values: { category: 'PSY', institutionType: 'general' },
        result: '0.00',
      },
    ],
  };

  it('zh: 机构类型 精神专科医院, 第 181 天起, 标准来源 = 政策公布标准 — no English word', () => {
    const zh = renderExplanation(readableExplanation(stored, 'zh'), 'zh');
    expect(zh).toContain('按床日付费病种：精神病（PSY），机构类型 精神专科医院');
    expect(zh).toContain('] 第 1–60 天：60 床日 × 300.00 元');
    expect(zh).toContain('] 第 181 天起：20 床日 × 250.00 元');
    expect(zh).toContain('     标准来源 = 政策公布标准');
    expect(zh).toContain('     标准来源 = 按历史费用测算');
    expect(zh).toContain('     机构类型 = 综合医院');
    expect(zh.split('\n').slice(1).join('\n')).not.toMatch(/\b(general|psychiatric|policy|calibrated)\b/);
  });

  it('en: the same in English words', () => {
    const en = renderExplanation(readableExplanation(stored, 'en'), 'en');
    expect(en).toContain('] Per-bed-day category PSY, institution type psychiatric hospital');
    expect(en).toContain('] Days 1–60: 60 bed-days × 300.00 yuan');
    expect(en).toContain('] Day 181 on: 20 bed-days × 250.00 yuan');
    expect(en).toContain('     rate basis = published standard');
    expect(en).toContain('     institution type = general hospital');
  });

  it('the steps of today’s trace are left as they are', () => {
    const today: Explanation = {
      subject: 'case S9 (per-diem, RUN1)',
      steps: [
        {
          rule: 'R-PAY-BEDDAY',
          zh: '按床日付费病种：精神病（PSY），机构类型 精神专科医院',
          en: 'Per-bed-day category PSY, institution type psychiatric hospital',
        },
      ],
    };
    expect(readableExplanation(today, 'zh').steps).toEqual(today.steps);
  });
});

// `explain case` of a capitation head read 风险分组 = age65+/no-class1 in zh (the value is keyed `cell`), and a cell
// said 65 whatever the policy's riskAgeThreshold (R-CAP-2).
describe('R-CAP-2 a head’s risk cell in words, with the policy’s age threshold', () => {
  const head = (threshold: number, cell: string): Explanation => ({
    subject: 'case P1/MT204/2025-01-01 (capitation, RUN1)',
    steps: [
      {
        rule: 'R-CAP-2',
        zh: `风险调整：风险格（年龄 ≥ ${threshold} × 一类门特），2025-01-01 年龄 68，一类门特 无 → …`,
        en: `Risk: cells (age ≥ ${threshold} × class-1 special disease); age 68 on 2025-01-01, class-1 no → …`,
        values: { ageYears: 68, hasClass1: false, cell },
        result: '1.034499',
      },
    ],
  });

  it('zh 65 岁及以上、无一类门特 (threshold 65), no English word', () => {
    const zh = renderExplanation(readableExplanation(head(65, 'age65+/no-class1'), 'zh'), 'zh');
    expect(zh).toContain('     风险分组 = 65 岁及以上、无一类门特');
    expect(zh).not.toContain('age65');
  });

  it('a policy with riskAgeThreshold 70: 70 岁以下 / under 70, not 65', () => {
    const zh = renderExplanation(readableExplanation(head(70, 'age<65/class1'), 'zh'), 'zh');
    expect(zh).toContain('     风险分组 = 70 岁以下、有一类门特');
    const en = renderExplanation(readableExplanation(head(70, 'age65+/no-class1'), 'en'), 'en');
    expect(en).toContain('     risk cell = 70 and over, without a class-1 disease');
  });

  it('a step that keeps the threshold as a value (riskAgeThreshold) is worded by it', () => {
    const h = head(65, 'age65+/class1');
    const kept = { ...h, steps: [{ ...h.steps[0]!, values: { ...h.steps[0]!.values, riskAgeThreshold: 60 } }] };
    const zh = renderExplanation(readableExplanation(kept, 'zh'), 'zh');
    expect(zh).toContain('     风险分组 = 60 岁及以上、有一类门特');
    expect(zh).toContain('     风险年龄界值 = 60');
  });
});

// walk4 #13: the API's en statement explanation read "result": "15.944937 元/点" (the CLI's en prints yuan/point).
describe('R-SET point-value steps in the reader’s unit', () => {
  const STATEMENT: Explanation = {
    subject: 'settlement H1 2025 (POOL)',
    steps: [
      {
        rule: 'R-SET-2',
        zh: '年度点值 = 年度基金支付总额 ÷ 总点数',
        en: 'year-end point value = fund ÷ points',
        values: { opening: '12.500000 元/点' },
        result: '15.944937 元/点',
      },
    ],
  };
  it('en: 15.944937 yuan/point in the result and the values (API and CLI alike); zh keeps 元/点', () => {
    const en = labelledExplanation(STATEMENT, 'en').steps[0]!;
    expect(en.result).toBe('15.944937 yuan/point');
    expect(en.values!.opening).toBe('12.500000 yuan/point');
    const zh = labelledExplanation(STATEMENT, 'zh').steps[0]!;
    expect(zh.result).toBe('15.944937 元/点');
    expect(renderExplanation(readableExplanation(STATEMENT, 'en'), 'en')).toContain('→ 15.944937 yuan/point');
  });
});

// walk7 #14: en explanations mixed `last year’s` (step texts) and `last year's` (value labels).
describe('en explanation labels: one apostrophe (’), as the step texts', () => {
  it('no value label in English uses the ASCII apostrophe', async () => {
    const { labelledKeys, valueLabel } = await import('../model/explain-labels.ts');
    const ascii = labelledKeys()
      .map((k) => valueLabel(k, 'en'))
      .filter((l) => /[A-Za-z]'[A-Za-z]/.test(l));
    expect(ascii).toEqual([]);
  });
});
