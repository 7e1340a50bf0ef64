/**
 * `yibao hospital reconcile` against a run saved in a DuckDB store: the agency's DIP pool (point value 9.5 元/点)
 * with four cases and an audit deduction; the hospital's view in CSV with Chinese headers. Hand-computed totals.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { ReconcileLine } from '../hospital/reconcile.ts';
import { SPLIT_EXAMPLE } from '../hospital/testing.ts';
import { CASE_AMOUNT_ROUNDING_KIND, toJson } from '../run/results.ts';
import { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import type {
  RunInstitutionMonthRow,
  RunInstitutionYearRow,
  RunPoolRow,
  RunUnitRow,
} from '../store/settlement-runs.ts';
import { testInstitutionYearRow, testRunRecord, testUnitRow } from '../store/testing.ts';
import { byMethod, groupPathLines, registerHospitalCommands } from './hospital-commands.ts';

const tmp = mkdtempSync(join(tmpdir(), 'yibao-reconcile-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
// A reconciliation with mismatches exits 1 (process.exitCode): each test starts from none.
afterEach(() => {
  process.exitCode = undefined;
});
const db = join(tmp, 'y.duckdb');
const G = 'K35.8|47.0901';
const r = (num: string, den = '1') => ({ num, den });

const unit = (unitId: string, o: Partial<RunUnitRow>) =>
  testUnitRow('P', unitId, { group: G, points: 9_000_000, billedFen: 800_000, patientPaidFen: 200_000, ...o });
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

const institutionYear = (valueFen: number): RunInstitutionYearRow =>
  testInstitutionYearRow('P', 'H1', valueFen, { units: 4 });

/** The run's one pool: point value 9.5 yuan, fund payment ratio 3/4. */
const pool: RunPoolRow = {
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
};

async function saveRun(): Promise<void> {
  const store = await DuckDbStore.open(db);
  await store.saveSettlementRun(testRunRecord('RUN1', 'test'), async (w) => {
    await w.pools([pool]);
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
    process.exitCode = undefined;
    const zh = await run(['hospital', 'reconcile', '--run', 'RUN1', '--in', view, '--out', out], 'zh');
    // README: exit 1 on mismatches (it exited 0 with 分组不同, 系数不同 and 金额不同).
    expect(process.exitCode).toBe(1);
    process.exitCode = undefined;
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
    // RUN1 was stored without 病例结算金额 (as runs were before migration 12): said once, amounts computed per case.
    expect(zh.match(/注：该结算运行早于按病例存储结算金额/g)).toHaveLength(1);
    expect(readFileSync(join(out, 'reconcile-differences.csv'), 'utf8')).toContain('经办金额（点数×点值逐例四舍五入）');
    const en = await run(['hospital', 'reconcile', '--run', 'RUN1', '--in', view, '--out', out], 'en');
    expect(en).toContain('note: this run was stored before settled amounts were kept per case');
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

describe('R-DIP-6 hospital reconcile of a run that stored 病例结算金额 (SPLIT_EXAMPLE: 1000/7 fen per point, H1 of four cases)', () => {
  const E = SPLIT_EXAMPLE;
  async function saveSplitRun(): Promise<void> {
    const store = await DuckDbStore.open(db);
    await store.saveSettlementRun(testRunRecord('RUN2', 'test'), async (w) => {
      await w.derived([
        { kind: CASE_AMOUNT_ROUNDING_KIND, name: 'P', content: toJson({ value: 'largest-remainder', source: 't' }) },
      ]);
      await w.pools([
        {
          poolId: 'P',
          fundFen: 0,
          pointValueRule: 'budget',
          pointValue: E.pointValue,
          pointValueText: '1.428571',
          floatingPointValue: null,
          fundPaymentRatio: r('1'),
          openingPointValue: E.pointValue,
          summary: '{}',
          pointValueSteps: '[]',
          steps: '[]',
        },
      ]);
      await w.units(['A', 'B', 'C', 'D'].map((id) => unit(id, { points: E.points[id]! })));
      await w.institutionYear([institutionYear(E.institutionValueFen)]);
      await w.caseAmounts('P', E.pointValue);
    });
    await store.close();
  }
  it('real differences first (D: coefficient −1.43), then "2 cases differ only by the fen split" (+0.02); total −1.41 = H1’s', async () => {
    await saveSplitRun();
    const view = join(tmp, 'view-split.csv');
    writeFileSync(
      view,
      [
        '结算ID,定点医疗机构编号,病种编码,点数,金额',
        ...E.view.map((v) => `${v.setlId},H1,${G},${v.points / 10_000},${(v.amount / 100).toFixed(2)}`),
      ].join('\n'),
    );
    const out = join(tmp, 'out-split');
    const zh = await run(['hospital', 'reconcile', '--run', 'RUN2', '--in', view, '--out', out], 'zh');
    const lines = zh.split('\n');
    const at = (text: string) => lines.findIndex((l) => l.includes(text));
    expect(zh).not.toContain('注：');
    expect(zh).toContain('一致 1');
    expect(zh).toContain('系数不同：1  差额 -1.43');
    expect(zh).toContain('实际差异合计（不含分配尾差）：-1.43');
    expect(zh).toContain('2 例仅差分配尾差（每例 1 分，合计 0.02）');
    expect(zh).toContain('合计差额（经办−医院）：-1.41');
    expect(at('系数不同')).toBeLessThan(at('仅差分配尾差'));
    // No English word in the zh text (the file lines name the output folder).
    expect(lines.filter((l) => !l.includes('→')).join('\n')).not.toMatch(/[a-z]{4,}/);
    const diff = readFileSync(join(out, 'reconcile-differences.csv'), 'utf8');
    expect(diff).toContain('经办病例结算金额');
    expect(
      diff
        .trim()
        .split('\n')
        .map((l) => l.split(',')[0]),
    ).toEqual(['差异原因', '系数不同', '分配尾差（仅差 1 分）', '分配尾差（仅差 1 分）']);
    const totals = readFileSync(join(out, 'reconcile-totals.csv'), 'utf8');
    expect(totals).toContain('系数不同,1,-1.43');
    expect(totals).toContain('实际差异小计（不含分配尾差）,1,-1.43');
    expect(totals).toContain('分配尾差（仅差 1 分）,2,0.02');
    expect(totals).toContain('合计,3,-1.41');
    const en = await run(['hospital', 'reconcile', '--run', 'RUN2', '--in', view, '--out', out], 'en');
    expect(en).toContain('coefficient: 1  at stake -1.43');
    expect(en).toContain('real differences (without the fen split): -1.43');
    expect(en).toContain('2 cases differ only by the fen split (1 fen each, 0.02 in all)');
    expect(en).toContain('total at stake (agency − hospital): -1.41');
    expect(
      en
        .split('\n')
        .filter((l) => !l.includes('→'))
        .join('\n'),
    ).not.toMatch(/[\u4e00-\u9fff]/);
    expect(readFileSync(join(out, 'reconcile-differences.csv'), 'utf8')).toContain('agency settled amount');
  });
  it('only the split (A, B; C and D as stored): "real differences: none" before it', async () => {
    const view = join(tmp, 'view-split-only.csv');
    writeFileSync(
      view,
      [
        '结算ID,定点医疗机构编号,病种编码,点数,金额',
        'A,H1,K35.8|47.0901,4,5.71',
        'B,H1,K35.8|47.0901,11,15.71',
        'C,H1,K35.8|47.0901,18,25.71',
        'D,H1,K35.8|47.0901,25,35.71',
      ].join('\n'),
    );
    const out = join(tmp, 'out-split-only');
    process.exitCode = undefined;
    const zh = await run(['hospital', 'reconcile', '--run', 'RUN2', '--in', view, '--out', out], 'zh');
    // Only the fen split: no mismatch, exit 0.
    expect(process.exitCode).toBeUndefined();
    expect(zh).toContain('实际差异：无\n2 例仅差分配尾差（每例 1 分，合计 0.02）');
    // What is known: the agency's largest-remainder split made the fen; not how the hospital rounded (it said half-up).
    expect(zh).toContain('差额来自经办按最大余数法把本机构点数金额分到各病例（每例至多 1 分），不是实际差异');
    expect(zh).not.toContain('四舍五入');
    const en = await run(['hospital', 'reconcile', '--run', 'RUN2', '--in', view, '--out', out], 'en');
    expect(en).toContain('real differences: none\n2 cases differ only by the fen split');
    expect(en).toContain(
      'the agency’s largest-remainder split of the institution’s points value over its cases (at most 1 fen a case)',
    );
    expect(en).not.toContain('the hospital rounded');
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
  it('cases missing in the hospital’s view by the agency’s payment method when of more than one (a view of its DIP cases alone)', () => {
    const missing = (setlId: string, agencyMethod: string): ReconcileLine => ({
      ...line,
      setlId,
      reason: 'missing-hospital',
      agencyMethod,
    });
    const lines = [
      missing('A', 'dip'),
      missing('B', 'per-diem'),
      missing('C', 'single-disease'),
      missing('D', 'per-diem'),
    ];
    expect(byMethod(lines, 'missing-hospital', 'zh')).toBe('（按病种分值付费（DIP） 1，按床日付费 2，按病种付费 1）');
    expect(byMethod(lines, 'missing-hospital', 'en')).toMatch(/^ \(.*per-bed-day payment 2.*\)$/);
    expect(byMethod(lines.slice(0, 1), 'missing-hospital', 'zh')).toBe('');
    expect(byMethod(lines, 'group', 'zh')).toBe('');
  });
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

describe('hospital reconcile of a view without an institution column (run RUN3: H1 cases A1, A2; H2 case B1; H3 case C1)', () => {
  async function saveTwoInstitutions(): Promise<void> {
    const store = await DuckDbStore.open(db);
    await store.saveSettlementRun(testRunRecord('RUN3', 'test'), async (w) => {
      await w.pools([pool]);
      await w.units([
        unit('A1', {}),
        unit('A2', {}),
        unit('B1', { institution: 'H2' }),
        unit('C1', { institution: 'H3' }),
      ]);
    });
    await store.close();
  }
  const viewOf = (name: string, ids: string[]) => {
    const f = join(tmp, name);
    writeFileSync(f, ['结算ID,病种编码,点数,金额', ...ids.map((id) => `${id},${G},900,8550.00`)].join('\n'));
    return f;
  };
  it('its cases all belong to H1 in the run: H1 alone is compared (B1 of H2 is not 医院清单中无此病例), and it says so', async () => {
    await saveTwoInstitutions();
    const view = viewOf('view-noinst.csv', ['A1', 'A2']);
    const out = join(tmp, 'out-noinst');
    // Before: every institution of the run was compared — B1 (H2) appeared as missing in the hospital's view, +8,550.
    const zh = await run(['hospital', 'reconcile', '--run', 'RUN3', '--in', view, '--out', out], 'zh');
    expect(zh).toContain('机构 H1  医院病例 2  经办病例 2  一致 2');
    expect(zh).toContain('医院文件未给出机构编码：其病例在该结算运行中属于机构 H1，只比对该机构');
    expect(zh).not.toContain('医院清单中无此病例');
    expect(zh).toContain('合计差额（经办−医院）：0.00');
    const en = await run(['hospital', 'reconcile', '--run', 'RUN3', '--in', view, '--out', out], 'en');
    expect(en).toContain('institution H1  hospital cases 2  agency cases 2  matching 2');
    // The column there but blank: the same.
    const blank = join(tmp, 'view-blank-inst.csv');
    writeFileSync(blank, ['结算ID,定点医疗机构编号,病种编码,点数,金额', `A1,,${G},900,8550.00`].join('\n'));
    const b = await run(
      ['hospital', 'reconcile', '--run', 'RUN3', '--in', blank, '--out', join(tmp, 'out-blank')],
      'zh',
    );
    expect(b).toContain('医院文件未给出机构编码：其病例在该结算运行中属于机构 H1，只比对该机构');
    expect(en).toContain(
      'the hospital’s file gives no institution code: its cases belong to institution H1 in this run',
    );
  });
  it('cases of two institutions, or of none in the run: asks for --inst, naming what it found (zh and en)', async () => {
    const both = viewOf('view-noinst-both.csv', ['A1', 'B1', 'A2']);
    await expect(run(['hospital', 'reconcile', '--run', 'RUN3', '--in', both], 'zh')).rejects.toThrow(
      '医院文件未给出机构编码，其病例在结算运行 RUN3 中分属 2 家机构（H1 2 例，H2 1 例）：请用 --inst 机构编码 指定要比对的机构',
    );
    await expect(run(['hospital', 'reconcile', '--run', 'RUN3', '--in', both], 'en')).rejects.toThrow(
      'belong to 2 institutions in run RUN3 (cases: H1 2, H2 1): give the institution to compare with --inst CODE',
    );
    const none = viewOf('view-noinst-none.csv', ['X1']);
    await expect(run(['hospital', 'reconcile', '--run', 'RUN3', '--in', none], 'zh')).rejects.toThrow(
      '医院文件未给出机构编码，其 1 例在结算运行 RUN3 中一例也没有找到：请用 --inst 机构编码 指定要比对的机构',
    );
    // --inst names it: H2 is compared (A1, A2 are then not its cases: missing at the agency).
    const zh = await run(
      ['hospital', 'reconcile', '--run', 'RUN3', '--inst', 'H2', '--in', both, '--out', join(tmp, 'out-h2')],
      'zh',
    );
    expect(zh).toContain('机构 H2  医院病例 3  经办病例 1  一致 1');
    expect(zh).toContain('经办结算中无此病例：2');
    // The view has no institution column: its cases are the compared institution's, also where the agency has
    // none of them (the 机构编码 cell was blank).
    const lines = readFileSync(join(tmp, 'out-h2', 'reconcile-differences.csv'), 'utf8').split('\r\n');
    expect(lines.filter((l) => l.startsWith('经办结算中无此病例,')).map((l) => l.split(',').slice(1, 3))).toEqual([
      ['A1', 'H2'],
      ['A2', 'H2'],
    ]);
  });
  it('a view naming two institutions is compared with those two, not with every institution of the run (C1 of H3)', async () => {
    const view = join(tmp, 'view-two.csv');
    writeFileSync(
      view,
      ['结算ID,定点医疗机构编号,病种编码,点数,金额', `A1,H1,${G},900,8550.00`, `B1,H2,${G},900,8550.00`].join('\n'),
    );
    const zh = await run(['hospital', 'reconcile', '--run', 'RUN3', '--in', view, '--out', join(tmp, 'out-two')], 'zh');
    expect(zh).toContain('机构 H1、H2  医院病例 2  经办病例 3  一致 2');
    // A2 (H1) is missing in the view; C1 of H3 is not listed.
    expect(zh).toContain('医院清单中无此病例：1  差额 8550.00');
    expect(readFileSync(join(tmp, 'out-two', 'reconcile-differences.csv'), 'utf8')).not.toContain('C1');
  });
});
