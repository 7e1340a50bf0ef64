/** The resolver for a settlement year: one set of values per year, a mid-year change refused with a clear error. */
import { describe, expect, it } from 'vitest';
import { PolicyError } from './errors.ts';
import { POLICY_KINDS } from './kinds/index.ts';
import { qcKind } from './kinds/qc.ts';
import { parsePolicy } from './loader.ts';
import { PolicySet } from './registry.ts';

const file = (maxLos: string, effective = '{ from: 2025-01-01, to: 2025-12-31 }', id = 'demo-qc-2025') =>
  parsePolicy(
    `kind: qc
region: demo
id: ${id}
version: "2025.1"
title: 质控参数
effective: ${effective}
values:
  maxLosDays: ${maxLos}
  maxAgeYears: { value: 130, source: "质控规则 1.2" }
  newbornWeightG: { value: { min: 100, max: 9999 }, source: "结算清单填写规范" }
  losToleranceDays: { value: 1, source: "质控规则 1.4" }
`,
    `policies/${id}.yaml`,
    POLICY_KINDS,
  );

describe('settlement honours mid-year dated values or refuses them', () => {
  it('one value for the year: resolved as of 1 January', () => {
    const set = new PolicySet([file('{ value: 365, source: "质控规则 1.1" }')]);
    expect(set.resolveYear(qcKind, 'demo', 2025).values.maxLosDays.value).toBe(365);
  });

  it('a value dated 2025-07-01 is refused, naming the value and the date, never silently settled on January’s', () => {
    const set = new PolicySet([
      file(`
    - { from: 2025-01-01, to: 2025-06-30, value: 365, source: "质控规则 1.1" }
    - { from: 2025-07-01, value: 180, source: "质控规则 1.1 (2025-07 修订)" }`),
    ]);
    try {
      set.resolveYear(qcKind, 'demo', 2025);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PolicyError);
      expect((e as PolicyError).code).toBe('POLICY_MIDYEAR_CHANGE');
      expect((e as PolicyError).zh).toContain('maxLosDays (2025-07-01)');
      expect((e as PolicyError).en).toContain('maxLosDays (2025-07-01)');
    }
    // a date-resolved look-up (QC of one case) still sees the dated value
    expect(set.resolve(qcKind, 'demo', '2025-08-01').values.maxLosDays.value).toBe(180);
  });

  it('a second file taking over on 1 July is refused too', () => {
    const set = new PolicySet([
      file('{ value: 365, source: "质控规则 1.1" }', '{ from: 2025-01-01, to: 2025-06-30 }', 'qc-h1'),
      file('{ value: 180, source: "质控规则 1.1 修订" }', '{ from: 2025-07-01, to: 2025-12-31 }', 'qc-h2'),
    ]);
    expect(() => set.resolveYear(qcKind, 'demo', 2025)).toThrow(/qc-h2/);
  });
});
