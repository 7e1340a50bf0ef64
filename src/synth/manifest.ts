/**
 * `manifest.json`: what was generated and how to check it. It holds no time or machine detail, so the same
 * options give a byte-identical manifest (and files).
 */
import type { MisbehaviourKind } from './truth.ts';

export interface ManifestFile {
  /** Path relative to the output folder. */
  path: string;
  /** Data rows (without the CSV header). */
  rows: number;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  generator: 'yibao synth';
  manifestVersion: 1;
  seed: string;
  /** Cases requested (= cases written). */
  cases: number;
  years: number[];
  /** The last year: the settlement year; the earlier ones are history. */
  currentYear: number;
  format: 'parquet' | 'csv';
  /** Encoding of every CSV file. */
  encoding: 'utf-8' | 'gbk';
  feeItems: boolean;
  badRowRate: number;
  misbehaviour: boolean;
  region: {
    code: string;
    name: string;
    counties: { code: string; name: string; urban: boolean }[];
    communities: { id: string; county: string; lead: string; members: string[] }[];
  };
  counts: {
    cases: number;
    casesByYear: Record<string, number>;
    persons: number;
    institutions: number;
    enrolments: number;
    feeItems: number;
    /** Outpatient special-disease settlements (门特结算记录) over all years; absent in older manifests. */
    outpatient?: number;
    deaths: number;
    badRows: number;
    misbehaviourCases: number;
    truthRows: number;
  };
  /** Misbehaving institution of each kind (empty when misbehaviour is off). */
  misbehavingInstitutions: Partial<Record<MisbehaviourKind, string>>;
  /** DuckDB version that wrote the Parquet files (their bytes depend on it). */
  duckdb: string;
  files: ManifestFile[];
}
