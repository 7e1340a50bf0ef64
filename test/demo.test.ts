/** The main job end to end on a small region (R-DATA-1, R-DIP-6, R-PAY-DRG). Needs ../shared for the DRG part. */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { EXIT } from '../src/cli/context.ts';
import { main } from '../src/cli/main.ts';
import type { InpatientCase } from '../src/model/case.ts';
import { type Explanation, renderExplanation } from '../src/model/explain.ts';
import { hasValueLabel } from '../src/model/explain-labels.ts';
import { capitationSummaryText } from '../src/report/capitation-reports.ts';
import { poolSummaryText } from '../src/report/summary.ts';
import { runDemo } from '../src/run/demo.ts';
import { explainDipCase } from '../src/run/dip-pool.ts';
import { explainInstitutionYear } from '../src/run/explain-institution-year.ts';
import { explainRunCase } from '../src/run/explain-run.ts';
import { readPoolSettlement } from '../src/run/results.ts';
import { institutionNames, writeRunStatements } from '../src/run/statements.ts';
import { explainSettlement } from '../src/settlement/explain.ts';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.ts';
import { openStore, type RunResultsReader } from '../src/store/index.ts';

/** Enum values and identifiers that must never appear in Chinese output (glossary.md). */
const ENUM_WORDS =
  /(?<![\w-])(paid|low-cost|high-cost|special-review|ungrouped|excluded|fallback|single-disease|per-diem|capitation|family-doctor|ffs|floating|elastic|surgery|conservative|diagnostic|therapeutic|most-shared|main-procedure|comprehensive|employee|resident|clamp-and-carry|pay-back)(?![\w-])/g;

const dir = mkdtempSync(join(tmpdir(), 'yibao-demo-'));

/** A sheet of a workbook as rows of cell values (header row first). */
async function sheetRows(file: string, sheet: string): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.getWorksheet(sheet);
  if (!ws) throw new Error(`${file} has no sheet ${sheet}`);
  const rows: unknown[][] = [];
  ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

/** The cell of `column` (by header) in the row whose first cell is `first`. */
function cell(rows: unknown[][], first: string, column: string): unknown {
  const c = rows[0]!.indexOf(column);
  const row = rows.find((r) => r[0] === first);
  if (c < 0 || !row) throw new Error(`no ${first} / ${column}`);
  return row[c];
}

/** Yuan (a workbook's double, or a CSV text) as integer fen. */
const fen = (v: unknown) => Math.round(Number(v) * 100);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const demo = (method: 'dip' | 'drg') =>
  runDemo({
    out: join(dir, method),
    db: join(dir, `${method}.duckdb`),
    cases: 6000,
    seed: 7,
    method,
    region: 'demo',
    policies: 'policies',
    lang: 'zh',
  });

/** The demo's DIP-priced cases (its stored DIP units not excluded), read back and evaluated with the run's engine. */
async function dipCasesOf(r: Awaited<ReturnType<typeof demo>>) {
  const store = await openStore(join(dir, 'dip.duckdb'), { readOnly: true });
  try {
    const ids = new Set<string>();
    for await (const rows of store.runResults(r.run.id).units({ method: 'dip' }))
      for (const u of rows) if (u.status !== 'excluded') ids.add(u.unitId);
    const cases: InpatientCase[] = [];
    for await (const batch of store.iterateCases({ year: 2025 }))
      for (const c of batch) if (ids.has(c.setlId)) cases.push(c);
    const dip = r.year.dip!;
    return { ...dip, evaluation: dip.engine.evaluate(cases), units: [] };
  } finally {
    await store.close();
  }
}

/** Run the CLI in-process and capture what it prints on stdout and stderr. */
async function cliAll(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let err = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  try {
    return { ...(await cli(args)), err };
  } finally {
    spy.mockRestore();
  }
}

/** Run the CLI in-process and capture what it prints on stdout. */
async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    const code = await main(['node', 'yibao', ...args]);
    return { code, out };
  } finally {
    spy.mockRestore();
    process.exitCode = undefined;
  }
}

describe('yibao demo (main job)', () => {
  it('ingests every row (read = accepted + rejected + already present) and settles DIP to the fen', async () => {
    const r = await demo('dip');
    for (const i of r.ingest) expect(i.read).toBe(i.accepted + i.rejected + i.alreadyPresent);
    expect(r.ingest.some((i) => i.rejected > 0)).toBe(true); // the generator injects bad rows
    const s = r.year.settlement;
    expect(s.institutions.reduce((a, i) => a + i.gross, 0)).toBe(s.fund);
    expect(r.year.counts.current).toBe(r.year.counts.perDiem + r.year.counts.singleDisease + r.year.counts.caseMethod);
    // The year streamed through the engine and kept no case: its DIP-priced cases are read back and evaluated
    // with the run's engine for the checks below.
    const dipRun = await dipCasesOf(r);
    const dipCase = dipRun.evaluation.results.find((c) => c.groupIndex >= 0)!;
    const e = explainDipCase(dipRun, dipCase.setlId);
    expect(e.steps.map((x) => x.rule)).toContain('R-DIP-2');
    expect(r.files.some((f) => f.endsWith('.xlsx'))).toBe(true);

    // Statements an agency sends (issue 11 item 4): every workbook the demo wrote passes the outside check (unique
    // sheet names, numbers as numbers, 合计 rows, no English enum word in a Chinese workbook) …
    const check = spawnSync('python3', ['../shared/tools/xlsx_check.py', join(dir, 'dip')], { encoding: 'utf8' });
    expect(check.stdout).toMatch(/\b0 problems/);
    expect(check.status).toBe(0);
    // … and one institution's clearing payment is the same to the fen in its own workbook (year-end statement and its
    // 合计 row), in the region's CSV, and in `explain settlement`; its months' 合计 of 月度已支付 is the year's.
    const one = s.institutions[0]!;
    const wb = join(dir, 'dip', 'dip', 'institutions', `${one.institutionCode}.xlsx`);
    const annual = await sheetRows(wb, '年度清算单');
    expect(fen(cell(annual, one.institutionCode, '清算支付额'))).toBe(one.clearing);
    expect(fen(cell(annual, '合计', '清算支付额'))).toBe(one.clearing);
    expect(cell(annual, one.institutionCode, '医疗机构名称')).not.toBe('');
    const months = await sheetRows(wb, '月度预结算单');
    expect(fen(cell(months, '合计', '月度已支付'))).toBe(one.monthlyPaid);
    expect(fen(cell(months, '合计', '月度已支付'))).toBe(fen(cell(annual, '合计', '月度已支付')));
    const csv = readFileSync(join(dir, 'dip', 'dip', `${s.poolId}-annual.csv`), 'utf8').replace(/^\uFEFF/, '');
    const csvRows = csv
      .trim()
      .split('\r\n')
      .map((l) => l.split(','));
    expect(fen(cell(csvRows, one.institutionCode, '清算支付额'))).toBe(one.clearing);
    const regionWb = join(dir, 'dip', 'dip', `${s.poolId}.xlsx`);
    const regionAnnual = await sheetRows(regionWb, '年度清算单');
    expect(fen(cell(regionAnnual, '合计', '清算支付额'))).toBe(s.summary.clearing);
    expect(r.capitation!.heads.enrolled).toBeGreaterThan(0);
    // The communities' year read from the stored run (issue 14): both demo communities, reconciled to the fen.
    expect(r.community!.result.runId).toBe(r.run.id);
    expect(r.community!.result.communities.map((c) => c.community.id)).toEqual(['MC990121', 'MC990122']);
    for (const c of r.community!.result.communities) {
      const t = c.result!.total;
      expect(t.advance + t.paidMonthly + t.clearing).toBe(t.communityYear);
      // R-MC-3: the inpatient pool counted at what the run issued its members (their 年度清算额), to the fen — not
      // their units valued case by case, which left out the pool's sharing and missed by the fen of the split.
      const poolMethods = ['dip', 'drg', 'per-diem', 'single-disease'] as const;
      const counted = c.result!.monthly.reduce(
        (sum, m) => sum + poolMethods.reduce((x, k) => x + (m.byMethod[k] ?? 0), 0),
        0,
      );
      const members = new Set(c.community.members);
      const issued = s.institutions.filter((i) => members.has(i.institutionCode)).reduce((x, i) => x + i.yearEnd, 0);
      expect(counted).toBe(issued);
    }
    expect(r.files).toContain(r.community!.file);

    // The same case and an institution's settlement through the CLI (recomputed from the store, --json).
    const db = join(dir, 'dip.duckdb');
    const c = await cli(['--db', db, '--json', 'explain', 'case', dipCase.setlId]);
    expect(c.code).toBe(0);
    const explained = JSON.parse(c.out) as { steps: { rule: string; result?: unknown }[]; settledFen: number };
    // …then the case's 病例结算金额 as the run stored it (R-DIP-6, the institution's amount split to the fen).
    expect(explained.steps.map((x) => x.rule)).toEqual([...e.steps.map((x) => x.rule), 'R-DIP-6']);
    expect(fen(explained.steps.at(-1)!.result)).toBe(explained.settledFen);
    // In zh the case reads in glossary words: no `comprehensive`, `C34#conservative` or `dip` (issue 11).
    const comprehensive = dipRun.evaluation.results.find((c) => c.match === 'comprehensive')!;
    const zhCase = await cli(['--db', db, 'explain', 'case', comprehensive.setlId]);
    expect(zhCase.out).toContain('综合病种（');
    expect(zhCase.out.split('\n').filter((l) => new RegExp(ENUM_WORDS.source).test(l) || /#[a-z]/.test(l))).toEqual([]);
    const inst = s.institutions[0]!.institutionCode;
    const st = await cli(['--db', db, '--json', 'explain', 'settlement', inst, '--period', '2025']);
    expect(st.code).toBe(0);
    // The institution's whole year: its inpatient part's clearing = the statement's, to the fen; the last step is the
    // total of every method's clearing (capitation and the family-doctor fee read from the run, R-CAP-4/5).
    const year = JSON.parse(st.out) as {
      steps: { result?: string }[];
      parts: { part: string; clearingFen: number | null }[];
      total: { clearingFen: number };
    };
    expect(year.steps.length).toBeGreaterThan(3);
    expect(year.parts.find((p) => p.part === 'inpatient')!.clearingFen).toBe(s.institutions[0]!.clearing);
    expect(fen(year.steps.at(-1)!.result)).toBe(year.total.clearingFen);
    expect(year.total.clearingFen).toBe(year.parts.reduce((a, p) => a + (p.clearingFen ?? 0), 0));
    // The settlement run is in the run log with the policy files it applied, hashed.
    const store = await openStore(db, { readOnly: true });
    // The stored run rebuilds the settled pool exactly (every figure, ratio and step).
    // (Each group read back also carries the sum of its cases' stored 病例结算金额, R-DIP-6, which the pool never held.)
    const stored = await readPoolSettlement(store.runResults(r.run.id), 'demo', 2025, s.poolId);
    expect(stored.groups.every((g) => g.settled !== undefined)).toBe(true);
    expect({ ...stored, groups: stored.groups.map(({ settled: _settled, ...g }) => g) }).toEqual(s);
    const runs = await store.listRuns({ command: 'demo settle dip 2025' });
    await store.close();
    // The demo's whole-year monitoring stored its flags with the settlement run (issue 15): the queue is not empty.
    expect(r.monitor!.flags).toBeGreaterThan(0);
    const ds = await DuckDbStore.open(db, { readOnly: true });
    const [mon] = await ds.rows('SELECT run_id, flags, (SELECT count(*) FROM monitor_flags) FROM monitor_runs');
    await ds.close();
    expect([mon![0], Number(mon![1]), Number(mon![2])]).toEqual([r.run.id, r.monitor!.flags, r.monitor!.flags]);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.inputs.map((i) => i.path).sort()).toEqual(
      ['capitation', 'dip', 'dip-settlement', 'ffs', 'per-diem', 'single-disease'].map(
        (k) => `policies/demo/${k}-2025.yaml`,
      ),
    );
    const unknown = await cli(['--db', db, 'explain', 'case', 'NO-SUCH-CASE']);
    expect(unknown.code).toBe(3); // EXIT.badInput: a user error, not an internal one

    // One vocabulary (glossary.md): zh text carries no English enum word, en text no Chinese label.
    const texts = (lang: 'zh' | 'en') => {
      const cases = dipRun.evaluation.results.filter((_, i) => i % 97 === 0);
      return [
        poolSummaryText(s, lang),
        capitationSummaryText(r.capitation!, lang),
        ...cases.flatMap((x) => explainDipCase(dipRun, x.setlId).steps.map((st) => (lang === 'zh' ? st.zh : st.en))),
        ...s.institutions.slice(0, 3).flatMap((i) => i.steps.map((st) => (lang === 'zh' ? st.zh : st.en))),
      ].join('\n');
    };
    const zh = texts('zh');
    expect(zh.split('\n').filter((l) => new RegExp(ENUM_WORDS.source).test(l))).toEqual([]);
    const en = texts('en');
    expect(en.split('\n').filter((l) => /[\u4e00-\u9fff]/.test(l))).toEqual([]);
  }, 300_000); // end to end on a shared 2-core machine: minutes under load

  it('statements of the stored run: the per-case CSV and JSON Lines DuckDB writes (COPY) are byte for byte the streamed ones, names and labels in zh and en (issue 9)', async () => {
    const store = await openStore(join(dir, 'dip.duckdb'), { readOnly: true });
    try {
      const [run] = await store.listSettlementRuns({ region: 'demo', year: 2025 });
      const reader = store.runResults(run!.id);
      expect(reader.writeUnitLines).toBeTypeOf('function');
      // The same reader without the store's own rendering: the rows stream through the JS writers.
      const streamed: RunResultsReader = { ...reader, writeUnitLines: undefined };
      const names = await institutionNames(store);
      expect(names.size).toBeGreaterThan(0);
      for (const lang of ['zh', 'en'] as const) {
        const o = { formats: ['csv', 'json'] as const, lang, names, perInstitution: false };
        const a = await writeRunStatements(reader, join(dir, `lines-db-${lang}`), { ...o, formats: [...o.formats] });
        const b = await writeRunStatements(streamed, join(dir, `lines-js-${lang}`), { ...o, formats: [...o.formats] });
        const rel = (files: string[], root: string) => files.map((f) => f.slice(join(dir, root).length)).sort();
        expect(rel(a.files, `lines-db-${lang}`)).toEqual(rel(b.files, `lines-js-${lang}`));
        for (const f of rel(a.files, `lines-db-${lang}`)) {
          const [x, y] = [
            readFileSync(join(dir, `lines-db-${lang}`, f)),
            readFileSync(join(dir, `lines-js-${lang}`, f)),
          ];
          expect({ f, same: x.equals(y), bytes: x.length }).toEqual({ f, same: true, bytes: y.length });
        }
        const cases = readFileSync(join(dir, `lines-db-${lang}`, 'demo-dip-2025-cases.csv'), 'utf8');
        expect(cases.split('\r\n').length).toBeGreaterThan(1000);
        if (lang === 'zh') expect(cases).toMatch(/按病种分值付费/); // labels, not the enum words
      }
    } finally {
      await store.close();
    }
  }, 300_000);

  it("explanations name every value in the reader's words: each value key of the run's cases and settlements has a zh and an en label, and en shows no Chinese label (issue 11 item 4)", async () => {
    const store = await openStore(join(dir, 'dip.duckdb'), { readOnly: true });
    const explanations: Explanation[] = [];
    const seen = new Set<string>();
    try {
      const [run] = await store.listSettlementRuns({ region: 'demo', year: 2025 });
      const reader = store.runResults(run!.id);
      const institutions = new Set<string>();
      for await (const batch of reader.units()) {
        for (const u of batch) {
          institutions.add(u.institution);
          const kind = `${u.method}|${u.status}|${u.amountFen === null}`;
          if (seen.has(kind)) continue;
          seen.add(kind);
          const e = await explainRunCase(store, reader, run!, u.unitId);
          if (e) explanations.push(e);
        }
      }
      for (const i of [...institutions].slice(0, 5)) {
        // The institution's whole year: every method's part (capitation and family-doctor steps too) and the total.
        explanations.push(await explainInstitutionYear(reader, run!, i, '2025'));
        // …and one month of each (the first month the institution had cases).
        for (let m = 1; m <= 12; m++) {
          const e = await explainInstitutionYear(reader, run!, i, `2025-${String(m).padStart(2, '0')}`).catch(
            () => undefined,
          );
          if (e) {
            explanations.push(e);
            break;
          }
        }
      }
    } finally {
      await store.close(); // the next tests open the same store
    }
    expect(seen.size).toBeGreaterThan(4);
    const keys = new Set(explanations.flatMap((e) => e.steps.flatMap((st) => Object.keys(st.values ?? {}))));
    expect([...keys].filter((k) => !hasValueLabel(k))).toEqual([]);
    // Rendered in English, a value's name is English (a key built from data, a deduction's reason, keeps its data).
    const names = explanations
      .flatMap((e) => renderExplanation(e, 'en').split('\n'))
      .filter((l) => l.startsWith('     ') && l.includes(' = '))
      .map((l) => l.trim().split(' = ')[0]!);
    expect(names.filter((n) => /\p{Script=Han}/u.test(n) && !/^(band|deduction) /.test(n))).toEqual([]);
    // … and in Chinese no identifier stands for a name.
    const zhNames = explanations
      .flatMap((e) => renderExplanation(e, 'zh').split('\n'))
      .filter((l) => l.startsWith('     ') && l.includes(' = '))
      .map((l) => l.trim().split(' = ')[0]!);
    expect(zhNames.filter((n) => /^[a-zA-Z]+$/.test(n))).toEqual([]);
  }, 300_000);

  // A new user's `settle --out out/demo` replaced the demo's statements silently: the demo's folder kept no list of
  // its files (.yibao-files), so the refusal of another settlement's statements (statements-out.ts) found nothing.
  it("a settle --out into the demo's folder: another settlement is refused, naming the demo's statements; the same region, method and year replaces them and keeps the demo's other files", async () => {
    const out = join(dir, 'dip');
    expect(readFileSync(join(out, '.yibao-files'), 'utf8')).toBe('capitation\ndip\npublished\n');
    // A copy of the demo store, so the runs of the other tests stay as they are.
    const db = join(dir, 'out-check.duckdb');
    cpSync(join(dir, 'dip.duckdb'), db);
    const listing = () => (readdirSync(out, { recursive: true }) as string[]).sort();
    const before = listing();
    const settle = (...more: string[]) =>
      cliAll(['--db', db, 'settle', '--year', '2025', '--policies', 'policies', '--out', out, ...more]);
    // DRG into the demo's DIP folder: refused before settling (exit 2), the demo's statements named, nothing touched.
    const drg = await settle('--inpatient', 'drg');
    expect(drg.code).toBe(EXIT.usage);
    expect(drg.err).toContain(out);
    expect(drg.err).toContain('capitation/capitation-2025.xlsx');
    expect(drg.err).toContain('--force');
    expect(listing()).toEqual(before);
    // The demo's own region, method and year: its statements are replaced and counted; region files, rejects, the
    // hospital and community workbooks stay.
    const same = await settle();
    expect(same.code, same.err).toBe(0);
    const own = before.filter((f) => /^(dip|capitation|published)\/.+\.\w+$/.test(f.split(sep).join('/'))).length;
    expect(same.out).toContain(`已替换 ${out} 中上一次结算写的 ${own} 个报表文件`);
    expect(listing()).toEqual(before);
  }, 300_000);

  it('demo, settle and explain give identical figures for the same run; explain reproduces an issued run after a policy edit and names the file (issue 9)', async () => {
    const db = join(dir, 'dip.duckdb');
    const store = await openStore(db, { readOnly: true });
    const [demoRun] = await store.listSettlementRuns({ region: 'demo', year: 2025 });
    expect(demoRun!.command).toBe('demo settle dip 2025');
    expect(demoRun!.inputs.some((i) => i.role === 'cases' && i.path === 'store:cases/2025')).toBe(true);
    const demoPool = await readPoolSettlement(store.runResults(demoRun!.id), 'demo', 2025, 'demo-dip-2025');
    const policies = await store.runResults(demoRun!.id).policies();
    await store.close();
    expect(policies.map((p) => p.kind).sort()).toEqual(
      ['capitation', 'dip', 'dip-settlement', 'ffs', 'per-diem', 'single-disease'].sort(),
    );

    // settle on the same store and policies: a second run with the same figures to the fen.
    const pol = join(dir, 'policies');
    cpSync('policies', pol, { recursive: true });
    const st = await cli([
      '--db',
      db,
      '--json',
      'settle',
      '--year',
      '2025',
      '--policies',
      pol,
      '--out',
      join(dir, 'settle'),
    ]);
    expect(st.code).toBe(0);
    const settled = JSON.parse(st.out) as { run: string; summary: Record<string, unknown> };
    expect(settled.run).not.toBe(demoRun!.id);
    const s2 = await openStore(db, { readOnly: true });
    const settlePool = await readPoolSettlement(s2.runResults(settled.run), 'demo', 2025, 'demo-dip-2025');
    await s2.close();
    expect(settlePool.summary).toEqual(demoPool.summary);
    expect(settlePool.institutions.map((i) => [i.institutionCode, i.yearEnd, i.clearing])).toEqual(
      demoPool.institutions.map((i) => [i.institutionCode, i.yearEnd, i.clearing]),
    );

    // explain reads the latest run: the same lines as the settlement itself.
    const inst = demoPool.institutions[0]!.institutionCode;
    const issued = explainSettlement(settlePool, inst, '2025');
    const ex = await cli(['--db', db, '--json', 'explain', 'settlement', inst, '--period', '2025']);
    const explained = JSON.parse(ex.out) as {
      run: string;
      steps: unknown[];
      parts: { part: string; steps: unknown[] }[];
      policyChanges: unknown[];
    };
    expect(explained.run).toBe(settled.run);
    // The inpatient part ends with the pool's lines as settled (after each method's cases of the institution).
    const inpatientSteps = explained.parts.find((p) => p.part === 'inpatient')!.steps;
    expect(inpatientSteps.slice(-issued.steps.length)).toEqual(JSON.parse(JSON.stringify(issued.steps)));
    expect(explained.policyChanges).toEqual([]);

    // Edit the budget growth in today's policy file: explain still gives the issued figures, and names the file.
    const file = join(pol, 'demo', 'dip-settlement-2025.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('growthRate: 0.05', 'growthRate: 0.08'));
    const after = await cli(['--db', db, '--json', 'explain', 'settlement', inst, '--period', '2025']);
    const again = JSON.parse(after.out) as { steps: unknown[]; policyChanges: { file: string; change: string }[] };
    expect(again.steps).toEqual(explained.steps);
    expect(again.policyChanges).toEqual([{ file, policyId: 'demo-dip-settlement-2025', change: 'changed' }]);
    const text = await cli(['--db', db, 'explain', 'settlement', inst, '--period', '2025']);
    expect(text.out).toContain(file);
    const caseId = (await (async () => {
      const s3 = await openStore(db, { readOnly: true });
      for await (const b of s3.runResults(settled.run).units({ method: 'dip' })) {
        await s3.close();
        return b.find((u) => u.status === 'paid')!.unitId;
      }
      await s3.close();
      return '';
    })())!;
    const one = await cli(['--db', db, '--json', 'explain', 'case', caseId, '--run', settled.run]);
    expect(one.code).toBe(0);
    const oneCase = JSON.parse(one.out) as { steps: { rule: string }[]; policyChanges: unknown[] };
    expect(oneCase.steps.map((x) => x.rule)).toContain('R-DIP-2');
    expect(oneCase.policyChanges).toHaveLength(1);
    // dip calibrate derives the same catalog as the run (same history, same procedure classification).
    const cal = await cli([
      '--db',
      db,
      '--json',
      'dip',
      'calibrate',
      '--region',
      'demo',
      '--year',
      '2025',
      '--out',
      join(dir, 'cal', 'catalog.json'),
    ]);
    const s4 = await openStore(db, { readOnly: true });
    const [stored] = await s4.runResults(settled.run).derived('dip-catalog');
    await s4.close();
    expect((JSON.parse(cal.out) as { hash: string }).hash).toBe((JSON.parse(stored!.content) as { hash: string }).hash);
    const list = await cli(['--db', db, '--json', 'runs', '--settlements']);
    expect((JSON.parse(list.out) as { id: string }[]).map((r) => r.id)).toEqual([settled.run, demoRun!.id]);
  }, 300_000); // end to end on a shared 2-core machine: minutes under load

  it('settle --year-end applies audit deductions and an assessment coefficient from files, names them in the run, and refuses a file with a bad row (issue 11)', async () => {
    // A copy of the demo store, so the runs of the other tests stay as they are.
    const db = join(dir, 'year-end.duckdb');
    cpSync(join(dir, 'dip.duckdb'), db);
    const store = await openStore(db, { readOnly: true });
    const [demoRun] = await store.listSettlementRuns({ region: 'demo', year: 2025 });
    const before = await readPoolSettlement(store.runResults(demoRun!.id), 'demo', 2025, 'demo-dip-2025');
    await store.close();
    const [x, y] = before.institutions;
    const inputs = join(dir, 'year-end');
    cpSync('policies', join(dir, 'policies-ye'), { recursive: true });
    mkdirSync(inputs, { recursive: true });
    writeFileSync(
      join(inputs, 'deductions.csv'),
      `医疗机构编码,期间,扣款金额,原因,依据\n${x!.institutionCode},2025,1000.00,重复收费,年度审核结论 第 3 号\n`,
    );
    writeFileSync(
      join(inputs, 'assessments.csv'),
      `医疗机构编码,考核系数,依据\n${x!.institutionCode},0.9,2025 年度考核\n`,
    );
    const args = ['--db', db, '--json', 'settle', '--year', '2025', '--policies', join(dir, 'policies-ye')];
    const st = await cli([...args, '--year-end', inputs, '--out', join(dir, 'settle-ye'), '--no-per-institution']);
    expect(st.code).toBe(0);
    const run = (JSON.parse(st.out) as { run: string }).run;
    const s2 = await openStore(db, { readOnly: true });
    const after = await readPoolSettlement(s2.runResults(run), 'demo', 2025, 'demo-dip-2025');
    const rec = await s2.runResults(run).record();
    await s2.close();
    // Hand-computed: x's year end = its amount after sharing × 0.9 (half-up to the fen) − 1,000.00; y unchanged.
    const x2 = after.institutions.find((i) => i.institutionCode === x!.institutionCode)!;
    const expected = Math.floor((x!.afterSharing * 9 + 5) / 10) - 100_000;
    expect([x2.afterSharing, x2.deductions, x2.yearEnd]).toEqual([x!.afterSharing, 100_000, expected]);
    expect(after.institutions.find((i) => i.institutionCode === y!.institutionCode)!.yearEnd).toBe(y!.yearEnd);
    expect(rec.inputs.filter((i) => i.role?.startsWith('year-end')).map((i) => i.role)).toEqual([
      'year-end deductions',
      'year-end assessments',
    ]);
    // A bad row: nothing is settled, and the row, field and reason are named.
    writeFileSync(
      join(inputs, 'assessments.csv'),
      `医疗机构编码,考核系数,依据\n${x!.institutionCode},0,2025 年度考核\n`,
    );
    const bad = await cli([...args, '--year-end', inputs, '--out', join(dir, 'settle-ye2')]);
    expect(bad.code).toBe(1);
  }, 300_000);

  it('settles the same region by DRG when the method is switched, by CHS-DRG 2.0 as its DRG policy names (needs ../shared/reference)', async () => {
    const r = await demo('drg');
    expect(r.run.inputs.find((i) => i.role === 'drg pack')?.path).toBe('chs-drg-2.0');
    expect(r.year.drg!.groupedShare).toBeGreaterThan(0.9);
    const s = r.year.settlement;
    expect(s.institutions.reduce((a, i) => a + i.gross, 0)).toBe(s.fund);
  }, 300_000); // end to end on a shared 2-core machine: minutes under load
});

describe('yibao community settle over the demo run (issue 14, R-MC-1…5)', () => {
  it('settles both communities of the demo region from the stored run, to the fen, and writes the workbook', async () => {
    const db = join(dir, 'dip.duckdb');
    const r = await cli([
      '--db',
      db,
      '--json',
      'community',
      'settle',
      '--year',
      '2025',
      '--out',
      join(dir, 'community'),
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as {
      communities: {
        id: string;
        eligible: boolean;
        total: {
          advance: number;
          methodsAmount: number;
          paidMonthly: number;
          clearing: number;
          communityYear: number;
        } | null;
      }[];
      file: string;
    };
    expect(out.communities.map((c) => [c.id, c.eligible])).toEqual([
      ['MC990121', true],
      ['MC990122', true],
    ]);
    for (const c of out.communities) {
      const t = c.total!;
      expect(t.methodsAmount).toBeGreaterThan(0);
      expect(t.advance + t.paidMonthly + t.clearing).toBe(t.communityYear);
    }
    expect(out.file.endsWith('community-2025.xlsx')).toBe(true);
    // R-BUD-4: the year's budgets are kept for next year's floor, one row per community and fund.
    const store = await openStore(db, { readOnly: true });
    const kept = await store.readCommunityBudgets({ region: 'demo', year: 2025 });
    await store.close();
    expect(kept.map((k) => `${k.communityId} ${k.fund}`)).toEqual([
      'MC990121 employee',
      'MC990121 resident',
      'MC990122 employee',
      'MC990122 resident',
    ]);
    expect(kept.every((k) => k.actualFen !== null && k.budgetFen > 0)).toBe(true);
  });
});
