/**
 * The policy resolver: the one place that answers "which value applies for this kind, region and date".
 * Engines receive resolved values and never look at dates or files themselves.
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { contains, overlaps } from './dates.ts';
import { PolicyError } from './errors.ts';
import type { PolicyKind, ResolvedValues } from './kind.ts';
import { POLICY_KINDS } from './kinds/index.ts';
import { loadPolicyFile, type PolicyFile } from './loader.ts';
import type { Cited, Series } from './values.ts';

export interface ResolvedPolicy<K extends PolicyKind> {
  id: string;
  version: string;
  region: string;
  file: string;
  title: string;
  date: string;
  values: ResolvedValues<K>;
}

export class PolicySet {
  readonly files: readonly PolicyFile[];

  constructor(files: readonly PolicyFile[]) {
    const sorted = [...files].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    const ids = new Map<string, string>();
    sorted.forEach((f, i) => {
      const prevFile = ids.get(f.id);
      if (prevFile) {
        throw new PolicyError(
          'POLICY_DUPLICATE_ID',
          f.file,
          'id',
          `政策 id "${f.id}" 已在 ${prevFile} 中使用`,
          `policy id "${f.id}" is already used by ${prevFile}`,
        );
      }
      ids.set(f.id, f.file);
      for (const g of sorted.slice(0, i)) {
        if (g.kind === f.kind && g.region === f.region && overlaps(g.effective, f.effective)) {
          throw new PolicyError(
            'POLICY_OVERLAP',
            f.file,
            'effective',
            `与 ${g.file} 的生效期重叠（同一地区 ${f.region}、同一类型 ${f.kind}）`,
            `effective period overlaps ${g.file} (same region ${f.region} and kind ${f.kind})`,
          );
        }
      }
    });
    this.files = sorted;
  }

  /**
   * The file of `kind` for `region` in force on `date`, or an error saying what is missing and what the folder
   * has instead: the regions with a file of this kind (a region given wrongly, or `--region` left out), or none
   * (a kind `yibao init` does not write, to be copied from the shipped policies).
   */
  fileFor(kind: string, region: string, date: string): PolicyFile {
    const f = this.files.find((p) => p.kind === kind && p.region === region && contains(p.effective, date));
    if (!f) {
      const others = this.regions(kind);
      const hint =
        others.length === 0
          ? copyHint(kind, region)
          : others.includes(region)
            ? {
                zh: `；地区 ${region} 的${kindZh(kind)}政策文件都不在 ${date} 生效（检查 effective）`,
                en: `; region ${region}'s ${kind} files are not in force on ${date} (check effective)`,
              }
            : {
                zh: `；目录中有此类政策文件的地区：${others.join('、')}（用 --region 选择）`,
                en: `; regions with a ${kind} policy in the folder: ${others.join(', ')} (choose with --region)`,
              };
      throw new PolicyError(
        'POLICY_NOT_FOUND',
        `(${kind} @ ${region})`,
        '',
        `没有地区 ${region} 在 ${date} 生效的${kindZh(kind)}政策文件${hint.zh}`,
        `no ${kind} policy for region ${region} in force on ${date}${hint.en}`,
      );
    }
    return f;
  }

  resolve<K extends PolicyKind>(kind: K, region: string, date: string): ResolvedPolicy<K> {
    const f = this.fileFor(kind.kind, region, date);
    return resolveFile(f, kind, date);
  }

  /**
   * The policy of `kind` for a whole settlement year: resolved on 1 January, and refused with a clear error when a
   * value changes inside the year (a dated value starting after 1 January, or another file taking over) — a year
   * is settled on one set of values, never silently on the January ones.
   */
  resolveYear<K extends PolicyKind>(kind: K, region: string, year: number): ResolvedPolicy<K> {
    const from = `${year}-01-01`;
    const to = `${year}-12-31`;
    const f = this.fileFor(kind.kind, region, from);
    const last = this.files.find((p) => p.kind === kind.kind && p.region === region && contains(p.effective, to));
    if (last && last !== f) {
      throw new PolicyError(
        'POLICY_MIDYEAR_CHANGE',
        f.file,
        'effective',
        `${year} 年内换用了另一份 ${kind.kind} 政策文件（${last.file}）：年度清算按一套取值结算，yibao 尚不能在年中切换；请把两份文件合为覆盖全年的一份，或分别结算`,
        `another ${kind.kind} policy file (${last.file}) takes over during ${year}: a year is settled on one set of values and yibao cannot switch mid-year yet; merge the files into one covering the year, or settle the periods apart`,
      );
    }
    const changes: string[] = [];
    for (const [name, series] of Object.entries(f.values as Record<string, Series<unknown>>)) {
      for (const d of series) {
        const start = d.from ?? f.effective.from;
        if (start > from && start <= to) changes.push(`${name} (${start})`);
      }
    }
    if (changes.length > 0) {
      throw new PolicyError(
        'POLICY_MIDYEAR_CHANGE',
        f.file,
        'values',
        `以下取值在 ${year} 年中变更：${changes.join('、')}。年度清算按一套取值结算，yibao 不会只用 1 月 1 日的取值；请改为全年一个取值，或在政策中说明年中变更如何折算后再结算`,
        `these values change during ${year}: ${changes.join(', ')}. A year is settled on one set of values and yibao does not silently use the 1 January ones; give one value for the whole year`,
      );
    }
    return resolveFile(f, kind, from);
  }

  /** Regions that have a policy of `kind` (of any kind when none is named), sorted. */
  regions(kind?: string): string[] {
    return [...new Set(this.files.filter((f) => kind === undefined || f.kind === kind).map((f) => f.region))].sort();
  }
}

export function resolveFile<K extends PolicyKind>(f: PolicyFile, _kind: K, date: string): ResolvedPolicy<K> {
  if (!contains(f.effective, date)) {
    throw new PolicyError(
      'POLICY_NOT_IN_FORCE',
      f.file,
      'effective',
      `${date} 不在生效期内`,
      `${date} is outside the effective period`,
    );
  }
  const values: Record<string, Cited<unknown>> = {};
  for (const [name, series] of Object.entries(f.values as Record<string, Series<unknown>>)) {
    const d = series.find((v) => contains({ from: v.from ?? f.effective.from, to: v.to ?? f.effective.to }, date));
    if (!d)
      throw new PolicyError('POLICY_NO_VALUE', f.file, `values.${name}`, `${date} 没有取值`, `no value on ${date}`);
    values[name] = { value: d.value, source: d.source };
  }
  return {
    id: f.id,
    version: f.version,
    region: f.region,
    file: f.file,
    title: f.title,
    date,
    values: values as ResolvedValues<K>,
  };
}

/**
 * A policy kind in a Chinese sentence: its name, with the `kind:` line a file of it carries (the literal to write),
 * e.g. ` 智能监控规则库（kind: monitor）`; an unknown kind as it is.
 */
function kindZh(kind: string): string {
  const k = POLICY_KINDS.get(kind);
  return k ? ` ${k.zh}（kind: ${kind}）` : ` ${kind} `;
}

/** The policy folder that ships with yibao (`policies/` of the package: the demo region, templates). */
export const BUNDLED_POLICY_DIR = fileURLToPath(new URL('../../policies', import.meta.url));

/**
 * Where to copy a kind `yibao init` does not write from: the demo region's file(s) of that kind shipped with yibao,
 * by full path (a user's folder is elsewhere), with a knowledge-table folder of the same name when there is one
 * (monitor/), and the region to write in them.
 */
function copyHint(kind: string, region: string): { zh: string; en: string } {
  // The case method `yibao init` did not write this time: it writes it with --inpatient (into a new folder).
  if (kind === 'dip' || kind === 'drg') {
    return {
      zh: `；政策文件目录中没有这一类型的文件：用 yibao init ${region} --inpatient ${kind} --out 新文件夹 写出，把其中的 ${kind}-年度.yaml 复制到政策文件目录并改写取值（见 ${join(BUNDLED_POLICY_DIR, 'README.md')}）`,
      en: `; the policy folder has no file of kind ${kind}: write one with yibao init ${region} --inpatient ${kind} --out NEW_FOLDER, copy its ${kind}-YEAR.yaml into the policy folder and edit its values (see ${join(BUNDLED_POLICY_DIR, 'README.md')})`,
    };
  }
  const demo = join(BUNDLED_POLICY_DIR, 'demo');
  const ofKind = new RegExp(`^kind: ${kind}\\s*$`, 'm');
  let files: string[] = [];
  try {
    files = readdirSync(demo)
      .filter((f) => f.endsWith('.yaml') && ofKind.test(readFileSync(join(demo, f), 'utf8')))
      .map((f) => join(demo, f));
  } catch {
    // no shipped demo folder: the general hint below
  }
  const folder = join(demo, kind);
  if (existsSync(folder) && statSync(folder).isDirectory()) files.push(`${folder}/`);
  if (files.length === 0) {
    return {
      zh: `；政策文件目录中没有这一类型的文件（见 ${join(BUNDLED_POLICY_DIR, 'README.md')}）`,
      en: `; the policy folder has no file of kind ${kind} (see ${join(BUNDLED_POLICY_DIR, 'README.md')})`,
    };
  }
  return {
    zh: `；政策文件目录中没有这一类型的文件（yibao init 不生成这一类型）：把 yibao 自带的 ${files.join('、')} 复制到政策文件目录，把 region: demo 改为 region: ${region}、改写 id 和取值（见 ${join(BUNDLED_POLICY_DIR, 'README.md')}）`,
    en: `; the policy folder has no file of kind ${kind} (yibao init does not write this kind): copy yibao's ${files.join(', ')} into the policy folder, change region: demo to region: ${region}, and edit its id and values (see ${join(BUNDLED_POLICY_DIR, 'README.md')})`,
  };
}

/**
 * The default policy folder of a command: `policies/` of the working folder when there is one (a region's own
 * policies), otherwise the bundled folder, so a command run from any folder finds the demo region's policies.
 */
export function defaultPolicyDir(cwd: string = process.cwd()): string {
  const local = join(cwd, 'policies');
  return existsSync(local) && statSync(local).isDirectory() ? 'policies' : BUNDLED_POLICY_DIR;
}

/** The policy folder to use: the one asked for (`--policies`), else the default folder. */
export function policiesDir(asked?: string): string {
  return asked && asked.length > 0 ? asked : defaultPolicyDir();
}

/**
 * A JSON file yibao wrote as data, not as a policy — a DIP catalog (`"format": "yibao-dip-catalog/1"`) beside the
 * policy files of a published folder (公布的付费参数): its first key names its format.
 */
function isYibaoDataFile(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(200);
    const n = readSync(fd, head, 0, head.length, 0);
    return /^\uFEFF?\s*\{\s*"format"\s*:\s*"yibao-/.test(head.subarray(0, n).toString('utf8'));
  } finally {
    closeSync(fd);
  }
}

/** The policy files below `dir` (recursively): `.yaml`, `.yml` and `.json` (not a data file yibao wrote), sorted. */
export function policyFilesIn(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new PolicyError(
      'POLICY_DIR_MISSING',
      dir,
      '',
      `找不到政策文件目录；用 --policies 指定本地区的政策文件目录（yibao init 地区代码 可生成一份），或不写 --policies 使用 yibao 自带的示范政策（${BUNDLED_POLICY_DIR}）`,
      `policy folder not found; name your region's folder with --policies (yibao init REGION writes one), or leave --policies out to use the demo policies that ship with yibao (${BUNDLED_POLICY_DIR})`,
    );
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/i.test(name) || (/\.json$/i.test(name) && !isYibaoDataFile(p))) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Load every `.yaml`, `.yml` and `.json` file below `dir` (recursively). */
export function loadPolicyDir(dir: string, kinds: ReadonlyMap<string, PolicyKind>): PolicySet {
  return new PolicySet(policyFilesIn(dir).map((p) => loadPolicyFile(p, kinds)));
}
