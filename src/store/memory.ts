/**
 * The store's memory limit (issue 9), one rule for both back-ends: the option given when the store is opened, else
 * the environment's YIBAO_STORE_MEMORY (YIBAO_DUCKDB_MEMORY, its older name, is still read), else a quarter of the
 * machine's RAM, at least 1 GB and at most 4 GB — never the engines' own defaults (DuckDB takes 80 % of RAM,
 * ClickHouse 90 % of it for a server), which would leave nothing to the payment engines beside them. DuckDB takes
 * it as `memory_limit` (it spills to disk beyond it); ClickHouse (server or chDB) as `max_memory_usage` per query.
 */
import { totalmem } from 'node:os';

const SIZE = /^(\d+(?:\.\d+)?)\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i;
const UNIT: Record<string, number> = {
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/** Bytes of a size such as "2GB" or "512 MiB"; undefined when it is not one. */
export function parseMemorySize(text: string): number | undefined {
  const m = SIZE.exec(text.trim());
  if (!m) return undefined;
  return Math.floor(Number(m[1]) * UNIT[m[2]!.toLowerCase()]!);
}

/** The default limit as DuckDB writes it ("3GB"), from the environment or the machine's RAM. */
export function defaultStoreMemoryLimit(env: NodeJS.ProcessEnv = process.env, ram = totalmem()): string {
  for (const v of [env.YIBAO_STORE_MEMORY, env.YIBAO_DUCKDB_MEMORY]) {
    if (v && parseMemorySize(v) !== undefined) return v.trim().replace(/\s+/g, '');
  }
  const quarterGb = Math.floor(ram / 4 / 2 ** 30);
  return `${Math.max(1, Math.min(4, quarterGb))}GB`;
}

/** The limit in bytes (ClickHouse's `max_memory_usage`). */
export function storeMemoryLimitBytes(limit: string = defaultStoreMemoryLimit()): number {
  const bytes = parseMemorySize(limit);
  if (bytes === undefined) throw new RangeError(`not a memory size: ${limit} (e.g. 2GB, 512MB)`);
  return bytes;
}
