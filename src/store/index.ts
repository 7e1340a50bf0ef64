/**
 * The store (存储): the one interface through which the pipeline and the engines read a region's data and
 * write their results. `openStore` opens the embedded DuckDB default.
 */
import { DuckDbStore, type OpenStoreOptions } from './duckdb/duckdb-store.ts';
import type { Store } from './store.ts';

export type { OpenStoreOptions } from './duckdb/duckdb-store.ts';
export { StoreError } from './errors.ts';
export * from './runs.ts';
export type * from './settlement-runs.ts';
export type * from './store.ts';

/** Open (and create or migrate) the embedded store at `path`; ":memory:" for a throw-away store. */
export function openStore(path: string, options?: OpenStoreOptions): Promise<Store> {
  return DuckDbStore.open(path, options);
}
