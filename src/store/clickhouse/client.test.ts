import { afterEach, describe, expect, it, vi } from 'vitest';
import { StoreError } from '../errors.ts';
import { ChConnection } from './client.ts';

afterEach(() => vi.restoreAllMocks());

// walk5 #3: a server that does not answer printed ~27 lines of the client's log ([WARN] request_timeout …, [ERROR]
// HTTP request error + stack) above a message that repeated the URL and held both languages.
describe('a ClickHouse server that does not answer', () => {
  it('is one sentence per language with the cause, and the client logs nothing', async () => {
    const printed: string[] = [];
    for (const m of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const)
      vi.spyOn(console, m).mockImplementation((...a: unknown[]) => void printed.push(a.map(String).join(' ')));
    vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
      printed.push(String(s));
      return true;
    });
    for (const readOnly of [true, false]) {
      const e = await ChConnection.open('clickhouse://127.0.0.1:1/db', { readOnly }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(StoreError);
      const s = e as StoreError;
      expect(s.text('zh')).toBe(
        'clickhouse://127.0.0.1:1/db: 无法连接 ClickHouse（请检查地址、用户和密码）：connect ECONNREFUSED 127.0.0.1:1',
      );
      expect(s.text('en')).toBe(
        'clickhouse://127.0.0.1:1/db: cannot reach ClickHouse (check the URL, user and password): connect ECONNREFUSED 127.0.0.1:1',
      );
    }
    expect(printed).toEqual([]);
  });
});
