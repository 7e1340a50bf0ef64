/**
 * The store (存储): the one interface through which the pipeline and the engines read a region's data and
 * write their results. `openStore` opens the embedded DuckDB default.
 */
import { ClickHouseStore } from './clickhouse/clickhouse-store.ts';
import { isClickHouseLocation } from './clickhouse/client.ts';
import { DuckDbStore, type OpenStoreOptions } from './duckdb/duckdb-store.ts';
import { checkStoreLocation } from './location.ts';
import type { Store } from './store.ts';

export { isClickHouseLocation } from './clickhouse/client.ts';
export type { OpenStoreOptions } from './duckdb/duckdb-store.ts';
export { StoreError } from './errors.ts';
export { checkStoreLocation, storeMissing, unknownSchemeError } from './location.ts';
export * from './runs.ts';
export type * from './settlement-runs.ts';
export type * from './store.ts';

/**
 * Open (and create or migrate) a store: the embedded DuckDB file at `path` (":memory:" for a throw-away store),
 * or ClickHouse — `clickhouse://host:port/database` for a server, `chdb://FOLDER` for chDB in process.
 */
export async function openStore(path: string, options?: OpenStoreOptions): Promise<Store> {
  // A misspelt scheme (clickhous://, mysql://) is not a DuckDB file name to create.
  checkStoreLocation(path);
  if (isClickHouseLocation(path))
    return ClickHouseStore.open(path, {
      readOnly: options?.readOnly ?? false,
      ...(options?.memoryLimit !== undefined ? { memoryLimit: options.memoryLimit } : {}),
    });
  return DuckDbStore.open(path, options);
}
