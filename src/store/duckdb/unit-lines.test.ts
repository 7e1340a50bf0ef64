/**
 * A run's per-case CSV and JSON Lines rendered by DuckDB (`writeUnitLines`, issue 9 statements at province scale)
 * are byte for byte what the JS writers give for the same stored units: the SQL escaping equals `quote` (RFC 4180),
 * `JSON.stringify`, `fenToYuan` and `formatPoints` on arbitrary text and integers, and whole files equal
 * `writeCsvAndJsonLinesStream` over `unitRowsStream` in both languages, with labels, names and awkward ids.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, LIST, listValue, VARCHAR } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { fenToYuan } from '../../model/money.ts';
import { formatPoints } from '../../model/points.ts';
import { csvHeader, quote } from '../../report/csv.ts';
import { writeCsvAndJsonLinesStream } from '../../report/csv-and-json-lines.ts';
import { basisOf, unitLineParts, unitRowsStream } from '../../report/unit-rows.ts';
import type { RunUnitRow } from '../settlement-runs.ts';
import { testRunRecord } from '../testing.ts';
import { DuckDbStore } from './duckdb-store.ts';
import { csvTextSql, jsonTextSql, scaledSql } from './unit-lines.ts';

const dir = mkdtempSync(join(tmpdir(), 'yibao-unit-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Text that exercises the escapes: quotes, separators, CR/LF, backslashes, control characters, CJK, emoji. */
const awkward = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({
    unit: fc.constantFrom(',', '"', '\r', '\n', '\\', '\t', '\u0001', '\u001f', '\u007f', 'é', '结', '😀', 'a', '#'),
  }),
);

describe('SQL text and number escapes equal the JS writers (property)', () => {
  it('csvTextSql = quote, jsonTextSql = JSON.stringify; null is empty in CSV and null in JSON', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(awkward, { maxLength: 30 }), async (texts) => {
          const values = [...texts, null];
          const rows = (
            await conn.runAndReadAll(
              `SELECT ${csvTextSql('x')}, ${jsonTextSql('x')} FROM (SELECT unnest($v) AS x, generate_subscripts($v, 1) AS i) ORDER BY i`,
              { v: listValue(values) },
              { v: LIST(VARCHAR) },
            )
          ).getRows();
          expect(rows).toEqual(values.map((v) => [v === null ? '' : quote(v), JSON.stringify(v)]));
        }),
        { numRuns: 60, seed: 9 },
      );
    } finally {
      conn.closeSync();
      db.closeSync();
    }
  });

  it('scaledSql = fenToYuan (2 places) and formatPoints (4 places), negatives and safe integers included', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.oneof(
              fc.integer({ min: -20_000, max: 20_000 }),
              fc.maxSafeInteger().filter((n) => n > Number.MIN_SAFE_INTEGER),
            ),
            { maxLength: 30 },
          ),
          async (ints) => {
            const values = [...ints, 0, -1, 5, -100, Number.MAX_SAFE_INTEGER];
            const rows = (
              await conn.runAndReadAll(
                `SELECT ${scaledSql('x', 2, false, '')}, ${scaledSql('x', 4, true, 'null')}
                 FROM (SELECT unnest($v::VARCHAR[])::BIGINT AS x, generate_subscripts($v::VARCHAR[], 1) AS i) ORDER BY i`,
                { v: listValue(values.map(String)) },
                { v: LIST(VARCHAR) },
              )
            ).getRows();
            expect(rows).toEqual(values.map((v) => [fenToYuan(v), `"${formatPoints(v)}"`]));
          },
        ),
        { numRuns: 40, seed: 11 },
      );
      const nulls = (
        await conn.runAndReadAll(
          `SELECT ${scaledSql('x', 2, false, '')}, ${scaledSql('x', 4, true, 'null')} FROM (SELECT NULL::BIGINT AS x)`,
        )
      ).getRows();
      expect(nulls).toEqual([['', 'null']]);
    } finally {
      conn.closeSync();
      db.closeSync();
    }
  });
});

const unitArb = fc.record({
  id: fc.oneof(
    fc.stringMatching(/^JS[0-9]{6}$/),
    awkward.filter((s) => s !== ''),
  ),
  institution: fc.constantFrom('H001', 'H002', 'H,3', 'H"4'),
  month: fc.constantFrom('2025-01', '2025-02', '2025-12'),
  method: fc.constantFrom('dip', 'per-diem', 'single-disease', 'capitation', 'not-a-method'),
  group: fc.constantFrom(null, '', 'C34#conservative', 'I20.9|00.6600+36.0700', 'family-doctor', 'G"1,2'),
  status: fc.constantFrom('paid', 'low-cost', 'high-cost', 'special-review', 'ungrouped', 'odd'),
  points: fc.option(fc.integer({ min: -5_000_000, max: 90_000_000 }), { nil: null }),
  amount: fc.option(fc.integer({ min: -100_000, max: 9_000_000 }), { nil: null }),
  billed: fc.integer({ min: -100_000, max: 90_000_000 }),
  patientPaid: fc.integer({ min: 0, max: 9_000_000 }),
  // 病例结算金额 as a run stored it (run_unit_amounts), or not stored
  settled: fc.option(fc.integer({ min: -100_000, max: 90_000_000 }), { nil: null }),
  basis: fc.constantFrom(
    null,
    'plain text of an older run, with a comma',
    basisOf({
      rule: 'R',
      zh: '入组 C34#conservative，分值 12.5',
      en: 'grouped C34#conservative, "score" 12.5',
      result: 1,
    }),
    basisOf({
      rule: 'R',
      zh: '在径病例\n按标准',
      en: 'on the pathway',
      result: 1,
      clause: '资府办函〔2018〕52号 二(三)',
    }),
  ),
});

describe('unit lines rendered by the store = the streamed writers (property)', () => {
  it('the per-case CSV (zh, en) and JSON Lines files are byte for byte the same', async () => {
    const store = await DuckDbStore.open(':memory:');
    let n = 0;
    try {
      await fc.assert(
        fc.asyncProperty(fc.uniqueArray(unitArb, { selector: (u) => u.id, maxLength: 25 }), async (specs) => {
          const id = `run-${++n}`;
          const rows: RunUnitRow[] = specs.map((s) => ({
            poolId: 'p-dip-2025',
            unitId: s.id,
            method: s.method,
            institution: s.institution,
            month: s.month,
            group: s.group,
            status: s.status,
            points: s.points,
            amountFen: s.amount,
            billedFen: s.billed,
            patientPaidFen: s.patientPaid,
            basis: s.basis,
            trace: null,
          }));
          // A unit of another pool is left out by the filter.
          rows.push({ ...rows[0]!, poolId: 'p-ffs-2025', unitId: 'other' } as RunUnitRow);
          if (specs.length === 0) rows.pop();
          await store.saveSettlementRun(
            testRunRecord(id, 'p', {
              command: 'test',
              startedAt: '2025-01-01T00:00:00.000Z',
              finishedAt: '2025-01-01T00:00:01.000Z',
            }),
            async (w) => {
              await w.units(rows);
            },
          );
          const settled = specs.filter((x) => x.settled !== null);
          if (settled.length > 0)
            await store.connection.run(
              `INSERT INTO run_unit_amounts SELECT $run, 'p-dip-2025', unnest($ids), unnest($fen)::BIGINT`,
              {
                run: id,
                ids: listValue(settled.map((x) => x.id)),
                fen: listValue(settled.map((x) => String(x.settled))),
              },
              { run: VARCHAR, ids: LIST(VARCHAR), fen: LIST(VARCHAR) },
            );
          const reader = store.runResults(id);
          const names = new Map([
            ['H001', '第一医院'],
            ['H,3', '三院, "东区"'],
          ]);
          // 病种/分组名称 by the stored group code (a name with a comma and quotes; a group without a name is blank)
          const sheet = {
            groupNames: new Map([
              ['I20.9|00.6600+36.0700', '冠心病（冠状动脉造影+支架）'],
              ['G"1,2', '名称, "带引号"'],
            ]),
          };
          for (const lang of ['zh', 'en'] as const) {
            const table = () =>
              unitRowsStream('cases', reader.units({ poolId: 'p-dip-2025', trace: false }, 7), names, sheet);
            const csv = join(dir, `${id}-${lang}-js.csv`);
            const jsonl = join(dir, `${id}-${lang}-js.jsonl`);
            const count = await writeCsvAndJsonLinesStream(csv, jsonl, table(), lang);
            const written = await reader.writeUnitLines!({ poolId: 'p-dip-2025' }, [
              {
                path: join(dir, `${id}-${lang}-db.csv`),
                head: csvHeader(table(), lang),
                eol: '\r\n',
                parts: unitLineParts('csv', names, lang, sheet),
              },
              {
                path: join(dir, `${id}-${lang}-db.jsonl`),
                head: '',
                eol: '\n',
                parts: unitLineParts('json', names, lang, sheet),
              },
            ]);
            expect(written).toBe(count);
            expect(readFileSync(join(dir, `${id}-${lang}-db.csv`))).toEqual(readFileSync(csv));
            expect(readFileSync(join(dir, `${id}-${lang}-db.jsonl`))).toEqual(readFileSync(jsonl));
            // the stored settled amounts are in the lines (yuan), the others null
            expect(readFileSync(jsonl, 'utf8').includes('"settled":"')).toBe(settled.length > 0);
          }
        }),
        { numRuns: 12, seed: 2025 },
      );
    } finally {
      await store.close();
    }
  });
});
