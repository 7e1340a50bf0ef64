/**
 * The byte-level text path of `drg group` (text-group.ts) must group every case exactly as the record path
 * (csv-parse → internCases → groupBatch) does, for CHS-DRG 2.0 and 1.1, whatever the line endings, the column
 * order and the blanks or empty slots inside code lists (R-PAY-DRG; property test).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { internCases } from './case-batch.ts';
import { caseColumnIndexes } from './case-columns.ts';
import { groupBatch } from './group-case.ts';
import type { DrgKernel } from './kernel-types.ts';
import { readCaseFile } from './reference-cases.ts';
import { requireChsDrg11Reference, requireChsDrg20Reference } from './reference-dir.ts';
import { outcomeAt } from './results.ts';
import { reference20Kernel, referenceKernel } from './testing.ts';
import { internTablesOf, TextGrouper, textInterner } from './text-group.ts';

const tmp = mkdtempSync(join(tmpdir(), 'yibao-drg-text-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const COLUMNS = ['id', 'sex', 'age', 'age_days', 'birth_weight_g', 'los', 'diagnoses', 'procedures'] as const;

function viaText(kernel: DrgKernel, csv: string, name: string): string[] {
  const file = join(tmp, name);
  writeFileSync(file, csv);
  const headerEnd = csv.indexOf('\n') + 1;
  const header = csv
    .slice(0, headerEnd)
    .replace(/\r?\n$/, '')
    .split(',');
  const layout = { index: caseColumnIndexes(header).index, columns: header.length };
  const r = new TextGrouper(kernel.core, textInterner(internTablesOf(kernel))).group(
    file,
    Buffer.byteLength(csv.slice(0, headerEnd)),
    Buffer.byteLength(csv),
    layout,
  );
  if (r.kind !== 'done') throw new Error(`text path: ${r.kind}`);
  return Buffer.from(r.lines).toString('utf8').trimEnd().split('\n');
}

function viaRecords(kernel: DrgKernel, file: string): string[] {
  const cases = readCaseFile(file);
  const results = groupBatch(kernel, internCases(kernel, cases));
  return cases.map((c, i) => {
    const o = outcomeAt(kernel, results, i);
    return `${c.id},${o.mdc},${o.adrg},${o.drg},${o.status}`;
  });
}

for (const [scheme, dir, kernel, messy] of [
  ['2.0', requireChsDrg20Reference(), reference20Kernel, true],
  ['1.1', requireChsDrg11Reference(), referenceKernel, false],
] as const) {
  describe(`text path = record path, CHS-DRG ${scheme}`, () => {
    const seed = readCaseFile(join(dir, 'cases_public.csv'));

    it('on every public case', () => {
      const k = kernel();
      const lines = seed.map((c) =>
        [c.id, c.sex, c.age, c.ageDays, c.birthWeightG, c.los, c.diagnoses, c.procedures].map(String).join(','),
      );
      const csv = `${COLUMNS.join(',')}\n${lines.join('\n')}\n`;
      const file = join(tmp, `all-${scheme}.csv`);
      writeFileSync(file, csv);
      expect(viaText(k, csv, `all-text-${scheme}.csv`)).toEqual(viaRecords(k, file));
    });

    it('on random cases, shuffled columns, CRLF and (2.0) blanks and empty slots in code lists', () => {
      const k = kernel();
      const pad = (list: string, blanks: boolean[]) =>
        list
          .split('|')
          .map((c, j) => (blanks[j % blanks.length] ? ` ${c} ||` : c))
          .join('|');
      fc.assert(
        fc.property(
          fc.array(fc.nat(seed.length - 1), { minLength: 1, maxLength: 30 }),
          fc.shuffledSubarray([...COLUMNS], { minLength: COLUMNS.length }),
          fc.boolean(),
          fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }),
          (picks, order, crlf, blanks) => {
            const eol = crlf ? '\r\n' : '\n';
            const rows = picks.map((p, n) => {
              const c = seed[p]!;
              const v: Record<string, string> = {
                id: `r${n}`,
                sex: String(c.sex ?? ''),
                age: String(c.age ?? ''),
                age_days: String(c.ageDays ?? ''),
                birth_weight_g: String(c.birthWeightG ?? ''),
                los: String(c.los ?? ''),
                diagnoses: messy ? pad(String(c.diagnoses), blanks) : String(c.diagnoses),
                procedures: messy ? pad(String(c.procedures), blanks) : String(c.procedures),
              };
              return order.map((col) => v[col]).join(',');
            });
            const csv = `${order.join(',')}${eol}${rows.join(eol)}${eol}`;
            const file = join(tmp, `prop-${scheme}.csv`);
            writeFileSync(file, csv);
            expect(viaText(k, csv, `prop-text-${scheme}.csv`)).toEqual(viaRecords(k, file));
          },
        ),
        { numRuns: 60 },
      );
    });
  });
}

describe('one TextGrouper over many ranges (its buffers kept from range to range)', () => {
  const seed = readCaseFile(join(requireChsDrg20Reference(), 'cases_public.csv'));
  const numberTexts = ['', '0', '7', '60', ' 60', '6.5', '1e2', 'x', '-3', '0012', '12345678901234567890'];
  const sexTexts = ['', '1', '2', '3', '男', '女', ' 1'];

  it('groups as the record path does, with odd number and sex texts and a last line without a line break (R-PAY-DRG)', () => {
    const k = reference20Kernel();
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.nat(seed.length - 1),
            fc.nat(numberTexts.length - 1),
            fc.nat(numberTexts.length - 1),
            fc.nat(sexTexts.length - 1),
          ),
          { minLength: 1, maxLength: 40 },
        ),
        fc.array(fc.nat(39), { maxLength: 5 }),
        fc.boolean(),
        (rows, cutsAt, lastBreak) => {
          const lines = rows.map(([p, age, los, sex], n) => {
            const c = seed[p]!;
            return [
              `r${n}`,
              sexTexts[sex],
              numberTexts[age],
              String(c.ageDays ?? ''),
              String(c.birthWeightG ?? ''),
              numberTexts[los],
              c.diagnoses,
              c.procedures,
            ].join(',');
          });
          const header = `${COLUMNS.join(',')}\n`;
          const csv = `${header}${lines.join('\n')}${lastBreak ? '\n' : ''}`;
          const file = join(tmp, 'ranges-2.0.csv');
          writeFileSync(file, csv);
          // Cut the body at line starts (the worker ranges of drg group).
          const starts = [Buffer.byteLength(header)];
          for (const line of lines) starts.push(starts[starts.length - 1]! + Buffer.byteLength(line) + 1);
          const end = Buffer.byteLength(csv);
          const cuts = [...new Set([0, ...cutsAt.filter((c) => c < lines.length), lines.length])].sort((a, b) => a - b);
          const grouper = new TextGrouper(k.core, textInterner(internTablesOf(k)));
          const layout = { index: caseColumnIndexes([...COLUMNS]).index, columns: COLUMNS.length };
          const got: string[] = [];
          for (let j = 0; j + 1 < cuts.length; j++) {
            const r = grouper.group(file, starts[cuts[j]!]!, Math.min(end, starts[cuts[j + 1]!]!), layout);
            if (r.kind !== 'done') throw new Error(`text path: ${r.kind}`);
            got.push(
              ...Buffer.from(r.lines)
                .toString('utf8')
                .trimEnd()
                .split('\n')
                .filter((l) => l !== ''),
            );
          }
          expect(got).toEqual(viaRecords(k, file));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('names the first line whose field count differs from the header', () => {
    const k = reference20Kernel();
    const file = join(tmp, 'bad-2.0.csv');
    const good = 'a,1,60,,,5,I63.900,';
    writeFileSync(file, `${good}\n${good},extra\n${good}\n`);
    const layout = { index: caseColumnIndexes([...COLUMNS]).index, columns: COLUMNS.length };
    const r = new TextGrouper(k.core, textInterner(internTablesOf(k))).group(file, 0, 3 * good.length + 9, layout);
    expect(r).toEqual({ kind: 'badLine', offset: good.length + 1, fields: 9 });
  });
});
