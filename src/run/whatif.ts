/**
 * Policy what-if (政策模拟): the region-year of an issued run settled again on the same store with some policy values
 * changed, recorded as a `what-if` run beside it (never the run in force, never overwriting it), so that each
 * institution's payment can be compared side by side.
 *
 * What may change: the numbers of the run's own policy snapshot (`whatIfParameters`), e.g. a budget growth rate, a
 * sharing band, a level coefficient, the DRG points per RW. The changed files are written (with their clause
 * comments kept) to a folder of their own and go through the same validation as any policy file, so a value the
 * policy kind refuses is refused here too. The what-if run's snapshot holds the changed content; its record names
 * the base run and the changes. The DIP catalog and the opening point value are the base run's own unless a change
 * touches the DIP policy (then both are calibrated again from the same history).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import type { Catalog } from '../grouping/dip/index.ts';
import type { DrgKernel } from '../grouping/drg/index.ts';
import { pushTo } from '../payment/common/index-by.ts';
import type { DrgWeight, DrgWeightTable } from '../payment/drg/index.ts';
import { drgKind } from '../policy/kinds/drg.ts';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { loadPolicyDir, type PolicySet } from '../policy/registry.ts';
import type { RunPolicySnapshot, RunResultsReader, SettlementRunRecord } from '../store/settlement-runs.ts';
import type { Store } from '../store/store.ts';
import { WHAT_IF_FILE } from './command-label.ts';
import { runDrgScheme } from './explain-run.ts';
import { fromJson, type RatioText, ratioOf } from './results.ts';
import { type RegionYearRun, settleRegionYear } from './settle-region-year.ts';
import { parameterWords, type Words } from './whatif-labels.ts';

/** One number of a run's policy snapshot that a what-if may change. */
export interface WhatIfParameter {
  /** `policyId:key.sub.path`, e.g. `demo-dip-settlement-2025:budget.growthRate`. */
  id: string;
  policyId: string;
  kind: string;
  /** The value's key and the path inside it, dotted (`sharing.overspend.0.fundShare`). */
  key: string;
  value: number;
  /** The clause the value comes from. */
  source: string;
  /** Its policy and value in words (the picker's group), its own words, and whether it is a ratio (0.1 = 10%). */
  group: Words;
  label: Words;
  ratio: boolean;
}

export interface WhatIfChange {
  /** A `WhatIfParameter.id`. */
  parameter: string;
  value: number;
}

export class WhatIfError extends Error {
  constructor(
    readonly code: 'WHATIF_PARAMETER' | 'WHATIF_POLICY' | 'WHATIF_BASE',
    readonly zh: string,
    readonly en: string,
  ) {
    super(`${zh} / ${en}`);
    this.name = 'WhatIfError';
  }
}

interface Located extends WhatIfParameter {
  /** Path in the YAML document. */
  at: (string | number)[];
}

const INSTITUTION_TYPE_WORDS: Readonly<Record<string, Words>> = {
  psychiatric: ['精神专科医院', 'psychiatric'],
  general: ['综合医院', 'general'],
  rehabilitation: ['康复医院', 'rehabilitation'],
  tcm: ['中医医院', 'TCM'],
  primary: ['基层医疗机构', 'primary care'],
};

/** A list element's name, when it has one: a catalog entry's code and name, a per-diem rate's category and type. */
function itemWords(node: unknown): Words | undefined {
  if (!isMap(node)) return undefined;
  const get = (k: string) => {
    const v = node.get(k);
    return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
  };
  const code = get('code') ?? get('category');
  if (!code) return undefined;
  const type = get('institutionType');
  const typeWords = type ? (INSTITUTION_TYPE_WORDS[type] ?? [type, type]) : undefined;
  const zh = [code, get('zh'), typeWords?.[0]].filter(Boolean).join(' ');
  const en = [code, get('en'), typeWords?.[1]].filter(Boolean).join(' ');
  return [zh, en];
}

/** Every numeric leaf under `values.<key>.value` of the run's policy files, in file order. */
function locate(snapshots: readonly RunPolicySnapshot[]): Located[] {
  const out: Located[] = [];
  for (const s of snapshots) {
    const doc = parseDocument(s.content);
    const values = doc.get('values', true);
    if (!isMap(values)) continue;
    for (const item of values.items) {
      const key = isScalar(item.key) ? String(item.key.value) : String(item.key);
      const entry = item.value;
      if (!isMap(entry)) continue;
      const source = String(entry.get('source') ?? '');
      const walk = (node: unknown, at: (string | number)[], shown: string[], items: Map<number, Words>) => {
        if (isScalar(node)) {
          if (typeof node.value === 'number') {
            const k = [key, ...shown].join('.');
            out.push({
              id: `${s.policyId}:${k}`,
              policyId: s.policyId,
              kind: s.kind,
              key: k,
              value: node.value,
              source,
              ...parameterWords(s.kind, k, items),
              at: ['values', key, 'value', ...at],
            });
          }
        } else if (isMap(node)) {
          for (const p of node.items) {
            const name = isScalar(p.key) ? String(p.key.value) : String(p.key);
            walk(p.value, [...at, name], [...shown, name], items);
          }
        } else if (isSeq(node)) {
          for (const [i, v] of node.items.entries()) {
            const named = itemWords(v);
            // The element's position in the dotted key (`catalog.3.standards.primary`: 1).
            const next = named ? new Map([...items, [shown.length + 1, named]]) : items;
            walk(v, [...at, i], [...shown, String(i)], next);
          }
        }
      };
      walk(entry.get('value', true) as YamlNode | undefined, [], [], new Map());
    }
  }
  return out;
}

/** The numbers of a run's policy snapshot that a what-if may change. */
export function whatIfParameters(snapshots: readonly RunPolicySnapshot[]): WhatIfParameter[] {
  return locate(snapshots).map(({ at: _at, ...p }) => p);
}

/** A change a what-if run made: the parameter, the value in force in the issued run, the what-if's value, in words. */
export interface WhatIfChangeOfRun extends WhatIfChange {
  key: string;
  kind: string;
  group: Words;
  label: Words;
  ratio: boolean;
  /** The value in the issued run's policy (absent when the issued run's policy has no such number). */
  inForce?: number;
  source: string;
}

/**
 * The changes a what-if run made against its issued run: the parameters its recorded command names (`what-if BASE
 * parameter=value …`; a value may equal the one in force), then every other number that differs between the two
 * runs' policy snapshots (a what-if settled from a copied policy folder, `settle --what-if`, names a folder).
 */
export function whatIfChangesOfRun(
  inForceSnapshots: readonly RunPolicySnapshot[],
  simulatedSnapshots: readonly RunPolicySnapshot[],
  command: string,
): WhatIfChangeOfRun[] {
  const inForce = new Map(whatIfParameters(inForceSnapshots).map((p) => [p.id, p] as const));
  const simulated = whatIfParameters(simulatedSnapshots);
  const simulatedById = new Map(simulated.map((p) => [p.id, p] as const));
  const named = command
    .split(' ')
    .slice(2)
    .filter((x) => x.includes('='))
    .map((x) => {
      const at = x.lastIndexOf('=');
      return { parameter: x.slice(0, at), value: Number(x.slice(at + 1)) };
    });
  const listed = new Set(named.map((c) => c.parameter));
  const differing = simulated
    .filter((p) => !listed.has(p.id) && inForce.get(p.id)?.value !== p.value)
    .map((p) => ({ parameter: p.id, value: p.value }));
  return [...named, ...differing].map(({ parameter, value }) => {
    const p = inForce.get(parameter) ?? simulatedById.get(parameter);
    const at = parameter.indexOf(':');
    const key = p?.key ?? parameter.slice(at + 1);
    const words = p ?? { group: [key, key] as Words, label: [key, key] as Words, ratio: false };
    return {
      parameter,
      value,
      key,
      kind: p?.kind ?? '',
      group: words.group,
      label: words.label,
      ratio: words.ratio,
      ...(inForce.has(parameter) ? { inForce: inForce.get(parameter)!.value } : {}),
      source: p?.source ?? '',
    };
  });
}

/** The snapshot's files with the changes applied (YAML comments and layout kept). */
export function changedSnapshots(
  snapshots: readonly RunPolicySnapshot[],
  changes: readonly WhatIfChange[],
): { snapshots: RunPolicySnapshot[]; changed: Set<string> } {
  const known = new Map(locate(snapshots).map((p) => [p.id, p] as const));
  const byPolicy = new Map<string, { at: (string | number)[]; value: number }[]>();
  for (const c of changes) {
    const p = known.get(c.parameter);
    if (!p) {
      throw new WhatIfError(
        'WHATIF_PARAMETER',
        `结算运行的政策中没有参数 ${c.parameter}`,
        `the run's policy has no parameter ${c.parameter}`,
      );
    }
    if (!Number.isFinite(c.value)) {
      throw new WhatIfError('WHATIF_PARAMETER', `${c.parameter} 的值不是数`, `${c.parameter}: not a number`);
    }
    pushTo(byPolicy, p.policyId, { at: p.at, value: c.value });
  }
  const out = snapshots.map((s) => {
    const edits = byPolicy.get(s.policyId);
    if (!edits) return s;
    const doc = parseDocument(s.content);
    for (const e of edits) doc.setIn(e.at, e.value);
    return { ...s, content: String(doc) };
  });
  return { snapshots: out, changed: new Set(byPolicy.keys()) };
}

export interface WhatIfOptions {
  changes: readonly WhatIfChange[];
  /** The CHS-DRG kernel, for a DRG base run. */
  kernel?: (scheme: string) => Promise<DrgKernel>;
  onStage?: (stage: string) => void;
}

export interface WhatIfRun {
  run: RegionYearRun;
  /** Set when the store's cases are no longer those the base run settled (the difference mixes in new data). */
  warning?: { zh: string; en: string };
}

/**
 * The published DRG weights the base run applied, when its DRG policy takes them from a file (`weights: { method:
 * file }`): the file sits beside the policy file, not in the run's snapshot, so the what-if reuses the table the base
 * run recorded (`drg-weights`) — the same published weights, whatever happened to the file since. A what-if cannot
 * change the file name or its reference base rate (text values), so the table is always the base run's. Calibrated
 * weights (`method: calibrate`) are calibrated again, since a change of `rwCalibration` moves them.
 */
async function publishedWeights(
  reader: RunResultsReader,
  policies: PolicySet,
  base: SettlementRunRecord,
): Promise<DrgWeightTable | undefined> {
  const drg = policies.resolve(drgKind, base.region, `${base.year}-01-01`);
  if (drg.values.weights.value.method !== 'file') return undefined;
  const [w] = await reader.derived('drg-weights');
  if (!w) {
    throw new WhatIfError(
      'WHATIF_BASE',
      `结算运行 ${base.id} 没有记录所用的 DRG 权重表，无法按同一公布权重模拟`,
      `run ${base.id} kept no DRG weights table, so a what-if cannot use the same published weights`,
    );
  }
  const stored = fromJson<{ source: string; overallMean: number; weights: [string, DrgWeight][] }>(w.content);
  return { source: stored.source, overallMean: stored.overallMean, weights: new Map(stored.weights) };
}

/**
 * Settle the base run's region-year again with `changes`, stored as a what-if run. The store's cases should be
 * those the base run settled (same count and control total per year); when they are not, the result says so.
 */
export async function runWhatIf(store: Store, base: SettlementRunRecord, o: WhatIfOptions): Promise<WhatIfRun> {
  if (base.kind === 'what-if') {
    throw new WhatIfError('WHATIF_BASE', `${base.id} 本身是模拟运行`, `${base.id} is itself a what-if run`);
  }
  if (o.changes.length === 0) {
    throw new WhatIfError('WHATIF_PARAMETER', '没有要改变的参数', 'no parameter to change');
  }
  const reader = store.runResults(base.id);
  const { snapshots, changed } = changedSnapshots(await reader.policies(), o.changes);
  const dir = mkdtempSync(join(tmpdir(), `yibao-what-if-${base.id}-`));
  try {
    // Recorded by the base run's paths, the changed file marked (the copies in `dir` are deleted below).
    const policyFileNames = new Map<string, string>();
    for (const s of snapshots) {
      const copy = join(dir, `${s.policyId}-${basename(s.file)}`);
      writeFileSync(copy, s.content);
      policyFileNames.set(copy, changed.has(s.policyId) ? `${WHAT_IF_FILE}${s.file}` : s.file);
    }
    let policies: ReturnType<typeof loadPolicyDir>;
    try {
      policies = loadPolicyDir(dir, POLICY_KINDS);
    } catch (e) {
      const x = e as { zh?: string; en?: string; field?: string; message: string };
      throw new WhatIfError(
        'WHATIF_POLICY',
        `改变后的政策不合规：${x.field ? `${x.field}：` : ''}${x.zh ?? x.message}`,
        `the changed policy is not valid: ${x.field ? `${x.field}: ` : ''}${x.en ?? x.message}`,
      );
    }
    const dipChanged = snapshots.some((s) => s.kind === 'dip' && changed.has(s.policyId));
    const [cat] = base.caseMethod === 'dip' && !dipChanged ? await reader.derived('dip-catalog') : [];
    const catalog = cat ? fromJson<Catalog>(cat.content) : undefined;
    // The catalog's opening point value is the one the base run applied (the same history years and kept cases): an
    // unchanged parameter then changes no monthly payment, no advance and no clearing payment (R-DIP-6).
    const [opening] = catalog ? await reader.derived('opening-point-value') : [];
    const catalogOpeningPointValue = opening ? ratioOf(fromJson<RatioText>(opening.content)) : undefined;
    const scheme = base.caseMethod === 'drg' ? runDrgScheme(base) : undefined;
    const kernel = scheme ? await o.kernel?.(scheme) : undefined;
    const drgWeights = base.caseMethod === 'drg' ? await publishedWeights(reader, policies, base) : undefined;
    const run = await settleRegionYear(store, {
      region: base.region,
      year: base.year,
      policies,
      method: base.caseMethod === 'drg' ? 'drg' : 'dip',
      command: `what-if ${base.id} ${o.changes.map((c) => `${c.parameter}=${c.value}`).join(' ')}`,
      whatIfOf: base.id,
      policyFileNames,
      ...(catalog ? { catalog } : {}),
      ...(catalogOpeningPointValue ? { catalogOpeningPointValue } : {}),
      ...(drgWeights ? { drgWeights } : {}),
      ...(kernel && scheme ? { kernel, pack: scheme } : {}),
      ...(o.onStage ? { onStage: o.onStage } : {}),
    });
    const casesOf = (r: SettlementRunRecord) =>
      JSON.stringify(r.inputs.filter((i) => i.role === 'cases').map((i) => [i.path, i.sha256]));
    if (casesOf(run.record) !== casesOf(base)) {
      return {
        run,
        warning: {
          zh: `存储中的病例自结算运行 ${base.id} 以来已改变；差额中含有新数据的影响`,
          en: `the store's cases changed since run ${base.id}; the difference includes the new data`,
        },
      };
    }
    return { run };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
