/**
 * `generateRegion`: write a whole synthetic region — institutions, insured persons, inpatient cases of every
 * year, optional fee line items, special-disease enrolments, ground truth and a manifest — to one folder.
 *
 * Cases stream: each year is generated case by case into a CSV file (the output itself, or a temporary file
 * that DuckDB turns into Parquet while the next year is generated). Memory stays flat whatever the size:
 * one Int32 per insured person and a write buffer.
 */
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance, version as duckdbVersion } from '@duckdb/node-api';
import { type ColumnSpec, INSTITUTION_COLUMNS, OUTPATIENT_COLUMNS, PERSON_COLUMNS } from '../model/columns.ts';
import { dayNumber } from './calendar.ts';
import { CaseColumns } from './case-parquet.ts';
import { ENROLMENT_HEADER, enrolmentCsvLine, generateEnrolments } from './enrolments.ts';
import { spooledFeeItemsJob } from './fee-items-parquet.ts';
import type { Manifest, ManifestFile } from './manifest.ts';
import { CsvVisits, OUTPATIENT_HEADER, OutpatientVisits } from './outpatient.ts';
import { TypedVisits } from './outpatient-parquet.ts';
import { CsvWriter, csvToParquet, type Encoding, sha256File } from './output.ts';
import { SYNTH_PARAMS } from './params.ts';
import type { Population } from './population.ts';
import { COUNTIES, REGION } from './region.ts';
import { defaultShards, partPath, type RegionPlan, regionOf } from './shard.ts';
import { runShards } from './shard-pool.ts';
import { TRUTH_COLUMNS, type TruthRow, truthCsvLine } from './truth.ts';
import { BATCH_ROWS, sqlString, type TypedParquetJob, writeTypedParquet } from './typed-parquet.ts';

export interface GenerateOptions {
  /** Output folder; created when missing. A folder that holds files but no manifest.json is refused. */
  out: string;
  /** Number of inpatient cases over all years. */
  cases: number;
  seed: string | number;
  /** Years, ascending; the last is the current (settlement) year. Default 2022–2025. */
  years?: readonly number[];
  format?: 'parquet' | 'csv';
  /** Encoding of CSV files (default UTF-8; GBK as many HIS exports). */
  encoding?: Encoding;
  /** Write fee line items (费用明细). */
  feeItems?: boolean;
  /** Share of case rows turned into bad rows (0–0.5). */
  badRowRate?: number;
  /** Inject misbehaviour at four institutions. */
  misbehaviour?: boolean;
  /** Worker threads generating cases (default: the machine's cores). The files do not depend on it. */
  workers?: number;
  /**
   * Independent parts the cases are generated in (default `defaultShards(cases)`: one per 100,000 cases, 1–16).
   * Unlike `workers` it shapes the data: each shard admits its own persons from its own random streams.
   */
  shards?: number;
  onProgress?: (p: GenerateProgress) => void;
}

export interface GenerateProgress {
  phase: 'cases' | 'persons' | 'enrolments' | 'parquet' | 'hash';
  /** Cases generated so far (phase `cases`), else 0. */
  done: number;
  total: number;
  year?: number;
}

export const DEFAULT_YEARS: readonly number[] = [2022, 2023, 2024, 2025];
/** Over all years: a 20M settlement year with its three history years is ≈ 77M cases (the pipeline bench). */
export const MAX_CASES = 100_000_000;
/** Memory limit of the generator's DuckDB (Parquet writing, the fee-line and visit tables, which spill beyond it). */
export const SYNTH_DUCKDB_MEMORY = '2GB';

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Split `total` cases over the years, growing by the volume growth rate; parts add up to `total`. */
export function casesByYear(total: number, years: readonly number[]): number[] {
  const weights = years.map((y) => (1 + SYNTH_PARAMS.volumeGrowth) ** (y - years[0]!));
  const sum = weights.reduce((a, b) => a + b, 0);
  const parts = weights.map((w) => Math.floor((total * w) / sum));
  let left = total - parts.reduce((a, b) => a + b, 0);
  for (let i = parts.length - 1; left > 0; i = (i - 1 + parts.length) % parts.length, left--) parts[i]!++;
  return parts;
}

function validate(o: GenerateOptions): Required<Omit<GenerateOptions, 'onProgress'>> {
  const workers = o.workers ?? availableParallelism();
  if (!Number.isInteger(workers) || workers < 1 || workers > 64)
    throw new RangeError(`workers: an integer from 1 to 64, got ${workers}`);
  const shards = o.shards ?? defaultShards(o.cases);
  if (!Number.isInteger(shards) || shards < 1 || shards > 64)
    throw new RangeError(`shards: an integer from 1 to 64, got ${shards}`);
  const years = [...(o.years ?? DEFAULT_YEARS)];
  if (years.length === 0) throw new RangeError('years: at least one year');
  for (let i = 0; i < years.length; i++) {
    const y = years[i]!;
    if (!Number.isInteger(y) || y < 2000 || y > 2100)
      throw new RangeError(`years: ${y} is not a year between 2000 and 2100`);
    if (i > 0 && y <= years[i - 1]!) throw new RangeError('years: must be strictly ascending');
  }
  if (!Number.isSafeInteger(o.cases) || o.cases < 1 || o.cases > MAX_CASES) {
    throw new RangeError(`cases: an integer from 1 to ${MAX_CASES}, got ${o.cases}`);
  }
  const badRowRate = o.badRowRate ?? 0;
  if (!(badRowRate >= 0 && badRowRate <= 0.5)) throw new RangeError(`badRowRate: 0 to 0.5, got ${badRowRate}`);
  return {
    out: o.out,
    cases: o.cases,
    seed: o.seed,
    years,
    format: o.format ?? 'parquet',
    encoding: o.encoding ?? 'utf-8',
    feeItems: o.feeItems ?? false,
    badRowRate,
    misbehaviour: o.misbehaviour ?? false,
    workers,
    shards,
  };
}

/** How raw Parquet parts become the file: the SELECT list, over the relation `source` makes of the parts. */
interface RawSelect {
  conn: DuckDBConnection;
  select: string;
  source: (relation: string) => string;
}

/**
 * Put the shards' parts of one file end to end: the one part (already the file) is renamed; raw Parquet parts are
 * read in order and written as one file through `raw` (DuckDB keeps their order); CSV parts (no `raw`) are joined
 * as bytes, the header kept once.
 */
async function joinParts(parts: readonly string[], path: string, raw: RawSelect | null): Promise<void> {
  if (parts.length === 1) {
    renameSync(parts[0]!, path);
    return;
  }
  if (raw) {
    await raw.conn.run(
      `COPY (SELECT ${raw.select} FROM ${raw.source(`read_parquet([${parts.map(sqlString).join(', ')}])`)}) ` +
        `TO ${sqlString(path)} ` +
        '(FORMAT parquet, COMPRESSION snappy)',
    );
  } else {
    const fd = openSync(path, 'w');
    try {
      for (const [i, part] of parts.entries()) {
        const bytes = readFileSync(part);
        // A CSV header is one line; in GBK as in UTF-8 no byte of a character is a line feed.
        const from = i === 0 ? 0 : bytes.indexOf(0x0a) + 1;
        writeSync(fd, bytes, from, bytes.length - from);
      }
    } finally {
      closeSync(fd);
    }
  }
  for (const part of parts) rmSync(part);
}

/** Make `out` ready: create it, or clear the files of a previous run (listed in its manifest). */
function prepareOutput(out: string): void {
  if (!existsSync(out)) {
    mkdirSync(out, { recursive: true });
    return;
  }
  if (!statSync(out).isDirectory()) throw new Error(`${out} is not a folder`);
  const entries = readdirSync(out);
  if (entries.length === 0) return;
  const manifestPath = join(out, 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new Error(`${out} is not empty and holds no manifest.json: refusing to write into it`);
  }
  const old = JSON.parse(readFileSync(manifestPath, 'utf8')) as Partial<Manifest>;
  for (const f of old.files ?? []) rmSync(join(out, f.path), { force: true });
  rmSync(manifestPath, { force: true });
  for (const e of entries) if (e.startsWith('.synth-')) rmSync(join(out, e), { force: true, recursive: true });
}

/** The insured persons as typed columns: psn_no is the county code and the index in 10 digits (population.ts). */
function personsJob(path: string, population: Population, lastDay: number): TypedParquetJob {
  const counties = new Map(COUNTIES.map((c, i) => [c, i]));
  let next = 0;
  return {
    path,
    columns: [
      { name: 'person', kind: 'int' },
      { name: 'county', kind: 'enum', values: COUNTIES.map((c) => c.code) },
      { name: 'gend', kind: 'enum', values: ['1', '2'] },
      { name: 'brdy', kind: 'date' },
      { name: 'insutype', kind: 'enum', values: ['310', '390'] },
    ],
    select: PERSON_COLUMNS.map((c) => {
      const e: Record<string, string> = {
        psn_no: `county::VARCHAR || lpad(person::VARCHAR, 10, '0')`,
        gend: 'gend::VARCHAR',
        insutype: 'insutype::VARCHAR',
        admdvs: 'county::VARCHAR',
      };
      return `${e[c.name] ?? c.name} AS "${c.name}"`;
    }).join(', '),
    fill: (batch) => {
      const [person, county, gend, brdy, insutype] = batch.buffers;
      let n = 0;
      for (; n < BATCH_ROWS && next < population.size; n++, next++) {
        const p = population.person(next);
        person!.ints[n] = next;
        county!.ints[n] = counties.get(p.county)!;
        gend!.ints[n] = p.sex === '1' ? 0 : 1;
        brdy!.ints[n] = p.birthDay;
        insutype!.ints[n] = population.insuranceOn(p, lastDay) === 'employee' ? 0 : 1;
      }
      return n;
    },
  };
}

export async function generateRegion(options: GenerateOptions): Promise<Manifest> {
  const o = validate(options);
  const progress = options.onProgress ?? (() => {});
  prepareOutput(o.out);
  const parquet = o.format === 'parquet';
  const ext = parquet ? 'parquet' : 'csv';
  const years = o.years;
  const lastYear = years[years.length - 1]!;
  const perYear = casesByYear(o.cases, years);
  const plan: RegionPlan = {
    seed: o.seed,
    cases: o.cases,
    years,
    perYear,
    format: o.format,
    encoding: o.encoding,
    feeItems: o.feeItems,
    badRowRate: o.badRowRate,
    misbehaviour: o.misbehaviour,
    shards: o.shards,
  };
  const { seedKey, institutions, roles, calendar, population, codes } = regionOf(plan);
  const caseColumns = new CaseColumns({ institutions, counties: COUNTIES, codes, calendar });

  const files: { path: string; rows: number }[] = [];
  const tmp = (name: string) => join(o.out, `.synth-${name}.tmp.csv`);
  const work = join(o.out, '.synth-parts.tmp');
  mkdirSync(work, { recursive: true });
  // DuckDB converts each finished file in the background while this thread generates the next one.
  // Its memory is bounded: the tables of fee lines and visits spill to a temporary folder beyond the limit.
  const spill = join(o.out, '.synth-duckdb.tmp');
  const instance = parquet
    ? await DuckDBInstance.create(':memory:', { memory_limit: SYNTH_DUCKDB_MEMORY, temp_directory: spill })
    : null;
  const conn = instance ? await instance.connect() : null;
  const typedConn = instance ? await instance.connect() : null;
  let pendingCopy: Promise<void> = Promise.resolve();
  /** Finish a CSV: keep it, or convert it to Parquet in the background (one conversion at a time). */
  const finish = async (writer: CsvWriter, name: string, columns: readonly ColumnSpec[]): Promise<void> => {
    writer.close();
    files.push({ path: `${name}.${ext}`, rows: writer.rows });
    if (!conn) return;
    const previous = pendingCopy;
    pendingCopy = (async () => {
      await previous;
      await csvToParquet(conn, writer.path, join(o.out, `${name}.parquet`), columns);
      rmSync(writer.path);
    })();
    // Failures surface where the promise is awaited; this only keeps Node from calling them unhandled meanwhile.
    pendingCopy.catch(() => {});
    await previous;
  };
  const openCsv = (name: string, header: string): CsvWriter =>
    parquet ? new CsvWriter(tmp(name), header) : new CsvWriter(join(o.out, `${name}.csv`), header, o.encoding);

  // Ground truth: the misbehaving institutions first, then case rows year by year, shard by shard.
  const truth = new CsvWriter(join(o.out, 'truth.csv'), TRUTH_COLUMNS.join(','), o.encoding);
  if (roles) {
    for (const [kind, inst] of Object.entries(roles) as [TruthRow['kind'], (typeof roles)[keyof typeof roles]][]) {
      truth.write(
        truthCsvLine({
          scope: 'institution',
          category: 'misbehaviour',
          kind,
          file: '',
          row: null,
          setlId: '',
          fixmedinsCode: inst.code,
          field: '',
          detail: inst.name,
        }),
      );
    }
  }

  // Cases and their fee lines, shard by shard on the worker threads, then each year's parts end to end.
  const doneByShard = new Array<number>(o.shards).fill(0);
  let reported = 0;
  const shards = await runShards(plan, work, o.workers, (shard, n, year) => {
    doneByShard[shard] = n;
    const done = doneByShard.reduce((a, b) => a + b, 0);
    if (done - reported >= 20_000 || done === o.cases) {
      reported = done;
      progress({ phase: 'cases', done, total: o.cases, year });
    }
  });
  const done = o.cases;
  const deaths = new Map<number, number>();
  let badRows = 0;
  let misbehaviourCases = 0;
  for (const r of shards) {
    for (const [idx, day] of r.deaths) deaths.set(idx, day);
    badRows += r.badRows;
    misbehaviourCases += r.misbehaviourCases;
  }
  for (let y = 0; y < years.length; y++) {
    const year = years[y]!;
    for (const r of shards) for (const line of r.years[y]!.truth) truth.write(line);
    const name = `cases-${year}`;
    await joinParts(
      shards.map((r) => partPath(work, name, r.shard, ext)),
      join(o.out, `${name}.${ext}`),
      conn
        ? { conn, select: caseColumns.select(year, o.badRowRate > 0), source: (rel) => caseColumns.sourceFrom(rel) }
        : null,
    );
    files.push({ path: `${name}.${ext}`, rows: shards.reduce((a, r) => a + r.years[y]!.cases, 0) });
    if (o.feeItems) {
      const feeName = `fee-items-${year}`;
      const path = join(o.out, `${feeName}.${ext}`);
      if (conn && o.shards > 1) {
        const spools = shards.map((r) => partPath(work, feeName, r.shard, 'bin'));
        await writeTypedParquet(conn, spooledFeeItemsJob(path, year, spools));
      } else {
        await joinParts(
          shards.map((r) => partPath(work, feeName, r.shard, ext)),
          path,
          null,
        );
      }
      files.push({ path: `${feeName}.${ext}`, rows: shards.reduce((a, r) => a + r.years[y]!.feeItems, 0) });
    }
  }

  // Insured persons (参保人), their insurance type at the end of the period.
  progress({ phase: 'persons', done, total: o.cases });
  const lastDay = dayNumber(lastYear, 12, 31);
  if (typedConn) {
    const rows = await writeTypedParquet(typedConn, personsJob(join(o.out, 'persons.parquet'), population, lastDay));
    files.push({ path: 'persons.parquet', rows });
  } else {
    const persons = openCsv('persons', PERSON_COLUMNS.map((c) => c.name).join(','));
    for (let i = 0; i < population.size; i++) {
      const p = population.person(i);
      const insutype = population.insuranceOn(p, lastDay) === 'employee' ? '310' : '390';
      persons.write(`${p.psnNo},${p.sex},${calendar.date(p.birthDay)},${insutype},${p.county.code}`);
      if (i % 200_000 === 199_999) await yieldToEventLoop();
    }
    await finish(persons, 'persons', PERSON_COLUMNS);
  }

  // Institutions (定点医疗机构) with their medical communities.
  const inst = new CsvWriter(
    join(o.out, 'institutions.csv'),
    INSTITUTION_COLUMNS.map((c) => c.name).join(','),
    o.encoding,
  );
  for (const i of institutions) {
    const lead = i.communityId ? (i.isLead ? '1' : '0') : '';
    inst.write([i.code, i.name, i.level, i.type, i.county, i.communityId ?? '', lead].join(','));
  }
  inst.close();
  files.push({ path: 'institutions.csv', rows: inst.rows });

  // Outpatient special-disease enrolments (门特), after the cases so that deaths end them.
  progress({ phase: 'enrolments', done, total: o.cases });
  const enrol = new CsvWriter(join(o.out, 'enrolments.csv'), ENROLMENT_HEADER, o.encoding);
  // Their outpatient special-disease settlements (门特结算记录), visit by visit, one file per year: typed
  // columns into temporary tables when the output is Parquet, CSV text otherwise.
  const typedVisits = typedConn ? await TypedVisits.create(typedConn, years, institutions, COUNTIES) : null;
  const csvVisits = typedVisits
    ? null
    : new CsvVisits(calendar, (year) => openCsv(`outpatient-${year}`, OUTPATIENT_HEADER));
  const visits = new OutpatientVisits(
    { seedKey, years, calendar, institutions, population },
    typedVisits ? typedVisits.sink : csvVisits!.sink,
  );
  generateEnrolments({ seedKey, years, population, deaths, institutions, calendar }, (r) => {
    enrol.write(enrolmentCsvLine(r, calendar));
    visits.add(r);
  });
  enrol.close();
  files.push({ path: 'enrolments.csv', rows: enrol.rows });
  if (typedVisits) {
    const written = await typedVisits.finish((year) => join(o.out, `outpatient-${year}.parquet`));
    for (const [year, rows] of written) files.push({ path: `outpatient-${year}.parquet`, rows });
  } else for (const [year, w] of csvVisits!.writers()) await finish(w, `outpatient-${year}`, OUTPATIENT_COLUMNS);

  truth.close();
  files.push({ path: 'truth.csv', rows: truth.rows });

  progress({ phase: 'parquet', done, total: o.cases });
  await pendingCopy;
  typedConn?.closeSync();
  conn?.closeSync();
  instance?.closeSync();
  rmSync(spill, { force: true, recursive: true });
  rmSync(work, { force: true, recursive: true });

  progress({ phase: 'hash', done, total: o.cases });
  const manifestFiles: ManifestFile[] = [];
  for (const f of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    const path = join(o.out, f.path);
    manifestFiles.push({ path: f.path, rows: f.rows, bytes: statSync(path).size, sha256: await sha256File(path) });
  }
  const rowsOf = (prefix: string) => files.filter((f) => f.path.startsWith(prefix)).reduce((a, f) => a + f.rows, 0);
  const manifest: Manifest = {
    generator: 'yibao synth',
    manifestVersion: 1,
    seed: String(o.seed),
    cases: o.cases,
    years: [...years],
    currentYear: lastYear,
    format: o.format,
    encoding: o.encoding,
    feeItems: o.feeItems,
    badRowRate: o.badRowRate,
    misbehaviour: o.misbehaviour,
    region: {
      code: REGION.code,
      name: REGION.name,
      counties: COUNTIES.map((c) => ({ code: c.code, name: c.name, urban: c.urban })),
      communities: COUNTIES.filter((c) => c.communityId).map((c) => ({
        id: c.communityId!,
        county: c.code,
        lead: institutions.find((i) => i.communityId === c.communityId && i.isLead)!.code,
        members: institutions.filter((i) => i.communityId === c.communityId).map((i) => i.code),
      })),
    },
    counts: {
      cases: rowsOf('cases-'),
      casesByYear: Object.fromEntries(years.map((y, i) => [String(y), perYear[i]!])),
      persons: population.size,
      institutions: institutions.length,
      enrolments: enrol.rows,
      feeItems: rowsOf('fee-items-'),
      outpatient: rowsOf('outpatient-'),
      deaths: deaths.size,
      badRows,
      misbehaviourCases,
      truthRows: truth.rows,
    },
    misbehavingInstitutions: roles ? Object.fromEntries(Object.entries(roles).map(([k, v]) => [k, v.code])) : {},
    duckdb: parquet ? duckdbVersion() : '',
    files: manifestFiles,
  };
  writeFileSync(join(o.out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
