/**
 * Measured quality of monitoring (R-MON-2/4), for `npm run bench`: precision and recall of every rule on a region
 * with planted misbehaviour (the generator's four kinds plus fee-line kinds planted here), the false-positive rate
 * on a region with nothing planted, the whole-year time and the single-case time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { loadPolicyDir, type PolicySet } from '../policy/registry.ts';
import { drgSchemeFor, openSchemeKernel } from '../run/drg-scheme.ts';
import { settleRegionYear } from '../run/settle-region-year.ts';
import { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import { caseContexts, computeBaselines, readInstitutionFacts } from './adapters/duckdb-context.ts';
import { loadRuleBase } from './adapters/knowledge-files.ts';
import { type MonitorRunResult, runMonitoring } from './adapters/monitor-store.ts';
import { loadRegionFast, type PlantedLineKind, plantLineMisbehaviour, readTruth } from './bench-region.ts';
import { checkCase, itemsBySetl } from './check-case.ts';
import type { RuleBase } from './rule-base.ts';
import type { MonitorRule } from './types.ts';

const POLICIES = fileURLToPath(new URL('../../policies', import.meta.url));

/** Which planted kind a rule should find (none: the rule has no ground truth in the synthetic region). */
export function truthKindOf(rule: MonitorRule): string | null {
  const l = rule.logic;
  if ('where' in l) return 'surgery-fee-without-procedure' satisfies PlantedLineKind;
  switch (l.detector) {
    case 'duplicate-charge':
      return 'duplicate-charge';
    case 'code-pair':
      return l.params.relation === 'bundle' ? 'unbundling' : 'exclusive-items';
    case 'over-quantity':
      return 'over-quantity';
    case 'item-substitution':
      return 'substitution';
    case 'restricted-item':
      return `${l.params.check}-restricted`;
    case 'phantom-bed-days':
      return 'phantom-bed-days';
    case 'charge-outside-stay':
      return 'charge-outside-stay';
    case 'split-admission':
      return 'split-admission';
    case 'low-standard-admission':
    case 'low-standard-share':
      return 'low-standard-admission';
    case 'upcoding-no-trace':
    case 'upcoding-share':
    case 'high-weight-share':
      return 'upcoding';
    case 'cost-shifting-case':
    case 'cost-shifting-share':
      return 'cost-shifting';
    default:
      return null;
  }
}

export interface RuleQuality {
  ruleId: string;
  name: string;
  scope: 'case' | 'institution';
  truthKind: string | null;
  flagged: number;
  planted: number;
  truePositives: number;
  precision: number | null;
  recall: number | null;
  /** The same for high-severity flags only. */
  highFlagged: number;
  highPrecision: number | null;
  highRecall: number | null;
  /** Flagged subjects on the clean region (cases or institutions) and their share. */
  cleanFlagged: number;
  cleanRate: number;
}

export interface MonitorBench {
  cases: number;
  cleanCases: number;
  rules: RuleQuality[];
  wholeYear: MonitorRunResult['seconds'];
  wholeYearSeconds: number;
  singleCaseMs: number;
  /** Settling each region's year first (CHS-DRG), so that the high-weight share (YB-IN-006) has a run to read. */
  settleSeconds: number;
  /** The planted upcoder's MCC share and high-weight group share beside its peers (what YB-IN-001/006 compare). */
  upcoder: { institutionCode: string; indicator: string; value: number; peerMean?: number; z?: number }[];
}

async function region(dir: string, cases: number, seed: number, planted: boolean, policies?: PolicySet) {
  const store = await DuckDbStore.open(join(dir, 'store.duckdb'));
  const manifest = await loadRegionFast(store, { dir: join(dir, 'region'), cases, seed, misbehaviour: planted });
  const year = manifest.currentYear;
  const lines = planted ? await plantLineMisbehaviour(store, year, 0.02) : [];
  // A CHS-DRG settlement run of the year (fee-for-service and capitation skipped: monitoring reads its case units
  // only). DRG, not DIP: an added MCC moves a DRG case to a heavier group, while a DIP group ignores secondaries.
  const t0 = performance.now();
  let run: string | undefined;
  if (policies) {
    const scheme = drgSchemeFor(policies, 'demo', year).scheme;
    const kernel = await openSchemeKernel(scheme);
    const settled = await settleRegionYear(store, {
      region: 'demo',
      year,
      policies,
      method: 'drg',
      kernel,
      pack: scheme,
      command: 'bench',
      skip: ['ffs', 'capitation'],
    });
    run = settled.record.id;
  }
  const settleSeconds = (performance.now() - t0) / 1000;
  const truth = planted ? readTruth(join(dir, 'region')) : { cases: [], institutions: [] };
  return { store, year, lines, truth, settlementRunId: run, settleSeconds };
}

async function singleCaseMs(store: DuckDbStore, base: RuleBase, year: number, sample: number): Promise<number> {
  const conn = store.connection;
  const baselines = await computeBaselines(conn, base, year);
  const facts = await readInstitutionFacts(conn);
  for await (const batch of store.iterateCases({ year }, sample)) {
    const items = itemsBySetl(await store.readFeeItems(batch.map((c) => c.setlId)));
    const ctx = await caseContexts(conn, batch, baselines, facts);
    const t0 = performance.now();
    for (const c of batch) {
      checkCase(base.rules, base.knowledge, { case: c, items: items.get(c.setlId) ?? [], context: ctx.get(c.setlId)! });
    }
    return (performance.now() - t0) / batch.length;
  }
  return 0;
}

export async function benchMonitor(o: {
  cases: number;
  seed?: number;
  onStage?: (s: string) => void;
}): Promise<MonitorBench> {
  const seed = o.seed ?? 2025;
  const root = mkdtempSync(join(tmpdir(), 'yibao-bench-monitor-'));
  try {
    const policies = loadPolicyDir(POLICIES, POLICY_KINDS);
    const base = loadRuleBase(policies, 'demo', '2025-12-31');
    o.onStage?.('planted region');
    const p = await region(join(root, 'planted'), o.cases, seed, true, policies);
    o.onStage?.('monitor planted');
    const t0 = performance.now();
    const planted = await runMonitoring(p.store, base, {
      region: 'demo',
      year: p.year,
      ...(p.settlementRunId ? { settlementRunId: p.settlementRunId } : {}),
    });
    const wholeYearSeconds = (performance.now() - t0) / 1000;
    const ms = await singleCaseMs(p.store, base, p.year, 2000);
    await p.store.close();
    o.onStage?.('clean region');
    const c = await region(join(root, 'clean'), o.cases, seed + 1, false, policies);
    o.onStage?.('monitor clean');
    const clean = await runMonitoring(c.store, base, {
      region: 'demo',
      year: c.year,
      ...(c.settlementRunId ? { settlementRunId: c.settlementRunId } : {}),
    });
    await c.store.close();

    const prefix = `JS${p.year}`;
    const truthCases = new Map<string, Set<string>>();
    for (const t of [
      ...p.truth.cases.filter((x) => x.setlId.startsWith(prefix)),
      ...p.lines.map((l) => ({ kind: l.kind, setlId: l.setlId })),
    ]) {
      const s = truthCases.get(t.kind) ?? new Set<string>();
      s.add(t.setlId);
      truthCases.set(t.kind, s);
    }
    const truthInst = new Map<string, Set<string>>();
    for (const t of p.truth.institutions)
      truthInst.set(t.kind, new Set([...(truthInst.get(t.kind) ?? []), t.institutionCode]));
    const rules: RuleQuality[] = base.rules.map((rule) => {
      const kind = truthKindOf(rule);
      const mine = planted.flags.filter((f) => f.ruleId === rule.id);
      const scope = mine[0]?.scope ?? (rule.window === 'year' ? 'institution' : 'case');
      const subjects = new Set(mine.map((f) => (scope === 'case' ? f.setlId : f.institutionCode)));
      const truth = kind ? ((scope === 'case' ? truthCases : truthInst).get(kind) ?? new Set<string>()) : null;
      const tp = truth ? [...subjects].filter((s) => truth.has(s)).length : 0;
      const high = new Set(
        mine.filter((f) => f.severity === 'high').map((f) => (scope === 'case' ? f.setlId : f.institutionCode)),
      );
      const highTp = truth ? [...high].filter((s) => truth.has(s)).length : 0;
      const cleanSubjects = new Set(
        clean.flags.filter((f) => f.ruleId === rule.id).map((f) => (scope === 'case' ? f.setlId : f.institutionCode)),
      );
      const cleanUniverse = scope === 'case' ? clean.cases : clean.scores.length;
      return {
        ruleId: rule.id,
        name: rule.name,
        scope,
        truthKind: kind,
        flagged: subjects.size,
        planted: truth?.size ?? 0,
        truePositives: tp,
        precision: truth && subjects.size > 0 ? tp / subjects.size : null,
        recall: truth && truth.size > 0 ? tp / truth.size : null,
        highFlagged: high.size,
        highPrecision: truth && high.size > 0 ? highTp / high.size : null,
        highRecall: truth && truth.size > 0 && high.size > 0 ? highTp / truth.size : null,
        cleanFlagged: cleanSubjects.size,
        cleanRate: cleanUniverse > 0 ? cleanSubjects.size / cleanUniverse : 0,
      };
    });
    return {
      cases: planted.cases,
      cleanCases: clean.cases,
      rules,
      wholeYear: planted.seconds,
      wholeYearSeconds,
      singleCaseMs: ms,
      settleSeconds: p.settleSeconds + c.settleSeconds,
      upcoder: planted.indicators
        .filter(
          (x) =>
            truthInst.get('upcoding')?.has(x.institutionCode) &&
            (x.indicator === 'mccShare' || x.indicator === 'highWeightShare'),
        )
        .map((x) => ({
          institutionCode: x.institutionCode,
          indicator: x.indicator,
          value: x.value,
          ...(x.peerMean !== undefined ? { peerMean: x.peerMean } : {}),
          ...(x.z !== undefined ? { z: x.z } : {}),
        })),
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Only the whole-year time on a region of `cases` (no clean twin, no quality figures), for the large bench. */
export async function benchMonitorTime(o: {
  cases: number;
  seed?: number;
  onLoaded?: () => void;
}): Promise<{ cases: number; seconds: number; stages: Record<string, number>; flags: number }> {
  const root = mkdtempSync(join(tmpdir(), 'yibao-bench-monitor-'));
  try {
    const base = loadRuleBase(loadPolicyDir(POLICIES, POLICY_KINDS), 'demo', '2025-12-31');
    const p = await region(root, o.cases, o.seed ?? 2025, true);
    o.onLoaded?.();
    const t0 = performance.now();
    const r = await runMonitoring(p.store, base, { region: 'demo', year: p.year });
    const seconds = (performance.now() - t0) / 1000;
    await p.store.close();
    return { cases: r.cases, seconds, stages: r.seconds, flags: r.flags.length };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
