import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PolicyError } from '../policy/errors.ts';
import { type ApiContext, createApp } from './app.ts';
import { Month } from './params.ts';
import { route } from './route.ts';

/** An app with one public route that fails as a route reading a policy the server's folder lacks would. */
function appThrowing(e: Error) {
  const failing = route({
    method: 'get',
    path: '/api/failing',
    tag: 'test',
    zh: '测试',
    en: 'test',
    public: true,
    handler: async () => {
      throw e;
    },
  });
  return createApp({ version: 'test' } as unknown as ApiContext, [failing as never]);
}

describe('API errors of policies (R-MC: a region without a medical-community policy)', () => {
  it('a policy not found is a 404 with each language on its own, not a 500 internal error', async () => {
    const e = new PolicyError(
      'POLICY_NOT_FOUND',
      '(medical-community @ city01)',
      '',
      '没有地区 city01 在 2025-01-01 生效的 medical-community 政策文件',
      'no medical-community policy for region city01 in force on 2025-01-01',
    );
    const res = await appThrowing(e).request('/api/failing');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: {
        code: 'POLICY_NOT_FOUND',
        zh: '(medical-community @ city01): 没有地区 city01 在 2025-01-01 生效的 medical-community 政策文件',
        en: '(medical-community @ city01): no medical-community policy for region city01 in force on 2025-01-01',
      },
    });
  });
  it('an invalid policy file stays a server error but names the file and field', async () => {
    const res = await appThrowing(
      new PolicyError('POLICY_UNKNOWN_KEY', 'p.yaml', 'values.x', '未知的键', 'unknown key'),
    ).request('/api/failing');
    expect(res.status).toBe(500);
    expect(((await res.json()) as { error: { code: string; zh: string } }).error).toMatchObject({
      code: 'POLICY_UNKNOWN_KEY',
      zh: 'p.yaml: 未知的键',
    });
  });
});

describe('API request errors in both languages (glossary: no English inside the Chinese)', () => {
  const echo = route({
    method: 'post',
    path: '/api/echo',
    tag: 'test',
    zh: '测试',
    en: 'test',
    public: true,
    query: z.object({ limit: z.coerce.number().int().min(1) }),
    body: z.object({ procedures: z.array(z.object({ code: z.string() })) }),
    handler: async () => ({ ok: true }),
  });
  const app = createApp({ version: 'test' } as unknown as ApiContext, [echo as never]);

  it('a body of the wrong shape and a query out of range are said in Chinese in zh, zod’s words only in en', async () => {
    const res = await app.request('/api/echo?limit=0', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ procedures: ['47.0100'] }),
    });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { code: string; zh: string; en: string } };
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.zh).toMatch(/^请求参数不合规：query\.limit 应不小于 1/);
    expect(error.zh).not.toMatch(/Invalid|expected|received/);
    expect(error.en).toContain('query.limit');
  });

  it('the body is named with its path and what it should be (an object, not text)', async () => {
    const res = await app.request('/api/echo?limit=1', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ procedures: ['47.0100'] }),
    });
    const { error } = (await res.json()) as { error: { zh: string } };
    expect(error.zh).toBe('请求参数不合规：body.procedures.0 类型不符：应为对象（键: 值）');
  });
});

describe('XLSX export of a paged table (walk2 #2: the flag queue exported 200 of 943 flags)', () => {
  // 250 rows, served 200 to a page by default as the flag queue is (limit 200, max 10,000).
  const ALL = Array.from({ length: 250 }, (_, i) => ({ n: i + 1 }));
  const paged = route({
    method: 'get',
    path: '/api/paged',
    tag: 'test',
    zh: '测试',
    en: 'test',
    public: true,
    exportable: true,
    query: z.object({
      limit: z.coerce.number().int().min(1).max(10_000).default(200),
      offset: z.coerce.number().int().min(0).default(0),
    }),
    handler: async ({ query }) => ({
      kind: 'table',
      name: 'paged',
      zh: '分页',
      en: 'paged',
      columns: [{ key: 'n', kind: 'int', zh: '序号', en: 'no.', sum: false }],
      rows: ALL.slice(query.offset, query.offset + query.limit),
      total: ALL.length,
    }),
  });
  const audited: string[] = [];
  const audit = { record: async (_p: unknown, _a: string, _t: string, d: string) => void audited.push(d) };
  const app = createApp({ version: 'test', audit } as unknown as ApiContext, [paged as never]);
  async function sheetRows(url: string): Promise<unknown[]> {
    const res = await app.request(url);
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const ws = wb.worksheets[0]!;
    const values: unknown[] = [];
    ws.eachRow((row, i) => {
      if (i > 1) values.push(row.getCell(1).value);
    });
    return values;
  }

  it('JSON keeps its page of 200; the export without limit holds all 250 rows, in order', async () => {
    const json = (await (await app.request('/api/paged')).json()) as { rows: unknown[]; total: number };
    expect(json.rows).toHaveLength(200);
    expect(json.total).toBe(250);
    const rows = await sheetRows('/api/paged?format=xlsx');
    expect(rows).toHaveLength(250);
    expect(rows[0]).toBe(1);
    expect(rows[249]).toBe(250);
    expect(audited.at(-1)).toBe('paged rows=250');
  });

  it('a limit the request gives is kept (an export of one page), from its offset', async () => {
    expect(await sheetRows('/api/paged?format=xlsx&limit=10&offset=5')).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(await sheetRows('/api/paged?format=xlsx&offset=240')).toHaveLength(10);
  });
});

describe('a bad month in a query is said as a month, not as a pattern (walk2 #13: 格式不符（应为 regex）)', () => {
  const units = route({
    method: 'get',
    path: '/api/units',
    tag: 'test',
    zh: '测试',
    en: 'test',
    public: true,
    query: z.object({ month: Month.optional() }),
    handler: async ({ query }) => ({ month: query.month ?? null }),
  });
  const app = createApp({ version: 'test' } as unknown as ApiContext, [units as never]);

  it('month=13 and month=2025-13 are 400 with 应为月份 YYYY-MM / expected a month YYYY-MM; 2025-03 passes', async () => {
    for (const bad of ['13', '2025-13', '2025-00', '2025-3']) {
      const res = await app.request(`/api/units?month=${bad}`);
      expect(res.status, bad).toBe(400);
      const { error } = (await res.json()) as { error: { zh: string; en: string } };
      expect(error.zh).toBe('请求参数不合规：query.month 应为月份 YYYY-MM，如 2025-03');
      expect(error.en).toBe('invalid request: query.month: expected a month YYYY-MM, e.g. 2025-03');
    }
    expect(await (await app.request('/api/units?month=2025-03')).json()).toEqual({ month: '2025-03' });
  });
});
