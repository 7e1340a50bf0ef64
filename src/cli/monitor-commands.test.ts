/**
 * `yibao monitor run | check | review | deductions` and `yibao explain flag` through commander on a small synthetic
 * region: the flag queue is written (XLSX with numbers as numbers, JSON), a confirmed flag becomes an audit deduction
 * with the reviewer's reason, a dismissed one does not, and the explanation shows the rule, the evidence and the review.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ingestFile } from '../ingest/pipeline.ts';
import { loadRegion } from '../monitor/bench-region.ts';
import { asciiPunctuationInZh } from '../report/zh-punctuation.ts';
import { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import { registerMonitorCommands } from './monitor-commands.ts';

const tmp = mkdtempSync(join(tmpdir(), 'yibao-monitor-cli-'));
const db = join(tmp, 'store.duckdb');
const out = join(tmp, 'out');

beforeAll(async () => {
  const store = await DuckDbStore.open(db);
  await loadRegion(store, { dir: join(tmp, 'region'), cases: 2000, seed: 5, misbehaviour: true, years: [2024, 2025] });
  await store.close();
}, 240_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function run(args: string[], lang: 'zh' | 'en' = 'zh'): Promise<string> {
  const program = new Command('yibao').exitOverride();
  program.command('explain');
  registerMonitorCommands(program, () => ({ db, lang, json: false }));
  let text = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    text += String(s);
    return true;
  });
  try {
    await program.parseAsync(['node', 'yibao', ...args]);
  } finally {
    spy.mockRestore();
  }
  return text;
}

describe('R-MON-3/4 yibao monitor', () => {
  it('run → queue → review → deductions → explain', async () => {
    const summary = await run(['monitor', 'run', '--year', '2025', '--out', out]);
    expect(summary).toContain('智能监控 2025');
    // No settlement run of 2025 in this store: the high-weight group share (R-MON-1) is left out, and said (walk8 #7).
    expect(summary).toContain(
      '  ! 2025 年度没有结算运行：机构指标不含高权重病组病例占比（它按结算运行的病例结果计算；先 yibao settle --year 2025，或用 --settlement-run 指定）',
    );
    // Each rule's count after a full-width colon (it read "YB-CS-001 分解住院: 5").
    expect(asciiPunctuationInZh(summary)).toEqual([]);
    const doc = JSON.parse(readFileSync(join(out, 'monitor-2025.json'), 'utf8'));
    expect(doc.flags.length).toBeGreaterThan(0);
    const withMoney = doc.flags.find((f: { amount: number; scope: string }) => f.amount > 0 && f.scope === 'case');
    const other = doc.flags.find(
      (f: { flagId: string; amount: number }) => f.amount > 0 && f.flagId !== withMoney.flagId,
    );
    expect(withMoney).toBeDefined();

    // the XLSX queue holds numbers as numbers (amount in yuan) and Chinese words for result types
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(out, 'monitor-2025.xlsx'));
    const ws = wb.getWorksheet('疑点清单')!;
    expect(ws.getRow(1).getCell(9).value).toBe('涉及金额（元）');
    expect(typeof ws.getRow(2).getCell(9).value).toBe('number');
    expect(['违规', '可疑']).toContain(ws.getRow(2).getCell(4).value);

    // R-MON-1 次均费用 is kept in fen in the JSON and shown in yuan (to the fen) in the workbook, as its label says
    const ind = wb.getWorksheet('机构指标')!;
    const cost = ind.getRows(2, ind.rowCount - 1)!.find((r) => r.getCell(2).value === '次均费用（元）')!;
    const json = doc.indicators.find(
      (i: { institutionCode: string; indicator: string }) =>
        i.institutionCode === cost.getCell(1).value && i.indicator === 'costPerCase',
    );
    expect(json.value).toBeGreaterThan(100_000);
    expect(cost.getCell(3).value).toBe(Math.round(json.value) / 100);

    await run(['monitor', 'review', withMoney.flagId, '--confirm', '--reason', '病历核实属实', '--reviewer', '张三']);
    await run([
      'monitor',
      'review',
      other.flagId,
      '--dismiss',
      '--reason',
      '计划内再入院，有医嘱',
      '--reviewer',
      '李四',
    ]);
    const ded = await run(['monitor', 'deductions', '--out', join(out, 'deductions.json')]);
    expect(ded).toContain('审核扣款 1 笔');
    const d = JSON.parse(readFileSync(join(out, 'deductions.json'), 'utf8'));
    expect(d.deductions).toEqual([
      expect.objectContaining({
        institutionCode: withMoney.institutionCode,
        period: withMoney.period,
        amount: withMoney.amount,
        source: expect.stringContaining('病历核实属实'),
      }),
    ]);
    expect(d.assessments.length).toBeGreaterThan(0);

    const explained = await run(['explain', 'flag', withMoney.flagId]);
    expect(explained).toContain(`疑点 ${withMoney.flagId}`);
    expect(explained).toContain('复核：已确认');
    expect(explained).not.toMatch(/\b(violation|suspicious)\b/);
    const en = await run(['explain', 'flag', other.flagId], 'en');
    expect(en).toContain('review: dismissed');

    // a second run keeps the decisions (flag ids are stable)
    await run(['monitor', 'run', '--year', '2025', '--out', out]);
    const again = JSON.parse(readFileSync(join(out, 'monitor-2025.json'), 'utf8'));
    expect(again.flags.find((f: { flagId: string }) => f.flagId === withMoney.flagId).review.decision).toBe(
      'confirmed',
    );

    // --lang en: English sheet names and an English list of deviating indicators (walk2 #10: 疑点清单 / 机构指标 /
    // 机构考核 and a cell joined with 、 in the English workbook)
    const outEn = join(tmp, 'out-en');
    const summaryEn = await run(['monitor', 'run', '--year', '2025', '--out', outEn], 'en');
    expect(summaryEn).toContain(
      '  ! no settlement run for 2025: the institution indicators leave out the high-weight group share (it is computed from',
    );
    const wbEn = new ExcelJS.Workbook();
    await wbEn.xlsx.readFile(join(outEn, 'monitor-2025.xlsx'));
    expect(wbEn.worksheets.map((w) => w.name)).toEqual(['Flags', 'Institution indicators', 'Institution assessment']);
    const scores = wbEn.getWorksheet('Institution assessment')!;
    expect(scores.getRow(1).getCell(5).value).toBe('deviating indicators');
    const deviating = scores.getRows(2, scores.rowCount - 1)!.map((r) => String(r.getCell(5).value ?? ''));
    for (const cell of deviating) expect(cell).not.toMatch(/[\u3000-\u9fff]/);
  }, 120_000);

  it('check one case at discharge prints its prompts; a missing case is an error', async () => {
    const doc = JSON.parse(readFileSync(join(out, 'monitor-2025.json'), 'utf8'));
    const flagged = doc.flags.find((f: { scope: string }) => f.scope === 'case');
    const text = await run(['monitor', 'check', flagged.setlId]);
    expect(text).toContain(`病例 ${flagged.setlId}`);
    expect(text).toContain(flagged.ruleId);
    await expect(run(['monitor', 'check', 'NOPE'])).rejects.toThrow('NOPE');
  }, 60_000);

  it('review needs exactly one decision and a reason of at least 2 characters (walk4 #19: "x" read 理由不能为空)', async () => {
    await expect(run(['monitor', 'review', 'X', '--reason', '理由充分'])).rejects.toThrow();
    await expect(run(['monitor', 'review', 'X', '--confirm', '--dismiss', '--reason', '理由充分'])).rejects.toThrow();
    await expect(run(['monitor', 'review', 'X', '--dismiss', '--reason', 'x'])).rejects.toThrow(
      '理由至少 2 个字符（--reason "x"）',
    );
    await expect(run(['monitor', 'review', 'X', '--dismiss', '--reason', 'x'], 'en')).rejects.toThrow(
      'the reason needs at least 2 characters',
    );
  });

  it('R-MON-4 a confirmed deduction may not exceed the amount at issue (walk4 #7), in zh and en', async () => {
    const doc = JSON.parse(readFileSync(join(out, 'monitor-2025.json'), 'utf8'));
    const f = doc.flags.find((x: { amount: number; scope: string }) => x.amount > 100 && x.scope === 'case');
    const over = (f.amount + 1) / 100;
    await expect(
      run(['monitor', 'review', f.flagId, '--confirm', '--reason', '出院后收费', '--amount', over.toFixed(2)]),
    ).rejects.toThrow(
      `扣款金额 ${over.toFixed(2)} 元超过疑点 ${f.flagId} 的涉及金额 ${(f.amount / 100).toFixed(2)} 元`,
    );
    await expect(
      run(
        ['monitor', 'review', f.flagId, '--confirm', '--reason', 'charged after discharge', '--amount', '99999.99'],
        'en',
      ),
    ).rejects.toThrow(`more than the amount at issue of flag ${f.flagId}, ${(f.amount / 100).toFixed(2)} yuan`);
    await expect(
      run(['monitor', 'review', f.flagId, '--dismiss', '--reason', '不属实', '--amount', '1']),
    ).rejects.toThrow('只有确认的疑点才有扣款金额');
    await expect(
      run(['monitor', 'review', f.flagId, '--confirm', '--reason', '属实', '--amount', '-5']),
    ).rejects.toThrow('--amount -5：应为以元计的金额');
    // the amount at issue itself stands
    const ok = await run([
      'monitor',
      'review',
      f.flagId,
      '--confirm',
      '--reason',
      '属实',
      '--amount',
      (f.amount / 100).toFixed(2),
    ]);
    expect(ok).toContain('已确认');
  }, 60_000);

  it('walk4 #6: monitor deductions --out X.csv|X.xlsx writes what ingest deductions and ingest assessments read', async () => {
    for (const [lang, ext] of [
      ['zh', 'csv'],
      ['en', 'csv'],
      ['zh', 'xlsx'],
      ['en', 'xlsx'],
    ] as const) {
      const file = join(tmp, `ded-${lang}.${ext}`);
      const said = await run(['monitor', 'deductions', '--out', file], lang);
      const n = Number(/^审核扣款 (\d+) 笔|^(\d+) audit deduction/.exec(said)?.slice(1).find(Boolean));
      expect(n).toBeGreaterThan(0);
      expect(said).toContain(lang === 'zh' ? 'yibao ingest deductions' : 'for the next settlement');
      const store = await DuckDbStore.open(db);
      try {
        const d = await ingestFile(store, {
          kind: 'deductions',
          file,
          rejectsFile: join(tmp, `ded-${lang}-${ext}.rejects.csv`),
          replace: true,
        });
        expect([d.accepted + d.alreadyPresent, d.rejected], file).toEqual([n, 0]);
        // the same rows whichever language wrote them: the second file is already present, not deducted again
        if (lang === 'en' || ext === 'xlsx') expect([d.accepted, d.alreadyPresent], file).toEqual([0, n]);
        const a = await ingestFile(store, {
          kind: 'assessments',
          file: file.replace(`.${ext}`, `-assessments.${ext}`),
          rejectsFile: join(tmp, `ass-${lang}-${ext}.rejects.csv`),
          replace: true,
        });
        expect(a.rejected).toBe(0);
        expect(a.accepted + a.alreadyPresent).toBeGreaterThan(0);
        const stored = await store.readYearEndInputs(2025);
        expect(stored.deductions.length).toBe(n);
        expect(stored.assessments.length).toBe(a.accepted + a.alreadyPresent);
      } finally {
        await store.close();
      }
    }
    // JSON only for .json; another extension is refused
    await expect(run(['monitor', 'deductions', '--out', join(tmp, 'ded.txt')])).rejects.toThrow('.csv、.xlsx 或 .json');
  }, 120_000);

  it('walk4 #28: en counts prompts in the singular for one', async () => {
    const doc = JSON.parse(readFileSync(join(out, 'monitor-2025.json'), 'utf8'));
    const counts = new Map<string, number>();
    for (const x of doc.flags) if (x.scope === 'case') counts.set(x.setlId, (counts.get(x.setlId) ?? 0) + 1);
    const one = [...counts].find(([, k]) => k === 1)![0];
    const text = await run(['monitor', 'check', one], 'en');
    expect(text).toMatch(new RegExp(`case ${one}: 1 prompt \\(`));
  }, 60_000);
});
