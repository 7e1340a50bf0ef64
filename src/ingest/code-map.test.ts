/**
 * R-DATA-1 code mapping between local and national code versions (编码对照): a hospital's local codes are
 * translated to the 医保版 codes at ingest, in place and in order, before the code-list check; each translation
 * of a stored case is kept in `code_translations`, so the original code is never lost; unmapped unknown codes are
 * still refused; re-importing the same file changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import { importCodes } from './codes-import.ts';
import { ingestFile } from './pipeline.ts';
import { sampleStore, tableRows, tempDir, toCsv, validCase } from './testing.ts';

const tmp = tempDir('yibao-codemap-');
let store: DuckDbStore;

beforeAll(async () => {
  store = await sampleStore(tmp);
});
afterAll(async () => {
  await store.close();
  tmp.remove();
});

describe('R-DATA-1 local → national code maps', () => {
  it('imports a map with Chinese headers; a target outside the list and a source mapped two ways are refused', async () => {
    const file = tmp.file(
      'icd10-map.csv',
      '本地编码,医保版编码,名称\n' +
        'K35.9,K35.800,急性阑尾炎\n' + // row 1
        'I10,I10.x00,高血压\n' + // row 2
        'I10,I10.x00,高血压\n' + // row 3: exact repeat of row 2
        'X1,Q99.999,不存在\n' + // row 4: target not in the imported list
        'Z1,K35.800,甲\n' + // rows 5 and 6: one source, two targets
        'Z1,I10.x00,乙\n',
    );
    const r = await importCodes(store, { kind: 'icd10', file, map: true });
    expect(r).toMatchObject({ map: true, read: 6, accepted: 2, rejected: 4, replaced: 0 });
    expect(r.rejectsByCode).toEqual({ E_CODE_UNKNOWN: 1, E_DUPLICATE_CONFLICT: 2, E_DUPLICATE_IN_FILE: 1 });
    expect(await tableRows(store, "SELECT source_code, code FROM code_maps WHERE kind = 'icd10' ORDER BY 1")).toEqual([
      { source_code: 'I10', code: 'I10.x00' },
      { source_code: 'K35.9', code: 'K35.800' },
    ]);
    const p = tmp.file('icd9-map.csv', 'local_code,national_code\n47.01,47.0100\n');
    expect(await importCodes(store, { kind: 'icd9', file: p, map: true })).toMatchObject({ accepted: 1 });
  });

  it('translates local codes at ingest, keeps the order and the audit trail, and still refuses unmapped codes', async () => {
    const file = tmp.file(
      'cases.csv',
      toCsv([
        // Principal K35.9 → K35.800, secondary I10 → I10.x00, procedure 47.01 → 47.0100.
        validCase({ setl_id: 'L1', diag_codes: 'K35.9|I10', oprn_oprt_codes: '47.01' }),
        // Already national codes: nothing to translate.
        validCase({ setl_id: 'L2' }),
        // The secondary is translated, the principal is an unknown local code with no map entry: refused.
        validCase({ setl_id: 'L3', diag_codes: 'K35.99|I10' }),
      ]),
    );
    const r = await ingestFile(store, { kind: 'cases', file });
    expect([r.read, r.accepted, r.rejected, r.alreadyPresent]).toEqual([3, 2, 1, 0]);
    expect(r.rejectsByCode).toEqual({ E_CODE_UNKNOWN: 1 });
    expect(r.translatedCodes).toEqual({ diag_codes: 2, oprn_oprt_codes: 1 });
    expect(
      await tableRows(
        store,
        "SELECT setl_id, array_to_string(diag_codes, '|') AS dx, array_to_string(oprn_oprt_codes, '|') AS proc FROM cases ORDER BY 1",
      ),
    ).toEqual([
      { setl_id: 'L1', dx: 'K35.800|I10.x00', proc: '47.0100' },
      { setl_id: 'L2', dx: 'K35.800|I10.x00', proc: '47.0100' },
    ]);
    expect(
      await tableRows(
        store,
        'SELECT kind, setl_id, field, position, source_code, code FROM code_translations ORDER BY setl_id, field, position',
      ),
    ).toEqual([
      { kind: 'icd10', setl_id: 'L1', field: 'diag_codes', position: '1', source_code: 'K35.9', code: 'K35.800' },
      { kind: 'icd10', setl_id: 'L1', field: 'diag_codes', position: '2', source_code: 'I10', code: 'I10.x00' },
      { kind: 'icd9', setl_id: 'L1', field: 'oprn_oprt_codes', position: '1', source_code: '47.01', code: '47.0100' },
    ]);

    // The same file again: the translated cases are already present, no translation is recorded twice.
    const again = await ingestFile(store, { kind: 'cases', file });
    expect([again.accepted, again.rejected, again.alreadyPresent]).toEqual([0, 1, 2]);
    expect(again.translatedCodes).toEqual({ diag_codes: 0, oprn_oprt_codes: 0 });
    expect(await tableRows(store, 'SELECT count(*) AS n FROM code_translations')).toEqual([{ n: '3' }]);
  });
});
