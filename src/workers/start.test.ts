/**
 * The one way worker threads start (the DRG grouper's and the generator's pools): from TypeScript source, a bundle
 * with packages by file URL and the source's `import.meta.url`; cached only when it imports nothing but Node
 * built-ins and is made only of files the cache's key covers; JavaScript through boot.mjs.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleWorker, siblingModule, startWorker, type WorkerCache } from './start.ts';

const FIXTURES = new URL('./test-fixtures/', import.meta.url);
const fixture = (name: string) => new URL(name, FIXTURES);
const dir = mkdtempSync(join(tmpdir(), 'yibao-workers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The first message of a worker, then the worker stopped. */
async function firstMessage(w: Worker): Promise<Record<string, unknown>> {
  try {
    return await new Promise((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    });
  } finally {
    await w.terminate();
  }
}

/** A cache in a folder of its own, counting its writes. */
function folderCache(covers: readonly string[]): WorkerCache & { writes: string[] } {
  const folder = mkdtempSync(join(dir, 'cache-'));
  const writes: string[] = [];
  return {
    writes,
    key: () => 'key-of-the-sources',
    prefix: 'test-worker-',
    covers,
    find: (name) => (readdirSync(folder).includes(name) ? join(folder, name) : null),
    write: (name, code) => {
      writes.push(name);
      writeFileSync(join(folder, name), code);
      return join(folder, name);
    },
  };
}

describe('starting worker threads (src/workers/start.ts)', () => {
  it('siblingModule takes the caller’s extension: .ts from source, .js when built', () => {
    expect(siblingModule('file:///r/src/synth/shard-pool.ts', './shard-worker').href).toBe(
      'file:///r/src/synth/shard-worker.ts',
    );
    expect(siblingModule('file:///r/dist/synth/shard-pool.js', './shard-worker').href).toBe(
      'file:///r/dist/synth/shard-worker.js',
    );
  });

  it('a TypeScript worker runs from a data: bundle: packages by file URL, import.meta.url its source’s', async () => {
    const entry = fixture('echo-worker.ts');
    const bundle = bundleWorker({ entry });
    expect(bundle?.protocol).toBe('data:');
    const code = decodeURIComponent(bundle!.href.slice('data:text/javascript,'.length));
    expect(code).not.toMatch(/from\s*"yaml"/);
    expect(code).toMatch(/from\s*"file:\/\/[^"]*\/node_modules\/yaml\//);
    const reply = await firstMessage(startWorker({ entry }));
    expect(reply).toEqual({ url: entry.href, yaml: 'a: 1\n', twice: 42 });
  });

  it('a bundle of Node built-ins and covered files is cached under prefix + hash, and found again', async () => {
    const entry = fixture('builtin-worker.ts');
    const cache = folderCache([fileURLToPath(FIXTURES)]);
    const first = bundleWorker({ entry, cache });
    expect(first?.protocol).toBe('file:');
    expect(cache.writes).toHaveLength(1);
    expect(cache.writes[0]).toMatch(/^test-worker-[0-9a-f]{32}\.mjs$/);
    const second = bundleWorker({ entry, cache });
    expect(second?.href).toBe(first?.href);
    expect(cache.writes).toHaveLength(1);
    expect(await firstMessage(startWorker({ entry, cache }))).toEqual({ twice: 8 });
    // Another key, another name.
    const other = { ...cache, key: () => 'changed-source' };
    expect(bundleWorker({ entry, cache: other })?.href).not.toBe(first?.href);
    expect(cache.writes).toHaveLength(2);
  });

  it('not cached: a bundle importing a package, or one made of files outside the covered folders', () => {
    const withPackage = folderCache([fileURLToPath(FIXTURES)]);
    expect(bundleWorker({ entry: fixture('echo-worker.ts'), cache: withPackage })?.protocol).toBe('data:');
    const uncovered = folderCache([join(dir, 'elsewhere')]);
    expect(bundleWorker({ entry: fixture('builtin-worker.ts'), cache: uncovered })?.protocol).toBe('data:');
    expect([...withPackage.writes, ...uncovered.writes]).toEqual([]);
  });

  it('a JavaScript worker is not bundled: it starts through boot.mjs, which imports it', async () => {
    const entry = fixture('plain-worker.mjs');
    expect(bundleWorker({ entry })).toBeNull();
    expect(await firstMessage(startWorker({ entry }))).toEqual({ entry: entry.href });
  });

  it('a TypeScript worker esbuild cannot bundle still starts, through boot.mjs and tsx', async () => {
    const folder = mkdtempSync(join(dir, 'broken-'));
    writeFileSync(join(folder, 'package.json'), '{ "type": "module" }\n');
    const broken = join(folder, 'broken-worker.ts');
    // An import that does not resolve fails the bundle; tsx loads the module and the import is never reached.
    writeFileSync(
      broken,
      "import { parentPort } from 'node:worker_threads';\n" +
        "const answer: number = 7;\nparentPort?.postMessage({ answer });\nif (answer < 0) await import('./missing.ts');\n",
    );
    const entry = pathToFileURL(broken);
    expect(bundleWorker({ entry })).toBeNull();
    expect(await firstMessage(startWorker({ entry }))).toEqual({ answer: 7 });
  });
});
