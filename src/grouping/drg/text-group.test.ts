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
import { groupTextRange, textInterner } from './text-group.ts';

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
  const interner = textInterner({
    dxCodes: kernel.dx.codes,
    procCodes: kernel.proc.codes,
    caseFields: kernel.caseFields,
  });
  const r = groupTextRange(
    kernel.core,
    interner,
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
