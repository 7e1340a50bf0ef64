/**
 * QC settings (质控参数) from a `qc` policy file. Without `--policy`, the command line takes the qc file of the
 * policy folder (`defaultQcPolicyFile`); a library call without one takes the demo region's file shipped with yibao
 * (policies/demo/qc.yaml), so the numbers live in one cited place, never in code.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AGE_SPECIFIC_RANGES,
  type AgeSpecificRange,
  SEX_SPECIFIC_RANGES,
  type SexSpecificRange,
} from '../../codes/icd10-classification.ts';
import { isIsoDate } from '../../policy/dates.ts';
import { PolicyError } from '../../policy/errors.ts';
import { POLICY_KINDS } from '../../policy/kinds/index.ts';
import { qcKind } from '../../policy/kinds/qc.ts';
import { loadPolicyFile } from '../../policy/loader.ts';
import { BUNDLED_POLICY_DIR, defaultPolicyDir, policyFilesIn, resolveFile } from '../../policy/registry.ts';

export const DEFAULT_QC_POLICY = fileURLToPath(new URL('../../../policies/demo/qc.yaml', import.meta.url));

/**
 * The qc policy file when none is named: found by the same rule as every policy folder (./policies when it exists,
 * else the one shipped with yibao) — the `kind: qc` file of that folder in force on `date` (else the latest by its
 * start); the shipped folder, or a local one without a qc file, gives the demo region's file.
 */
export function defaultQcPolicyFile(
  date: string = new Date().toISOString().slice(0, 10),
  cwd: string = process.cwd(),
): string {
  const dir = resolve(cwd, defaultPolicyDir(cwd));
  if (dir === resolve(BUNDLED_POLICY_DIR)) return DEFAULT_QC_POLICY;
  const qc = policyFilesIn(dir)
    .filter((f) => /^kind:\s*["']?qc["']?\s*$/m.test(readFileSync(f, 'utf8')))
    .map((f) => loadPolicyFile(f, POLICY_KINDS))
    .sort((a, b) => (a.effective.from < b.effective.from ? 1 : a.effective.from > b.effective.from ? -1 : 0));
  const pick = qc.find((p) => p.effective.from <= date && date <= p.effective.to) ?? qc[0];
  return pick?.file ?? DEFAULT_QC_POLICY;
}

export interface QcSettings {
  maxLosDays: number;
  maxAgeYears: number;
  newbornWeightG: { min: number; max: number };
  losToleranceDays: number;
  /** Age vs birth and admission dates (years); undefined: the check is skipped. */
  ageToleranceYears?: number;
  /** nwb_age vs birth and admission dates (days); undefined: the check is skipped. */
  nwbAgeToleranceDays?: number;
  /** The run's as-of date (--as-of, default today): dates of events after it are refused as future. */
  asOf: string;
  /** Sex- and age-specific diagnosis ranges (the classification's, or the region's own table). */
  sexRanges: readonly SexSpecificRange[];
  ageRanges: readonly AgeSpecificRange[];
  /** A conflicting secondary diagnosis rejects the list or only warns. */
  secondaryDiagnosisConflict: 'reject' | 'warn';
  /** One 就诊ID settled again (same person, institution, dates) rejects the later list or only warns. */
  duplicateVisit: 'reject' | 'warn';
  /** Clause of each value, for explanations and the run record. */
  sources: Record<string, string>;
  policy: { id: string; version: string; file: string };
}

/** Load and resolve the qc policy in force on `date` (ISO; default: today). */
export function loadQcSettings(policyFile: string = DEFAULT_QC_POLICY, date?: string): QcSettings {
  const file = loadPolicyFile(policyFile, POLICY_KINDS);
  if (file.kind !== qcKind.kind) {
    throw new PolicyError(
      'POLICY_WRONG_KIND',
      policyFile,
      'kind',
      `质控需要 kind: qc 的政策文件，而该文件是 ${file.kind}`,
      `QC needs a policy file of kind qc; this one is ${file.kind}`,
      qcKind.example,
    );
  }
  if (date !== undefined && !isIsoDate(date)) {
    throw new PolicyError(
      'POLICY_BAD_DATE',
      '--as-of',
      'as-of',
      `--as-of 应为存在的日期 YYYY-MM-DD，而不是 "${date}"`,
      `--as-of must be a real date YYYY-MM-DD, not "${date}"`,
      '--as-of 2025-12-31',
    );
  }
  const on = date ?? new Date().toISOString().slice(0, 10);
  const r = resolveFile(file, qcKind, on);
  const v = r.values;
  // Optional values resolve only when the file gives them.
  const optional = v as unknown as Partial<Record<'ageToleranceYears' | 'nwbAgeToleranceDays', { value: number }>>;
  return {
    maxLosDays: v.maxLosDays.value,
    maxAgeYears: v.maxAgeYears.value,
    newbornWeightG: v.newbornWeightG.value,
    losToleranceDays: v.losToleranceDays.value,
    ...(optional.ageToleranceYears ? { ageToleranceYears: optional.ageToleranceYears.value } : {}),
    ...(optional.nwbAgeToleranceDays ? { nwbAgeToleranceDays: optional.nwbAgeToleranceDays.value } : {}),
    asOf: on,
    ...diagnosisTables(v.diagnosisTables.value, v.diagnosisTables.source),
    secondaryDiagnosisConflict: v.secondaryDiagnosisConflict.value,
    duplicateVisit: v.duplicateVisit.value,
    sources: Object.fromEntries(Object.entries(v).flatMap(([k, c]) => (c ? [[k, c.source]] : []))),
    policy: { id: r.id, version: r.version, file: policyFile },
  };
}

function diagnosisTables(
  t: ReturnType<typeof resolveFile<typeof qcKind>>['values']['diagnosisTables']['value'],
  source: string,
): { sexRanges: readonly SexSpecificRange[]; ageRanges: readonly AgeSpecificRange[] } {
  if (t.method === 'classification') return { sexRanges: SEX_SPECIFIC_RANGES, ageRanges: AGE_SPECIFIC_RANGES };
  return {
    sexRanges: t.sex.map((r) => ({ ...r, source })),
    ageRanges: t.age.map((r) => ({
      from: r.from,
      to: r.to,
      ...(r.minAgeYears !== undefined ? { minAgeYears: r.minAgeYears } : {}),
      ...(r.maxAgeYears !== undefined ? { maxAgeYears: r.maxAgeYears } : {}),
      zh: r.zh,
      en: r.en,
      source,
    })),
  };
}
