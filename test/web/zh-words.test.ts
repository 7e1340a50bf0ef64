/**
 * Values a zh reader of the workbench sees are Chinese, an en reader's English (glossary.md; walk4 #14): the policy
 * files' kinds by their names (zh read `benefits`, `capitation`), the audit log's roles and actions in words (zh read
 * `agency  login`), what a run derived by its name (zh read `case-amount-rounding`, `per-diem-rates`,
 * `single-disease-standards`). The recorded values stay in the JSON beside the words.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, serveDemo, type TestServer, TOKENS } from './fixture.ts';

const HAN = /\p{Script=Han}/u;
/** An identifier-like English word (`benefits`, `login`, `per-diem-rates`). */
const ENUM_WORD = /\b[a-z]{3,}(-[a-z]+)*\b/;

let s: TestServer;
beforeAll(async () => {
  s = await serveDemo();
}, 240_000);
afterAll(async () => {
  await s?.close();
});

/** The text of a table's shown columns, row by row. */
const shown = (t: { columns: { key: string }[]; rows: Record<string, unknown>[] }, key: string) =>
  t.rows.map((r) => String(r[key] ?? ''));

describe('policy files: 类型 by its name', () => {
  it('zh: 待遇政策, 按人头付费 …, en: Patient benefits …; the recorded kind beside it', async () => {
    const zh = (await call(s, '/api/policies', TOKENS.agency)).body;
    const col = zh.columns.find((c: { zh: string }) => c.zh === '类型').key as string;
    expect(zh.rows.length).toBeGreaterThan(5);
    for (const v of shown(zh, col)) {
      expect(v).toMatch(HAN);
      expect(v.replace(/\b(DIP|DRG)\b/g, '')).not.toMatch(ENUM_WORD);
    }
    const benefits = zh.rows.find((r: { kind: string }) => r.kind === 'benefits');
    expect(benefits[col]).toBe('待遇政策');
    const en = (await call(s, '/api/policies?lang=en', TOKENS.agency)).body;
    for (const v of shown(en, col)) expect(v).not.toMatch(HAN);
    expect(en.rows.find((r: { kind: string }) => r.kind === 'benefits')[col]).toBe('Patient benefits');
  });
});

describe('audit log: role and action in words', () => {
  it('zh: 医保经办机构 · 登录 / 导出 (N 行); en: insurance agency · log in / export (N rows)', async () => {
    await call(s, '/api/login', undefined, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: TOKENS.agency }),
    });
    await call(s, '/api/policies?format=xlsx', TOKENS.agency);
    const zh = (await call(s, '/api/audit', TOKENS.agency)).body;
    const key = (header: string) => zh.columns.find((c: { zh: string }) => c.zh === header).key as string;
    const [role, action, detail] = [key('角色'), key('操作'), key('说明')];
    const login = zh.rows.find((r: { action: string }) => r.action === 'login');
    expect(login[role]).toBe('医保经办机构');
    expect(login[action]).toBe('登录');
    const exp = zh.rows.find((r: { action: string }) => r.action === 'export');
    expect(exp[action]).toBe('导出');
    expect(exp[detail]).toMatch(/^policies \d+ 行$/);
    for (const k of [role, action]) for (const v of shown(zh, k)) expect(v).not.toMatch(ENUM_WORD);
    const en = (await call(s, '/api/audit?lang=en', TOKENS.agency)).body;
    const enLogin = en.rows.find((r: { action: string }) => r.action === 'login');
    expect([enLogin[role], enLogin[action]]).toEqual(['insurance agency', 'log in']);
    expect(en.rows.find((r: { action: string }) => r.action === 'export')[detail]).toMatch(/^policies \d+ rows?$/);
  });
});

describe('a run’s derived results by their names', () => {
  it('zh names every derived kind (no case-amount-rounding, per-diem-rates …); en has no Chinese but names', async () => {
    const zh = (await call(s, '/api/runs/latest', TOKENS.agency)).body;
    const kinds = zh.derived.map((d: { kind: string }) => d.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(['case-amount-rounding', 'per-diem-rates', 'single-disease-standards']),
    );
    for (const d of zh.derived as { kind: string; text: string }[]) {
      expect(d.text, d.kind).not.toContain(d.kind);
      expect(d.text.split(' · ')[0], d.kind).toMatch(HAN);
    }
    expect(zh.derived.find((d: { kind: string }) => d.kind === 'per-diem-rates').text).toMatch(/^按床日付费定额 · /);
    const en = (await call(s, '/api/runs/latest?lang=en', TOKENS.agency)).body;
    for (const d of en.derived as { kind: string; text: string }[]) expect(d.text.split(' · ')[0]).not.toMatch(HAN);
  });
});
