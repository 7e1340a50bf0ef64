/**
 * Which policy folder a settlement used, said to the user, and the folders `yibao init` wrote that it did not use.
 * `yibao settle` without `--policies` takes `./policies`, else the demo policies shipped with yibao: a new user who ran
 * `yibao init city01` (it writes `policies-city01/`), ingested and settled was settled by the demo region's policies
 * with nothing said. The folders looked for are `policies-*` beside the store and in the working folder.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { BUNDLED_POLICY_DIR } from '../policy/registry.ts';

export interface UnusedPolicyFolder {
  /** As the user would type it: relative to the working folder when below it. */
  dir: string;
  /** The regions its files name (`region: city01`). */
  regions: string[];
}

export interface PolicyFolderNote {
  /** The folder used, as given. */
  used: string;
  /** The demo policies shipped with yibao. */
  bundled: boolean;
  region: string;
  unused: UnusedPolicyFolder[];
}

/** The regions a folder's policy files name (`region: city01`), read as text: no policy is parsed for a note. */
function regionsIn(dir: string): string[] {
  const out = new Set<string>();
  for (const name of readdirSync(dir)) {
    if (!/\.ya?ml$/i.test(name)) continue;
    const m = /^region:\s*["']?([^\s"'#]+)/m.exec(readFileSync(join(dir, name), 'utf8'));
    if (m) out.add(m[1]!);
  }
  return [...out].sort();
}

/** `policies-*` folders holding policy files, in `cwd`, beside the store file and in the folder above it. */
export function initPolicyFolders(cwd: string, db: string): string[] {
  const places = new Set([resolve(cwd)]);
  if (!/^[a-z]+:\/\//i.test(db)) {
    const storeDir = dirname(resolve(cwd, db));
    places.add(storeDir);
    places.add(dirname(storeDir));
  }
  const found: string[] = [];
  for (const place of places) {
    if (!existsSync(place)) continue;
    for (const name of readdirSync(place).sort()) {
      if (!name.startsWith('policies-')) continue;
      const dir = join(place, name);
      if (!statSync(dir).isDirectory()) continue;
      if (readdirSync(dir).some((f) => /\.ya?ml$/i.test(f))) found.push(dir);
    }
  }
  return found;
}

export function policyFolderNote(o: { used: string; region: string; cwd: string; db: string }): PolicyFolderNote {
  const used = resolve(o.cwd, o.used);
  const shown = (d: string) => {
    const r = relative(o.cwd, d);
    return r && !r.startsWith('..') && !isAbsolute(r) ? r : d;
  };
  const unused = initPolicyFolders(o.cwd, o.db)
    .filter((d) => resolve(d) !== used)
    .map((d) => ({ dir: shown(d), regions: regionsIn(d) }));
  return { used: o.used, bundled: used === resolve(BUNDLED_POLICY_DIR), region: o.region, unused };
}

/**
 * The note in the reader's language: the folder used (the shipped demo policies said as such) with the region, then
 * each `policies-*` folder not used with the command that uses it.
 */
export function policyFolderText(n: PolicyFolderNote, year: number, lang: 'zh' | 'en'): string {
  const lines = [
    lang === 'zh'
      ? `政策文件：${n.used}${n.bundled ? '（yibao 自带的示范政策）' : ''}，地区 ${n.region}`
      : `policies: ${n.used}${n.bundled ? ' (the demo policies shipped with yibao)' : ''}, region ${n.region}`,
  ];
  for (const u of n.unused) {
    const regions = u.regions;
    // As `yibao init` says it in its next steps.
    const region = regions.length === 1 ? `--region ${regions[0]} ` : '';
    const command = `yibao settle ${region}--year ${year} --policies ${u.dir}`;
    lines.push(
      lang === 'zh'
        ? `  ! 未使用 ${u.dir}（yibao init 写出的政策文件夹${regions.length > 0 ? `，地区 ${regions.join('、')}` : ''}）；按它结算：${command}`
        : `  ! not used: ${u.dir} (a policy folder written by yibao init${regions.length > 0 ? `, region ${regions.join(', ')}` : ''}); to settle by it: ${command}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
