import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { asciiPunctuationInZh } from '../report/zh-punctuation.ts';
import { buildProgram, COMMAND_MODULES, commandWord, GLOBAL_VALUE_OPTIONS } from './main.ts';

describe('the command line loads only the module a command needs', () => {
  it('every top-level command of the full program is listed in COMMAND_MODULES, and nothing else', async () => {
    const all = (await buildProgram()).commands.map((c) => c.name()).sort();
    expect([...new Set(COMMAND_MODULES.flatMap((m) => m.commands))].sort()).toEqual(all);
  });

  it('finds the command word after the global options, skipping their values', () => {
    expect(commandWord(['node', 'yibao', '--db', 'x.duckdb', '--json', 'drg', 'group'])).toBe('drg');
    expect(commandWord(['node', 'yibao', '--lang', 'en', '--share-mode', '0640', 'settle'])).toBe('settle');
    expect(commandWord(['node', 'yibao', '--help'])).toBeUndefined();
  });

  it('`drg …` builds a program with the drg command only; `explain` gets `explain flag` from monitoring too', async () => {
    const drg = await buildProgram(['node', 'yibao', 'drg', 'group']);
    expect(drg.commands.map((c) => c.name())).toEqual(['drg']);
    const explain = await buildProgram(['node', 'yibao', 'explain', 'flag', 'F1']);
    expect(explain.commands.map((c) => c.name())).toEqual(['explain', 'monitor']);
    expect(explain.commands[0]!.commands.map((c) => c.name())).toEqual(['case', 'settlement', 'flag']);
  });

  it('the global options that take a value are those commander registers, and bin/yibao.js reads the same list', async () => {
    const program = await buildProgram(['node', 'yibao', 'runs']);
    const registered = program.options.filter((o) => o.required || o.optional).map((o) => o.long);
    expect([...GLOBAL_VALUE_OPTIONS].sort()).toEqual(registered.sort());
    expect([...GLOBAL_VALUE_OPTIONS].sort()).toEqual(['--db', '--lang', '--share-mode', '--store']);
    const bin = readFileSync(new URL('../../bin/yibao.js', import.meta.url), 'utf8');
    expect(bin).toContain("from '../src/cli/global-options.json'");
    expect(bin).not.toMatch(/'--share-mode'/);
  });

  it('bin/yibao.js skips the value of a global option: --lang en drg --help starts the drg command', () => {
    const bin = fileURLToPath(new URL('../../bin/yibao.js', import.meta.url));
    const out = execFileSync(process.execPath, [bin, '--lang', 'en', '--share-mode', '0600', 'drg', '--help'], {
      encoding: 'utf8',
    });
    expect(out).toContain('Usage: yibao drg');
  });

  it('every command that writes statements or workbooks writes them below out/ by default (monitor too, not data/out)', async () => {
    const program = await buildProgram();
    const defaults: [string, string][] = [];
    const visit = (c: typeof program, path: string) => {
      for (const o of c.options) {
        if (o.long === '--out' && typeof o.defaultValue === 'string') defaults.push([path, o.defaultValue]);
      }
      for (const sub of c.commands) visit(sub, `${path} ${sub.name()}`.trim());
    };
    visit(program, '');
    expect(defaults.find(([p]) => p === 'monitor run')).toEqual(['monitor run', 'out/monitor']);
    // synth writes input data for ingest (data/synth), not statements.
    for (const [p, d] of defaults.filter(([p]) => p !== 'synth')) expect(d, p).toMatch(/^out\//);
  });

  // `yibao --help` began "yibao 医保: 多元复合式…": an ASCII colon beside a Chinese character.
  it('the Chinese half of every command’s and option’s description takes full-width punctuation', async () => {
    const program = await buildProgram();
    const bad: string[] = [];
    const visit = (c: typeof program, path: string) => {
      // (a URL template such as clickhouse://主机:端口/数据库 keeps its own colon)
      const zh = (text: string) => (text.split(/ ?\/ /)[0] ?? '').replace(/\S*:\/\/\S*/g, '');
      for (const line of asciiPunctuationInZh(zh(c.description()))) bad.push(`${path}: ${line}`);
      for (const o of c.options)
        for (const line of asciiPunctuationInZh(zh(o.description))) bad.push(`${path} ${o.long}: ${line}`);
      for (const sub of c.commands) visit(sub, `${path} ${sub.name()}`.trim());
    };
    visit(program, 'yibao');
    expect(bad).toEqual([]);
  });
});
