/**
 * Issue 9, the history pass as set-based reads: `reduceInpatientHistory` (the store's typed columns, one grouping
 * per distinct code list, whole cases only where a calibrated per-bed-day rate or single-disease standard needs
 * them) gives exactly the history of the pass over case objects — DIP catalog (groups, scores, coefficients,
 * auxiliary subtypes, CV), opening point value, group means, last year's fund payment, per-diem rates, single-
 * disease standards and DRG weights — to the exact ratio (R-DIP-1, R-DIP-2, R-DIP-4, R-DIP-5, R-PAY-BEDDAY,
 * R-PAY-DISEASE, R-PAY-DRG).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_CODE_LISTS } from '../codes/index.ts';
import { importCodes } from '../ingest/codes-import.ts';
import type { InpatientCase } from '../model/case.ts';
import type { Institution } from '../model/institution.ts';
import type { UnitResult } from '../model/unit-result.ts';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { parsePolicy } from '../policy/loader.ts';
import { loadPolicyDir, PolicySet, policiesDir } from '../policy/registry.ts';
import { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import { generateRegion } from '../synth/generate.ts';
import { ingestRegion } from './demo.ts';
import { drgSchemeFor, openSchemeKernel } from './drg-scheme.ts';
import { policyDrgWeights } from './drg-weights.ts';
import {
  historyYears,
  type InpatientYearOptions,
  inpatientHistoryReducer,
  inpatientYear,
  reduceInpatientHistory,
  runInpatientYear,
} from './inpatient-year.ts';
import { procedureClassifier } from './procedure-classifier.ts';

const json = (x: unknown) =>
  JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? v.toString() : v instanceof Map ? [...v] : v));

/** The demo policies with per-bed-day rates and single-disease standards calibrated from history. */
function calibratedPolicies(): PolicySet {
  const demo = loadPolicyDir(policiesDir('policies'), POLICY_KINDS);
  const files = demo.files.filter((f) => f.region === 'demo');
  return new PolicySet(
    files.map((f) => {
      if (f.kind === 'per-diem') {
        const text = readFileSync(f.file, 'utf8').replace(
          /\n {2}rates:\n[\s\S]*?\n {2}settleAs:/,
          '\n  rates:\n    value: { method: calibrate, stageFactors: [1, 0.9, 0.8], minCases: 2 }\n    source: "测试：按历史日均费用测算"\n  settleAs:',
        );
        return parsePolicy(text, f.file, POLICY_KINDS);
      }
      if (f.kind === 'single-disease') {
        // The first forty entries lose their published standards: calibrated from history.
        let k = 0;
        const text = readFileSync(f.file, 'utf8').replace(/, standards: \{[^}]*\}/g, (m) => (k++ < 40 ? '' : m));
        return parsePolicy(text, f.file, POLICY_KINDS);
      }
      return f;
    }),
  );
}

describe('issue 9: the history pass from the store’s typed columns equals the pass over case objects', () => {
  let dir = '';
  let store: DuckDbStore;
  let institutions: Institution[];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'yibao-history-'));
    const manifest = await generateRegion({ out: join(dir, 'region'), cases: 6000, seed: 11, feeItems: false });
    store = await DuckDbStore.open(join(dir, 'h.duckdb'));
    for (const kind of ['icd10', 'icd9'] as const) {
      await importCodes(store, { kind, file: SAMPLE_CODE_LISTS[kind], listVersion: 'sample' });
    }
    await ingestRegion(store, manifest, join(dir, 'region'), dir);
    institutions = await store.readInstitutions();
  }, 240_000);
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const byObjects = async (o: InpatientYearOptions) => {
    const r = inpatientHistoryReducer(o, institutions);
    for (const year of historyYears(o)) for await (const b of store.iterateCases({ year }, 700)) r.add(b);
    return r.finish();
  };

  it('DIP with the demo policies: catalog, opening value, group means, last year’s fund payment', async () => {
    const policies = loadPolicyDir(policiesDir('policies'), POLICY_KINDS);
    const o: InpatientYearOptions = {
      region: 'demo',
      year: 2025,
      policies,
      method: 'dip',
      classify: await procedureClassifier(store),
    };
    const want = await byObjects(o);
    const got = await reduceInpatientHistory(store, o, institutions);
    expect(got.cases).toBeGreaterThan(3000);
    expect(got.dip!.catalog.groups.length).toBeGreaterThan(10);
    expect(got.dip!.groupMeans!.size).toBeGreaterThan(10);
    expect(json(got)).toBe(json(want));
  });

  it('per-bed-day rates and single-disease standards calibrated from history (whole cases read by prefix)', async () => {
    const o: InpatientYearOptions = {
      region: 'demo',
      year: 2025,
      policies: calibratedPolicies(),
      method: 'dip',
      classify: await procedureClassifier(store),
    };
    const want = await byObjects(o);
    const got = await reduceInpatientHistory(store, o, institutions);
    expect([...got.perDiemRates!.values()].some((r) => r.basis === 'calibrated')).toBe(true);
    expect([...got.standards!.values()].some((s) => s.basis !== 'policy')).toBe(true);
    expect(json(got)).toBe(json(want));
  });

  it('DRG: weights calibrated from history, opening value and last year’s fund payment', async () => {
    const policies = loadPolicyDir(policiesDir('policies'), POLICY_KINDS);
    const kernel = await openSchemeKernel(drgSchemeFor(policies, 'demo', 2025).scheme);
    const published = policyDrgWeights(policies, 'demo', 2025);
    const o: InpatientYearOptions = {
      region: 'demo',
      year: 2025,
      policies,
      method: 'drg',
      kernel,
      ...(published ? { drgWeights: published.table } : {}),
    };
    const want = await byObjects(o);
    const got = await reduceInpatientHistory(store, o, institutions);
    expect(got.drg!.lastYearFundPaid.size).toBeGreaterThan(0);
    expect(json(got)).toBe(json(want));
    // And with the weights calibrated from the history rather than published.
    const { drgWeights: _published, ...calibrate } = o;
    const wantC = await byObjects(calibrate);
    const gotC = await reduceInpatientHistory(store, calibrate, institutions);
    expect(gotC.drg!.weights.weights.size).toBeGreaterThan(0);
    expect(json(gotC)).toBe(json(wantC));
  });

  /** The whole year over case objects (the pure path) and streamed from the store's typed columns. */
  const bothYears = async (o: InpatientYearOptions) => {
    const cases = async (year: number) => {
      const out: InpatientCase[] = [];
      for await (const b of store.iterateCases({ year }, 5000)) out.push(...b);
      return out;
    };
    const history = (await Promise.all(historyYears(o).map(cases))).flat();
    const want = inpatientYear(o, history, await cases(o.year), institutions);
    const units: UnitResult[] = [];
    const got = await runInpatientYear(store, o, async (_pool, us) => {
      units.push(...us);
    });
    return { want, got, units };
  };
  const settled = (y: { settlement: unknown; counts: unknown; specialReviewUnits: unknown }) =>
    json({ settlement: y.settlement, counts: y.counts, specialReviewUnits: y.specialReviewUnits });

  it('R-PAY-DIP / R-DIP-4: the settlement year from the store’s columns settles as the year of case objects', async () => {
    const o: InpatientYearOptions = {
      region: 'demo',
      year: 2025,
      policies: loadPolicyDir(policiesDir('policies'), POLICY_KINDS),
      method: 'dip',
      classify: await procedureClassifier(store),
    };
    const { want, got, units } = await bothYears(o);
    expect(got.counts.perDiem + got.counts.singleDisease).toBeGreaterThan(0);
    expect(units.length).toBe(got.counts.current);
    expect(settled(got)).toBe(settled(want));
  }, 120_000);

  it('R-PAY-DRG: the DRG year from the store’s columns (grouped per row) settles as the year of case objects', async () => {
    const policies = loadPolicyDir(policiesDir('policies'), POLICY_KINDS);
    const o: InpatientYearOptions = {
      region: 'demo',
      year: 2025,
      policies,
      method: 'drg',
      kernel: await openSchemeKernel(drgSchemeFor(policies, 'demo', 2025).scheme),
    };
    const { want, got, units } = await bothYears(o);
    expect(units.filter((u) => u.method === 'drg').length).toBe(got.counts.caseMethod);
    expect(settled(got)).toBe(settled(want));
    // Indicators by department come from the columns' interned departments.
    expect(json(got.drg!.departmentIndicators)).toBe(json(want.drg!.departmentIndicators));
    expect(got.drg!.departmentIndicators.length).toBeGreaterThan(got.drg!.indicators.length);
  }, 120_000);
});
