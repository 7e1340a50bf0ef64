/**
 * The 入组条件 (entry condition) expressions of a scheme workbook: one short text per MDC, ADRG or input check,
 * terms joined by 且 ("and"), e.g. `主要诊断 且 主要手术`, `任一诊断 且 日龄<=28 且 出生体重>=1500 且 出生体重<2000`,
 * `主要诊断 且 手术组合(1+2|1+3+4)`, and alternatives in brackets joined by 或 ("or"), nested as needed:
 * `(主要诊断 且 主要手术) 或 (任一手术:任一手术1 且 任一手术:任一手术2)`. Each term is one `DrgTerm` of the pack;
 * a bracketed 或 group is one `anyOf` term. The vocabulary is in README.md.
 *
 * Terms that test a code list name it after a colon (`任一手术:手术1`); without a name the list is called like
 * the term (`主要诊断` reads the list 主要诊断). ADRG lists live in the ADRG入组条件 sheet, MDC-row and input-check
 * lists in the 条件编码表 sheet; the caller resolves names through `ExpressionScope`. Full-width forms
 * (：＝≤≥≠（）｜＋＆) are accepted everywhere.
 */
import type { DrgCondition, DrgTerm } from '../pack-schema.ts';

/** Where an expression stands: an MDC row, an ADRG row or an input check. */
export interface ExpressionScope {
  kind: 'mdc' | 'adrg' | 'check';
  /** The codes of the list with this name (the ADRG's, the MDC's or the input check's own lists). */
  list?(name: string): readonly string[] | undefined;
  /**
   * Trauma regions (MDC scope only): without a name, the 部位 column of the MDC's principal-diagnosis list; with
   * one, the 部位 column of the MDC's list of that name.
   */
  traumaRegions?(name?: string): Record<string, string[]> | undefined;
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
  其他诊断: 'secondaryDxIn',
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
  性别无效: { kind: 'sexInvalid' },
  无诊断: { kind: 'noDiagnosis' },
  有主要手术: { kind: 'hasMainProc' },
  无主要手术: { kind: 'noMainProc' },
};

/** The case fields a number term can read, by the word the expression uses. */
const FIELD_WORDS = { age: '年龄', ageDays: '日龄', birthWeightG: '出生体重', los: '住院天数' } as const;
type FieldKey = keyof typeof FIELD_WORDS;
const FIELD_OF_WORD = Object.fromEntries(Object.entries(FIELD_WORDS).map(([k, w]) => [w, k])) as Record<
  string,
  FieldKey
>;
const FIELD_RE = Object.values(FIELD_WORDS).join('|');

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
    .replace(/≠/g, '!=')
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
 * Split `text` at every `sep` outside brackets. A bracket left open or closed too often is an error.
 */
function splitTop(text: string, sep: RegExp): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '(') depth++;
    else if (ch === ')') {
      depth--;
      if (depth < 0) throw new ExpressionError(`括号不配对：${text}`, `unbalanced brackets: ${text}`);
    } else if (depth === 0 && sep.test(ch)) {
      parts.push(text.slice(from, i));
      from = i + 1;
    }
  }
  if (depth !== 0) throw new ExpressionError(`括号不配对：${text}`, `unbalanced brackets: ${text}`);
  parts.push(text.slice(from));
  return parts;
}

/** `(…)` whose opening bracket closes at the very end. */
function wrapped(part: string): boolean {
  if (!part.startsWith('(') || !part.endsWith(')')) return false;
  let depth = 0;
  for (let i = 0; i < part.length; i++) {
    if (part[i] === '(') depth++;
    else if (part[i] === ')' && --depth === 0) return i === part.length - 1;
  }
  return false;
}

/**
 * Parse an expression into a condition. Every 出生体重 comparison of one conjunction joins a single birth-weight
 * term (at the place of the first), and every 已填<字段> comparison of one field a single number term; a bound
 * given twice is an error.
 */
export function parseCondition(text: string, scope: ExpressionScope): DrgCondition {
  const normal = normalise(text);
  if (normal === '') throw new ExpressionError('条件为空', 'the condition is empty');
  // A whole expression of alternatives (A 或 B) without brackets is read as one bracketed group; 且 binds
  // tighter than 或, and every alternative is split at 或 before its 且, so no conjunction part holds a bare 或.
  const top = splitTop(normal, /或/);
  return conjunction(top.length > 1 ? `(${normal})` : normal, scope);
}

function conjunction(text: string, scope: ExpressionScope): DrgCondition {
  const parts = splitTop(text, /[且&]/).filter((p) => p !== '');
  if (parts.length === 0) throw new ExpressionError('条件为空', 'the condition is empty');
  const all: DrgTerm[] = [];
  let weight: Extract<DrgTerm, { kind: 'birthWeightG' }> | undefined;
  const numbers = new Map<FieldKey, Extract<DrgTerm, { kind: 'numberIn' }>>();
  const bound = (term: Partial<Record<BoundKey, number>>, op: string, value: string, part: string) => {
    const key: BoundKey = BOUNDS.find(([o]) => o === op)![1];
    if (term[key] !== undefined) {
      throw new ExpressionError(`“${part}”：“${op}”写了两次`, `"${part}": bound "${op}" given twice`);
    }
    term[key] = number(value, part);
  };
  for (const part of parts) {
    if (wrapped(part)) {
      const alternatives = splitTop(part.slice(1, -1), /或/);
      all.push({ kind: 'anyOf', anyOf: alternatives.map((alt) => conjunction(alt, scope)) });
      continue;
    }
    const w = /^出生体重(>=|<=|>|<|=)(.+)$/.exec(part);
    if (w) {
      if (!weight) {
        weight = { kind: 'birthWeightG' };
        all.push(weight);
      }
      bound(weight, w[1]!, w[2]!, part);
      continue;
    }
    const n = new RegExp(`^已填(${FIELD_RE})(>=|<=|>|<|=)(.+)$`).exec(part);
    if (n) {
      const field = FIELD_OF_WORD[n[1]!]!;
      let term = numbers.get(field);
      if (!term) {
        term = { kind: 'numberIn', field };
        numbers.set(field, term);
        all.push(term);
      }
      bound(term, n[2]!, n[3]!, part);
      continue;
    }
    all.push(parseTerm(part, scope));
  }
  return { all };
}

function parseTerm(part: string, scope: ExpressionScope): DrgTerm {
  const flag = FLAG_TERMS[part];
  if (flag) return { ...flag };

  const list = /^(主要诊断|其他诊断|任一诊断|主要手术|任一手术)(?::(.+))?$/.exec(part);
  if (list) {
    const word = list[1] as ListWord;
    if (scope.kind === 'mdc' && word === '主要诊断' && list[2] === undefined) return { kind: 'principalDxInMdcList' };
    const name = list[2] ?? word;
    const codes = scope.list?.(name);
    if (!codes) {
      const sheet = scope.kind === 'adrg' ? 'ADRG入组条件' : '条件编码表';
      throw new ExpressionError(
        `${sheet}表中没有名为“${name}”的列表`,
        `no list named "${name}" for this ${scope.kind === 'adrg' ? 'ADRG' : scope.kind === 'mdc' ? 'MDC' : 'input check'} in the ${sheet} sheet`,
      );
    }
    return { kind: LIST_TERMS[word], codes: [...codes] };
  }

  const sex = /^性别=(男|女|1|2)$/.exec(part);
  if (sex) return { kind: 'sexIs', sex: sex[1] === '男' || sex[1] === '1' ? '1' : '2' };

  const notSex = /^性别!=(男|女|1|2)$/.exec(part);
  if (notSex) return { kind: 'sexIsNot', sex: notSex[1] === '男' || notSex[1] === '1' ? '1' : '2' };

  const given = new RegExp(`^已填(${FIELD_RE})$`).exec(part);
  if (given) return { kind: 'fieldGiven', field: FIELD_OF_WORD[given[1]!]! };

  const malformed = new RegExp(`^(${FIELD_RE})不合法\\(最小值(.+)\\)$`).exec(part);
  if (malformed)
    return { kind: 'fieldMalformed', field: FIELD_OF_WORD[malformed[1]!]!, min: number(malformed[2]!, part) };

  const age = /^年龄=(.+)$/.exec(part);
  if (age) return { kind: 'ageYearsEq', value: number(age[1]!, part) };

  const days = /^日龄<=(.+)$/.exec(part);
  if (days) return { kind: 'ageDaysMax', value: number(days[1]!, part) };

  const trauma = /^创伤部位>=(\d+)(?::(.+))?$/.exec(part);
  if (trauma) {
    const regions = scope.kind === 'mdc' ? scope.traumaRegions?.(trauma[2]) : undefined;
    if (!regions || Object.keys(regions).length === 0) {
      throw new ExpressionError(
        trauma[2] === undefined
          ? '“创伤部位”需要本 MDC 主诊表的“部位”列'
          : `“创伤部位”需要条件编码表中本 MDC 列表“${trauma[2]}”的“部位”列`,
        trauma[2] === undefined
          ? '"创伤部位" needs the 部位 (body region) column of this MDC in the MDC主诊表 sheet'
          : `"创伤部位" needs the 部位 (body region) column of this MDC's list "${trauma[2]}" in the 条件编码表 sheet`,
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
  /** Body region of each code (a trauma-region list). */
  regionOf?: ReadonlyMap<string, string>;
}

export interface FormatOptions {
  /**
   * Where the condition stands (default `adrg`). In an MDC row a bare 主要诊断 means the MDC主诊表 list, so
   * every list term there is written with its list name; the same is done for input checks.
   */
  scope?: ExpressionScope['kind'];
  /** MDC scope: trauma regions are the 部位 column of the MDC主诊表 list (1.1's layout), not a list of their own. */
  regionsInMdcList?: boolean;
}

type ListTerm = Extract<DrgTerm, { kind: ListKind }>;
const isListTerm = (t: DrgTerm): t is ListTerm => t.kind in WORD_OF_KIND;

/** Every list term of a condition, nested alternatives included, in reading order. */
function listTerms(c: DrgCondition, out: ListTerm[] = []): ListTerm[] {
  for (const t of c.all) {
    if (isListTerm(t)) out.push(t);
    else if (t.kind === 'anyOf') for (const alt of t.anyOf) listTerms(alt, out);
  }
  return out;
}

/**
 * Format a condition as an expression, naming its code lists. Terms of one kind that test the same codes share
 * one list; a kind with one list names it like the term (主要诊断), a kind with several numbers them (任一手术1,
 * 任一手术2). Parsing the text with those lists gives the condition back.
 */
export function formatCondition(
  condition: DrgCondition,
  options: FormatOptions = {},
): { text: string; lists: NamedList[] } {
  const scope = options.scope ?? 'adrg';
  const lists: NamedList[] = [];
  // Distinct code lists per kind, in order of first appearance.
  const distinct = new Map<ListKind, Map<string, readonly string[]>>();
  for (const t of listTerms(condition)) {
    const byKey = distinct.get(t.kind) ?? new Map<string, readonly string[]>();
    distinct.set(t.kind, byKey);
    const key = t.codes.join('\n');
    if (!byKey.has(key)) byKey.set(key, t.codes);
  }
  const nameOf = new Map<string, string>();
  for (const [kind, byKey] of distinct) {
    let n = 0;
    for (const [key, codes] of byKey) {
      const word = WORD_OF_KIND[kind];
      const name = byKey.size > 1 ? `${word}${++n}` : word;
      nameOf.set(`${kind}\n${key}`, name);
      lists.push({ name, codes });
    }
  }
  const write = (c: DrgCondition): string =>
    c.all
      .map((t) => {
        if (isListTerm(t)) {
          const word = WORD_OF_KIND[t.kind];
          const name = nameOf.get(`${t.kind}\n${t.codes.join('\n')}`)!;
          return name === word && scope === 'adrg' ? word : `${word}:${name}`;
        }
        if (t.kind === 'anyOf') return `(${t.anyOf.map(write).join(' 或 ')})`;
        if (t.kind === 'procCategoryCombination') {
          for (const [k, codes] of Object.entries(t.categories)) lists.push({ name: categoryListName(k), codes });
        }
        if (t.kind === 'minDistinctTraumaRegions' && scope === 'mdc' && !options.regionsInMdcList) {
          const regionOf = new Map<string, string>();
          for (const [region, codes] of Object.entries(t.regions)) for (const code of codes) regionOf.set(code, region);
          lists.push({ name: TRAUMA_LIST, codes: [...regionOf.keys()], regionOf });
          return `创伤部位>=${t.min}:${TRAUMA_LIST}`;
        }
        return termText(t);
      })
      .join(' 且 ');
  return { text: write(condition), lists };
}

/** The name of an MDC's trauma-region list in the 条件编码表 sheet. */
export const TRAUMA_LIST = '创伤部位';

/** The text of a term that reads no named list (list terms are written by `formatCondition`). */
function termText(t: DrgTerm): string {
  switch (t.kind) {
    case 'principalDxIn':
    case 'secondaryDxIn':
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
    case 'sexInvalid':
      return '性别无效';
    case 'noDiagnosis':
      return '无诊断';
    case 'hasMainProc':
      return '有主要手术';
    case 'noMainProc':
      return '无主要手术';
    case 'sexIs':
      return `性别=${t.sex === '1' ? '男' : '女'}`;
    case 'sexIsNot':
      return `性别!=${t.sex === '1' ? '男' : '女'}`;
    case 'ageYearsEq':
      return `年龄=${t.value}`;
    case 'ageDaysMax':
      return `日龄<=${t.value}`;
    case 'birthWeightG':
      return WEIGHT_ORDER.filter((key) => t[key] !== undefined)
        .map((key) => `出生体重${OP_OF_BOUND[key]}${t[key]}`)
        .join(' 且 ');
    case 'numberIn':
      return WEIGHT_ORDER.filter((key) => t[key] !== undefined)
        .map((key) => `已填${FIELD_WORDS[t.field]}${OP_OF_BOUND[key]}${t[key]}`)
        .join(' 且 ');
    case 'fieldGiven':
      return `已填${FIELD_WORDS[t.field]}`;
    case 'fieldMalformed':
      return `${FIELD_WORDS[t.field]}不合法(最小值${t.min})`;
    case 'minDistinctTraumaRegions':
      return `创伤部位>=${t.min}`;
    case 'procCategoryCombination':
      return `手术组合(${t.anyOf.map((alt) => alt.join('+')).join('|')})`;
    case 'anyOf':
      throw new Error('anyOf is written by formatCondition');
  }
}

/**
 * Why a condition cannot pass through an expression unchanged, or null: two terms that the parser would merge
 * (two birth-weight terms, or two number terms on one field, in one conjunction), or a term without a bound.
 */
export function unwritable(condition: DrgCondition): string | null {
  const fields = new Set<string>();
  for (const t of condition.all) {
    if (t.kind === 'anyOf') {
      for (const alt of t.anyOf) {
        const why = unwritable(alt);
        if (why) return why;
      }
      continue;
    }
    if (t.kind !== 'birthWeightG' && t.kind !== 'numberIn') continue;
    const key = t.kind === 'numberIn' ? `numberIn ${t.field}` : t.kind;
    if (fields.has(key)) return `two ${key} terms in one conjunction`;
    if (WEIGHT_ORDER.every((b) => t[b] === undefined)) return `${key} without a bound`;
    fields.add(key);
  }
  return null;
}

/** The order bounds are written in (lower bounds first, as people read a band). */
const WEIGHT_ORDER: readonly BoundKey[] = ['gt', 'gte', 'lt', 'lte', 'eq'];
const OP_OF_BOUND = Object.fromEntries(BOUNDS.map(([op, key]) => [key, op])) as Record<BoundKey, string>;
