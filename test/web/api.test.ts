/**
 * The HTTP API over a small demo store: tokens and roles (an institution cannot read another's data; a community
 * lead sees its members), masking of person numbers, JSON errors with zh/en messages, the OpenAPI document,
 * XLSX export and the audit log (logins and exports recorded).
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, H1, H2, LEAD, serveDemo, type TestServer, TOKENS } from './fixture.ts';

let s: TestServer;
beforeAll(async () => {
  s = await serveDemo();
}, 180_000);
afterAll(async () => {
  await s?.close();
});

describe('access control (R-API: roles agency / institution / community lead)', () => {
  it('no token or a wrong token: 401 with a code and zh/en messages', async () => {
    const none = await call(s, '/api/institutions');
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('UNAUTHORIZED');
    expect(none.body.error.zh).toMatch(/令牌/);
    expect(none.body.error.en).toMatch(/token/);
    const bad = await call(s, '/api/institutions', 'not-a-token');
    expect(bad.status).toBe(401);
  });

  it('the agency sees every institution; an institution sees only itself', async () => {
    const all = await call(s, '/api/institutions', TOKENS.agency);
    expect(all.status).toBe(200);
    expect(all.body.rows.length).toBeGreaterThan(20);
    const own = await call(s, '/api/institutions', TOKENS.h1);
    expect(own.body.rows.map((r: { code: string }) => r.code)).toEqual([H1]);
  });

  it("an institution's token cannot read another institution's cases, case or activity (403)", async () => {
    const other = await call(s, `/api/institutions/${H2}/cases?year=2025`, TOKENS.h1);
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('FORBIDDEN');
    const theirs = await call(s, `/api/institutions/${H2}/cases?year=2025&limit=1`, TOKENS.h2);
    expect(theirs.status).toBe(200);
    const id = theirs.body.rows[0].setlId as string;
    expect((await call(s, `/api/cases/${id}`, TOKENS.h1)).status).toBe(403);
    expect((await call(s, `/api/cases/${id}`, TOKENS.h2)).status).toBe(200);
    expect((await call(s, `/api/activity?year=2025&institution=${H2}`, TOKENS.h1)).status).toBe(403);
    // Region-wide activity for an institution covers only its own cases.
    const mine = await call(s, '/api/activity?year=2025', TOKENS.h1);
    const own = await call(s, `/api/activity?year=2025&institution=${H1}`, TOKENS.h1);
    expect(mine.body.rows).toEqual(own.body.rows);
  });

  it("a community's lead hospital sees its members and no one else", async () => {
    const r = await call(s, '/api/institutions', TOKENS.community);
    const codes = r.body.rows.map((x: { code: string }) => x.code);
    expect(codes).toContain(LEAD);
    expect(codes.length).toBeGreaterThan(1);
    expect(r.body.rows.every((x: { community: string }) => x.community === 'MC990121')).toBe(true);
    expect((await call(s, `/api/institutions/${codes[1]}/cases?year=2025&limit=1`, TOKENS.community)).status).toBe(200);
    expect((await call(s, `/api/institutions/${H1}/cases?year=2025&limit=1`, TOKENS.community)).status).toBe(403);
  });

  it('agency-only routes refuse institutions', async () => {
    expect((await call(s, '/api/audit', TOKENS.h1)).status).toBe(403);
    expect((await call(s, '/api/records', TOKENS.h1)).status).toBe(403);
  });
});

describe('masking of personal identifiers', () => {
  it('person numbers are masked in case lists and in a case (first 2 and last 2 characters kept)', async () => {
    const list = await call(s, `/api/institutions/${H1}/cases?year=2025&limit=5`, TOKENS.agency);
    for (const r of list.body.rows as { psnNo: string }[]) expect(r.psnNo).toMatch(/^.{2}\*+.{2}$/);
    const id = list.body.rows[0].setlId;
    const c = await call(s, `/api/cases/${id}`, TOKENS.agency);
    expect(c.body.psnNo).toMatch(/^.{2}\*+.{2}$/);
    expect(JSON.stringify(c.body)).not.toMatch(/"psn_no"/);
  });
});

describe('validation, errors, OpenAPI', () => {
  it('bad query parameters give 400 BAD_REQUEST naming the parameter', async () => {
    const r = await call(s, `/api/institutions/${H1}/cases?limit=abc`, TOKENS.agency);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('BAD_REQUEST');
    expect(r.body.error.details[0].path).toBe('query.limit');
  });

  it('an unknown route is a JSON 404', async () => {
    const r = await call(s, '/api/nothing-here', TOKENS.agency);
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('NOT_FOUND');
  });

  it('the OpenAPI document lists every route with its parameters', async () => {
    const r = await call(s, '/api/openapi.json');
    expect(r.body.openapi).toBe('3.1.0');
    const op = r.body.paths['/api/institutions/{code}/cases'].get;
    expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['code', 'year', 'limit', 'offset']),
    );
    expect(r.body.paths['/api/login'].post.requestBody).toBeDefined();
  });
});

describe('XLSX export and the audit log', () => {
  it('a table route exports as XLSX with Chinese headers and money as numbers; login and export are audited', async () => {
    const login = await call(s, '/api/login', undefined, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: TOKENS.h1 }),
    });
    expect(login.status).toBe(200);
    expect(login.body.role).toBe('institution');
    const x = await call(s, `/api/activity?year=2025&institution=${H1}&format=xlsx`, TOKENS.h1);
    expect(x.status).toBe(200);
    expect(x.headers.get('content-type')).toMatch(/spreadsheetml/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.body as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).values).toEqual([undefined, '月份', '病例数', '医疗费用总额', '统筹基金支付']);
    const json = await call(s, `/api/activity?year=2025&institution=${H1}`, TOKENS.h1);
    expect(ws.getRow(2).getCell(3).value).toBe(json.body.rows[0].cost / 100);

    const audit = await call(s, '/api/audit', TOKENS.agency);
    const actions = (audit.body.rows as { action: string; actor: string }[]).map((r) => `${r.action}:${r.actor}`);
    expect(actions).toContain('login:样例市第一人民医院医保办');
    expect(actions).toContain('export:样例市第一人民医院医保办');
  });
});
