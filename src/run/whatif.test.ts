import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { parsePolicy } from '../policy/loader.ts';
import type { RunPolicySnapshot } from '../store/settlement-runs.ts';
import { changedSnapshots, WhatIfError, whatIfParameters } from './whatif.ts';

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
