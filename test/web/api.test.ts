/**
 * The HTTP API over a small demo store: tokens and roles (an institution cannot read another's data; a community
 * lead sees its members), masking of person numbers, JSON errors with zh/en messages, the OpenAPI document,
 * XLSX export and the audit log (logins and exports recorded).
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETTLED_AMOUNT } from '../../src/report/labels.ts';
import { call, demoOut, H1, H2, LEAD, serveDemo, type TestServer, TOKENS } from './fixture.ts';

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

  it("the run records' policy column is display text in the reader's language: a settlement's files with 、 in zh, a comma in en", async () => {
    const policies = async (lang: string) =>
      ((await call(s, `/api/records?lang=${lang}`, TOKENS.agency)).body.table.rows as { policy: string }[]).map(
        (r) => r.policy,
      );
    const zh = await policies('zh');
    const en = await policies('en');
    // The demo's settlement applied several policy files: one text, 、 between them in zh (it read "a v1, b v2").
    expect(zh.some((p) => /^\S+ v\S+(、\S+ v\S+)+$/.test(p))).toBe(true);
    expect(zh.filter((p) => p.includes(', '))).toEqual([]);
    expect(en.some((p) => /^\S+ v\S+(, \S+ v\S+)+$/.test(p))).toBe(true);
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
    expect(actions).toContain('login:示范市第一人民医院医保办');
    expect(actions).toContain('export:示范市第一人民医院医保办');
  });
});

describe('stored settlement runs: overview, statement, units, explanation (read from the run, never settled again)', () => {
  it('the overview is the agency’s: fund, point value by month, payments by method and level; year ends add up', async () => {
    expect((await call(s, '/api/runs/latest/overview', TOKENS.h1)).status).toBe(403);
    const o = await call(s, '/api/runs/latest/overview', TOKENS.agency);
    expect(o.status).toBe(200);
    expect(o.body.months).toHaveLength(12);
    expect(o.body.budget.fund).toBeGreaterThan(0);
    const inst = o.body.institutions.rows as { yearEnd: number; clearing: number; paid: number }[];
    // R-SET: Σ year-end amounts over institutions = the run's year-end total; clearing = year end − paid.
    expect(inst.reduce((a, r) => a + r.yearEnd, 0)).toBe(o.body.budget.yearEnd);
    for (const r of inst) expect(r.clearing).toBe(r.yearEnd - r.paid);
    const levels = o.body.byLevel.rows as { yearEnd: number }[];
    expect(levels.reduce((a, r) => a + r.yearEnd, 0)).toBe(o.body.budget.yearEnd);
    expect(o.body.byMethod.rows.length).toBeGreaterThan(1);
    // walk2 #11: 病例结算金额 filled for the inpatient pool's methods; the item billing of those same cases is a
    // comparison row (not a second payment): its cases and medical cost are the inpatient rows' own, nothing paid.
    type M = {
      budget: string;
      method: string;
      units: number;
      settled: number | null;
      amount: number | null;
      billed: number;
    };
    const rows = o.body.byMethod.rows as M[];
    const inpatient = rows.filter((r) => r.budget === '住院基金预算');
    expect(inpatient.length).toBeGreaterThan(1);
    for (const r of inpatient) expect(r.settled, r.method).toBeGreaterThan(0);
    // Its label says what it is: points × point value (or the fixed amount), before the fund payment ratio.
    const settledColumn = (o.body.byMethod.columns as { key: string; zh: string; en: string }[]).find(
      (c) => c.key === 'settled',
    );
    expect([settledColumn?.zh, settledColumn?.en]).toEqual([...SETTLED_AMOUNT]);
    const ffs = rows.filter((r) => r.method.startsWith('按项目'));
    expect(ffs.map((r) => [r.budget, r.method, r.amount])).toEqual([
      ['不另行支付（对照）', '按项目计价（上列病例的费用明细）', null],
    ]);
    expect(ffs[0]!.units).toBe(inpatient.reduce((a, r) => a + r.units, 0));
    expect(ffs[0]!.billed).toBe(inpatient.reduce((a, r) => a + r.billed, 0));
    const en = await call(s, '/api/runs/latest/overview?lang=en', TOKENS.agency);
    expect(en.body.byMethod.columns.map((c: { en: string }) => c.en)).toContain(
      'paid as amounts (fixed standards, at cost)',
    );
    expect(JSON.stringify(en.body.byMethod.rows)).not.toMatch(/[\u4e00-\u9fff]/u);
    // walk2 #12: 结余（+）/超支（−） is signed money (it was text: `overspend 1988548.59`).
    const sharing = o.body.institutions.columns.find((c: { key: string }) => c.key === 'sharing');
    expect([sharing.kind, sharing.zh, sharing.en]).toEqual([
      'money',
      '结余（+）/超支（−）',
      'surplus (+) / overspend (−)',
    ]);
    const signed = (o.body.institutions.rows as { sharing: number | null }[]).map((r) => r.sharing);
    expect(signed.every((v) => v === null || Number.isInteger(v))).toBe(true);
    expect(signed.some((v) => v !== null && v < 0)).toBe(true);
    // Each overview table exports by its name (the workbench's 导出 XLSX): it answered 此接口不能导出 XLSX.
    const name = o.body.institutions.name as string;
    const x = await call(s, `/api/runs/latest/overview?format=xlsx&sheet=${name}`, TOKENS.agency);
    expect(x.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.body as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const col = (ws.getRow(1).values as unknown[]).indexOf('结余（+）/超支（−）');
    expect(col).toBeGreaterThan(0);
    expect(ws.rowCount).toBeGreaterThanOrEqual(inst.length + 1);
    expect(typeof ws.getRow(2).getCell(col).value).toBe('number');
  });

  it("an institution reads its own statement and units, never another's", async () => {
    expect((await call(s, `/api/runs/latest/institutions/${H2}/statement`, TOKENS.h1)).status).toBe(403);
    expect((await call(s, `/api/runs/latest/institutions/${H2}/units`, TOKENS.h1)).status).toBe(403);
    const st = await call(s, `/api/runs/latest/institutions/${H1}/statement`, TOKENS.h1);
    expect(st.status).toBe(200);
    const months = st.body.table.rows as { payment: number }[];
    expect(months).toHaveLength(12);
    // Paid monthly in the year-end line is the sum of the months' payments.
    expect(months.reduce((a, m) => a + m.payment, 0)).toBe(st.body.yearEnd.monthlyPaid);
    // A negative month's carry is listed with the months (carried in, carried forward), as the workbook lists it.
    const keys = st.body.table.columns.map((c: { key: string }) => c.key);
    expect(keys).toEqual(expect.arrayContaining(['carried', 'carriedOut']));
    for (const m of months as unknown as { carried: number; carriedOut: number }[])
      expect([typeof m.carried, typeof m.carriedOut]).toEqual(['number', 'number']);
    expect(st.body.yearEnd.clearing).toBe(
      st.body.yearEnd.yearEnd - st.body.yearEnd.monthlyPaid - st.body.yearEnd.advance,
    );
    expect(st.body.explanation.steps.length).toBeGreaterThan(3);
    const units = await call(s, `/api/runs/latest/institutions/${H1}/units?limit=5`, TOKENS.h1);
    expect(units.body.total).toBe(st.body.yearEnd.units);
    const other = await call(s, `/api/runs/latest/institutions/${H2}/units?limit=1`, TOKENS.h2);
    const otherId = other.body.rows[0].unitId as string;
    expect((await call(s, `/api/runs/latest/units/${otherId}`, TOKENS.h1)).status).toBe(403);
    const mine = await call(s, `/api/runs/latest/units/${units.body.rows[0].unitId}`, TOKENS.h1);
    expect(mine.status).toBe(200);
    // A unit's basis reads as the statements give it, in the reader's language: it was the stored JSON text
    // ({"zh":…,"en":…,"clause":…}), which the case screen printed as it was (seen on a per-bed-day case).
    const based = [];
    for (const method of ['per-diem', 'single-disease'])
      for (const code of [H1, H2]) {
        const list = await call(
          s,
          `/api/runs/latest/institutions/${code}/units?method=${method}&limit=1`,
          TOKENS.agency,
        );
        if (list.body.rows?.[0]) based.push(list.body.rows[0].unitId as string);
      }
    expect(based.length).toBeGreaterThan(0);
    for (const id of based) {
      const zh = (await call(s, `/api/runs/latest/units/${id}`, TOKENS.agency)).body.unit.basis as string | null;
      const en = (await call(s, `/api/runs/latest/units/${id}?lang=en`, TOKENS.agency)).body.unit.basis as
        | string
        | null;
      expect(zh, id).toMatch(/^[^{].*\p{Script=Han}.* \[.+\]$/u);
      expect(en, id).toMatch(/^[A-Z][^{]* \[.+\]$/);
    }
    expect(mine.body.case.psnNo).toMatch(/^.{2}\*+.{2}$/);
    // zh: the group in words beside its code, and each explanation value key and enum value in words (no English).
    expect(mine.body.unit.groupText).not.toMatch(/#[a-z]/);
    // The case list shows the group in words too (its column is groupText; each row keeps the code as group).
    expect(units.body.columns.map((c: { key: string }) => c.key)).toContain('groupText');
    for (const r of units.body.rows as { group: string | null; groupText: string | null }[]) {
      expect(r.groupText ?? '').not.toMatch(/#[a-z]/);
      // A DIP core group by its codes, never the bare `J18.9|`; a DRG or other code as it is.
      expect(r.groupText ?? '').not.toMatch(/\|/);
    }
    // A carve-out's group by its code and the run's policy name, en in en (it showed PSY / SD001 alone).
    const named = new Set<string>();
    for (const method of ['per-diem', 'single-disease'])
      for (const code of [H1, H2])
        for (const lang of ['zh', 'en'] as const) {
          const q = `/api/runs/latest/institutions/${code}/units?method=${method}&limit=3&lang=${lang}`;
          const rows = (await call(s, q, TOKENS.agency)).body.rows as { group: string; groupText: string }[];
          for (const r of rows) {
            expect(r.groupText).toMatch(new RegExp(`^${r.group} \\S`));
            // the demo policy names its per-bed-day categories in English too (精神病 → mental illness)
            if (method === 'per-diem' && lang === 'en') expect(r.groupText).not.toMatch(/\p{Script=Han}/u);
            named.add(`${method} ${lang}`);
          }
        }
    expect([...named].sort()).toEqual(['per-diem en', 'per-diem zh', 'single-disease en', 'single-disease zh']);
    for (const st of mine.body.explanation.steps as {
      values?: Record<string, unknown>;
      valueLabels?: Record<string, string>;
    }[]) {
      for (const k of Object.keys(st.values ?? {})) expect(st.valueLabels?.[k], k).not.toMatch(/[a-z]/);
    }
    // The statement's monthly point value is a number in the workbook, not text.
    const x = await call(s, `/api/runs/latest/institutions/${H1}/statement?format=xlsx`, TOKENS.h1);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.body as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const header = (ws.getRow(1).values as unknown[]).indexOf('预结算点值');
    expect(header).toBeGreaterThan(0);
    expect(typeof ws.getRow(2).getCell(header).value).toBe('number');
  });

  it('R-DIP-6 病例结算金额: the per-case list and the one-case answer carry each case’s settled amount, equal to the statements’ per-case CSV', async () => {
    // The demo's statements of the same run (its JSON names the run) list 病例结算金额 per case; the API reads the
    // stored amounts with the case rows (one query per page, one per case).
    const dir = join(demoOut(), 'dip');
    const json = JSON.parse(readFileSync(join(dir, 'demo-dip-2025.json'), 'utf8')) as { run: string };
    const [head, ...lines] = readFileSync(join(dir, 'demo-dip-2025-cases.csv'), 'utf8')
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    const cols = head!.split(',');
    const [idAt, instAt, settledAt] = ['结算ID', '医疗机构编码', SETTLED_AMOUNT[0]].map((h) => cols.indexOf(h));
    expect(settledAt).toBeGreaterThan(0);
    const csv = new Map<string, number | null>();
    for (const l of lines) {
      const f = l.split(',');
      if (f[instAt!] !== H1) continue;
      csv.set(f[idAt!]!, f[settledAt!] === '' ? null : Math.round(Number(f[settledAt!]) * 100));
    }
    const runs = await call(s, '/api/runs', TOKENS.agency);
    expect(runs.body.rows.map((r: { id: string }) => r.id)).toContain(json.run);
    const all = await call(s, `/api/runs/${json.run}/institutions/${H1}/units?limit=100000`, TOKENS.h1);
    const rows = all.body.rows as { unitId: string; status: string; settled: number | null }[];
    expect(all.body.columns.map((c: { key: string }) => c.key)).toContain('settled');
    expect(rows.length).toBe(all.body.total);
    expect(rows.length).toBeGreaterThan(100);
    expect(new Map(rows.map((r) => [r.unitId, r.settled] as const))).toEqual(csv);
    expect(rows.filter((r) => r.settled !== null).length).toBeGreaterThan(100);
    // A page in the middle reads the same amounts as the whole list.
    const page = await call(s, `/api/runs/${json.run}/institutions/${H1}/units?limit=7&offset=50`, TOKENS.h1);
    expect(page.body.rows.map((r: { settled: number | null }) => r.settled)).toEqual(
      rows.slice(50, 57).map((r) => r.settled),
    );
    // One case: its answer carries the same settled amount, and so does its explanation's last step.
    const one = rows.find((r) => r.settled !== null)!;
    const u = await call(s, `/api/runs/${json.run}/units/${one.unitId}`, TOKENS.h1);
    expect(u.status).toBe(200);
    expect(u.body.unit.settled).toBe(one.settled);
    expect(u.body.unit.settled).toBe(csv.get(one.unitId));
  });

  it('a run lists its inputs with SHA-256 and the policy files it applied', async () => {
    const runs = await call(s, '/api/runs', TOKENS.h1);
    expect(runs.body.rows.length).toBeGreaterThan(0);
    // The year names a year: not summed, and the workbench shows it as 2025, not 2,025.
    expect(runs.body.columns.find((c: { key: string }) => c.key === 'year').sum).toBe(false);
    const d = await call(s, `/api/runs/${runs.body.rows[0].id}`, TOKENS.h1);
    expect(d.body.table.rows.every((r: { sha256: string }) => /^[0-9a-f]{64}$/.test(r.sha256))).toBe(true);
    expect(d.body.policies.length).toBeGreaterThan(0);
    // Rows read from the store are named in words, not by the store's internal path.
    const paths = d.body.table.rows.map((r: { path: string }) => r.path);
    expect(paths).toContain('已入库的 2025 年结算清单');
    expect(paths.filter((p: string) => p.startsWith('store:'))).toEqual([]);
    // The stored cases are counted in rows (行数), not in 字节; a policy file in bytes.
    const stored = d.body.table.rows.find((r: { path: string }) => r.path === '已入库的 2025 年结算清单');
    expect([stored.rows > 0, stored.bytes]).toEqual([true, null]);
    expect(d.body.table.columns.map((c: { zh: string }) => c.zh)).toEqual(['用途', '文件', 'SHA-256', '行数', '字节']);
    // The command and status in the reader's language (the record keeps them as recorded).
    expect([d.body.commandText, d.body.statusText]).toEqual([expect.not.stringMatching(/settle|demo/), '成功']);
    expect(runs.body.rows[0].command).not.toMatch(/settle|demo/);
    expect((await call(s, '/api/runs/no-such-run', TOKENS.agency)).status).toBe(404);
  });
});

describe('language of tables', () => {
  it('lang=en gives English labels, the default Chinese (glossary words)', async () => {
    const zh = await call(s, '/api/institutions', TOKENS.h1);
    const en = await call(s, '/api/institutions?lang=en', TOKENS.h1);
    expect(zh.body.rows[0].level).toBe('三级');
    expect(en.body.rows[0].level).toBe('level 3');
  });
});

describe('single-case estimate (POST /api/estimate)', () => {
  /** The estimate body of a stored case, from its settlement list as the API returns it. */
  async function bodyOf(id: string, token: string) {
    const c = (await call(s, `/api/cases/${id}`, token)).body;
    return {
      institution: c.institution,
      sex: c.sexCode,
      age: c.age,
      admission: c.admission,
      discharge: c.discharge,
      losDays: c.losDays,
      dischargeWay: c.dischargeWayCode,
      diagnoses: c.diagnoses.map((d: { code: string }) => d.code),
      procedures: c.procedures.map((p: { code: string; date: string }) => (p.date ? p : { code: p.code })),
      totalCost: (c.cost / 100).toFixed(2),
      fundPay: (c.fundPay / 100).toFixed(2),
    };
  }
  const post = (body: unknown, token: string, q = '') =>
    call(s, `/api/estimate${q}`, token, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('a comprehensive group in the path reads in words in each language (the zh path read 归入综合病种 I21#surgery)', async () => {
    const units = await call(
      s,
      `/api/runs/latest/institutions/${H1}/units?method=dip&status=paid&limit=500`,
      TOKENS.h1,
    );
    const comp = (units.body.rows as { unitId: string; group: string }[]).find((u) => u.group.includes('#'));
    expect(comp).toBeDefined();
    const r = await post(await bodyOf(comp!.unitId, TOKENS.h1), TOKENS.h1);
    const text = JSON.stringify(r.body.path);
    expect(text).not.toMatch(/#(surgery|therapeutic|diagnostic|conservative)/);
    expect(r.body.path.map((p: { zh: string }) => p.zh).join('')).toMatch(
      /综合病种（(相关手术|治疗性操作|诊断性操作|保守治疗)）/,
    );
  });

  // walk4 item 10: a per-bed-day or single-disease case was estimated by DIP (未入组) though the run carved it out.
  it('R-PAY-BEDDAY / R-PAY-DISEASE: a stored carved-out case estimates to the run’s method, group and points or amount', async () => {
    for (const method of ['per-diem', 'single-disease'] as const) {
      const units = await call(
        s,
        `/api/runs/latest/institutions/${H1}/units?method=${method}&status=paid&limit=2`,
        TOKENS.h1,
      );
      expect(units.body.rows.length).toBeGreaterThan(0);
      for (const u of units.body.rows as {
        unitId: string;
        points: number | null;
        amount: number | null;
        group: string;
      }[]) {
        const r = await post(await bodyOf(u.unitId, TOKENS.h1), TOKENS.h1, '?explain=true');
        expect(r.status).toBe(200);
        expect([r.body.method, r.body.group, r.body.points]).toEqual([method, u.group, u.points]);
        if (u.points === null) expect(r.body.expectedPayment).toBe(u.amount);
        expect(r.body.methodLabel).toBe(method === 'per-diem' ? '按床日付费' : '按病种付费');
        const rule = method === 'per-diem' ? 'R-PAY-BEDDAY' : 'R-PAY-DISEASE';
        expect(r.body.explanation.steps.map((x: { rule: string }) => x.rule)).toContain(rule);
      }
    }
  });

  // walk4 item 21: the web form could send neither a procedure date, a department nor a doctor, and every estimate
  // said 未填写手术操作日期 / 未填写出院科别 / 未填写主诊医师代码. The body takes a doctor now; with all three, no prompt.
  it('R-MON-3 before-care prompts: a case with procedure dates, department and attending doctor is complete', async () => {
    const body = {
      institution: H1,
      sex: '1',
      age: 45,
      admission: '2025-03-01',
      discharge: '2025-03-05',
      losDays: 4,
      diagnoses: ['K35.800'],
      procedures: [{ code: '47.0901' }],
      totalCost: '9800.00',
    };
    const bare = await post(body, TOKENS.h1);
    expect(bare.status).toBe(200);
    expect(bare.body.prompts.map((p: { zh: string }) => p.zh)).toEqual([
      '主要手术操作 47.0901 未填写手术操作日期',
      '未填写出院科别',
      '未填写主诊医师代码',
    ]);
    const full = await post(
      { ...body, procedures: [{ code: '47.0901', date: '2025-03-02' }], department: '03', doctor: 'D0001' },
      TOKENS.h1,
    );
    expect(full.status).toBe(200);
    expect(full.body.prompts).toEqual([]);
  });

  it('R-DIP-2/R-DIP-6: a stored normal DIP case estimates to the points the run gave it, paid at the year-end point value', async () => {
    const units = await call(s, `/api/runs/latest/institutions/${H1}/units?method=dip&status=paid&limit=3`, TOKENS.h1);
    const st = await call(s, `/api/runs/latest/overview`, TOKENS.agency);
    for (const u of units.body.rows as { unitId: string; points: number; group: string }[]) {
      const r = await post(await bodyOf(u.unitId, TOKENS.h1), TOKENS.h1, '?explain=true');
      expect(r.status).toBe(200);
      expect(r.body.points).toBe(u.points);
      expect(r.body.group).toBe(u.group);
      expect(r.body.pointValue).toBe(st.body.budget.pointValue);
      // expected payment = points (1/10000) × point value (yuan/point), to the fen
      const expected = Math.round((u.points / 10_000) * Number(st.body.budget.pointValue) * 100);
      expect(Math.abs(r.body.expectedPayment - expected)).toBeLessThanOrEqual(1);
      expect(r.body.profit).toBe(r.body.expectedPayment - r.body.cost);
      expect(r.body.explanation.steps.map((x: { rule: string }) => x.rule)).toContain('R-DIP-6');
    }
  });

  it('R-DIP-3 (costPaidCases: year-end): a low-cost DIP case is paid its cost and given the points that cost is worth at the year-end point value', async () => {
    const units = await call(
      s,
      `/api/runs/latest/institutions/${H1}/units?method=dip&status=low-cost&limit=2`,
      TOKENS.h1,
    );
    const st = await call(s, `/api/runs/latest/overview`, TOKENS.agency);
    expect(units.body.rows.length).toBeGreaterThan(0);
    for (const u of units.body.rows as { unitId: string }[]) {
      const r = await post(await bodyOf(u.unitId, TOKENS.h1), TOKENS.h1);
      expect(r.status).toBe(200);
      expect([r.body.points, r.body.expectedPayment]).toEqual([null, r.body.cost]);
      // cost (fen) ÷ (point value yuan × 100 fen) in 1/10000 points, to the rounding of the last digit
      const expected = (r.body.cost / (Number(st.body.budget.pointValue) * 100)) * 10_000;
      expect(Math.abs(r.body.costPaidPoints - expected)).toBeLessThanOrEqual(1);
    }
  });

  it('an institution cannot estimate for another institution; bad money is a 400 naming the field', async () => {
    const units = await call(s, `/api/runs/latest/institutions/${H1}/units?method=dip&limit=1`, TOKENS.h1);
    const body = await bodyOf(units.body.rows[0].unitId, TOKENS.h1);
    expect((await post(body, TOKENS.h2)).status).toBe(403);
    const bad = await post({ ...body, totalCost: '12.345' }, TOKENS.h1);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('body.totalCost');
    expect((await post({ ...body, diagnoses: [] }, TOKENS.h1)).status).toBe(400);
  });
});

describe('hospital profit and loss from the run', () => {
  it('by group, department and doctor: the same cases and cost, profit = payment − cost, worst first; own data only', async () => {
    expect((await call(s, `/api/runs/latest/institutions/${H2}/profit`, TOKENS.h1)).status).toBe(403);
    const g = (await call(s, `/api/runs/latest/institutions/${H1}/profit?by=group`, TOKENS.h1)).body;
    const d = (await call(s, `/api/runs/latest/institutions/${H1}/profit?by=department`, TOKENS.h1)).body;
    const doc = (await call(s, `/api/runs/latest/institutions/${H1}/profit?by=doctor`, TOKENS.h1)).body;
    type L = { cases: number; cost: number; payment: number; profit: number };
    const sum = (rows: L[], k: keyof L) => rows.reduce((a, r) => a + r[k], 0);
    for (const k of ['cases', 'cost', 'payment'] as const) {
      expect(sum(g.table.rows, k)).toBe(sum(d.table.rows, k));
      expect(sum(doc.table.rows, k)).toBe(sum(d.table.rows, k));
      expect(g.summary[k]).toBe(sum(g.table.rows, k));
    }
    expect(doc.table.rows.length).toBeGreaterThan(1);
    // departments by name beside the code, in the asked language (the table had codes only)
    expect(d.table.columns.map((c: { key: string }) => c.key).slice(0, 2)).toEqual(['key', 'name']);
    const named = (d.table.rows as { key: string; name: string }[]).find((r) => r.key === '03');
    if (named) expect(named.name).toBe('内科');
    const dEn = (await call(s, `/api/runs/latest/institutions/${H1}/profit?by=department&lang=en`, TOKENS.h1)).body;
    expect((dEn.table.rows as { name: string }[]).every((r) => !/\p{Script=Han}/u.test(r.name))).toBe(true);
    expect((dEn.table.rows as { name: string }[]).some((r) => r.name !== '')).toBe(true);
    expect(doc.table.rows.every((r: { name: string }) => r.name.length > 0)).toBe(true);
    for (const r of g.table.rows as L[]) expect(r.profit).toBe(r.payment - r.cost);
    const profits = (g.table.rows as L[]).map((r) => r.profit);
    expect(profits).toEqual([...profits].sort((a, b) => a - b));
    const units = await call(s, `/api/runs/latest/institutions/${H1}/units?limit=1`, TOKENS.h1);
    const excluded = await call(s, `/api/runs/latest/institutions/${H1}/units?status=excluded&limit=1`, TOKENS.h1);
    expect(sum(g.table.rows, 'cases')).toBe(units.body.total - excluded.body.total);
  });

  // walk4 item 16: the P&L valued each case half-up (payment 170748251 fen) while the statement and hospital
  // reconcile read the stored 病例结算金额 (Σ 170748246): 0.05 apart for one institution and one run.
  it('R-DIP-6 the P&L’s payment is the cases’ stored 病例结算金额, to the fen (the statements’ and reconcile’s)', async () => {
    const p = (await call(s, `/api/runs/latest/institutions/${H1}/profit`, TOKENS.h1)).body;
    const all = (await call(s, `/api/runs/latest/institutions/${H1}/units?limit=100000`, TOKENS.h1)).body;
    const rows = all.rows as { settled: number | null }[];
    expect(rows.filter((r) => r.settled !== null).length).toBeGreaterThan(100);
    const settled = rows.reduce((a, r) => a + (r.settled ?? 0), 0);
    expect(p.summary.payment).toBe(settled);
    const byDept = (await call(s, `/api/runs/latest/institutions/${H1}/profit?by=department`, TOKENS.h1)).body;
    expect(byDept.summary.payment).toBe(settled);
  });

  it('DIP: points per case = Σ points of the grouped DIP cases ÷ their number (hand-computed from the run’s units); indices near 1', async () => {
    const p = (await call(s, `/api/runs/latest/institutions/${H1}/profit`, TOKENS.h1)).body;
    expect(p.method).toBe('dip');
    const all = (await call(s, `/api/runs/latest/institutions/${H1}/units?limit=500`, TOKENS.h1)).body;
    expect(all.rows.length).toBe(all.total);
    // DIP cases only: single-disease and per-bed-day cases carry no DIP points.
    const dipUnits = await call(s, `/api/runs/latest/institutions/${H1}/units?method=dip&limit=500&lang=en`, TOKENS.h1);
    const grouped = (
      dipUnits.body.rows as { group: string | null; status: string; points: number | null; amount: number | null }[]
    ).filter((u) => u.group !== null && u.status !== 'excluded' && u.status !== 'ungrouped');
    // A low-cost case paid its cost (costPaidCases: year-end) counts with the points its cost is worth at the
    // year-end point value (cost ÷ value), not as 0 (it did: the mean was pulled down by every low-cost case).
    const pv = Number((await call(s, `/api/runs/latest/overview`, TOKENS.agency)).body.budget.pointValue);
    // (the units' status comes in words, lang=en: 'low-cost case')
    const low = grouped.filter((u) => u.points === null && u.status === 'low-cost case');
    expect(low.length).toBeGreaterThan(0);
    const points = grouped.reduce(
      (a, u) => a + (u.points ?? (u.status === 'low-cost case' ? ((u.amount ?? 0) / (pv * 100)) * 10_000 : 0)),
      0,
    );
    expect(p.summary.averagePoints).toBeCloseTo(points / grouped.length / 10_000, 3);
    const without = grouped.reduce((a, u) => a + (u.points ?? 0), 0);
    expect(p.summary.averagePoints).toBeGreaterThan(without / grouped.length / 10_000);
    expect(p.summary.cmi).toBeNull();
    expect(p.summary.costIndex).toBeGreaterThan(0.3);
    expect(p.summary.costIndex).toBeLessThan(3);
    expect(p.summary.timeIndex).toBeGreaterThan(0.3);
  });
});

describe('starting a settlement run from the API', () => {
  it('the agency starts a run, follows its job to the stored run, and the start is audited; others may not', async () => {
    const body = {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ year: 2025 }),
    };
    expect((await call(s, '/api/runs', TOKENS.h1, body)).status).toBe(403);
    const before = (await call(s, '/api/runs', TOKENS.agency)).body.rows.length as number;
    let job = (await call(s, '/api/runs', TOKENS.agency, body)).body;
    expect(job.status).toBe('running');
    const deadline = Date.now() + 240_000;
    while (job.status === 'running' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      job = (await call(s, `/api/jobs/${job.id}`, TOKENS.agency)).body;
    }
    expect(job.status, job.message).toBe('done');
    const runs = (await call(s, '/api/runs', TOKENS.agency)).body.rows as { id: string }[];
    expect(runs.length).toBe(before + 1);
    expect(runs[0]!.id).toBe(job.runId);
    const audit = await call(s, '/api/audit?action=run', TOKENS.agency);
    expect(audit.body.rows[0].detail).toContain(job.id);
  }, 300_000);
});

describe('medical communities from the run', () => {
  it('the agency sees every community, a lead hospital only its own, an institution none', async () => {
    expect((await call(s, '/api/runs/latest/communities', TOKENS.h1)).status).toBe(403);
    const all = await call(s, '/api/runs/latest/communities', TOKENS.agency);
    expect(all.status).toBe(200);
    expect(all.body.communities.length).toBe(2);
    expect(all.body.tables.length).toBeGreaterThan(2);
    const own = await call(s, '/api/runs/latest/communities', TOKENS.community);
    expect(own.body.communities.map((c: { id: string }) => c.id)).toEqual(['MC990121']);
    const name = own.body.communities[0].name as string;
    // Each row its community's: by code (eligibility), by name or its total, or its population (the burden); the
    // year-end sheet's 合计 is then its own total.
    for (const t of own.body.tables as { rows: { community?: string; scope?: string }[] }[]) {
      for (const r of t.rows)
        expect(['MC990121', '合计'].includes(r.community!) || (r.community ?? r.scope)!.startsWith(name)).toBe(true);
    }
  }, 240_000);
});

describe('single-case estimate under a CHS-DRG run (estimateCase through the API)', () => {
  const post = (path: string, body: unknown, token: string) =>
    call(s, path, token, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('R-PAY-DRG (示范细则 第八条, 第十条): points = RW × 100 × level coefficient, paid at the run’s year-end point value; equal to the run’s points', async () => {
    let job = (await post('/api/runs', { year: 2025, method: 'drg' }, TOKENS.agency)).body;
    const deadline = Date.now() + 240_000;
    while (job.status === 'running' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      job = (await call(s, `/api/jobs/${job.id}`, TOKENS.agency)).body;
    }
    expect(job.status, job.message).toBe('done');
    const run = job.runId as string;
    const o = await call(s, `/api/runs/${run}/overview`, TOKENS.agency);
    const pointValue = Number(o.body.budget.pointValue);
    expect(pointValue).toBeGreaterThan(0);
    // Level coefficients of policies/demo/drg-2025.yaml (示范细则 第十条): level 3 → 1, level 2 → 0.9.
    const coefficient: Record<string, number> = { 三级: 1, 二级: 0.9 };
    const institutions = (await call(s, '/api/institutions', TOKENS.agency)).body.rows as {
      code: string;
      level: string;
    }[];
    const checkedLevels = new Set<string>();
    let checked = 0;
    for (const { code: inst, level } of institutions) {
      if (!(level in coefficient) || checkedLevels.has(level)) continue;
      const units = await call(
        s,
        `/api/runs/${run}/institutions/${inst}/units?method=drg&status=paid&limit=2`,
        TOKENS.agency,
      );
      if (units.body.rows.length > 0) checkedLevels.add(level);
      for (const u of units.body.rows as { unitId: string; points: number; group: string }[]) {
        const c = (await call(s, `/api/cases/${u.unitId}`, TOKENS.agency)).body;
        const body = {
          institution: c.institution,
          sex: c.sexCode,
          age: c.age,
          admission: c.admission,
          discharge: c.discharge,
          losDays: c.losDays,
          dischargeWay: c.dischargeWayCode,
          diagnoses: c.diagnoses.map((d: { code: string }) => d.code),
          procedures: c.procedures.map((p: { code: string; date: string }) => (p.date ? p : { code: p.code })),
          totalCost: (c.cost / 100).toFixed(2),
          fundPay: (c.fundPay / 100).toFixed(2),
        };
        const r = await post(`/api/estimate?run=${run}&explain=true`, body, TOKENS.agency);
        expect(r.status, JSON.stringify(r.body)).toBe(200);
        expect(r.body.method).toBe('drg');
        expect(r.body.group).toBe(u.group);
        // Hand computation from the clause: RW (4 decimals, the run's weights) × 100 points × level coefficient.
        const rw = Number(r.body.weight);
        const points = Math.round(rw * 100 * coefficient[level]! * 10_000);
        expect(r.body.points).toBe(points);
        expect(r.body.points).toBe(u.points);
        expect(r.body.position).toBe('normal');
        const expected = Math.round((points / 10_000) * pointValue * 100);
        expect(Math.abs(r.body.expectedPayment - expected)).toBeLessThanOrEqual(1);
        expect(r.body.standardPayment).toBe(r.body.expectedPayment);
        expect(r.body.profit).toBe(r.body.expectedPayment - r.body.cost);
        // Deviating-case thresholds in money bracket the cost of a normal case.
        expect(r.body.thresholds.low).toBeLessThanOrEqual(r.body.cost);
        expect(r.body.thresholds.high).toBeGreaterThanOrEqual(r.body.cost);
        expect(r.body.path.map((p: { stage: string }) => p.stage)).toEqual(expect.arrayContaining(['mdc', 'drg']));
        expect(r.body.explanation.steps.map((x: { rule: string }) => x.rule)).toContain('R-PAY-DRG');
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(3);
    expect([...checkedLevels].sort()).toEqual(['三级', '二级'].sort());
    // The hospital view of the DRG run carries the CMI (mean RW of the grouped cases).
    const profit = (await call(s, `/api/runs/${run}/institutions/${H1}/profit?by=doctor`, TOKENS.h1)).body;
    expect(profit.method).toBe('drg');
    expect(profit.summary.cmi).toBeGreaterThan(0.2);
    expect(profit.summary.averagePoints).toBeNull();
    // An institution still estimates only its own cases under the DRG run.
    const own = await call(s, `/api/runs/${run}/institutions/${H1}/units?method=drg&limit=1`, TOKENS.h1);
    expect(own.status).toBe(200);
  }, 300_000);
});

describe('policy what-if (a recorded what-if run beside the issued run)', () => {
  const post = (path: string, body: unknown, token: string) =>
    call(s, path, token, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('R-SET budget (示范细则 第十条): growth 5 % → 10 % scales the fund by 1.10 / 1.05; the issued run stays in force; agency only', async () => {
    const issued = (await call(s, '/api/runs?kind=issued&lang=en', TOKENS.agency)).body.rows as {
      id: string;
      caseMethod: string;
    }[];
    const base = issued.find((r) => r.caseMethod === 'DIP')!.id;
    const latestBefore = (await call(s, '/api/runs/latest', TOKENS.agency)).body.record.id;
    const params = await call(s, `/api/runs/${base}/what-if/parameters`, TOKENS.agency);
    expect(params.status).toBe(200);
    const growth = (params.body.table.rows as { id: string; value: number }[]).find((p) =>
      p.id.endsWith(':budget.growthRate'),
    )!;
    expect(growth.value).toBe(0.05);
    expect((await call(s, `/api/runs/${base}/what-if/parameters`, TOKENS.h1)).status).toBe(403);
    expect(
      (await post(`/api/runs/${base}/what-if`, { changes: [{ parameter: growth.id, value: 0.1 }] }, TOKENS.h1)).status,
    ).toBe(403);
    const unknown = await post(
      `/api/runs/${base}/what-if`,
      { changes: [{ parameter: 'x:y', value: 1 }] },
      TOKENS.agency,
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details[0].path).toBe('body.changes.0.parameter');

    let job = (
      await post(`/api/runs/${base}/what-if`, { changes: [{ parameter: growth.id, value: 0.1 }] }, TOKENS.agency)
    ).body;
    expect(job.kind).toBe('what-if');
    const deadline = Date.now() + 240_000;
    while (job.status === 'running' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      job = (await call(s, `/api/jobs/${job.id}`, TOKENS.agency)).body;
    }
    expect(job.status, job.message).toBe('done');
    expect(job.warning).toBeNull();
    const c = await call(s, `/api/what-if/${job.runId}`, TOKENS.agency);
    expect(c.status).toBe(200);
    expect(c.body.base.id).toBe(base);
    expect(c.body.changes).toEqual([
      {
        parameter: growth.id,
        value: 0.1,
        key: 'budget.growthRate',
        policy: '区域总额预算与结算',
        group: '区域总额预算与结算 · 基金预算',
        label: '增长率',
        ratio: true,
        inForce: 0.05,
        source: expect.stringMatching(/第十条/),
        text: '区域总额预算与结算 · 基金预算 · 增长率：0.05（5%） → 0.1（10%）',
      },
    ]);
    const fund = (x: { pools: { fund: number }[] }) => x.pools[0]!.fund;
    // Fund = last year's fund paid × (1 + growth): the what-if fund is the issued one × 1.10 / 1.05 (to a fen).
    expect(Math.abs(fund(c.body.whatIf) - Math.round((fund(c.body.base) * 1.1) / 1.05))).toBeLessThanOrEqual(1);
    const rows = c.body.table.rows as { base: number; whatIf: number; difference: number }[];
    for (const r of rows) expect(r.difference).toBe(r.whatIf - r.base);
    expect(c.body.total.difference).toBeGreaterThan(0);
    // The issued run is untouched and still the run in force; the what-if run is listed as one.
    expect((await call(s, '/api/runs/latest', TOKENS.agency)).body.record.id).toBe(latestBefore);
    const all = (await call(s, '/api/runs?kind=what-if', TOKENS.agency)).body.rows as { id: string }[];
    expect(all.map((r) => r.id)).toEqual([job.runId]);
    expect((await call(s, `/api/what-if/${job.runId}`, TOKENS.h1)).status).toBe(403);
    const audit = await call(s, '/api/audit?action=run', TOKENS.agency);
    expect(audit.body.rows[0].detail).toContain(`${growth.id}=0.1`);
  }, 300_000);
});

describe('monitoring queue (R-MON-4: flags with evidence, explanation, review)', () => {
  type FlagRow = { flagId: string; ruleId: string; institutionCode: string; amount: number; severity: string };
  const post = (path: string, body: unknown, token: string) =>
    call(s, path, token, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('the queue: most severe first, filters by rule, severity and institution; an institution sees only its own', async () => {
    const all = await call(s, '/api/monitor/flags?limit=10000', TOKENS.agency);
    expect(all.status).toBe(200);
    const rows = all.body.table.rows as FlagRow[];
    expect(all.body.table.total).toBe(rows.length);
    expect(rows.length).toBeGreaterThan(0);
    const order = { 高: 0, 中: 1, 低: 2 } as Record<string, number>;
    const sev = rows.map((r) => order[r.severity]!);
    expect(sev).toEqual([...sev].sort((a, b) => a - b));
    expect(all.body.amount).toBe(rows.reduce((a, r) => a + r.amount, 0));
    const rule = all.body.rules[0] as { id: string; flags: number };
    const byRule = await call(s, `/api/monitor/flags?rule=${rule.id}&limit=10000`, TOKENS.agency);
    expect(byRule.body.table.total).toBe(rule.flags);
    expect((byRule.body.table.rows as FlagRow[]).every((r) => r.ruleId === rule.id)).toBe(true);
    const high = await call(s, '/api/monitor/flags?severity=high&limit=10000', TOKENS.agency);
    expect(high.body.table.total).toBe(rows.filter((r) => r.severity === '高').length);
    const inst = rows[0]!.institutionCode;
    const one = await call(s, `/api/monitor/flags?institution=${inst}&limit=10000`, TOKENS.agency);
    expect(one.body.table.total).toBe(rows.filter((r) => r.institutionCode === inst).length);
    const own = await call(s, '/api/monitor/flags?limit=10000', TOKENS.h1);
    expect((own.body.table.rows as FlagRow[]).every((r) => r.institutionCode === H1)).toBe(true);
    expect(own.body.table.total).toBe(rows.filter((r) => r.institutionCode === H1).length);
    expect((await call(s, `/api/monitor/flags?institution=${H2}`, TOKENS.h1)).status).toBe(403);
    const x = await call(s, `/api/monitor/flags?rule=${rule.id}&format=xlsx`, TOKENS.agency);
    expect(x.headers.get('content-type')).toMatch(/spreadsheetml/);
    // The 导出 XLSX button's URL (the filters, no limit) exports the whole queue, not the JSON's first page (walk2 #2:
    // 200 of 943 flags; this small demo has fewer than 200, app.test.ts pages 250 rows).
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await call(s, '/api/monitor/flags?format=xlsx', TOKENS.agency)).body as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.rowCount).toBe(1 + rows.length);
    const page = await call(s, '/api/monitor/flags?limit=5', TOKENS.agency);
    expect(page.body.table.rows).toHaveLength(5);
  });

  it('R-MON-1 indicators beside same-level peers include the QC failure rate and the high-weight group share', async () => {
    const all = await call(s, '/api/monitor/indicators', TOKENS.agency);
    expect(all.status).toBe(200);
    type I = { institutionCode: string; indicatorCode: string; value: number; peerMean: number | null; peers: number };
    const rows = all.body.table.rows as I[];
    const codes = new Set(rows.map((r) => r.indicatorCode));
    expect(codes).toContain('qcFailureRate');
    expect(codes).toContain('highWeightShare');
    for (const r of rows.filter((x) => x.indicatorCode === 'highWeightShare' || x.indicatorCode === 'qcFailureRate')) {
      expect(r.value).toBeGreaterThanOrEqual(0);
      expect(r.value).toBeLessThanOrEqual(1);
    }
    // Peer mean (leave-one-out) of H1: the mean of the other institutions of its level (values shown to 4 places).
    const levels = new Map(
      ((await call(s, '/api/institutions', TOKENS.agency)).body.rows as { code: string; level: string }[]).map((r) => [
        r.code,
        r.level,
      ]),
    );
    const qc = rows.filter((r) => r.indicatorCode === 'qcFailureRate');
    const mine = qc.find((r) => r.institutionCode === H1)!;
    const peers = qc.filter((r) => r.institutionCode !== H1 && levels.get(r.institutionCode) === levels.get(H1));
    expect(mine.peers).toBe(peers.length);
    if (peers.length >= 3) {
      expect(mine.peerMean).toBeCloseTo(peers.reduce((a, r) => a + r.value, 0) / peers.length, 3);
    }
    const own = await call(s, '/api/monitor/indicators', TOKENS.h1);
    expect((own.body.table.rows as I[]).every((r) => r.institutionCode === H1)).toBe(true);
    expect((await call(s, `/api/monitor/indicators?institution=${H2}`, TOKENS.h1)).status).toBe(403);
  });

  it('a flag opens with its rule, evidence and review; review is the agency’s, audited, and shows in the queue', async () => {
    const rows = (await call(s, '/api/monitor/flags?limit=10000', TOKENS.agency)).body.table.rows as FlagRow[];
    const f = rows.find((r) => r.institutionCode !== H1)!;
    const id = encodeURIComponent(f.flagId);
    const e = await call(s, `/api/monitor/flags/${id}`, TOKENS.agency);
    expect(e.status).toBe(200);
    expect(e.body.flag.flagId).toBe(f.flagId);
    expect(e.body.explanation.steps.map((x: { rule: string }) => x.rule)).toEqual(['R-MON-2', 'R-MON-4', 'R-MON-4']);
    expect(e.body.review).toBeNull();
    expect((await call(s, `/api/monitor/flags/${id}`, TOKENS.h1)).status).toBe(403);
    const body = { decision: 'confirmed', reason: '病历核实属实', amount: '12.30' };
    expect((await post(`/api/monitor/flags/${id}/review`, body, TOKENS.h1)).status).toBe(403);
    expect((await post(`/api/monitor/flags/${id}/review`, { ...body, reason: '' }, TOKENS.agency)).status).toBe(400);
    const r = await post(`/api/monitor/flags/${id}/review`, body, TOKENS.agency);
    expect(r.status).toBe(200);
    expect(r.body.amount).toBe(1230);
    const after = await call(s, `/api/monitor/flags/${id}`, TOKENS.agency);
    expect(after.body.review.decision).toBe('confirmed');
    expect(after.body.explanation.steps.at(-1).result).toContain('12.30');
    const confirmed = await call(s, '/api/monitor/flags?decision=confirmed', TOKENS.agency);
    expect((confirmed.body.table.rows as FlagRow[]).map((x) => x.flagId)).toEqual([f.flagId]);
    const audit = await call(s, '/api/audit?action=review', TOKENS.agency);
    expect(audit.body.rows[0].target).toBe(f.flagId);
  });
});
