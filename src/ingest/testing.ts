/** Helpers for the ingest and code-list tests: a valid settlement-list row, temp files, a fresh store. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAMPLE_CODE_LISTS } from '../codes/index.ts';
import { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import { importCodes } from './codes-import.ts';
import { ingestFile } from './pipeline.ts';

export type Row = Record<string, string>;

/**
 * A settlement-list row that passes every check (a 64-year-old man, appendicitis, 4 days). Its 就诊ID follows its
 * settlement id (M-<setl_id>) unless given, so that two rows are two visits, not one visit settled twice.
 */
export function validCase(overrides: Row = {}): Row {
  return {
    setl_id: 'S0001',
    mdtrt_id: overrides.setl_id ? `M-${overrides.setl_id}` : 'M0001',
    psn_no: 'P0001',
    fixmedins_code: 'H001',
    insutype: '310',
    gend: '1',
    brdy: '1960-01-31',
    age: '64',
    nwb_age: '',
    nwb_bir_wt: '',
    adm_time: '2025-03-01 08:00:00',
    dscg_time: '2025-03-05 10:00:00',
    act_ipt_days: '4',
    dscg_way: '1',
    chfpdr_code: 'D000000010031',
    chfpdr_name: '李娜',
    diag_codes: 'K35.800|I10.x00',
    diag_names: '急性阑尾炎，其他未特指|特发性（原发性）高血压',
    oprn_oprt_codes: '47.0100',
    oprn_oprt_names: '腹腔镜下阑尾切除术',
    oprn_oprt_dates: '2025-03-01',
    icu_days: '0',
    days_rinp_flag_31: '0',
    medfee_sumamt: '12345.67',
    hifp_pay: '10000.00',
    psn_selfpay: '2000.00',
    psn_ownpay: '345.67',
    acct_pay: '0',
    psn_cashpay: '2345.67',
    fee_oprn: '5000.00',
    fee_wm: '7345.67',
    ...overrides,
  };
}

const quote = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/** CSV text of rows (header = the keys of the first row). */
export function toCsv(rows: readonly Row[], columns: readonly string[] = Object.keys(rows[0] ?? {})): string {
  return `${[columns.join(','), ...rows.map((r) => columns.map((c) => quote(r[c] ?? '')).join(','))].join('\n')}\n`;
}

export interface TempDir {
  path: string;
  file(name: string, content: string | Buffer): string;
  remove(): void;
}

export function tempDir(prefix = 'yibao-test-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    file(name, content) {
      const p = join(path, name);
      writeFileSync(p, content);
      return p;
    },
    remove() {
      rmSync(path, { recursive: true, force: true });
    },
  };
}

export async function memoryStore(): Promise<DuckDbStore> {
  return DuckDbStore.open(':memory:');
}

/** A fresh in-memory store with the sample ICD-10 / ICD-9 lists and institution H001, the one `validCase` uses. */
export async function sampleStore(tmp: TempDir): Promise<DuckDbStore> {
  const store = await memoryStore();
  await importCodes(store, { kind: 'icd10', file: SAMPLE_CODE_LISTS.icd10 });
  await importCodes(store, { kind: 'icd9', file: SAMPLE_CODE_LISTS.icd9 });
  const inst = tmp.file(
    'inst.csv',
    toCsv([{ fixmedins_code: 'H001', fixmedins_name: '市第一医院', hosp_lv: '3', inst_type: 'general', admdvs: '1' }]),
  );
  await ingestFile(store, { kind: 'institutions', file: inst });
  return store;
}

/** Rows of a store table as plain objects (values via CAST to VARCHAR). */
export async function tableRows(store: DuckDbStore, sql: string): Promise<Record<string, string | null>[]> {
  const r = await store.connection.runAndReadAll(sql);
  const names = r.columnNames();
  return r
    .getRows()
    .map((row) => Object.fromEntries(names.map((n, i) => [n, row[i] === null ? null : String(row[i])])));
}
