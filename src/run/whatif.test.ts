import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { parsePolicy } from '../policy/loader.ts';
import type { RunPolicySnapshot } from '../store/settlement-runs.ts';
import { changedSnapshots, WhatIfError, whatIfChangesOfRun, whatIfParameters } from './whatif.ts';
import { changeText } from './whatif-labels.ts';

const snap = (file: string, policyId: string, kind: string): RunPolicySnapshot => ({
  policyId,
  kind,
  region: 'demo',
  version: '2025.1',
  file,
  sha256: '',
  content: readFileSync(file, 'utf8'),
});
const SETTLEMENT = snap('policies/demo/dip-settlement-2025.yaml', 'demo-dip-settlement-2025', 'dip-settlement');
const DRG = snap('policies/demo/drg-2025.yaml', 'demo-drg-2025', 'drg');

describe('what-if parameters: the numbers of a run’s policy snapshot', () => {
  it('lists nested numbers with their clause (budget growth, sharing bands, level coefficients, points per RW)', () => {
    const ps = whatIfParameters([SETTLEMENT, DRG]);
    const byId = new Map(ps.map((p) => [p.id, p]));
    expect(byId.get('demo-dip-settlement-2025:budget.growthRate')?.value).toBe(0.05);
    expect(byId.get('demo-dip-settlement-2025:budget.growthRate')?.source).toMatch(/第十条/);
    expect(byId.get('demo-dip-settlement-2025:sharing.overspend.0.fundShare')?.value).toBe(0.5);
    expect(byId.get('demo-dip-settlement-2025:sharing.overspend.0.upTo')?.value).toBe(0.1);
    expect(byId.get('demo-drg-2025:levelCoefficients.2')?.value).toBe(0.9);
    expect(byId.get('demo-drg-2025:pointsPerRw')?.value).toBe(100);
    // Text values (methods, "computed") are not parameters.
    expect(ps.some((p) => p.key.startsWith('fundPaymentRatio'))).toBe(false);
  });

  it('a change rewrites only that number, keeps comments, and the file still validates as its kind', () => {
    const { snapshots, changed } = changedSnapshots(
      [SETTLEMENT, DRG],
      [{ parameter: 'demo-dip-settlement-2025:sharing.overspend.0.fundShare', value: 0.7 }],
    );
    expect([...changed]).toEqual(['demo-dip-settlement-2025']);
    expect(snapshots[1]).toBe(DRG);
    const text = snapshots[0]!.content;
    expect(text).toContain('# 示范市');
    const parsed = parsePolicy(text, 'x.yaml', POLICY_KINDS);
    const after = new Map(whatIfParameters(snapshots).map((p) => [p.id, p.value]));
    expect(after.get('demo-dip-settlement-2025:sharing.overspend.0.fundShare')).toBe(0.7);
    expect(after.get('demo-dip-settlement-2025:sharing.overspend.0.upTo')).toBe(0.1);
    expect(parsed.id).toBe('demo-dip-settlement-2025');
  });

  it('an unknown parameter is refused with zh/en words', () => {
    expect(() => changedSnapshots([SETTLEMENT], [{ parameter: 'demo-dip-settlement-2025:nothing', value: 1 }])).toThrow(
      WhatIfError,
    );
  });
});

// walk7 #10: the workbench listed 657 raw keys (`budget.growthRate`, `historyYears.years.0`) in one list, English in zh.
describe('what-if parameters in words, grouped by policy and value', () => {
  const SINGLE = snap('policies/demo/single-disease-2025.yaml', 'demo-single-disease-2025', 'single-disease');
  it('zh and en labels and groups; a ratio marked; list items by their code and name; levels in words', () => {
    const byId = new Map(whatIfParameters([SETTLEMENT, DRG, SINGLE]).map((p) => [p.id, p]));
    const growth = byId.get('demo-dip-settlement-2025:budget.growthRate')!;
    expect([growth.group, growth.label, growth.ratio]).toEqual([
      ['区域总额预算与结算 · 基金预算', 'regional budget and settlement · fund budget'],
      ['增长率', 'growth rate'],
      true,
    ]);
    const band = byId.get('demo-dip-settlement-2025:sharing.overspend.0.fundShare')!;
    expect(band.label).toEqual(['超支 · 第 1 档 · 基金分担比例', 'overspend · #1 · fund share']);
    expect(byId.get('demo-dip-settlement-2025:advanceMonths.3')!.label).toEqual(['三级', 'tertiary']);
    expect(byId.get('demo-drg-2025:pointsPerRw')!.ratio).toBe(false);
    const sd = byId.get('demo-single-disease-2025:catalog.0.standards.3')!;
    expect(sd.label[0]).toBe('SD001 急性阑尾炎 阑尾切除术 · 定额 · 三级');
    expect(sd.group[0]).toBe('按病种付费 · 病种目录');
    // No zh label holds a raw camelCase key.
    for (const p of byId.values()) expect(`${p.group[0]} ${p.label[0]}`, p.id).not.toMatch(/[a-z][A-Z]/);
  });
  it('the changes of a what-if: named, with the value in force and in words', () => {
    const { snapshots } = changedSnapshots(
      [SETTLEMENT],
      [{ parameter: 'demo-dip-settlement-2025:budget.growthRate', value: 0.1 }],
    );
    const [c, ...more] = whatIfChangesOfRun(
      [SETTLEMENT],
      snapshots,
      'what-if R1 demo-dip-settlement-2025:budget.growthRate=0.1',
    );
    expect(more).toEqual([]);
    expect([c!.inForce, c!.value]).toEqual([0.05, 0.1]);
    expect(changeText(c!, 'zh')).toBe('区域总额预算与结算 · 基金预算 · 增长率：0.05（5%） → 0.1（10%）');
    // A copied folder (settle --what-if): the command names a folder; the change is found by comparing snapshots.
    const [d] = whatIfChangesOfRun([SETTLEMENT], snapshots, 'what-if R1 wi/demo');
    expect(changeText(d!, 'en')).toBe(
      'regional budget and settlement · fund budget · growth rate: 0.05 (5%) → 0.1 (10%)',
    );
  });
});
