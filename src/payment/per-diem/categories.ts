/**
 * Which stays are paid per bed-day (按床日付费病种): the principal diagnosis falls in a category, the institution's
 * type is one the category names, and the stay is at least the category's minimum length. R-PAY-BEDDAY.
 *
 * 资府办函〔2018〕52号 二(八): "对精神病、安宁疗护、医疗康复等需要长期住院治疗且日均费用较稳定的疾病，可采取按床日付费的方式。"
 *
 * Two categories that both claim a diagnosis have no stated precedence: the stay is reported `ungrouped` with the
 * overlap, never resolved by the order of the list, and `findCategoryOverlaps` reports such pairs up front.
 */
import type { InpatientCase } from '../../model/case.ts';
import { INSTITUTION_TYPE, wordOfCode } from '../../model/code-words.ts';
import type { Institution } from '../../model/institution.ts';
import type { ResolvedValues } from '../../policy/kind.ts';
import type { perDiemKind } from '../../policy/kinds/per-diem.ts';

export type PerDiemPolicy = ResolvedValues<typeof perDiemKind>;
export type PerDiemCategory = PerDiemPolicy['categories']['value'][number];

export type CategoryMatch =
  | { kind: 'match'; category: PerDiemCategory }
  | { kind: 'none'; reasonZh: string; reasonEn: string }
  | { kind: 'overlap'; codes: string[] };

export function matchCategory(
  c: Pick<InpatientCase, 'diagnoses' | 'losDays'>,
  institution: Institution | undefined,
  categories: readonly PerDiemCategory[],
): CategoryMatch {
  const dx = c.diagnoses[0]?.code;
  if (!dx) return { kind: 'none', reasonZh: '无主要诊断', reasonEn: 'no principal diagnosis' };
  if (!institution) return { kind: 'none', reasonZh: '机构不在机构名单中', reasonEn: 'institution not in the list' };
  const byDx = categories.filter((k) => k.diagnosisPrefixes.some((p) => dx.startsWith(p)));
  const fits = byDx.filter((k) => k.institutionTypes.includes(institution.type) && c.losDays >= k.minLosDays);
  if (fits.length === 1) return { kind: 'match', category: fits[0]! };
  if (fits.length > 1) return { kind: 'overlap', codes: fits.map((k) => k.code).sort() };
  if (byDx.length === 0)
    return {
      kind: 'none',
      reasonZh: `主要诊断 ${dx} 不属按床日付费病种`,
      reasonEn: `principal diagnosis ${dx} is in no per-diem category`,
    };
  return {
    kind: 'none',
    reasonZh: `机构类型 ${wordOfCode(INSTITUTION_TYPE, institution.type, 'zh')} 或住院 ${c.losDays} 天不符合按床日付费条件`,
    reasonEn: `institution type ${wordOfCode(INSTITUTION_TYPE, institution.type, 'en')} or a stay of ${c.losDays} days does not qualify`,
  };
}

/**
 * Whether `matchCategory` would find a category or an overlap (not `none`) — the stays a per-diem pass evaluates —,
 * without building a match or a reason.
 */
export function mayMatchCategory(
  c: Pick<InpatientCase, 'diagnoses' | 'losDays'>,
  institution: Institution | undefined,
  categories: readonly PerDiemCategory[],
): boolean {
  const dx = c.diagnoses[0]?.code;
  if (!dx || !institution) return false;
  for (const k of categories) {
    if (c.losDays < k.minLosDays || !k.institutionTypes.includes(institution.type)) continue;
    for (const p of k.diagnosisPrefixes) if (dx.startsWith(p)) return true;
  }
  return false;
}

/**
 * The categories one of whose diagnosis prefixes starts the principal diagnosis `dx` (none without one), in policy
 * order: what `mayMatchCategory` reads of the diagnoses, computed once per distinct diagnosis list by a columnar
 * reader (the codes are interned), which then asks `mayTakeStay` per row.
 */
export function categoriesClaiming(
  dx: string | undefined,
  categories: readonly PerDiemCategory[],
): readonly PerDiemCategory[] {
  if (!dx) return NONE;
  const out = categories.filter((k) => k.diagnosisPrefixes.some((p) => dx.startsWith(p)));
  return out.length > 0 ? out : NONE;
}

const NONE: readonly PerDiemCategory[] = Object.freeze([]);

/**
 * `mayMatchCategory` of a stay whose principal diagnosis the categories `claiming` claim (`categoriesClaiming`):
 * one of them takes the institution's type and the stay's length.
 */
export function mayTakeStay(
  claiming: readonly PerDiemCategory[],
  losDays: number,
  institution: Institution | undefined,
): boolean {
  if (claiming.length === 0 || !institution) return false;
  for (const k of claiming) if (losDays >= k.minLosDays && k.institutionTypes.includes(institution.type)) return true;
  return false;
}

/** Pairs of categories whose diagnosis prefixes overlap for a shared institution type. */
export function findCategoryOverlaps(
  categories: readonly PerDiemCategory[],
): { a: string; b: string; prefix: string }[] {
  const out: { a: string; b: string; prefix: string }[] = [];
  categories.forEach((a, i) => {
    for (const b of categories.slice(i + 1)) {
      if (!a.institutionTypes.some((t) => b.institutionTypes.includes(t))) continue;
      for (const pa of a.diagnosisPrefixes) {
        for (const pb of b.diagnosisPrefixes) {
          if (pa.startsWith(pb) || pb.startsWith(pa))
            out.push({ a: a.code, b: b.code, prefix: pa.length >= pb.length ? pa : pb });
        }
      }
    }
  });
  return out;
}

/**
 * Why a stay whose principal diagnosis a per-diem category claims is not paid per bed-day (R-PAY-BEDDAY, 资府办函
 * 〔2018〕52号 二(八)): each claiming category with the condition the stay fails — the institution's type is not one
 * the category names, or the stay is shorter than its minimum — in words. A region-year run sends such a stay to the
 * case method (DIP/DRG) and its explanation read as a plain DIP case (a 14-day rehabilitation stay, the minimum 15).
 * Undefined when no category claims the diagnosis, or one takes the stay (or several: an overlap, reported apart).
 */
export function perDiemMiss(
  c: Pick<InpatientCase, 'diagnoses' | 'losDays'>,
  institution: Institution | undefined,
  categories: readonly PerDiemCategory[],
): { zh: string; en: string } | undefined {
  const dx = c.diagnoses[0]?.code;
  if (!dx || !institution) return undefined;
  const claiming = categoriesClaiming(dx, categories);
  if (claiming.length === 0 || matchCategory(c, institution, categories).kind !== 'none') return undefined;
  const type = {
    zh: wordOfCode(INSTITUTION_TYPE, institution.type, 'zh'),
    en: wordOfCode(INSTITUTION_TYPE, institution.type, 'en'),
  };
  const why = claiming.map((k) => {
    const name = { zh: k.zh, en: k.en ?? k.zh };
    if (!k.institutionTypes.includes(institution.type))
      return {
        zh: `${name.zh}（${k.code}）不含机构类型${type.zh}`,
        en: `${name.en} (${k.code}) is not paid at a ${type.en}`,
      };
    return {
      zh: `${name.zh}（${k.code}）须住院至少 ${k.minLosDays} 天，本次 ${c.losDays} 天`,
      en: `${name.en} (${k.code}) needs a stay of at least ${k.minLosDays} days, this one ${c.losDays}`,
    };
  });
  return {
    zh: `主要诊断 ${dx} 属按床日付费病种，但${why.map((w) => w.zh).join('；')}：不按床日付费`,
    en: `principal diagnosis ${dx} is in a per-diem category, but ${why.map((w) => w.en).join('; ')}: not paid per bed-day`,
  };
}
