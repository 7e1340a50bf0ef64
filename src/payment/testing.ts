/**
 * Test helpers: load a policy file or a YAML text of one kind and resolve it on a date, the way the pipeline does
 * (through the strict loader and the resolver). Used by tests only; engines receive resolved values.
 */
import type { InpatientCase } from '../model/case.ts';
import type { PolicyKind, ResolvedValues } from '../policy/kind.ts';
import { loadPolicyFile, parsePolicy } from '../policy/loader.ts';
import { resolveFile } from '../policy/registry.ts';
import { addDays } from './common/period.ts';

export function resolvePolicyFile<K extends PolicyKind>(kind: K, path: string, date: string): ResolvedValues<K> {
  const f = loadPolicyFile(path, new Map([[kind.kind, kind as PolicyKind]]));
  return resolveFile(f, kind, date).values;
}

/** Resolve a `values:` block (YAML text) of `kind` for a one-year test policy. */
export function resolveValuesText<K extends PolicyKind>(kind: K, valuesYaml: string, year = 2025): ResolvedValues<K> {
  const indented = valuesYaml
    .trim()
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
  const text = `kind: ${kind.kind}
region: test
id: test-${kind.kind}-${year}
version: "1"
title: test
effective: { from: ${year}-01-01, to: ${year}-12-31 }
values:
${indented}
`;
  const f = parsePolicy(text, `(test ${kind.kind})`, new Map([[kind.kind, kind as PolicyKind]]));
  return resolveFile(f, kind, `${year}-06-30`).values;
}

/** A settlement-list case for tests: only what the test names, the rest neutral. Dates from admission + LOS. */
export function testCase(p: Partial<InpatientCase> & { setlId: string; institutionCode: string }): InpatientCase {
  const admission = (p.admissionTime ?? '2025-03-01').slice(0, 10);
  const los = p.losDays ?? 5;
  const totalCost = p.totalCost ?? 100_000;
  const fundPay = p.fundPay ?? Math.round(totalCost * 0.7);
  return {
    mdtrtId: `M${p.setlId}`,
    psnNo: 'P1',
    insuranceType: 'employee',
    sex: '1',
    ageYears: 50,
    admissionTime: `${admission}T08:00:00`,
    dischargeTime: `${addDays(admission, los)}T10:00:00`,
    losDays: los,
    dischargeWay: '1',
    diagnoses: [{ code: 'J18.9' }],
    procedures: [],
    icuDays: 0,
    readmit31: false,
    totalCost,
    fundPay,
    selfPay: 0,
    ownPay: 0,
    accountPay: 0,
    cashPay: totalCost - fundPay,
    ...p,
  };
}
