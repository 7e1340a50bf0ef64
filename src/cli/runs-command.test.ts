// A new user's `yibao runs` named the policy of a settlement twice: the run log keeps every policy file the run applied
// in its note and the last one as its `policy`, and both were printed (the note without a label).
import { describe, expect, it } from 'vitest';
import { policyListText, runPolicies } from '../run/command-label.ts';
import { bilingualRunMessage } from '../store/run-message.ts';
import type { RunRecord } from '../store/store.ts';
import { runJson, runText, settlementPolicies, settlementRunLine } from './runs-command.ts';

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

  // `yibao runs` in zh printed a failed ingest's error in English and Chinese: the run log kept one bilingual text.
  it("a failed ingest's error in the reader's language only: marked both forms, and an old log's 'FILE: English / 中文' split", () => {
    const both = {
      ...INGEST,
      status: 'failed' as const,
      counts: {},
      inputs: [{ path: 'bad.csv', sha256: '', bytes: 0, role: 'cases' }],
      message: bilingualRunMessage('bad.csv: 工作表为空，没有表头', 'bad.csv: the worksheet is empty (no header row)'),
    };
    expect(runText(both, 'zh')).toMatch(/\n {4}bad\.csv: 工作表为空，没有表头\n$/);
    expect(runText(both, 'en')).toMatch(/\n {4}bad\.csv: the worksheet is empty \(no header row\)\n$/);
    // A file the run never read has no hash nor size to show (it read "bad.csv  sha256:…  0 B").
    expect(runText(both, 'zh')).toContain('\n    bad.csv\n');
    // Nothing counted: no blank field before the time (it read "失败    0.1s").
    expect(runText(both, 'zh').split('\n')[0]).toMatch(/ {2}导入 结算清单 {2}失败 {2}1\.0s$/);
    // A log written before: the error's own text, English first; its English may quote a Chinese column name and
    // its Chinese may hold a "/" (险种类型 310职工/390居民).
    const old = {
      ...both,
      message:
        'my data.csv: the closest, row 1, lacks: insutype (insurance type: 310 employee, 390 resident), "结算ID" / 最接近的是第 1 行，缺少必填列：insutype（险种类型 310职工/390居民）、"结算ID"',
      inputs: [{ path: 'my data.csv', sha256: '', bytes: 0, role: 'cases' }],
    };
    expect(runText(old, 'zh')).toMatch(
      /\n {4}my data\.csv: 最接近的是第 1 行，缺少必填列：insutype（险种类型 310职工\/390居民）、"结算ID"\n$/,
    );
    expect(runText(old, 'en')).toMatch(
      /\n {4}my data\.csv: the closest, row 1, lacks: insutype \(insurance type: 310 employee, 390 resident\), "结算ID"\n$/,
    );
    // runs --json: each language apart for a program, the stored text as it is.
    expect(runJson(both).messages).toEqual({
      zh: 'bad.csv: 工作表为空，没有表头',
      en: 'bad.csv: the worksheet is empty (no header row)',
    });
    expect(runJson(both).message).toBe(both.message);
    expect(runJson(SETTLE)).toBe(SETTLE);
    // A note in one language stays as it is, whatever the reader's.
    expect(runText({ ...both, message: 'simulated crash after the insert' }, 'zh')).toMatch(
      /\n {4}simulated crash after the insert\n$/,
    );
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

// `yibao runs --settlements` read "city01 2025  DIP  按病种分值付费（DIP）  结算 DIP 2025": the case method twice.
describe('yibao runs --settlements: one line per run', () => {
  const run = {
    startedAt: '2026-12-07T09:00:00.000Z',
    id: 'R1',
    region: 'city01',
    year: 2025,
    methods: ['per-diem', 'dip'],
    command: 'settle dip 2025',
    counts: { current: 6 },
  };
  it('the methods once, in words; a what-if says so and names its base run', () => {
    expect(settlementRunLine(run, 'zh')).toBe(
      '2026-12-07T09:00:00.000Z  R1  city01 2025  按床日付费 + 按病种分值付费（DIP）  结算 DIP 2025  病例 6',
    );
    expect(settlementRunLine({ ...run, kind: 'what-if', baseRunId: 'R0' }, 'en')).toBe(
      '2026-12-07T09:00:00.000Z  R1  city01 2025  policy what-if (of R0)  per-bed-day payment + DIP  settlement DIP 2025  cases 6',
    );
  });
});

// walk2 #8: a run of a copied policy folder with one value changed listed as the run before it did.
describe('yibao runs --settlements: one policy id and version of two contents carries its hash', () => {
  const input = (file: string, kind: string, sha: string) => ({
    path: file,
    sha256: sha.padEnd(64, '0'),
    bytes: 1,
    role: `policy ${kind}`,
  });
  const run = (dir: string, settlementSha: string) => ({
    message: 'demo-dip-2025 v2025.1, demo-dip-settlement-2025 v2025.1',
    inputs: [
      input(`${dir}/dip-2025.yaml`, 'dip', 'f09df2163082'),
      input(`${dir}/dip-settlement-2025.yaml`, 'dip-settlement', settlementSha),
      { path: 'store:cases/2025', sha256: 'c'.repeat(64), bytes: 9, role: 'cases' },
    ],
  });
  const runs = [run('whatif', 'a80c8e46fc00'), run('base', '242f3f026485'), run('main', '242f3f026485')];
  it('zh: the changed file with its hash in each run, the same file without', () => {
    expect(settlementPolicies(runs, 'zh')).toEqual([
      'demo-dip-2025 v2025.1、demo-dip-settlement-2025 v2025.1（sha256 a80c8e46fc00）',
      'demo-dip-2025 v2025.1、demo-dip-settlement-2025 v2025.1（sha256 242f3f026485）',
      'demo-dip-2025 v2025.1、demo-dip-settlement-2025 v2025.1（sha256 242f3f026485）',
    ]);
  });
  it('en: the same, comma-separated; one content everywhere: no hash', () => {
    expect(settlementPolicies(runs, 'en')[0]).toBe(
      'demo-dip-2025 v2025.1, demo-dip-settlement-2025 v2025.1 (sha256 a80c8e46fc00)',
    );
    expect(settlementPolicies(runs.slice(1), 'en')).toEqual([
      'demo-dip-2025 v2025.1, demo-dip-settlement-2025 v2025.1',
      'demo-dip-2025 v2025.1, demo-dip-settlement-2025 v2025.1',
    ]);
  });
});

// walk7 #14: after a policy edit, plain `yibao runs` showed v2025.1 for both runs (only the input hashes differed).
describe('yibao runs: a policy edited between two runs carries its hash in the 政策 line, as --settlements does', () => {
  const input = (file: string, kind: string, sha: string) => ({
    path: file,
    sha256: sha.padEnd(64, '0'),
    bytes: 1,
    role: `policy ${kind}`,
  });
  const run = (id: string, sha: string): RunRecord => ({
    ...SETTLE,
    id,
    policy: { id: 'demo-dip-settlement-2025', version: '2025.1' },
    message: 'demo-dip-2025 v2025.1, demo-dip-settlement-2025 v2025.1',
    inputs: [
      input('policies/dip-2025.yaml', 'dip', 'f09df2163082'),
      input('policies/dip-settlement-2025.yaml', 'dip-settlement', sha),
    ],
  });
  it('zh: each run’s edited file with its own hash', () => {
    const runs = [run('after', 'a80c8e46fc00'), run('before', '242f3f026485')];
    const among = settlementPolicies(runs, 'zh');
    expect(runText(runs[0]!, 'zh', [], among[0]).split('\n')).toContain(
      '    政策：demo-dip-2025 v2025.1、demo-dip-settlement-2025 v2025.1（sha256 a80c8e46fc00）',
    );
    expect(runText(runs[1]!, 'en', [], settlementPolicies(runs, 'en')[1]).split('\n')).toContain(
      '    policy: demo-dip-2025 v2025.1, demo-dip-settlement-2025 v2025.1 (sha256 242f3f026485)',
    );
  });
});
