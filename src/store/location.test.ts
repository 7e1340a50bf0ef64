import { describe, expect, it } from 'vitest';
import { parseLocation } from './clickhouse/client.ts';
import type { StoreError } from './errors.ts';
import { inMemoryStoreError, storeInMemory, unknownSchemeError } from './location.ts';

/** The error `f` throws, as the reader sees it in each language (walk5 #1, #8; issue 17). */
function texts(f: () => unknown): { zh: string; en: string } {
  try {
    f();
  } catch (e) {
    const s = e as StoreError;
    return { zh: s.text('zh'), en: s.text('en') };
  }
  throw new Error('no error');
}

describe('store locations', () => {
  it('a ClickHouse URL without a host is "not a ClickHouse URL", not the client’s internal error', () => {
    const t = texts(() => parseLocation('clickhouse:///db'));
    expect(t.zh).toBe('clickhouse:///db: 不是有效的 ClickHouse 地址（clickhouse://主机:端口/数据库）');
    expect(t.en).toBe('clickhouse:///db: not a ClickHouse URL (clickhouse://host:port/database)');
  });

  it('a misspelt scheme is named with the nearest store scheme; a far one gets clickhouse://', () => {
    expect(unknownSchemeError('clickhous://x')?.text('en')).toMatch(
      /^clickhous:\/\/x: unknown store scheme clickhous:\/\/, did you mean clickhouse:\/\/\?/,
    );
    expect(unknownSchemeError('chdbb://f')?.text('zh')).toMatch(/未知的存储地址类型 chdbb:\/\/，是否想写 chdb:\/\/？/);
    expect(unknownSchemeError('mysql://x/y')?.text('zh')).toMatch(/是否想写 clickhouse:\/\/？/);
    expect(() => parseLocation('mysql://u:pw@x/y')).toThrow(/mysql:\/\/\*\*\*@x\/y/);
    for (const ok of ['data/a.duckdb', ':memory:', 'C:\\data\\a.duckdb', 'clickhouse://h/db', 'chdb://f'])
      expect(unknownSchemeError(ok)).toBeUndefined();
  });

  it('an unknown URL parameter is refused with did-you-mean (db= is database=)', () => {
    const t = texts(() => parseLocation('chdb://data/demo.chdb?db=x'));
    expect(t.zh).toBe(
      'chdb://data/demo.chdb?db=x: 未知的地址参数 db=，是否想写 database=？（如 chdb://data/chdb?database=yibao）',
    );
    expect(t.en).toContain('unknown URL parameter db=, did you mean database=?');
    expect(texts(() => parseLocation('clickhouse://h:8123/r?database=x')).en).toBe(
      'clickhouse://h:8123/r?database=x: unknown URL parameter database=; the database goes in the path (e.g. clickhouse://h:8123/r)',
    );
  });

  it('a bad database name says the rule and gives a valid example', () => {
    const t = texts(() => parseLocation('chdb://f?database=no-such'));
    expect(t.zh).toBe(
      'chdb://f?database=no-such: 数据库名不合规：no-such（只能用英文字母、数字和下划线，不以数字开头，至多 63 个字符，如 yibao 或 region_2025）',
    );
    expect(t.en).toContain('e.g. yibao or region_2025');
    expect(parseLocation('chdb://f?database=region_2025').database).toBe('region_2025');
  });

  it('a store in memory (:memory:, chdb://:memory:) is told as such, its place named once', () => {
    expect(
      [':memory:', 'chdb://:memory:', 'chdb://:memory:?database=x', 'data/x.duckdb', 'chdb://data'].map(storeInMemory),
    ).toEqual([true, true, true, false, false]);
    expect(inMemoryStoreError('chdb://:memory:').text('en')).toBe(
      'chdb://:memory: is a store in memory: each run starts it empty, so there is nothing to read; give --db FILE or --store chdb://FOLDER an existing store',
    );
  });
});
