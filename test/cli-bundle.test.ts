/**
 * `drg …` commands start from the cached CLI bundle (bin/cli-bundle.mjs) and give byte-identical results to the
 * source run through tsx (YIBAO_BUNDLE=off), on the 3,000 public CHS-DRG 2.0 cases (R-PAY-DRG); the bundle's
 * manifest lists the source files it was made from, which name it.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { requireChsDrg20Reference } from '../src/grouping/drg/reference-dir.ts';

const REPO = new URL('..', import.meta.url).pathname;
const BIN = join(REPO, 'bin', 'yibao.js');
const dir = mkdtempSync(join(tmpdir(), 'yibao-cli-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const run = promisify(execFile);

describe('the CLI bundle', () => {
  it('drg group from the bundle = drg group from source, byte for byte', { timeout: 180_000 }, async () => {
    const cases = join(requireChsDrg20Reference(), 'cases_public.csv');
    const out = (name: string) => join(dir, name);
    const env = (bundle: string) => ({ ...process.env, YIBAO_BUNDLE: bundle, YIBAO_CACHE_DIR: join(dir, 'cache') });
    const args = (o: string) => ['--json', 'drg', 'group', '--in', cases, '--out', o, '--workers', '2'];
    // NODE_DEBUG=esm lists on stderr every module each run loads: which CLI ran is seen, not assumed.
    const debug = (bundle: string) => ({ env: { ...env(bundle), NODE_DEBUG: 'esm' }, maxBuffer: 64 << 20 });
    const fromSource = await run(process.execPath, [BIN, ...args(out('source.csv'))], debug('off'));
    // The first bundled run may build the bundle; the second surely starts from it. The first has a cache of its
    // own, so it bundles the grouping worker itself (src/workers/start.ts) rather than finding the source run's.
    const first = await run(process.execPath, [BIN, ...args(out('bundle-1.csv'))], {
      env: { ...env('on'), YIBAO_CACHE_DIR: join(dir, 'cache-bundle'), NODE_DEBUG: 'esm' },
      maxBuffer: 64 << 20,
    });
    const second = await run(process.execPath, [BIN, ...args(out('bundle-2.csv'))], debug('on'));
    const source = readFileSync(out('source.csv'), 'utf8');
    expect(source.split('\n')).toHaveLength(3002);
    expect(readFileSync(out('bundle-1.csv'), 'utf8')).toBe(source);
    expect(readFileSync(out('bundle-2.csv'), 'utf8')).toBe(source);
    expect(JSON.parse(second.stdout).cases).toBe(3000);
    expect(JSON.parse(fromSource.stdout).cases).toBe(3000);

    const manifest = JSON.parse(readFileSync(join(REPO, '.cache', 'cli', 'manifest.json'), 'utf8')) as {
      dir: string;
      inputs: string[];
    };
    expect(manifest.inputs).toContain('src/cli/main.ts');
    expect(manifest.inputs).toContain('src/grouping/drg/kernel.ts');
    expect(manifest.inputs.every((f) => f.startsWith('src/'))).toBe(true);
    expect(existsSync(join(REPO, '.cache', 'cli', manifest.dir, 'main.js'))).toBe(true);
    // The bundled run loaded the bundle the manifest names and not the CLI's source; YIBAO_BUNDLE=off the reverse.
    expect(second.stderr).toContain(`/.cache/cli/${manifest.dir}/main.js`);
    expect(second.stderr).not.toContain('/src/cli/main.ts');
    expect(fromSource.stderr).toContain('/src/cli/main.ts');
    expect(fromSource.stderr).not.toContain('/.cache/cli/');
    // Every run's workers start from the bundled worker module kept in the cache, never through tsx (boot.mjs).
    for (const r of [fromSource, first, second]) {
      expect(r.stderr).toMatch(/drg-worker-[0-9a-f]{32}\.mjs/);
      expect(r.stderr).not.toContain('/src/workers/boot.mjs');
    }
  });
});
