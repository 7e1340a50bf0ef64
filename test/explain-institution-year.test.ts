/**
 * `yibao explain settlement INST`: an institution's whole year from the stored run — each payment method's part with
 * its steps and the total — equal to its statements to the fen, on the hand-computed region of
 * test/hand-capitation-region.test.ts (capitation heads, per-bed-day and single-disease cases, DIP).
 *
 * By hand (seed 004 四(五)、四(六), R-CAP-4/5; the computation is in hand-capitation-region.test.ts):
 * - H1 capitation: prepaid 3,420.00 (3,600.00 × 95 %, 285.00 a month), year end by actual heads 5,186.71, spending
 *   4,450.00, surplus 736.71 × 80 % = 589.37 → the fund pays 5,039.37, clearing 1,619.37.
 * - H2 capitation: prepaid 8,550.00, total 3,593.83, spending 4,700.00, overspend 1,106.17: the band up to 10 %
 *   (359.38) shared 40 % = 143.75 → the fund pays 3,737.58, clearing −4,812.42. Read as a cliff (四(六)3 "超出总额 10%
 *   及以上的，由定点医疗机构全部承担") the fund would pay 3,593.83: an explanation after the policy file is edited so
 *   must still give 3,737.58, the issued figure.
 * - Family-doctor fee (四(四)2, 100 元, 50 % mid-year): H1 served 2 → 200.00 − 50.00 = 150.00; H2 1 → 100.00 − 100.00.
 * - H1's inpatient cases by method (R-PAY-BEDDAY / R-DIP-4, R-PAY-DISEASE): per-bed-day PD02 600 + PD04 675 = 1,275
 *   points; single-disease SD01 6,500.00 + SD04 3,500.00 = 10,000.00 fixed; DIP DIP01, SD03, SD05.
 * The inpatient pool's year end is read against the annual statement (年度清算单) the same run wrote.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../src/api/server.ts';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.ts';
import { writeHandRegionFiles, writeHandRegionPolicies } from './hand-region-files.ts';
import { call } from './web/fixture.ts';

const REPO = new URL('..', import.meta.url).pathname;
const BIN = join(REPO, 'bin', 'yibao.js');
const dir = mkdtempSync(join(tmpdir(), 'yibao-explain-year-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const exec = promisify(execFile);

async function yibao(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const r = await exec(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
    return { code: 0, out: `${r.stdout}${r.stderr}` };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof x.code === 'number' ? x.code : -1, out: `${x.stdout ?? ''}${x.stderr ?? ''}` };
  }
}

const csvRow = (path: string, key: string): Record<string, string> => {
  const rows = readFileSync(join(dir, path), 'utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r?\n/)
    .map((l) => l.split(','));
  const r = rows.find((x) => x[0] === key);
  if (!r) throw new Error(`no row ${key} in ${path}`);
  return Object.fromEntries(rows[0]!.map((h, i) => [h, r[i]!]));
};
/** yuan text → fen */
const fen = (yuan: string) => Math.round(Number(yuan) * 100);

interface Part {
  part: string;
  dueFen: number | null;
  paidFen: number | null;
  clearingFen: number | null;
  steps: { rule: string; clause?: string; zh: string; values?: Record<string, unknown>; result?: unknown }[];
}
interface YearJson {
  run: string;
  parts: Part[];
  total: { dueFen: number; paidFen: number; clearingFen: number | null };
  policyChanges: { file: string; change: string }[];
}

async function explainJson(code: string, ...more: string[]): Promise<YearJson> {
  const r = await yibao('--json', 'explain', 'settlement', code, ...more);
  expect(r.code, r.out).toBe(0);
  return JSON.parse(r.out) as YearJson;
}
const part = (y: YearJson, name: string) => {
  const p = y.parts.find((x) => x.part === name);
  if (!p) throw new Error(`no part ${name}`);
  return p;
};

describe('explain settlement INST: the whole year of every payment method, equal to the statements (R-DIP-6, R-CAP-4/5, R-PAY-*)', () => {
  beforeAll(async () => {
    writeHandRegionFiles(dir);
    expect((await yibao('init', 'city02', '--year', '2025', '--out', 'policies')).code).toBe(0);
    writeHandRegionPolicies(dir);
    for (const kind of ['institutions', 'persons', 'enrolments', 'outpatient', 'cases']) {
      const r = await yibao('ingest', kind, `${kind}.csv`, '--policy', 'policies/qc-2025.yaml');
      expect(r.code, r.out).toBe(0);
    }
    const settled = await yibao(
      'settle',
      '--region',
      'city02',
      '--year',
      '2025',
      '--policies',
      'policies',
      '--out',
      'out',
    );
    expect(settled.code, settled.out).toBe(0);
  }, 300_000);

  it('H1: every part and the total equal the statements to the fen (hand-computed capitation and family doctor)', async () => {
    const y = await explainJson('H1');
    // Inpatient pool (R-DIP-6): the annual statement's year-end amount, advance + paid monthly, clearing payment.
    const annual = csvRow('out/dip/city02-dip-2025-annual.csv', 'H1');
    const inpatient = part(y, 'inpatient');
    expect(inpatient.dueFen).toBe(fen(annual.年度清算额!));
    expect(inpatient.paidFen).toBe(fen(annual.年初预付!) + fen(annual.月度已支付!));
    expect(inpatient.clearingFen).toBe(fen(annual.清算支付额!));
    // Each method's cases: per-bed-day 1,275 points (R-PAY-BEDDAY), single-disease 10,000.00 fixed (R-PAY-DISEASE);
    // their settled amounts add up to the statement's 点数金额+定额.
    const perDiem = inpatient.steps.find((s) => s.rule === 'R-PAY-BEDDAY' && s.values?.病例数 !== undefined)!;
    expect(perDiem.values).toMatchObject({ 病例数: 2, 点数: '1275.0000' });
    expect(perDiem.clause).toBeTruthy();
    expect(perDiem.zh).toContain('床日标准折算为点数（政策选项：按点数）');
    const single = inpatient.steps.find((s) => s.rule === 'R-PAY-DISEASE')!;
    expect(single.values).toMatchObject({ 病例数: 2, 定额金额: '10000.00', 病例结算金额合计: '10000.00' });
    const dip = inpatient.steps.find((s) => s.rule === 'R-PAY-DIP')!;
    expect(dip.values?.病例数).toBe(3);
    const added = inpatient.steps.find((s) => s.zh.startsWith('各支付方式病例结算金额合计'))!;
    expect(added.result).toBe(annual['点数金额+定额（元）']);
    expect(fen(String(dip.result)) + fen(String(perDiem.result)) + fen(String(single.result))).toBe(
      fen(annual['点数金额+定额（元）']!),
    );

    // Capitation (R-CAP-4/5), by hand and as the year-end sheet lists it.
    const capitation = part(y, 'capitation');
    expect([capitation.dueFen, capitation.paidFen, capitation.clearingFen]).toEqual([503937, 342000, 161937]);
    const ye = csvRow('out/capitation/capitation-year-end.csv', 'H1');
    expect([fen(ye.基金应付!), fen(ye.已预付!), fen(ye['清算额（负数为退回）']!)]).toEqual([503937, 342000, 161937]);
    // The surplus band retained at 80 % (四(六)2) and the option the year end applied (四(六)3, bands).
    expect(capitation.steps.some((s) => s.zh.includes('机构留用 589.37 元'))).toBe(true);
    expect(capitation.steps.some((s) => s.zh.includes('政策选项：分段') && s.clause?.includes('四(六)3'))).toBe(true);
    // Family-doctor fee (R-CAP-4): 200.00 due, 50.00 mid-year, 150.00 at year end, as its sheet lists it.
    const fd = part(y, 'family-doctor');
    expect([fd.dueFen, fd.paidFen, fd.clearingFen]).toEqual([20000, 5000, 15000]);
    const fdRow = csvRow('out/capitation/family-doctor.csv', 'H1');
    expect([fen(fdRow.结合考核应付!), fen(fdRow['年中预付（50%）']!), fen(fdRow['年终拨付（负数为退回）']!)]).toEqual([
      20000, 5000, 15000,
    ]);

    // The total: Σ of the parts, each read from the statements above.
    expect(y.total).toEqual({
      dueFen: fen(annual.年度清算额!) + 503937 + 20000,
      paidFen: fen(annual.年初预付!) + fen(annual.月度已支付!) + 342000 + 5000,
      clearingFen: fen(annual.清算支付额!) + 161937 + 15000,
    });
  }, 120_000);

  it('H2 after the capitation policy is edited: the issued figures (bands), and the edited file named (zh and en)', async () => {
    const file = join(dir, 'policies', 'capitation-2025.yaml');
    const before = readFileSync(file, 'utf8');
    expect(before).toContain('overspendReading:\n    value: bands');
    writeFileSync(file, before.replace('overspendReading:\n    value: bands', 'overspendReading:\n    value: cliff'));
    const y = await explainJson('H2');
    const capitation = part(y, 'capitation');
    // Issued: 3,737.58 (bands), not the 3,593.83 the edited file (cliff) would give.
    expect([capitation.dueFen, capitation.paidFen, capitation.clearingFen]).toEqual([373758, 855000, -481242]);
    expect(capitation.steps.some((s) => s.zh.includes('基金承担 143.75 元'))).toBe(true);
    expect([part(y, 'family-doctor').dueFen, part(y, 'family-doctor').clearingFen]).toEqual([10000, 0]);
    expect(y.policyChanges.map((c) => [c.file.endsWith('capitation-2025.yaml'), c.change])).toEqual([
      [true, 'changed'],
    ]);

    const zh = await yibao('explain', 'settlement', 'H2');
    expect(zh.code, zh.out).toBe(0);
    expect(zh.out).toContain('二、按人头付费：年度应得 3737.58 元 − 年内已支付 8550.00 元 = 清算 -4812.42 元');
    expect(zh.out).toContain('三、家庭医生签约服务费：年度应得 100.00 元 − 年内已支付 100.00 元 = 清算 0.00 元');
    expect(zh.out).toMatch(/注意：今天的政策文件与结算运行 \S+ 所用的不同：\S*capitation-2025\.yaml（已修改）/);
    expect(zh.out).toContain('合计：清算支付额 = 全年应得 − 年内已支付');
    // No English enum or identifier in zh: the options and value keys in words.
    const zhWords = zh.out.replace(/结算运行 \S+|H\d|P\d|R-[A-Z-]+\d*|city02-[a-z]+-2025|DIP|DRG|\S+\.yaml/g, '');
    expect(zhWords).not.toMatch(
      /\b(bands|cliff|points|amount|capitation|family-doctor|ffs|per-diem|single-disease|dip|notCounted|fundPays|prepaid|heads|total|share|entitlement)\b/,
    );

    const en = await yibao('--lang', 'en', 'explain', 'settlement', 'H2');
    expect(en.code, en.out).toBe(0);
    expect(en.out).toContain(
      'Part 2 — Capitation: due for the year 3737.58 − paid during the year 8550.00 = clearing -4812.42',
    );
    expect(en.out).toContain("Note: today's policy files differ from those of settlement run");
    expect(en.out).toContain('overspend reading (option: bands)');
    writeFileSync(file, before);
  }, 120_000);

  it('a month: the inpatient pre-settlement and the month’s capitation prepayment (285.00 = 3,420.00 ÷ 12)', async () => {
    const y = await explainJson('H1', '--period', '2025-03');
    // The monthly statement's first H1 line is March: DIP01 1,000 points × 1.9 = 1,900.00 − patient 1,000.00 = 900.00
    // × 95 % = 855.00 paid (R-DIP-6).
    const monthly = csvRow('out/dip/city02-dip-2025-monthly.csv', 'H1');
    expect([monthly.月份, monthly.月度已支付]).toEqual(['2025-03', '855.00']);
    expect(part(y, 'inpatient').dueFen).toBe(85500);
    expect(part(y, 'capitation').dueFen).toBe(28500);
    expect(y.total.dueFen).toBe(85500 + 28500);
    expect(y.parts.some((p) => p.part === 'family-doctor')).toBe(false); // the mid-year prepayment is in June
    expect(y.total.clearingFen).toBeNull();
    expect(y.total.dueFen).toBe(y.parts.reduce((a, p) => a + (p.dueFen ?? 0), 0));
    const june = await explainJson('H1', '--period', '2025-06');
    expect(part(june, 'family-doctor').dueFen).toBe(5000);
    // A period that is not the year or one of its months is refused as before.
    const bad = await yibao('explain', 'settlement', 'H1', '--period', '2025-13');
    expect(bad.code).toBe(3);
    expect(bad.out).toContain('期间 2025-13 不属于 2025 年度');
  }, 120_000);
  it('the API statement (the workbench) reads the same year: each method’s row, the total and the whole explanation', async () => {
    const cli = await explainJson('H1');
    const token = 'test-agency-city02-000000000001';
    writeFileSync(join(dir, 'tokens.yaml'), `tokens:\n  - name: 样例市医保局\n    role: agency\n    token: ${token}\n`);
    const server = await startServer({
      db: join(dir, 'data', 'yibao.duckdb'),
      tokens: join(dir, 'tokens.yaml'),
      port: 0,
    });
    try {
      const st = await call(server, '/api/runs/latest/institutions/H1/statement', token);
      expect(st.status).toBe(200);
      const rows = st.body.byMethod.rows as {
        part: string;
        due: number | null;
        paid: number | null;
        clearing: number | null;
      }[];
      expect(rows.map((r) => [r.part.slice(0, 8), r.due, r.paid, r.clearing])).toEqual(
        cli.parts.map((p, i) => [rows[i]!.part.slice(0, 8), p.dueFen, p.paidFen, p.clearingFen]),
      );
      expect(rows.find((r) => r.part.startsWith('二、按人头付费'))).toMatchObject({
        due: 503937,
        paid: 342000,
        clearing: 161937,
      });
      // The region ingested no fee items: no item billing, no fee-for-service part.
      expect(rows).toHaveLength(3);
      expect(st.body.total).toEqual(cli.total);
      // The inpatient year-end line is the pool's, as before; the explanation is the whole year's.
      expect(st.body.yearEnd.clearing).toBe(part(cli, 'inpatient').clearingFen);
      const steps = st.body.explanation.steps as { zh: string; valueLabels?: Record<string, string> }[];
      expect(steps.some((x) => x.zh.startsWith('二、按人头付费'))).toBe(true);
      expect(steps.at(-1)!.zh).toContain('合计：清算支付额');
      // No identifier reaches zh: every value key has its words.
      for (const x of steps)
        for (const l of Object.values(x.valueLabels ?? {})) expect(l).not.toMatch(/^[a-z][A-Za-z]+$/);
      const en = await call(server, '/api/runs/latest/institutions/H1/statement?lang=en', token);
      expect((en.body.byMethod.rows as { part: string }[]).map((r) => r.part.split(' (')[0])).toEqual([
        'Part 1 — Inpatient',
        'Part 2 — Capitation',
        'Part 3 — The family-doctor contract fee',
      ]);
      // The table exports by its name (导出 XLSX).
      const x = await call(
        server,
        `/api/runs/latest/institutions/H1/statement?format=xlsx&sheet=${st.body.byMethod.name}`,
        token,
      );
      expect(x.status).toBe(200);
    } finally {
      await server.close();
    }
  }, 120_000);
  // Last: it changes the store. A run stored before capitation year ends were kept says so and is not settled again:
  // the capitation part has no figures and the total is the other parts'.
  it('a run stored without its capitation year end: named, never settled again, left out of the total', async () => {
    const store = await DuckDbStore.open(join(dir, 'data', 'yibao.duckdb'));
    try {
      await store.rows(`DELETE FROM run_derived WHERE kind = 'capitation-year-end'`);
    } finally {
      await store.close();
    }
    const y = await explainJson('H1');
    const capitation = part(y, 'capitation');
    expect([capitation.dueFen, capitation.paidFen, capitation.clearingFen]).toEqual([null, null, null]);
    expect(capitation.steps[0]!.zh).toContain('早于存储按人头付费年终清算结果');
    expect(y.parts.some((p) => p.part === 'family-doctor')).toBe(false);
    expect(y.total.dueFen).toBe(part(y, 'inpatient').dueFen);
    const zh = await yibao('explain', 'settlement', 'H1');
    expect(zh.out).toContain('不计入：二、按人头付费');
  }, 120_000);
});
