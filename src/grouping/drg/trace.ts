/**
 * The trace of one grouped case: every step the kernel took (input checks, MDCs tried and entered, ADRG rules
 * tried, each secondary diagnosis on the MCC/CC lists and whether the exclusion table removed it, DRG splits).
 * Built only on request (`groupCase(…, { trace: true })`), so batch grouping stays allocation-free.
 */

import type { KernelTracer } from './kernel.ts';
import type { Describe, DrgKernel } from './kernel-types.ts';
import { SPLIT_ALWAYS, SPLIT_MCC } from './kernel-types.ts';
import type { DrgSplit } from './pack-schema.ts';

export type DrgTraceStep =
  /** `triggered`: the check's condition held, so the case stops with the check's status. */
  | { step: 'inputCheck'; check: number; label: string; triggered: boolean; unmetTerm?: Describe }
  | { step: 'mdc'; mdc: string; name: string; entered: boolean; unmetTerm?: Describe }
  | { step: 'ambiguity'; mdc: string; hit: boolean }
  | { step: 'adrg'; mdc: string; adrg: string; name: string; ruleLabel: string; matched: boolean; unmetTerm?: Describe }
  | {
      step: 'secondary';
      /** 1-based position among the diagnoses (2 = first secondary diagnosis). */
      position: number;
      code: string;
      name: string;
      list: 'MCC' | 'CC';
      /** Exclusion table of this diagnosis, and of the principal diagnosis (null when it has none). */
      table: string;
      principalTable: string | null;
      counted: boolean;
    }
  | { step: 'drg'; drg: string; name: string; split: DrgSplit; held: boolean };

export interface DrgCodeNote {
  kind: 'diagnosis' | 'procedure';
  position: number;
  code: string;
  /** Not in the pack's code lists: it matches no rule (not an error, as in the reference). */
  unknown: true;
}

export interface DrgTrace {
  scheme: string;
  version: string;
  codeNotes: DrgCodeNote[];
  steps: DrgTraceStep[];
}

const SPLIT_WORDS: Record<number, DrgSplit> = { [SPLIT_ALWAYS]: 'always', [SPLIT_MCC]: 'mcc', 2: 'mccOrCc' };

/** Collects kernel events into a `DrgTrace`. */
export class TraceRecorder implements KernelTracer {
  readonly steps: DrgTraceStep[] = [];

  constructor(private readonly k: DrgKernel) {}

  inputCheck(check: number, failedTerm: number): void {
    const unmet = failedTerm >= 0 ? this.k.termText.inputChecks[check]?.[failedTerm] : undefined;
    this.steps.push({
      step: 'inputCheck',
      check,
      label: this.k.names.inputCheck[check] ?? '',
      triggered: failedTerm === -1,
      ...(unmet ? { unmetTerm: unmet } : {}),
    });
  }

  mdc(mdc: number, failedTerm: number): void {
    const unmet = failedTerm >= 0 ? this.k.termText.mdcEntry[mdc]?.[failedTerm] : undefined;
    this.steps.push({
      step: 'mdc',
      mdc: this.k.core.mdcs[mdc]!.code,
      name: this.k.names.mdc[mdc] ?? '',
      entered: failedTerm === -1,
      ...(unmet ? { unmetTerm: unmet } : {}),
    });
  }

  ambiguity(mdc: number, hit: boolean): void {
    this.steps.push({ step: 'ambiguity', mdc: this.k.core.mdcs[mdc]!.code, hit });
  }

  adrg(mdc: number, adrg: number, failedTerm: number): void {
    const unmet = failedTerm >= 0 ? this.k.termText.adrgRule[adrg]?.[failedTerm] : undefined;
    this.steps.push({
      step: 'adrg',
      mdc: this.k.core.mdcs[mdc]!.code,
      adrg: this.k.core.adrgs[adrg]!.code,
      name: this.k.names.adrg[adrg] ?? '',
      ruleLabel: this.k.names.adrgRuleLabel[adrg] ?? '',
      matched: failedTerm === -1,
      ...(unmet ? { unmetTerm: unmet } : {}),
    });
  }

  secondary(position: number, dxId: number, isMcc: boolean, table: number, principalTable: number): void {
    this.steps.push({
      step: 'secondary',
      position: position + 1,
      code: this.k.dx.codes[dxId] ?? '',
      name: this.k.names.dx[dxId] ?? '',
      list: isMcc ? 'MCC' : 'CC',
      table: this.k.names.table[table] ?? '',
      principalTable: principalTable === 0 ? null : (this.k.names.table[principalTable] ?? ''),
      counted: table !== principalTable,
    });
  }

  drg(drg: number, held: boolean): void {
    this.steps.push({
      step: 'drg',
      drg: this.k.core.drgCodes[drg]!,
      name: this.k.names.drg[drg] ?? '',
      split: SPLIT_WORDS[this.k.core.drgSplit[drg]!]!,
      held,
    });
  }
}
