/**
 * One way to declare an API route: method, path, bilingual summary, zod schemas for path parameters, query and
 * body, and a handler. The same declaration validates requests and writes the OpenAPI document, so the two
 * cannot drift apart. Routes that return a table (`ApiTable`) can be exported as XLSX with `?format=xlsx`.
 */
import { z } from 'zod';
import type { Column, Row, Table } from '../report/table.ts';
import type { Principal } from './auth.ts';

/** A table the workbench shows and the API exports: bilingual title and headers, money cells in integer fen. */
export interface ApiTable {
  kind: 'table';
  /** File and sheet name, e.g. "institution-statement". */
  name: string;
  zh: string;
  en: string;
  columns: Column[];
  rows: Row[];
  /** Rows in total when `rows` is one page of them. */
  total?: number;
  /** The column that says 合计 / Total in the exported workbook's total row (money, points and counts summed). */
  totalColumn?: string;
  /** Sheets the exported workbook opens on before the table (a what-if's 模拟测算（未发布） notice); not in JSON. */
  before?: Table[];
}

export type Handler<P, Q, B> = (input: {
  principal: Principal | null;
  params: P;
  query: Q;
  body: B;
}) => Promise<unknown>;

export interface RouteDef<P = unknown, Q = unknown, B = unknown> {
  method: 'get' | 'post';
  /** Hono path, e.g. "/api/cases/:setlId". */
  path: string;
  tag: string;
  zh: string;
  en: string;
  /** No token needed (health, OpenAPI, login). */
  public?: boolean;
  /** The handler returns an ApiTable (or `{ table }`) that may be exported with ?format=xlsx. */
  exportable?: boolean;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  handler: Handler<P, Q, B>;
}

/** Declare a route (keeps the generic types of its schemas). */
export function route<P = Record<string, never>, Q = Record<string, never>, B = undefined>(
  def: RouteDef<P, Q, B>,
): RouteDef<P, Q, B> {
  return def;
}

/** Sheets the table's export opens on (`ApiTable.before`), kept out of the JSON answer (not enumerable). */
export function withSheetsBefore(t: ApiTable, sheets: Table[]): ApiTable {
  Object.defineProperty(t, 'before', { value: sheets, enumerable: false });
  return t;
}

/** Query parameter `format` of exportable routes. */
export const FormatQuery = z.object({ format: z.enum(['json', 'xlsx']).optional() });

const ErrorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'zh', 'en'],
      properties: {
        code: { type: 'string', examples: ['FORBIDDEN'] },
        zh: { type: 'string' },
        en: { type: 'string' },
        details: {},
      },
    },
  },
};

function schemaOf(s: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

function parametersOf(s: z.ZodType | undefined, where: 'path' | 'query'): unknown[] {
  if (!s) return [];
  const json = schemaOf(s) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, schema]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema,
  }));
}

/** The OpenAPI 3.1 document of a list of routes. */
export function openApiDocument(routes: readonly RouteDef<never, never, never>[], version: string): unknown {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const op: Record<string, unknown> = {
      tags: [r.tag],
      summary: r.en,
      description: r.zh,
      operationId: `${r.method}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_, ch: string) => (ch ?? '').toUpperCase())}`,
      parameters: [
        ...parametersOf(r.params as z.ZodType | undefined, 'path'),
        ...parametersOf(r.query as z.ZodType | undefined, 'query'),
      ],
      responses: {
        '200': {
          description: r.exportable
            ? 'JSON, or an XLSX workbook with ?format=xlsx (a route answering several tables: &sheet=<table name>)'
            : 'JSON',
          content: {
            'application/json': { schema: {} },
            ...(r.exportable
              ? { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: {} } }
              : {}),
          },
        },
        default: { description: 'error', content: { 'application/json': { schema: ErrorSchema } } },
      },
    };
    if (!r.public) op.security = [{ bearer: [] }];
    if (r.body)
      op.requestBody = { required: true, content: { 'application/json': { schema: schemaOf(r.body as z.ZodType) } } };
    paths[path] ??= {};
    paths[path][r.method] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'yibao API',
      version,
      description:
        '多元复合式医保支付引擎接口：结算运行、机构结算单、病例解释、单病例预测。/ API of the compound medical-insurance payment engine: runs, statements, explanations, single-case estimates.',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
