/**
 * `generateRegion`: write a whole synthetic region — institutions, insured persons, inpatient cases of every
 * year, optional fee line items, special-disease enrolments, ground truth and a manifest — to one folder.
 *
 * Cases stream: each year is generated case by case into a CSV file (the output itself, or a temporary file
 * that DuckDB turns into Parquet while the next year is generated). Memory stays flat whatever the size:
 * one Int32 per insured person and a write buffer.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, version as duckdbVersion } from '@duckdb/node-api';
import {
  CASE_COLUMNS,
  type ColumnSpec,
  FEE_ITEM_COLUMNS,
  INSTITUTION_COLUMNS,
  OUTPATIENT_COLUMNS,
  PERSON_COLUMNS,
} from '../model/columns.ts';
import { chooseMisbehaviourRoles, type MisbehaviourRoles } from './anomalies.ts';
import { DateTexts, dayNumber } from './calendar.ts';
import { CaseGenerator } from './case-generator.ts';
import { CaseColumns } from './case-parquet.ts';
import { ENROLMENT_HEADER, enrolmentCsvLine, generateEnrolments } from './enrolments.ts';
import { FeeLines, feeItemCsvLines, feeItems, plantChargeOutsideStay } from './fee-items.ts';
import { TypedFeeItems } from './fee-items-parquet.ts';
import type { Manifest, ManifestFile } from './manifest.ts';
import { CsvVisits, OUTPATIENT_HEADER, OutpatientVisits } from './outpatient.ts';
import { TypedVisits } from './outpatient-parquet.ts';
import { CsvWriter, csvToParquet, type Encoding, sha256File } from './output.ts';
import { SYNTH_PARAMS } from './params.ts';
import { Population } from './population.ts';
import { Rng, rootKey, STREAM, streamKey } from './prng.ts';
import { buildInstitutions, COUNTIES, REGION } from './region.ts';
import { loadSampleCodes } from './sample-codes.ts';
import { CASE_HEADER, caseCsvLine, type SynthCase } from './synth-case.ts';
import { TRUTH_COLUMNS, type TruthRow, truthCsvLine } from './truth.ts';
import { BATCH_ROWS, type TypedParquetJob, writeTypedParquet } from './typed-parquet.ts';

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
export const MAX_CASES = 20_000_000;
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
  };
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
  const seedKey = rootKey(o.seed);
  const years = o.years;
  const firstYear = years[0]!;
  const lastYear = years[years.length - 1]!;
  const perYear = casesByYear(o.cases, years);
  const codes = loadSampleCodes();
  const institutions = buildInstitutions();
  const roles: MisbehaviourRoles | null = o.misbehaviour
    ? chooseMisbehaviourRoles(new Rng(streamKey(seedKey, STREAM.region, 1)), institutions)
    : null;
  const targetPopulation = Math.max(5000, Math.round(o.cases / years.length / SYNTH_PARAMS.admissionRate));
  const calendar = new DateTexts(lastYear - 100, lastYear + 1);
  const population = new Population(
    seedKey,
    targetPopulation,
    COUNTIES,
    lastYear,
    dayNumber(firstYear, 1, 1),
    calendar,
  );

  const files: { path: string; rows: number }[] = [];
  const tmp = (name: string) => join(o.out, `.synth-${name}.tmp.csv`);
  // DuckDB converts each finished file in the background while this thread generates the next one.
  // Its memory is bounded: the tables of fee lines and visits spill to a temporary folder beyond the limit.
  const spill = join(o.out, '.synth-duckdb.tmp');
  const instance = parquet
    ? await DuckDBInstance.create(':memory:', { memory_limit: SYNTH_DUCKDB_MEMORY, temp_directory: spill })
    : null;
  const conn = instance ? await instance.connect() : null;
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

  // Ground truth: the misbehaving institutions first, then case rows as they are generated.
  const truth = new CsvWriter(join(o.out, 'truth.csv'), TRUTH_COLUMNS.join(','), o.encoding);
  let badRows = 0;
  let misbehaviourCases = 0;
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
  const onTruth = (t: TruthRow): void => {
    if (t.category === 'bad-row') badRows++;
    else misbehaviourCases++;
    truth.write(truthCsvLine(t));
  };

  const generator = new CaseGenerator({
    seedKey,
    calendar,
    population,
    institutions,
    counties: COUNTIES,
    codes,
    roles,
    badRowRate: o.badRowRate,
    onTruth,
  });
  const feeRng = new Rng();
  const feeLines = new FeeLines();
  const feeText: string[] = [];
  let done = 0;
  // Parquet cases go straight from typed columns to the file (DuckDB pulls them while it writes), their fee lines
  // to a temporary table on a second connection; CSV output is text.
  const typedConn = instance ? await instance.connect() : null;
  const feeConn = instance && o.feeItems ? await instance.connect() : null;
  const caseColumns = typedConn ? new CaseColumns({ institutions, counties: COUNTIES, codes, calendar }) : null;
  for (let y = 0; y < years.length; y++) {
    const year = years[y]!;
    const name = `cases-${year}`;
    const feeName = `fee-items-${year}`;
    const typedFees = feeConn ? await TypedFeeItems.create(feeConn, year) : null;
    const fees = o.feeItems && !typedFees ? openCsv(feeName, FEE_ITEM_COLUMNS.map((c) => c.name).join(',')) : null;
    const it = generator.cases(year, perYear[y]!, `${name}.${ext}`);
    /** Fee items of a case and progress; true when the caller may yield to the event loop. */
    const afterCase = (c: SynthCase): boolean => {
      if (o.feeItems && c.overrides === null) {
        feeRng.reseed(streamKey(seedKey, STREAM.feeItems, year, c.row));
        feeItems(c, feeRng, feeLines);
        const planted = o.misbehaviour ? plantChargeOutsideStay(c, calendar, feeLines) : null;
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
        if (typedFees) typedFees.add(c, feeLines);
        else if (fees) {
          feeText.length = 0;
          feeItemCsvLines(c, feeLines, calendar, feeText);
          for (const l of feeText) fees.write(l);
        }
      }
      if (++done % 20_000 === 0) {
        progress({ phase: 'cases', done, total: o.cases, year });
        return true;
      }
      return false;
    };
    if (typedConn && caseColumns) {
      const next = (): SynthCase | null => {
        const r = it.next();
        if (r.done) return null;
        afterCase(r.value);
        return r.value;
      };
      const path = join(o.out, `${name}.parquet`);
      const rows = await writeTypedParquet(typedConn, caseColumns.job(path, year, o.badRowRate > 0, next));
      files.push({ path: `${name}.parquet`, rows });
    } else {
      const cases = openCsv(name, CASE_HEADER);
      for (const c of it) {
        cases.write(caseCsvLine(c, calendar, codes));
        if (afterCase(c)) await yieldToEventLoop();
      }
      await finish(cases, name, CASE_COLUMNS);
    }
    progress({ phase: 'cases', done, total: o.cases, year });
    if (fees) await finish(fees, feeName, FEE_ITEM_COLUMNS);
    if (typedFees) {
      await typedFees.finish(join(o.out, `${feeName}.parquet`));
      files.push({ path: `${feeName}.parquet`, rows: typedFees.rows });
    }
  }
  feeConn?.closeSync();

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
  generateEnrolments({ seedKey, years, population, occupancy: generator.occupancy, institutions, calendar }, (r) => {
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
      deaths: generator.occupancy.deaths.size,
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
