/**
 * The API's read access to the embedded store: parameterised SQL over DuckDB, one query at a time (a DuckDB
 * connection runs one statement at a time; requests queue here instead of racing on it).
 */
import type { DuckDBValue } from '@duckdb/node-api';
import { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import type { Store } from '../store/store.ts';

type Params = Record<string, string | number | boolean | null>;
export type SqlRow = Record<string, DuckDBValue>;

export class ApiDb {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly store: DuckDbStore) {}

  static async open(path: string): Promise<ApiDb> {
    return new ApiDb(await DuckDbStore.open(path));
  }

  /** Run `fn` when every earlier call has finished. */
  serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Rows as objects keyed by column name. */
  query(sql: string, params: Params = {}): Promise<SqlRow[]> {
    return this.serial(async () => {
      const r = await this.store.connection.runAndReadAll(sql, params);
      return r.getRowObjects() as SqlRow[];
    });
  }

  run(sql: string, params: Params = {}): Promise<void> {
    return this.serial(async () => {
      await this.store.connection.run(sql, params);
    });
  }

  /** Whether a table exists in the store. */
  async hasTable(name: string): Promise<boolean> {
    const r = await this.query('SELECT count(*) AS n FROM information_schema.tables WHERE table_name = $t', {
      t: name,
    });
    return Number(r[0]?.n ?? 0) > 0;
  }

  /** Store-interface calls (readers, run records), queued like the SQL. */
  use<T>(fn: (s: Store) => Promise<T>): Promise<T> {
    return this.serial(() => fn(this.store));
  }

  close(): Promise<void> {
    return this.serial(() => this.store.close());
  }
}

/** A DuckDB value as a plain JSON number (DECIMAL/BIGINT) or text. */
export function num(v: DuckDBValue | undefined): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return Number(String(v));
}

/** A DECIMAL(18,2) yuan value as integer fen (exact: via its text form). */
export function fen(v: DuckDBValue | undefined): number {
  if (v === null || v === undefined) return 0;
  const s = String(v);
  const m = /^(-)?(\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return Math.round(Number(s) * 100);
  const f = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -f : f;
}

export function text(v: DuckDBValue | undefined): string | null {
  return v === null || v === undefined ? null : String(v);
}
