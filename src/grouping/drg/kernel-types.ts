/**
 * The compiled form of a pack that the kernel runs on. `KernelCore` is plain data (typed arrays, numbers,
 * arrays of plain objects): it can be posted to worker threads as is. `DrgKernel` adds the code dictionaries
 * and the names used to decode results and write traces.
 */
import type { CodeDictionary } from './code-dictionary.ts';
import type { DrgCaseFields, DrgStatus, DrgTermKind } from './pack-schema.ts';

/** Term operations of the kernel (one per `DrgTerm` kind). */
export const OP = {
  always: 0,
  principalDxIn: 1,
  principalDxInMdcList: 2,
  anyDxIn: 3,
  mainProcIn: 4,
  anyProcIn: 5,
  mainProcIsOrProcedure: 6,
  noOrProcedure: 7,
  ageYearsEq: 8,
  ageDaysMax: 9,
  birthWeightG: 10,
  sexIs: 11,
  sexEmpty: 12,
  minDistinctTraumaRegions: 13,
  procCategoryCombination: 14,
  secondaryDxIn: 15,
  hasMainProc: 16,
  noMainProc: 17,
  numberIn: 18,
  fieldMalformed: 19,
  fieldGiven: 20,
  sexIsNot: 21,
  sexInvalid: 22,
  noDiagnosis: 23,
  anyOf: 24,
} as const satisfies Record<DrgTermKind, number>;

/**
 * One compiled term. Every term has every field (unused ones empty or 0) so that the kernel sees one object
 * shape. Which fields an op reads:
 * - `set`: bitset over dx ids (principalDxIn, anyDxIn) or proc ids (mainProcIn, anyProcIn);
 * - `masks`: per-id bit masks: dx id → trauma-region bits, or proc id → category bits;
 * - `alts`: category combinations, one mask each; `num0`: mdc bit / value / min / sex; `num0…num4`: birth
 *   weight bounds gt, gte, lt, lte, eq (NaN when absent, then not checked).
 */
export interface CompiledTerm {
  op: number;
  /** anyOf: the alternatives, each a list of terms that must all hold. */
  subs: CompiledTerm[][];
  /** numberIn, fieldMalformed, fieldGiven: which field (FIELD_*). */
  field: number;
  set: Int32Array;
  masks: Int32Array;
  alts: Int32Array;
  num0: number;
  num1: number;
  num2: number;
  num3: number;
  num4: number;
}

/** Numeric case fields, as `CompiledTerm.field`. */
export const FIELD_AGE = 0;
export const FIELD_AGE_DAYS = 1;
export const FIELD_BIRTH_WEIGHT = 2;
export const FIELD_LOS = 3;

/** When the ambiguity (QY) check runs. */
export const QY_BEFORE_ADRG = 0;
export const QY_MEDICAL_WITH_MAIN_PROC = 1;

export interface CompiledMdc {
  /** 'MDCA' … as results show it. */
  code: string;
  letter: string;
  entry: CompiledTerm[];
  /**
   * This MDC's bit in `mdcMaskByDx` when its entry requires the principal diagnosis in its list (then the
   * kernel skips the MDC at once for any other principal diagnosis), else 0.
   */
  dxListBit: number;
  /** ADRG indexes in the order they are tried. */
  adrgs: Int32Array;
  /** Position in `adrgs` before which the ambiguity (QY) check runs; -1 when disabled. */
  ambiguityAt: number;
  /** ADRG / DRG code shown for an ambiguous case (歧义病案), e.g. 'BQY'. */
  ambiguityCode: string;
  /** QY_BEFORE_ADRG (at `ambiguityAt`) or QY_MEDICAL_WITH_MAIN_PROC (after a medical ADRG matched); -1 = none. */
  ambiguityWhen: number;
  /** No ADRG matched: go on with the next MDC (true) or stop with FAIL in this MDC (false). */
  nextMdcOnNoAdrg: boolean;
  /** With an empty main-procedure slot, only medical ADRGs are tried. */
  medicalOnlyWithoutMainProc: boolean;
}

export interface CompiledAdrg {
  code: string;
  rule: CompiledTerm[];
  /**
   * The bitsets of the rule's `principalDxIn` / `mainProcIn` term (empty when it has none): a cheap necessary
   * condition the kernel tests before evaluating the rule.
   */
  principalDxSet: Int32Array;
  mainProcSet: Int32Array;
  /** This ADRG's DRGs are `drgFrom … drgTo - 1`, in the order tried. */
  drgFrom: number;
  drgTo: number;
  /** A medical (内科) ADRG. */
  medical: boolean;
}

export const SPLIT_ALWAYS = 0;
export const SPLIT_MCC = 1;
export const SPLIT_MCC_OR_CC = 2;

export interface KernelCore {
  /** Sizes of the dx / proc dictionaries (bitsets are sized to them). */
  dxCount: number;
  procCount: number;
  inputChecks: { status: number; when: CompiledTerm[] }[];
  /** MDCs in the order tried. */
  mdcs: CompiledMdc[];
  adrgs: CompiledAdrg[];
  drgCodes: string[];
  /** SPLIT_* per DRG. */
  drgSplit: Uint8Array;
  /** Bits of the MDCs whose entry does not require the principal diagnosis in their list (e.g. MDC A). */
  ungatedMdcs: number;
  /** dx id → bit of every MDC (index in `mdcs`) whose principal-diagnosis list holds it. */
  mdcMaskByDx: Int32Array;
  /** dx id → exclusion-table number (1-based, 0 = none) as MCC, as CC, and as a principal diagnosis. */
  mccTable: Int32Array;
  ccTable: Int32Array;
  principalTable: Int32Array;
  /** proc id → 1 when a valid OR procedure. */
  orProcedure: Uint8Array;
  /** proc id → 1 when the main-procedure slot holding it is cleared after the input checks. */
  clearedMainProc: Uint8Array;
}

/** A loaded and indexed pack: load it once, then group any number of cases with it. */
export interface DrgKernel {
  scheme: string;
  version: string;
  core: KernelCore;
  dx: CodeDictionary;
  proc: CodeDictionary;
  /** Names for traces: by MDC / ADRG / DRG index, and by code id. */
  names: {
    mdc: string[];
    adrg: string[];
    adrgRuleLabel: string[];
    drg: string[];
    dx: string[];
    proc: string[];
    /** Exclusion-table number → the pack's table id. */
    table: string[];
    inputCheck: string[];
  };
  /** Readable description of each term, parallel to the compiled conditions. */
  termText: {
    inputChecks: Describe[][];
    mdcEntry: Describe[][];
    adrgRule: Describe[][];
  };
  /** Translation of incoming codes (source code → grouper code), when the pack has maps. */
  codeMaps: { diagnosis: ReadonlyMap<string, string>; procedure: ReadonlyMap<string, string> } | null;
  statusWords: readonly DrgStatus[];
  /** How case fields are read (the pack's `caseFields`, or CHS-DRG 1.1's reading). */
  caseFields: DrgCaseFields;
}

export interface Describe {
  zh: string;
  en: string;
}

/** Results of a batch, by case index: indexes into the kernel's tables (-1 = none) and a status index. */
export interface DrgResults {
  mdc: Int8Array;
  adrg: Int16Array;
  drg: Int16Array;
  status: Uint8Array;
}

export function newResults(size: number, shared = false): DrgResults {
  const buf = (bytes: number) => (shared ? new SharedArrayBuffer(bytes * size) : new ArrayBuffer(bytes * size));
  return {
    mdc: new Int8Array(buf(1)),
    adrg: new Int16Array(buf(2)),
    drg: new Int16Array(buf(2)),
    status: new Uint8Array(buf(1)),
  };
}
