/**
 * The 入组条件 (entry condition) expressions of a scheme workbook: one short text per MDC, ADRG or input check,
 * terms joined by 且 ("and"), e.g. `主要诊断 且 主要手术`, `任一诊断 且 日龄<=28 且 出生体重>=1500 且 出生体重<2000`,
 * `主要诊断 且 手术组合(1+2|1+3+4)`. Each term is one `DrgTerm` of the pack; the vocabulary is in README.md.
 *
 * Terms that test a code list name it after a colon (`任一手术:手术1`); without a name the list is called like
 * the term (`主要诊断` reads the list 主要诊断). The lists themselves live in the ADRG入组条件 sheet; the caller
 * resolves names through `ExpressionScope`. Full-width forms (：＝≤≥（）｜＋＆) are accepted everywhere.
 */
import type { DrgCondition, DrgTerm } from '../pack-schema.ts';

/** Where an expression stands: an MDC row, an ADRG row or an input check. */
export interface ExpressionScope {
  kind: 'mdc' | 'adrg' | 'check';
  /** The codes of the ADRG's list with this name (ADRG scope only). */
  list?(name: string): readonly string[] | undefined;
  /** The trauma regions of the MDC's principal-diagnosis list (MDC scope only; from the 部位 column). */
  traumaRegions?(): Record<string, string[]> | undefined;
}

/** A malformed expression; the caller adds the sheet, row and column. */
export class ExpressionError extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
  ) {
    super(en);
  }
}

/** List-testing terms and the default list name of each (the term's own word). */
const LIST_TERMS = {
  主要诊断: 'principalDxIn',
  任一诊断: 'anyDxIn',
  主要手术: 'mainProcIn',
  任一手术: 'anyProcIn',
} as const;
type ListWord = keyof typeof LIST_TERMS;
type ListKind = (typeof LIST_TERMS)[ListWord];

const WORD_OF_KIND = Object.fromEntries(Object.entries(LIST_TERMS).map(([word, kind]) => [kind, word])) as Record<
  ListKind,
  ListWord
>;

const FLAG_TERMS: Record<string, DrgTerm> = {
  主要手术为手术室手术: { kind: 'mainProcIsOrProcedure' },
  无手术室手术: { kind: 'noOrProcedure' },
  无条件: { kind: 'always' },
  性别为空: { kind: 'sexEmpty' },
};

/** The list a procedure-category combination reads for category `k`. */
export const categoryListName = (k: string): string => `手术表${k}`;

const BOUNDS = [
  ['>=', 'gte'],
  ['<=', 'lte'],
  ['>', 'gt'],
  ['<', 'lt'],
  ['=', 'eq'],
] as const;
type BoundKey = (typeof BOUNDS)[number][1];

function normalise(text: string): string {
  return text
    .replace(/[：]/g, ':')
    .replace(/[＝]/g, '=')
    .replace(/≤/g, '<=')
    .replace(/≥/g, '>=')
    .replace(/[＜]/g, '<')
    .replace(/[＞]/g, '>')
    .replace(/[（]/g, '(')
    .replace(/[）]/g, ')')
    .replace(/[｜]/g, '|')
    .replace(/[＋]/g, '+')
    .replace(/[＆]/g, '&')
    .replace(/\s+/g, '');
}

function number(text: string, term: string): number {
  if (!/^\d+(\.\d+)?$/.test(text)) {
    throw new ExpressionError(`“${term}”中的数值无效：${text}`, `"${term}": not a number: ${text}`);
  }
  return Number(text);
}

/**
 * Parse an expression into a condition. Every 出生体重 comparison of one expression joins a single birth-weight
 * term (at the place of the first); a bound given twice is an error.
 */
export function parseCondition(text: string, scope: ExpressionScope): DrgCondition {
  const parts = normalise(text)
    .split(/且|&/)
    .filter((p) => p !== '');
  if (parts.length === 0) throw new ExpressionError('条件为空', 'the condition is empty');
  const all: DrgTerm[] = [];
  let weight: Extract<DrgTerm, { kind: 'birthWeightG' }> | undefined;
  for (const part of parts) {
    const w = /^出生体重(>=|<=|>|<|=)(.+)$/.exec(part);
    if (w) {
      const key: BoundKey = BOUNDS.find(([op]) => op === w[1])![1];
      if (!weight) {
        weight = { kind: 'birthWeightG' };
        all.push(weight);
      }
      if (weight[key] !== undefined) {
        throw new ExpressionError(`出生体重的“${w[1]}”写了两次`, `birth weight bound "${w[1]}" given twice`);
      }
      weight[key] = number(w[2]!, part);
      continue;
    }
    all.push(parseTerm(part, scope));
  }
  return { all };
}

function parseTerm(part: string, scope: ExpressionScope): DrgTerm {
  const flag = FLAG_TERMS[part];
  if (flag) return { ...flag };

  const list = /^(主要诊断|任一诊断|主要手术|任一手术)(?::(.+))?$/.exec(part);
  if (list) {
    const word = list[1] as ListWord;
    if (scope.kind === 'mdc' && word === '主要诊断' && list[2] === undefined) return { kind: 'principalDxInMdcList' };
    if (scope.kind !== 'adrg') {
      throw new ExpressionError(
        `“${part}”只能用于 ADRG 的入组条件（MDC 行只能写“主要诊断”，指 MDC 主诊表）`,
        `"${part}" is for ADRG conditions only (an MDC row may say 主要诊断, meaning its MDC主诊表 list)`,
      );
    }
    const name = list[2] ?? word;
    const codes = scope.list?.(name);
    if (!codes || codes.length === 0) {
      throw new ExpressionError(
        `ADRG入组条件表中没有名为“${name}”的列表`,
        `no list named "${name}" for this ADRG in the ADRG入组条件 sheet`,
      );
    }
    return { kind: LIST_TERMS[word], codes: [...codes] };
  }

  const sex = /^性别=(男|女|1|2)$/.exec(part);
  if (sex) return { kind: 'sexIs', sex: sex[1] === '男' || sex[1] === '1' ? '1' : '2' };

  const age = /^年龄=(.+)$/.exec(part);
  if (age) return { kind: 'ageYearsEq', value: number(age[1]!, part) };

  const days = /^日龄<=(.+)$/.exec(part);
  if (days) return { kind: 'ageDaysMax', value: number(days[1]!, part) };

  const trauma = /^创伤部位>=(\d+)$/.exec(part);
  if (trauma) {
    const regions = scope.kind === 'mdc' ? scope.traumaRegions?.() : undefined;
    if (!regions || Object.keys(regions).length === 0) {
      throw new ExpressionError(
        '“创伤部位”需要本 MDC 主诊表的“部位”列',
        '"创伤部位" needs the 部位 (body region) column of this MDC in the MDC主诊表 sheet',
      );
    }
    return { kind: 'minDistinctTraumaRegions', min: Number(trauma[1]), regions };
  }

  const combo = /^手术组合\((.+)\)$/.exec(part);
  if (combo) {
    if (scope.kind !== 'adrg') {
      throw new ExpressionError('“手术组合”只能用于 ADRG 的入组条件', '"手术组合" is for ADRG conditions only');
    }
    const anyOf = combo[1]!.split('|').map((alt) => alt.split('+'));
    if (anyOf.some((alt) => alt.some((k) => k === ''))) {
      throw new ExpressionError(
        `手术组合写法应如 手术组合(1+2|1+3+4)：${part}`,
        `write a combination like 手术组合(1+2|1+3+4): ${part}`,
      );
    }
    const categories: Record<string, string[]> = {};
    for (const k of [...new Set(anyOf.flat())].sort()) {
      const codes = scope.list?.(categoryListName(k));
      if (!codes || codes.length === 0) {
        throw new ExpressionError(
          `ADRG入组条件表中没有名为“${categoryListName(k)}”的列表`,
          `no list named "${categoryListName(k)}" for this ADRG in the ADRG入组条件 sheet`,
        );
      }
      categories[k] = [...codes];
    }
    return { kind: 'procCategoryCombination', categories, anyOf };
  }

  throw new ExpressionError(`无法识别的条件：${part}`, `unknown condition term: ${part}`);
}

/** A code list a formatted condition refers to, by the name the expression uses. */
export interface NamedList {
  name: string;
  codes: readonly string[];
}

/**
 * Format a condition as an expression, naming its code lists. A list term whose kind occurs once is named like
 * the term (主要诊断); when a kind occurs more than once its lists are numbered (任一手术1, 任一手术2).
 * Parsing the text with those lists gives the condition back.
 */
export function formatCondition(condition: DrgCondition): { text: string; lists: NamedList[] } {
  const lists: NamedList[] = [];
  const count = new Map<ListKind, number>();
  for (const t of condition.all)
    if (t.kind in WORD_OF_KIND) count.set(t.kind as ListKind, (count.get(t.kind as ListKind) ?? 0) + 1);
  const seen = new Map<ListKind, number>();
  const parts = condition.all.map((t) => {
    if (t.kind === 'principalDxIn' || t.kind === 'anyDxIn' || t.kind === 'mainProcIn' || t.kind === 'anyProcIn') {
      const word = WORD_OF_KIND[t.kind];
      const n = (seen.get(t.kind) ?? 0) + 1;
      seen.set(t.kind, n);
      const name = count.get(t.kind)! > 1 ? `${word}${n}` : word;
      lists.push({ name, codes: t.codes });
      return name === word ? word : `${word}:${name}`;
    }
    if (t.kind === 'procCategoryCombination') {
      for (const [k, codes] of Object.entries(t.categories)) lists.push({ name: categoryListName(k), codes });
    }
    return termText(t);
  });
  return { text: parts.join(' 且 '), lists };
}

/** The text of a term that reads no named list (list terms are written by `formatCondition`). */
function termText(t: DrgTerm): string {
  switch (t.kind) {
    case 'principalDxIn':
    case 'anyDxIn':
    case 'mainProcIn':
    case 'anyProcIn':
      return WORD_OF_KIND[t.kind];
    case 'principalDxInMdcList':
      return '主要诊断';
    case 'mainProcIsOrProcedure':
      return '主要手术为手术室手术';
    case 'noOrProcedure':
      return '无手术室手术';
    case 'always':
      return '无条件';
    case 'sexEmpty':
      return '性别为空';
    case 'sexIs':
      return `性别=${t.sex === '1' ? '男' : '女'}`;
    case 'ageYearsEq':
      return `年龄=${t.value}`;
    case 'ageDaysMax':
      return `日龄<=${t.value}`;
    case 'birthWeightG':
      return WEIGHT_ORDER.filter((key) => t[key] !== undefined)
        .map((key) => `出生体重${OP_OF_BOUND[key]}${t[key]}`)
        .join(' 且 ');
    case 'minDistinctTraumaRegions':
      return `创伤部位>=${t.min}`;
    case 'procCategoryCombination':
      return `手术组合(${t.anyOf.map((alt) => alt.join('+')).join('|')})`;
    default:
      throw new Error(`the workbook layout cannot write the rule term ${t.kind} yet`);
  }
}

/** The order bounds are written in (lower bounds first, as people read a band). */
const WEIGHT_ORDER: readonly BoundKey[] = ['gt', 'gte', 'lt', 'lte', 'eq'];
const OP_OF_BOUND = Object.fromEntries(BOUNDS.map(([op, key]) => [key, op])) as Record<BoundKey, string>;
