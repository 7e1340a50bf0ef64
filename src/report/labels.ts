/**
 * Words for the enum values and codes that reach a reader (glossary.md): a unit's status, payment method, the
 * year-end point-value rule, a DIP comprehensive group's treatment type, a DIP match step and deviation, an
 * insurance type. In zh output no English enum word appears; in en output no Chinese label. Codes stay codes: a
 * comprehensive group `C34#conservative` reads `C34 综合病种（保守治疗）`. Pure.
 */
import { TREATMENT_WORDS, TREATMENT_ZH, type TreatmentType } from '../grouping/dip/treatment.ts';
import { type InstitutionLevel, LEVEL_EN, LEVEL_ZH } from '../model/institution.ts';
import { METHOD_EN, METHOD_ZH, STATUS_EN, STATUS_ZH } from '../model/method-names.ts';
import type { MethodId, UnitResult } from '../model/unit-result.ts';
import type { PointValueRule } from '../settlement/rules.ts';

type Lang = 'zh' | 'en';
type Words = Record<string, [zh: string, en: string]>;

/**
 * 病例结算金额 (R-DIP-6): a case's share of its institution's points × year-end point value + fixed amounts, split to
 * the fen — in medical-cost terms, before the fund payment ratio, so not what the fund pays for the case (that is
 * × 基金支付比例, the year-end statement's 年度应付). Its header says so wherever it is shown: the per-case sheet and
 * CSV, the API's tables and the workbench (web/src/i18n.ts keeps the same words). The stored column id stays `settled`.
 */
export const SETTLED_AMOUNT: readonly [zh: string, en: string] = [
  '病例结算金额（点数×年度点值或定额金额，未乘基金支付比例）',
  'settled amount (points × year-end point value, or the fixed amount; before the fund payment ratio)',
];

const RULE: Record<PointValueRule['kind'], [zh: string, en: string]> = {
  floating: ['浮动点值', 'floating'],
  fixed: ['固定点值', 'fixed'],
  elastic: ['弹性点值', 'elastic'],
};

/** glossary.md "Cases and groups": comprehensive-group treatment types. */
const TREATMENT: Words = TREATMENT_WORDS;

const MATCH: Words = {
  exact: ['核心病种（完全匹配）', 'core group (exact)'],
  'most-shared': ['核心病种（操作最多相同）', 'core group (most shared procedures)'],
  'main-procedure': ['核心病种（主要手术操作相同）', 'core group (same main procedure)'],
  comprehensive: ['综合病种', 'comprehensive group'],
  none: ['未入组', 'ungrouped'],
};

/** Marks on a DIP catalog group (src/payment/dip/calibrate.ts step 11), shown in the 标记 column. */
const CATALOG_FLAG: Words = {
  'high-cv': ['变异系数高于预警值', 'CV above the warning value'],
  'primary-care-high-cv': ['基层病种变异系数偏高', 'primary-care group with a high CV'],
  'low-volume': ['病例数低于核心病种临界值', 'fewer cases than the core-group threshold'],
};

const DEVIATION: Words = {
  none: ['正常病例', 'normal case'],
  low: ['低倍率病例', 'low-cost case'],
  high: ['高倍率病例', 'high-cost case'],
  'special-review': ['特例单议', 'special review'],
};

const FUND: Words = { employee: ['职工医保', 'employee insurance'], resident: ['居民医保', 'resident insurance'] };

const pick = (w: [string, string] | undefined, v: string, lang: Lang) => (w ? w[lang === 'zh' ? 0 : 1] : v);

/** A unit status in the reader's language; an unknown value is shown as it is. */
export function statusLabel(status: string, lang: Lang): string {
  const s = status as UnitResult['status'];
  return (lang === 'zh' ? STATUS_ZH : STATUS_EN)[s] ?? status;
}

/** `n` with the English noun in the singular for 1 (`1 case`, `2 cases`). */
export function countOf(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * A count of units of one status: zh `高倍率病例 28`; en the count first, the noun in the singular for one
 * (`28 high-cost cases`, `1 high-cost case`, `2 cases for special review`; it read "high-cost case 28").
 */
export function statusCountText(status: string, n: number, lang: Lang): string {
  if (lang === 'zh') return `${statusLabel(status, 'zh')} ${n}`;
  if (status === 'special-review') return `${n} ${n === 1 ? 'case' : 'cases'} for special review`;
  const label = statusLabel(status, 'en');
  return `${n} ${n !== 1 && label.endsWith(' case') ? `${label}s` : label}`;
}

/** A payment method (`dip`, `per-diem`, …) in the reader's language. */
export function methodLabel(method: string, lang: Lang): string {
  const m = method as MethodId;
  return (lang === 'zh' ? METHOD_ZH : METHOD_EN)[m] ?? method;
}

/** A point-value rule (`floating`, `fixed`, `elastic`) in the reader's language. */
export function pointValueRuleLabel(rule: string, lang: Lang): string {
  return pick(RULE[rule as PointValueRule['kind']], rule, lang);
}

/** A comprehensive group's treatment type (`surgery`, `conservative`, …). */
export function treatmentLabel(t: string, lang: Lang): string {
  return pick(TREATMENT[t], t, lang);
}

/** How a DIP case found its group (`exact`, `most-shared`, `main-procedure`, `comprehensive`, `none`). */
export function matchLabel(m: string, lang: Lang): string {
  return pick(MATCH[m], m, lang);
}

/**
 * A DIP catalog group's marks (`high-cv primary-care-high-cv`, space-separated as stored) in the reader's words; the
 * zh catalog sheet showed `high-cv`. An unknown mark stays as it is.
 */
export function catalogFlagsLabel(flags: string, lang: Lang): string {
  return flags
    .split(' ')
    .filter((f) => f !== '')
    .map((f) => pick(CATALOG_FLAG[f], f, lang))
    .join(lang === 'zh' ? '；' : '; ');
}

/** A DIP deviation (`none`, `low`, `high`, `special-review`). */
export function deviationLabel(d: string, lang: Lang): string {
  return pick(DEVIATION[d], d, lang);
}

/** An institution level (`3`, `2`, `1`, `primary`). */
export function levelLabel(level: string, lang: Lang): string {
  return (lang === 'zh' ? LEVEL_ZH : LEVEL_EN)[level as InstitutionLevel] ?? level;
}

/** An insurance type (`employee`, `resident`). */
export function fundLabel(f: string, lang: Lang): string {
  return pick(FUND[f], f, lang);
}

/** The family-doctor contract's group and head-id segment (src/payment/capitation/family-doctor.ts). */
const FAMILY_DOCTOR = 'family-doctor';
const FAMILY_DOCTOR_WORDS: [string, string] = ['家庭医生签约', 'family-doctor contract'];

/** A capitation head `person/disease/from` as a reader sees it: a family-doctor contract's middle part in words. */
export function headLabel(id: string, lang: Lang): string {
  return lang === 'zh' ? id.replace(`/${FAMILY_DOCTOR}/`, `/${FAMILY_DOCTOR_WORDS[0]}/`) : id;
}

/**
 * A group code as a reader sees it (the family-doctor contract's group `family-doctor` as 家庭医生签约): a DIP comprehensive group `C34#conservative` → `C34 综合病种（保守治疗）` /
 * `C34 comprehensive (conservative)`; a DIP core group `J15.9|87.4101` (diagnosis | procedures joined by +) by its
 * codes with their names from the code lists when `names` holds them (`J15.9 细菌性肺炎 + 87.4101 …`), and one without
 * a procedure saying so (`J18.9 肺炎（无手术操作）` / `J18.9 肺炎 (no procedure)`; it read `J18.9|`); any other code
 * (DRG, category) as it is.
 */
export function groupLabel(code: string, lang: Lang, names?: ReadonlyMap<string, string>): string {
  if (code === FAMILY_DOCTOR) return pick(FAMILY_DOCTOR_WORDS, code, lang);
  const core = /^([^|#]+)\|([^|#]*)$/.exec(code);
  if (core) {
    const named = (c: string) => (names?.get(c) ? `${c} ${names.get(c)}` : c);
    const procedures = core[2]!.split('+').filter((p) => p !== '');
    const dx = named(core[1]!);
    if (procedures.length > 0) return `${dx} + ${procedures.map(named).join(' + ')}`;
    return lang === 'zh' ? `${dx}（无手术操作）` : `${dx} (no procedure)`;
  }
  const m = /^([^#]+)#([a-z-]+)$/.exec(code);
  if (!m || !TREATMENT[m[2]!]) return code;
  return lang === 'zh'
    ? `${m[1]} 综合病种（${treatmentLabel(m[2]!, lang)}）`
    : `${m[1]} comprehensive (${treatmentLabel(m[2]!, lang)})`;
}

/** Replace every comprehensive-group code `X#treatment` inside a text (explanations, reasons). */
export function groupCodesIn(text: string, lang: Lang): string {
  return text.replace(/\b([A-Z][0-9A-Z.]*)#(surgery|therapeutic|diagnostic|conservative)\b/g, (_m, dx: string, t) =>
    groupLabel(`${dx}#${t}`, lang),
  );
}

/** glossary.md: the kinds of auxiliary subtypes (辅助目录) — age band, ICU days, comorbidity (CCI), death. */
const AUX_KIND: Words = {
  age: ['年龄', 'age'],
  icu: ['ICU 天数', 'ICU days'],
  cci: ['CCI', 'CCI'],
};

/**
 * A catalog's or a case's auxiliary subtypes as a reader sees them: `age:I1=1.2132 death=1.1125 icu:U14=2.6754` →
 * `年龄 I1=1.2132 死亡病例=1.1125 ICU 天数 U14=2.6754` (the band codes are the policy's own); several separated by `；`
 * in zh. Unknown tokens stay as they are.
 */
export function auxiliaryLabel(text: string, lang: Lang): string {
  const tokens = text.split(/\s+/).filter((x) => x !== '');
  const words = tokens.map((tok) => {
    const m = /^(death|([a-z]+):([^=\s]+))(=.*)?$/.exec(tok);
    if (!m) return tok;
    const coefficient = m[4] ?? '';
    if (m[1] === 'death') return `${lang === 'zh' ? '死亡病例' : 'death'}${coefficient}`;
    const kind = AUX_KIND[m[2]!];
    return kind ? `${pick(kind, m[2]!, lang)} ${m[3]}${coefficient}` : tok;
  });
  return words.join(lang === 'zh' ? '；' : '; ');
}

/**
 * A DIP group's type as an explanation states it in Chinese (`核心病种`, `综合病种（保守治疗）`), in the reader's
 * language: `core group`, `comprehensive group (conservative treatment)`. Other values stay as they are.
 */
export function groupKindLabel(v: string, lang: Lang): string {
  if (lang === 'zh') return v;
  if (v === '核心病种') return 'core group';
  const m = /^综合病种（(.+)）$/.exec(v);
  if (!m) return v;
  // The treatment in its short word (保守治疗) or as the specification names the group (内科诊疗组, 相关手术组…).
  const id = Object.keys(TREATMENT).find((k) => TREATMENT[k]![0] === m[1] || TREATMENT_ZH[k as TreatmentType] === m[1]);
  return `comprehensive group (${id ? TREATMENT[id]![1] : m[1]})`;
}

/** A core group's procedures as an explanation states them: `保守治疗` (none) → `none (conservative)` in en. */
export function groupProceduresLabel(v: string, lang: Lang): string {
  return lang === 'en' && v === '保守治疗' ? 'none (conservative)' : v;
}
