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
import type { SettledCase } from '../../model/case.ts';
import type { ResolvedValues } from '../../policy/kind.ts';
import type { singleDiseaseKind } from '../../policy/kinds/single-disease.ts';
import { pushTo } from '../common/index-by.ts';

export type SingleDiseasePolicy = ResolvedValues<typeof singleDiseaseKind>;
export type DiseaseEntry = SingleDiseasePolicy['catalog']['value'][number];

/** A settlement as the single-disease method sees it: an inpatient stay (default) or an outpatient encounter. */
export type DiseaseEncounter = SettledCase & { setting?: 'inpatient' | 'outpatient' };

/** What the inclusion criteria read of an encounter (a row of typed columns will do). */
export type EntryProbe = Pick<DiseaseEncounter, 'diagnoses' | 'procedures' | 'losDays' | 'setting'>;

export type EntryMatch =
  | { kind: 'match'; entry: DiseaseEntry; rank: string }
  | { kind: 'none' }
  | { kind: 'overlap'; codes: string[] };

function rank(e: DiseaseEntry): number {
  return e.setting === 'day-surgery' ? 0 : e.procedures.length > 0 ? 1 : 2;
}
const RANK_NAME = ['day-surgery', 'procedure', 'diagnosis-only'];

/**
 * The catalog indexed by diagnosis prefix: the entries whose prefixes could meet a principal diagnosis are found by
 * looking up each leading part of the code (a few map lookups), not by scanning the catalog for every case.
 */
interface CatalogIndex {
  /** Entry positions by each of their diagnosis prefixes. */
  byPrefix: Map<string, number[]>;
  longest: number;
}

const indexes = new WeakMap<readonly DiseaseEntry[], CatalogIndex>();

function indexOf(catalog: readonly DiseaseEntry[]): CatalogIndex {
  let ix = indexes.get(catalog);
  if (ix) return ix;
  ix = { byPrefix: new Map(), longest: 0 };
  catalog.forEach((e, k) => {
    for (const p of new Set(e.diagnoses)) {
      pushTo(ix!.byPrefix, p, k);
      if (p.length > ix!.longest) ix!.longest = p.length;
    }
  });
  indexes.set(catalog, ix);
  return ix;
}

/** Positions (in catalog order) of the entries one of whose diagnosis prefixes starts `dx`. */
function entriesByDiagnosis(dx: string | undefined, catalog: readonly DiseaseEntry[]): number[] {
  if (dx === undefined) return [];
  const ix = indexOf(catalog);
  let found: number[] | undefined;
  let shared = true;
  for (let n = Math.min(dx.length, ix.longest); n >= 1; n--) {
    const at = ix.byPrefix.get(dx.slice(0, n));
    if (!at) continue;
    if (!found) found = at;
    else {
      if (shared) {
        found = [...found];
        shared = false;
      }
      for (const k of at) if (!found.includes(k)) found.push(k);
    }
  }
  if (!found) return [];
  return shared ? found : found.sort((a, b) => a - b);
}

function meetsCriteria(c: EntryProbe, e: DiseaseEntry): boolean {
  const setting = c.setting ?? 'inpatient';
  if (setting === 'outpatient' ? e.setting !== 'outpatient' : e.setting === 'outpatient') return false;
  if (e.setting === 'day-surgery' && c.losDays > e.maxLosDays) return false;
  return e.procedures.length === 0 || c.procedures.some((p) => e.procedures.some((q) => p.code.startsWith(q)));
}

/** Entries whose inclusion criteria the encounter meets (before precedence), in catalog order. */
export function candidates(c: DiseaseEncounter, catalog: readonly DiseaseEntry[]): DiseaseEntry[] {
  const out: DiseaseEntry[] = [];
  for (const k of entriesByDiagnosis(c.diagnoses[0]?.code, catalog)) {
    const e = catalog[k]!;
    if (meetsCriteria(c, e)) out.push(e);
  }
  return out;
}

/** Whether the encounter meets any entry's inclusion criteria (`matchEntry` is not `none`), without building one. */
export function meetsAnyEntry(c: EntryProbe, catalog: readonly DiseaseEntry[]): boolean {
  for (const k of entriesByDiagnosis(c.diagnoses[0]?.code, catalog)) if (meetsCriteria(c, catalog[k]!)) return true;
  return false;
}

/**
 * The entries one of whose diagnosis prefixes starts the principal diagnosis `dx`, in catalog order: what
 * `meetsAnyEntry` reads of the diagnoses, computed once per distinct diagnosis list by a columnar reader (the codes
 * are interned), which then asks `meetsAnyOf` only for the rows with some.
 */
export function entriesClaiming(dx: string | undefined, catalog: readonly DiseaseEntry[]): readonly DiseaseEntry[] {
  const at = entriesByDiagnosis(dx, catalog);
  return at.length === 0 ? NO_ENTRIES : at.map((k) => catalog[k]!);
}

const NO_ENTRIES: readonly DiseaseEntry[] = Object.freeze([]);

/** `meetsAnyEntry` of an encounter whose principal diagnosis the entries `claiming` claim (`entriesClaiming`). */
export function meetsAnyOf(claiming: readonly DiseaseEntry[], c: EntryProbe): boolean {
  for (const e of claiming) if (meetsCriteria(c, e)) return true;
  return false;
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
