// Issue 9: the store's memory limit — one rule for DuckDB and ClickHouse (src/store/memory.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultStoreMemoryLimit, parseMemorySize, storeMemoryLimitBytes } from './memory.ts';

const GiB = 2 ** 30;

describe('store memory limit', () => {
  it('defaults to a quarter of the RAM, at least 1 GB and at most 4 GB', () => {
    expect(defaultStoreMemoryLimit({}, 24 * GiB)).toBe('4GB');
    expect(defaultStoreMemoryLimit({}, 8 * GiB)).toBe('2GB');
    expect(defaultStoreMemoryLimit({}, 2 * GiB)).toBe('1GB');
  });

  it('takes YIBAO_STORE_MEMORY, then the older YIBAO_DUCKDB_MEMORY; ignores what is not a size', () => {
    expect(defaultStoreMemoryLimit({ YIBAO_STORE_MEMORY: '6GB', YIBAO_DUCKDB_MEMORY: '1GB' }, 24 * GiB)).toBe('6GB');
    expect(defaultStoreMemoryLimit({ YIBAO_DUCKDB_MEMORY: '512 MiB' }, 24 * GiB)).toBe('512MiB');
    expect(defaultStoreMemoryLimit({ YIBAO_STORE_MEMORY: 'lots' }, 24 * GiB)).toBe('4GB');
  });

  it('reads sizes in decimal and binary units and refuses anything else', () => {
    expect(parseMemorySize('2GB')).toBe(2e9);
    expect(parseMemorySize('1.5 GiB')).toBe(1.5 * GiB);
    expect(parseMemorySize('2G')).toBeUndefined();
    expect(() => storeMemoryLimitBytes('two gigabytes')).toThrow(/not a memory size/);
  });

  it('property: the default always lies between 1 GB and 4 GB, whatever the RAM', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 42 }), (ram) => {
        const bytes = storeMemoryLimitBytes(defaultStoreMemoryLimit({}, ram));
        expect(bytes).toBeGreaterThanOrEqual(1e9);
        expect(bytes).toBeLessThanOrEqual(4e9);
      }),
    );
  });
});
