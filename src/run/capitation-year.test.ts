/**
 * R-CAP-1…6 from the store: a small synthetic region (enrolments and their outpatient special-disease visits) is
 * ingested and its capitation year run in the order of src/payment/capitation/README.md. Checks: every enrolled
 * head is accounted for, the sharing conserves money per institution, the plan stays inside the cap, the
 * prepayments and the family-doctor fee follow the policy, and the reports are written.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestKind } from '../ingest/kinds/kind.ts';
import { ingestFile } from '../ingest/pipeline.ts';
import { tempDir } from '../ingest/testing.ts';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { loadPolicyDir } from '../policy/registry.ts';
import {
  capitationStandardsTable,
  capitationSummaryText,
  headsOfYear,
  unattributedVisitsTable,
  writeCapitationReports,
} from '../report/capitation-reports.ts';
import { moneyWithoutUnit } from '../report/money-units.ts';
import { asciiPunctuationInZh } from '../report/zh-punctuation.ts';
import { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import { generateRegion } from '../synth/generate.ts';
import { type CapitationYearResult, runCapitationYear, summariseCapitationYear } from './capitation-year.ts';
import { headLineRows, unitRows } from './results.ts';

const tmp = tempDir('yibao-capitation-year-');
let result: CapitationYearResult;
let again: CapitationYearResult;
let withCaps: CapitationYearResult;

beforeAll(async () => {
  const dir = join(tmp.path, 'region');
  const m = await generateRegion({ out: dir, cases: 2000, seed: 'cap-test', format: 'csv' });
  const store = await DuckDbStore.open(':memory:');
  try {
    const order: [IngestKind, RegExp][] = [
      ['institutions', /^institutions/],
      ['persons', /^persons/],
      ['enrolments', /^enrolments/],
      ['outpatient', /^outpatient-/],
      ['cases', /^cases-/],
    ];
    for (const [kind, re] of order) {
      for (const f of m.files.filter((x) => re.test(x.path))) {
        const r = await ingestFile(store, {
          kind,
          file: join(dir, f.path),
          rejectsFile: join(tmp.path, `${f.path}.r.csv`),
        });
        expect(r.rejected, f.path).toBe(0);
      }
    }
    const policies = loadPolicyDir('policies/demo', POLICY_KINDS);
    result = await runCapitationYear(store, { region: 'demo', year: 2025, policies });
    again = await runCapitationYear(store, { region: 'demo', year: 2025, policies });
    withCaps = await runCapitationYear(store, {
      region: 'demo',
      year: 2025,
      policies,
      caps: { employee: 10_000_000, resident: 20_000_000 },
      historyYears: [2024],
    });
  } finally {
    await store.close();
  }
}, 60_000);
afterAll(() => tmp.remove());

describe('runCapitationYear: the demo region’s capitation year from the store (R-CAP-1…6)', () => {
  it('reads history and the year: heads per person × disease × base year, visits of the year', () => {
    expect(result.counts.historyYears).toEqual([2022, 2023, 2024]);
    expect(result.counts.historyHeads).toBeGreaterThan(100);
    expect(result.counts.visits).toBeGreaterThan(500);
    expect(result.counts.capitatedVisits + result.counts.otherClassVisits).toBe(result.counts.visits);
    expect(result.budget.basis).toBe('previous-year-spending');
    expect(result.assumptions.length).toBeGreaterThan(0);
  });

  it('R-CAP-3/5: every enrolled head is accounted for — actual, without a visit, or to resolve', () => {
    const h = result.heads;
    expect(h.enrolled).toBeGreaterThan(50);
    expect(h.counted + h.notCounted + h.unresolved).toBe(h.enrolled);
    expect(h.counted).toBeGreaterThan(0);
  });

  it('R-CAP-1/2: the cap is 3.6 % of each fund’s budget and the plan stays inside it (short by < 3 fen a head)', () => {
    const b = result.budget.fundBudgets!;
    expect(result.caps.employee).toBe(Math.floor((b.employee * 36) / 1000));
    expect(result.caps.resident).toBe(Math.floor((b.resident * 36) / 1000));
    const planned = result.prepayments.reduce((s, p) => s + p.annualTotal, 0);
    const cap = result.caps.employee + result.caps.resident;
    expect(planned).toBeLessThanOrEqual(cap);
    expect(cap - planned).toBeLessThan(3 * result.heads.planned + 3);
  });

  it('R-CAP-4: 12 monthly prepayments add up to 95 % of each annual total (half-up once)', () => {
    for (const p of result.prepayments) {
      expect(p.months).toHaveLength(12);
      expect(p.months.reduce((s, m) => s + m.prepay, 0)).toBe(p.prepaidTotal);
      expect(p.months.reduce((s, m) => s + m.monthlyTotal, 0)).toBe(p.annualTotal);
      expect(p.prepaidTotal).toBe(Math.round((p.annualTotal * 95) / 100));
    }
  });

  it('R-CAP-5: the sharing conserves money — surplus: fund pays + fund keeps = total; overspend: fund pays + institution bears = spending', () => {
    for (const l of result.yearEnd.lines) {
      const s = l.sharing;
      if (s.overspend === 0) expect(l.fundPays + s.fundRetains).toBe(l.total);
      else expect(l.fundPays + s.institutionBears).toBe(l.fundSpending);
      expect(l.clearing).toBe(l.fundPays - l.prepaid);
      if (s.overspend > 0) expect(s.lines[0]!.shared).toBeLessThanOrEqual(Math.round((l.total * 4) / 100) + 1);
    }
    const t = result.yearEnd.totals;
    expect(t.clearing).toBe(t.fundPays - t.prepaid);
  });

  it('R-CAP-4/6: family-doctor fee — 50 % of 100 yuan per contract in force on 30 June, the rest by served heads', () => {
    for (const m of result.familyDoctor.midYear) expect(m.prepay).toBe(m.heads * 5_000);
    for (const l of result.familyDoctor.yearEnd) expect(l.balance).toBe(l.entitlement - l.prepaid);
    const due = result.familyDoctor.yearEnd.reduce((s, l) => s + l.entitlement, 0);
    expect(due).toBeLessThanOrEqual(result.familyDoctor.contracts.length * 10_000);
    expect(due).toBeGreaterThan(0);
  });

  it('R-CAP-1: caps given with the budget are taken as they are; the base years as asked', () => {
    expect(withCaps.caps).toEqual({ employee: 10_000_000, resident: 20_000_000 });
    expect(withCaps.budget.basis).toBe('caps');
    expect(withCaps.counts.historyYears).toEqual([2024]);
    expect(withCaps.prepayments.reduce((s, p) => s + p.annualTotal, 0)).toBeLessThanOrEqual(30_000_000);
  });

  it('issue 9: the run’s rows of the heads made from their lines are the rows of their units (R-CAP-3/4)', () => {
    for (const heads of [result.yearEndHeads, result.familyDoctor.heads]) {
      const fromLines = [...heads.lines(97)].flatMap((b) => headLineRows('pool', b));
      const fromUnits = [...heads.batches(97)].flatMap((b) => unitRows('pool', b, () => false));
      expect(fromLines.length).toBeGreaterThan(0);
      expect(fromLines).toEqual(fromUnits);
    }
    expect(new Set([...result.yearEndHeads.lines()].flat().map((h) => h.status))).toEqual(
      new Set(['paid', 'excluded', 'ungrouped']),
    );
  });

  it('is deterministic: the same store gives the same year', () => {
    expect(again.yearEnd.totals).toEqual(result.yearEnd.totals);
    expect(again.prepayments.map((p) => p.annualTotal)).toEqual(result.prepayments.map((p) => p.annualTotal));
  });

  it('writes the statements as CSV, JSON and XLSX with Chinese headers, and a summary', async () => {
    const out = join(tmp.path, 'reports');
    const files = await writeCapitationReports(summariseCapitationYear(result), headsOfYear(result), out, {
      lang: 'zh',
    });
    for (const f of files) expect(existsSync(f), f).toBe(true);
    const yearEnd = readFileSync(join(out, 'capitation-year-end.csv'), 'utf8');
    expect(yearEnd).toContain('基金应付');
    expect(yearEnd).toContain('合计');
    const json = JSON.parse(readFileSync(join(out, 'capitation-2025.json'), 'utf8'));
    expect(json.heads).toEqual(result.heads);
    expect(files.some((f) => f.endsWith('capitation-2025.xlsx'))).toBe(true);
    expect(capitationSummaryText(summariseCapitationYear(result))).toContain('总控额度：职工 ');
    // zh in full-width punctuation: it read "总控额度: …", "人头: …", "机构: …".
    expect(asciiPunctuationInZh(capitationSummaryText(summariseCapitationYear(result)))).toEqual([]);
    expect(capitationSummaryText(summariseCapitationYear(result), 'en')).toContain('caps: employee');
    // Every money figure carries its unit in both languages (en read "caps: employee 1234.00, resident …").
    const zhText = capitationSummaryText(summariseCapitationYear(result));
    const enText = capitationSummaryText(summariseCapitationYear(result), 'en');
    expect(moneyWithoutUnit(zhText, 'zh')).toEqual([]);
    expect(moneyWithoutUnit(enText, 'en')).toEqual([]);
    expect(enText).toMatch(/caps: employee -?\d+\.\d{2} yuan, resident -?\d+\.\d{2} yuan/);
    // The 险种 column of the standards holds the funds' short words (glossary: 职工 / 居民), never the enum.
    const funds = new Set(
      Array.from(capitationStandardsTable(summariseCapitationYear(result)).rows, (row) => row.fund),
    );
    expect([...funds].sort()).toEqual(['居民', '职工']);
  });

  // A new user's en demo wrote capitation-2025.xlsx with six Chinese sheet names, 职工/居民 in the fund column and
  // the reasons of the visits fitting no head in Chinese (glossary: no Chinese label in en output but proper names).
  it('the statements in en: sheet names, fund words and reasons in English', async () => {
    const out = join(tmp.path, 'reports-en');
    const summary = summariseCapitationYear(result);
    await writeCapitationReports(summary, headsOfYear(result), out, { lang: 'en' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(out, 'capitation-2025.xlsx'));
    const sheets = wb.worksheets.map((w) => w.name);
    expect(sheets.filter((n) => /\p{Script=Han}/u.test(n))).toEqual([]);
    expect(sheets).toContain('year-end clearing');
    const funds = new Set(Array.from(capitationStandardsTable(summary, 'en').rows, (row) => row.fund));
    expect([...funds].sort()).toEqual(['employee', 'resident']);
    const reasons = Array.from(unattributedVisitsTable(summary, undefined, 'en').rows, (row) => String(row.reason));
    expect(reasons.length).toBeGreaterThan(0);
    expect(reasons.filter((x) => /\p{Script=Han}/u.test(x))).toEqual([]);
  });
});
