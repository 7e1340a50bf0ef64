/**
 * The warnings a settlement run gave are kept with it (a new user saw the DIP missing-history-year warning once, on
 * the terminal; `runs` and the statement did not show it). R-DIP-2 (DIP 技术规范 前三年 1:2:7 加权): a history
 * year without cases leaves its weight to the others, said with the weights applied; R-BUD-2: an implausible budget.
 */
import { describe, expect, it } from 'vitest';
import { ratio } from '../model/money.ts';
import type { RunDerived } from '../store/settlement-runs.ts';
import { toJson } from './results.ts';
import { inpatientYearWarnings, RUN_WARNINGS_KIND, runWarningsDerived, storedRunWarnings } from './run-warnings.ts';

const HISTORY = {
  code: 'HISTORY_YEAR_MISSING',
  zh: 'DIP 历史年度 2023（权重 2）没有病例：……权重 1:7 重新归一为 2022 12.5%、2024 87.5%',
  en: 'DIP history year(s) 2023 (weight 2) have no cases: … the weights 1:7 renormalised to 2022 12.5%, 2024 87.5%',
};

/** A reader holding only derived entries. */
const readerOf = (rows: RunDerived[]) => ({
  derived: async (kind: string) => rows.filter((r) => r.kind === kind),
});

describe('run warnings: what settle printed is kept with the run', () => {
  it('an inpatient year’s warnings: the budget’s (its words without the "!" mark), then the history year’s', () => {
    const w = inpatientYearWarnings({
      dip: { catalog: { warnings: [{ code: 'OUT_OF_YEARS', zh: 'x', en: 'x' }, HISTORY] } } as never,
      budgetWarning: {
        kind: 'low',
        budget: 100_000,
        lastYearFundPaid: 1_000_000,
        bound: ratio(1n, 2n),
        source: '结算政策 budgetPlausibility',
      },
    });
    expect(w.map((x) => x.code)).toEqual(['BUDGET_LOW', 'HISTORY_YEAR_MISSING']);
    // 1000.00 < 0.5 × 10000.00: the budget line as settle printed it, without its leading "  ! ".
    expect(w[0]!.zh).toMatch(/^基金预算 1000\.00 元 不到上年度基金支付 10000\.00 元 的 0\.5 倍：/);
    expect(w[0]!.en).toMatch(/^the fund budget 1000\.00 yuan is below 0\.5 × last year's pooled-fund payment/);
    expect(w[1]).toEqual(HISTORY);
    expect(inpatientYearWarnings({})).toEqual([]);
  });
  it('stored as the run’s derived `run-warnings` and read back in order; none stored when there are none', async () => {
    const rows = runWarningsDerived('p', [HISTORY]);
    expect(rows).toEqual([{ kind: RUN_WARNINGS_KIND, name: 'p', content: toJson([HISTORY]) }]);
    expect(await storedRunWarnings(readerOf(rows))).toEqual([HISTORY]);
    expect(runWarningsDerived('p', [])).toEqual([]);
  });
  it('a run stored before warnings were kept: its history-year warning from its stored DIP catalog', async () => {
    const catalog = {
      id: 'c',
      warnings: [
        { code: 'OUT_OF_YEARS', zh: 'x', en: 'x' },
        { ...HISTORY, subject: 's' },
      ],
    };
    const reader = readerOf([{ kind: 'dip-catalog', name: 'c', content: toJson(catalog) }]);
    expect(await storedRunWarnings(reader)).toEqual([HISTORY]);
    expect(await storedRunWarnings(readerOf([]))).toEqual([]);
  });
});

describe('run warnings: an unknown institution in advanceMonths.byInstitution (R-BUD-5)', () => {
  it('H9 (a typo for H1) is not an institution of the store: said in zh and en, after the budget and history warnings', () => {
    const w = inpatientYearWarnings({
      dip: { catalog: { warnings: [HISTORY] } } as never,
      unknownAdvanceInstitutions: { codes: ['H9'], source: '000 §4' },
    });
    expect(w.map((x) => x.code)).toEqual(['HISTORY_YEAR_MISSING', 'ADVANCE_INSTITUTION_UNKNOWN']);
    expect(w[1]!.zh).toBe(
      '结算政策 advanceMonths.byInstitution 中的 H9 不是本库的定点医疗机构：其年初预付月数未用于任何机构，未列名的机构按其级别的月数预付（000 §4）',
    );
    expect(w[1]!.en).toBe(
      "settlement policy advanceMonths.byInstitution names H9, not an institution of the store: its start-of-year advance months apply to no one, and an institution not named there is advanced by its level's months (000 §4)",
    );
    expect(inpatientYearWarnings({ unknownAdvanceInstitutions: { codes: [], source: 's' } })).toEqual([]);
  });
});
