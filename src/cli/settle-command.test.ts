import { describe, expect, it } from 'vitest';
import { changedInputs } from '../run/settle-region-year.ts';
import { changedInputsText } from './settle-command.ts';

describe("yibao settle names the inputs changed since the previous run in the reader's words", () => {
  const previous = {
    runId: 'r1',
    changedInputs: [
      {
        path: 'store:year-end/special-review/2025',
        role: 'year-end special-review',
        change: 'added' as const,
        after: { sha256: '662675334dac'.padEnd(64, '0'), bytes: 1 },
      },
    ],
  };
  it('zh: 已入库的 2025 年特例单议结果, with the hashes; no store:… name', () => {
    const text = changedInputsText(previous, { lang: 'zh' });
    expect(text).toContain('  已入库的 2025 年特例单议结果：新增（sha256 — → 662675334dac）');
    expect(text).not.toContain('store:');
  });
  it('en: the stored 2025 special-review decisions, with the hashes', () => {
    const text = changedInputsText(previous, { lang: 'en' });
    expect(text).toContain('  the stored 2025 special-review decisions: added (sha256 — → 662675334dac)');
    expect(text).not.toContain('store:');
  });
});

describe('a copy of the policy folder with one value changed reads as that one file changed (walk2 #8)', () => {
  const pol = (dir: string, file: string, kind: string, sha: string) => ({
    path: `${dir}/demo/${file}`,
    sha256: sha.padEnd(64, '0'),
    bytes: 100,
    role: `policy ${kind}`,
  });
  const cases = { path: 'store:cases/2025', sha256: 'c'.repeat(64), bytes: 10_419, role: 'cases' };
  const files = (dir: string, settlementSha: string) => [
    pol(dir, 'dip-2025.yaml', 'dip', 'f09df2163082'),
    pol(dir, 'dip-settlement-2025.yaml', 'dip-settlement', settlementSha),
    pol(dir, 'per-diem-2025.yaml', 'per-diem', 'd2e574f15b1e'),
    cases,
  ];
  const before = files('base', '242f3f026485');
  const now = files('whatif', 'a80c8e46fc00');

  it('paired by policy kind: one changed (with the file it replaced), two the same content, none added or removed', () => {
    const c = changedInputs(before, now);
    expect(c.map((x) => [x.change, x.path, x.beforePath])).toEqual([
      ['moved', 'whatif/demo/dip-2025.yaml', 'base/demo/dip-2025.yaml'],
      ['changed', 'whatif/demo/dip-settlement-2025.yaml', 'base/demo/dip-settlement-2025.yaml'],
      ['moved', 'whatif/demo/per-diem-2025.yaml', 'base/demo/per-diem-2025.yaml'],
    ]);
  });

  it('zh and en: one line for the changed file, one for the files of the same content', () => {
    const previous = { runId: 'r1', changedInputs: changedInputs(before, now) };
    const zh = changedInputsText(previous, { lang: 'zh' });
    expect(zh.split('\n').filter(Boolean)).toEqual([
      '与上次结算（运行 r1，其结果保持不变）相比，以下输入有变：',
      '  政策文件（区域点数法总额预算与结算） whatif/demo/dip-settlement-2025.yaml：已变更（sha256 242f3f026485 → a80c8e46fc00；上次读自 base/demo/dip-settlement-2025.yaml）',
      '  本次结算所用的其余 2 个政策文件内容相同：dip-2025.yaml、per-diem-2025.yaml（读自 whatif/demo，上次读自 base/demo）',
    ]);
    const en = changedInputsText(previous, { lang: 'en' });
    expect(en).toContain(
      ': changed (sha256 242f3f026485 → a80c8e46fc00; previously read from base/demo/dip-settlement-2025.yaml)',
    );
    expect(en).toContain(
      '  the other 2 policy files this settlement applied have the same content: dip-2025.yaml, per-diem-2025.yaml (read from whatif/demo, previously from base/demo)',
    );
    expect(en).not.toMatch(/[\u4e00-\u9fff]/u);
  });

  it('the same folder copied unchanged: no input differs', () => {
    const previous = { runId: 'r1', changedInputs: changedInputs(before, files('copy', '242f3f026485')) };
    expect(changedInputsText(previous, { lang: 'zh' })).toBe(
      '与上次结算（运行 r1）相比，输入没有变化：\n  本次结算所用的 3 个政策文件内容相同：dip-2025.yaml、dip-settlement-2025.yaml、per-diem-2025.yaml（读自 copy/demo，上次读自 base/demo）\n',
    );
  });

  it('what-if walk: a folder of four files, two applied by the run, one changed — “其余 1 个” is the run’s other file, named', () => {
    // The folder also holds qc-2025.yaml and payment-mix-2025.yaml: not inputs of the settlement, so not counted.
    const two = (dir: string, sha: string) => [
      pol(dir, 'dip-2025.yaml', 'dip', 'f09df2163082'),
      pol(dir, 'dip-settlement-2025.yaml', 'dip-settlement', sha),
    ];
    const previous = {
      runId: 'r1',
      changedInputs: changedInputs(two('base', '242f3f026485'), two('whatif', 'a80c8e46fc00')),
    };
    expect(changedInputsText(previous, { lang: 'zh' }, true).split('\n').at(-2)).toBe(
      '  本次结算所用的其余 1 个政策文件内容相同：dip-2025.yaml（读自 whatif/demo，上次读自 base/demo）',
    );
    expect(changedInputsText(previous, { lang: 'en' }, true).split('\n').at(-2)).toBe(
      '  the other policy file this settlement applied has the same content: dip-2025.yaml (read from whatif/demo, previously from base/demo)',
    );
  });

  it('two files of one kind on a side are not guessed at: added and removed by path', () => {
    const two = [...now, pol('whatif', 'dip-2025-h2.yaml', 'dip', '999999999999')];
    const c = changedInputs(before, two);
    expect(c.filter((x) => x.role === 'policy dip').map((x) => x.change)).toEqual(['added', 'added', 'removed']);
  });
});
