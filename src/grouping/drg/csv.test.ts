/** CSV reading (fast unquoted path and csv-parse agree) and writing (quote only when needed). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { csvLine, readCsvRecords } from './csv.ts';

const tmp = mkdtempSync(join(tmpdir(), 'yibao-drg-csv-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

describe('readCsvRecords', () => {
  it('reads unquoted files with BOM and CRLF exactly like quoted ones', () => {
    const plain = readCsvRecords(file('a.csv', '\uFEFFcode,name\r\nA01,x\r\n\r\nB02,\r\n'), ['code']);
    const quoted = readCsvRecords(file('b.csv', 'code,name\n"A01",x\nB02,""\n'), ['code']);
    expect(plain).toEqual([
      { code: 'A01', name: 'x' },
      { code: 'B02', name: '' },
    ]);
    expect(quoted).toEqual(plain);
  });

  it('keeps commas and quotes inside quoted fields', () => {
    expect(readCsvRecords(file('c.csv', 'code,name\nA,"霍乱,O1 ""群"""\n'), ['name'])).toEqual([
      { code: 'A', name: '霍乱,O1 "群"' },
    ]);
  });

  it('names missing columns and rows with the wrong number of fields', () => {
    expect(() => readCsvRecords(file('d.csv', 'code\nA\n'), ['code', 'name'])).toThrow(/missing column\(s\): name/);
    expect(() => readCsvRecords(file('e.csv', 'code,name\nA\n'), [])).toThrow(
      /line 2: 1 fields where the header has 2/,
    );
  });
});

describe('csvLine', () => {
  it('quotes only fields with a comma, quote or line break', () => {
    expect(csvLine(['a', 'b,c', 'd"e', 'f\ng', ''])).toBe('a,"b,c","d""e","f\ng",\n');
  });
});
