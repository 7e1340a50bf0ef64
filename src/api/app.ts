/**
 * The HTTP application (Hono): routes from `routes/`, bearer-token access control, JSON errors with a code and
 * zh/en messages, XLSX export of every table route (`?format=xlsx`, audited), the OpenAPI document at
 * `/api/openapi.json`, and the built workbench (web/ → dist/web) as static files.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { DrgKernel } from '../grouping/drg/index.ts';
import { PolicyError } from '../policy/errors.ts';
import { issueText } from '../policy/messages.ts';
import { writeXlsx } from '../report/xlsx.ts';
import type { SettlementRunRecord } from '../store/settlement-runs.ts';
import type { AuditLog } from './audit.ts';
import type { Principal, TokenRegistry } from './auth.ts';
import type { ApiDb } from './db.ts';
import { ApiError, badRequest, notFound, unauthorized } from './errors.ts';
import type { Estimator } from './estimate.ts';
import type { UnitExplainer } from './explain.ts';
import type { JobBoard } from './jobs.ts';
import { type ApiTable, openApiDocument, type RouteDef } from './route.ts';

export interface ApiContext {
  db: ApiDb;
  tokens: TokenRegistry;
  audit: AuditLog;
  /** Policy folder and region the server reads policies from. */
  policies: string;
  region: string;
  version: string;
  /** One unit's explanation from a stored run (null when the run cannot explain it). */
  explainUnit: UnitExplainer;
  /** A settlement run by id, or the latest for "latest" (cached briefly: estimates ask on every request). */
  findRun(runId: string): Promise<SettlementRunRecord | undefined>;
  estimator: Estimator;
  /** Runs started through the API, one at a time. */
  jobs: JobBoard;
  /** The CHS-DRG pack (opened once) for DRG runs. */
  /** Opens a CHS-DRG scheme's kernel (once per scheme). */
  kernel: (scheme: string) => Promise<DrgKernel>;
}

export interface AppOptions {
  /** Folder of the built workbench (index.html + assets); absent: API only. */
  webDir?: string;
}

type AnyRoute = RouteDef<never, never, never>;

function bearer(c: Context): string | undefined {
  const h = c.req.header('authorization');
  const m = h ? /^Bearer\s+(.+)$/i.exec(h) : null;
  return m?.[1]?.trim();
}

function validate<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ path: [where, ...i.path].join('.'), message: i.message }));
  // zod words its messages for programmers ("Invalid input: expected number, received NaN"); both languages say it
  // in the policy files' wording (walk4 #15), the validator's own text stays in `details`.
  // A parameter not given at all is missing, not "expected number" (a coerced query parameter reads NaN).
  const given = (path: PropertyKey[]) =>
    path.reduce<unknown>(
      (v, key) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined),
      value,
    );
  const said = r.error.issues.map((i, k) => ({
    path: issues[k]!.path,
    ...(given(i.path) === undefined ? { zh: '缺少此参数（必填）', en: 'missing (required)' } : issueText(i, false)),
  }));
  throw badRequest(
    `请求参数不合规：${said.map((x) => `${x.path} ${x.zh}`).join('；')}`,
    `invalid request: ${said.map((x) => `${x.path}: ${x.en}`).join('; ')}`,
    issues,
  );
}

/** Data rows one worksheet holds below its header row (an XLSX sheet has 1,048,576 rows). */
export const SHEET_DATA_ROWS = 1_048_575;

/** Whether a route's query pages its rows with `limit` (the flag queue, an institution's cases, the audit log, …). */
function pagedQuery(schema: unknown): boolean {
  return schema instanceof z.ZodObject && 'limit' in schema.shape;
}

function tableOf(result: unknown, sheet?: string): ApiTable | undefined {
  const r = result as { kind?: string; table?: ApiTable } | null;
  // A route answering several tables (the overview: by method, by level, by institution; the communities' list of
  // tables): the one named `sheet`.
  if (sheet && r && typeof r === 'object') {
    const named = Object.values(r)
      .flatMap((v) => (Array.isArray(v) ? v : [v]))
      .find((v) => (v as ApiTable | null)?.kind === 'table' && (v as ApiTable).name === sheet) as ApiTable | undefined;
    if (named) return named;
  }
  if (r?.kind === 'table') return r as ApiTable;
  if (r?.table?.kind === 'table') return r.table;
  return undefined;
}

/** The tables a route answers side by side (the overview: by method, by level, …; the communities' list), by name. */
function tableNames(result: unknown): string[] {
  if (!result || typeof result !== 'object') return [];
  return Object.values(result)
    .flatMap((v) => (Array.isArray(v) ? v : [v]))
    .filter((v) => (v as ApiTable | null)?.kind === 'table')
    .map((v) => (v as ApiTable).name);
}

async function xlsxResponse(c: Context, t: ApiTable, lang: 'zh' | 'en'): Promise<Response> {
  const dir = await mkdtemp(join(tmpdir(), 'yibao-xlsx-'));
  try {
    const file = join(dir, `${t.name}.xlsx`);
    const sheet = { name: t.name, zh: lang === 'en' ? t.en : t.zh, columns: t.columns, rows: t.rows };
    await writeXlsx(file, [...(t.before ?? []), t.totalColumn ? { ...sheet, total: t.totalColumn } : sheet], lang);
    const bytes = await readFile(file);
    return c.body(bytes, 200, {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'content-disposition': `attachment; filename="${t.name}.xlsx"`,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Whether a built workbench (index.html) is in the folder. */
export const workbenchBuilt = (webDir: string): boolean => existsSync(join(webDir, 'index.html'));

/** The folder yibao is installed in (where `npm run build:web` runs). */
export const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export function createApp(ctx: ApiContext, routes: readonly AnyRoute[], options: AppOptions = {}): Hono {
  const app = new Hono();
  const doc = openApiDocument(routes, ctx.version);

  app.onError((e, c) => {
    if (e instanceof ApiError) return c.json(e.body(), e.status);
    // A policy the server's folder lacks (a region without a medical-community policy) is not an internal error:
    // 404 with what is missing, each language on its own; an invalid policy file stays a 500 but says which.
    if (e instanceof PolicyError) {
      const status = e.code === 'POLICY_NOT_FOUND' ? 404 : 500;
      const err = new ApiError(status, e.code, `${e.file}: ${e.zh}`, `${e.file}: ${e.en}`);
      return c.json(err.body(), status);
    }
    console.error(e);
    const err = new ApiError(500, 'INTERNAL', `服务器内部错误：${e.message}`, `internal error: ${e.message}`);
    return c.json(err.body(), 500);
  });

  app.get('/api/openapi.json', (c) => c.json(doc));

  for (const r of routes) {
    app.on(r.method.toUpperCase(), r.path, async (c) => {
      const started = performance.now();
      let principal: Principal | null = null;
      if (!r.public) {
        const token = bearer(c);
        principal = token ? (ctx.tokens.resolve(token) ?? null) : null;
        if (!principal) throw unauthorized();
      }
      const rawQuery = c.req.query();
      const params = validate(r.params, c.req.param(), 'path');
      // `sheet`: which table of a route answering several to export (the workbench's 导出 XLSX names it).
      const { format, sheet, ...rest } = rawQuery;
      const lang = rest.lang;
      let query = validate(r.query, rest, 'query');
      // An export is the whole table the filters select, not the page the screen shows: a paged route's default
      // `limit` (200 flags, 100 cases) applies to JSON; `?format=xlsx` without `limit` takes every row (from
      // `offset`) that one worksheet holds. The 导出 XLSX button sends the screen's filters and no `limit`.
      const exportAll = format === 'xlsx' && rest.limit === undefined && pagedQuery(r.query);
      if (exportAll) query = { ...(query as object), limit: SHEET_DATA_ROWS } as typeof query;
      let body: unknown;
      if (r.body) {
        let json: unknown;
        try {
          json = await c.req.json();
        } catch {
          throw badRequest('请求体不是合法的 JSON', 'the request body is not valid JSON');
        }
        body = validate(r.body, json, 'body');
      }
      // The store is open while the handler runs (the server lets it go when idle: db.ts, walk2 #14).
      await ctx.db?.acquire();
      let result: unknown;
      try {
        result = await r.handler({ principal, params, query, body: body as never } as never);
      } finally {
        ctx.db?.release();
      }
      if (format === 'xlsx') {
        const t = r.exportable ? tableOf(result, sheet) : undefined;
        // walk4 #18: a route of several tables without (or with an unknown) &sheet= said it could not export at all
        const names = r.exportable ? tableNames(result) : [];
        if (!t && names.length > 0)
          throw badRequest(
            `${sheet ? `没有名为 ${sheet} 的表` : '此接口有多张表'}：请加 &sheet=<表名> 选择一张导出，可选：${names.join('、')}`,
            `${sheet ? `no table named ${sheet}` : 'this route answers several tables'}: add &sheet=<table name> to export one of: ${names.join(', ')}`,
            { sheets: names },
          );
        if (!t) throw badRequest('此接口不能导出 XLSX', 'this route cannot be exported as XLSX');
        if (exportAll && t.rows.length >= SHEET_DATA_ROWS && (t.total ?? 0) > t.rows.length)
          throw badRequest(
            `共 ${t.total} 行，超过一张工作表能容纳的 ${SHEET_DATA_ROWS} 行：请加筛选条件（或用 limit、offset 分批）导出`,
            `${t.total} rows are more than one worksheet holds (${SHEET_DATA_ROWS}): narrow the filters (or export in parts with limit and offset)`,
          );
        await ctx.audit.record(principal, 'export', c.req.path, `${t.name} rows=${t.rows.length}`);
        return xlsxResponse(c, t, lang === 'en' ? 'en' : 'zh');
      }
      if (format !== undefined && format !== 'json')
        throw badRequest('format 只能是 json 或 xlsx', 'format must be json or xlsx');
      // The server's own time for the request (token, validation, handler), for load tests and browsers' dev tools.
      c.header('server-timing', `app;dur=${(performance.now() - started).toFixed(3)}`);
      return c.json(result as object);
    });
  }

  app.all('/api/*', () => {
    throw notFound('没有这个接口（见 /api/openapi.json）', 'no such route (see /api/openapi.json)');
  });

  // The workbench's files as they are when asked for: `yibao serve` may build it after the server started (first
  // start, or sources newer than the build), and the page then loads on the next refresh without a restart.
  const webDir = options.webDir;
  // Made once the folder is there (serveStatic warns of a missing root when made before).
  let assets: ReturnType<typeof serveStatic> | undefined;
  app.use('/*', (c, next) => {
    if (!webDir || !workbenchBuilt(webDir)) return next();
    assets ??= serveStatic({ root: webDir });
    return assets(c, next);
  });
  app.get('*', (c) => {
    if (webDir && workbenchBuilt(webDir)) return c.html(readFileSync(join(webDir, 'index.html'), 'utf8'));
    return c.text(
      `工作台未构建：yibao serve 首次启动时会构建它（需要在 yibao 的目录 ${PACKAGE_ROOT} 中运行过 npm ci），或在该目录中运行 npm run build:web，然后刷新本页 / the workbench is not built: yibao serve builds it on its first start (after npm ci in yibao's folder ${PACKAGE_ROOT}), or run npm run build:web there, then reload this page`,
      503,
    );
  });
  return app;
}

export { z };
