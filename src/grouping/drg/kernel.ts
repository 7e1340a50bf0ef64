/**
 * The grouping kernel (CHS-DRG 分组器内核): input checks → MDC → ADRG → DRG, reading only the compiled pack.
 *
 * Order of work for one case (semantics in README.md of this folder and of the reference pack):
 * 1. a status fixed while interning (code translation failed) ends the case;
 * 2. input checks, in order; the first that holds ends the case with its status (e.g. CHECK_FAILED);
 * 3. a main procedure on the pack's `mainProcedureCleared` list is cleared (the slot becomes empty);
 * 4. MDCs in the pack's order; an MDC whose entry holds is entered and its ADRGs are tried in order (only the
 *    medical ones when the MDC says so and the main-procedure slot is empty); the first ADRG whose rule holds
 *    wins (or gives QY: a medical ADRG with a main procedure, when the MDC's ambiguity check says so); if none
 *    does, the next MDC is tried (CHS-DRG 1.1 falls through) or the case fails in this MDC (CHS-DRG 2.0);
 * 5. within the ADRG, the first DRG whose split holds wins: `always`, `mcc` (a secondary diagnosis is a
 *    non-excluded MCC) or `mccOrCc` (… a non-excluded MCC or CC), exclusion by the principal's table (排除表).
 *
 * The hot path allocates nothing; the optional tracer is called only when given (traced single cases).
 */
import type { CaseBatch } from './case-batch.ts';
import { SEX_OTHER } from './case-batch.ts';
import { UNKNOWN_CODE } from './code-dictionary.ts';
import {
  type CompiledTerm,
  type DrgResults,
  FIELD_AGE,
  FIELD_AGE_DAYS,
  FIELD_BIRTH_WEIGHT,
  type KernelCore,
  OP,
  QY_MEDICAL_WITH_MAIN_PROC,
  SPLIT_ALWAYS,
  SPLIT_MCC,
} from './kernel-types.ts';
import { STATUS_FAIL, STATUS_QY, STATUS_SUCCESS } from './status.ts';

/** Severity of the secondary diagnoses: none, CC or MCC (after exclusion). */
export const SEVERITY_NONE = 0;
export const SEVERITY_CC = 1;
export const SEVERITY_MCC = 2;

/** Receives each step of a traced case. `failedTerm` is the index of the first term that failed, or -1. */
export interface KernelTracer {
  inputCheck(check: number, failedTerm: number): void;
  mdc(mdc: number, failedTerm: number): void;
  ambiguity(mdc: number, hit: boolean): void;
  adrg(mdc: number, adrg: number, failedTerm: number): void;
  /** A secondary diagnosis that is on the MCC or CC list; `table` its exclusion-table number. */
  secondary(position: number, dxId: number, isMcc: boolean, table: number, principalTable: number): void;
  drg(drg: number, held: boolean): void;
}

/** Group cases `from … to - 1` of a batch into `out`. */
export function groupRange(k: KernelCore, b: CaseBatch, out: DrgResults, from = 0, to = b.size): void {
  for (let i = from; i < to; i++) groupOne(k, b, i, out, null);
}

function write(out: DrgResults, i: number, mdc: number, adrg: number, drg: number, status: number): void {
  out.mdc[i] = mdc;
  out.adrg[i] = adrg;
  out.drg[i] = drg;
  out.status[i] = status;
}

/** Group case `i` of a batch into `out`, reporting each step to `tr` when given. */
export function groupOne(k: KernelCore, b: CaseBatch, i: number, out: DrgResults, tr: KernelTracer | null): void {
  const pre = b.preStatus[i]!;
  if (pre !== 0) {
    write(out, i, -1, -1, -1, pre);
    return;
  }
  const dxS = b.dxStart[i]!;
  const principal = dxS < b.dxStart[i + 1]! ? b.dxCode[dxS]! : UNKNOWN_CODE;
  const prS = b.procStart[i]!;
  let hasMain = prS < b.procStart[i + 1]!;
  let mainProc = hasMain ? b.procCode[prS]! : UNKNOWN_CODE;
  let procFrom = prS;
  const checks = k.inputChecks;
  for (let c = 0; c < checks.length; c++) {
    const check = checks[c]!;
    const failed = firstFailing(k, check.when, b, i, principal, mainProc, procFrom, hasMain);
    if (tr !== null) tr.inputCheck(c, failed);
    if (failed === -1) {
      write(out, i, -1, -1, -1, check.status);
      return;
    }
  }
  if (hasMain && k.clearedMainProc[mainProc] === 1) {
    hasMain = false;
    mainProc = UNKNOWN_CODE;
    procFrom = prS + 1;
  }
  const mdcs = k.mdcs;
  // MDCs worth trying, one bit each in MDC order: those without a principal-diagnosis-list gate, and those
  // whose list holds the principal diagnosis. A traced case tries every MDC so that the trace shows them all.
  let candidates = tr === null ? k.mdcMaskByDx[principal]! | k.ungatedMdcs : -1 >>> (32 - mdcs.length);
  while (candidates !== 0) {
    const m = 31 - Math.clz32(candidates & -candidates);
    candidates &= candidates - 1;
    const mdc = mdcs[m]!;
    const failed = firstFailing(k, mdc.entry, b, i, principal, mainProc, procFrom, hasMain);
    if (tr !== null) tr.mdc(m, failed);
    if (failed !== -1) continue;
    const order = mdc.adrgs;
    for (let j = 0; j < order.length; j++) {
      if (j === mdc.ambiguityAt) {
        const hit = anyOrProcedure(k, b, i);
        if (tr !== null) tr.ambiguity(m, hit);
        if (hit) {
          write(out, i, m, -1, -1, STATUS_QY);
          return;
        }
      }
      const a = order[j]!;
      const adrg = k.adrgs[a]!;
      if (!hasMain && !adrg.medical && mdc.medicalOnlyWithoutMainProc) continue;
      // Quick reject on the rule's principal-diagnosis / main-procedure lists (the full rule re-checks them).
      if (tr === null) {
        const pdx = adrg.principalDxSet;
        if (pdx.length !== 0 && ((pdx[principal >>> 5]! >>> (principal & 31)) & 1) === 0) continue;
        const mp = adrg.mainProcSet;
        if (mp.length !== 0 && ((mp[mainProc >>> 5]! >>> (mainProc & 31)) & 1) === 0) continue;
      }
      const failedTerm = firstFailing(k, adrg.rule, b, i, principal, mainProc, procFrom, hasMain);
      if (tr !== null) tr.adrg(m, a, failedTerm);
      if (failedTerm !== -1) continue;
      if (mdc.ambiguityWhen === QY_MEDICAL_WITH_MAIN_PROC && adrg.medical) {
        if (tr !== null) tr.ambiguity(m, hasMain);
        if (hasMain) {
          write(out, i, m, a, -1, STATUS_QY);
          return;
        }
      }
      let severity = -1;
      for (let d = adrg.drgFrom; d < adrg.drgTo; d++) {
        const split = k.drgSplit[d]!;
        let held = true;
        if (split !== SPLIT_ALWAYS) {
          if (severity < 0) severity = secondarySeverity(k, b, i, tr);
          held = split === SPLIT_MCC ? severity === SEVERITY_MCC : severity !== SEVERITY_NONE;
        }
        if (tr !== null) tr.drg(d, held);
        if (held) {
          write(out, i, m, a, d, STATUS_SUCCESS);
          return;
        }
      }
      write(out, i, m, a, -1, STATUS_SUCCESS);
      return;
    }
    if (!mdc.nextMdcOnNoAdrg) {
      write(out, i, m, -1, -1, STATUS_FAIL);
      return;
    }
  }
  write(out, i, -1, -1, -1, STATUS_FAIL);
}

/**
 * MCC / CC among the secondary diagnoses (position 2 onwards), after the exclusion rule: a secondary diagnosis
 * counts unless its exclusion table equals the principal diagnosis's table. An excluded MCC is not retried as CC.
 */
export function secondarySeverity(k: KernelCore, b: CaseBatch, i: number, tr: KernelTracer | null): number {
  const s = b.dxStart[i]!;
  const e = b.dxStart[i + 1]!;
  if (e - s < 2) return SEVERITY_NONE;
  const principalTable = k.principalTable[b.dxCode[s]!]!;
  let severity = SEVERITY_NONE;
  for (let j = s + 1; j < e; j++) {
    const dx = b.dxCode[j]!;
    const mcc = k.mccTable[dx]!;
    if (mcc !== 0) {
      if (tr !== null) tr.secondary(j - s, dx, true, mcc, principalTable);
      if (mcc !== principalTable) {
        severity = SEVERITY_MCC;
        if (tr === null) return severity;
      }
      continue;
    }
    const cc = k.ccTable[dx]!;
    if (cc !== 0) {
      if (tr !== null) tr.secondary(j - s, dx, false, cc, principalTable);
      if (cc !== principalTable && severity === SEVERITY_NONE) severity = SEVERITY_CC;
    }
  }
  return severity;
}

function anyOrProcedure(k: KernelCore, b: CaseBatch, i: number): boolean {
  const e = b.procStart[i + 1]!;
  for (let j = b.procStart[i]!; j < e; j++) if (k.orProcedure[b.procCode[j]!] === 1) return true;
  return false;
}

function firstFailing(
  k: KernelCore,
  terms: readonly CompiledTerm[],
  b: CaseBatch,
  i: number,
  principal: number,
  mainProc: number,
  procFrom: number,
  hasMain: boolean,
): number {
  for (let t = 0; t < terms.length; t++) {
    if (!holds(k, terms[t]!, b, i, principal, mainProc, procFrom, hasMain)) return t;
  }
  return -1;
}

function fieldValue(b: CaseBatch, field: number, i: number): number {
  return field === FIELD_AGE
    ? b.ageYears[i]!
    : field === FIELD_AGE_DAYS
      ? b.ageDays[i]!
      : field === FIELD_BIRTH_WEIGHT
        ? b.birthWeightG[i]!
        : b.los[i]!;
}

/** Every bound that is given (not NaN) holds on `v`; a NaN `v` (not given) fails every given bound. */
function withinBounds(t: CompiledTerm, v: number): boolean {
  return (
    (Number.isNaN(t.num0) || v > t.num0) &&
    (Number.isNaN(t.num1) || v >= t.num1) &&
    (Number.isNaN(t.num2) || v < t.num2) &&
    (Number.isNaN(t.num3) || v <= t.num3) &&
    (Number.isNaN(t.num4) || v === t.num4)
  );
}

function has(set: Int32Array, id: number): boolean {
  return ((set[id >>> 5]! >>> (id & 31)) & 1) === 1;
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * Does one term hold for case `i`? `principal` / `mainProc` are the ids of its first diagnosis / procedure
 * (UNKNOWN_CODE when the list is empty or the main procedure was cleared); `hasMain` says whether the
 * main-procedure slot is non-empty; any-position procedure terms read from `procFrom` (past a cleared slot).
 * Semantics of each op: README.md (term vocabulary).
 */
function holds(
  k: KernelCore,
  t: CompiledTerm,
  b: CaseBatch,
  i: number,
  principal: number,
  mainProc: number,
  procFrom: number,
  hasMain: boolean,
): boolean {
  switch (t.op) {
    case OP.always:
      return true;
    case OP.principalDxIn:
      return has(t.set, principal);
    case OP.principalDxInMdcList:
      return (k.mdcMaskByDx[principal]! & t.num0) !== 0;
    case OP.anyDxIn: {
      const e = b.dxStart[i + 1]!;
      for (let j = b.dxStart[i]!; j < e; j++) if (has(t.set, b.dxCode[j]!)) return true;
      return false;
    }
    case OP.mainProcIn:
      return has(t.set, mainProc);
    case OP.anyProcIn: {
      const e = b.procStart[i + 1]!;
      for (let j = procFrom; j < e; j++) if (has(t.set, b.procCode[j]!)) return true;
      return false;
    }
    case OP.secondaryDxIn: {
      const e = b.dxStart[i + 1]!;
      for (let j = b.dxStart[i]! + 1; j < e; j++) if (has(t.set, b.dxCode[j]!)) return true;
      return false;
    }
    case OP.hasMainProc:
      return hasMain;
    case OP.noMainProc:
      return !hasMain;
    case OP.numberIn: {
      const v = fieldValue(b, t.field, i);
      return !Number.isNaN(v) && withinBounds(t, v);
    }
    case OP.fieldMalformed:
      // -Infinity marks text that is not a number (see case-batch.ts); NaN (not given) is never malformed.
      return fieldValue(b, t.field, i) < t.num0;
    case OP.fieldGiven:
      return !Number.isNaN(fieldValue(b, t.field, i));
    case OP.sexIsNot:
      return b.sex[i] !== t.num0;
    case OP.sexInvalid:
      return b.sex[i] === SEX_OTHER;
    case OP.noDiagnosis:
      return b.dxStart[i] === b.dxStart[i + 1];
    case OP.anyOf: {
      const subs = t.subs;
      for (let a = 0; a < subs.length; a++) {
        if (firstFailing(k, subs[a]!, b, i, principal, mainProc, procFrom, hasMain) === -1) return true;
      }
      return false;
    }
    case OP.mainProcIsOrProcedure:
      return k.orProcedure[mainProc] === 1;
    case OP.noOrProcedure:
      return !anyOrProcedure(k, b, i);
    case OP.ageYearsEq:
      return b.ageYears[i] === t.num0;
    case OP.ageDaysMax:
      return b.ageDays[i]! <= t.num0;
    case OP.birthWeightG: {
      // A bound that is NaN (absent) is skipped; a weight that is NaN (not a number / not given) fails every bound.
      return withinBounds(t, b.birthWeightG[i]!);
    }
    case OP.sexIs:
      return b.sex[i] === t.num0;
    case OP.sexEmpty:
      return b.sex[i] === 0;
    case OP.minDistinctTraumaRegions: {
      let regions = 0;
      const e = b.dxStart[i + 1]!;
      for (let j = b.dxStart[i]!; j < e; j++) regions |= t.masks[b.dxCode[j]!]!;
      return popcount(regions) >= t.num0;
    }
    case OP.procCategoryCombination: {
      let present = 0;
      const e = b.procStart[i + 1]!;
      for (let j = b.procStart[i]!; j < e; j++) present |= t.masks[b.procCode[j]!]!;
      for (let a = 0; a < t.alts.length; a++) if ((present & t.alts[a]!) === t.alts[a]) return true;
      return false;
    }
    default:
      return false;
  }
}
