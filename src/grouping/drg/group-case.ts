/**
 * Grouping entry points: `groupCase` for one case (hospital-side pre-grouping 预分组, optionally traced) and
 * `groupBatch` for an interned batch (the fast path).
 */
import { type CaseBatch, CaseBatchBuilder, codeList, type DrgCaseInput, type InternOptions } from './case-batch.ts';
import { UNKNOWN_CODE } from './code-dictionary.ts';
import { groupOne, groupRange } from './kernel.ts';
import { type DrgKernel, type DrgResults, newResults } from './kernel-types.ts';
import { type DrgOutcome, outcomeAt } from './results.ts';
import { type DrgCodeNote, type DrgTrace, TraceRecorder } from './trace.ts';

export interface GroupCaseOptions extends InternOptions {
  /** Record every step taken (slower; for explanation and pre-grouping, not for batches). */
  trace?: boolean;
}

export interface DrgGroupResult extends DrgOutcome {
  trace?: DrgTrace;
}

/** Group one case. */
export function groupCase(kernel: DrgKernel, input: DrgCaseInput, options: GroupCaseOptions = {}): DrgGroupResult {
  const builder = new CaseBatchBuilder(kernel, 1, options);
  builder.add(input);
  const batch = builder.finish();
  const out = newResults(1);
  if (!options.trace) {
    groupOne(kernel.core, batch, 0, out, null);
    return outcomeAt(kernel.core, out, 0);
  }
  const recorder = new TraceRecorder(kernel);
  groupOne(kernel.core, batch, 0, out, recorder);
  const trace: DrgTrace = {
    scheme: kernel.scheme,
    version: kernel.version,
    codeNotes: [
      ...unknownCodes(codeList(input.diagnoses), batch.dxCode, 'diagnosis'),
      ...unknownCodes(codeList(input.procedures), batch.procCode, 'procedure'),
    ],
    steps: recorder.steps,
  };
  return { ...outcomeAt(kernel.core, out, 0), trace };
}

function unknownCodes(codes: readonly string[], ids: Int32Array, kind: DrgCodeNote['kind']): DrgCodeNote[] {
  const notes: DrgCodeNote[] = [];
  codes.forEach((code, j) => {
    if (code !== '' && ids[j] === UNKNOWN_CODE) notes.push({ kind, position: j + 1, code, unknown: true });
  });
  return notes;
}

/** Group every case of an interned batch (single thread). Pass `out` to reuse result arrays. */
export function groupBatch(kernel: DrgKernel, batch: CaseBatch, out: DrgResults = newResults(batch.size)): DrgResults {
  groupRange(kernel.core, batch, out, 0, batch.size);
  return out;
}
