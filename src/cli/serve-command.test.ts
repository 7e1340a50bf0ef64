/**
 * `yibao serve` on a store of one's own without --tokens: the demo tokens name the demo region's institutions, so the
 * server does not start (exit 3) and says, in the reader's language only, to write a token file and pass --tokens.
 * Token-file errors carry each language on its own (TokenError).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { TokenError, TokenFile, TokenRegistry } from '../api/auth.ts';
import { ingestFile } from '../ingest/pipeline.ts';
import { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import { CliError } from './context.ts';
import { registerServeCommand, startedText } from './serve-command.ts';

const tmp = mkdtempSync(join(tmpdir(), 'yibao-serve-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("serve with the demo tokens on a store of one's own", () => {
  it('a token of an institution not in the store is a TokenError with zh and en apart', () => {
    const file = TokenFile.parse({
      tokens: [{ name: '某医院', role: 'institution', institution: 'H9', token: 't-00000000000000000' }],
    });
    try {
      new TokenRegistry(file, []);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TokenError);
      expect((e as TokenError).zh).toBe('令牌 某医院 的机构 H9 不在存储中');
      expect((e as TokenError).en).toBe('the institution H9 of token 某医院 is not in the store');
    }
  });

  it('exit 3 with what to do: write a token file and pass --tokens (zh only in zh, en only in en)', async () => {
    const db = join(tmp, 'own.duckdb');
    const store = await DuckDbStore.open(db);
    const csv = join(tmp, 'inst.csv');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(csv, '医疗机构编码,机构名称,医院等级,机构类型,所属区县\nH1,市第一人民医院,三级,综合医院,150101\n');
    await ingestFile(store, { kind: 'institutions', file: csv });
    await store.close();
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const run = async (lang: 'zh' | 'en') => {
      const program = new Command('yibao').exitOverride();
      registerServeCommand(program, () => ({ lang, json: false, db }));
      return program.parseAsync(['node', 'yibao', 'serve', '--port', '0']);
    };
    const zh = await run('zh').catch((e: unknown) => e);
    expect(zh).toBeInstanceOf(CliError);
    expect((zh as CliError).exitCode).toBe(3);
    expect((zh as CliError).message).toMatch(
      /^令牌 .* 的机构 H99010200001 不在存储中。示范令牌（.*tokens\.demo\.yaml）只适用于 yibao demo 的存储；请为本地区写一份令牌文件并用 --tokens 指定/,
    );
    expect((zh as CliError).message).not.toContain('unknown institution');
    const en = await run('en').catch((e: unknown) => e);
    expect((en as CliError).message).toMatch(
      /fit yibao demo's store only; write a token file for your region and pass it with --tokens/,
    );
    expect((en as CliError).message).not.toMatch(/示范令牌|不在存储中/);
    vi.restoreAllMocks();
  });
});

// `yibao serve` in zh printed a store's error in English and Chinese ("…: the file exists but is not a DuckDB database
// … / 该文件已存在但不是 DuckDB 数据库…"), and a missing store said "先运行 npm run demo" to a user outside the repository.
describe("serve on a store it cannot open: the reader's language only, and what to run from any folder", () => {
  it('a missing store and a file that is not a store, in zh and in en', async () => {
    const { writeFileSync } = await import('node:fs');
    const notStore = join(tmp, 'not-a-store.duckdb');
    writeFileSync(notStore, 'hello');
    const run = async (lang: 'zh' | 'en', db: string) => {
      const program = new Command('yibao').exitOverride();
      registerServeCommand(program, () => ({ lang, json: false, db }));
      return (await program.parseAsync(['node', 'yibao', 'serve', '--port', '0']).catch((e: unknown) => e)) as CliError;
    };
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const missing = join(tmp, 'missing.duckdb');
    const zh = await run('zh', missing);
    expect([zh.exitCode, zh.message]).toEqual([
      3,
      `${missing}: 存储文件不存在：先用 yibao ingest 导入数据、yibao settle 结算，或运行 yibao demo 后加 --db data/demo.duckdb`,
    ]);
    expect((await run('en', missing)).message).toBe(
      `${missing}: no such store file: ingest your data (yibao ingest) and settle it (yibao settle) first, or run yibao demo and add --db data/demo.duckdb`,
    );
    // walk5 #2: a chdb:// folder that does not exist was opened (and made) as an empty store.
    const noFolder = `chdb://${join(tmp, 'no-chdb')}`;
    expect((await run('zh', noFolder)).message).toBe(
      `${noFolder}: 存储文件夹不存在：先用 yibao ingest 导入数据、yibao settle 结算，或运行 yibao demo 后加 --db data/demo.duckdb`,
    );
    expect((await run('en', noFolder)).message).toMatch(/: no such store folder: ingest your data/);
    expect(existsSync(join(tmp, 'no-chdb'))).toBe(false);
    const bad = await run('zh', notStore);
    expect(bad.message).toMatch(/^.*not-a-store\.duckdb: 该文件已存在但不是 DuckDB 数据库/);
    expect(bad.message).not.toMatch(/not a DuckDB database/);
    expect((await run('en', notStore)).message).not.toMatch(/\p{Script=Han}/u);
    vi.restoreAllMocks();
  });
});

describe('serve says what it serves', () => {
  const url = 'http://127.0.0.1:8787';
  it('with the workbench built: the workbench and the API', () => {
    expect(startedText(url, true, 'zh')).toBe(`工作台：${url}/   API: ${url}/api/openapi.json   （Ctrl-C 停止）`);
    expect(startedText(url, true, 'en')).toBe(`workbench: ${url}/   API: ${url}/api/openapi.json   (Ctrl-C stops)`);
  });
  it('without it: not the workbench URL as if it were there, but that it is not built and how to build it', () => {
    const zh = startedText(url, false, 'zh');
    expect(zh.startsWith(`API: ${url}/api/openapi.json`)).toBe(true);
    expect(zh).not.toContain('工作台:');
    expect(zh).toContain('工作台未构建');
    expect(zh).toContain('npm run build:web');
    expect(zh).not.toMatch(/the workbench|start yibao/);
    const en = startedText(url, false, 'en');
    expect(en).toContain('the workbench is not built');
    expect(en).not.toMatch(/[\u4e00-\u9fff]/);
  });
});
