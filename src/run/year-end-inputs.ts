/**
 * The year-end inputs of a settlement year (年度清算输入): audit deductions (审核扣款), assessment coefficients (考核系数)
 * and special-review decisions (特例单议结果), as the ingest stored them (src/ingest/kinds/year-end.ts). `settle` reads
 * them from the store for its year; the run's inputs name them by a hash of the stored rows, so a run says exactly
 * which year-end inputs it applied. `settle --year-end DIR` ingests a folder's files first, through the same ingest
 * (same QC, rejects file, counts) as `yibao ingest KIND FILE`. (R-DIP-6, R-DIP-3)
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { IngestKind } from '../ingest/kinds/index.ts';
import { SPECIAL_REVIEW_DECISIONS, SPECIAL_REVIEW_PAYMENTS } from '../ingest/kinds/year-end.ts';
import { type IngestReport, ingestFile } from '../ingest/pipeline.ts';
import type { QcSettings } from '../ingest/qc/settings.ts';
import { parseDecimal } from '../model/money.ts';
import type { SpecialReviewDecision } from '../payment/dip/index.ts';
import type { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import type { RunInput, Store, StoredYearEndInputs } from '../store/store.ts';
import type { YearEndInputs } from './settle-region-year.ts';

export type YearEndKind = Extract<IngestKind, 'deductions' | 'assessments' | 'special-review'>;

/** The files of a year-end folder (`settle --year-end DIR`), each optional. */
export const YEAR_END_FILES: Readonly<Record<YearEndKind, string>> = {
  deductions: 'deductions.csv',
  assessments: 'assessments.csv',
  'special-review': 'special-review.csv',
};

/** Points of a panel decision (exact decimal text, at most four decimals: the ingest checked) in 1/10000 points. */
function pointsOf(text: string): number {
  const p = parseDecimal(text);
  const scaled = p.num * 10_000n;
  if (scaled % p.den !== 0n) throw new RangeError(`special-review points ${text} have more than four decimals`);
  return Number(scaled / p.den);
}

/** A stored decision in the engine's terms (通过/approved → approved; 按项目/items, 按点数/points). */
export function specialReviewDecision(r: StoredYearEndInputs['specialReviews'][number]): SpecialReviewDecision {
  const approved = SPECIAL_REVIEW_DECISIONS[r.decision];
  if (approved === undefined) throw new RangeError(`special-review decision "${r.decision}" is not a known value`);
  if (!approved) return { setlId: r.setlId, approved: false, source: r.source };
  const kind = r.payment === null ? undefined : SPECIAL_REVIEW_PAYMENTS[r.payment];
  if (kind === 'points' && r.points !== null)
    return {
      setlId: r.setlId,
      approved: true,
      payment: { kind: 'points', points: pointsOf(r.points) },
      source: r.source,
    };
  if (kind === 'items') return { setlId: r.setlId, approved: true, payment: { kind: 'items' }, source: r.source };
  throw new RangeError(`special-review decision of ${r.setlId} is approved without a payment`);
}

const digest = (rows: readonly unknown[]) => createHash('sha256').update(JSON.stringify(rows)).digest('hex');

/**
 * The year-end inputs of `year` from the store, with one run input per kind that has rows: `store:year-end/KIND/YEAR`,
 * the SHA-256 of the stored rows (in the reader's order) and the row count.
 */
export async function storedYearEndInputs(store: Store, year: number): Promise<YearEndInputs> {
  const s = await store.readYearEndInputs(year);
  const files: RunInput[] = [];
  const input = (kind: YearEndKind, rows: readonly unknown[]) => {
    if (rows.length > 0)
      files.push({
        path: `store:year-end/${kind}/${year}`,
        sha256: digest(rows),
        bytes: rows.length,
        role: `year-end ${kind}`,
      });
  };
  input('deductions', s.deductions);
  input('assessments', s.assessments);
  input('special-review', s.specialReviews);
  return {
    deductions: s.deductions,
    assessments: s.assessments.map((a) => ({
      institutionCode: a.institutionCode,
      coefficient: parseDecimal(a.coefficient),
      source: a.source,
    })),
    decisions: s.specialReviews.map(specialReviewDecision),
    files,
  };
}

export interface YearEndIngest {
  kind: YearEndKind;
  report: IngestReport;
}

/**
 * Ingest the year-end files of `dir` (those present) into the store, as `yibao ingest KIND FILE` would; an
 * assessments file without a year column takes `year`. Rejected rows go to `rejectsDir/<file>.rejects.csv`. With
 * `replace`, a corrected row replaces the stored one (`ingest --replace`).
 */
export async function ingestYearEndDir(
  store: DuckDbStore,
  dir: string,
  year: number,
  o: { rejectsDir: string; qc?: QcSettings; replace?: boolean; lang?: 'zh' | 'en' },
): Promise<YearEndIngest[]> {
  const out: YearEndIngest[] = [];
  for (const [kind, name] of Object.entries(YEAR_END_FILES) as [YearEndKind, string][]) {
    const file = join(dir, name);
    if (!existsSync(file)) continue;
    const report = await ingestFile(store, {
      kind,
      file,
      rejectsFile: join(o.rejectsDir, `${basename(file)}.rejects.csv`),
      ...(kind === 'assessments' ? { defaults: { year: String(year) } } : {}),
      ...(o.qc ? { qc: o.qc } : {}),
      ...(o.replace ? { replace: true } : {}),
      ...(o.lang ? { lang: o.lang } : {}),
    });
    out.push({ kind, report });
  }
  return out;
}

/** A special-review decision the run did not apply, and why. */
export interface UnappliedDecision {
  setlId: string;
  approved: boolean;
  /** `missing`: the run has no such case; `not-queued`: the case was not a special-review candidate. */
  reason: 'missing' | 'not-queued';
  /** The case's status in the run (not-queued). */
  status?: string;
}

/**
 * The year's special-review decisions (特例单议结果) that a stored run did not apply: an approved decision applies
 * only to a case the run queued for special review (cost above the policy's bound, within the cap); a rejected
 * one leaves a high-cost case as it is. A decision for any other case is ignored by the engine (002 四(二): only
 * queued cases are reviewed), so `settle` says so instead of staying silent. (R-DIP-3)
 */
export async function unappliedDecisions(
  store: Pick<Store, 'readYearEndInputs' | 'runResults'>,
  runId: string,
  year: number,
): Promise<UnappliedDecision[]> {
  const { specialReviews } = await store.readYearEndInputs(year);
  if (specialReviews.length === 0) return [];
  const reader = store.runResults(runId);
  const out: UnappliedDecision[] = [];
  for (const r of specialReviews) {
    const d = specialReviewDecision(r);
    const unit = await reader.unit(r.setlId);
    if (!unit) out.push({ setlId: r.setlId, approved: d.approved, reason: 'missing' });
    else if (unit.status !== 'special-review' && !(unit.status === 'high-cost' && !d.approved))
      out.push({ setlId: r.setlId, approved: d.approved, reason: 'not-queued', status: unit.status });
  }
  return out;
}
