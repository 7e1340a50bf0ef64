/**
 * The API faults walk4 found in errors, words and what a hospital may read (engineer monapi): a what-if run is the
 * agency's alone and marked as a simulation (#12); an unknown institution in an estimate is a 404 in each language
 * (#1); a review may not deduct more than the flag's amount at issue (#7) and a hospital's review is refused as a
 * write (#20); messages in one language each (#15); an export of a route of several tables names them (#18); an
 * unknown filter value is a 400, not an empty table (#24).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, H1, serveDemoWithWhatIf, type TestServer, TOKENS } from './fixture.ts';

let s: TestServer;
let whatIf = '';
beforeAll(async () => {
  ({ server: s, whatIf } = await serveDemoWithWhatIf());
}, 300_000);
afterAll(async () => {
  await s?.close();
});

const json = (body: unknown, token: string, path: string) =>
  call(s, path, token, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const CJK = /[\u4e00-\u9fff]/;
/** English words of more than one letter in a zh message, codes and ids aside. */
const englishWords = (zh: string) => zh.match(/\b[a-z]{3,}\b/g) ?? [];

describe('walk4 #12 a what-if run is the agency’s: never a hospital’s statement', () => {
  it('a hospital neither lists nor reads it; the agency reads it marked as a simulation', async () => {
    const listed = (await call(s, '/api/runs', TOKENS.h1)).body.rows as { id: string }[];
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.map((r) => r.id)).not.toContain(whatIf);
    expect((await call(s, '/api/runs?kind=what-if', TOKENS.h1)).status).toBe(403);
    expect(((await call(s, '/api/runs', TOKENS.agency)).body.rows as { id: string }[]).map((r) => r.id)).toContain(
      whatIf,
    );
    for (const path of [
      `/api/runs/${whatIf}/institutions/${H1}/statement`,
      `/api/runs/${whatIf}/institutions/${H1}/units`,
      `/api/runs/${whatIf}`,
      `/api/runs/${whatIf}/institutions/${H1}/profit`,
    ]) {
      const r = await call(s, path, TOKENS.h1);
      expect(r.status, path).toBe(403);
      expect(r.body.error.zh).toContain('政策模拟运行，只供医保经办机构查看');
      expect(r.body.error.en).toContain('policy what-if run, for the insurance agency only');
    }
    const st = await call(s, `/api/runs/${whatIf}/institutions/${H1}/statement?lang=en`, TOKENS.agency);
    expect(st.status).toBe(200);
    expect(st.body.run).toMatchObject({ id: whatIf, kind: 'what-if', simulation: true });
    expect(st.body.table.zh).toBe('月度预结算（政策模拟，非正式结算）');
    expect(st.body.table.en).toContain('(policy what-if, not an issued settlement)');
    // … and so is its table of every payment method's year.
    expect(st.body.byMethod.en).toContain('(policy what-if, not an issued settlement)');
    const ov = await call(s, `/api/runs/${whatIf}/overview`, TOKENS.agency);
    expect(ov.body.run.simulation).toBe(true);
    expect(ov.body.byMethod?.zh ?? JSON.stringify(ov.body)).toContain('（政策模拟，非正式结算）');
    const units = await call(s, `/api/runs/${whatIf}/institutions/${H1}/units`, TOKENS.agency);
    expect(units.body.zh).toContain('政策模拟');
    // the issued run reads as before, unmarked
    const issued = await call(s, `/api/runs/latest/institutions/${H1}/statement`, TOKENS.h1);
    expect(issued.status).toBe(200);
    expect(issued.body.run.simulation).toBe(false);
    expect(issued.body.table.zh).toBe('月度预结算');
  });
});

describe('walk4 #1 an estimate for an institution not in the list', () => {
  it('is a 404 saying so, each language on its own', async () => {
    const body = {
      institution: 'H99999',
      sex: '1',
      age: 45,
      admission: '2025-03-01',
      discharge: '2025-03-05',
      losDays: 4,
      dischargeWay: '1',
      diagnoses: ['K35.800'],
      totalCost: '9500',
    };
    const r = await json(body, TOKENS.agency, '/api/estimate');
    expect(r.status, JSON.stringify(r.body)).toBe(404);
    expect(r.body.error.zh).toContain('医疗机构 H99999 不在机构名录中');
    expect(englishWords(r.body.error.zh)).toEqual(['yibao', 'ingest', 'institutions']);
    expect(r.body.error.en).toContain('institution H99999 is not in the institution list');
    expect(r.body.error.en).not.toMatch(CJK);
  });
});

describe('walk4 #7 #20 reviewing a flag through the API', () => {
  it('R-MON-4: more than the amount at issue is refused with both figures; a hospital may not review', async () => {
    const q = await call(s, '/api/monitor/flags?limit=500', TOKENS.agency);
    const f = (q.body.table.rows as { flagId: string; amount: number; setlId: string }[]).find(
      (x) => x.amount > 100 && x.setlId,
    )!;
    const yuan = (f.amount / 100).toFixed(2);
    const path = `/api/monitor/flags/${encodeURIComponent(f.flagId)}/review`;
    const over = await json({ decision: 'confirmed', reason: '核实属实', amount: '99999.99' }, TOKENS.agency, path);
    expect(over.status).toBe(400);
    expect(over.body.error.zh).toContain(`扣款金额 99999.00 元`.replace('99999.00', '99999.99'));
    expect(over.body.error.zh).toContain(`涉及金额 ${yuan} 元`);
    expect(over.body.error.en).toContain(`${yuan} yuan: a confirmed deduction may not exceed the amount at issue`);
    const ok = await json({ decision: 'confirmed', reason: '核实属实', amount: yuan }, TOKENS.agency, path);
    expect(ok.status).toBe(200);
    const h = await json({ decision: 'dismissed', reason: '不属实' }, TOKENS.h1, path);
    expect(h.status).toBe(403);
    expect(h.body.error.zh).toBe('只有医保经办机构可以复核疑点');
    expect(h.body.error.en).toBe('only the insurance agency may review flags');
  });
});

describe('walk4 #15 #18 #24 messages in one language each, and what to do', () => {
  it('a monitoring run of a year without a rule base: no English in zh', async () => {
    const r = await json({ year: 2031 }, TOKENS.agency, '/api/monitor/runs');
    expect(r.status).toBe(400);
    expect(r.body.error.zh).toContain('2031 年没有可用的监控规则库');
    // the region code and the policy file's keys (kind: monitor, effective) are what the reader edits: no English
    // sentence (it read "(monitor @ demo): no monitor policy for region demo …")
    expect(r.body.error.zh).not.toMatch(/no monitor policy|@|in force/);
    expect(englishWords(r.body.error.zh).filter((w) => !['demo', 'kind', 'monitor', 'effective'].includes(w))).toEqual(
      [],
    );
    expect(r.body.error.en).not.toMatch(CJK);
  });
  it('invalid and missing parameters are worded, not the validator’s text', async () => {
    const bad = await call(s, '/api/activity?year=x', TOKENS.agency);
    expect(bad.status).toBe(400);
    expect(bad.body.error.en).not.toContain('Invalid input');
    expect(bad.body.error.en).toBe('invalid request: query.year: expected number');
    const missing = await call(s, '/api/activity', TOKENS.agency);
    expect(missing.body.error.zh).toBe('请求参数不合规：query.year 缺少此参数（必填）');
    expect(missing.body.error.en).toBe('invalid request: query.year: missing (required)');
  });
  it('an overview export without &sheet= names the sheets to choose from', async () => {
    const r = await call(s, '/api/runs/latest/overview?format=xlsx', TOKENS.agency);
    expect(r.status).toBe(400);
    const sheets = r.body.error.details.sheets as string[];
    expect(sheets.length).toBeGreaterThan(1);
    expect(r.body.error.zh).toContain(`请加 &sheet=<表名> 选择一张导出，可选：${sheets.join('、')}`);
    const one = await call(s, `/api/runs/latest/overview?format=xlsx&sheet=${sheets[0]}`, TOKENS.agency);
    expect(one.status).toBe(200);
  });
  it('an unknown case type or method is a 400 listing the valid ones; a known one filters', async () => {
    const base = `/api/runs/latest/institutions/${H1}/units`;
    const st = await call(s, `${base}?status=bogus`, TOKENS.h1);
    expect(st.status).toBe(400);
    expect(st.body.error.zh).toContain('status=bogus 不是可用的病例类型：可选 paid（正常病例）');
    const m = await call(s, `${base}?method=bogus&lang=en`, TOKENS.h1);
    expect(m.status).toBe(400);
    expect(m.body.error.en).toContain('method=bogus is not a payment method: use one of dip, drg');
    expect((await call(s, `${base}?status=high-cost&method=dip`, TOKENS.h1)).status).toBe(200);
  });
});
