/**
 * Issue 9, capitation heads without per-head traces: a run stores no trace for its capitation and family-doctor
 * heads, and `explain case` recomputes the one head asked from the run's policy snapshot. These tests hold that to
 * the traced evaluation of the whole year (what a run kept before): the same steps for heads of every status, the
 * same claims and bases as the stored units, and a head's explanation read from a stored run.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestKind } from '../ingest/kinds/kind.ts';
import { ingestFile } from '../ingest/pipeline.ts';
import { tempDir } from '../ingest/testing.ts';
import type { UnitResult } from '../model/unit-result.ts';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { loadPolicyDir, type PolicySet } from '../policy/registry.ts';
import { basisOf } from '../report/unit-rows.ts';
import { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import type { RunUnitRow } from '../store/settlement-runs.ts';
import { generateRegion } from '../synth/generate.ts';
import { type CapitationYearResult, explainCapitationHead, runCapitationYear } from './capitation-year.ts';
import { explainRunCase } from './explain-run.ts';
import { fromJson, toJson } from './results.ts';
import { settleRegionYear } from './settle-region-year.ts';

const tmp = tempDir('yibao-capitation-explain-');
let store: DuckDbStore;
let policies: PolicySet;
let traced: CapitationYearResult;
let lean: CapitationYearResult;

beforeAll(async () => {
  const dir = join(tmp.path, 'region');
  const m = await generateRegion({ out: dir, cases: 1500, seed: 'cap-explain', format: 'csv' });
  store = await DuckDbStore.open(':memory:');
  const order: [IngestKind, RegExp][] = [
    ['institutions', /^institutions/],
    ['persons', /^persons/],
    ['enrolments', /^enrolments/],
    ['outpatient', /^outpatient-/],
    ['cases', /^cases-/],
  ];
  for (const [kind, re] of order) {
    for (const f of m.files.filter((x) => re.test(x.path))) {
      await ingestFile(store, { kind, file: join(dir, f.path), rejectsFile: join(tmp.path, `${f.path}.r.csv`) });
    }
  }
  policies = loadPolicyDir('policies/demo', POLICY_KINDS);
  traced = await runCapitationYear(store, { region: 'demo', year: 2025, policies, trace: true });
  lean = await runCapitationYear(store, { region: 'demo', year: 2025, policies });
}, 120_000);
afterAll(async () => {
  await store?.close();
  tmp.remove();
});

/** One unit of each method × status (the kinds of trace there are), in unit order. */
function oneOfEachKind(units: readonly UnitResult[]): UnitResult[] {
  const seen = new Map<string, UnitResult>();
  for (const u of units) if (!seen.has(`${u.method}|${u.status}`)) seen.set(`${u.method}|${u.status}`, u);
  return [...seen.values()];
}

describe('capitation heads explained on demand (issue 9): the traced year, one head at a time', () => {
  it('R-CAP-1…5: the run’s units carry their basis only, with the same figures as the traced year', () => {
    const strip = (u: UnitResult) => ({ ...u, explanation: u.explanation.slice(-1) });
    expect(lean.yearEndUnits).toEqual(traced.yearEndUnits.map(strip));
    expect(lean.familyDoctor.units).toEqual(traced.familyDoctor.units.map(strip));
    expect(lean.plan).toEqual(traced.plan.map(strip));
    expect(lean.yearEnd).toEqual(traced.yearEnd);
    expect(lean.prepayments).toEqual(traced.prepayments);
    expect(lean.familyDoctor.yearEnd).toEqual(traced.familyDoctor.yearEnd);
    expect(traced.yearEndUnits.every((u) => u.explanation.length >= 2)).toBe(true);
  });

  it('R-CAP-3/4/5: one head of every status gets the whole trace the traced year gives it', async () => {
    const heads = oneOfEachKind([...traced.yearEndUnits, ...traced.familyDoctor.units]);
    expect(heads.map((u) => `${u.method}|${u.status}`)).toEqual(
      expect.arrayContaining(['capitation|paid', 'capitation|excluded', 'family-doctor|paid']),
    );
    for (const want of heads) {
      const got = await explainCapitationHead(store, {
        region: 'demo',
        year: 2025,
        policies,
        unitId: want.unitId,
        method: want.method as 'capitation' | 'family-doctor',
      });
      expect(got, want.unitId).toEqual(want);
    }
  }, 120_000);

  it('a stored run keeps no head traces; explain case recomputes one from the snapshot, with the stored claim and basis', async () => {
    const run = await settleRegionYear(store, { region: 'demo', year: 2025, policies, method: 'dip', skip: ['ffs'] });
    const reader = store.runResults(run.record.id);
    const rows: RunUnitRow[] = [];
    for await (const b of reader.units({ method: 'capitation' })) rows.push(...b);
    for await (const b of reader.units({ method: 'family-doctor' })) rows.push(...b);
    expect(rows.length).toBe(traced.yearEndUnits.length + traced.familyDoctor.units.length);
    expect(rows.every((r) => r.trace === null)).toBe(true);
    const byId = new Map([...traced.yearEndUnits, ...traced.familyDoctor.units].map((u) => [u.unitId, u]));
    const asked = oneOfEachKind(rows.map((r) => byId.get(r.unitId)!));
    for (const u of asked) {
      const row = rows.find((r) => r.unitId === u.unitId)!;
      expect(row.basis).toBe(basisOf(u.explanation.at(-1)));
      expect(row.amountFen).toBe(u.claim.kind === 'amount' ? u.claim.amount : null);
      const e = await explainRunCase(store, reader, run.record, u.unitId);
      // Exactly what a kept trace would read back as.
      expect(e?.steps).toEqual(fromJson(toJson(u.explanation)));
      expect(e?.subject).toBe(`${u.unitId} (${u.method}, ${run.record.id})`);
      expect(e?.policyChanges).toEqual([]);
    }
  }, 240_000);
});
