/**
 * yibao's own format for a DRG grouping scheme (分组方案数据包): one versioned JSON document that carries every
 * rule of a scheme as data, so that the kernel holds no code list and no scheme-specific branch.
 *
 *   { format: "yibao.drg-pack", formatVersion: 1, scheme: "CHS-DRG", version: "1.1",
 *     inputChecks, mdcOrder, mdcs, adrgs, drgs, severity, orProcedures, diagnosisCodes, procedureCodes }
 *
 * Conditions (MDC entry, ADRG rules, input checks) are `{ all: [term, …] }`: every term must hold. The term
 * vocabulary is `DrgTerm` below; its exact semantics are in README.md of this folder.
 */
import { z } from 'zod';
import { DRG_STATUSES } from './status.ts';

export const PACK_FORMAT = 'yibao.drg-pack';
export const PACK_FORMAT_VERSION = 1;

const code = z.string().min(1);
const bound = z.number().optional();

/*
 * Code lists and code tables hold tens of thousands of entries. They are arrays (tables as `[code, value]`
 * pairs, which JSON parses much faster than objects with tens of thousands of keys), checked with one plain
 * loop each rather than a schema per element.
 */
const codes = z.custom<string[]>((v) => Array.isArray(v) && v.every((c) => typeof c === 'string' && c.length > 0), {
  message: 'expected a list of non-empty code strings / 应为非空编码字符串列表',
});

/** `[code, value]` pairs with distinct non-empty codes (and, for table ids, non-empty values). */
function codePairs(what: string, nonEmptyValues: boolean) {
  return z.custom<[string, string][]>(
    (v) => {
      if (!Array.isArray(v)) return false;
      const seen = new Set<string>();
      for (const pair of v) {
        if (!Array.isArray(pair) || pair.length !== 2) return false;
        const [k, x] = pair as unknown[];
        if (typeof k !== 'string' || k.length === 0 || typeof x !== 'string') return false;
        if (nonEmptyValues && x.length === 0) return false;
        if (seen.has(k)) return false;
        seen.add(k);
      }
      return true;
    },
    { message: `expected [code, ${what}] pairs with distinct codes / 应为 [编码, ${what}] 对且编码不重复` },
  );
}

/** `[code, text]`: names, translations (the text may be empty). */
const codeTexts = codePairs('text', false);
/** `[code, exclusion-table id]`. */
const tableMap = codePairs('table id', true);

/** Numeric case fields a term can read. */
export const drgCaseFieldSchema = z.enum(['age', 'ageDays', 'birthWeightG', 'los']);

/** Bounds on a number: every given bound must hold. */
const bounds = { gt: bound, gte: bound, lt: bound, lte: bound, eq: bound };

/** One condition of a rule. `kind` names it; see README.md for the semantics of each. */
export const drgTermSchema = z.discriminatedUnion('kind', [
  /** Some secondary diagnosis (position 2 onwards) is in `codes` (其他诊断). */
  z.strictObject({ kind: z.literal('secondaryDxIn'), codes }),
  /** The main-procedure slot is non-empty (after clearing, see `mainProcedureCleared`); any code will do. */
  z.strictObject({ kind: z.literal('hasMainProc') }),
  /** The main-procedure slot is empty (no procedure, or cleared). */
  z.strictObject({ kind: z.literal('noMainProc') }),
  /** The field is given and every bound holds (a field not given fails; see `caseFields.emptyNumbers`). */
  z.strictObject({ kind: z.literal('numberIn'), field: drgCaseFieldSchema, ...bounds }),
  /** The field is given but is not a number, or is below `min` (input checks). */
  z.strictObject({ kind: z.literal('fieldMalformed'), field: drgCaseFieldSchema, min: z.number() }),
  /** The field is given (non-empty). */
  z.strictObject({ kind: z.literal('fieldGiven'), field: drgCaseFieldSchema }),
  /** Sex is not `sex` (an empty sex is "not"). */
  z.strictObject({ kind: z.literal('sexIsNot'), sex: z.enum(['1', '2']) }),
  /** Sex is given and is neither male nor female (e.g. `3`, `F`; `男`/`女` too unless `caseFields.sexWords`). */
  z.strictObject({ kind: z.literal('sexInvalid') }),
  /** The case has no diagnosis. */
  z.strictObject({ kind: z.literal('noDiagnosis') }),
  /** At least one alternative holds; each alternative is a condition `{ all: [...] }` (nesting allowed). */
  z.strictObject({
    kind: z.literal('anyOf'),
    get anyOf() {
      return z.array(drgConditionSchema).min(1);
    },
  }),
  /** 主要诊断 (the first diagnosis) is in `codes`. */
  z.strictObject({ kind: z.literal('principalDxIn'), codes }),
  /** The principal diagnosis is in the principal-diagnosis list of the MDC being tried (MDC entry only). */
  z.strictObject({ kind: z.literal('principalDxInMdcList') }),
  /** Any diagnosis, principal included, is in `codes`. */
  z.strictObject({ kind: z.literal('anyDxIn'), codes }),
  /** 主要手术 (the first procedure) is in `codes`. */
  z.strictObject({ kind: z.literal('mainProcIn'), codes }),
  /** Any procedure is in `codes`. Two such terms in one rule are each met on their own. */
  z.strictObject({ kind: z.literal('anyProcIn'), codes }),
  /** The main procedure is a valid operating-room procedure (存在手术, `orProcedures`). */
  z.strictObject({ kind: z.literal('mainProcIsOrProcedure') }),
  /** No procedure at all is an operating-room procedure. */
  z.strictObject({ kind: z.literal('noOrProcedure') }),
  /** Age in years equals `value` (an empty age counts as 0). */
  z.strictObject({ kind: z.literal('ageYearsEq'), value: z.number() }),
  /** Age in days ≤ `value` (an empty value counts as 0). */
  z.strictObject({ kind: z.literal('ageDaysMax'), value: z.number() }),
  /** Every given bound holds on the birth weight in grams (an empty value counts as 0). */
  z.strictObject({ kind: z.literal('birthWeightG'), gt: bound, gte: bound, lt: bound, lte: bound, eq: bound }),
  /** Sex is `1` (male) or `2` (female). */
  z.strictObject({ kind: z.literal('sexIs'), sex: z.enum(['1', '2']) }),
  /** Sex is missing. */
  z.strictObject({ kind: z.literal('sexEmpty') }),
  /** The diagnoses (all of them) cover at least `min` distinct body regions (多发严重创伤 部位). */
  z.strictObject({
    kind: z.literal('minDistinctTraumaRegions'),
    min: z.number().int().min(1),
    regions: z.record(z.string().min(1), codes),
  }),
  /** 手术表组合: some alternative of `anyOf` has all its categories present among the case's procedures. */
  z.strictObject({
    kind: z.literal('procCategoryCombination'),
    categories: z.record(z.string().min(1), codes),
    anyOf: z.array(z.array(z.string().min(1)).min(1)).min(1),
  }),
  /** Always holds (a catch-all). */
  z.strictObject({ kind: z.literal('always') }),
]);

export const drgConditionSchema: z.ZodType<DrgCondition> = z.strictObject({
  get all() {
    return z.array(drgTermSchema).min(1);
  },
});

export const drgStatusSchema = z.enum(DRG_STATUSES);

const mdcSchema = z.strictObject({
  /** MDC letter, e.g. "A". Results show it as "MDC" + letter. */
  mdc: z.string().regex(/^[A-Z]$/),
  name: z.string(),
  entry: drgConditionSchema,
  /** The MDC's principal-diagnosis list (used by `principalDxInMdcList`). */
  principalDx: codes,
  adrgOrder: z.array(code).min(1),
  /**
   * 歧义病案 check: when enabled, a case reaching `beforeAdrg` (the first medical ADRG) with any OR procedure
   * gets status QY and ADRG `returns`. Off in every MDC of CHS-DRG 1.1.
   */
  ambiguityCheck: z.strictObject({
    enabled: z.boolean(),
    beforeAdrg: code.nullable(),
    returns: code,
    /**
     * When the check runs: `beforeAdrg` (default; CHS-DRG 1.1's shape), or `medicalAdrgWithMainProc`: after an
     * ADRG of this MDC matched, when that ADRG is `medical` and the main-procedure slot is non-empty (CHS-DRG 2.0).
     */
    when: z.optional(z.enum(['beforeAdrg', 'medicalAdrgWithMainProc'])),
  }),
  /** Overrides the pack's `onNoAdrgMatch` for this MDC (CHS-DRG 2.0: the pre-MDCs go on, the others stop). */
  onNoAdrgMatch: z.optional(z.enum(['nextMdc', 'fail'])),
  /** When the main-procedure slot is empty, only `medical` ADRGs are tried (CHS-DRG 2.0's non-pre MDCs). */
  medicalOnlyWithoutMainProc: z.optional(z.boolean()),
});

const adrgSchema = z.strictObject({
  adrg: z.string().regex(/^[A-Z][A-Z0-9]{2}$/),
  mdc: z.string().regex(/^[A-Z]$/),
  name: z.string(),
  /** The source's own short description of the rule (e.g. 主诊断匹配、双手术匹配). */
  ruleLabel: z.string(),
  rule: drgConditionSchema,
  /** DRGs tried in this order; the first whose split holds wins. If none does, the DRG is the ADRG code. */
  drgOrder: z.array(code).min(1),
  /** A medical (内科) ADRG, as opposed to a surgical or procedural one; read by the MDC options above. */
  medical: z.optional(z.boolean()),
});

/**
 * How the case's fields are read. Absent: CHS-DRG 1.1's reading (empty numbers are 0, `男`/`女` accepted as
 * sex, codes as given).
 */
const caseFieldsSchema = z.strictObject({
  /** `zero`: an empty number counts as 0; `notGiven`: it is missing, and every bound on it fails. */
  emptyNumbers: z.enum(['zero', 'notGiven']),
  /** Numbers are truncated to integers. */
  truncateNumbers: z.boolean(),
  /** `男` / `女` are read as sex 1 / 2 (otherwise only `1`, `2` and empty are valid). */
  sexWords: z.boolean(),
  /** Codes in a list are trimmed and empty ones dropped (otherwise each `|`-separated piece is a slot). */
  trimCodes: z.boolean(),
});

/** How an ADRG splits into DRGs: `always`; `mcc` 伴严重并发症或合并症; `mccOrCc` 伴严重或一般并发症或合并症. */
export const drgSplitSchema = z.enum(['always', 'mcc', 'mccOrCc']);

const drgSchema = z.strictObject({
  drg: z.string().regex(/^[A-Z][A-Z0-9]{3}$/),
  adrg: code,
  name: z.string(),
  split: drgSplitSchema,
});

export const drgPackSchema = z.strictObject({
  format: z.literal(PACK_FORMAT),
  formatVersion: z.literal(PACK_FORMAT_VERSION),
  scheme: z.string().min(1),
  version: z.string().min(1),
  title: z.string(),
  /** Provenance: where the tables come from (repository, commit, licence, file hashes). */
  source: z.record(z.string(), z.unknown()),
  /** Code editions the lists use, e.g. "ICD-10 医保版 2.0". */
  codeEditions: z.strictObject({ diagnosis: z.string(), procedure: z.string() }),
  /** Checks run before grouping; the first that holds ends the case with its status. */
  inputChecks: z.array(z.strictObject({ status: drgStatusSchema, label: z.string(), when: drgConditionSchema })),
  mdcOrder: z.array(z.string().regex(/^[A-Z]$/)).min(1),
  /** What happens when an entered MDC has no matching ADRG: CHS-DRG 1.1 goes on with the next MDC. */
  onNoAdrgMatch: z.enum(['nextMdc', 'fail']),
  /** How the case's fields are read (absent: CHS-DRG 1.1's reading). */
  caseFields: z.optional(caseFieldsSchema),
  /**
   * Main procedures that are cleared after the input checks (CHS-DRG 2.0's 不能作为主要手术): the slot becomes
   * empty, the next procedure is not promoted, and any-position terms skip it.
   */
  mainProcedureCleared: z.optional(codes),
  mdcs: z.array(mdcSchema).min(1),
  adrgs: z.array(adrgSchema).min(1),
  drgs: z.array(drgSchema).min(1),
  /** CC/MCC lists with their exclusion table (排除表) ids, and the exclusion table of each principal diagnosis. */
  severity: z.strictObject({ mcc: tableMap, cc: tableMap, principalExclusionTable: tableMap }),
  /** Valid operating-room procedures (手术室手术). */
  orProcedures: codes,
  /** Every diagnosis / procedure code the scheme knows, with its name. */
  diagnosisCodes: codeTexts,
  procedureCodes: codeTexts,
  /** Optional translation of incoming codes to grouper codes (off unless a caller asks for it). */
  codeMaps: z.optional(z.strictObject({ diagnosis: codeTexts, procedure: codeTexts })),
});

export type DrgTerm = z.infer<typeof drgTermSchema>;
export type DrgTermKind = DrgTerm['kind'];
export interface DrgCondition {
  all: DrgTerm[];
}
export type DrgCaseField = z.infer<typeof drgCaseFieldSchema>;
export type DrgCaseFields = z.infer<typeof caseFieldsSchema>;
export type DrgStatus = z.infer<typeof drgStatusSchema>;
export type DrgSplit = z.infer<typeof drgSplitSchema>;
export type DrgPackMdc = z.infer<typeof mdcSchema>;
export type DrgPackAdrg = z.infer<typeof adrgSchema>;
export type DrgPackDrg = z.infer<typeof drgSchema>;
export type DrgPack = z.infer<typeof drgPackSchema>;
