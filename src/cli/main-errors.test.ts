// Errors about the user's input are one sentence in the language asked for (--lang), with the exit code scripts
// rely on; before, zh output showed "English / 中文" and a missing policy folder was an internal stack trace.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { PolicyError } from '../policy/errors.ts';
import { SettlementError } from '../settlement/errors.ts';
import { EXIT } from './context.ts';
import { localMessage, main } from './main.ts';

const tmp = mkdtempSync(join(tmpdir(), 'yibao-main-errors-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

async function run(args: string[], db = join(tmp, 'x.duckdb')) {
  let err = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    err += String(s);
    return true;
  });
  const code = await main(['node', 'yibao', '--db', db, ...args]);
  vi.restoreAllMocks();
  return { code, err };
}

describe('CLI errors in the user language', () => {
  it('settle with a missing policy folder: exit 3, a zh sentence without English, no stack trace', async () => {
    const { code, err } = await run(['settle', '--year', '2025', '--policies', join(tmp, 'nowhere')]);
    expect(code).toBe(EXIT.badInput);
    expect(err).toContain('找不到政策文件目录');
    expect(err).not.toContain('not found');
    expect(err).not.toContain('    at ');
  });

  it('the same in English with --lang en', async () => {
    const { code, err } = await run(['--lang', 'en', 'settle', '--year', '2025', '--policies', join(tmp, 'nowhere')]);
    expect(code).toBe(EXIT.badInput);
    expect(err).toContain('policy folder not found');
    expect(err).not.toContain('找不到');
  });

  it('localMessage keeps the place (file, field, subject) and the valid example', () => {
    const p = new PolicyError('X', 'a.yaml', 'values.k', '值不对', 'bad value', 'k: 1');
    expect(localMessage(p, 'zh')).toBe('a.yaml: values.k: 值不对\n  正确示例:\n    k: 1');
    expect(localMessage(p, 'en')).toBe('a.yaml: values.k: bad value\n  valid example:\n    k: 1');
    expect(localMessage(new SettlementError('Y', '不在池中', 'not in the pool', 'H1'), 'zh')).toBe('H1: 不在池中');
  });

  it('a command that reads a store, with no store at --db: exit 3, says so and what to run, creates nothing', async () => {
    const { writeFileSync, existsSync } = await import('node:fs');
    const view = join(tmp, 'view.csv');
    writeFileSync(view, 'setl_id,amount\nA,1\n');
    const db = join(tmp, 'none.duckdb');
    for (const args of [
      ['hospital', 'reconcile', '--run', 'R', '--in', view],
      ['community', 'settle', '--year', '2025'],
      ['runs'],
      ['runs', '--settlements'],
    ]) {
      const zh = await run(args, db);
      expect(zh.code, args.join(' ')).toBe(EXIT.badInput);
      expect(zh.err).toContain(`${db} 处没有存储（文件不存在）`);
      expect(zh.err).toMatch(/请先运行 yibao (settle|demo)/);
      expect(zh.err).toContain('--db data/demo.duckdb');
      expect(zh.err).not.toMatch(/[a-z]{4,} [a-z]{4,} [a-z]{4,}/); // no English sentence
      const en = await run(['--lang', 'en', ...args], db);
      expect(en.code).toBe(EXIT.badInput);
      expect(en.err).toContain(`there is no store at ${db}`);
      expect(en.err).not.toMatch(/\p{Script=Han}/u);
      expect(existsSync(db)).toBe(false);
    }
  });
});
