/** `yibao drg weights import` with Harbin's published 2024 table (needs ../shared/reference; fails without it). */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CliError } from './context.ts';
import { registerDrgWeightsCommands } from './drg-weights-command.ts';

const table = resolve(import.meta.dirname, '../../../shared/reference/harbin-drg-weights/weights_2024.csv');
const tmp = mkdtempSync(join(tmpdir(), 'yibao-weights-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function run(args: string[], lang: 'zh' | 'en'): Promise<string> {
  const program = new Command('yibao').exitOverride();
  registerDrgWeightsCommands(program, () => ({ lang, json: false, db: 'x' }));
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

describe('yibao drg weights import', () => {
  it('哈尔滨 2024: checks 703 weights, copies the table into the policy folder and prints the policy entry', async () => {
    const out = await run(['drg', 'weights', 'import', table, '--base-rate', '12252.70', '--out', tmp], 'zh');
    expect(out).toContain('703 个 DRG');
    expect(out).toContain('method: file, file: weights_2024.csv, referenceBaseRate: "12252.70"');
    expect(existsSync(join(tmp, 'weights_2024.csv'))).toBe(true);
  });

  it('a broken row stops the import with its line number', async () => {
    const bad = join(tmp, 'bad.csv');
    writeFileSync(bad, 'drg,rw\nGZ13,0.5418\nGZ15,abc\n');
    await expect(run(['drg', 'weights', 'import', bad, '--base-rate', '100', '--out', tmp], 'en')).rejects.toThrow(
      CliError,
    );
    await expect(run(['drg', 'weights', 'import', bad, '--base-rate', '100', '--out', tmp], 'en')).rejects.toThrow(
      /3: rw "abc"/,
    );
  });
});
