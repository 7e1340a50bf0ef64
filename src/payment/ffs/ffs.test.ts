import { describe, expect, it } from 'vitest';
import type { FeeItem } from '../../model/case.ts';
import { renderExplanation } from '../../model/explain.ts';
import { hasValueLabel } from '../../model/explain-labels.ts';
import { ffsKind } from '../../policy/kinds/ffs.ts';
import { runPaymentContract } from '../contract.ts';
import { resolvePolicyFile, testCase } from '../testing.ts';
import { type FfsSettlement, ffsForCase, ffsMethod, priceItem, priceItems } from './index.ts';

const policy = resolvePolicyFile(ffsKind, 'policies/demo/ffs-2025.yaml', '2025-06-30');

const item = (
  p: Partial<FeeItem> & Pick<FeeItem, 'itemCode' | 'catalogClass' | 'unitPrice' | 'quantity'>,
): FeeItem => ({
  setlId: 'S1',
  itemName: p.itemCode,
  amount: 0,
  ...p,
});

// Hand-computed (demo policy: 乙 self-pay 10 %, 乙 consumables "C…" 20 %, "YS…" wellness excluded):
//   X001 甲 12.34 × 2.5    = 30.85             in scope 30.85
//   X002 乙 19.99 × 3      = 59.97  self-pay 10 % = 5.997 → 6.00 (half-up)   in scope 53.97
//   C100 乙 100.00 × 1     = 100.00 self-pay 20 % = 20.00                    in scope 80.00
//   Z999 丙 3.33 × 0.333   = 1.10889 → 1.11 own pay
//   YS01 甲 50.00 × 1      = 50.00 excluded (wellness) → own pay
//   billed 241.93; own pay 51.11; self pay 26.00; in scope 164.82; cost sharing 10.00 → patient 87.11, fund 154.82
const items: FeeItem[] = [
  item({ itemCode: 'X001', catalogClass: 'A', unitPrice: 1234, quantity: '2.5', amount: 3080 }),
  item({ itemCode: 'X002', catalogClass: 'B', unitPrice: 1999, quantity: '3', amount: 5997 }),
  item({ itemCode: 'C100', catalogClass: 'B', unitPrice: 10_000, quantity: '1', amount: 10_000 }),
  item({ itemCode: 'Z999', catalogClass: 'C', unitPrice: 333, quantity: '0.333', amount: 111 }),
  item({ itemCode: 'YS01', catalogClass: 'A', unitPrice: 5000, quantity: '1', amount: 5000 }),
];
const s1: FfsSettlement = { setlId: 'S1', institutionCode: 'H1', date: '2025-03-10', items, patientCostSharing: 1000 };

describe('R-PAY-FFS fee-for-service (资府办函〔2018〕52号 二(五))', () => {
  it('R-PAY-FFS: price × decimal quantity is exact and rounds half-up once per item (3.33 × 0.333 → 1.11)', () => {
    expect(priceItem(items[0]!)).toBe(3085);
    expect(priceItem(items[3]!)).toBe(111);
    expect(priceItem(item({ itemCode: 'X', catalogClass: 'A', unitPrice: 1, quantity: '0.4999' }))).toBe(0);
    expect(priceItem(item({ itemCode: 'X', catalogClass: 'A', unitPrice: 1, quantity: '0.5' }))).toBe(1);
  });

  it('R-PAY-FFS: 乙 pays its self-pay share first (10 %, 20 % for the longer "C" prefix), 丙 is own pay', () => {
    const p = priceItems(items, policy);
    expect(p.map((x) => [x.amount, x.ownPay, x.selfPay, x.inScope])).toEqual([
      [3085, 0, 0, 3085],
      [5997, 0, 600, 5397],
      [10_000, 0, 2000, 8000],
      [111, 111, 0, 0],
      [5000, 5000, 0, 0],
    ]);
  });

  it('R-BEN-3: a wellness item is outside the fund whatever its catalog class', () => {
    const p = priceItems([items[4]!], policy)[0]!;
    expect(p.scope).toMatchObject({ kind: 'excluded', reason: 'wellness' });
  });

  it('R-PAY-FFS: claim 241.93 = billed; patient 51.11 + 26.00 + 10.00 = 87.11; the listed 30.80 is not trusted', () => {
    const [r] = ffsMethod.evaluate([s1], { policy });
    expect(r).toMatchObject({ unitId: 'S1', month: '2025-03', status: 'paid', billed: 24_193, patientPaid: 8711 });
    expect(r!.claim).toEqual({ kind: 'amount', amount: 24_193 });
    expect(r!.explanation[0]!.values).toMatchObject({ listedAmountDiffers: 1 });
    expect(r!.explanation.at(-1)!.values).toMatchObject({ fundPart: '154.82' });
  });

  it('R-PAY-FFS: without cost sharing given, the patient part is own pay + self-pay only and no fund part is shown', () => {
    // The same items, no deductible or coinsurance: 51.11 + 26.00 = 77.11; 164.82 in scope left to the benefit rules.
    const { patientCostSharing: _, ...bare } = s1;
    const [r] = ffsMethod.evaluate([bare], { policy });
    expect(r).toMatchObject({ billed: 24_193, patientPaid: 7711 });
    const last = r!.explanation.at(-1)!;
    expect(last.values).toEqual({ ownPay: '51.11', selfPay: '26.00', inScope: '164.82' });
    expect(last.zh).toContain('未给出起付线及共付');
  });

  it('R-BEN-3: a settlement of excluded services only is `excluded`, the patient pays all of it', () => {
    const [r] = ffsMethod.evaluate([{ setlId: 'S2', institutionCode: 'H1', date: '2025-04-01', items: [items[4]!] }], {
      policy,
    });
    expect(r).toMatchObject({ status: 'excluded', billed: 5000, patientPaid: 5000 });
  });

  it('R-PAY-FFS: cost sharing above the in-scope amount is capped at it (and shown)', () => {
    const [r] = ffsMethod.evaluate(
      [{ setlId: 'S3', institutionCode: 'H1', date: '2025-04-01', items: [items[0]!], patientCostSharing: 99_999 }],
      { policy },
    );
    expect(r).toMatchObject({ billed: 3085, patientPaid: 3085 });
    expect(r!.explanation.at(-1)!.values).toMatchObject({ costSharingAsked: '999.99', costSharing: '30.85' });
  });
});

runPaymentContract(
  'ffs',
  () => ffsMethod,
  () => [
    { label: 'empty batch', units: [], context: { policy } },
    {
      label: 'mixed settlements',
      units: [
        s1,
        { setlId: 'S2', institutionCode: 'H2', date: '2025-12-31', items: [items[4]!] },
        { setlId: 'S0', institutionCode: 'H1', date: '2025-01-01', items: [] },
        { setlId: 'S4', institutionCode: 'H2', date: '2025-07-15', items: items.slice(0, 3), patientCostSharing: 500 },
      ],
      context: { policy },
    },
  ],
  {
    unitIdOf: (s) => s.setlId,
    balances: (f, results) => [
      {
        what: 'Σ claims = Σ price × quantity over every item of the batch',
        expected: f.units.flatMap((s) => s.items).reduce((t, i) => t + priceItem(i), 0),
        actual: results.reduce((t, r) => t + (r.claim.kind === 'amount' ? r.claim.amount : 0), 0),
      },
    ],
  },
);

// The FFS trace was zh-only where it gave a reason (reasons = 体育健身、养生保健消费 in en) and its value names were
// identifiers (items, classA, ownPay …) in zh: both languages, as other methods' explanations (glossary.md).
describe('R-BEN-3 / R-PAY-FFS the fee-for-service trace in both languages', () => {
  const [r] = ffsMethod.evaluate([s1], { policy });
  const e = { subject: 'case S1', steps: r!.explanation };

  it('the exclusion reason carries both languages (demo policy: YS… is 体育健身、养生保健消费)', () => {
    expect(r!.explanation[2]!.values).toMatchObject({
      excludedItems: 1,
      excludedAmount: '50.00',
      reasons: '体育健身、养生保健消费 / fitness and wellness spending',
    });
  });

  it('zh: value names in Chinese, the reason in Chinese, no identifier', () => {
    const zh = renderExplanation(e, 'zh');
    expect(zh).toContain('甲类 = 30.85');
    expect(zh).toContain('乙类先行自付 = 26.00');
    expect(zh).toContain('不予支付的原因 = 体育健身、养生保健消费\n');
    expect(zh).toContain('基金支付 = 154.82');
    expect(zh).not.toMatch(/\b(items|classA|classB|classC|ownPay|selfPay|fundPart|excludedItems|reasons)\b/);
    expect(zh).not.toContain('fitness');
  });

  it('en: value names and the reason in English', () => {
    const en = renderExplanation(e, 'en');
    expect(en).toContain('class A (甲) = 30.85');
    expect(en).toContain('reasons excluded = fitness and wellness spending\n');
    expect(en).toContain('fund pays = 154.82');
    // The clause quoted is the policy's own (Chinese) text; no value carries Chinese.
    expect(
      en.split('\n').filter((l) => /^ {5}/.test(l) && /\p{Script=Han}/u.test(l.replace(/\([甲乙丙]\)/g, ''))),
    ).toEqual([]);
  });

  it('a settlement with nothing excluded reads 无 / none, and every FFS value key is labelled', () => {
    const [plain] = ffsMethod.evaluate([{ ...s1, items: [items[0]!] }], { policy });
    expect(plain!.explanation[2]!.values).toMatchObject({ reasons: '无' });
    expect(renderExplanation({ subject: 's', steps: plain!.explanation }, 'en')).toContain('reasons excluded = none');
    // Without cost sharing given (the year's item pricing), the last step shows the in-scope cost: labelled too.
    const { patientCostSharing: _, ...bare } = s1;
    const [noSharing] = ffsMethod.evaluate([bare], { policy });
    expect(renderExplanation({ subject: 's', steps: noSharing!.explanation }, 'zh')).toContain('政策范围内费用 = ');
    const keys = [
      r!,
      noSharing!,
      ffsForCase(testCase({ setlId: 'S3', institutionCode: 'H1' }), { zh: '出径', en: 'off pathway', source: 'x' }),
    ].flatMap((u) => u.explanation.flatMap((st) => Object.keys(st.values ?? {})));
    expect(keys.filter((k) => !hasValueLabel(k))).toEqual([]);
  });
});

describe('R-BEN-3 two exclusions met: each named once, told apart in both languages', () => {
  it('zh joined by ；(a name holds 、), en by ;; the en step text without 甲/乙/丙 alone', () => {
    const [r] = ffsMethod.evaluate(
      [
        {
          setlId: 'S4',
          institutionCode: 'H1',
          date: '2025-03-01',
          items: [
            item({ itemCode: 'GW1', catalogClass: 'A', unitPrice: 500, quantity: '1' }),
            item({ itemCode: 'YS1', catalogClass: 'B', unitPrice: 300, quantity: '1' }),
            item({ itemCode: 'JS1', catalogClass: 'B', unitPrice: 200, quantity: '1' }),
          ],
        },
      ],
      { policy },
    );
    expect(r!.explanation[2]!.values!.reasons).toBe(
      '体育健身、养生保健消费；公共卫生费用 / fitness and wellness spending; public health services',
    );
    const en = renderExplanation({ subject: 's', steps: r!.explanation }, 'en');
    expect(en).toContain('reasons excluded = fitness and wellness spending; public health services\n');
    expect(en).not.toMatch(/[^(][甲乙丙] /);
  });
});
