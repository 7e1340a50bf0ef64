/**
 * The year-end inputs of a region-year read from a folder (the run's edge): `deductions.csv` (审核扣款),
 * `assessments.csv` (考核系数) and `special-review.csv` (特例单议结果), each optional. Every row is accepted or
 * rejected with its file, row, field and reason; the files are hashed into the settlement run's inputs, so a run
 * names the exact year-end inputs it applied. (R-DIP-6, R-DIP-3)
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  parseAssessments,
  parseDeductions,
  parseSpecialReview,
  type YearEndKind,
  type YearEndParse,
  type YearEndReject,
} from '../ingest/year-end.ts';
import type { RunInput, Store } from '../store/store.ts';
import type { YearEndInputs } from './settle-region-year.ts';

export const YEAR_END_FILES: Record<YearEndKind, string> = {
  deductions: 'deductions.csv',
  assessments: 'assessments.csv',
  'special-review': 'special-review.csv',
};

export interface YearEndRead {
  inputs: YearEndInputs;
  /** Rows read and accepted per kind present. */
  counts: Partial<Record<YearEndKind, { read: number; accepted: number }>>;
  rejected: (YearEndReject & { file: string })[];
}

/** Read the year-end folder `dir` for `year`: institutions must be known to the store. */
export async function readYearEndInputs(store: Store, dir: string, year: number): Promise<YearEndRead> {
  const institutions = new Set((await store.readInstitutions()).map((i) => i.code));
  const ctx = { year, institutions };
  const files: RunInput[] = [];
  const rejected: YearEndRead['rejected'] = [];
  const counts: YearEndRead['counts'] = {};
  const inputs: YearEndInputs = {};
  const read = <T>(kind: YearEndKind, parse: (text: string) => YearEndParse<T>): T[] | undefined => {
    const path = join(dir, YEAR_END_FILES[kind]);
    if (!existsSync(path)) return undefined;
    const bytes = readFileSync(path);
    files.push({
      path,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      bytes: bytes.length,
      role: `year-end ${kind}`,
    });
    const r = parse(bytes.toString('utf8'));
    counts[kind] = { read: r.read, accepted: r.accepted.length };
    for (const x of r.rejected) rejected.push({ ...x, file: path });
    return r.accepted;
  };
  const deductions = read('deductions', (t) => parseDeductions(t, ctx));
  const assessments = read('assessments', (t) => parseAssessments(t, ctx));
  const decisions = read('special-review', parseSpecialReview);
  if (deductions) inputs.deductions = deductions;
  if (assessments) inputs.assessments = assessments;
  if (decisions) inputs.decisions = decisions;
  inputs.files = files;
  return { inputs, counts, rejected };
}
