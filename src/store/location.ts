/**
 * Store locations before any store is opened: a DuckDB file path, `clickhouse[s]://…` or `chdb://…`. Light (no
 * database client), so the CLI checks `--db` / `--store` when it reads them.
 */
import { existsSync } from 'node:fs';
import { StoreError } from './errors.ts';

/** The schemes of a ClickHouse location; any other `word://` is a misspelt one, not a DuckDB file name. */
const SCHEMES = ['clickhouse', 'clickhouses', 'chdb'] as const;

/** Edit distance of two short words (case-insensitive). */
export function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++)
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[y.length]!;
}

export function nearest(word: string, known: readonly string[]): string {
  return [...known].sort((a, b) => distance(word, a) - distance(word, b))[0]!;
}

/**
 * The error of a store location with a scheme that is not a store's (`clickhous://x`, `mysql://h/db`), else
 * undefined: such a location is a misspelling, not a DuckDB file to look for. Suggests the nearest scheme
 * (`clickhouse://` for a scheme far from all).
 */
export function unknownSchemeError(location: string): StoreError | undefined {
  const m = /^([A-Za-z][A-Za-z0-9+.-]+):\/\//.exec(location);
  if (!m || (SCHEMES as readonly string[]).includes(m[1]!)) return undefined;
  const scheme = m[1]!;
  const near = distance(scheme, nearest(scheme, SCHEMES)) <= 3 ? nearest(scheme, SCHEMES) : 'clickhouse';
  return new StoreError(
    'STORE_BAD_LOCATION',
    location.replace(/\/\/[^@/]*@/, '//***@'),
    `未知的存储地址类型 ${scheme}://，是否想写 ${near}://？存储可以是 DuckDB 文件路径（如 data/region.duckdb）、clickhouse://主机:端口/数据库 或 chdb://文件夹`,
    `unknown store scheme ${scheme}://, did you mean ${near}://? A store is a DuckDB file path (e.g. data/region.duckdb), clickhouse://host:port/database or chdb://folder`,
  );
}

/** Throw when `location` names a store of an unknown scheme (`unknownSchemeError`). */
export function checkStoreLocation(location: string): void {
  const e = unknownSchemeError(location);
  if (e) throw e;
}

/** The chDB data folder of a `chdb://FOLDER[?…]` location, else undefined. */
export function chdbFolder(location: string): string | undefined {
  return location.startsWith('chdb://') ? location.slice('chdb://'.length).split('?', 1)[0] : undefined;
}

/**
 * Is there no store at `location`: a DuckDB file or a chDB data folder that does not exist (a command that reads
 * would otherwise create an empty one there)? A ClickHouse server and ":memory:" are never missing here (a server
 * says so when it is opened).
 */
export function storeMissing(location: string): boolean {
  if (location.startsWith('clickhouse://') || location.startsWith('clickhouses://')) return false;
  const path = chdbFolder(location) ?? location;
  return path !== ':memory:' && path !== '' && !existsSync(path);
}

/**
 * Is `location` a store held in memory (`:memory:`, `chdb://:memory:`)? Each process starts it empty, so a
 * command that reads one finds nothing (a run record, a case) — as a missing store, it is said so.
 */
export function storeInMemory(location: string): boolean {
  const path = chdbFolder(location) ?? location;
  return path === ':memory:' || (path === '' && chdbFolder(location) === undefined);
}

/** The sentence for a store in memory opened to read (`storeInMemory`): it holds nothing; where a store is given. */
export function inMemoryStoreText(location: string): { zh: string; en: string } {
  const shown = location === '' ? ':memory:' : location;
  return {
    zh: `${shown} 是内存中的存储，每次运行都从空开始，没有可读取的内容；请用 --db 文件或 --store chdb://文件夹 指定已有的存储`,
    en: `${shown} is a store in memory: each run starts it empty, so there is nothing to read; give --db FILE or --store chdb://FOLDER an existing store`,
  };
}

/** The error of opening a store in memory to read (the open path; the CLI says `inMemoryStoreText` before it). */
export function inMemoryStoreError(location: string): StoreError {
  const { zh, en } = inMemoryStoreText(location);
  return new StoreError('STORE_IN_MEMORY', location, zh, en);
}
