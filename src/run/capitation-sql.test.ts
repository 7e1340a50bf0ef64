/**
 * Issue 9, capitation inputs by SQL: `runCapitationYear` reads the base years' visits summed per person-year
 * (GROUP BY in DuckDB), the settlement year's visits matched to head segments and summed in the store
 * (`Store.matchOutpatientToSegments`), the previous year's fund spending as sums and only the enrolled persons. These tests
 * hold it to the object path it replaced: the whole capitation year (R-CAP-1…6) equal to the fen, and the store's
 * person-year sums equal to the in-memory sums (`personYearsOf`) on random visits (property test).
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestKind } from '../ingest/kinds/kind.ts';
import { ingestFile } from '../ingest/pipeline.ts';
import { tempDir } from '../ingest/testing.ts';
import type { InsuranceType } from '../model/case.ts';
import type { InsuredPerson, SpecialDiseaseEnrolment } from '../model/institution.ts';
import type { Fen } from '../model/money.ts';
import type { OutpatientSettlement } from '../model/outpatient.ts';
import {
  type CapitationHeadsEvaluation,
  type CapitationHistoryGroup,
  type CapitationPolicy,
  familyDoctorUnits,
  headUnits,
  historyGroupsOf,
} from '../payment/capitation/index.ts';
import { capitationKind } from '../policy/kinds/capitation.ts';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { loadPolicyDir, type PolicySet } from '../policy/registry.ts';
import { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import { fenLiteral, lit } from '../store/duckdb/sql.ts';
import { generateRegion } from '../synth/generate.ts';
import { collectBatches, historyHeads, personYearsOf } from './capitation-inputs.ts';
import { type CapitationYearResult, capitationYear, historyFromStore, runCapitationYear } from './capitation-year.ts';

const tmp = tempDir('yibao-capitation-sql-');
let policies: PolicySet;
let bySql: CapitationYearResult;
let byObjects: CapitationYearResult;
let bySqlCaps: CapitationYearResult;
let byObjectsCaps: CapitationYearResult;
let bySqlReferral: CapitationYearResult;
let byObjectsReferral: CapitationYearResult;

/** The object path as it was before issue 9: every visit and person of the period read as objects, sums in JS. */
async function objectPath(
  store: DuckDbStore,
  given?: number[],
  caps?: Record<InsuranceType, Fen>,
  set: PolicySet = policies,
) {
  const year = 2025;
  const first = Math.min(given?.[0] ?? year - 3, year - 1);
  const enrolments = await store.readEnrolments({ from: `${first}-01-01`, to: `${year}-12-31` });
  const visits = await collectBatches(store.iterateOutpatient({ from: `${first}-01-01`, to: `${year}-12-31` }));
  const wanted = new Set([...enrolments.map((r) => r.psnNo), ...visits.map((v) => v.psnNo)]);
  const persons = (await collectBatches(store.iteratePersons())).filter((p) => wanted.has(p.psnNo));
  let previousYearFundSpending: Record<InsuranceType, Fen> | undefined;
  if (!caps) {
    const spent: Record<InsuranceType, Fen> = { employee: 0, resident: 0 };
    for await (const b of store.iterateCases({ year: year - 1 }))
      for (const c of b) spent[c.insuranceType] += c.fundPay;
    for (const v of visits)
      if (v.settleTime.startsWith(`${year - 1}-`)) spent[v.insuranceType] += v.fundPay + v.outpatientAdjustment;
    previousYearFundSpending = spent;
  }
  return capitationYear(
    { region: 'demo', year, policies: set, ...(given ? { historyYears: given } : {}), ...(caps ? { caps } : {}) },
    {
      enrolments,
      persons,
      institutions: await store.readInstitutions(),
      visits,
      ...(previousYearFundSpending ? { previousYearFundSpending } : {}),
    },
  );
}

/** A result as data: maps as entries, exact ratios (bigint) as text; the risk model's score function left out. */
/** Heads evaluated in two passes (`batches`) compare by their units and splits. */
const isHeads = (v: unknown): v is CapitationHeadsEvaluation =>
  typeof v === 'object' && v !== null && typeof (v as { batches?: unknown }).batches === 'function';
const plain = (x: unknown): unknown =>
  JSON.parse(
    JSON.stringify(x, (_k, v) =>
      isHeads(v)
        ? { splits: [...v.splits.entries()], units: [...headUnits(v)] }
        : v instanceof Map
          ? [...v.entries()]
          : typeof v === 'bigint'
            ? `${v}n`
            : typeof v === 'function'
              ? undefined
              : v,
    ),
  );

beforeAll(async () => {
  const dir = join(tmp.path, 'region');
  const m = await generateRegion({ out: dir, cases: 1500, seed: 'cap-sql', format: 'csv' });
  const store = await DuckDbStore.open(':memory:');
  try {
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
    const caps = { employee: 10_000_000, resident: 20_000_000 };
    bySql = await runCapitationYear(store, { region: 'demo', year: 2025, policies });
    byObjects = await objectPath(store);
    bySqlCaps = await runCapitationYear(store, { region: 'demo', year: 2025, policies, caps, historyYears: [2024] });
    byObjectsCaps = await objectPath(store, [2024], caps);
    // The demo's policies with referral fees charged (`referralFee: visit-fund-spending`).
    const referralDir = join(tmp.path, 'policies-referral');
    cpSync('policies/demo', referralDir, { recursive: true });
    const capFile = join(referralDir, 'capitation-2025.yaml');
    const text = readFileSync(capFile, 'utf8');
    writeFileSync(capFile, text.replace('value: { method: none }', 'value: { method: visit-fund-spending }'));
    const referralPolicies = loadPolicyDir(referralDir, POLICY_KINDS);
    bySqlReferral = await runCapitationYear(store, { region: 'demo', year: 2025, policies: referralPolicies });
    byObjectsReferral = await objectPath(store, undefined, undefined, referralPolicies);
  } finally {
    await store.close();
  }
}, 120_000);
afterAll(() => tmp.remove());

describe('capitation inputs by SQL (issue 9) equal the object path to the fen', () => {
  it('R-CAP-1…6: the whole year — history heads, standards, plan, prepayments, year end, family doctor, counts', () => {
    expect(bySql.counts.historyHeads).toBeGreaterThan(50);
    expect(bySql.yearEnd.totals.fundPays).toBeGreaterThan(0);
    // The year's visits matched in SQL (issue 9 step 2): the comparison covers attributed, unattributed and other-class
    // visits and served family-doctor contracts.
    expect(bySql.counts.visits).toBeGreaterThan(bySql.counts.capitatedVisits);
    expect(bySql.yearEnd.unattributed.length).toBeGreaterThan(0);
    expect(familyDoctorUnits(bySql).some((u) => u.status === 'paid')).toBe(true);
    for (const k of Object.keys(bySql) as (keyof CapitationYearResult)[])
      expect(plain(bySql[k]), k).toEqual(plain(byObjects[k]));
    expect(bySql.standards.riskModel.source).toBe(byObjects.standards.riskModel.source);
  });

  it('R-PAY-CAP: with referral fees charged, the same; every other-institution visit becomes a referral fee', () => {
    const otherInstitution = (r: CapitationYearResult) =>
      r.yearEnd.unattributed.filter((u) => u.en.startsWith('visit at ')).reduce((s, u) => s + u.visit.fundPayable, 0);
    const otherInstitutionCount = (r: CapitationYearResult) =>
      r.yearEnd.unattributed.filter((u) => u.en.startsWith('visit at ')).length;
    expect(otherInstitution(bySql)).toBeGreaterThan(0);
    expect(bySqlReferral.yearEnd.totals.referral).toBeGreaterThan(0);
    // Charged for counted heads; the visits of heads not counted are listed (charged to no one): nothing is lost.
    const notCounted = bySqlReferral.yearEnd.unattributed.filter((u) => u.en.includes('no referral fee'));
    expect(
      bySqlReferral.yearEnd.totals.referral +
        notCounted.reduce((s, u) => s + u.visit.fundPayable, 0) -
        otherInstitution(bySql),
    ).toBe(0);
    expect(bySqlReferral.yearEnd.unattributed.length).toBe(
      bySql.yearEnd.unattributed.length - (otherInstitutionCount(bySql) - notCounted.length),
    );
    expect(bySqlReferral.yearEnd.totals.fundSpending).toBe(
      bySql.yearEnd.totals.fundSpending + bySqlReferral.yearEnd.totals.referral,
    );
    expect(plain(bySqlReferral)).toEqual(plain(byObjectsReferral));
  });

  it('R-CAP-1: with caps given and one base year, the same', () => {
    expect(bySqlCaps.counts.historyYears).toEqual([2024]);
    expect(plain(bySqlCaps)).toEqual(plain(byObjectsCaps));
  });
});

const PSN = ['P1', 'P10', 'P1A', 'P2', 'Q|1'];
const visitArb = fc.record({
  psn: fc.constantFrom(...PSN),
  insutype: fc.constantFrom('310', '390', '999'),
  disease: fc.constantFrom('M01', 'M02', 'M03'),
  day: fc.integer({ min: 0, max: 4 * 365 }),
  fund: fc.integer({ min: 0, max: 5_000_00 }),
  adj: fc.option(fc.integer({ min: 0, max: 300_00 }), { nil: null }),
});

type VisitRow = { psn: string; insutype: string; disease: string; day: number; fund: number; adj: number | null };

/** Random visit rows (from 1 January 2022 on) as settlements, stored and returned as objects. */
async function storeVisits(store: DuckDbStore, rows: readonly VisitRow[]): Promise<OutpatientSettlement[]> {
  const visits: OutpatientSettlement[] = rows.map((r, i) => ({
    setlId: `V${i}`,
    psnNo: r.psn,
    institutionCode: 'H1',
    insuranceType: r.insutype === '310' ? 'employee' : 'resident',
    diseaseCode: r.disease,
    settleTime: `${new Date(Date.UTC(2022, 0, 1) + r.day * 86_400_000).toISOString().slice(0, 10)}T10:00:00`,
    totalCost: r.fund,
    fundPay: r.fund,
    outpatientAdjustment: r.adj ?? 0,
    selfPay: 0,
    ownPay: 0,
    accountPay: 0,
    cashPay: 0,
  }));
  for (const [i, r] of rows.entries()) {
    const v = visits[i]!;
    await store.connection.run(
      `INSERT INTO outpatient_settlements (setl_id, psn_no, fixmedins_code, insutype, opsp_dise_code, setl_time,
         medfee_sumamt, hifp_pay, outp_adj_fee, run_id)
       VALUES (${lit(v.setlId)}, ${lit(v.psnNo)}, 'H1', ${lit(r.insutype)}, ${lit(r.disease)},
         CAST(${lit(v.settleTime)} AS TIMESTAMP), ${fenLiteral(r.fund)}, ${fenLiteral(r.fund)},
         ${r.adj === null ? 'NULL' : fenLiteral(r.adj)}, 'r')`,
    );
  }
  return visits;
}

/** Persons with the given birth dates (sex alternating), stored and returned as objects. */
async function storePersons(store: DuckDbStore, known: readonly string[], birth: (k: number) => string) {
  const persons: InsuredPerson[] = known.map((psnNo, k) => ({
    psnNo,
    sex: k % 2 ? '2' : '1',
    birthDate: birth(k),
    insuranceType: 'employee',
    county: 'C',
  }));
  for (const p of persons) {
    await store.connection.run(
      `INSERT INTO persons (psn_no, gend, brdy, insutype, admdvs, run_id)
       VALUES (${lit(p.psnNo)}, ${lit(p.sex)}, CAST(${lit(p.birthDate)} AS DATE), '310', 'C', 'r')`,
    );
  }
  return persons;
}

describe('Store.sumOutpatientFundPay and countOutpatient: the sums equal the visits’ (property)', () => {
  it('for random visits of the period', async () => {
    const store = await DuckDbStore.open(':memory:');
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(visitArb, { maxLength: 40 }), async (rows) => {
          await store.connection.run('DELETE FROM outpatient_settlements;');
          const visits = await storeVisits(store, rows);
          const period = { from: '2023-01-01', to: '2024-12-31' };
          const inPeriod = visits.filter((v) => v.settleTime >= period.from && v.settleTime < '2025-01-01');
          // The sums by fund of the period equal the rows' sums.
          const sums = await store.sumOutpatientFundPay(period);
          const want = { employee: 0, resident: 0 };
          for (const v of inPeriod) want[v.insuranceType] += v.fundPay + v.outpatientAdjustment;
          expect(sums).toEqual(want);
          expect(await store.countOutpatient(period)).toBe(inPeriod.length);
        }),
        { numRuns: 40 },
      );
    } finally {
      await store.close();
    }
  }, 120_000);
});

describe('Store.outpatientHistoryGroups: the history heads grouped in SQL equal the heads made in memory (property)', () => {
  it('R-CAP-1, R-CAP-2: random visits, known and unknown persons, class-1 rows, risk age and its day', async () => {
    const store = await DuckDbStore.open(':memory:');
    const base = policies.resolveYear(capitationKind, 'demo', 2025).values;
    const capClass = base.capitatedDiseaseClass.value;
    const class1Arb = fc.record({
      psn: fc.constantFrom(...PSN),
      from: fc.integer({ min: 0, max: 4 * 365 }),
      days: fc.integer({ min: 0, max: 400 }),
    });
    const day = (n: number) => new Date(Date.UTC(2022, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(visitArb, { maxLength: 40 }),
          fc.subarray(PSN),
          // Born on 1 January, 31 December or between, near the risk age in the base years: the day matters.
          fc.array(
            fc.record({
              year: fc.integer({ min: 1955, max: 1958 }),
              day: fc.constantFrom('01-01', '01-02', '06-15', '12-30', '12-31'),
            }),
            { minLength: PSN.length, maxLength: PSN.length },
          ),
          fc.array(class1Arb, { maxLength: 6 }),
          fc.integer({ min: 65, max: 68 }),
          fc.constantFrom('year-start', 'year-end', 'segment-start'),
          fc.subarray([2022, 2023, 2024, 2025], { minLength: 1 }),
          async (rows, known, born, class1, threshold, asOf, years) => {
            await store.connection.run(
              'DELETE FROM outpatient_settlements; DELETE FROM persons; DELETE FROM enrolments;',
            );
            const visits = await storeVisits(store, rows);
            const persons = await storePersons(store, known, (k) => `${born[k]!.year}-${born[k]!.day}`);
            // The visits' diseases are of the capitated class (a row of a person without visits says so); class-1 rows.
            const enrolments: SpecialDiseaseEnrolment[] = [
              ...['M01', 'M02', 'M03'].map((d) => ({
                psnNo: 'Z',
                diseaseCode: d,
                diseaseClass: capClass,
                insuranceType: 'employee' as const,
                treatingInstitution: 'H1',
                from: '2022-01-01',
                to: '2025-12-31',
              })),
              ...class1.map((c) => ({
                psnNo: c.psn,
                diseaseCode: 'K1',
                diseaseClass: 1 as const,
                insuranceType: 'employee' as const,
                treatingInstitution: 'H1',
                from: day(c.from),
                to: day(c.from + c.days),
              })),
            ];
            for (const e of enrolments) {
              await store.connection.run(
                `INSERT INTO enrolments (psn_no, opsp_dise_code, dise_class, insutype, treat_fixmedins_code, begndate,
                   enddate, run_id)
                 VALUES (${lit(e.psnNo)}, ${lit(e.diseaseCode)}, ${e.diseaseClass}, '310', 'H1',
                   CAST(${lit(e.from)} AS DATE), CAST(${lit(e.to)} AS DATE), 'r')`,
              );
            }
            const policy: CapitationPolicy = {
              ...base,
              riskAgeThreshold: { ...base.riskAgeThreshold, value: threshold },
              riskAgeAsOf: { ...base.riskAgeAsOf, value: asOf },
            };
            const heads = historyHeads({
              personYears: personYearsOf(visits, new Map(persons.map((p) => [p.psnNo, p]))),
              years,
              enrolments,
              policy,
            });
            const got = await historyFromStore(store, { years, diseaseCodes: ['M01', 'M02', 'M03'], policy });
            const key = (g: CapitationHistoryGroup) =>
              `${g.insuranceType}|${g.diseaseCode}|${g.overAge}|${g.hasClass1}`;
            // The store's groups are by year too: summed over the years they are the in-memory groups.
            const merged = new Map<string, CapitationHistoryGroup>();
            for (const g of got.groups) {
              const m = merged.get(key(g));
              if (m) {
                m.heads += g.heads;
                m.fundPay += g.fundPay;
                m.outpatientAdjustment += g.outpatientAdjustment;
              } else merged.set(key(g), { ...g });
            }
            const want = historyGroupsOf(heads.heads, policy);
            expect([...merged.values()].sort((a, b) => (key(a) < key(b) ? -1 : 1))).toEqual(
              [...want].sort((a, b) => (key(a) < key(b) ? -1 : 1)),
            );
            expect(got.heads).toBe(heads.heads.length);
            expect(got.unknownPersonVisits).toBe(heads.unknownPersonVisits);
          },
        ),
        { numRuns: 40 },
      );
    } finally {
      await store.close();
    }
  }, 120_000);
});

describe('Store.matchOutpatientToSegments: the set-based match equals matching visit by visit (property)', () => {
  it('R-CAP-3: random segments (overlapping, at one or two institutions), random visits, excluded diseases', async () => {
    const store = await DuckDbStore.open(':memory:');
    const day = (n: number) => new Date(Date.UTC(2025, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
    const segArb = fc.record({
      psn: fc.constantFrom('P1', 'P2'),
      disease: fc.constantFrom('M01', 'M02'),
      inst: fc.constantFrom('H1', 'H2'),
      from: fc.integer({ min: -30, max: 364 }),
      days: fc.integer({ min: 0, max: 300 }),
    });
    const visit = fc.record({
      psn: fc.constantFrom('P1', 'P2', 'P3'),
      disease: fc.constantFrom('M01', 'M02', 'M03'),
      inst: fc.constantFrom('H1', 'H2'),
      day: fc.integer({ min: 0, max: 364 }),
      fund: fc.integer({ min: 0, max: 1_000_00 }),
    });
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(segArb, { minLength: 1, maxLength: 8 }),
          fc.array(visit, { minLength: 1, maxLength: 40 }),
          fc.subarray(['M02', 'M03']),
          async (segRows, visitRows, excludeDiseases) => {
            await store.connection.run('DELETE FROM outpatient_settlements');
            // Ids not in the order given (the sums come back in the order given, not by id).
            const segments = segRows.map((g, i) => ({
              id: `S${9 - i}`,
              psnNo: g.psn,
              diseaseCode: g.disease,
              institution: g.inst,
              from: day(g.from),
              to: day(g.from + g.days),
            }));
            for (const [i, v] of visitRows.entries()) {
              await store.connection.run(
                `INSERT INTO outpatient_settlements (setl_id, psn_no, fixmedins_code, insutype, opsp_dise_code, setl_time,
                   medfee_sumamt, hifp_pay, outp_adj_fee, run_id)
                 VALUES ('V${String(i).padStart(2, '0')}', ${lit(v.psn)}, ${lit(v.inst)}, '310', ${lit(v.disease)},
                   CAST(${lit(`${day(v.day)}T08:00:00`)} AS TIMESTAMP), ${fenLiteral(v.fund + 7)}, ${fenLiteral(v.fund)},
                   ${fenLiteral(3)}, 'r')`,
              );
            }
            const got = await store.matchOutpatientToSegments(
              { year: 2025 },
              { segments, excludeDiseases, periods: [] },
            );
            // Visit by visit: another class's disease is counted; one fitting segment at the visit's institution takes
            // it; else it is listed with its candidates (all fitting segments) and those at its institution.
            const bySegment = new Map<string, { visits: number; totalCost: number; fundPay: number }>();
            const unmatched: [string, number, number, string | null, number | null][] = [];
            let excluded = 0;
            for (const [i, v] of visitRows.entries()) {
              if (excludeDiseases.includes(v.disease)) {
                excluded++;
                continue;
              }
              const d = day(v.day);
              const fit = segments.filter(
                (g) => g.psnNo === v.psn && g.diseaseCode === v.disease && g.from <= d && d <= g.to,
              );
              const here = fit.filter((g) => g.institution === v.inst);
              if (here.length === 1) {
                const a = bySegment.get(here[0]!.id) ?? { visits: 0, totalCost: 0, fundPay: 0 };
                bySegment.set(here[0]!.id, {
                  visits: a.visits + 1,
                  totalCost: a.totalCost + v.fund + 7,
                  fundPay: a.fundPay + v.fund,
                });
              } else
                unmatched.push([
                  `V${String(i).padStart(2, '0')}`,
                  fit.length,
                  here.length,
                  fit[0]?.institution ?? null,
                  fit[0] ? segments.indexOf(fit[0]) : null,
                ]);
            }
            expect(got.visits).toBe(visitRows.length);
            expect(got.excludedVisits).toBe(excluded);
            // In the order of the segments given.
            const at = (id: string) => segments.findIndex((g) => g.id === id);
            expect(got.bySegment).toEqual(
              [...bySegment]
                .sort(([a], [b]) => at(a) - at(b))
                .map(([id, a]) => ({ id, segment: at(id), ...a, outpatientAdjustment: 3 * a.visits })),
            );
            expect(
              got.unmatched.map((u) => [u.setlId, u.candidates, u.atInstitution, u.firstInstitution, u.firstSegment]),
            ).toEqual(unmatched);
          },
        ),
        { numRuns: 100 },
      );
    } finally {
      await store.close();
    }
  }, 120_000);
});
