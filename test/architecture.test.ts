/** ARCHITECTURE.md: arrows point down. Engines never import the shell; model/ imports nothing of the project. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

/** Project folders (first path segment under src/) that a file imports. */
function importedFolders(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)) {
    const target = relative(SRC, resolve(file, '..', m[1]!));
    if (!target.startsWith('..')) out.push(target.split('/')[0]!);
  }
  return out;
}

// (codes/ is left out: besides the code facts it holds the code-list import, an adapter like ingest/.)
const ENGINES = ['dip', 'grouping', 'payment', 'settlement', 'community', 'benefits', 'policy', 'model'];
const SHELL = new Set(['store', 'ingest', 'cli', 'api', 'web', 'run', 'report', 'synth']);

describe('ARCHITECTURE: arrows point down', () => {
  it('no engine or foundation module imports store/, ingest/, cli/, run/, report/ or synth/', () => {
    const bad: string[] = [];
    for (const folder of ENGINES) {
      for (const f of files(join(SRC, folder))) {
        for (const target of importedFolders(f)) {
          if (SHELL.has(target)) bad.push(`${relative(SRC, f)} → ${target}/`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it('model/ imports nothing else of the project', () => {
    const bad = files(join(SRC, 'model')).flatMap((f) =>
      importedFolders(f)
        .filter((t) => t !== 'model')
        .map((t) => `${relative(SRC, f)} → ${t}/`),
    );
    expect(bad).toEqual([]);
  });
});

/** The code of a file without its comments (block and line comments), so only code and string literals remain. */
function codeOnly(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

describe('STYLE: citations come from policy data, not from engine code', () => {
  it('no engine cites a specific document (〔year〕 number) or a city in code — a trace’s clause is a policy value’s `source`', () => {
    const CITY = /攀枝花|哈尔滨|内蒙古|资府办|〔\d{4}〕/;
    const bad: string[] = [];
    for (const folder of ['dip', 'grouping', 'payment', 'settlement']) {
      for (const f of files(join(SRC, folder))) {
        if (f.endsWith('testing.ts') || f.includes('test-fixtures')) continue;
        codeOnly(readFileSync(f, 'utf8'))
          .split('\n')
          .forEach((line, i) => {
            if (CITY.test(line)) bad.push(`${relative(SRC, f)}:${i + 1}: ${line.trim()}`);
          });
      }
    }
    expect(bad).toEqual([]);
  });
});
