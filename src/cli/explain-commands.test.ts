/**
 * `yibao explain case` of a settlement id the run does not hold — a typo, another year, or a list the ingest QC
 * rejected (R-DATA-1: a rejected case is never settled): the error names the run and its year and says where the
 * rejected lists' reasons are, instead of only "没有结算ID为 … 的病例".
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import { testRunRecord } from '../store/testing.ts';
import { CliError } from './context.ts';
import { registerExplainCommands } from './explain-commands.ts';

const tmp = mkdtempSync(join(tmpdir(), 'yibao-explain-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const db = join(tmp, 'y.duckdb');

async function saveEmptyRun(): Promise<void> {
  const store = await DuckDbStore.open(db);
  await store.saveSettlementRun(testRunRecord('RUN1', 'city03'), async () => {});
  await store.close();
}

async function explainCase(id: string, lang: 'zh' | 'en'): Promise<CliError> {
  const program = new Command('yibao').exitOverride();
  registerExplainCommands(program, () => ({ lang, json: false, db }));
  try {
    await program.parseAsync(['node', 'yibao', 'explain', 'case', id]);
  } catch (e) {
    return e as CliError;
  }
  throw new Error('expected an error');
}

describe('yibao explain case of a case the run does not hold', () => {
  it('R-DATA-1 names the run, its region and year, and where a rejected list’s reason is', async () => {
    await saveEmptyRun();
    const zh = await explainCase('C2025021', 'zh');
    expect(zh).toBeInstanceOf(CliError);
    expect(zh.message).toContain('结算运行 RUN1（city03 2025 年）中没有结算ID为 C2025021 的病例');
    expect(zh.message).toContain('导入时被拒收的病例不参加结算');
    const en = await explainCase('C2025021', 'en');
    expect(en.message).toContain('no case C2025021 in settlement run RUN1 (city03 2025)');
    expect(en.message).toContain('rejects file');
  });
});
