// glossary.md: in zh output no English enum word appears (high-cost is 高倍率病例). The settle summary printed
// "病例: 5 (paid 5)" and "(floating)", the region statement "状态 paid", and explain settlement "settlement H002".
import { describe, expect, it } from 'vitest';
import { renderExplanation } from '../model/explain.ts';
import { catalogTable } from './dip-rows.ts';
import {
  auxiliaryLabel,
  countOf,
  groupCodesIn,
  groupKindLabel,
  groupLabel,
  groupProceduresLabel,
  headLabel,
  levelLabel,
  matchLabel,
  methodLabel,
  pointValueRuleLabel,
  statusCountText,
  statusLabel,
} from './labels.ts';

describe('glossary labels of enum values', () => {
  it('R-DIP-1 a DIP group type in an explanation reads in English in en (no 核心病种 in en output)', () => {
    expect(groupKindLabel('核心病种', 'en')).toBe('core group');
    expect(groupKindLabel('综合病种（相关手术）', 'en')).toBe('comprehensive group (related surgery)');
    expect(groupKindLabel('综合病种（保守治疗）', 'en')).toBe('comprehensive group (conservative treatment)');
    // The explanation names the group as the DIP specification does (综合病种（内科诊疗组）): no Chinese left in en.
    expect(groupKindLabel('综合病种（内科诊疗组）', 'en')).toBe('comprehensive group (conservative treatment)');
    expect(groupKindLabel('综合病种（相关手术组）', 'en')).toBe('comprehensive group (related surgery)');
    expect(groupKindLabel('核心病种', 'zh')).toBe('核心病种');
    expect(groupKindLabel('—', 'en')).toBe('—');
    expect(groupProceduresLabel('保守治疗', 'en')).toBe('none (conservative)');
    expect(groupProceduresLabel('47.0100', 'en')).toBe('47.0100');
    expect(groupProceduresLabel('保守治疗', 'zh')).toBe('保守治疗');
  });

  it('R-CAP-4 the family-doctor contract reads 家庭医生签约 in zh (group column and head id), not family-doctor', () => {
    expect(groupLabel('family-doctor', 'zh')).toBe('家庭医生签约');
    expect(groupLabel('family-doctor', 'en')).toBe('family-doctor contract');
    expect(headLabel('****0003/family-doctor/2025-01-01', 'zh')).toBe('****0003/家庭医生签约/2025-01-01');
    expect(headLabel('****0003/MT204/2025-01-01', 'zh')).toBe('****0003/MT204/2025-01-01');
    expect(headLabel('****0003/family-doctor/2025-01-01', 'en')).toBe('****0003/family-doctor/2025-01-01');
  });

  it('R-DIP-5 auxiliary subtypes (辅助目录) of the catalog read in words: no age/icu/cci/death in zh', () => {
    expect(auxiliaryLabel('age:I1=1.2132', 'zh')).toBe('年龄 I1=1.2132');
    expect(auxiliaryLabel('death=1.1125 icu:U14=2.6754', 'zh')).toBe('死亡病例=1.1125；ICU 天数 U14=2.6754');
    expect(auxiliaryLabel('cci:S12=1.3', 'zh')).toBe('CCI S12=1.3');
    expect(auxiliaryLabel('death=1.1125 icu:U14=2.6754', 'en')).toBe('death=1.1125; ICU days U14=2.6754');
    expect(auxiliaryLabel('age:E65', 'en')).toBe('age E65');
    expect(auxiliaryLabel('other:X=1', 'zh')).toBe('other:X=1');
    const catalog = {
      id: 'c',
      groups: [
        {
          code: 'A41.9|',
          kind: 'core',
          dx: 'A41.9',
          procedures: [],
          treatment: 'conservative',
          score: 12_514_611,
          cases: 131,
          meanCost: 1_419_673,
          cv: 0.69,
          primaryCare: false,
          auxiliary: [
            { subtype: 'death', coefficient: '1.1125' },
            { subtype: 'icu:U14', coefficient: '2.6754' },
          ],
          flags: [],
        },
      ],
    };
    const table = catalogTable(catalog as never);
    const aux = table.columns.find((c) => c.key === 'auxiliary')!;
    expect(aux.label?.(String([...table.rows][0]!.auxiliary), 'zh')).toBe('死亡病例=1.1125；ICU 天数 U14=2.6754');
  });

  // `yibao demo --cases 3000`: the zh catalog sheet (病种分值目录) showed high-cv and primary-care-high-cv in 标记.
  it('R-DIP-2: catalog group marks in the reader’s words, zh and en', () => {
    const catalog = {
      id: 'c',
      groups: [
        {
          code: 'I63|conservative',
          kind: 'comprehensive',
          dx: 'I63',
          procedures: [],
          treatment: 'conservative',
          score: 1,
          cases: 3,
          meanCost: 100,
          cv: 1.2,
          primaryCare: true,
          auxiliary: [],
          flags: ['high-cv', 'primary-care-high-cv'],
        },
      ],
    };
    const table = catalogTable(catalog as never);
    const flags = table.columns.find((c) => c.key === 'flags')!;
    const v = String([...table.rows][0]!.flags);
    expect(flags.label?.(v, 'zh')).toBe('变异系数高于预警值；基层病种变异系数偏高');
    expect(flags.label?.(v, 'en')).toBe('CV above the warning value; primary-care group with a high CV');
    expect(flags.label?.('low-volume', 'zh')).toBe('病例数低于核心病种临界值');
    expect(flags.label?.('other', 'zh')).toBe('other');
  });

  it('unit statuses in zh and en', () => {
    expect(statusLabel('paid', 'zh')).toBe('正常病例');
    expect(statusLabel('high-cost', 'zh')).toBe('高倍率病例');
    expect(statusLabel('low-cost', 'zh')).toBe('低倍率病例');
    expect(statusLabel('special-review', 'zh')).toBe('特例单议');
    expect(statusLabel('fallback', 'zh')).toBe('转按项目');
    expect(statusLabel('special-review', 'en')).toBe('special review');
    for (const s of ['paid', 'low-cost', 'high-cost', 'special-review', 'ungrouped', 'excluded', 'fallback'])
      expect(statusLabel(s, 'zh')).not.toMatch(/[a-z]/);
    // Fault 2: en wrote the value itself ("ungrouped") into the case-type cells, which read as the identifier in a
    // workbook with Chinese institution names; every en case type is words that differ from the status value.
    for (const s of ['paid', 'low-cost', 'high-cost', 'special-review', 'ungrouped', 'excluded', 'fallback'])
      expect(statusLabel(s, 'en'), s).not.toBe(s);
    expect(statusLabel('ungrouped', 'en')).toBe('ungrouped case');
  });

  it('point-value rules in zh and en; an unknown value stays as it is', () => {
    expect(pointValueRuleLabel('floating', 'zh')).toBe('浮动点值');
    expect(pointValueRuleLabel('elastic', 'zh')).toBe('弹性点值');
    expect(pointValueRuleLabel('fixed', 'en')).toBe('fixed');
    expect(pointValueRuleLabel('other', 'zh')).toBe('other');
  });

  it('DIP comprehensive groups, match steps, methods and levels in words; codes stay codes (issue 11)', () => {
    expect(groupLabel('C34#conservative', 'zh')).toBe('C34 综合病种（保守治疗）');
    expect(groupLabel('S72#surgery', 'en')).toBe('S72 comprehensive (related surgery)');
    // A core group by its codes: a procedure after +, none said in words (it read "J18.9|" with nothing after it).
    expect(groupLabel('K35.8|47.0901', 'zh')).toBe('K35.8 + 47.0901');
    expect(groupLabel('K35.8|47.0901+54.5100', 'en')).toBe('K35.8 + 47.0901 + 54.5100');
    expect(groupLabel('J18.9|', 'zh')).toBe('J18.9（无手术操作）');
    expect(groupLabel('J18.9|', 'en')).toBe('J18.9 (no procedure)');
    // With the names of the code lists where they hold them (a code without a name stays a code).
    const names = new Map([
      ['J18.9', '肺炎'],
      ['K35.8', '急性阑尾炎'],
      ['47.0901', '腹腔镜下阑尾切除术'],
    ]);
    expect(groupLabel('J18.9|', 'zh', names)).toBe('J18.9 肺炎（无手术操作）');
    expect(groupLabel('K35.8|47.0901+54.5100', 'zh', names)).toBe(
      'K35.8 急性阑尾炎 + 47.0901 腹腔镜下阑尾切除术 + 54.5100',
    );
    expect(groupLabel('GB29', 'zh')).toBe('GB29'); // a DRG
    expect(groupCodesIn('归入 C34#conservative 与 S72#surgery', 'zh')).toBe(
      '归入 C34 综合病种（保守治疗） 与 S72 综合病种（相关手术）',
    );
    expect(matchLabel('comprehensive', 'zh')).toBe('综合病种');
    expect(methodLabel('single-disease', 'zh')).toBe('按病种付费');
    expect(methodLabel('per-diem', 'en')).toBe('per-bed-day payment');
    expect(levelLabel('primary', 'zh')).toBe('基层');
    expect(levelLabel('3', 'zh')).toBe('三级');
  });

  it('a count of a case type: zh 高倍率病例 24, en the count first in the singular for one', () => {
    expect(statusCountText('high-cost', 24, 'zh')).toBe('高倍率病例 24');
    expect(statusCountText('high-cost', 24, 'en')).toBe('24 high-cost cases');
    expect(statusCountText('high-cost', 1, 'en')).toBe('1 high-cost case');
    expect(statusCountText('paid', 8, 'en')).toBe('8 normal cases');
    expect(statusCountText('special-review', 1, 'en')).toBe('1 case for special review');
    expect(statusCountText('special-review', 3, 'en')).toBe('3 cases for special review');
    // Other en counts the terminal prints (1 flag, 1 case, 1 row, 1 member; it printed "1 flags").
    expect([countOf(1, 'flag', 'flags'), countOf(0, 'flag', 'flags'), countOf(2, 'case', 'cases')]).toEqual([
      '1 flag',
      '0 flags',
      '2 cases',
    ]);
  });

  it('an explanation subject "settlement …" reads 机构结算 in zh and stays in en', () => {
    const e = { subject: 'settlement H002 2025 (demo-dip-2025)', steps: [] };
    expect(renderExplanation(e, 'zh')).toBe('机构结算 H002 2025 (demo-dip-2025)');
    expect(renderExplanation(e, 'en')).toBe('settlement H002 2025 (demo-dip-2025)');
  });
});

describe('DRG department indicators', () => {
  it('cases without a department (出院科别) read as such, not "H1/"', async () => {
    const { drgIndicatorTable } = await import('./unit-rows.ts');
    const { toCsv } = await import('./csv.ts');
    const row = {
      key: 'H1/',
      cases: 3,
      groupedCases: 0,
      drgCount: 0,
      cmi: 0,
      timeIndex: 0,
      costIndex: 0,
      lowRiskCases: 0,
      lowRiskDeaths: 0,
      lowRiskMortality: null,
    };
    const t = drgIndicatorTable('d', [row, { ...row, key: 'H1/03' }] as never, 'department');
    const zh = toCsv(t, 'zh').trim().split('\r\n');
    expect(zh[1]!.split(',')[0]).toBe('H1/（未填出院科别）');
    expect(zh[2]!.split(',')[0]).toBe('H1/03');
    expect(toCsv(t, 'en').trim().split('\r\n')[1]!.split(',')[0]).toBe('H1/(no department)');
  });
});
