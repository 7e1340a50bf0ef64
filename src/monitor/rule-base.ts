/** The rule base in force (规则库 + 知识库) as the engines take it: rules, knowledge tables and parameters. */

import type { monitorKind } from '../policy/kinds/monitor.ts';
import type { ResolvedPolicy } from '../policy/registry.ts';
import type { Knowledge } from './knowledge.ts';
import type { MonitorRule } from './types.ts';

export type MonitorPolicy = ResolvedPolicy<typeof monitorKind>;

export interface RuleBase {
  /** Policy id and version, recorded with every monitoring run. */
  policyId: string;
  policyVersion: string;
  rules: readonly MonitorRule[];
  knowledge: Knowledge;
  values: MonitorPolicy['values'];
}

export function ruleById(base: RuleBase, id: string): MonitorRule | undefined {
  return base.rules.find((r) => r.id === id);
}
