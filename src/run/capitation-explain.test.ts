/**
 * Issue 9, capitation heads without per-head traces: a run stores no trace for its capitation and family-doctor
 * heads, and `explain case` recomputes the one head asked from the run's policy snapshot. These tests hold that to
 * the traced evaluation of the whole year (what a run kept before): the same steps for heads of every status, the
 * same claims and bases as the stored units, and a head's explanation read from a stored run.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../ingest/testing.ts';
import type { UnitResult } from '../model/unit-result.ts';
import { familyDoctorUnits, personOfUnit, summariseCapitationYear, yearEndUnits } from '../payment/capitation/index.ts';
import { capitationKind } from '../policy/kinds/capitation.ts';
import { dipKind } from '../policy/kinds/dip.ts';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { loadPolicyDir, type PolicySet } from '../policy/registry.ts';
import { headsOfYear, writeCapitationReports } from '../report/capitation-reports.ts';
import { basisOf } from '../report/unit-rows.ts';
import { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import type { RunUnitRow } from '../store/settlement-runs.ts';
import type { Store } from '../store/store.ts';
import { generateRegion } from '../synth/generate.ts';
import {
  CAPITATION_HEADS_KIND,
  capitationHeadsBasis,
  capitationPoolId,
  explainCapitationHeadFromBasis,
  parseCapitationHeadsBasis,
  storedCapitationHeads,
} from './capitation-heads.ts';
import { type CapitationYearResult, explainCapitationHead, runCapitationYear } from './capitation-year.ts';
import { ingestRegion } from './demo.ts';
import { explainRunCase, snapshotPolicies } from './explain-run.ts';
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
  await ingestRegion(store, m, dir, tmp.path);
  policies = loadPolicyDir('policies/demo', POLICY_KINDS);
  traced = await runCapitationYear(store, { region: 'demo', year: 2025, policies, trace: true });
  lean = await runCapitationYear(store, { region: 'demo', year: 2025, policies });
}, 120_000);
afterAll(async () => {
  await store?.close();
  tmp.remove();
});

/** What a store was asked for: the enrolment rows, persons and matched segments it gave, and the filters. */
interface Reads {
  enrolmentRows: string[];
  persons: string[];
  segments: string[];
  periods: string[];
  outpatientFilters: unknown[];
  other: string[];
}

/** The store, recording what an explanation reads (every reader call; the readers the basis path uses by row). */
function recording(inner: Store): { store: Store; reads: Reads } {
  const reads: Reads = { enrolmentRows: [], persons: [], segments: [], periods: [], outpatientFilters: [], other: [] };
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function') return v;
      if (prop === 'readEnrolments')
        return async (...a: Parameters<Store['readEnrolments']>) => {
          const rows = await target.readEnrolments(...a);
          reads.enrolmentRows.push(...rows.map((r) => r.psnNo));
          return rows;
        };
      if (prop === 'iteratePersons')
        return async function* (...a: Parameters<Store['iteratePersons']>) {
          for await (const b of target.iteratePersons(...a)) {
            reads.persons.push(...b.map((p) => p.psnNo));
            yield b;
          }
        };
      if (prop === 'matchOutpatientToSegments')
        return (...a: Parameters<Store['matchOutpatientToSegments']>) => {
          reads.outpatientFilters.push(a[0]);
          reads.segments.push(...a[1].segments.map((g) => g.psnNo));
          reads.periods.push(...a[1].periods.map((g) => g.psnNo));
          return target.matchOutpatientToSegments(...a);
        };
      reads.other.push(String(prop));
      return v.bind(target);
    },
  });
  return { store, reads };
}

/** One unit of each method × status (the kinds of trace there are), in unit order. */
function oneOfEachKind(units: readonly UnitResult[]): UnitResult[] {
  const seen = new Map<string, UnitResult>();
  for (const u of units) if (!seen.has(`${u.method}|${u.status}`)) seen.set(`${u.method}|${u.status}`, u);
  return [...seen.values()];
}

describe('capitation heads explained on demand (issue 9): the traced year, one head at a time', () => {
  it('R-CAP-1…5: the run’s units carry their basis only, with the same figures as the traced year', () => {
    const strip = (u: UnitResult) => ({ ...u, explanation: u.explanation.slice(-1) });
    expect(yearEndUnits(lean)).toEqual(yearEndUnits(traced).map(strip));
    expect(familyDoctorUnits(lean)).toEqual(familyDoctorUnits(traced).map(strip));
    expect(lean.yearEnd).toEqual(traced.yearEnd);
    expect(lean.prepayments).toEqual(traced.prepayments);
    expect(lean.familyDoctor.yearEnd).toEqual(traced.familyDoctor.yearEnd);
    expect(yearEndUnits(traced).every((u) => u.explanation.length >= 2)).toBe(true);
  });

  it('R-CAP-3/4/5: one head of every status gets the whole trace the traced year gives it', async () => {
    const heads = oneOfEachKind([...yearEndUnits(traced), ...familyDoctorUnits(traced)]);
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
    expect(rows.length).toBe(yearEndUnits(traced).length + familyDoctorUnits(traced).length);
    expect(rows.every((r) => r.trace === null)).toBe(true);
    // Issue 9: the run keeps the year without its heads; the heads' sheet read back from the stored units is the
    // sheet of the year in memory, byte for byte (every statement file of the capitation folder).
    // (as JSON: the risk model's scoring function is a closure of each evaluation)
    expect(toJson(run.capitation)).toBe(toJson(summariseCapitationYear(lean)));
    const fromMemory = await writeCapitationReports(
      summariseCapitationYear(lean),
      headsOfYear(lean),
      join(tmp.path, 'a'),
      {
        formats: ['csv', 'json'],
      },
    );
    const fromRun = await writeCapitationReports(
      run.capitation!,
      storedCapitationHeads(reader, capitationPoolId('demo', 2025)),
      join(tmp.path, 'b'),
      { formats: ['csv', 'json'] },
    );
    expect(fromRun.map((f) => basename(f))).toEqual(fromMemory.map((f) => basename(f)));
    expect(fromRun.map((f) => basename(f))).toContain('capitation-heads.csv');
    for (const [i, f] of fromRun.entries())
      expect(readFileSync(f, 'utf8'), basename(f)).toBe(readFileSync(fromMemory[i]!, 'utf8'));
    const sheet = readFileSync(fromRun.find((f) => f.endsWith('capitation-heads.csv'))!, 'utf8');
    expect(sheet.trimEnd().split('\r\n').length).toBe(rows.length + 1);
    const byId = new Map([...yearEndUnits(traced), ...familyDoctorUnits(traced)].map((u) => [u.unitId, u]));
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

  it('issue 9: from the run’s basis, one head of every status equals the traced year, reading that person’s rows only', async () => {
    const basis = parseCapitationHeadsBasis(capitationHeadsBasis(lean)!);
    const heads = oneOfEachKind([...yearEndUnits(traced), ...familyDoctorUnits(traced)]);
    const enrolled = (await store.readEnrolments({ from: '2025-01-01', to: '2025-12-31' })).length;
    for (const want of heads) {
      const { store: s, reads } = recording(store);
      const got = await explainCapitationHeadFromBasis(s, {
        region: 'demo',
        year: 2025,
        policies,
        basis,
        unitId: want.unitId,
        method: want.method as 'capitation' | 'family-doctor',
      });
      expect(got, want.unitId).toEqual(want);
      // Evidence that no other head was read: every row, person, segment and visit filter is the head's person's.
      const psn = personOfUnit(want.unitId);
      expect(reads.enrolmentRows.length).toBeGreaterThan(0);
      expect(reads.enrolmentRows.length).toBeLessThan(enrolled);
      for (const list of [reads.enrolmentRows, reads.persons, reads.segments, reads.periods])
        expect(new Set(list), want.unitId).toEqual(new Set(list.length ? [psn] : []));
      expect(reads.outpatientFilters).toEqual([{ year: 2025, psnNo: psn }]);
      expect(reads.other).toEqual([]);
    }
  }, 120_000);

  it('one name for a run: the run log (runs) and the settlement runs (runs --settlements) keep the same command', async () => {
    const own = await settleRegionYear(store, { region: 'demo', year: 2025, policies, method: 'dip', skip: ['ffs'] });
    const demo = await settleRegionYear(store, {
      region: 'demo',
      year: 2025,
      policies,
      method: 'dip',
      skip: ['ffs'],
      command: 'demo settle dip 2025',
    });
    const logged = new Map((await store.listRuns()).map((r) => [r.id, r.command]));
    const settled = new Map(
      (await store.listSettlementRuns({ region: 'demo', year: 2025 })).map((r) => [r.id, r.command]),
    );
    // The demo's run was 示范 in one list and 结算 DIP 2025 in the other.
    expect([logged.get(demo.record.id), settled.get(demo.record.id)]).toEqual([
      'demo settle dip 2025',
      'demo settle dip 2025',
    ]);
    expect([logged.get(own.record.id), settled.get(own.record.id)]).toEqual(['settle dip 2025', 'settle dip 2025']);
  }, 120_000);

  it('issue 9: a stored run keeps the basis; explain case reads it, and a run stored without it recomputes the year', async () => {
    const run = await settleRegionYear(store, { region: 'demo', year: 2025, policies, method: 'dip', skip: ['ffs'] });
    const reader = store.runResults(run.record.id);
    const [derived] = await reader.derived(CAPITATION_HEADS_KIND);
    expect(derived).toBeDefined();
    // The basis the run kept is the year's: its standards and its institutions' splits, as the lean year gives them.
    expect(derived?.name).toBe('demo-2025');
    expect(derived?.content).toBe(capitationHeadsBasis(lean));
    // Without the basis (a run of the shape before it): the same reader, its basis row hidden.
    const older = new Proxy(reader, {
      get(target, prop, receiver) {
        if (prop === 'derived')
          return async (kind: string) => (kind === CAPITATION_HEADS_KIND ? [] : target.derived(kind));
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const asked = oneOfEachKind([...yearEndUnits(traced), ...familyDoctorUnits(traced)]);
    for (const u of asked) {
      const { store: s, reads } = recording(store);
      const e = await explainRunCase(s, reader, run.record, u.unitId);
      expect(e?.steps).toEqual(fromJson(toJson(u.explanation)));
      expect(new Set(reads.enrolmentRows)).toEqual(new Set([personOfUnit(u.unitId)]));
      const old = await explainRunCase(store, older, run.record, u.unitId);
      expect(old?.steps).toEqual(e?.steps);
    }
  }, 240_000);

  it('a head’s explanation parses only the capitation policy of the snapshot; a snapshot naming no kind is parsed', () => {
    const files: [string, string][] = [
      ['capitation-2025.yaml', 'capitation'],
      ['dip-2025.yaml', 'dip'],
      ['single-disease-2025.yaml', 'single-disease'],
    ];
    const snaps = files.map(([f, kind]) => {
      const file = join('policies/demo', f);
      return { policyId: f, kind, region: 'demo', version: '', file, sha256: '', content: readFileSync(file, 'utf8') };
    });
    const only = snapshotPolicies(snaps, ['capitation']);
    expect(only.resolveYear(capitationKind, 'demo', 2025).id).toBe('demo-capitation-2025');
    expect(() => only.resolveYear(dipKind, 'demo', 2025)).toThrow();
    const unnamed = snapshotPolicies([snaps[0]!, { ...snaps[1]!, kind: '' }], ['capitation']);
    expect(unnamed.resolveYear(dipKind, 'demo', 2025).id).toBe('demo-dip-2025');
  });
});
