// walk5 #9 (issue 17): `store push` said "没有这些表：institutionz" without the valid names, "data/x.duckdb: 存储文件不存在"
// without what to do, and printed its zh summary with the tables' and columns' English names (cases … medfee_sumamt=…).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { EXIT } from './context.ts';
import { main } from './main.ts';
import { pushSummaryLine, tableWords } from './store-tables.ts';

const tmp = mkdtempSync(join(tmpdir(), 'yibao-store-push-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

async function run(args: string[]) {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    err += String(s);
    return true;
  });
  const code = await main(['node', 'yibao', ...args]);
  vi.restoreAllMocks();
  return { code, out, err };
}

describe('store push messages', () => {
  it('--tables with a name the store does not have: did-you-mean and the valid names, in each language', async () => {
    const db = join(tmp, 'none.duckdb');
    const zh = await run([
      '--db',
      db,
      'store',
      'push',
      '--to',
      `chdb://${join(tmp, 'ch')}`,
      '--tables',
      'institutionz',
    ]);
    expect(zh.code).toBe(EXIT.usage);
    expect(zh.err).toContain('--tables：没有这些表：institutionz（是否想写 institutions？）。可交接的表（逗号分隔）：');
    expect(zh.err).toContain('cases（结算清单）、fee_items（费用明细）、institutions（定点医疗机构）');
    const en = await run(['--lang', 'en', '--db', db, 'store', 'push', '--to', 'chdb://x', '--tables', 'cases,foo']);
    expect(en.err).toContain(
      '--tables: no such tables: foo. Tables that can be pushed (comma-separated): cases (settlement lists), fee_items (fee line items), institutions, persons (insured persons)',
    );
    expect(en.err).not.toMatch(/\p{Script=Han}/u);
  });

  it('no store at --db: says so and what to do, creates nothing', async () => {
    const db = join(tmp, 'nonexist.duckdb');
    const target = join(tmp, 'target-chdb');
    const zh = await run(['--db', db, 'store', 'push', '--to', `chdb://${target}`]);
    expect(zh.code).toBe(EXIT.badInput);
    expect(zh.err).toContain(
      `${db} 处没有存储（文件不存在）。store push 交接 --db 的 DuckDB 存储，请先用 yibao ingest 导入`,
    );
    const en = await run(['--lang', 'en', '--db', db, 'store', 'push', '--to', `chdb://${target}`]);
    expect(en.err).toContain(`there is no store at ${db} (no such file). store push hands over the DuckDB store`);
    expect(existsSync(db)).toBe(false);
    expect(existsSync(target)).toBe(false);
  });

  it('the tables and money columns in the reader’s words (glossary)', () => {
    expect(tableWords('cases', 'zh')).toBe('结算清单');
    expect(tableWords('fee_items', 'zh')).toBe('费用明细');
    expect(tableWords('run_unit_amounts', 'zh')).toBe('病例结算金额');
    expect(tableWords('institutions', 'en')).toBe('institutions');
    const m = { table: 'cases', rows: 2993, moneyFen: { medfee_sumamt: 3595606094, hifp_pay: 100 }, seconds: 0.24 };
    expect(pushSummaryLine(m, 'zh')).toBe('结算清单：2993 行  医疗费用总额 35956060.94 元（0.2 秒）');
    expect(pushSummaryLine(m, 'en')).toBe(
      'settlement lists (cases): 2993 rows  total medical cost 35956060.94 (0.2 s)',
    );
    const f = { table: 'fee_items', rows: 3, moneyFen: { det_item_fee_sumamt: 12345 }, seconds: 0 };
    expect(pushSummaryLine(f, 'zh')).toBe('费用明细：3 行  明细项目费用总额 123.45 元（0.0 秒）');
  });
});
