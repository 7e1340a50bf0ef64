/**
 * R-DIP-6 (monthly-quota rule, 002 四(三)): a month with no points in the pool sets no pre-settlement point value.
 * The statements show it blank and the explanation "—"; the API's region overview (its months and chart, from
 * run_pool_months) and an institution's statement (its pool point value by month) show it as null too, and agree
 * month by month — never 0.000000.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, H1, serveDemo, type TestServer, TOKENS } from './fixture.ts';

const MONTH = '2025-02';
let s: TestServer;
beforeAll(async () => {
  // The demo run's inpatient pool as a month without points stores it: every institution's line of February with
  // 0 points and the point value 0 (ZERO = 0/1) that stands in for none, the pool's month the same (0.000000).
  s = await serveDemo(undefined, undefined, async (store) => {
    const c = store.connection;
    // every run's first pool by id (the one the overview and statement read as the inpatient pool)
    const inpatient = (t: string) => `pool_id = (SELECT min(pool_id) FROM run_pools p WHERE p.run_id = ${t}.run_id)`;
    await c.run(
      `UPDATE run_institution_months SET points = 0, point_value_num = '0', point_value_den = '1'
       WHERE month = $month AND ${inpatient('run_institution_months')}`,
      { month: MONTH },
    );
    await c.run(
      `UPDATE run_pool_months SET point_value_num = '0', point_value_den = '1', point_value = 0,
         point_value_text = '0.000000' WHERE month = $month AND ${inpatient('run_pool_months')}`,
      { month: MONTH },
    );
  });
}, 180_000);
afterAll(async () => {
  await s?.close();
});

describe('R-DIP-6 a month without points: no point value in the overview, its chart or the statement', () => {
  it('the overview’s month is null (text and number), the other eleven keep their point value', async () => {
    const o = await call(s, '/api/runs/latest/overview', TOKENS.agency);
    expect(o.status).toBe(200);
    const months = o.body.months as { month: string; pointValue: string | null; pointValueNumber: number | null }[];
    expect(months).toHaveLength(12);
    expect(months.find((m) => m.month === MONTH)).toEqual({
      month: MONTH,
      pointValue: null,
      pointValueNumber: null,
      quota: expect.any(Number),
    });
    for (const m of months.filter((x) => x.month !== MONTH)) {
      expect(m.pointValue).toMatch(/^\d+\.\d{6}$/);
      // the number is fen per point (point_value), the text 元 per point to six places
      expect((m.pointValueNumber ?? 0) / 100).toBeCloseTo(Number(m.pointValue), 6);
    }
  });

  it('an institution’s statement shows the same pool point values month by month, and its month row blank', async () => {
    const o = await call(s, '/api/runs/latest/overview', TOKENS.agency);
    const st = await call(s, `/api/runs/latest/institutions/${H1}/statement`, TOKENS.h1);
    expect(st.status).toBe(200);
    expect(st.body.pointValues).toEqual(
      (o.body.months as { month: string; pointValue: string | null }[]).map((m) => ({
        month: m.month,
        pointValue: m.pointValue,
      })),
    );
    const row = (st.body.table.rows as { month: string; pointValue: number | string | null }[]).find(
      (r) => r.month === MONTH,
    );
    expect(row?.pointValue).toBeNull();
  });
});
