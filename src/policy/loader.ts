/**
 * Strict loader of policy files (政策参数文件). A file is YAML or JSON:
 *
 *   kind: dip                      # which schema (see kinds/)
 *   region: demo                   # pooling region (统筹区) code
 *   id: demo-dip-2025              # unique id of this version
 *   version: "2025.1"
 *   title: 示范市按病种分值付费政策 2025
 *   document: 内蒙古自治区区域点数法总额预算和按病种分值付费工作方案
 *   effective: { from: 2025-01-01, to: 2025-12-31 }
 *   values: { <param>: { value: …, source: "<clause>" } | [ { from, to?, value, source }, … ] }
 *
 * Unknown keys, duplicate keys, bad dates, values without a clause, and overlapping or gapped dated values are
 * errors naming the file, the field and a valid example.
 */
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { END_OF_TIME, overlaps, type Period } from './dates.ts';
import { PolicyError } from './errors.ts';
import type { PolicyKind, SeriesValues } from './kind.ts';
import { didYouMean, isMissingKey, issueText } from './messages.ts';
import type { Series } from './values.ts';
import { zIsoDate } from './values.ts';

export interface PolicyFile<K extends PolicyKind = PolicyKind> {
  file: string;
  kind: string;
  region: string;
  id: string;
  version: string;
  title: string;
  document?: string;
  effective: Period;
  values: SeriesValues<K>;
}

/**
 * A valid header of a file of `kind` with its first value, shown with an error in the header (a date, a missing
 * key, an unknown kind): the file's own kind, so that pasting it does not trade the error for 未知的键 (walk2 #6:
 * a dip-settlement file was shown a `kind: dip` header with a value no kind has). Without a kind: the header alone.
 */
export function headerExample(kind: PolicyKind | undefined, values: 'first' | 'all' = 'first'): string {
  const name = kind?.kind ?? 'dip';
  const lines = kind ? kind.example.trim().split('\n') : [];
  const shown = values === 'first' ? lines.slice(0, 1) : lines;
  return [
    `kind: ${name}`,
    'region: demo',
    `id: demo-${name}-2025`,
    'version: "2025.1"',
    `title: 示范市${/^[A-Za-z]/.test(kind?.zh ?? '') ? ' ' : ''}${kind?.zh ?? '政策'} 2025`,
    'effective: { from: 2025-01-01, to: 2025-12-31 }',
    'values:',
    ...(shown.length > 0 ? shown.map((l) => `  ${l}`) : ['  参数名: { value: 取值, source: "所依据的条款" }']),
  ].join('\n');
}

/** The kind a header error's example shows: the file's own when it names a known one, else the first known. */
function kindForExample(raw: unknown, kinds: ReadonlyMap<string, PolicyKind>): PolicyKind | undefined {
  const named = (raw as { kind?: unknown } | null)?.kind;
  return (typeof named === 'string' ? kinds.get(named) : undefined) ?? kinds.values().next().value;
}

const header = z
  .object({
    kind: z.string().min(1),
    region: z.string().min(1),
    id: z.string().min(1),
    version: z.union([z.string(), z.number()]).transform(String),
    title: z.string().min(1),
    document: z.string().optional(),
    effective: z.object({ from: zIsoDate, to: zIsoDate.optional() }).strict(),
    values: z.record(z.string(), z.unknown()),
  })
  .strict();

function fieldOf(path: PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.');
}

function exampleFor(kind: PolicyKind | undefined, path: PropertyKey[]): string {
  if (path[0] !== 'values' || !kind) return headerExample(kind);
  const key = String(path[1] ?? '');
  const line = kind.example.split('\n').find((l) => l.trimStart().startsWith(`${key}:`));
  return line ? line.trim() : kind.example;
}

/** The lines of `text` around line `at` (1-based), numbered, the line itself marked with `>`. */
export function linesAround(text: string, at: number, before = 2, after = 1): string {
  const lines = text.split('\n');
  const from = Math.max(1, at - before);
  const to = Math.min(lines.length, at + after);
  const width = String(to).length;
  const out: string[] = [];
  for (let n = from; n <= to; n++) out.push(`${n === at ? '>' : ' '} ${String(n).padStart(width)} | ${lines[n - 1]}`);
  return out.join('\n');
}

/** Parse and validate one policy text. `file` is used in error messages. */
export function parsePolicy(text: string, file: string, kinds: ReadonlyMap<string, PolicyKind>): PolicyFile {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    const example = headerExample(kindForExample({ kind: /^kind:\s*([\w-]+)/m.exec(text)?.[1] }, kinds));
    throw PolicyError.all(
      doc.errors.map((e) => {
        const dup = e.code === 'DUPLICATE_KEY';
        const offset = e.pos[0];
        const line = text.slice(0, offset).split('\n').length;
        const key = /^\s*-?\s*([^:\s]+)\s*:/.exec(text.slice(text.lastIndexOf('\n', offset - 1) + 1))?.[1];
        const where = `line ${line}${dup && key ? ` (${key})` : ''}`;
        return new PolicyError(
          dup ? 'POLICY_DUPLICATE_KEY' : 'POLICY_SYNTAX',
          file,
          where,
          dup
            ? `重复的键${key ? ` ${key}` : ''}（第 ${line} 行）：同一层级的键只能写一次，请删去或合并重复的一处`
            : `YAML/JSON 语法错误（第 ${line} 行），请检查缩进、冒号和引号`,
          dup
            ? `duplicate key${key ? ` ${key}` : ''} (line ${line}): a key may appear once per level; remove or merge the repeated one`
            : `syntax error (line ${line}): ${e.message}`,
          example,
          linesAround(text, line),
        );
      }),
    );
  }
  const raw = doc.toJS();
  const head = header.safeParse(raw);
  if (!head.success) {
    // The values are checked too when the kind is known, so one run lists every error of the file (a bad
    // effective date does not hide a misspelt value key); their periods wait for a readable header.
    const r = raw as { kind?: unknown; values?: unknown } | null;
    const kind = typeof r?.kind === 'string' ? kinds.get(r.kind) : undefined;
    const errors = fromZod(head.error, file, kindForExample(raw, kinds), [], HEADER_KEYS);
    if (kind && r?.values !== null && typeof r?.values === 'object') {
      const values = kind.values.safeParse(r.values);
      if (!values.success) errors.push(...fromZod(values.error, file, kind, ['values'], Object.keys(valueShape(kind))));
    }
    throw PolicyError.all(errors);
  }
  const h = head.data;
  const kind = kinds.get(h.kind);
  if (!kind) {
    throw new PolicyError(
      'POLICY_UNKNOWN_KIND',
      file,
      'kind',
      `未知的政策类型 "${h.kind}"，应为 ${[...kinds.keys()].join(' / ')}`,
      `unknown policy kind "${h.kind}"; expected one of ${[...kinds.keys()].join(', ')}`,
      headerExample(kindForExample(raw, kinds)),
    );
  }
  const effective: Period = { from: h.effective.from, to: h.effective.to ?? END_OF_TIME };
  if (effective.to < effective.from) {
    throw new PolicyError(
      'POLICY_BAD_PERIOD',
      file,
      'effective',
      `生效期结束日 ${effective.to} 早于开始日 ${effective.from}`,
      `effective.to ${effective.to} is before effective.from ${effective.from}`,
      headerExample(kind),
    );
  }
  const values = kind.values.safeParse(h.values);
  if (!values.success)
    throw PolicyError.all(fromZod(values.error, file, kind, ['values'], Object.keys(valueShape(kind))));
  const series = values.data as Record<string, Series<unknown>>;
  const seriesErrors = Object.entries(series).flatMap(([name, s]) =>
    checkSeries(s, effective, file, `values.${name}`, kind),
  );
  if (seriesErrors.length > 0) throw PolicyError.all(seriesErrors);
  return {
    file,
    kind: h.kind,
    region: h.region,
    id: h.id,
    version: h.version,
    title: h.title,
    ...(h.document ? { document: h.document } : {}),
    effective,
    values: series as SeriesValues<PolicyKind>,
  };
}

export function loadPolicyFile(path: string, kinds: ReadonlyMap<string, PolicyKind>): PolicyFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new PolicyError(
      'POLICY_READ',
      path,
      '',
      `无法读取文件：${(e as Error).message}`,
      `cannot read file: ${(e as Error).message}`,
    );
  }
  return parsePolicy(text, path, kinds);
}

/** Dated values must lie inside the file's period, not overlap, and together cover all of it. */
function checkSeries(s: Series<unknown>, eff: Period, file: string, field: string, kind: PolicyKind): PolicyError[] {
  const errors: PolicyError[] = [];
  try {
    checkSeriesOrThrow(s, eff, file, field, kind);
  } catch (e) {
    if (e instanceof PolicyError) errors.push(e);
    else throw e;
  }
  return errors;
}

function checkSeriesOrThrow(s: Series<unknown>, eff: Period, file: string, field: string, kind: PolicyKind): void {
  const periods = s.map((d) => ({ from: d.from ?? eff.from, to: d.to ?? eff.to }));
  const bad = (zh: string, en: string) =>
    new PolicyError('POLICY_BAD_PERIOD', file, field, zh, en, exampleFor(kind, field.split('.')));
  periods.forEach((p, i) => {
    if (p.to < p.from) throw bad(`第 ${i + 1} 个取值的结束日早于开始日`, `value ${i + 1}: to is before from`);
    if (p.from < eff.from || p.to > eff.to) {
      throw bad(
        `第 ${i + 1} 个取值 ${p.from}..${p.to} 超出文件生效期 ${eff.from}..${eff.to}`,
        `value ${i + 1} (${p.from}..${p.to}) lies outside the file's effective period ${eff.from}..${eff.to}`,
      );
    }
  });
  const sorted = [...periods].sort((a, b) => (a.from < b.from ? -1 : 1));
  for (let i = 1; i < sorted.length; i++) {
    if (overlaps(sorted[i - 1]!, sorted[i]!)) {
      throw bad(
        `取值期间重叠：${sorted[i - 1]!.from}..${sorted[i - 1]!.to} 与 ${sorted[i]!.from}..${sorted[i]!.to}`,
        `overlapping dated values: ${sorted[i - 1]!.from}..${sorted[i - 1]!.to} and ${sorted[i]!.from}..${sorted[i]!.to}`,
      );
    }
  }
  let cursor = eff.from;
  for (const p of sorted) {
    if (p.from > cursor) throw bad(`${cursor} 起没有取值`, `no value from ${cursor} (gap before ${p.from})`);
    cursor = nextDay(p.to);
  }
  if (eff.to !== END_OF_TIME && cursor <= eff.to)
    throw bad(`${cursor} 起没有取值`, `no value from ${cursor} to ${eff.to}`);
}

function nextDay(date: string): string {
  if (date === END_OF_TIME) return '99999';
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

const HEADER_KEYS = ['kind', 'region', 'id', 'version', 'title', 'document', 'effective', 'values'];

function valueShape(kind: PolicyKind): Record<string, unknown> {
  const shape = (kind.values as unknown as { shape?: Record<string, unknown> }).shape;
  return shape ?? {};
}

/**
 * Every issue of a file, each with its place: unknown keys with "did you mean" (the known keys at that level, or
 * the missing keys beside it), and a missing key left out when an unknown key next to it is its misspelling.
 */
function fromZod(
  error: z.ZodError,
  file: string,
  kind: PolicyKind | undefined,
  prefix: PropertyKey[],
  topKeys: readonly string[],
): PolicyError[] {
  const flat: z.core.$ZodIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // The most specific branch: the one that got deepest into the value.
      const best = issue.errors.sort((a, b) => depth(b) - depth(a))[0]!;
      for (const b of best) flat.push(missingUnion({ ...b, path: [...issue.path, ...b.path] } as z.core.$ZodIssue));
    } else flat.push(missingUnion(issue));
  }
  const key = (p: PropertyKey[]) => p.map(String).join('.');
  const missingAt = new Map<string, string[]>();
  for (const i of flat) {
    if (isMissingKey(i) && i.path.length > 0) {
      const parent = key(i.path.slice(0, -1));
      missingAt.set(parent, [...(missingAt.get(parent) ?? []), String(i.path.at(-1))]);
    }
  }
  const explained = new Set<string>();
  const out: PolicyError[] = [];
  for (const i of flat) {
    if (i.code !== 'unrecognized_keys') continue;
    const parent = key(i.path);
    const known = [...(missingAt.get(parent) ?? []), ...(i.path.length === 0 ? topKeys : [])];
    for (const k of i.keys) {
      const guess = didYouMean(k, known);
      if (guess) explained.add(key([...i.path, guess]));
      const path = [...prefix, ...i.path, k];
      out.push(
        new PolicyError(
          'POLICY_UNKNOWN_KEY',
          file,
          fieldOf(path),
          `未知的键 "${k}"${guess ? `，是否应为 "${guess}"？` : ''}`,
          `unknown key "${k}"${guess ? `; did you mean "${guess}"?` : ''}`,
          exampleFor(kind, guess ? [...prefix, ...i.path, guess] : path),
        ),
      );
    }
  }
  for (const i of flat) {
    if (i.code === 'unrecognized_keys') continue;
    if (explained.has(key(i.path))) continue;
    const path = [...prefix, ...i.path];
    const t = issueText(i);
    // A check of its own may carry the example that fits it (params.example), e.g. an `items` budget's reserve.
    const own = i.code === 'custom' && typeof i.params?.example === 'string' ? i.params.example : undefined;
    out.push(new PolicyError('POLICY_INVALID', file, fieldOf(path), t.zh, t.en, own ?? exampleFor(kind, path)));
  }
  return out;
}

/**
 * A key left out whose value may take several forms (`growthRate`: a number or decimal text) fails every form with
 * "received undefined": it is a missing key, so a misspelling beside it is one error with "did you mean"
 * (`growthRat` → 是否应为 "growthRate"), not a second 格式不符 (walk2 #7). Any other union issue stays as it is.
 */
function missingUnion(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return issue;
  const branches = issue.errors.map((b) => b.map(missingUnion));
  const missing = branches.every((b) => b.length === 1 && b[0]!.path.length === 0 && isMissingKey(b[0]!));
  return missing ? ({ ...branches[0]![0]!, path: issue.path } as z.core.$ZodIssue) : issue;
}

function depth(issues: readonly z.core.$ZodIssue[]): number {
  return Math.max(0, ...issues.map((i) => i.path.length + (i.code === 'unrecognized_keys' ? 1 : 0)));
}
