// Fault 7: "the latest run of a region-year" was looked up in src/cli three times (explain, community settle, hospital
// reconcile; monitor a fourth), each with its own error text. One helper now; these tests pin what it answers.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import { testRunRecord } from '../store/testing.ts';
import { CliError, EXIT } from './context.ts';
import { latestSettlementRun, settlementRunFor } from './settlement-run.ts';

const tmp = mkdtempSync(join(tmpdir(), 'yibao-settlement-run-'));
const db = join(tmp, 'y.duckdb');
let store: DuckDbStore;

beforeAll(async () => {
  store = await DuckDbStore.open(db);
  const at = (m: string) => ({ startedAt: `2026-0${m}-01T00:00:00Z`, finishedAt: `2026-0${m}-01T00:00:01Z` });
  await store.saveSettlementRun(testRunRecord('A-2025-1', 'a', at('1')), async () => {});
  await store.saveSettlementRun(testRunRecord('A-2025-2', 'a', at('2')), async () => {});
  await store.saveSettlementRun(testRunRecord('A-2024', 'a', { ...at('3'), year: 2024 }), async () => {});
  await store.saveSettlementRun(testRunRecord('B-2025', 'b', at('4')), async () => {});
});
afterAll(async () => {
  await store.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function failure(p: Promise<unknown>): Promise<CliError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(CliError);
    return e as CliError;
  }
  throw new Error('expected an error');
}

describe('the settlement run a command reads (one helper for every command)', () => {
  it('the latest of the region-year; the latest of all without a filter; --run latest is the same', async () => {
    expect((await latestSettlementRun(store, { region: 'a', year: 2025 }))?.id).toBe('A-2025-2');
    expect((await latestSettlementRun(store, { region: 'a' }))?.id).toBe('A-2024');
    expect((await latestSettlementRun(store))?.id).toBe('B-2025');
    const zh = { lang: 'zh' as const, db };
    expect((await settlementRunFor(store, zh, { region: 'a', year: 2025 })).record.id).toBe('A-2025-2');
    expect((await settlementRunFor(store, zh, { run: 'latest' })).record.id).toBe('B-2025');
    const named = await settlementRunFor(store, zh, { run: 'A-2025-1', region: 'b' });
    expect(named.record.id).toBe('A-2025-1'); // a named run is that run, whatever the filter
    expect((await named.reader.record()).id).toBe('A-2025-1');
  });

  it('no run of the region-year: exit 3, says which and what to run, in zh or en', async () => {
    const zh = await failure(settlementRunFor(store, { lang: 'zh', db }, { region: 'c', year: 2025 }));
    expect(zh.exitCode).toBe(EXIT.badInput);
    expect(zh.message).toBe(
      `${db} 中没有地区 c 2025 年的结算运行；请先运行 yibao settle --region c --year 2025（或 yibao demo），已有的结算运行见 yibao runs --settlements`,
    );
    const en = await failure(settlementRunFor(store, { lang: 'en', db }, { region: 'c', year: 2025 }));
    expect(en.message).toBe(
      `${db} has no settlement run of region c for 2025; run yibao settle --region c --year 2025 (or yibao demo) first; yibao runs --settlements lists the stored runs`,
    );
  });

  it('a named run the store does not hold: exit 3, names it and where the runs are listed', async () => {
    const zh = await failure(settlementRunFor(store, { lang: 'zh', db }, { run: 'NOPE' }));
    expect(zh.message).toBe(`${db} 中没有结算运行 NOPE；用 yibao runs --settlements 查看已有的结算运行`);
    const en = await failure(settlementRunFor(store, { lang: 'en', db }, { run: 'NOPE' }));
    expect(en.message).toContain('has no settlement run NOPE; yibao runs --settlements lists');
  });

  it('no other file of src/cli looks up the latest settlement run itself', () => {
    const dir = new URL('.', import.meta.url).pathname;
    const own = readdirSync(dir).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'settlement-run.ts' && f !== 'runs-command.ts',
    );
    for (const f of own) {
      const text = readFileSync(join(dir, f), 'utf8');
      expect(text, f).not.toMatch(/listSettlementRuns\(|openRun\(|findRun\(/);
    }
  });
});
