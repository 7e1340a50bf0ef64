import { describe, expect, it } from 'vitest';
import type { SettlementRunRecord } from '../store/settlement-runs.ts';
import { runFinder } from './run-finder.ts';

const rec = (id: string, kind: 'settle' | 'what-if'): SettlementRunRecord => ({ id, kind }) as SettlementRunRecord;

describe('runFinder: the run list an estimate asks on every request', () => {
  it('reads the list once for any number of requests, and again only after a job stored a run', async () => {
    let reads = 0;
    let runs = [rec('w1', 'what-if'), rec('r1', 'settle')];
    const f = runFinder(async () => {
      reads++;
      return runs;
    });
    const found = await Promise.all(Array.from({ length: 50 }, () => f.find('latest')));
    expect(found.every((r) => r?.id === 'r1')).toBe(true);
    expect((await f.find('w1'))?.kind).toBe('what-if');
    expect(await f.find('nope')).toBeUndefined();
    expect(reads).toBe(1);
    runs = [rec('r2', 'settle'), ...runs];
    f.invalidate();
    expect((await f.find('latest'))?.id).toBe('r2');
    expect((await f.find('r1'))?.id).toBe('r1');
    expect(reads).toBe(2);
  });

  it('a failed read is not kept: the next request reads again', async () => {
    let fail = true;
    const f = runFinder(async () => {
      if (fail) throw new Error('store busy');
      return [rec('r1', 'settle')];
    });
    await expect(f.find('latest')).rejects.toThrow('store busy');
    fail = false;
    expect((await f.find('latest'))?.id).toBe('r1');
  });

  it('a list read before the invalidation never overwrites the newer one', async () => {
    const resolvers: ((r: SettlementRunRecord[]) => void)[] = [];
    const f = runFinder(() => new Promise((resolve) => resolvers.push(resolve)));
    const first = f.find('latest');
    f.invalidate();
    const second = f.find('latest');
    resolvers[1]!([rec('new', 'settle')]);
    resolvers[0]!([rec('old', 'settle')]);
    expect((await second)?.id).toBe('new');
    expect((await first)?.id).toBe('new'); // a request waiting on the old read answers from the newest list
    expect((await f.find('latest'))?.id).toBe('new');
  });
});
