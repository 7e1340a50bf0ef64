/**
 * The grouping kernel (CHS-DRG 分组器内核): input checks → MDC → ADRG → DRG, reading only the compiled pack.
 *
 * Order of work for one case (semantics in README.md of this folder and of the reference pack):
 * 1. a status fixed while interning (code translation failed) ends the case;
 * 2. input checks, in order; the first that holds ends the case with its status (e.g. CHECK_FAILED);
 * 3. MDCs in the pack's order; an MDC whose entry holds is entered and its ADRGs are tried in order; the
 *    first ADRG whose rule holds wins; if none does, the next MDC is tried (CHS-DRG 1.1 falls through);
 * 4. within the ADRG, the first DRG whose split holds wins: `always`, `mcc` (a secondary diagnosis is a
 *    non-excluded MCC) or `mccOrCc` (… a non-excluded MCC or CC), exclusion by the principal's table (排除表).
 *
 * The hot path allocates nothing; the optional tracer is called only when given (traced single cases).
 */
import type { CaseBatch } from './case-batch.ts';
import { UNKNOWN_CODE } from './code-dictionary.ts';
import { type CompiledTerm, type DrgResults, type KernelCore, OP, SPLIT_ALWAYS, SPLIT_MCC } from './kernel-types.ts';
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
  const checks = k.inputChecks;
  for (let c = 0; c < checks.length; c++) {
    const check = checks[c]!;
    const failed = firstFailing(k, check.when, b, i, 0, 0);
    if (tr !== null) tr.inputCheck(c, failed);
    if (failed === -1) {
      write(out, i, -1, -1, -1, check.status);
      return;
    }
  }
  const dxS = b.dxStart[i]!;
  const principal = dxS < b.dxStart[i + 1]! ? b.dxCode[dxS]! : UNKNOWN_CODE;
  const prS = b.procStart[i]!;
  const mainProc = prS < b.procStart[i + 1]! ? b.procCode[prS]! : UNKNOWN_CODE;
  const mdcs = k.mdcs;
  // MDCs worth trying, one bit each in MDC order: those without a principal-diagnosis-list gate, and those
  // whose list holds the principal diagnosis. A traced case tries every MDC so that the trace shows them all.
  let candidates = tr === null ? k.mdcMaskByDx[principal]! | k.ungatedMdcs : -1 >>> (32 - mdcs.length);
  while (candidates !== 0) {
    const m = 31 - Math.clz32(candidates & -candidates);
    candidates &= candidates - 1;
    const mdc = mdcs[m]!;
    const failed = firstFailing(k, mdc.entry, b, i, principal, mainProc);
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
      // Quick reject on the rule's principal-diagnosis / main-procedure lists (the full rule re-checks them).
      if (tr === null) {
        const pdx = adrg.principalDxSet;
        if (pdx.length !== 0 && ((pdx[principal >>> 5]! >>> (principal & 31)) & 1) === 0) continue;
        const mp = adrg.mainProcSet;
        if (mp.length !== 0 && ((mp[mainProc >>> 5]! >>> (mainProc & 31)) & 1) === 0) continue;
      }
      const failedTerm = firstFailing(k, adrg.rule, b, i, principal, mainProc);
      if (tr !== null) tr.adrg(m, a, failedTerm);
      if (failedTerm !== -1) continue;
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
): number {
  for (let t = 0; t < terms.length; t++) if (!holds(k, terms[t]!, b, i, principal, mainProc)) return t;
  return -1;
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
 * (UNKNOWN_CODE when the list is empty). Semantics of each op: README.md (term vocabulary).
 */
function holds(k: KernelCore, t: CompiledTerm, b: CaseBatch, i: number, principal: number, mainProc: number): boolean {
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
      for (let j = b.procStart[i]!; j < e; j++) if (has(t.set, b.procCode[j]!)) return true;
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
      const w = b.birthWeightG[i]!;
      // A bound that is NaN (absent) is skipped; a weight that is NaN (not a number) fails every bound.
      return (
        (Number.isNaN(t.num0) || w > t.num0) &&
        (Number.isNaN(t.num1) || w >= t.num1) &&
        (Number.isNaN(t.num2) || w < t.num2) &&
        (Number.isNaN(t.num3) || w <= t.num3) &&
        (Number.isNaN(t.num4) || w === t.num4)
      );
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
