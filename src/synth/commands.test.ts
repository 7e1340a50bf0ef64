// `yibao synth` through the command line: options, --json, the Chinese/English summary and usage errors.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CliError, EXIT } from '../cli/context.ts';
import { parseYears, registerSynthCommands } from '../cli/synth-commands.ts';
import type { Manifest } from './manifest.ts';

const root = mkdtempSync(join(tmpdir(), 'yibao-synth-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function run(args: string[], opts: { json?: boolean; lang?: 'zh' | 'en' } = {}) {
  const program = new Command('yibao').exitOverride();
  registerSynthCommands(program, () => ({ db: join(root, 'db'), json: opts.json ?? false, lang: opts.lang ?? 'zh' }));
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  try {
    await program.parseAsync(['node', 'yibao', 'synth', ...args]);
  } finally {
    vi.restoreAllMocks();
  }
  return out;
}

describe('yibao synth', () => {
  it('parses year ranges and lists', () => {
    expect(parseYears('2022-2025')).toEqual([2022, 2023, 2024, 2025]);
    expect(parseYears('2025')).toEqual([2025]);
    expect(parseYears('2021, 2023,2025')).toEqual([2021, 2023, 2025]);
    expect(() => parseYears('2025-2022')).toThrow(RangeError);
    expect(() => parseYears('last year')).toThrow(RangeError);
  });

  it('generates a region and prints the manifest as JSON with --json', async () => {
    const out = join(root, 'json');
    const text = await run(
      [
        ...['--out', out, '--cases', '1.5k', '--seed', '3', '--years', '2024-2025', '--bad-rows', '0.01'],
        ...['--misbehaviour', '--workers', '2'],
      ],
      { json: true },
    );
    const doc = JSON.parse(text) as { ok: boolean; manifest: Manifest };
    expect(doc.ok).toBe(true);
    expect(doc.manifest.cases).toBe(1500);
    expect(doc.manifest.years).toEqual([2024, 2025]);
    expect(doc.manifest.misbehaviour).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))).toEqual(doc.manifest);
  });

  it('prints a summary in Chinese by default and in English on request', async () => {
    const zh = await run(['--out', join(root, 'zh'), '--cases', '500', '--years', '2025', '--format', 'csv']);
    expect(zh).toContain('已生成合成统筹区');
    expect(zh).toContain('住院病例 500');
    const en = await run(['--out', join(root, 'en'), '--cases', '500', '--years', '2025', '--fee-items'], {
      lang: 'en',
    });
    expect(en).toContain('Synthetic region');
    expect(en).toContain('fee items');
  });

  it('refuses bad options with the usage exit code', async () => {
    for (const args of [
      ['--cases', 'many'],
      ['--years', '2025-2020'],
      ['--format', 'xlsx'],
      ['--encoding', 'latin1'],
      ['--bad-rows', '0.9'],
      ['--workers', '0'],
      ['--workers', 'two'],
    ]) {
      const error = await run(['--out', join(root, 'bad'), ...args]).catch((e: unknown) => e);
      expect(error, args.join(' ')).toBeInstanceOf(CliError);
      expect((error as CliError).exitCode).toBe(EXIT.usage);
    }
  });
});
