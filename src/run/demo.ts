/**
 * `yibao demo`: everything that exists, end to end, on the embedded default — a synthetic pooling region is
 * generated, its code lists and data are ingested with quality control into DuckDB, and its inpatient year is
 * settled under the compound system (per-bed-day + single-disease + DIP or DRG in one budget), with statements
 * written as CSV/JSON/XLSX. Reproducible: same seed and size → same store content and the same figures.
 */

import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLE_CODE_LISTS } from '../codes/index.ts';
import { importCodes } from '../ingest/codes-import.ts';
import type { IngestKind } from '../ingest/kinds/kind.ts';
import { type IngestReport, ingestFile } from '../ingest/pipeline.ts';
import { loadRuleBase } from '../monitor/adapters/knowledge-files.ts';
import { runMonitoring } from '../monitor/adapters/monitor-store.ts';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { loadPolicyDir, policiesDir } from '../policy/registry.ts';
import { assertOwnOutFolder } from '../report/atomic.ts';
import type { CapBudgetPolicy } from '../report/capitation-reports.ts';
import type { CommunityMembers } from '../report/community-members.ts';
import { writeCommunityWorkbook } from '../report/community-reports.ts';
import { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import type { SettlementRunRecord } from '../store/settlement-runs.ts';
import { DEFAULT_YEARS, generateRegion } from '../synth/generate.ts';
import type { Manifest } from '../synth/manifest.ts';
import type { CapitationYearSummary } from './capitation-year.ts';
import { communityMembersOfYear } from './community-members.ts';
import { type CommunityRunResult, recordCommunityBudgets, runCommunityYear } from './community-year.ts';
import { drgSchemeFor, openSchemeKernel } from './drg-scheme.ts';
import type { FfsYear } from './ffs-year.ts';
import { type DemoHospital, demoHospital } from './hospital-demo.ts';
import { type CaseMethod, caseMethodFor, type InpatientYear } from './inpatient-year.ts';
import { settleRegionYear } from './settle-region-year.ts';
import { writeRunStatementsFolder } from './statements-folder.ts';

export interface DemoOptions {
  out: string;
  db: string;
  cases: number;
  seed: string | number;
  /** The inpatient case method; absent: the region's payment-mix policy decides. */
  method?: CaseMethod;
  region: string;
  /** Policy folder; default: the package's policies/. */
  policies?: string;
  /** CHS-DRG scheme for `drg`, overriding the region's DRG policy (`scheme`; the demo region names CHS-DRG 2.0). */
  pack?: string;
  lang: 'zh' | 'en';
  onStage?: (stage: string) => void;
}

export interface DemoResult {
  manifest: Manifest;
  ingest: IngestReport[];
  codes: { kind: string; accepted: number }[];
  /** The stored settlement run (its results are what the statements, `explain` and `runs` read). */
  run: SettlementRunRecord;
  year: InpatientYear;
  /** Fee-for-service pricing of the year's fee items (when the region has an `ffs` policy). */
  ffs?: FfsYear;
  /** Capitation + family-doctor year from the enrolments and 门特 visits (when the region has a capitation policy). */
  capitation?: CapitationYearSummary;
  /** The cap's policy as the run applied it (its snapshot), for the line naming the cap's budget basis. */
  capBudgetPolicy?: CapBudgetPolicy;
  /** One hospital's own view of its year (hospital mode, src/hospital). */
  hospital?: DemoHospital;
  /** Members of communities settled under a global budget: the statements say their clearing is not paid (R-MC-3). */
  communityMembers: CommunityMembers;
  /** The medical communities' year read from the stored run (when the region has communities), and its workbook. */
  community?: { result: CommunityRunResult; file: string };
  /** The whole-year monitoring run stored with the settlement run (when the region has a monitor policy). */
  monitor?: { monitorRunId: string; cases: number; flags: number; byRule: Record<string, number> };
  files: string[];
  seconds: Record<string, number>;
}

/** What to ingest, in order (master data before cases), by the generator's file names (cases-2025.parquet …). */
const INGEST_ORDER: { kind: IngestKind; stem: string }[] = [
  { kind: 'institutions', stem: 'institutions' },
  { kind: 'persons', stem: 'persons' },
  { kind: 'enrolments', stem: 'enrolments' },
  { kind: 'outpatient', stem: 'outpatient' },
  { kind: 'cases', stem: 'cases' },
  { kind: 'fee-items', stem: 'fee-items' },
];

function filesOf(m: Manifest, stem: string): string[] {
  const re = new RegExp(`^${stem}(-\\d{4})?\\.(parquet|csv)$`);
  return m.files
    .map((f) => f.path)
    .filter((p) => re.test(p.split('/').pop()!))
    .sort();
}

/** The ingest of a generated region's files, in order (master data first; rejects go to `out/rejects`). */
export function ingestOrder(
  manifest: Manifest,
  regionDir: string,
  out: string,
): { kind: IngestKind; file: string; rejectsFile: string }[] {
  return INGEST_ORDER.flatMap((step) =>
    filesOf(manifest, step.stem).map((rel) => {
      const stem = rel
        .split('/')
        .pop()!
        .replace(/\.(parquet|csv)$/, '');
      return { kind: step.kind, file: join(regionDir, rel), rejectsFile: join(out, 'rejects', `${stem}.csv`) };
    }),
  );
}

/** Ingest a generated region's files with QC, master data first (rejects go to `out/rejects`). */
export async function ingestRegion(
  store: DuckDbStore,
  manifest: Manifest,
  regionDir: string,
  out: string,
  /** The rejects files' own columns in the reader's language (absent: their qc_* names). */
  lang?: 'zh' | 'en',
): Promise<IngestReport[]> {
  const reports: IngestReport[] = [];
  for (const f of ingestOrder(manifest, regionDir, out))
    reports.push(await ingestFile(store, { ...f, ...(lang ? { lang } : {}) }));
  return reports;
}

export async function runDemo(o: DemoOptions): Promise<DemoResult> {
  const seconds: Record<string, number> = {};
  const timed = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    o.onStage?.(name);
    const t0 = performance.now();
    const v = await fn();
    seconds[name] = (performance.now() - t0) / 1000;
    return v;
  };
  // The statements are swapped into the out folder as a set (statements-folder.ts): a folder holding the working
  // folder is refused now, not after the region has been generated and settled.
  assertOwnOutFolder(o.out);
  const regionDir = join(o.out, 'region');
  rmSync(regionDir, { recursive: true, force: true });
  rmSync(o.db, { force: true });
  rmSync(`${o.db}.wal`, { force: true });
  mkdirSync(o.out, { recursive: true });
  const policies = loadPolicyDir(policiesDir(o.policies), POLICY_KINDS);
  const method = caseMethodFor(policies, o.region, DEFAULT_YEARS.at(-1)!, o.method);
  const scheme = method === 'drg' ? drgSchemeFor(policies, o.region, DEFAULT_YEARS.at(-1)!, o.pack).scheme : undefined;
  const kernel = scheme ? await openSchemeKernel(scheme) : undefined;
  const manifest = await timed('synth', () =>
    generateRegion({
      out: regionDir,
      cases: o.cases,
      seed: o.seed,
      feeItems: true,
      badRowRate: 0.002,
      misbehaviour: true,
    }),
  );
  const store = await DuckDbStore.open(o.db);
  try {
    const codes = await timed('codes', async () => {
      const out: { kind: string; accepted: number }[] = [];
      for (const kind of ['icd10', 'icd9'] as const) {
        const r = await importCodes(store, { kind, file: SAMPLE_CODE_LISTS[kind], listVersion: '医保版 2.0 (sample)' });
        out.push({ kind, accepted: r.accepted });
      }
      return out;
    });
    const ingest = await timed('ingest', () => ingestRegion(store, manifest, regionDir, o.out, o.lang));
    const settled = await settleRegionYear(store, {
      region: o.region,
      year: manifest.currentYear,
      policies,
      method,
      command: `demo settle ${method} ${manifest.currentYear}`,
      ...(kernel ? { kernel } : {}),
      ...(scheme ? { pack: scheme } : {}),
      onStage: (stage) => o.onStage?.(stage),
    });
    Object.assign(seconds, settled.seconds);
    const { inpatient: year, ffs, capitation } = settled;
    // The statements go into the out folder as one set, as `settle --out` writes them (statements-folder.ts): the
    // folder lists them, so a later `settle --out` into it replaces them only for the same region, method and year.
    let capBudgetPolicy: CapBudgetPolicy | undefined;
    const communityMembers = communityMembersOfYear(policies, o.region, manifest.currentYear);
    const files = await timed('reports', async () => {
      const written = await writeRunStatementsFolder(store, o.out, {
        runId: settled.record.id,
        region: o.region,
        year: manifest.currentYear,
        method,
        ...(capitation ? { capitation } : {}),
        lang: o.lang,
        communityMembers,
      });
      capBudgetPolicy = written.capBudgetPolicy;
      return written.files;
    });
    const hospital = await timed('hospital', () =>
      demoHospital(year, {
        region: o.region,
        year: manifest.currentYear,
        policies,
        out: o.out,
        lang: o.lang,
        ...(kernel ? { kernel } : {}),
        store,
        run: store.runResults(settled.record.id),
      }),
    );
    if (hospital) files.push(hospital.file);
    const hasCommunities = policies.files.some((f) => f.kind === 'medical-community' && f.region === o.region);
    const community = hasCommunities
      ? await timed('community', async () => {
          const run = { record: settled.record, reader: store.runResults(settled.record.id) };
          const result = await runCommunityYear(store, { region: o.region, year: manifest.currentYear, policies, run });
          await recordCommunityBudgets(store, result);
          return { result, file: await writeCommunityWorkbook(result, join(o.out, 'community'), o.lang) };
        })
      : undefined;
    if (community) files.push(community.file);
    // whole-year monitoring over the stored year, its flags stored with the settlement run (API, workbench queue)
    const hasMonitor = policies.files.some((f) => f.kind === 'monitor' && f.region === o.region);
    const monitor = hasMonitor
      ? await timed('monitor', async () => {
          const year = manifest.currentYear;
          const base = loadRuleBase(policies, o.region, `${year}-12-31`);
          const r = await runMonitoring(store, base, { region: o.region, year, settlementRunId: settled.record.id });
          const byRule: Record<string, number> = {};
          for (const f of r.flags) byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
          return { monitorRunId: r.monitorRunId, cases: r.cases, flags: r.flags.length, byRule };
        })
      : undefined;
    return {
      manifest,
      ingest,
      codes,
      run: settled.record,
      year,
      ...(hospital ? { hospital } : {}),
      ...(community ? { community } : {}),
      ...(monitor ? { monitor } : {}),
      ...(ffs ? { ffs } : {}),
      ...(capitation ? { capitation } : {}),
      ...(capBudgetPolicy ? { capBudgetPolicy } : {}),
      communityMembers,
      files,
      seconds,
    };
  } finally {
    await store.close();
  }
}
