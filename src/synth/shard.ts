/**
 * One shard of a region's inpatient cases: the cases of every year that admit the persons whose index ≡ shard
 * (mod shards), with their fee lines and ground truth. A shard draws only from its own streams and persons, so
 * shards are independent: each can run on its own worker thread (`shard-worker.ts`) and the region's files are
 * the shards' parts put end to end, in shard order — the same bytes whichever thread ran which shard.
 *
 * Rows: a year's `n` cases are dealt to the shards in fixed counts (`shardRows`); shard `s` numbers its rows after
 * those of shards 0…s−1, so `setl_id` is unique and ascending through the year's file.
 */
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { FEE_ITEM_COLUMNS } from '../model/columns.ts';
import { chooseMisbehaviourRoles, type MisbehaviourRoles } from './anomalies.ts';
import { DateTexts, dayNumber } from './calendar.ts';
import { CaseGenerator } from './case-generator.ts';
import { CaseColumns } from './case-parquet.ts';
import { FeeLines, feeItemCsvLines, feeItems, plantChargeOutsideStay } from './fee-items.ts';
import { FeeItemSpool, TypedFeeItems } from './fee-items-parquet.ts';
import { CsvWriter, type Encoding } from './output.ts';
import { SYNTH_PARAMS } from './params.ts';
import { Population } from './population.ts';
import { Rng, rootKey, STREAM, streamKey } from './prng.ts';
import { buildInstitutions, COUNTIES, type SynthInstitution } from './region.ts';
import { loadSampleCodes, type SampleCodes } from './sample-codes.ts';
import { CASE_HEADER, caseCsvLine, type SynthCase } from './synth-case.ts';
import { type TruthRow, truthCsvLine } from './truth.ts';
import { writeTypedParquet } from './typed-parquet.ts';

/** What a shard needs to know of the region (plain data: it crosses to worker threads). */
export interface RegionPlan {
  seed: string | number;
  /** Cases over all years (sizes the population). */
  cases: number;
  years: readonly number[];
  /** Cases per year, in `years` order. */
  perYear: readonly number[];
  format: 'parquet' | 'csv';
  encoding: Encoding;
  feeItems: boolean;
  badRowRate: number;
  misbehaviour: boolean;
  shards: number;
}

/** Memory limit of a shard's DuckDB (its fee-line table spills beyond it). */
export const SHARD_DUCKDB_MEMORY = '1GB';

/** The region every shard and the main thread rebuild alike from the plan. */
export interface Region {
  seedKey: number;
  codes: SampleCodes;
  institutions: readonly SynthInstitution[];
  roles: MisbehaviourRoles | null;
  calendar: DateTexts;
  population: Population;
}

export function regionOf(plan: RegionPlan, shard = 0, shards = 1): Region {
  const seedKey = rootKey(plan.seed);
  const years = plan.years;
  const firstYear = years[0]!;
  const lastYear = years[years.length - 1]!;
  const institutions = buildInstitutions();
  const roles = plan.misbehaviour
    ? chooseMisbehaviourRoles(new Rng(streamKey(seedKey, STREAM.region, 1)), institutions)
    : null;
  const targetPopulation = Math.max(5000, Math.round(plan.cases / years.length / SYNTH_PARAMS.admissionRate));
  const calendar = new DateTexts(lastYear - 100, lastYear + 1);
  const population = new Population(
    seedKey,
    targetPopulation,
    COUNTIES,
    lastYear,
    dayNumber(firstYear, 1, 1),
    calendar,
    shard,
    shards,
  );
  return { seedKey, codes: loadSampleCodes(), institutions, roles, calendar, population };
}

/** Cases per shard for a year of `n` cases: equal parts, the first `n mod shards` one larger. */
export function shardRows(n: number, shards: number): number[] {
  const base = Math.floor(n / shards);
  return Array.from({ length: shards }, (_, s) => base + (s < n % shards ? 1 : 0));
}

/** Shards of a region of `cases` cases when not given: one per 100,000 cases, 1 to 16. */
export function defaultShards(cases: number): number {
  return Math.min(16, Math.max(1, Math.floor(cases / 100_000)));
}

/** File of a shard's part of `name` (e.g. `cases-2025`) in the work folder. */
export function partPath(dir: string, name: string, shard: number, ext: string): string {
  return join(dir, `${name}.part${String(shard).padStart(2, '0')}.${ext}`);
}

export interface ShardYear {
  year: number;
  cases: number;
  feeItems: number;
  /** Truth lines (CSV) of the year's cases, in generation order. */
  truth: string[];
}

export interface ShardResult {
  shard: number;
  years: ShardYear[];
  badRows: number;
  misbehaviourCases: number;
  /** Deaths: person index and day. */
  deaths: [number, number][];
}

/**
 * Generate shard `shard` of the plan into part files in `dir` (`partPath`); `onCases` reports the shard's cases
 * done now and then.
 */
export async function generateShard(
  plan: RegionPlan,
  shard: number,
  dir: string,
  onCases: (done: number, year: number) => void = () => {},
): Promise<ShardResult> {
  const r = regionOf(plan, shard, plan.shards);
  const { seedKey, calendar, codes, institutions } = r;
  const parquet = plan.format === 'parquet';
  const ext = parquet ? 'parquet' : 'csv';
  const instance = parquet
    ? await DuckDBInstance.create(':memory:', {
        memory_limit: SHARD_DUCKDB_MEMORY,
        temp_directory: join(dir, `duckdb-${shard}.tmp`),
      })
    : null;
  const typedConn = instance ? await instance.connect() : null;
  const feeConn = instance && plan.feeItems && plan.shards === 1 ? await instance.connect() : null;
  const caseColumns = typedConn ? new CaseColumns({ institutions, counties: COUNTIES, codes, calendar }) : null;
  let badRows = 0;
  let misbehaviourCases = 0;
  let truth: string[] = [];
  const onTruth = (t: TruthRow): void => {
    if (t.category === 'bad-row') badRows++;
    else misbehaviourCases++;
    truth.push(truthCsvLine(t));
  };
  const generator = new CaseGenerator({
    seedKey,
    calendar,
    population: r.population,
    institutions,
    counties: COUNTIES,
    codes,
    roles: r.roles,
    badRowRate: plan.badRowRate,
    onTruth,
  });
  const feeRng = new Rng();
  const feeLines = new FeeLines();
  const feeText: string[] = [];
  const years: ShardYear[] = [];
  let done = 0;
  try {
    for (let y = 0; y < plan.years.length; y++) {
      const year = plan.years[y]!;
      const name = `cases-${year}`;
      const feeName = `fee-items-${year}`;
      const counts = shardRows(plan.perYear[y]!, plan.shards);
      const offset = counts.slice(0, shard).reduce((a, b) => a + b, 0);
      truth = [];
      // Fee lines: as CSV text; as Parquet, one shard writes the year's file through a DuckDB table (`feeConn`),
      // several spool them as binary blocks.
      const spool =
        plan.feeItems && parquet && !feeConn ? new FeeItemSpool(partPath(dir, feeName, shard, 'bin')) : null;
      const typedFees = feeConn ? await TypedFeeItems.create(feeConn, year) : null;
      const fees =
        plan.feeItems && !parquet
          ? new CsvWriter(
              partPath(dir, feeName, shard, ext),
              FEE_ITEM_COLUMNS.map((c) => c.name).join(','),
              plan.encoding,
            )
          : null;
      const it = generator.cases(year, counts[shard]!, `${name}.${ext}`, offset);
      const afterCase = (c: SynthCase): void => {
        if (plan.feeItems && c.overrides === null) {
          feeRng.reseed(streamKey(seedKey, STREAM.feeItems, year, c.row));
          feeItems(c, feeRng, feeLines);
          const planted = plan.misbehaviour ? plantChargeOutsideStay(c, calendar, feeLines) : null;
          if (planted) {
            onTruth({
              scope: 'case',
              category: 'misbehaviour',
              kind: 'charge-outside-stay',
              file: `${feeName}.${ext}`,
              row: null,
              setlId: c.setlId,
              fixmedinsCode: c.inst.code,
              field: 'fee_ocur_time',
              detail: planted,
            });
          }
          if (spool) spool.add(c, feeLines);
          else if (typedFees) typedFees.add(c, feeLines);
          else if (fees) {
            feeText.length = 0;
            feeItemCsvLines(c, feeLines, calendar, feeText);
            for (const l of feeText) fees.write(l);
          }
        }
        if (++done % 20_000 === 0) onCases(done, year);
      };
      let rows = 0;
      if (typedConn && caseColumns) {
        const next = (): SynthCase | null => {
          const x = it.next();
          if (x.done) return null;
          afterCase(x.value);
          return x.value;
        };
        // One shard writes the year's file itself; several write raw parts that become one file in `joinParts`.
        const path = partPath(dir, name, shard, 'parquet');
        const job =
          plan.shards === 1 ? caseColumns.job(path, year, plan.badRowRate > 0, next) : caseColumns.rawJob(path, next);
        rows = await writeTypedParquet(typedConn, job);
      } else {
        const cases = new CsvWriter(partPath(dir, name, shard, ext), CASE_HEADER, plan.encoding);
        for (const c of it) {
          cases.write(caseCsvLine(c, calendar, codes));
          afterCase(c);
        }
        cases.close();
        rows = cases.rows;
      }
      onCases(done, year);
      let feeRows = 0;
      if (fees) {
        fees.close();
        feeRows = fees.rows;
      }
      if (typedFees) {
        await typedFees.finish(partPath(dir, feeName, shard, 'parquet'));
        feeRows = typedFees.rows;
      }
      if (spool) {
        spool.close();
        feeRows = spool.rows;
      }
      years.push({ year, cases: rows, feeItems: feeRows, truth });
    }
  } finally {
    feeConn?.closeSync();
    typedConn?.closeSync();
    instance?.closeSync();
  }
  return { shard, years, badRows, misbehaviourCases, deaths: [...generator.occupancy.deaths] };
}
