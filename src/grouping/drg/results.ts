/** Decoding kernel results (table indexes) into the codes and status words users see. */
import type { DrgKernel, DrgResults, KernelCore } from './kernel-types.ts';
import type { DrgStatus } from './pack-schema.ts';
import { DRG_STATUSES, STATUS_QY, STATUS_SUCCESS } from './status.ts';

/** What a case groups to, in the reference's words: `MDCG` / `GZ1` / `GZ13` / `SUCCESS`. */
export interface DrgOutcome {
  mdc: string;
  adrg: string;
  drg: string;
  status: DrgStatus;
}

/** The result codes of an ungrouped case (FAIL, CHECK_FAILED, …), as in the reference. */
export const NO_GROUP = { mdc: '0000', adrg: '00', drg: '0000' } as const;

export function outcomeAt(k: KernelCore | DrgKernel, r: DrgResults, i: number): DrgOutcome {
  const core = 'core' in k ? k.core : k;
  const status = r.status[i]!;
  const m = r.mdc[i]!;
  const word = DRG_STATUSES[status]!;
  if (m < 0) return { ...NO_GROUP, status: word };
  const mdc = core.mdcs[m]!;
  if (status === STATUS_QY) return { mdc: mdc.code, adrg: mdc.ambiguityCode, drg: mdc.ambiguityCode, status: word };
  const a = r.adrg[i]!;
  const adrg = a < 0 ? NO_GROUP.adrg : core.adrgs[a]!.code;
  const d = r.drg[i]!;
  const drg = d >= 0 ? core.drgCodes[d]! : status === STATUS_SUCCESS ? adrg : NO_GROUP.drg;
  return { mdc: mdc.code, adrg, drg, status: word };
}
