/**
 * walk4 #27: `yibao serve` from README's "your own data" block showed no workbench, only "工作台未构建…在 yibao 的目录中运行
 * npm run build:web"; only `npm start` built it. serve now builds it on its first start (and when its sources changed)
 * and the page loads on the next refresh; without the build tools it says in one line what to run.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app.ts';
import { ensureWorkbench } from './serve-command.ts';
import { WEB_SOURCES, workbenchState } from './workbench-build.ts';

const tmp = mkdtempSync(join(tmpdir(), 'yibao-workbench-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const url = 'http://127.0.0.1:8787';

/** A folder of workbench sources (index.html, src/main.ts, vite.config.ts) with the given modification time. */
function sources(dir: string, when: Date): string {
  mkdirSync(join(dir, 'src'), { recursive: true });
  for (const f of ['vite.config.ts', 'index.html', join('src', 'main.ts')]) {
    writeFileSync(join(dir, f), '');
    utimesSync(join(dir, f), when, when);
  }
  return dir;
}

describe('the workbench as serve finds it', () => {
  it('missing (no index.html), built, or stale (a source newer than the build)', () => {
    const src = sources(join(tmp, 'web'), new Date('2026-01-01'));
    const dist = join(tmp, 'dist');
    expect(workbenchState(dist, src)).toBe('missing');
    mkdirSync(dist);
    writeFileSync(join(dist, 'index.html'), '<p>built</p>');
    utimesSync(join(dist, 'index.html'), new Date('2026-02-01'), new Date('2026-02-01'));
    expect(workbenchState(dist, src)).toBe('built');
    utimesSync(join(src, 'src', 'main.ts'), new Date('2026-03-01'), new Date('2026-03-01'));
    expect(workbenchState(dist, src)).toBe('stale');
    // Without sources (a package shipping only the build) a build is taken as it is.
    expect(workbenchState(dist, join(tmp, 'no-sources'))).toBe('built');
  });

  it('without sources to build from: one line says the workbench is not built and what to run (zh, en)', async () => {
    const lines: string[] = [];
    await ensureWorkbench(url, 'zh', (l) => lines.push(l), join(tmp, 'none'), join(tmp, 'no-sources'));
    const text = lines.join('\n').split('\n');
    expect(text).toHaveLength(2);
    expect(text[1]).toMatch(
      /^工作台未构建（http:\/\/127\.0\.0\.1:8787\/ 只有说明）；在 yibao 的目录（.*）中运行 npm ci 和 npm run build:web，然后刷新 /,
    );
    const en: string[] = [];
    await ensureWorkbench(url, 'en', (l) => en.push(l), join(tmp, 'none'), join(tmp, 'no-sources'));
    expect(en.join('\n')).toContain("run npm ci and npm run build:web in yibao's folder");
    expect(en.join('\n')).not.toMatch(/\p{Script=Han}/u);
  });

  it('a note (503) until the workbench is built, then the page without a restart', async () => {
    const dist = join(tmp, 'late');
    const app = createApp({ version: '0' } as never, [], { webDir: dist });
    const before = await app.request('/');
    expect(before.status).toBe(503);
    expect(await before.text()).toContain('yibao serve 首次启动时会构建它');
    mkdirSync(dist);
    writeFileSync(join(dist, 'index.html'), '<p>workbench</p>');
    const after = await app.request('/#/overview');
    expect(after.status).toBe(200);
    expect(await after.text()).toContain('workbench');
    expect((await app.request('/institution/H1')).status).toBe(200);
  });

  it('first start: serve builds it from the sources (Vite), then says where it is', async () => {
    // yibao's own web/ into a folder of the test's, so the repository's dist/web is left alone.
    const web = WEB_SOURCES;
    const dist = join(tmp, 'dist-first', 'web');
    const lines: string[] = [];
    await ensureWorkbench(url, 'zh', (l) => lines.push(l), dist, web);
    expect(lines[0]).toContain('首次启动：正在构建工作台');
    expect(lines.at(-1)).toBe(`工作台：${url}/`);
    expect(existsSync(join(dist, 'index.html'))).toBe(true);
    expect(workbenchState(dist, web)).toBe('built');
    expect(existsSync(`${dist}.building-${process.pid}`)).toBe(false);
  }, 180_000);
});
