/**
 * Statements of a stored settlement run (结算报表): the pool statements (region summary, institution year-end,
 * institution-month, groups) are rebuilt from the run's result tables, the per-unit sheet reads `run_units`, the
 * catalog and DRG indicators come from what the run derived. Nothing is settled again: re-issuing a run's
 * statements gives the same figures as when it was issued, whatever today's policy files say.
 *
 * What an agency sends: the region workbook (`<pool>.xlsx`: summary, year-end statement, months, groups, cases,
 * catalog) and, by default, one workbook per institution (`institutions/<code>.xlsx`: its year-end statement, its
 * months, its cases), each statement sheet with names beside the codes and a 合计 row. CSV and JSON files stay one
 * line per record for other systems.
 */
import type { Catalog } from '../grouping/dip/index.ts';
import type { DrgKernel } from '../grouping/drg/index.ts';
import { LEVEL_EN, LEVEL_ZH } from '../model/institution.ts';
import type { DrgIndicators } from '../payment/drg/index.ts';
import type { CommunityMembers } from '../report/community-members.ts';
import { csvHeader } from '../report/csv.ts';
import { catalogGroupName, catalogTable } from '../report/dip-rows.ts';
import { groupLabel } from '../report/labels.ts';
import { poolMonthsTable } from '../report/pool-month-rows.ts';
import { type ReportFormat, writeReportSet } from '../report/report-set.ts';
import {
  annualTable,
  groupTable,
  type InstitutionNames,
  monthlyTable,
  poolCaseMethod,
  regionTable,
} from '../report/settlement-rows.ts';
import {
  type ComparisonLine,
  comparisonTable,
  SIMULATION,
  type SimulationOf,
  simulationFileStem,
  simulationNoticeTable,
  simulationTable,
} from '../report/simulation.ts';
import type { AnyTable, Table } from '../report/table.ts';
import {
  drgIndicatorTable,
  type UnitRowView,
  unitLineParts,
  unitRowsStream,
  unitRowsTable,
} from '../report/unit-rows.ts';
import type { PoolSettlement } from '../settlement/settle.ts';
import type {
  RunInstitutionYearRow,
  RunResultsReader,
  RunUnitRow,
  SettlementRunRecord,
} from '../store/settlement-runs.ts';
import type { Store } from '../store/store.ts';
import { drgGroupNames, methodGroupNames } from './group-names.ts';
import { caseAmountRoundings, fromJson, readPoolSettlement } from './results.ts';
import { storedRunWarnings } from './run-warnings.ts';

/** The per-unit sheet over stored unit rows. */
export function storedUnitTable(name: string, units: Iterable<RunUnitRow>, names: InstitutionNames = new Map()): Table {
  return unitRowsTable(name, units as Iterable<UnitRowView>, names);
}

/** Institution names by code, from the store's institutions (机构名称 beside the codes). */
export async function institutionNames(store: Store): Promise<InstitutionNames> {
  return new Map((await store.readInstitutions()).map((i) => [i.code, i.name] as const));
}

export interface RunStatements {
  settlement: PoolSettlement;
  files: string[];
}

export interface RunStatementOptions {
  formats?: readonly ReportFormat[];
  lang?: 'zh' | 'en';
  /** Institution names shown beside the codes (see `institutionNames`). */
  names?: InstitutionNames;
  /** One workbook per institution in `institutions/` (default true: the statement each institution is sent). */
  perInstitution?: boolean;
  /** The store's code lists, for the names of calibrated DIP groups (diagnosis and procedure names). */
  codes?: Pick<Store, 'lookupCodes'>;
  /**
   * The most cases a workbook's per-case sheet holds (default `XLSX_CASE_ROWS`): a pool (or an institution) with
   * more has its cases in the CSV and JSON Lines files only (README "Statements").
   */
  xlsxCaseRows?: number;
  /**
   * Members of county medical communities settled under a global budget (`communityMembersOfYear`): the year-end
   * statement and the summary say their clearing is not paid separately but through the community (R-MC-3).
   */
  communityMembers?: CommunityMembers;
  /** Opens the DRG scheme a run grouped by, for the DRG names (default: the pack by name or path). */
  drgKernel?: (scheme: string) => Promise<Pick<DrgKernel, 'core' | 'names'>>;
  /** A what-if run's simulation with its changes (whatif-simulation.ts); default: the run and its issued run only. */
  simulation?: SimulationOf;
  /**
   * A what-if run's issued run: each institution's year end in both, side by side (`<pool>-comparison-simulation.csv`
   * and a sheet after the notice; walk7 #11).
   */
  issued?: RunResultsReader;
}

/**
 * Beyond this many cases a per-case sheet is left out of the workbook (one Excel sheet holds 1,048,576 rows, and a
 * workbook of millions of rows is slow to write and to open): the cases are in `<pool>-cases.csv` and `.jsonl`.
 */
export const XLSX_CASE_ROWS = 1_000_000;

/**
 * Names of a catalog's diagnosis and procedure codes from the code lists. A 亚目 "K35.8" is listed as "K35.800". A
 * 类目 "K35" (a comprehensive group's diagnosis), when the list does not hold it, takes the name of its unspecified
 * code "K35.900" or else what the names of its listed codes "K35.000"…"K35.900" have in common ("急性阑尾炎"); it
 * stays unnamed when they share no word.
 */
export async function catalogCodeNames(codes: Pick<Store, 'lookupCodes'>, c: Catalog): Promise<Map<string, string>> {
  const dx = [...new Set(c.groups.map((g) => g.dx))];
  // The codes that name a diagnosis, by preference; for a 类目 also the listed codes whose shared words name it.
  const candidates = (code: string): { named: string[]; listed: string[] } =>
    SUBCATEGORY.test(code)
      ? { named: [...new Set([code, `${code}00`, `${code.replace(/X$/, 'x')}00`])], listed: [] }
      : CATEGORY.test(code)
        ? {
            named: [code, `${code}.9`, `${code}.900`],
            listed: DIGITS.flatMap((d) => [`${code}.${d}`, `${code}.${d}00`]),
          }
        : { named: [code], listed: [] };
  const found = await codes.lookupCodes(
    'icd10',
    dx.flatMap((d) => {
      const { named, listed } = candidates(d);
      return [...new Set([...named, ...listed])];
    }),
  );
  const procs = await codes.lookupCodes('icd9', [...new Set(c.groups.flatMap((g) => g.procedures))]);
  const out = new Map<string, string>();
  for (const d of dx) {
    const { named, listed } = candidates(d);
    const hit = named.find((k) => found.has(k));
    if (hit) {
      out.set(d, found.get(hit)!.name);
      continue;
    }
    const shared = commonName(listed.flatMap((k) => (found.has(k) ? [found.get(k)!.name] : [])));
    if (shared) out.set(d, shared);
  }
  for (const [k, v] of procs) out.set(k, v.name);
  return out;
}

const SUBCATEGORY = /^[A-Z]\d{2}\.[\dX]$/; // 亚目 K35.8, and I10.X (listed as I10.x00 in 医保版 2.0)
const CATEGORY = /^[A-Z]\d{2}$/; // 类目 K35
const DIGITS = [...'0123456789'];

/** The words the names begin with in common, without a trailing separator; '' when under two characters. */
function commonName(names: readonly string[]): string {
  if (names.length === 0) return '';
  const chars = names.map((n) => [...n]);
  let i = 0;
  while (i < chars[0]!.length && chars.every((n) => n[i] === chars[0]![i])) i++;
  const shared = chars[0]!
    .slice(0, i)
    .join('')
    .replace(/[，,、;；:：（(\-\s]+$/u, '');
  return [...shared].length >= 2 ? shared : '';
}

/** The what-if a run is (its statements are marked as a simulation), or undefined for an issued run. */
export function simulationOfRun(
  rec: Pick<SettlementRunRecord, 'id' | 'kind' | 'baseRunId' | 'region' | 'year'>,
): SimulationOf | undefined {
  return rec.kind === 'what-if'
    ? { runId: rec.id, baseRunId: rec.baseRunId ?? '', region: rec.region, year: rec.year }
    : undefined;
}

/** A hospital level in words (三级 / tertiary); an unknown one as it is. */
function levelWords(level: string, lang: 'zh' | 'en'): string {
  const words = lang === 'zh' ? LEVEL_ZH : LEVEL_EN;
  return (words as Record<string, string>)[level] ?? level;
}

/** Each institution's year end and clearing payment in the issued run beside the what-if (summed over its rows). */
async function issuedComparison(
  issued: RunResultsReader,
  whatIf: RunResultsReader,
  poolId: string,
  names: InstitutionNames,
): Promise<Table> {
  const lines = new Map<string, ComparisonLine>();
  const add = (rows: readonly RunInstitutionYearRow[], which: 'base' | 'whatIf') => {
    for (const r of rows) {
      const l = lines.get(r.institution) ?? {
        code: r.institution,
        name: names.get(r.institution) ?? '',
        level: r.level,
        baseYearEndFen: 0,
        whatIfYearEndFen: 0,
        baseClearingFen: 0,
        whatIfClearingFen: 0,
      };
      if (which === 'base') {
        l.baseYearEndFen += r.yearEndFen;
        l.baseClearingFen += r.clearingFen;
      } else {
        l.whatIfYearEndFen += r.yearEndFen;
        l.whatIfClearingFen += r.clearingFen;
      }
      lines.set(r.institution, l);
    }
  };
  add(await issued.institutionYear(poolId), 'base');
  add(await whatIf.institutionYear(poolId), 'whatIf');
  const sorted = [...lines.values()].sort(
    (a, b) =>
      a.whatIfYearEndFen - a.baseYearEndFen - (b.whatIfYearEndFen - b.baseYearEndFen) || a.code.localeCompare(b.code),
  );
  return comparisonTable(`${poolId}-comparison`, sorted, levelWords);
}

/** Write the inpatient pool's statements of a stored run to `dir`. */
export async function writeRunStatements(
  reader: RunResultsReader,
  dir: string,
  o: RunStatementOptions = {},
): Promise<RunStatements> {
  const rec = await reader.record();
  const pool = (await reader.pools())[0];
  if (!pool) throw new RangeError(`run ${rec.id} has no pool`);
  const s = await readPoolSettlement(reader, rec.region, rec.year, pool.poolId);
  const names = o.names ?? new Map<string, string>();
  const members = o.communityMembers ?? new Map();
  // A policy what-if's statements say on every sheet and file that they are a simulation, not issued.
  const sim = o.simulation ?? simulationOfRun(rec);
  const mark = <T extends AnyTable>(t: T): T => (sim ? simulationTable(t) : t);
  const notice = sim ? [simulationNoticeTable(sim)] : [];
  const comparison = sim && o.issued ? [mark(await issuedComparison(o.issued, reader, s.poolId, names))] : [];
  // The warnings the run gave (run-warnings.ts), in its summary sheet as settle printed them.
  const warnings = await storedRunWarnings(reader);
  const extra: Table[] = [];
  // The names of the catalog's diagnosis and procedure codes also label the groups sheet's core groups; each group's
  // name (the catalog's, else its codes') stands beside its code in the per-case sheets.
  const codeNames = new Map<string, string>();
  // The carve-outs' groups (PSY, SD001 …) by their names beside the code in the groups sheet too (it showed PSY alone).
  // … and the DRGs by the names of the scheme the run grouped by (the per-case sheets showed no DRG name).
  const carveOutNames = new Map([
    ...(await drgGroupNames(reader, rec, o.drgKernel)),
    ...(await methodGroupNames(reader, rec, o.lang ?? 'zh')),
  ]);
  const groupNames = new Map(carveOutNames);
  for (const d of await reader.derived('dip-catalog')) {
    const c = fromJson<Catalog>(d.content);
    for (const [code, name] of o.codes ? await catalogCodeNames(o.codes, c) : []) codeNames.set(code, name);
    extra.push(catalogTable(c, codeNames));
    // Every group has a name in the reader's language: a comprehensive group (or a core group the code lists do not
    // name) its codes in words, `K35 综合病种（相关手术）` / `K35 comprehensive (related surgery)` (walk6: blank).
    for (const g of c.groups)
      groupNames.set(g.code, catalogGroupName(g, codeNames) || groupLabel(g.code, o.lang ?? 'zh'));
  }
  for (const d of await reader.derived('drg-indicators')) {
    const department = d.name === 'department';
    const name = department ? `${s.poolId}-department-indicators` : `${s.poolId}-indicators`;
    extra.push(
      drgIndicatorTable(name, fromJson<DrgIndicators[]>(d.content), department ? 'department' : 'institution'),
    );
  }
  // The per-case sheets stream from the stored run (run_units, in batches), once per writer: never all in memory.
  const limit = o.xlsxCaseRows ?? XLSX_CASE_ROWS;
  const poolUnits = s.institutions.reduce((n, i) => n + i.units, 0);
  const statements = (): Table[] => [
    regionTable(s, warnings, members),
    annualTable(s, names, undefined, members),
    monthlyTable(s, names),
    poolMonthsTable(s),
    groupTable(s, codeNames, carveOutNames),
  ];
  // 病例结算金额 beside the points, as the run stored it (blank for a run stored before it was kept); none under the
  // settlement policy's `caseAmountRounding: none` — the pool's own record, not another pool's.
  const rounding = (await caseAmountRoundings(reader)).get(s.poolId);
  const sheet = { settled: rounding?.value !== 'none', groupNames, caseMethod: poolCaseMethod(s) };
  const unitSheet = () =>
    unitRowsStream(`${s.poolId}-cases`, reader.units({ poolId: s.poolId, trace: false }), names, sheet);
  const perInstitution = o.perInstitution !== false;
  // A store that renders unit lines itself writes the pool's per-case CSV and JSON Lines (the same bytes, no row
  // objects); the workbooks' case sheets stream as before.
  const writeUnitLines = reader.writeUnitLines?.bind(reader);
  const unitFiles = writeUnitLines
    ? async (paths: { csv?: string; jsonLines?: string }, lang: 'zh' | 'en') => {
        const t = unitSheet();
        await writeUnitLines({ poolId: s.poolId, trace: false }, [
          ...(paths.csv
            ? [
                {
                  path: paths.csv,
                  head: csvHeader(t, lang),
                  eol: '\r\n' as const,
                  parts: unitLineParts('csv', names, lang, sheet),
                },
              ]
            : []),
          ...(paths.jsonLines
            ? [
                {
                  path: paths.jsonLines,
                  head: '',
                  eol: '\n' as const,
                  parts: unitLineParts('json', names, lang, sheet),
                },
              ]
            : []),
        ]);
      }
    : undefined;
  const files = await writeReportSet(
    {
      name: s.poolId,
      units: () => mark(unitSheet()),
      // The per-case JSON Lines file is marked like the CSVs: `<pool>-cases-simulation.jsonl`.
      ...(sim ? { unitLinesStem: simulationFileStem(`${s.poolId}-cases`) } : {}),
      ...(unitFiles ? { unitFiles } : {}),
      tables: () => [...comparison, ...[...statements(), ...extra].map(mark)],
      json: {
        poolId: s.poolId,
        run: rec.id,
        ...(sim
          ? {
              simulation: {
                zh: SIMULATION[0],
                en: SIMULATION[1],
                baseRun: sim.baseRunId,
                ...(sim.changes ? { changes: sim.changes } : {}),
              },
            }
          : {}),
        steps: s.steps,
      },
      xlsx: () => [
        ...notice,
        ...comparison,
        ...[...statements(), ...(poolUnits <= limit ? [unitSheet()] : []), ...extra].map(mark),
      ],
      workbooks: perInstitution
        ? s.institutions.map((i) => ({
            file: `institutions/${i.institutionCode}.xlsx`,
            tables: () => [
              ...notice,
              mark(annualTable(s, names, i.institutionCode, members)),
              mark(monthlyTable(s, names, i.institutionCode)),
              ...(i.units <= limit
                ? [
                    mark(
                      unitRowsStream(
                        `${s.poolId}-${i.institutionCode}-cases`,
                        reader.units({ poolId: s.poolId, institution: i.institutionCode, trace: false }),
                        names,
                        sheet,
                      ),
                    ),
                  ]
                : []),
            ],
          }))
        : [],
    },
    dir,
    o,
  );
  return { settlement: s, files };
}
