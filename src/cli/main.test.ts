import { describe, expect, it } from 'vitest';
import { buildProgram, COMMAND_MODULES, commandWord } from './main.ts';

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
});
