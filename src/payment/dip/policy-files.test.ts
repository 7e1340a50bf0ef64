import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fenToYuan } from '../../model/money.ts';
import { dipKind } from '../../policy/kinds/dip.ts';
import { dipSettlementKind } from '../../policy/kinds/dip-settlement.ts';
import { poolBudget } from '../../settlement/budget.ts';
import { budgetRule, settlementRules } from '../../settlement/policy-rules.ts';
import { resolvePolicyFile } from '../testing.ts';

const file = (p: string) => fileURLToPath(new URL(`../../../policies/${p}`, import.meta.url));

describe('shipped DIP policies', () => {
  it('R-BUD-2: the Inner Mongolia template budget = revenue − reserve − the eight items of 002 四(一)', () => {
    // 1 000 000 000 − 3 % (30 000 000) − (30 + 80 + 90 + 20 + 110 + 25 + 45 + 15 = 415 million) = 555 000 000 yuan.
    const p = resolvePolicyFile(dipSettlementKind, file('templates/inner-mongolia-dip-settlement.yaml'), '2025-06-30');
    const b = poolBudget(budgetRule(p));
    expect(fenToYuan(b.fund)).toBe('555000000.00');
    expect(b.steps[0]!.clause).toContain('002 四(一)');
  });

  it('every value of the demo and template DIP policies cites a clause', () => {
    for (const f of ['demo/dip-2025.yaml', 'templates/inner-mongolia-dip.yaml']) {
      const p = resolvePolicyFile(dipKind, file(f), '2025-06-30');
      for (const v of Object.values(p)) expect((v as { source: string }).source.length).toBeGreaterThan(4);
    }
    const s = resolvePolicyFile(dipSettlementKind, file('demo/dip-settlement-2025.yaml'), '2025-06-30');
    const rules = settlementRules(s);
    expect(rules.prepayRatio.value).toEqual({ num: 19n, den: 20n });
    expect(rules.sharing.value?.overspend.length).toBe(2);
  });
});
