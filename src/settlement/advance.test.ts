/**
 * R-BUD-5 start-of-year advance by level and credit, hand-computed from 000 §4: "各级医保经办机构视医院级别及信誉情况，
 * 年初向定点医疗机构预付 0-2 个月医保资金，年底办理决算".
 */
import { describe, expect, it } from 'vitest';
import { ratio } from '../model/money.ts';
import { dipSettlementKind } from '../policy/kinds/dip-settlement.ts';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { parsePolicy } from '../policy/loader.ts';
import { resolveFile } from '../policy/registry.ts';
import { startOfYearAdvance } from './advance.ts';
import { settlementRules } from './policy-rules.ts';

const settlementFile = (advance: string) => {
  const example = dipSettlementKind.example;
  const text = `kind: dip-settlement
region: r1
id: r1-dip-settlement-2025
version: "1"
title: t
document: d
effective: { from: 2025-01-01, to: 2025-12-31 }
values:
${example
  .split('\n')
  .map((l) => (l.startsWith('advanceMonths:') ? `advanceMonths: ${advance}` : l))
  .map((l) => `  ${l}`)
  .join('\n')}
`;
  return parsePolicy(text, 'dip-settlement-2025.yaml', POLICY_KINDS);
};

describe('R-BUD-5 start-of-year advance by level and credit (000 §4)', () => {
  it('level 3 at 2 months, level 2 at 1, primary at ½: 14,000.00 ÷ 12 × 2 = 2,333.33; 14,000.00 ÷ 12 = 1,166.67; 7,000.00 ÷ 12 × ½ = 291.67', () => {
    const months = { value: { '3': ratio(2n), '2': ratio(1n), primary: ratio(1n, 2n) }, source: '000 §4' };
    expect(startOfYearAdvance(1_400_000, '3', months).advance).toBe(233_333);
    expect(startOfYearAdvance(1_400_000, '2', months).advance).toBe(116_667);
    expect(startOfYearAdvance(700_000, 'primary', months).advance).toBe(29_167);
  });

  it('an institution whose credit the agency judges otherwise gets its own months in place of its level’s, and says so', () => {
    // H1 level 3 (2 months by level), credit lowered to 0 months: 0.00; H9 level 2 (1 month), credit raised to 1.5:
    // 14,000.00 ÷ 12 × 1.5 = 1,750.00.
    const months = { value: { '3': ratio(2n), '2': ratio(1n) }, source: '000 §4' };
    const low = startOfYearAdvance(1_400_000, '3', months, ratio(0n));
    expect(low.advance).toBe(0);
    expect(low.step.values).toMatchObject({ 按级别预付月数: '2', 按信誉预付月数: '0', 预付月数: '0' });
    expect(low.step.zh).toContain('按本机构信誉约定');
    expect(low.step.en).toContain('by its credit');
    expect(startOfYearAdvance(1_400_000, '2', months, ratio(3n, 2n)).advance).toBe(175_000);
  });

  it('the policy: byInstitution beside the levels reaches the settlement rules; more than 2 months is refused (000 §4 预付 0-2 个月)', () => {
    const f = settlementFile('{ value: { "3": 2, "2": 1, byInstitution: { H1: 0, H9: 1.5 } }, source: "000 §4" }');
    const rules = settlementRules(resolveFile(f, dipSettlementKind, '2025-06-30').values);
    expect(rules.advanceMonths.value).toEqual({ '3': ratio(2n), '2': ratio(1n) });
    expect(rules.advanceMonthsByInstitution).toEqual({ H1: ratio(0n), H9: ratio(3n, 2n) });
    expect(() => settlementFile('{ value: { "3": 3 }, source: "000 §4" }')).toThrow(/0 到 2 个月|0 to 2 months/);
    expect(() => settlementFile('{ value: { byInstitution: { H1: 2.5 } }, source: "000 §4" }')).toThrow(
      /0 到 2 个月|0 to 2 months/,
    );
  });
});
