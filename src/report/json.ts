/**
 * JSON writer: `{ name, zh, columns, rows }` with exact texts for money (yuan) and points, so the numbers round-trip
 * without binary floats. Large tables are written as JSON Lines (one row per line) instead.
 */
import { writeFileSync } from 'node:fs';
import { writeFileAtomic, writeFileAtomicSync } from './atomic.ts';
import { writeLines, writeLinesAsync } from './line-sink.ts';
import { type AnyTable, cellText, jsonCell, type Row, type Table } from './table.ts';

export function tableToJson(t: Table): { name: string; zh: string; columns: Table['columns']; rows: Row[] } {
  const rows: Row[] = [];
  for (const r of t.rows) rows.push(exactRow(t, r));
  return { name: t.name, zh: t.zh, columns: t.columns, rows };
}

function exactRow(t: Pick<Table, 'columns'>, r: Row): Row {
  const out: Record<string, unknown> = {};
  for (const c of t.columns) {
    const v = r[c.key] ?? null;
    out[c.key] = v === null ? null : c.kind === 'money' || c.kind === 'points' ? cellText(c, v) : jsonCell(c, v);
  }
  return out as Row;
}

export function writeJson(path: string, value: unknown): void {
  const text = `${JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`;
  writeFileAtomicSync(path, (temp) => writeFileSync(temp, text));
}

/** One record of `t` as a JSON Lines line (no line end): money and points as exact text. */
export const jsonLine = (t: Pick<Table, 'columns'>, r: Row): string => JSON.stringify(exactRow(t, r));

/** One JSON object per line (case tables). */
export function writeJsonLines(path: string, t: Table): number {
  return writeFileAtomicSync(path, (temp) => writeJsonLinesTo(temp, t));
}

function writeJsonLinesTo(path: string, t: Table): number {
  return writeLines(path, '\n', (sink) => {
    for (const r of t.rows) sink.line(JSON.stringify(exactRow(t, r)));
  });
}

/** One JSON object per line, rows streamed (`StreamTable`) or in memory, atomically. */
export function writeJsonLinesStream(path: string, t: AnyTable): Promise<number> {
  return writeFileAtomic(path, (temp) =>
    writeLinesAsync(temp, '\n', async (sink) => {
      for await (const r of t.rows) sink.line(JSON.stringify(exactRow(t, r)));
    }),
  );
}
