/** Case files: the fast unquoted reader agrees with csv-parse, across slice boundaries, CRLF and a BOM. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { forEachCase, type ReferenceCase, readCaseFile } from './reference-cases.ts';
import { requireChsDrg11Reference } from './reference-dir.ts';

const tmp = mkdtempSync(join(tmpdir(), 'yibao-drg-cases-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const publicCases = join(requireChsDrg11Reference(), 'cases_public.csv');

async function all(file: string, sliceBytes?: number): Promise<ReferenceCase[]> {
  const out: ReferenceCase[] = [];
  await forEachCase(file, (c) => out.push(c), sliceBytes);
  return out;
}

describe('forEachCase', () => {
  it('reads cases_public.csv like csv-parse, with slices cut every ~1 KB', async () => {
    const expected = readCaseFile(publicCases);
    expect(await all(publicCases, 1000)).toEqual(expected);
    expect(await all(publicCases, 7)).toEqual(expected);
  });

  it('handles a BOM, CRLF and a last line without line break', async () => {
    const text = readFileSync(publicCases, 'utf8').split('\n').slice(0, 4).join('\r\n');
    const file = join(tmp, 'crlf.csv');
    writeFileSync(file, `\uFEFF${text}`);
    expect(await all(file, 50)).toEqual(readCaseFile(publicCases).slice(0, 3));
  });

  it('sends quoted files through csv-parse', async () => {
    const file = join(tmp, 'quoted.csv');
    writeFileSync(file, 'id,sex,age,age_days,birth_weight_g,diagnoses,procedures\n"a,1",1,60,,,I63.900,\n');
    expect((await all(file)).map((c) => c.id)).toEqual(['a,1']);
  });

  it('names the line with a wrong number of fields', async () => {
    const file = join(tmp, 'short.csv');
    writeFileSync(file, 'id,sex,age,age_days,birth_weight_g,diagnoses,procedures\n1,1,60,,,I63.900,\n2,1\n');
    await expect(all(file)).rejects.toThrow(/line 3: 2 fields where the header has 7/);
  });
});
