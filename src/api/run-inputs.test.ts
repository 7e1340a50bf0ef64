// The workbench's run inputs labelled a stored input's row count as 字节 (the run log records a store read's row count
// in `bytes`: the store has no file to measure).
import { describe, expect, it } from 'vitest';
import { derivedText } from '../run/command-label.ts';
import { bilingualRunMessage } from '../store/run-message.ts';
import type { RunRecord } from '../store/store.ts';
import { runRecordRow } from './routes/core.ts';
import { runInputsTable } from './routes/runs.ts';

/** A settlement's inputs: two read from the store (their recorded size a row count) and a policy file (bytes). */
const run: Pick<RunRecord, 'id' | 'inputs'> = {
  id: 'R1',
  inputs: [
    { path: 'store:cases/2025', sha256: 'b'.repeat(64), bytes: 782, role: 'cases' },
    { path: 'store:year-end/special-review/2025', sha256: 'c'.repeat(64), bytes: 3, role: 'year-end special-review' },
    { path: 'policies/demo/dip-2025.yaml', sha256: 'a'.repeat(64), bytes: 10, role: 'policy dip' },
  ],
};

describe('API run inputs table: a stored input counts rows, a file bytes (a row count was labelled 字节)', () => {
  it('zh: 行数 holds the 782 stored cases and 字节 stays empty; the policy file has 10 字节 and no 行数', () => {
    const zh = runInputsTable(run, 'zh');
    expect(zh.columns.map((c) => [c.key, c.zh])).toEqual([
      ['role', '用途'],
      ['path', '文件'],
      ['sha256', 'SHA-256'],
      ['rows', '行数'],
      ['bytes', '字节'],
    ]);
    expect(zh.rows.map((r) => [r.path, r.rows, r.bytes])).toEqual([
      ['已入库的 2025 年结算清单', 782, null],
      ['已入库的 2025 年特例单议结果', 3, null],
      ['policies/demo/dip-2025.yaml', null, 10],
    ]);
  });
  it('en: the same in rows and bytes', () => {
    const en = runInputsTable(run, 'en');
    expect(en.columns.slice(3).map((c) => c.en)).toEqual(['rows', 'bytes']);
    expect(en.rows[0]).toMatchObject({ path: 'the stored 2025 settlement lists', rows: 782, bytes: null });
  });
});

// The workbench's run log said a run failed but not why; the log keeps the error in both languages.
describe('API run records: a failed run says why, in the reader’s language', () => {
  const failed: RunRecord = {
    id: 'R9',
    command: 'ingest cases',
    inputs: [{ path: 'bad.csv', sha256: '', bytes: 0, role: 'cases' }],
    counts: {},
    startedAt: '2026-12-07T09:00:00.000Z',
    finishedAt: '2026-12-07T09:00:01.000Z',
    durationMs: 100,
    status: 'failed',
    message: bilingualRunMessage('bad.csv: 工作表为空，没有表头', 'bad.csv: the worksheet is empty (no header row)'),
  };
  it('zh 失败原因 holds the Chinese form, en the English; a run that did not fail has none', () => {
    expect(runRecordRow(failed, 'zh')).toMatchObject({ status: '失败', reason: 'bad.csv: 工作表为空，没有表头' });
    expect(runRecordRow(failed, 'en').reason).toBe('bad.csv: the worksheet is empty (no header row)');
    expect(runRecordRow({ ...failed, status: 'ok', message: 'a v1, b v2' }, 'zh').reason).toBe('');
  });
});

// The workbench listed what a run derived by its stored kind: "dip-catalog · … (2629 B)" in a zh page.
describe('API run detail: what a run derived, in the reader’s words', () => {
  it('zh: 病种分值目录 · name（2,629 字节）; DRG indicators by institution; en in words and bytes', () => {
    expect(derivedText({ kind: 'dip-catalog', name: 'city01-dip-2025-catalog', bytes: 2629 }, 'zh')).toBe(
      '病种分值目录 · city01-dip-2025-catalog（2,629 字节）',
    );
    expect(derivedText({ kind: 'drg-indicators', name: 'institution', bytes: 10 }, 'zh')).toBe(
      'DRG 指标（CMI 等） · 按机构（10 字节）',
    );
    expect(derivedText({ kind: 'opening-point-value', name: 'p', bytes: 24 }, 'en')).toBe(
      'opening point value · p (24 bytes)',
    );
    // An unknown kind stays as stored.
    expect(derivedText({ kind: 'other', name: 'x', bytes: 1 }, 'zh')).toBe('other · x（1 字节）');
  });
});
