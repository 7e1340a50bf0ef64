/** Reads the knowledge tables (CSV, UTF-8, header row) named by a monitor policy, relative to the policy file. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { monitorKind } from '../../policy/kinds/monitor.ts';
import type { PolicySet } from '../../policy/registry.ts';
import { buildKnowledge, type Row } from '../knowledge.ts';
import type { RuleBase } from '../rule-base.ts';

function readRows(file: string): { file: string; rows: Row[] } {
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  return { file, rows: parse(text, { columns: true, skip_empty_lines: true, trim: true }) as Row[] };
}

/** The rule base of `region` in force on `date`, with its knowledge tables read and checked. */
export function loadRuleBase(policies: PolicySet, region: string, date: string): RuleBase {
  const p = policies.resolve(monitorKind, region, date);
  const dir = dirname(p.file);
  const k = p.values.knowledge.value;
  const at = (f: string) => resolve(dir, f);
  const knowledge = buildKnowledge({
    itemLimits: readRows(at(k.itemLimits)),
    codePairs: readRows(at(k.codePairs)),
    itemCatalog: readRows(at(k.itemCatalog)),
    diagnosisLists: readRows(at(k.diagnosisLists)),
  });
  return { policyId: p.id, policyVersion: p.version, rules: p.values.rules.value, knowledge, values: p.values };
}
