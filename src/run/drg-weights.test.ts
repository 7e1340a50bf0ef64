/**
 * DRG weights named by policy (needs ../shared/reference/harbin-drg-weights; fails, never skips, without it): the
 * Harbin template with its published 2024 table next to it.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ratio } from '../model/money.ts';
import { pricingFromPolicy } from '../payment/drg/policy.ts';
import { priceDrgCase } from '../payment/drg/price.ts';
import { drgKind } from '../policy/kinds/drg.ts';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { loadPolicyDir } from '../policy/registry.ts';
import { SettlementError } from '../settlement/errors.ts';
import { policyDrgWeights } from './drg-weights.ts';

const shared = resolve(import.meta.dirname, '../../../shared/reference/harbin-drg-weights');
const dir = mkdtempSync(join(tmpdir(), 'yibao-weights-'));
copyFileSync(resolve(import.meta.dirname, '../../policies/templates/harbin-drg-2024.yaml'), join(dir, 'drg.yaml'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('DRG published weights named by the policy (哈尔滨 I 级费率 2024)', () => {
  it('a missing weights file is an error that says where to put it, in zh and en', () => {
    const policies = loadPolicyDir(dir, POLICY_KINDS);
    expect(() => policyDrgWeights(policies, 'harbin', 2024)).toThrow(SettlementError);
    expect(() => policyDrgWeights(policies, 'harbin', 2024)).toThrow(/harbin-drg-weights-2024\.csv/);
  });

  it('哈尔滨 2024: 703 published weights; GZ13 RW 0.5418 × 12,252.70 = 6,638.51 元 is paid as published, not by local weights', () => {
    copyFileSync(join(shared, 'weights_2024.csv'), join(dir, 'harbin-drg-weights-2024.csv'));
    const policies = loadPolicyDir(dir, POLICY_KINDS);
    const w = policyDrgWeights(policies, 'harbin', 2024)!;
    expect(w.table.weights.size).toBe(703);
    expect(w.table.weights.get('GZ13')!.rw).toEqual(ratio(5418n, 10000n));
    const drg = policies.resolve(drgKind, 'harbin', '2024-01-01').values;
    const r = priceDrgCase(
      {
        setlId: 'S1',
        institutionCode: 'H1',
        level: '3',
        insuranceType: 'employee',
        month: '2024-03',
        drg: 'GZ13',
        groupStatus: 'SUCCESS',
        losDays: 5,
        died: false,
        cost: 500_000,
        patientPaid: 0,
      },
      w.table,
      pricingFromPolicy(drg),
    );
    expect(r.claim).toEqual({ kind: 'amount', amount: 663_851 });
  });
});
