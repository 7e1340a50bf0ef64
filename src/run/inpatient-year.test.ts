import { describe, expect, it } from 'vitest';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { parsePolicy } from '../policy/loader.ts';
import { PolicySet } from '../policy/registry.ts';
import { caseMethodFor } from './inpatient-year.ts';

const mix = (method: string) =>
  new PolicySet([
    parsePolicy(
      `kind: payment-mix
region: r
id: r-mix
version: "1"
title: t
effective: { from: 2025-01-01, to: 2025-12-31 }
values:
  inpatientCaseMethod: { value: ${method}, source: "示范细则 第三条" }
`,
      'mix.yaml',
      POLICY_KINDS,
    ),
  ]);

describe('R-PAY-DIP / R-PAY-DRG: the region switches its inpatient method by its payment-mix policy', () => {
  it('the policy decides when no method is given', () => {
    expect(caseMethodFor(mix('dip'), 'r', 2025)).toBe('dip');
    expect(caseMethodFor(mix('drg'), 'r', 2025)).toBe('drg');
  });

  it('an explicit choice wins; an unknown one is an error; no policy for the year is an error', () => {
    expect(caseMethodFor(mix('dip'), 'r', 2025, 'drg')).toBe('drg');
    expect(() => caseMethodFor(mix('dip'), 'r', 2025, 'ffs')).toThrow(/dip \| drg/);
    expect(() => caseMethodFor(mix('dip'), 'r', 2026)).toThrow(/payment-mix/);
  });
});
