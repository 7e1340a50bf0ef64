/**
 * `yibao hospital reconcile` against a run saved in a DuckDB store: the agency's DIP pool (point value 9.5 元/点)
 * with four cases and an audit deduction; the hospital's view in CSV with Chinese headers. Hand-computed totals.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { ReconcileLine } from '../hospital/reconcile.ts';
import { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import type { RunInstitutionMonthRow, RunUnitRow } from '../store/settlement-runs.ts';
import { testRunRecord } from '../store/testing.ts';
import { groupPathLines, registerHospitalCommands } from './hospital-commands.ts';

const tmp = mkdtempSync(join(tmpdir(), 'yibao-reconcile-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const db = join(tmp, 'y.duckdb');
const G = 'K35.8|47.0901';
const r = (num: string, den = '1') => ({ num, den });

const unit = (unitId: string, o: Partial<RunUnitRow>): RunUnitRow => ({
  poolId: 'P',
  unitId,
  method: 'dip',
  institution: 'H1',
  month: '2025-03',
  group: G,
  status: 'paid',
  points: 9_000_000,
  amountFen: null,
  billedFen: 800_000,
  patientPaidFen: 200_000,
  basis: null,
  trace: null,
  ...o,
});
const month = (m: string, deductionsFen: number): RunInstitutionMonthRow => ({
  poolId: 'P',
  institution: 'H1',
  month: m,
  units: 2,
  points: 0,
  amountFen: 0,
  pointValue: r('950'),
  valueFen: 0,
  patientPaidFen: 0,
  grossFen: 0,
  prepayRatio: r('9', '10'),
  prepayFen: 0,
  depositFen: 0,
  deductionsFen,
  paymentFen: 0,
  steps: '[]',
});

async function saveRun(): Promise<void> {
  const store = await DuckDbStore.open(db);
  await store.saveSettlementRun(testRunRecord('RUN1', 'test'), async (w) => {
    await w.pools([
      {
        poolId: 'P',
        fundFen: 0,
        pointValueRule: 'budget',
        pointValue: r('950'),
        pointValueText: '9.5',
        floatingPointValue: null,
        fundPaymentRatio: r('3', '4'),
        openingPointValue: r('1000'),
        summary: '{}',
        pointValueSteps: '[]',
        steps: '[]',
      },
    ]);
    await w.units([
      unit('SAME', {}),
      unit('G', {}),
      unit('D', { status: 'high-cost', points: 12_000_000, month: '2025-04' }),
      unit('ONLY-A', { group: 'J18.9|', points: 4_500_000 }),
    ]);
    await w.institutionMonths([month('2025-03', 12_345), month('2025-04', 0)]);
  });
  await store.close();
}

async function run(args: string[], lang: 'zh' | 'en'): Promise<string> {
  const program = new Command('yibao').exitOverride();
  registerHospitalCommands(program, () => ({ lang, json: false, db }));
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  try {
    await program.parseAsync(['node', 'yibao', ...args]);
  } finally {
    vi.restoreAllMocks();
  }
  return out;
}

describe('yibao hospital reconcile (run RUN1, DIP at 9.5 元/点)', () => {
  it('differences by reason and the money at stake, in the console, CSV and XLSX', async () => {
    await saveRun();
    const view = join(tmp, 'view.csv');
    writeFileSync(
      view,
      [
        '结算ID,定点医疗机构编号,病种编码,点数,金额',
        `SAME,H1,${G},900,8550.00`,
        'G,H1,J18.9|,450,4275.00',
        `D,H1,${G},900,8550.00`,
        `ONLY-H,H1,${G},900,8550.00`,
      ].join('\n'),
    );
    const out = join(tmp, 'out');
    // group 8,550 − 4,275 = +4,275; deviating 11,400 − 8,550 = +2,850; missing at the agency −8,550; missing at
    // the hospital +4,275; audit deduction −123.45. Total +2,726.55 元.
    const zh = await run(['hospital', 'reconcile', '--run', 'RUN1', '--in', view, '--out', out], 'zh');
    expect(zh).toContain('分组不同：1  差额 4275.00');
    expect(zh).toContain('偏差病例规则：1  差额 2850.00');
    expect(zh).toContain('经办结算中无此病例：1  差额 -8550.00');
    expect(zh).toContain('审核扣款：1  差额 -123.45');
    expect(zh).toContain('合计差额（经办−医院）：2726.55');
    const totals = readFileSync(join(out, 'reconcile-totals.csv'), 'utf8');
    expect(totals).toContain('合计,5,2726.55');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(out, 'reconcile.xlsx'));
    const sheet = wb.worksheets[1]!;
    const last = sheet.getRow(sheet.rowCount);
    expect([last.getCell(1).value, last.getCell(2).value, last.getCell(3).value]).toEqual(['合计', 5, 2726.55]);
    const en = await run(['hospital', 'reconcile', '--run', 'RUN1', '--in', view, '--out', out], 'en');
    expect(en).toContain('different group: 1  at stake 4275.00');
    expect(en).toContain('total at stake (agency − hospital): 2726.55');
  });
  it('without --run, or with --run latest, the most recent settlement run is reconciled (as explain and the API do)', async () => {
    const view = join(tmp, 'view.csv');
    const out = join(tmp, 'out-latest');
    for (const args of [[], ['--run', 'latest']]) {
      const zh = await run(['hospital', 'reconcile', ...args, '--in', view, '--out', out], 'zh');
      expect(zh).toContain('结算运行 RUN1');
      expect(zh).toContain('合计差额（经办−医院）：2726.55');
    }
  });
  it('an unknown run is an input error in the user’s language', async () => {
    const view = join(tmp, 'view.csv');
    await expect(run(['hospital', 'reconcile', '--run', 'NOPE', '--in', view], 'zh')).rejects.toThrow(/NOPE|结算运行/);
  });
});

describe('hospital reconcile: the grouping paths of a case in another group', () => {
  const step = { stage: 'match' as const, zh: '匹配病种 K35.8|47.0901', en: 'matched group K35.8|47.0901' };
  const line: ReconcileLine = {
    setlId: 'G',
    institution: 'H1',
    month: '2025-03',
    reason: 'group',
    agencyGroup: G,
    hospitalGroup: 'J18.9|',
    agencyStatus: 'paid',
    hospitalStatus: 'paid',
    agencyPoints: 9_000_000,
    hospitalPoints: 4_500_000,
    agencyAmount: 855_000,
    hospitalAmount: 427_500,
    atStake: 427_500,
    parting: null,
    paths: { agency: [step], hospital: null },
  };
  it('a view without the coding columns is said in words, not field names (zh printed diag_codes / oprn_oprt_codes)', () => {
    const zh = groupPathLines([line], 'zh', 10).join('\n');
    expect(zh).toContain('医院路径: （视图未给出诊断编码、手术操作编码两列）');
    expect(zh).toContain('差额 4275.00');
    expect(zh).not.toMatch(/diag_codes|oprn_oprt_codes/);
    const en = groupPathLines([line], 'en', 10).join('\n');
    expect(en).toContain('hospital path: (the view has no diagnosis codes / procedure codes columns)');
    expect(en).not.toMatch(/diag_codes|oprn_oprt_codes/);
  });
});
