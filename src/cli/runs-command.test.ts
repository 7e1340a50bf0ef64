// A new user's `yibao runs` named the policy of a settlement twice: the run log keeps every policy file the run applied
// in its note and the last one as its `policy`, and both were printed (the note without a label).
import { describe, expect, it } from 'vitest';
import { policyListText, runPolicies } from '../run/command-label.ts';
import type { RunRecord } from '../store/store.ts';
import { runText } from './runs-command.ts';

const SETTLE: RunRecord = {
  id: 'R1',
  command: 'settle dip 2025',
  inputs: [{ path: 'policies/demo/dip-2025.yaml', sha256: 'a'.repeat(64), bytes: 10 }],
  policy: { id: 'demo-single-disease-2025', version: '2025.1' },
  counts: { current: 3 },
  startedAt: '2026-12-07T09:00:00.000Z',
  finishedAt: '2026-12-07T09:00:01.000Z',
  durationMs: 1000,
  status: 'ok',
  message: 'demo-dip-2025 v2025.1, demo-dip-settlement-2025 v2025.1, demo-single-disease-2025 v2025.1',
};

const INGEST: RunRecord = {
  ...SETTLE,
  id: 'R2',
  command: 'ingest cases',
  policy: { id: 'demo-qc', version: '2025.1' },
  counts: { read: 2, accepted: 2 },
};
delete INGEST.message;

describe('yibao runs: the policy files of a run once, with their label', () => {
  it('a settlement: one 政策 line naming every policy file it applied, no unlabelled repeat', () => {
    const zh = runText(SETTLE, 'zh').split('\n');
    expect(zh.filter((l) => l.includes('demo-single-disease-2025'))).toEqual([
      '    政策：demo-dip-2025 v2025.1、demo-dip-settlement-2025 v2025.1、demo-single-disease-2025 v2025.1',
    ]);
    const en = runText(SETTLE, 'en').split('\n');
    expect(en.filter((l) => l.includes('demo-single-disease-2025'))).toEqual([
      '    policy: demo-dip-2025 v2025.1, demo-dip-settlement-2025 v2025.1, demo-single-disease-2025 v2025.1',
    ]);
    expect(zh).toHaveLength(4); // the run, its input, its policies, and the final newline
  });

  it('an ingest: its QC policy; a note that is not a list of policies stays, below it', () => {
    expect(runText(INGEST, 'zh')).toContain('\n    政策：demo-qc v2025.1\n');
    const failed = { ...INGEST, status: 'failed' as const, message: 'file vanished' };
    expect(runPolicies(failed)).toEqual({ policies: 'demo-qc v2025.1', note: 'file vanished' });
    expect(runText(failed, 'en')).toMatch(/ {4}policy: demo-qc v2025\.1\n {4}file vanished\n$/);
    // a note listing policies, but not the run's own policy, is a note
    expect(runPolicies({ message: 'x v1, y v2' })).toEqual({ note: 'x v1, y v2' });
  });

  it('zh lists the policy files with 、 (full-width, as other zh lists), en with a comma; a free note stays as it is', () => {
    expect(policyListText('a-dip-2025 v2025.1, a-dip-settlement-2025 v2025.1', 'zh')).toBe(
      'a-dip-2025 v2025.1、a-dip-settlement-2025 v2025.1',
    );
    expect(policyListText('a-dip-2025 v2025.1, a-dip-settlement-2025 v2025.1', 'en')).toBe(
      'a-dip-2025 v2025.1, a-dip-settlement-2025 v2025.1',
    );
    expect(policyListText('file vanished, retried', 'zh')).toBe('file vanished, retried');
  });
});

/** A settlement's inputs: two read from the store (their recorded size a row count) and a policy file (bytes). */
const run: RunRecord = {
  ...SETTLE,
  inputs: [
    { path: 'store:cases/2025', sha256: 'b'.repeat(64), bytes: 782, role: 'cases' },
    { path: 'store:year-end/special-review/2025', sha256: 'c'.repeat(64), bytes: 3, role: 'year-end special-review' },
    { path: 'policies/demo/dip-2025.yaml', sha256: 'a'.repeat(64), bytes: 10, role: 'policy dip' },
  ],
};

describe('yibao runs: inputs read from the store named in words, as settle names them', () => {
  it('zh and en: no store: path; stored rows counted in rows (their recorded size is a row count), a file in bytes', () => {
    const zh = runText(run, 'zh');
    expect(zh).toContain(`\n    已入库的 2025 年结算清单  sha256:${'b'.repeat(16)}…  782 行\n`);
    expect(zh).toContain(`\n    已入库的 2025 年特例单议结果  sha256:${'c'.repeat(16)}…  3 行\n`);
    expect(zh).toContain(`\n    policies/demo/dip-2025.yaml  sha256:${'a'.repeat(16)}…  10 B\n`);
    expect(zh).not.toContain('store:');
    const en = runText(run, 'en');
    expect(en).toContain(`\n    the stored 2025 settlement lists  sha256:${'b'.repeat(16)}…  782 rows\n`);
    expect(en).not.toContain('store:');
  });
});
