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

const HEADER_EXAMPLE = `kind: dip
region: demo
id: demo-dip-2025
version: "2025.1"
title: 示范市按病种分值付费政策 2025
effective: { from: 2025-01-01, to: 2025-12-31 }
values:
  coreGroupMinCases: { value: 15, source: "DIP 技术规范 2.0 §3.2" }`;

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
  if (path[0] !== 'values' || !kind) return HEADER_EXAMPLE;
  const key = String(path[1] ?? '');
  const line = kind.example.split('\n').find((l) => l.trimStart().startsWith(`${key}:`));
  return line ? line.trim() : kind.example;
}

/** Parse and validate one policy text. `file` is used in error messages. */
export function parsePolicy(text: string, file: string, kinds: ReadonlyMap<string, PolicyKind>): PolicyFile {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const dup = e.code === 'DUPLICATE_KEY';
    const offset = e.pos[0];
    const line = text.slice(0, offset).split('\n').length;
    const key = /^\s*-?\s*([^:\s]+)\s*:/.exec(text.slice(text.lastIndexOf('\n', offset - 1) + 1))?.[1];
    const where = `line ${line}${dup && key ? ` (${key})` : ''}`;
    throw new PolicyError(
      dup ? 'POLICY_DUPLICATE_KEY' : 'POLICY_SYNTAX',
      file,
      where,
      dup ? `重复的键：${e.message}` : `YAML/JSON 语法错误：${e.message}`,
      dup ? `duplicate key: ${e.message}` : `syntax error: ${e.message}`,
      HEADER_EXAMPLE,
    );
  }
  const raw = doc.toJS();
  const head = header.safeParse(raw);
  if (!head.success) throw fromZod(head.error, file, undefined);
  const h = head.data;
  const kind = kinds.get(h.kind);
  if (!kind) {
    throw new PolicyError(
      'POLICY_UNKNOWN_KIND',
      file,
      'kind',
      `未知的政策类型 "${h.kind}"，应为 ${[...kinds.keys()].join(' / ')}`,
      `unknown policy kind "${h.kind}"; expected one of ${[...kinds.keys()].join(', ')}`,
      HEADER_EXAMPLE,
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
      HEADER_EXAMPLE,
    );
  }
  const values = kind.values.safeParse(h.values);
  if (!values.success) throw fromZod(values.error, file, kind, ['values']);
  const series = values.data as Record<string, Series<unknown>>;
  for (const [name, s] of Object.entries(series)) checkSeries(s, effective, file, `values.${name}`, kind);
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
function checkSeries(s: Series<unknown>, eff: Period, file: string, field: string, kind: PolicyKind): void {
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

function fromZod(
  error: z.ZodError,
  file: string,
  kind: PolicyKind | undefined,
  prefix: PropertyKey[] = [],
): PolicyError {
  // A misspelt key shows up twice (unknown key + missing key); the unknown key is the cause, so report it first.
  const issue = error.issues.find((i) => i.code === 'unrecognized_keys') ?? error.issues[0]!;
  let path = [...prefix, ...issue.path];
  let en = issue.message;
  let zh = translate(issue);
  if (issue.code === 'unrecognized_keys') {
    path = [...path, issue.keys[0] ?? ''];
    en = `unknown key "${issue.keys.join('", "')}"`;
    zh = `未知的键 "${issue.keys.join('", "')}"`;
  } else if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    // Report the most specific branch: the one that got deepest into the value.
    const best = issue.errors.flat().sort((a, b) => b.path.length - a.path.length)[0];
    if (best) {
      path = [...path, ...best.path];
      en = best.code === 'unrecognized_keys' ? `unknown key "${best.keys.join('", "')}"` : best.message;
      zh = best.code === 'unrecognized_keys' ? `未知的键 "${best.keys.join('", "')}"` : translate(best);
      if (best.code === 'unrecognized_keys') path = [...path, best.keys[0] ?? ''];
    }
  }
  return new PolicyError('POLICY_INVALID', file, fieldOf(path), zh, en, exampleFor(kind, path));
}

function translate(issue: { code: string; message: string }): string {
  switch (issue.code) {
    case 'invalid_type':
      return `类型不符：${issue.message}`;
    case 'too_small':
    case 'too_big':
      return `取值超出范围：${issue.message}`;
    case 'invalid_union':
      return `格式不符：${issue.message}`;
    default:
      return `不合规：${issue.message}`;
  }
}
