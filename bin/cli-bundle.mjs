// Fast start of the CLI without tsx: the CLI bundled (with the esbuild that tsx itself depends on) into plain
// JavaScript kept in <repo>/.cache/cli/, used by bin/yibao.js for commands whose start-up is part of their speed
// (`drg …`: `drg group` on a million cases takes about as long as starting Node with tsx and loading the modules).
//
// The bundle is named by a hash of the content of every source file it was made from (listed in its manifest);
// each start hashes those files again (a few milliseconds) and builds a new bundle when any of them changed, so a
// bundle never runs stale code. Each module keeps its own `import.meta.url` (the source file's), so files found
// relative to a module (policies, reference folders, web assets, worker modules) are found as from source.
// Packages stay outside the bundle and are resolved from the repository's node_modules. Anything going wrong
// (no esbuild, a read-only folder, a failed build) gives null: the caller then runs the source through tsx.
// YIBAO_BUNDLE=off turns it off.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CACHE = join(ROOT, '.cache', 'cli');
const MANIFEST = join(CACHE, 'manifest.json');
const FORMAT = 'yibao.cli-bundle/1';

function hashInputs(inputs) {
  const h = createHash('sha256');
  h.update(`${FORMAT}\0${process.version}\0`);
  for (const rel of inputs) {
    const bytes = readFileSync(join(ROOT, rel));
    h.update(`${rel}\0${bytes.length}\0`);
    h.update(bytes);
  }
  return h.digest('hex');
}

/** The bundled CLI module (exports `main`), or null. */
export async function bundledCli() {
  if (process.env.YIBAO_BUNDLE === 'off') return null;
  try {
    const m = JSON.parse(readFileSync(MANIFEST, 'utf8'));
    if (m.format === FORMAT && hashInputs(m.inputs) === m.key) {
      const entry = join(CACHE, m.dir, 'main.js');
      if (existsSync(entry)) return await import(pathToFileURL(entry).href);
    }
  } catch {
    // no bundle yet, or a source file is gone: build one
  }
  return build();
}

/** Rewrites `import.meta.url` in each source module to that module's own file URL. */
const ownImportMetaUrl = {
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.(ts|mts|js|mjs)$/ }, (args) => {
      if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      return {
        contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
        loader: /\.m?ts$/.test(args.path) ? 'ts' : 'js',
      };
    });
  },
};

async function build() {
  let esbuild;
  try {
    esbuild = createRequire(createRequire(import.meta.url).resolve('tsx/package.json'))('esbuild');
  } catch {
    return null;
  }
  const tmp = join(CACHE, `tmp-${process.pid}-${Math.random().toString(36).slice(2)}`);
  try {
    mkdirSync(CACHE, { recursive: true });
    const r = await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: ['src/cli/main.ts'],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      splitting: true,
      outdir: tmp,
      metafile: true,
      logLevel: 'silent',
      plugins: [ownImportMetaUrl],
    });
    const inputs = Object.keys(r.metafile.inputs)
      .map((f) => relative(ROOT, join(ROOT, f)))
      .sort();
    if (inputs.some((f) => f.startsWith('..') || f.includes('node_modules')))
      throw new Error('input outside the repository');
    const key = hashInputs(inputs);
    const dir = key.slice(0, 24);
    if (existsSync(join(CACHE, dir))) rmSync(tmp, { recursive: true, force: true });
    else renameSync(tmp, join(CACHE, dir));
    const manifestTmp = `${MANIFEST}.${process.pid}.tmp`;
    writeFileSync(manifestTmp, JSON.stringify({ format: FORMAT, key, dir, inputs }));
    renameSync(manifestTmp, MANIFEST);
    prune(dir);
    return await import(pathToFileURL(join(CACHE, dir, 'main.js')).href);
  } catch {
    rmSync(tmp, { recursive: true, force: true });
    return null;
  }
}

/** Keep the newest few bundles (another process may still be running an older one) and no stale temporaries. */
function prune(current) {
  const now = Date.now();
  const dirs = readdirSync(CACHE, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== current)
    .map((e) => ({ name: e.name, t: statSync(join(CACHE, e.name)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  dirs.forEach((d, i) => {
    const stale = now - d.t > 3_600_000;
    if ((d.name.startsWith('tmp-') && stale) || (!d.name.startsWith('tmp-') && i >= 3 && stale)) {
      rmSync(join(CACHE, d.name), { recursive: true, force: true });
    }
  });
}
