/**
 * DIP bench (`npm run bench` wires it in): builds N in-memory synthetic cases (src/dip/synth.ts, 2022–2025, a
 * quarter per year) and measures calibration (the three history years), grouping (all N cases through the
 * grouper kernel), case evaluation (the current year: grouping + points + special review), and the pool
 * settlement (months, point value, allocation, clearing), with peak RSS. Not a test; no policy files read.
 */
import type { InpatientCase } from '../src/model/case.ts';
import { calibrateCatalog } from '../src/payment/dip/calibrate.ts';
import { DipEngine } from '../src/payment/dip/engine.ts';
import { generateRegion } from '../src/payment/dip/synth.ts';
import { testDipPolicy, testSettlementPolicy } from '../src/payment/dip/testing.ts';
import { toUnitResults } from '../src/payment/dip/unit-result.ts';
import { poolBudget } from '../src/settlement/budget.ts';
import { budgetRule, settlementRules } from '../src/settlement/policy-rules.ts';
import { settlePool } from '../src/settlement/settle.ts';
import { cpuClock } from './harness.ts';

export interface StageFigure {
  stage: string;
  items: number;
  /** Wall-clock milliseconds. */
  ms: number;
  /** CPU milliseconds of this process (user + system): steadier than wall time on a shared machine. */
  cpuMs: number;
  /** Items per wall-clock second. */
  perSecond: number;
  /** Items per CPU second. */
  perCpuSecond: number;
}

export interface DipBenchResult {
  cases: number;
  stages: StageFigure[];
  peakRssMb: number;
  groups: number;
}

function stage(name: string, items: number, f: () => void): StageFigure {
  const t = performance.now();
  const clock = cpuClock();
  f();
  const ms = performance.now() - t;
  const cpuMs = clock.ms();
  return {
    stage: name,
    items,
    ms: Math.round(ms),
    cpuMs: Math.round(cpuMs),
    perSecond: Math.round(items / (ms / 1000)),
    perCpuSecond: Math.round(items / (cpuMs / 1000)),
  };
}

export function benchDip(cases: number): DipBenchResult {
  const q = Math.max(1, Math.floor(cases / 4));
  const stages: StageFigure[] = [];
  let region!: ReturnType<typeof generateRegion>;
  stages.push(
    stage('generate', cases, () => {
      region = generateRegion({
        seed: 42,
        institutions: 120,
        diagnoses: 2500,
        casesPerYear: { 2022: q, 2023: q, 2024: q, 2025: cases - 3 * q },
      });
    }),
  );
  const history: InpatientCase[] = [2022, 2023, 2024].flatMap((y) => region.byYear.get(y)!);
  const current = region.byYear.get(2025)!;
  const policy = testDipPolicy({
    coreGroupThreshold: '{ value: { method: fixed, minCases: 15 }, source: "bench" }',
    trimming: '{ value: { low: 0.025, high: 0.975 }, source: "bench" }',
    institutionCoefficient: '{ value: { method: calibrated, basis: case-mix }, source: "bench" }',
    referencePointValue: '{ value: opening, source: "bench" }',
    auxiliary:
      '{ value: { minCases: 10, minCoefficient: 1.1, age: [{ code: E65, zh: "≥65岁", unit: years, from: 65 }], icuDays: [{ code: U7, zh: "2–7天", from: 2, to: 7 }, { code: U8, zh: "≥8天", from: 8 }], cci: [{ code: S1, zh: "CCI≥1", from: 1 }], death: true }, source: "bench" }',
  });
  let calibration!: ReturnType<typeof calibrateCatalog>;
  stages.push(
    stage('calibrate', history.length, () => {
      calibration = calibrateCatalog({
        history,
        institutions: region.institutions,
        policy,
        meta: { policyId: 'bench', version: '1', region: 'bench' },
      });
    }),
  );
  const engine = new DipEngine({
    catalog: calibration.catalog,
    policy,
    institutions: region.institutions,
    referencePointValue: calibration.referencePointValue,
  });
  const all = [...history, ...current];
  let grouped = 0;
  stages.push(
    stage('group', all.length, () => {
      const g = engine.grouper;
      for (let i = 0; i < all.length; i++) if (g.group(all[i]!).index >= 0) grouped++;
    }),
  );
  let evaluation!: ReturnType<DipEngine['evaluate']>;
  stages.push(
    stage('evaluate', current.length, () => {
      evaluation = engine.evaluate(current);
    }),
  );
  const st = testSettlementPolicy({
    budget: '{ value: { method: growth, growthRate: 0.05 }, source: "bench" }',
    fundPaymentRatio: '{ value: computed, source: "bench" }',
    provisionalPointValue: '{ value: { method: monthly-quota, quotaRatio: 0.9 }, source: "bench" }',
  });
  stages.push(
    stage('settle', current.length, () => {
      const units = toUnitResults(evaluation.results, engine, false);
      const last = new Map<string, number>();
      for (const c of region.byYear.get(2024)!)
        last.set(c.institutionCode, (last.get(c.institutionCode) ?? 0) + c.fundPay);
      const lastTotal = [...last.values()].reduce((s, v) => s + v, 0);
      settlePool({
        poolId: 'bench',
        region: 'bench',
        year: 2025,
        units,
        budget: poolBudget(budgetRule(st), lastTotal),
        openingPointValue: { value: calibration.openingPointValue, source: 'bench' },
        institutions: region.institutions,
        lastYearFundPaid: last,
        deductions: [],
        assessments: [],
        rules: settlementRules(st),
      });
    }),
  );
  if (grouped === 0) throw new Error('bench: nothing grouped');
  return {
    cases,
    stages,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    groups: calibration.catalog.groups.length,
  };
}

/** A table of the figures for `npm run bench`. */
export function formatDipBench(r: DipBenchResult): string {
  const lines = [`DIP bench: ${r.cases.toLocaleString('en')} cases, ${r.groups} groups, peak RSS ${r.peakRssMb} MB`];
  for (const s of r.stages) {
    lines.push(
      `  ${s.stage.padEnd(10)} ${String(s.items).padStart(9)} items  ${String(s.ms).padStart(7)} ms  ${s.perSecond.toLocaleString('en').padStart(11)} /s  (cpu ${String(s.cpuMs).padStart(7)} ms, ${s.perCpuSecond.toLocaleString('en').padStart(11)} /cpu-s)`,
    );
  }
  return lines.join('\n');
}
