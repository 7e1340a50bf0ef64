/** A unit's stored basis (its last step's words and clause) is the same text with or without a batch's memo. */
import { describe, expect, it } from 'vitest';
import type { TraceStep } from '../model/explain.ts';
import { csvHeader, toCsv } from './csv.ts';
import { jsonLine } from './json.ts';
import { basisOf, basisText, batchBasis, unitRowsTable } from './unit-rows.ts';

const last = (zh: string, en: string, clause?: string): TraceStep => ({
  rule: 'R-CAP-3',
  zh,
  en,
  ...(clause ? { clause } : {}),
  values: {},
  result: '1.00',
});

describe('basisOf / batchBasis: one text per last step, made once per batch for units that share it', () => {
  it('gives each step its own words and clause, whatever came before in the batch', () => {
    const basis = batchBasis();
    const a = basis(last('机构总额', 'Institution total', '四(四)1(3)'));
    expect(a).toBe('{"zh":"机构总额","en":"Institution total","clause":"四(四)1(3)"}');
    expect(basis(last('机构总额', 'Institution total', '四(四)1(3)'))).toBe(a);
    // Same zh, another en or clause or none: not the text made before.
    expect(basis(last('机构总额', 'Total', '四(四)1(3)'))).toBe('{"zh":"机构总额","en":"Total","clause":"四(四)1(3)"}');
    expect(basis(last('机构总额', 'Total'))).toBe('{"zh":"机构总额","en":"Total"}');
    expect(basis(last('机构总额', 'Institution total', '四(六)1'))).toBe(
      '{"zh":"机构总额","en":"Institution total","clause":"四(六)1"}',
    );
    expect(basis(undefined)).toBeNull();
    expect(basisOf(undefined)).toBeNull();
    expect(basisText(a!, 'en')).toBe('Institution total [四(四)1(3)]');
  });

  it('a batch gives the same text as basisOf for every step (many distinct texts, repeated ones)', () => {
    const basis = batchBasis();
    for (let i = 0; i < 10_000; i++) {
      const step = last(`第 ${i % 97} 段`, `part ${i % 89}`, i % 3 === 0 ? undefined : `四(${i % 5})`);
      expect(basis(step)).toBe(basisOf(step));
      expect(JSON.parse(basis(step)!)).toEqual({
        zh: `第 ${i % 97} 段`,
        en: `part ${i % 89}`,
        ...(i % 3 === 0 ? {} : { clause: `四(${i % 5})` }),
      });
    }
  });
});

describe('R-DIP-6 病例结算金额 says what it is: points × year-end point value (or the fixed amount), before the fund payment ratio', () => {
  // A reader took the column for what the fund pays; the fund pays it × 基金支付比例 (the year-end statement's 年度应付).
  const t = unitRowsTable('cases', []);
  const settled = t.columns.find((c) => c.key === 'settled')!;
  it('zh and en headers name the product and the ratio not applied; the stored column id stays `settled`', () => {
    expect(settled.zh).toBe('病例结算金额（点数×年度点值或定额金额，未乘基金支付比例）');
    expect(settled.en).toBe(
      'settled amount (points × year-end point value, or the fixed amount; before the fund payment ratio)',
    );
  });
  it('the CSV header carries it (the en one quoted: it holds a comma)', () => {
    expect(csvHeader(t, 'zh')).toContain(',病例结算金额（点数×年度点值或定额金额，未乘基金支付比例）,');
    expect(csvHeader(t, 'en')).toContain(
      ',"settled amount (points × year-end point value, or the fixed amount; before the fund payment ratio)",',
    );
  });
});

describe('the per-unit sheet writes a group by its stable code (walk6) and a family-doctor contract in words', () => {
  const view = (unitId: string, group: string | null, basis: string | null) => ({
    unitId,
    institution: 'H1',
    month: '2025-03',
    method: 'dip',
    group,
    status: 'paid',
    points: 10_000_000,
    amountFen: null,
    billedFen: 1_000_000,
    patientPaidFen: 300_000,
    basis,
  });
  const basis = '{"zh":"正常","en":"normal","clause":"002 四(二)"}';
  const t = () =>
    unitRowsTable('u', [view('S1', 'K35#surgery', basis), view('S2', 'family-doctor', null)], new Map(), {
      groupNames: new Map([['K35#surgery', 'K35 综合病种（相关手术）']]),
    });
  it('zh and en CSV: the same code; the name beside it; 家庭医生签约 in zh', () => {
    const zh = toCsv(t(), 'zh').split('\r\n');
    expect(zh[1]).toContain(',K35#surgery,K35 综合病种（相关手术）,');
    expect(zh[2]).toContain(',家庭医生签约,');
    expect(toCsv(t(), 'en').split('\r\n')[1]).toContain(',K35#surgery,');
  });
  it('JSON Lines: the basis is a JSON value, not JSON inside a string', () => {
    const line = JSON.parse(jsonLine(t(), [...t().rows][0]!));
    expect(line.basis).toEqual({ zh: '正常', en: 'normal', clause: '002 四(二)' });
    expect(line.group).toBe('K35#surgery');
  });
});
