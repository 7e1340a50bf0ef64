/**
 * `yibao policy check` lists each valid file in the reader's words (glossary.md): in zh the kind by its name, not its
 * `kind:` word; an open-ended file from its start (not until 9999-12-31); the count of values with its noun.
 */
import { describe, expect, it } from 'vitest';
import { checkedLine } from './policy-commands.ts';

const file = (kind: string, to: string, values: object) => ({
  file: `policies/${kind}-2025.yaml`,
  kind,
  region: 'city02',
  id: `city02-${kind}-2025`,
  version: '2025.1',
  effective: { from: '2025-01-01', to },
  values,
});

describe('policy check: one line per valid file', () => {
  it('zh: 结算清单质控参数 · 2025-01-01 起 · 2 项参数 (no qc, no 9999-12-31)', () => {
    const line = checkedLine(file('qc', '9999-12-31', { a: 1, b: 2 }), 'zh');
    expect(line).toBe(
      '✓ policies/qc-2025.yaml  结算清单质控参数 · city02 · city02-qc-2025 v2025.1 · 2025-01-01 起 · 2 项参数',
    );
  });
  it('zh: a bounded period stays from..to; the kind payment-mix reads 支付方式组合', () => {
    expect(checkedLine(file('payment-mix', '2025-12-31', { a: 1 }), 'zh')).toBe(
      '✓ policies/payment-mix-2025.yaml  支付方式组合 · city02 · city02-payment-mix-2025 v2025.1 · 2025-01-01..2025-12-31 · 1 项参数',
    );
  });
  // walk6 #2: zh listed the kind's title, en its kind word (qc, dip-settlement): the same thing in both languages.
  it('en: the kind by its title in English (no qc), from 2025-01-01, 1 value (singular)', () => {
    expect(checkedLine(file('qc', '9999-12-31', { a: 1 }), 'en')).toBe(
      '✓ policies/qc-2025.yaml  Settlement-list quality control · city02 · city02-qc-2025 v2025.1 · from 2025-01-01 · 1 value',
    );
    expect(checkedLine(file('dip-settlement', '2025-12-31', { a: 1 }), 'en')).toContain(
      '✓ policies/dip-settlement-2025.yaml  regional point-pool budget and settlement · city02',
    );
    // A kind yibao does not know is shown as written (in both languages).
    expect(checkedLine(file('nope', '2025-12-31', { a: 1 }), 'en')).toContain('-2025.yaml  nope · city02');
    expect(checkedLine(file('dip', '2025-12-31', { a: 1, b: 2 }), 'en')).toMatch(
      /2025-01-01\.\.2025-12-31 · 2 values$/,
    );
  });
});
