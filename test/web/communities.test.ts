/**
 * The medical communities (医共体) through the API and in the workbench, as walk4 found them (#2, #3, #4): every
 * 导出 XLSX answered 400 "此接口不能导出 XLSX"; with English asked for, titles and words stayed Chinese; the lead
 * hospital's eligibility table was empty for its own community. Each table now exports a workbook that passes the
 * outside check (../shared/tools/xlsx_check.py), reads in English with `lang=en` (only proper names stay Chinese), and
 * the lead hospital sees its community's rows as the agency sees them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, serveDemo, type TestServer, TOKENS } from './fixture.ts';

const CHECK = fileURLToPath(new URL('../../../shared/tools/xlsx_check.py', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = fileURLToPath(new URL('../../artifacts/screens', import.meta.url));
const HAN = /\p{Script=Han}/u;

interface Table {
  name: string;
  zh: string;
  en: string;
  columns: { key: string; zh: string; en: string; kind: string }[];
  rows: Record<string, string | number | null>[];
}

let s: TestServer;
let dir: string;
/** Proper names (communities, institutions): the only Chinese an English page or workbook may hold. */
let names: string[];

beforeAll(async () => {
  s = await serveDemo();
  dir = mkdtempSync(join(tmpdir(), 'yibao-communities-'));
  const inst = await call(s, '/api/institutions', TOKENS.agency);
  const all = await call(s, '/api/runs/latest/communities', TOKENS.agency);
  names = [
    ...all.body.communities.map((c: { name: string }) => c.name),
    ...inst.body.rows.map((r: { name: string }) => r.name),
  ].sort((a, b) => b.length - a.length);
}, 240_000);
afterAll(async () => {
  await s?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The text left once the proper names are taken out. */
const withoutNames = (text: string) => names.reduce((t, n) => t.split(n).join(''), text);

const xlsxCheck = (path: string) => spawnSync('python3', [CHECK, path], { encoding: 'utf8' });

describe('medical communities in English (walk4 #3)', () => {
  it('lang=en: titles, headers and words in English; only community and institution names stay Chinese', async () => {
    const r = await call(s, '/api/runs/latest/communities?lang=en', TOKENS.agency);
    expect(r.status).toBe(200);
    const tables = r.body.tables as Table[];
    expect(tables.map((t) => t.en)).toEqual([
      'Eligibility',
      'Budget',
      'Monthly settlement',
      'Members and methods',
      'Year-end reconciliation',
      'Indicators',
      'Region points',
      'Patient burden by level',
    ]);
    for (const t of tables) {
      for (const c of t.columns) expect(c.en, `${t.name}.${c.key}`).not.toMatch(HAN);
      for (const row of t.rows)
        for (const [k, v] of Object.entries(row))
          if (typeof v === 'string') expect(withoutNames(v), `${t.name}.${k}: ${v}`).not.toMatch(HAN);
    }
    const budget = tables.find((t) => t.name === 'community-budget')!;
    expect(budget.rows.map((x) => x.fund)).toContain('employee');
    expect(budget.rows.some((x) => x.fund === 'total')).toBe(true);
    const indicators = tables.find((t) => t.name === 'community-indicators')!;
    expect(new Set(indicators.rows.map((x) => x.met))).toEqual(new Set(['met', 'not met', '']));
    // zh as before
    const zh = await call(s, '/api/runs/latest/communities', TOKENS.agency);
    expect((zh.body.tables as Table[]).find((t) => t.name === 'community-budget')!.rows[0]!.fund).toBe('职工');
  });
});

describe('medical communities: the lead hospital sees its own community (walk4 #4)', () => {
  it("its eligibility row is the agency's row of its community; no other community's row in any table", async () => {
    const agency = await call(s, '/api/runs/latest/communities', TOKENS.agency);
    const lead = await call(s, '/api/runs/latest/communities', TOKENS.community);
    expect(lead.status).toBe(200);
    expect(lead.body.communities.map((c: { id: string }) => c.id)).toEqual(['MC990121']);
    const pick = (b: { tables: Table[] }, name: string) => b.tables.find((t) => t.name === name);
    const own = pick(agency.body, 'community-eligibility')!.rows.filter((x) => x.community === 'MC990121');
    expect(own.length).toBe(1);
    expect(pick(lead.body, 'community-eligibility')!.rows).toEqual(own);
    // Every per-community table keeps its rows of 东山县医共体 (and its total), none of the other community's.
    const mine = lead.body.communities[0].name as string;
    const other = (agency.body.communities as { id: string; name: string }[]).find((c) => c.id !== 'MC990121')!;
    for (const t of lead.body.tables as Table[]) {
      expect(t.rows.length, t.name).toBeGreaterThan(0);
      expect(JSON.stringify(t.rows), t.name).not.toContain(other.name);
      expect(JSON.stringify(t.rows), t.name).not.toContain(other.id);
    }
    const budget = pick(lead.body, 'community-budget')!;
    expect(budget.rows).toEqual(
      pick(agency.body, 'community-budget')!.rows.filter((x) => String(x.community).startsWith(mine)),
    );
    // The region's points list every institution of the region: the agency's only.
    expect(pick(lead.body, 'region-points')).toBeUndefined();
    expect(pick(agency.body, 'region-points')).toBeDefined();
  });
});

describe('medical communities: each 导出 XLSX gives a workbook (walk4 #2)', () => {
  it('every table, zh and en, agency and lead hospital: a workbook that passes xlsx_check (en: English headers)', async () => {
    const tables = (await call(s, '/api/runs/latest/communities', TOKENS.agency)).body.tables as Table[];
    expect(tables.length).toBe(8);
    for (const lang of ['zh', 'en'] as const) {
      for (const t of tables) {
        const r = await call(s, `/api/runs/latest/communities?format=xlsx&sheet=${t.name}&lang=${lang}`, TOKENS.agency);
        expect(r.status, `${t.name} ${lang}: ${JSON.stringify(r.body)}`).toBe(200);
        expect(r.headers.get('content-type')).toContain('spreadsheetml');
        const file = join(dir, lang, `${t.name}.xlsx`);
        mkdirSync(join(dir, lang), { recursive: true });
        writeFileSync(file, r.body);
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.readFile(file);
        const ws = wb.worksheets[0]!;
        expect(ws.name).toBe((lang === 'zh' ? t.zh : t.en).slice(0, 31));
        expect(ws.rowCount).toBe(t.rows.length + 1);
        if (lang === 'en') expect(JSON.stringify(ws.getRow(1).values)).not.toMatch(HAN);
      }
    }
    // The checker reads a workbook holding any Chinese (names) as a Chinese one, so the English ones are checked
    // above by their headers and words; the Chinese ones pass it whole.
    const zh = xlsxCheck(join(dir, 'zh'));
    expect(zh.stdout).toContain('8 workbooks, 0 problems');
    // The lead hospital exports its own rows (the region's points are not its to export).
    const own = await call(s, '/api/runs/latest/communities?format=xlsx&sheet=community-eligibility', TOKENS.community);
    expect(own.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(own.body);
    expect(wb.worksheets[0]!.rowCount).toBe(2);
    const refused = await call(s, '/api/runs/latest/communities?format=xlsx&sheet=region-points', TOKENS.community);
    expect(refused.status).toBe(400);
    // The export is audited as every export is.
    const audit = await call(s, '/api/audit?action=export', TOKENS.agency);
    expect(audit.body.rows.some((x: { detail: string }) => x.detail.startsWith('community-eligibility'))).toBe(true);
  }, 120_000);
});

describe.runIf(existsSync(CHROMIUM))('the 医共体 screen in chromium', () => {
  let ctx: BrowserContext;
  let profile: string;
  let web: TestServer;
  let webDir: string;

  beforeAll(async () => {
    webDir = mkdtempSync(join(tmpdir(), 'yibao-webdist-'));
    const { build } = await import('vite');
    await build({
      configFile: fileURLToPath(new URL('../../web/vite.config.ts', import.meta.url)),
      build: { outDir: webDir, emptyOutDir: true },
      logLevel: 'warn',
    });
    web = await serveDemo(webDir);
    profile = mkdtempSync(join(tmpdir(), 'yibao-chromium-'));
    ctx = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      acceptDownloads: true,
      viewport: { width: 1280, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    mkdirSync(SHOTS, { recursive: true });
  }, 240_000);
  afterAll(async () => {
    await ctx?.close();
    await web?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    if (webDir) rmSync(webDir, { recursive: true, force: true });
  });

  async function communities(token: string, lang: 'zh' | 'en'): Promise<Page> {
    const page = await ctx.newPage();
    await page.goto(`${web.url}/#/login`);
    await page.evaluate(`sessionStorage.clear(); localStorage.setItem('yibao.lang', '${lang}')`);
    await page.reload();
    await page.fill('[data-testid=token]', token);
    await page.click('[data-testid=login-submit]');
    await page.waitForSelector('[data-testid=whoami]');
    await page.click('[data-testid=nav-communities]');
    await page.waitForSelector('#app[data-screen=communities] .table-card tbody tr', { timeout: 120_000 });
    return page;
  }

  it('en: no Chinese in headings, headers or words but the proper names', async () => {
    const page = await communities(TOKENS.agency, 'en');
    expect(await page.textContent('[data-testid=screen-title]')).toBe('Medical communities');
    const headings = await page.locator('#app h2, #app h3, #app th, #app button').allTextContents();
    expect(headings.length).toBeGreaterThan(8 * 3);
    for (const h of headings) expect(h).not.toMatch(HAN);
    // The run line: each community's name then its status in English punctuation.
    const runLine = (await page.textContent('#app p.run')) ?? '';
    expect(runLine).toMatch(/东山县医共体 \(paid as one community budget\), /);
    expect(withoutNames(runLine)).not.toMatch(HAN);
    for (const cell of await page.locator('#app td').allTextContents())
      expect(withoutNames(cell), cell).not.toMatch(HAN);
    // Money with thousands separators, the indicator value a percentage beside its target.
    expect(await page.textContent('[data-testid=table-community-budget] tbody tr >> nth=0')).toMatch(/\d,\d{3}\.\d{2}/);
    const indicator = await page
      .locator('[data-testid=table-community-indicators] tbody tr >> nth=0 >> td')
      .allTextContents();
    expect(indicator[2]).toMatch(/^-?\d+\.\d{2}%$/);
    expect(indicator[3]).toMatch(/^[≤≥] \d+\.\d{2}%$/);
    await page.screenshot({ path: join(SHOTS, 'communities-en.png'), fullPage: true });
    await page.close();
  }, 180_000);

  it('zh: every 导出 XLSX downloads a workbook that passes xlsx_check; the lead hospital sees its eligibility row', async () => {
    const page = await communities(TOKENS.agency, 'zh');
    const buttons = page.locator('#app button.export');
    expect(await buttons.count()).toBe(8);
    const out = join(dir, 'browser');
    mkdirSync(out, { recursive: true });
    for (let i = 0; i < 8; i++) {
      const download = page.waitForEvent('download');
      await buttons.nth(i).click();
      const d = await download;
      await d.saveAs(join(out, d.suggestedFilename()));
    }
    const check = xlsxCheck(out);
    expect(check.stdout).toContain('8 workbooks, 0 problems');
    // A refused export (as every one of these was: 400 此接口不能导出 XLSX) says so beside its button, in zh only.
    await page.route(/format=xlsx/, (r) =>
      r.fulfill({
        status: 400,
        contentType: 'application/json',
        body: JSON.stringify({
          error: { code: 'BAD_REQUEST', zh: '此接口不能导出 XLSX', en: 'this route cannot be exported as XLSX' },
        }),
      }),
    );
    await buttons.nth(0).click();
    const refused = page.locator('[data-testid=export-error-community-eligibility]');
    await refused.filter({ hasText: '此接口不能导出 XLSX' }).waitFor();
    expect(await refused.textContent()).not.toContain('cannot');
    await page.unroute(/format=xlsx/);
    await page.screenshot({ path: join(SHOTS, 'communities-zh.png'), fullPage: true });
    await page.close();

    const lead = await communities(TOKENS.community, 'zh');
    const rows = lead.locator('[data-testid=table-community-eligibility] tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('MC990121');
    await lead.screenshot({ path: join(SHOTS, 'communities-lead.png'), fullPage: true });
    await lead.close();
  }, 180_000);
});
