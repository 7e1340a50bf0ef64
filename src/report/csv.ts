/**
 * CSV writer: UTF-8 with BOM (Excel opens Chinese headers correctly), Chinese headers by default, RFC 4180
 * quoting, exact money (yuan text) and points (4 decimals), enum values in the reader's language. One line per
 * record and no total row, so a CSV file loads into another system as it is (the workbook carries the 合计 row).
 * Rows are written in chunks so millions stream.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { writeFileAtomic, writeFileAtomicSync } from './atomic.ts';
import { type AnyTable, cellText, type Table } from './table.ts';

function quote(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The whole table as CSV text (small tables and tests). */
export function toCsv(t: Table, lang: 'zh' | 'en' = 'zh'): string {
  const lines = [t.columns.map((c) => quote(lang === 'zh' ? c.zh : c.en)).join(',')];
  for (const r of t.rows) lines.push(t.columns.map((c) => quote(cellText(c, r[c.key] ?? null, lang))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Write `t` to `path` (under a temporary name, renamed into place when complete). */
export function writeCsv(path: string, t: Table, lang: 'zh' | 'en' = 'zh'): number {
  return writeFileAtomicSync(path, (temp) => writeCsvTo(temp, t, lang));
}

function writeCsvTo(path: string, t: Table, lang: 'zh' | 'en'): number {
  const fd = openSync(path, 'w');
  let n = 0;
  try {
    writeSync(fd, `\uFEFF${t.columns.map((c) => quote(lang === 'zh' ? c.zh : c.en)).join(',')}\r\n`);
    let buf: string[] = [];
    for (const r of t.rows) {
      buf.push(t.columns.map((c) => quote(cellText(c, r[c.key] ?? null, lang))).join(','));
      n++;
      if (buf.length >= 10_000) {
        writeSync(fd, `${buf.join('\r\n')}\r\n`);
        buf = [];
      }
    }
    if (buf.length > 0) writeSync(fd, `${buf.join('\r\n')}\r\n`);
  } finally {
    closeSync(fd);
  }
  return n;
}

/** Write a table whose rows may stream (`StreamTable`) to `path`, in chunks, atomically. */
export function writeCsvStream(path: string, t: AnyTable, lang: 'zh' | 'en' = 'zh'): Promise<number> {
  return writeFileAtomic(path, async (temp) => {
    const fd = openSync(temp, 'w');
    let n = 0;
    try {
      writeSync(fd, `\uFEFF${t.columns.map((c) => quote(lang === 'zh' ? c.zh : c.en)).join(',')}\r\n`);
      let buf: string[] = [];
      for await (const r of t.rows) {
        buf.push(t.columns.map((c) => quote(cellText(c, r[c.key] ?? null, lang))).join(','));
        n++;
        if (buf.length >= 10_000) {
          writeSync(fd, `${buf.join('\r\n')}\r\n`);
          buf = [];
        }
      }
      if (buf.length > 0) writeSync(fd, `${buf.join('\r\n')}\r\n`);
    } finally {
      closeSync(fd);
    }
    return n;
  });
}
