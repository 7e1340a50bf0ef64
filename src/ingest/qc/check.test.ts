/**
 * R-DATA-1 reject messages show a value as the file gave it: a date-time at midnight (a date in the file) reads
 * as the date, a real time is kept, an empty value reads （未填） in zh and (blank) in en.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { msg } from './check.ts';

describe('msg', () => {
  it('R-DATA-1 prints a midnight date-time as its date and keeps a real time', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      const reader = await conn.runAndReadAll(
        `SELECT ${msg('出院时间 {d} 早于入院时间 {a}；出生 {b}；空 {n}；天数 {k}')} AS m
           FROM (SELECT TIMESTAMP '2025-05-01 00:00:00' AS d, TIMESTAMP '2025-05-03 09:30:00' AS a,
                        DATE '1985-01-01' AS b, CAST(NULL AS TIMESTAMP) AS n, 4 AS k)`,
      );
      expect(reader.getRows()[0]?.[0]).toBe(
        '出院时间 2025-05-01 早于入院时间 2025-05-03 09:30:00；出生 1985-01-01；空 （未填）；天数 4',
      );
      // walk audit3: "统筹基金 6000.00 + 个人账户 ∅ + 个人现金 0.00" — ∅ is no word a reader of the glossary knows.
      const en = await conn.runAndReadAll(`SELECT ${msg('fund {f} + personal account {a}')} AS m
           FROM (SELECT '6000.00' AS f, CAST(NULL AS VARCHAR) AS a)`);
      expect(en.getRows()[0]?.[0]).toBe('fund 6000.00 + personal account (blank)');
    } finally {
      conn.closeSync();
      db.closeSync();
    }
  });
});
