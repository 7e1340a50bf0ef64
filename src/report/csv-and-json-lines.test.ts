import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { writeCsvStream } from './csv.ts';
import { writeCsvAndJsonLinesStream } from './csv-and-json-lines.ts';
import { writeJsonLinesStream } from './json.ts';
import { col, type Row, type StreamTable } from './table.ts';

const dir = mkdtempSync(join(tmpdir(), 'yibao-tee-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const columns = [
  col('unitId', 'text', '结算ID', 'settlement id'),
  col('amount', 'money', '定额金额', 'fixed amount'),
  col('points', 'points', '点数', 'points'),
  col('basis', 'text', '计算依据', 'basis'),
];
const streamed = (rows: readonly Row[]): StreamTable => ({
  name: 'p-cases',
  zh: '病例结算明细',
  en: 'cases',
  columns,
  rows: (async function* () {
    for (const r of rows) yield r;
  })(),
});
const row = fc.record({
  unitId: fc.string({ maxLength: 8 }),
  amount: fc.option(fc.integer({ min: -1e12, max: 1e12 }), { nil: null }),
  points: fc.option(fc.integer({ min: 0, max: 1e9 }), { nil: null }),
  basis: fc.string({ maxLength: 12 }),
});

describe('statements: the per-case sheet written to CSV and JSON Lines in one pass', () => {
  it('gives byte for byte the files the two writers give alone (property: quotes, commas, null money, 10k+ rows)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { maxLength: 40 }),
        fc.constantFrom('zh' as const, 'en' as const),
        async (rs, lang) => {
          const rows: Row[] = rs.length > 30 ? Array.from({ length: 10_050 }, (_, i) => rs[i % rs.length]!) : rs;
          const n = await writeCsvAndJsonLinesStream(
            join(dir, 'one.csv'),
            join(dir, 'one.jsonl'),
            streamed(rows),
            lang,
          );
          await writeCsvStream(join(dir, 'two.csv'), streamed(rows), lang);
          await writeJsonLinesStream(join(dir, 'two.jsonl'), streamed(rows));
          expect(n).toBe(rows.length);
          expect(readFileSync(join(dir, 'one.csv'), 'utf8')).toBe(readFileSync(join(dir, 'two.csv'), 'utf8'));
          expect(readFileSync(join(dir, 'one.jsonl'), 'utf8')).toBe(readFileSync(join(dir, 'two.jsonl'), 'utf8'));
        },
      ),
      { numRuns: 25 },
    );
    // Nothing but the four files: no temporary file left behind.
    expect(readdirSync(dir).sort()).toEqual(['one.csv', 'one.jsonl', 'two.csv', 'two.jsonl']);
  });

  it('a 12.34-yuan amount is 12.34 in both files; a missing amount is empty in CSV and null in JSON', async () => {
    const rows: Row[] = [
      { unitId: 'S1', amount: 1234, points: null, basis: '在径, 按病种' },
      { unitId: 'S2', amount: null, points: 123_456, basis: 'DIP' },
    ];
    await writeCsvAndJsonLinesStream(join(dir, 'one.csv'), join(dir, 'one.jsonl'), streamed(rows), 'zh');
    const csv = readFileSync(join(dir, 'one.csv'), 'utf8').split('\r\n');
    expect(csv[1]).toBe('S1,12.34,,"在径, 按病种"');
    const jsonl = readFileSync(join(dir, 'one.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(jsonl[0]).toEqual({ unitId: 'S1', amount: '12.34', points: null, basis: '在径, 按病种' });
    expect(jsonl[1].amount).toBeNull();
  });
});
