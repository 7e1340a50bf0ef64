/**
 * Hospital bench (`npm run bench`, stage `hospital`): `estimateCase` latency per case (p50 / p99, one call timed at
 * a time, after a warm-up) under DIP on a synthetic region (src/dip/synth.ts, catalog calibrated from three history
 * years) and under CHS-DRG 1.1 on the public conformance cases (when ../shared/reference is there), and hospital-mode
 * throughput: a year of cases through estimate + monthly sums + the book by group, department and doctor.
 * Not a test; no policy files read.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileDrgPack } from '../grouping/drg/compile.ts';
import { importChsDrg11 } from '../grouping/drg/import-chs-drg-11.ts';
import { readCaseFile } from '../grouping/drg/reference-cases.ts';
import { CHS_DRG_11_REFERENCE_DIR, REPO_ROOT } from '../grouping/drg/reference-dir.ts';
import type { InpatientCase, Sex } from '../model/case.ts';
import { ratio } from '../model/money.ts';
import { calibrateCatalog } from '../payment/dip/calibrate.ts';
import { DipEngine } from '../payment/dip/engine.ts';
import { generateRegion } from '../payment/dip/synth.ts';
import { testDipPolicy } from '../payment/dip/testing.ts';
import type { DrgPricing } from '../payment/drg/price.ts';
import { importWeights } from '../payment/drg/weights-import.ts';
import { estimateCase } from './estimate.ts';
import type { HospitalParams } from './types.ts';
import { hospitalYear } from './year.ts';

export interface HospitalBenchFigure {
  label: string;
  items: number;
  seconds: number;
  notes?: string;
}

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

/**
 * Latency of single calls: wall time (what a caller waits, including preemption on a shared machine) and CPU time
 * of the process during the call (steadier under load). Percentiles p50 / p99 of each.
 */
function latency(cases: readonly InpatientCase[], params: HospitalParams, calls: number): HospitalBenchFigure[] {
  const warm = Math.min(1000, cases.length);
  for (let i = 0; i < warm; i++) estimateCase(cases[i]!, params);
  const wall = new Float64Array(calls);
  const cpu = new Float64Array(calls);
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) {
    const c = cases[i % cases.length]!;
    const u = process.cpuUsage();
    const s = performance.now();
    estimateCase(c, params);
    wall[i] = performance.now() - s;
    cpu[i] = cpuMs(process.cpuUsage(u));
  }
  const seconds = (performance.now() - t0) / 1000;
  wall.sort();
  cpu.sort();
  const q = (a: Float64Array, p: number) => a[Math.min(calls - 1, Math.floor(p * calls))]!.toFixed(3);
  return [
    {
      label: `estimateCase ${params.pricing.method} (one call at a time)`,
      items: calls,
      seconds,
      notes: `wall p50 ${q(wall, 0.5)} ms, p99 ${q(wall, 0.99)} ms; cpu p50 ${q(cpu, 0.5)} ms, p99 ${q(cpu, 0.99)} ms`,
    },
  ];
}

/** A hospital year: wall seconds and the CPU seconds of the process. */
function yearFigure(
  label: string,
  cases: readonly InpatientCase[],
  params: HospitalParams,
  extra = '',
): HospitalBenchFigure {
  const u = process.cpuUsage();
  const t0 = performance.now();
  const y = hospitalYear(cases, params);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuMs(process.cpuUsage(u)) / 1000;
  return {
    label,
    items: cases.length,
    seconds,
    notes: `${Math.round(cases.length / cpu).toLocaleString('en-US')}/CPU-s; ${y.book.groups.length} institution × group lines${extra}`,
  };
}

function dipBench(cases: number): HospitalBenchFigure[] {
  const q = Math.max(1, Math.floor(cases / 4));
  const region = generateRegion({
    seed: 7,
    institutions: 60,
    diagnoses: 2000,
    casesPerYear: { 2022: q, 2023: q, 2024: q, 2025: cases },
  });
  const policy = testDipPolicy({
    coreGroupThreshold: '{ value: { method: fixed, minCases: 15 }, source: "bench" }',
    institutionCoefficient: '{ value: { method: calibrated, basis: case-mix }, source: "bench" }',
    referencePointValue: '{ value: opening, source: "bench" }',
  });
  const history = [2022, 2023, 2024].flatMap((y) => region.byYear.get(y)!);
  const cal = calibrateCatalog({
    history,
    institutions: region.institutions,
    policy,
    meta: { policyId: 'bench', version: '1', region: 'bench' },
  });
  const engine = new DipEngine({
    catalog: cal.catalog,
    policy,
    institutions: region.institutions,
    referencePointValue: cal.referencePointValue,
  });
  const params: HospitalParams = {
    pricing: {
      method: 'dip',
      engine,
      pointValue: { value: cal.openingPointValue, basis: 'forecast', source: 'bench' },
    },
    institutions: new Map(region.institutions.map((i) => [i.code, i])),
    prompts: { losToleranceDays: 1 },
    source: { id: 'bench', version: '1', title: 'bench' },
  };
  const current = region.byYear.get(2025)!;
  const out = latency(current, params, Math.min(50_000, current.length));
  out.push(
    yearFigure(
      'hospital mode dip (estimate + months + book)',
      current,
      params,
      `, ${cal.catalog.groups.length} catalog groups`,
    ),
  );
  return out;
}

/** CHS-DRG 1.1 with Harbin 2024 weights and base rate, on the public conformance cases (repeated). */
function drgBench(repeat: number): HospitalBenchFigure[] {
  const weightsFile = join(REPO_ROOT, '../shared/reference/harbin-drg-weights/weights_2024.csv');
  if (!existsSync(join(CHS_DRG_11_REFERENCE_DIR, 'mdc.json')) || !existsSync(weightsFile)) {
    return [{ label: 'estimateCase drg', items: 0, seconds: 0, notes: 'skipped: ../shared/reference not found' }];
  }
  const kernel = compileDrgPack(importChsDrg11(CHS_DRG_11_REFERENCE_DIR));
  const rate = 1_225_270;
  const table = importWeights(readFileSync(weightsFile, 'utf8'), rate, 'harbin 2024').table;
  const pricing: DrgPricing = {
    mode: 'amount',
    baseRate: { employee: rate, resident: 964_924 },
    pointsPerRw: 100,
    levelCoefficients: { '3': ratio(1n), '2': ratio(1n), '1': ratio(1n), primary: ratio(1n) },
    lowRatio: ratio(4n, 10n),
    itemsInPointPool: 'amount',
    highTiers: [
      { rwBelow: ratio(1n), multiple: ratio(3n) },
      { rwBelow: ratio(2n), multiple: ratio(5n, 2n) },
      { multiple: ratio(2n) },
    ],
    highVariant: 'standard-plus-excess',
    excessRate: ratio(1n),
    ungrouped: 'items',
    sources: { method: 'bench', baseRate: 'bench', level: 'bench', low: 'bench', high: 'bench', ungrouped: 'bench' },
  };
  const inst = { code: 'H1', name: 'H1', level: '3' as const, type: 'general' as const, county: '' };
  const ref = readCaseFile(join(CHS_DRG_11_REFERENCE_DIR, 'cases_public.csv'));
  const cases: InpatientCase[] = [];
  for (let k = 0; k < repeat; k++) {
    ref.forEach((r, i) => {
      const age = Number(r.age) || 0;
      const cost = 200_000 + ((i * 7919) % 50) * 40_000;
      cases.push({
        setlId: `${r.id}-${k}`,
        mdtrtId: r.id,
        psnNo: r.id,
        institutionCode: 'H1',
        insuranceType: 'employee',
        sex: (r.sex || '9') as Sex,
        ageYears: age,
        ...(r.ageDays && age < 1 ? { ageDays: Number(r.ageDays) } : {}),
        ...(r.birthWeightG ? { newbornBirthWeightG: Number(r.birthWeightG) } : {}),
        admissionTime: '2025-03-01T08:00:00',
        dischargeTime: '2025-03-08T10:00:00',
        losDays: 7,
        dischargeWay: '1',
        department: String(i % 12),
        doctorCode: `D${i % 40}`,
        diagnoses: String(r.diagnoses)
          .split('|')
          .filter(Boolean)
          .map((code) => ({ code })),
        procedures: String(r.procedures)
          .split('|')
          .filter(Boolean)
          .map((code) => ({ code, date: '2025-03-02' })),
        icuDays: 0,
        readmit31: false,
        totalCost: cost,
        fundPay: Math.round(cost * 0.7),
        selfPay: 0,
        ownPay: 0,
        accountPay: 0,
        cashPay: 0,
      });
    });
  }
  const params: HospitalParams = {
    pricing: { method: 'drg', kernel, table, pricing, pointValue: null },
    institutions: new Map([['H1', inst]]),
    prompts: { losToleranceDays: 1 },
    source: { id: 'bench', version: '1', title: 'bench' },
  };
  const out = latency(cases, params, cases.length);
  out.push(yearFigure('hospital mode drg (estimate + months + book)', cases, params));
  return out;
}

export function benchHospital(cases: number): HospitalBenchFigure[] {
  // DRG first, on a small heap; the DIP region (four years of cases) is built after it.
  const drg = drgBench(Math.max(1, Math.round(cases / 30_000)));
  return [...drg, ...dipBench(cases)];
}
