/**
 * R-BUD-2 regional inpatient budget, hand-computed from 002 四(一): "以当年度基本医疗保险统筹基金总收入，适当预留部分基金，
 * 在扣除急诊、普通门诊统筹、门诊特慢病、门诊特殊用药、统筹区域外就医、医保直接结算的药品及耗材费用、大病保险、职工生育保险等
 * 支出费用后，确定区域内所有定点医疗机构住院可分配的基金总额". The clause fixes no form of the reserve: a share of the
 * revenue or an amount.
 */
import { describe, expect, it } from 'vitest';
import { fenToYuan } from '../model/money.ts';
import { dipSettlementKind } from '../policy/kinds/dip-settlement.ts';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { parsePolicy } from '../policy/loader.ts';
import { resolveFile } from '../policy/registry.ts';
import { poolBudget } from './budget.ts';
import { budgetRule } from './policy-rules.ts';

// The eight listed items: 1,000 + 5,000 + 4,000 + 500 + 6,000 + 500 + 2,000 + 1,000 = 20,000.00 yuan.
const ITEMS = `[
        { item: 急诊, amount: 1000 }, { item: 普通门诊统筹, amount: 5000 }, { item: 门诊特慢病, amount: 4000 },
        { item: 门诊特殊用药, amount: 500 }, { item: 统筹区域外就医, amount: 6000 },
        { item: 医保直接结算的药品及耗材费用, amount: 500 }, { item: 大病保险, amount: 2000 }, { item: 职工生育保险, amount: 1000 } ]`;

const settlementFile = (reserve: string) => {
  const text = `kind: dip-settlement
region: r1
id: r1-dip-settlement-2025
version: "1"
title: t
document: d
effective: { from: 2025-01-01, to: 2025-12-31 }
values:
${dipSettlementKind.example
  .split('\n')
  .map((l) =>
    l.startsWith('budget:')
      ? `budget: { value: { method: items, revenue: 100000, ${reserve}deductions: ${ITEMS.replace(/\n/g, ' ')} }, source: "002 四(一)" }`
      : l,
  )
  .map((l) => `  ${l}`)
  .join('\n')}
`;
  return parsePolicy(text, 'dip-settlement-2025.yaml', POLICY_KINDS);
};
const fundOf = (reserve: string) =>
  poolBudget(budgetRule(resolveFile(settlementFile(reserve), dipSettlementKind, '2025-06-30').values));

describe('R-BUD-2 inpatient budget = revenue − reserve − the listed spending (002 四(一))', () => {
  it('a reserve of 3 % of 100,000.00: 100,000.00 − 3,000.00 − 20,000.00 = 77,000.00', () => {
    const b = fundOf('reserveRatio: 0.03, ');
    expect(fenToYuan(b.fund)).toBe('77000.00');
    expect(b.steps[0]!.values).toMatchObject({ 预留比例: '0.03', 预留基金: '3000.00' });
  });

  it('a reserve written as an amount (reserve: 3000 yuan) gives the same 77,000.00, without a ratio', () => {
    const b = fundOf('reserve: 3000, ');
    expect(fenToYuan(b.fund)).toBe('77000.00');
    expect(b.steps[0]!.values).toMatchObject({ 预留基金: '3000.00' });
    expect(b.steps[0]!.values).not.toHaveProperty('预留比例');
    expect(budgetRule(resolveFile(settlementFile('reserve: 3000, '), dipSettlementKind, '2025-06-30').values)).toEqual(
      expect.objectContaining({ value: expect.objectContaining({ reserveAmount: 300_000 }) }),
    );
  });

  it('both forms, or neither, are refused with a message naming the two keys', () => {
    expect(() => settlementFile('reserveRatio: 0.03, reserve: 3000, ')).toThrow(/reserveRatio.*reserve/);
    expect(() => settlementFile('')).toThrow(/reserveRatio.*reserve/);
  });
});
