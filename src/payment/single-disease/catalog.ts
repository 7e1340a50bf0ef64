/**
 * Matching a case to the single-disease catalog (按病种付费病种目录) like a clinical pathway's inclusion criteria:
 * principal diagnosis and (when the entry names any) one of its procedures, in the same setting. R-PAY-DISEASE.
 *
 * 资府办函〔2018〕52号 二(六): "原则上对诊疗方案和出入院标准比较明确、诊疗技术成熟、质量可控且费用稳定的病种，实行按病种付费。……逐步
 * 将日间手术以及符合条件的中西医病种门诊治疗纳入按病种付费范围。"
 *
 * Stated precedence when several entries match (and only this): (1) a day-surgery entry the stay fits
 * (日间手术, stay ≤ its `maxLosDays`) before inpatient entries; (2) entries that require a procedure before
 * diagnosis-only entries. Entries still tied are an overlap: the case is reported `ungrouped` with the codes, and
 * `findCatalogOverlaps` lists such pairs up front — never a silent first match.
 */
import type { InpatientCase } from '../../model/case.ts';
import type { ResolvedValues } from '../../policy/kind.ts';
import type { singleDiseaseKind } from '../../policy/kinds/single-disease.ts';

export type SingleDiseasePolicy = ResolvedValues<typeof singleDiseaseKind>;
export type DiseaseEntry = SingleDiseasePolicy['catalog']['value'][number];

/** A settlement as the single-disease method sees it: an inpatient stay (default) or an outpatient encounter. */
export type DiseaseEncounter = InpatientCase & { setting?: 'inpatient' | 'outpatient' };

export type EntryMatch =
  | { kind: 'match'; entry: DiseaseEntry; rank: string }
  | { kind: 'none' }
  | { kind: 'overlap'; codes: string[] };

const starts = (code: string | undefined, prefixes: readonly string[]) =>
  code !== undefined && prefixes.some((p) => code.startsWith(p));

function rank(e: DiseaseEntry): number {
  return e.setting === 'day-surgery' ? 0 : e.procedures.length > 0 ? 1 : 2;
}
const RANK_NAME = ['day-surgery', 'procedure', 'diagnosis-only'];

/** Entries whose inclusion criteria the encounter meets (before precedence). */
export function candidates(c: DiseaseEncounter, catalog: readonly DiseaseEntry[]): DiseaseEntry[] {
  const setting = c.setting ?? 'inpatient';
  const dx = c.diagnoses[0]?.code;
  const procs = c.procedures.map((p) => p.code);
  return catalog.filter((e) => {
    if (setting === 'outpatient' ? e.setting !== 'outpatient' : e.setting === 'outpatient') return false;
    if (e.setting === 'day-surgery' && c.losDays > e.maxLosDays) return false;
    if (!starts(dx, e.diagnoses)) return false;
    return e.procedures.length === 0 || procs.some((p) => e.procedures.some((q) => p.startsWith(q)));
  });
}

export function matchEntry(c: DiseaseEncounter, catalog: readonly DiseaseEntry[]): EntryMatch {
  const found = candidates(c, catalog);
  if (found.length === 0) return { kind: 'none' };
  const best = Math.min(...found.map(rank));
  const top = found.filter((e) => rank(e) === best);
  if (top.length > 1) return { kind: 'overlap', codes: top.map((e) => e.code).sort() };
  return { kind: 'match', entry: top[0]!, rank: RANK_NAME[best]! };
}

const prefixesMeet = (a: readonly string[], b: readonly string[]) =>
  a.some((p) => b.some((q) => p.startsWith(q) || q.startsWith(p)));

/**
 * Pairs of entries a single case could meet at the same precedence: same setting group and rank, overlapping
 * diagnosis prefixes, and overlapping procedure prefixes (or both diagnosis-only).
 */
export function findCatalogOverlaps(catalog: readonly DiseaseEntry[]): { a: string; b: string }[] {
  const out: { a: string; b: string }[] = [];
  catalog.forEach((a, i) => {
    for (const b of catalog.slice(i + 1)) {
      if (a.setting !== b.setting || rank(a) !== rank(b)) continue;
      if (!prefixesMeet(a.diagnoses, b.diagnoses)) continue;
      if (a.procedures.length > 0 && !prefixesMeet(a.procedures, b.procedures)) continue;
      out.push({ a: a.code, b: b.code });
    }
  });
  return out;
}
