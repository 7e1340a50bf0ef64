/**
 * ARCHITECTURE.md: arrows point down. Engines never import the shell; model/ imports nothing of the project; no
 * folder or sub-folder imports one that imports it back; orchestration (settling a pool, reading the store) lives in
 * src/run/, never in an engine folder; src/run/ reaches a payment method only through its public entry (index.ts).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

/** Project files (paths relative to src/) that a file imports. */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)) {
    const target = relative(SRC, resolve(file, '..', m[1]!));
    if (!target.startsWith('..')) out.push(target);
  }
  return out;
}

/** Project folders (first path segment under src/) that a file imports. */
function importedFolders(file: string): string[] {
  return imports(file).map((t) => t.split('/')[0]!);
}

const ALL = files(SRC);
const ENGINES = ['grouping', 'payment', 'settlement', 'community', 'benefits', 'policy', 'model'];
const SHELL = new Set(['store', 'ingest', 'cli', 'api', 'web', 'run', 'report', 'synth']);

/** The folder of a file relative to src/, cut to `depth` segments. */
const folderOf = (rel: string, depth: number) => dirname(rel).split('/').slice(0, depth).join('/');
const within = (a: string, b: string) => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);

/** Strongly connected folder groups (size > 1) of the import graph at `depth`, ignoring parent ⇄ sub-folder edges. */
function folderCycles(depth: number): string[][] {
  const edges = new Map<string, Set<string>>();
  for (const f of ALL) {
    const a = folderOf(relative(SRC, f), depth);
    for (const t of imports(f)) {
      const b = folderOf(t, depth);
      if (within(a, b)) continue;
      if (!edges.has(a)) edges.set(a, new Set());
      edges.get(a)!.add(b);
    }
  }
  // Tarjan's algorithm.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  let n = 0;
  const visit = (v: string) => {
    index.set(v, n);
    low.set(v, n++);
    stack.push(v);
    on.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const comp: string[] = [];
      for (;;) {
        const w = stack.pop()!;
        on.delete(w);
        comp.push(w);
        if (w === v) break;
      }
      if (comp.length > 1) out.push(comp.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return out;
}

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

  // workers/ (how worker threads start) is used by engines and the shell alike.
  it.each(['model', 'workers'])('%s/ imports nothing else of the project', (folder) => {
    const bad = files(join(SRC, folder)).flatMap((f) =>
      importedFolders(f)
        .filter((t) => t !== folder)
        .map((t) => `${relative(SRC, f)} → ${t}/`),
    );
    expect(bad).toEqual([]);
  });

  it('no folder cycle: folders and sub-folders (a folder with its own sub-folders counts as one)', () => {
    // The hospital side of a run (its parameters from a run, the agency side of a reconciliation) lives in src/run/,
    // so hospital/ stays an engine below run/.
    for (const depth of [1, 2, 3]) expect({ depth, cycles: folderCycles(depth) }).toEqual({ depth, cycles: [] });
  });

  it('orchestration stays out of engine folders: only src/run/ settles a pool (settlement/settle.ts, budget.ts)', () => {
    const bad: string[] = [];
    for (const folder of ['grouping', 'payment', 'policy', 'model']) {
      for (const f of files(join(SRC, folder))) {
        for (const t of imports(f)) {
          if (t === 'settlement/settle.ts' || t === 'settlement/budget.ts') bad.push(`${relative(SRC, f)} → ${t}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it('method internals stay out of src/run/: it reaches payment/<method>/ and grouping/dip/ only through index.ts', () => {
    const bad: string[] = [];
    for (const f of files(join(SRC, 'run'))) {
      for (const t of imports(f)) {
        const m = /^(payment\/(?!common\/)[a-z-]+|grouping\/dip)\/(.+)$/.exec(t);
        if (m && m[2] !== 'index.ts') bad.push(`${relative(SRC, f)} → ${t}`);
      }
    }
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
    for (const folder of ['grouping', 'payment', 'settlement']) {
      for (const f of files(join(SRC, folder))) {
        if (f.endsWith('testing.ts') || f.includes('test-fixtures')) continue;
        // A national scheme's importer names the scheme it reads (its pack title), not a clause of a region.
        if (/\/import-[^/]*\.ts$/.test(f)) continue;
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
