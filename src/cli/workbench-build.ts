/**
 * The workbench as `yibao serve` finds it (walk4 #27: serve from README's "your own data" block showed only "工作台未
 * 构建…" and a user had to find `npm run build:web`): built (dist/web), missing, or older than its sources (web/).
 * serve builds it on its first start, and again when the sources changed, with the Vite that `npm ci` installs beside
 * yibao — into a temporary folder renamed into place, so a page served meanwhile never reads half a build. Without the
 * build tools (a package installed without its devDependencies) or a writable folder it says in one line what to run.
 */
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../api/app.ts';

/** The workbench's sources (web/: index.html, src/, vite.config.ts). */
export const WEB_SOURCES = join(PACKAGE_ROOT, 'web');

export type WorkbenchState = 'built' | 'missing' | 'stale';

/** The newest modification time of the files under `dir` (ms), 0 for none. */
function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Whether the sources are there to build from (a clone, or a package that ships web/). */
export const workbenchSources = (sources = WEB_SOURCES): boolean =>
  existsSync(join(sources, 'vite.config.ts')) && existsSync(join(sources, 'src', 'main.ts'));

/** Whether the workbench in `webDir` is built, missing, or older than a source file (sources absent: as it is). */
export function workbenchState(webDir: string, sources = WEB_SOURCES): WorkbenchState {
  const index = join(webDir, 'index.html');
  if (!existsSync(index)) return 'missing';
  if (!workbenchSources(sources)) return 'built';
  return newest(sources) > statSync(index).mtimeMs ? 'stale' : 'built';
}

/**
 * Build the workbench from `sources` into `webDir` with Vite (a devDependency: absent, the import throws). Written
 * beside it first, then swapped in.
 */
export async function buildWorkbench(webDir: string, sources = WEB_SOURCES): Promise<void> {
  const { build } = await import('vite');
  const temp = `${webDir}.building-${process.pid}`;
  const old = `${webDir}.old-${process.pid}`;
  try {
    await build({
      configFile: join(sources, 'vite.config.ts'),
      build: { outDir: temp, emptyOutDir: true },
      logLevel: 'warn',
    });
    if (existsSync(webDir)) renameSync(webDir, old);
    renameSync(temp, webDir);
  } finally {
    rmSync(temp, { recursive: true, force: true });
    rmSync(old, { recursive: true, force: true });
  }
}
