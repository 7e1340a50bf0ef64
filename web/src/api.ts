/** The workbench's only way to data: the HTTP API, with the token kept for this browser tab. */
import { lang } from './i18n.ts';

export interface Column {
  key: string;
  zh: string;
  en: string;
  kind: 'text' | 'int' | 'money' | 'points' | 'decimal';
  /** false: a number that names something (a year), not summed nor grouped by thousands. */
  sum?: boolean;
  /** A decimal column holding a share as exact decimal text of the fraction (0.1627), shown as a percentage (16.27%). */
  percent?: boolean;
}
export type Cell = string | number | null;
export interface ApiTable {
  kind: 'table';
  name: string;
  zh: string;
  en: string;
  columns: Column[];
  rows: Record<string, Cell>[];
  total?: number;
}
export interface Me {
  name: string;
  role: 'agency' | 'institution' | 'community';
  roleLabel: { zh: string; en: string };
  institution: string | null;
  institutions: 'all' | string[];
  personalData: boolean;
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly zh: string,
    readonly en: string,
  ) {
    super(en);
  }
}

const TOKEN_KEY = 'yibao.token';
export const getToken = (): string | null => sessionStorage.getItem(TOKEN_KEY);
export const setToken = (t: string | null): void => {
  if (t) sessionStorage.setItem(TOKEN_KEY, t);
  else sessionStorage.removeItem(TOKEN_KEY);
};

function withLang(path: string): string {
  return `${path}${path.includes('?') ? '&' : '?'}lang=${lang()}`;
}

async function failure(r: Response): Promise<ApiFailure> {
  try {
    const b = (await r.json()) as { error: { code: string; zh: string; en: string } };
    return new ApiFailure(r.status, b.error.code, b.error.zh, b.error.en);
  } catch {
    return new ApiFailure(r.status, 'HTTP', `HTTP ${r.status}`, `HTTP ${r.status}`);
  }
}

export async function get<T>(path: string): Promise<T> {
  const r = await fetch(withLang(path), { headers: { authorization: `Bearer ${getToken() ?? ''}` } });
  if (!r.ok) throw await failure(r);
  return (await r.json()) as T;
}

export async function post<T>(path: string, body: unknown, auth = true): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (auth) headers.authorization = `Bearer ${getToken() ?? ''}`;
  const r = await fetch(withLang(path), { method: 'POST', headers, body: JSON.stringify(body) });
  if (!r.ok) throw await failure(r);
  return (await r.json()) as T;
}

/** Download the XLSX of a table route (the export is recorded in the audit log). */
export async function downloadXlsx(path: string, name: string): Promise<void> {
  // `sheet` names the table, for a route that answers several (the overview).
  const r = await fetch(
    withLang(`${path}${path.includes('?') ? '&' : '?'}format=xlsx&sheet=${encodeURIComponent(name)}`),
    {
      headers: { authorization: `Bearer ${getToken() ?? ''}` },
    },
  );
  if (!r.ok) throw await failure(r);
  const url = URL.createObjectURL(await r.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = `${name}.xlsx`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
