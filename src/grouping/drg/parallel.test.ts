/** Worker threads give exactly the single-thread results (shared batch and results, ranges per worker). */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { internCases } from './case-batch.ts';
import { groupBatch } from './group-case.ts';
import { newResults } from './kernel-types.ts';
import { DrgWorkerPool, groupBatchParallel } from './parallel.ts';
import { readCaseFile } from './reference-cases.ts';
import { requireChsDrg11Reference } from './reference-dir.ts';
import { referenceKernel } from './testing.ts';

describe('groupBatchParallel', () => {
  const kernel = referenceKernel();
  const cases = readCaseFile(join(requireChsDrg11Reference(), 'cases_public.csv'));

  it('3 workers on an unshared batch: same results as one thread', async () => {
    const batch = internCases(kernel, cases);
    const single = groupBatch(kernel, batch);
    const parallel = await groupBatchParallel(kernel, batch, { workers: 3 });
    expect(Array.from(parallel.drg)).toEqual(Array.from(single.drg));
    expect(Array.from(parallel.status)).toEqual(Array.from(single.status));
    expect(Array.from(parallel.mdc)).toEqual(Array.from(single.mdc));
    expect(Array.from(parallel.adrg)).toEqual(Array.from(single.adrg));
  });

  it('a pool is reusable across batches, and copes with fewer cases than workers', async () => {
    const pool = await DrgWorkerPool.start(kernel, 2);
    try {
      for (const n of [1, 1000]) {
        const batch = internCases(kernel, cases.slice(0, n), { shared: true });
        const out = newResults(n, true);
        await pool.group(batch, out);
        expect(Array.from(out.drg)).toEqual(Array.from(groupBatch(kernel, batch).drg));
      }
    } finally {
      await pool.close();
    }
  });
});
