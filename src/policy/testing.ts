/** Test fixtures of policy files (not used outside tests). */
import type { PolicyKind, ResolvedValues } from './kind.ts';
import { dipSettlementKind } from './kinds/dip-settlement.ts';
import { parsePolicy } from './loader.ts';
import { resolveFile } from './registry.ts';

/**
 * A settlement policy file with every required parameter and `extra` lines appended under `values:` (each indented
 * two spaces), parsed as `file` and resolved on 30 June 2025: a test of one field's default, reading and refusal.
 */
export function dipSettlementValues(extra: string, file = '(test)'): ResolvedValues<typeof dipSettlementKind> {
  const text = `kind: dip-settlement
region: test
id: test-dip-settlement-2025
version: "1"
title: test
effective: { from: 2025-01-01, to: 2025-12-31 }
values:
  budget: { value: { method: given, amount: 1000000 }, source: "002 四(一)" }
  fundPaymentRatio: { value: computed, source: "技术规范" }
  pointValue: { value: { method: floating }, source: "002 四(三)" }
  provisionalPointValue: { value: { method: opening }, source: "002 四(三)" }
  prepayRatio: { value: 0.95, source: "002 四(三)" }
  advanceMonths: { value: {}, source: "不预付" }
  sharing: { value: none, source: "不分担" }
  defaultAssessment: { value: 1, source: "考核" }
${extra}`;
  const kinds = new Map([['dip-settlement', dipSettlementKind as PolicyKind]]);
  return resolveFile(parsePolicy(text, file, kinds), dipSettlementKind, '2025-06-30').values;
}
