/**
 * Matching a file's header to the column contract (src/model/columns.ts). A header cell matches a column by its
 * 4101 name (case-insensitive, so Oracle's SETL_ID works), by its Chinese label (结算ID), or by an alias the
 * caller adds. Unknown columns are ignored and reported; a required column that is missing fails the file.
 */
import type { ColumnSpec } from '../../model/columns.ts';
import { IngestFileError } from '../errors.ts';

export interface HeaderMatch {
  /** For each header position, the contract column it fills, or undefined. */
  byPosition: (string | undefined)[];
  /** Contract columns present. */
  present: string[];
  /** Header cells that match no column. */
  ignored: string[];
}

const norm = (s: string) =>
  s
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase();

/** A Chinese column label without its explanation: the text before the first space or bracket. */
export function shortLabel(zh: string): string {
  return zh.split(/[\s(（]/, 1)[0] || zh;
}

export function matchHeader(
  file: string,
  header: readonly string[],
  columns: readonly ColumnSpec[],
  aliases: Readonly<Record<string, string>> = {},
): HeaderMatch {
  const lookup = new Map<string, string>();
  for (const c of columns) {
    lookup.set(norm(c.name), c.name);
    lookup.set(norm(c.zh), c.name);
  }
  // The short Chinese label too (险种类型 for "险种类型 310职工/390居民", 年龄 for "年龄(岁)"), when no other
  // column claims it.
  const shorts = new Map<string, string[]>();
  for (const c of columns) {
    const short = shortLabel(c.zh);
    if (short !== c.zh) shorts.set(norm(short), [...(shorts.get(norm(short)) ?? []), c.name]);
  }
  for (const [short, names] of shorts) if (names.length === 1 && !lookup.has(short)) lookup.set(short, names[0]!);
  for (const [a, target] of Object.entries(aliases)) lookup.set(norm(a), target);
  const byPosition: (string | undefined)[] = [];
  const present: string[] = [];
  const ignored: string[] = [];
  header.forEach((cell, i) => {
    const target = lookup.get(norm(cell));
    if (target === undefined) {
      ignored.push(cell);
      byPosition.push(undefined);
      return;
    }
    if (present.includes(target)) {
      throw new IngestFileError(
        'E_HEADER_DUPLICATE',
        file,
        `表头第 ${i + 1} 列 "${cell}" 与前面的列重复（都对应 ${target}）`,
        `header column ${i + 1} "${cell}" repeats an earlier column (both are ${target})`,
      );
    }
    present.push(target);
    byPosition.push(target);
  });
  const missing = columns.filter((c) => c.required && !present.includes(c.name));
  if (missing.length > 0) {
    throw new IngestFileError(
      'E_HEADER_MISSING',
      file,
      `缺少必填列：${missing.map((c) => `${c.name}（${c.zh}）`).join('、')}`,
      `required columns missing: ${missing.map((c) => `${c.name} (${c.en})`).join(', ')}`,
    );
  }
  return { byPosition, present, ignored };
}
