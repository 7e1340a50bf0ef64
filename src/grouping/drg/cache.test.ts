/**
 * The grouper's cache folder (cache.ts): where it is, what turns it off, how entries are named by content, and
 * that a write keeps only the newest entries of its kind.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheDir, cacheEntryPath, contentHash, readCacheEntry, writeCacheEntry } from './cache.ts';

const tmp = mkdtempSync(join(tmpdir(), 'yibao-drg-cache-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const saved = { dir: process.env.YIBAO_CACHE_DIR, xdg: process.env.XDG_CACHE_HOME };
let cache = '';
beforeEach(() => {
  cache = mkdtempSync(join(tmp, 'cache-'));
  process.env.YIBAO_CACHE_DIR = cache;
});
afterEach(() => {
  for (const [name, v] of [
    ['YIBAO_CACHE_DIR', saved.dir],
    ['XDG_CACHE_HOME', saved.xdg],
  ] as const) {
    if (v === undefined) delete process.env[name];
    else process.env[name] = v;
  }
});

describe('grouper cache', () => {
  it('is $YIBAO_CACHE_DIR, else $XDG_CACHE_HOME/yibao; off or empty turns it off', () => {
    expect(cacheDir()).toBe(cache);
    process.env.YIBAO_CACHE_DIR = 'off';
    expect(cacheDir()).toBeNull();
    process.env.YIBAO_CACHE_DIR = '';
    expect(cacheDir()).toBeNull();
    expect(writeCacheEntry('k-1', 'x', 'k-')).toBeNull();
    expect(readCacheEntry('k-1')).toBeNull();
    delete process.env.YIBAO_CACHE_DIR;
    process.env.XDG_CACHE_HOME = join(tmp, 'xdg');
    expect(cacheDir()).toBe(join(tmp, 'xdg', 'yibao'));
  });

  it('an entry written is read back; a write keeps the `keep` newest entries of its prefix only', () => {
    const old = Date.now() / 1000 - 60;
    for (const [k, name] of ['k-1', 'k-2', 'other-1'].entries()) {
      expect(writeCacheEntry(name, `bytes ${name}`, name.slice(0, name.indexOf('-') + 1), 2)).toBe(join(cache, name));
      utimesSync(join(cache, name), old + k, old + k);
    }
    expect(writeCacheEntry('k-3', 'bytes k-3', 'k-', 2)).toBe(join(cache, 'k-3'));
    expect(readdirSync(cache).sort()).toEqual(['k-2', 'k-3', 'other-1']);
    expect(readCacheEntry('k-3')?.toString()).toBe('bytes k-3');
    expect(cacheEntryPath('k-3')).toBe(join(cache, 'k-3'));
    expect(readCacheEntry('k-1')).toBeNull();
    expect(cacheEntryPath('k-1')).toBeNull();
  });

  it('a content hash changes with a file’s bytes and with a file’s name in a folder', () => {
    const dir = join(tmp, 'scheme');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'a.csv'), 'x\n');
    const first = contentHash(dir);
    expect(contentHash(dir)).toBe(first);
    writeFileSync(join(dir, 'a.csv'), 'x\r\n');
    const second = contentHash(dir);
    expect(second).not.toBe(first);
    rmSync(join(dir, 'a.csv'));
    writeFileSync(join(dir, 'b.csv'), 'x\r\n');
    expect(contentHash(dir)).not.toBe(second);
    expect(contentHash(join(dir, 'b.csv'))).toMatch(/^[0-9a-f]{64}$/);
  });
});
