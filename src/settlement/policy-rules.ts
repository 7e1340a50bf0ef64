/**
 * The `dip-settlement` policy as the shared settlement layer's rules and budget rule (R-BUD-2, R-BUD-5, R-DIP-6).
 * Point values in policy are yuan per point; the settlement layer works in fen per point.
 *
 * 002 四(三): "总额控制、按月预付、月预结算、年度清算".
 */
import type { InstitutionLevel } from '../model/institution.ts';
import { type Ratio, ratio } from '../model/money.ts';
import type { ResolvedValues } from '../policy/kind.ts';
import type { dipSettlementKind } from '../policy/kinds/dip-settlement.ts';
import type { Cited } from '../policy/values.ts';
import type { BudgetRule } from './budget.ts';
import type { SettlementRules } from './rules.ts';

/** The shared settlement policy (区域总额预算 + 点数法结算) as resolved; it serves DIP and DRG pools alike. */
export type PoolSettlementPolicy = ResolvedValues<typeof dipSettlementKind>;

const yuanPerPoint = (r: Ratio): Ratio => ratio(r.num * 100n, r.den);

export function settlementRules(p: PoolSettlementPolicy): SettlementRules {
  const pv = p.pointValue.value;
  const prov = p.provisionalPointValue.value;
  const adv: Partial<Record<InstitutionLevel, Ratio>> = {};
  const { byInstitution: advByInstitution, ...advByLevel } = p.advanceMonths.value;
  for (const [k, v] of Object.entries(advByLevel)) if (v) adv[k as InstitutionLevel] = v;
  const sharing = p.sharing.value;
  return {
    fundPaymentRatio: {
      value:
        p.fundPaymentRatio.value === 'computed'
          ? { kind: 'computed' }
          : { kind: 'given', ratio: p.fundPaymentRatio.value },
      source: p.fundPaymentRatio.source,
    },
    pointValue: {
      value:
        pv.method === 'floating'
          ? { kind: 'floating' }
          : pv.method === 'fixed'
            ? { kind: 'fixed', pointValue: yuanPerPoint(pv.value) }
            : {
                kind: 'elastic',
                fixedShare: pv.fixedShare,
                ...(pv.fixedValue ? { fixedPointValue: yuanPerPoint(pv.fixedValue) } : {}),
              },
      source: p.pointValue.source,
    },
    provisionalPointValue: {
      value:
        prov.method === 'opening'
          ? { kind: 'opening' }
          : prov.method === 'monthly-quota'
            ? {
                kind: 'monthly-quota',
                quotaRatio: prov.quotaRatio,
                ...(prov.capAtOpening ? { capAtOpening: true } : {}),
                ...(prov.overQuota ? { overQuota: prov.overQuota } : {}),
              }
            : { kind: 'fixed', pointValue: yuanPerPoint(prov.value) },
      source: p.provisionalPointValue.source,
    },
    prepayRatio: p.prepayRatio,
    negativeMonth: p.negativeMonth,
    negativeMonthDeposit: p.negativeMonthDeposit,
    unpaidCases: p.unpaidCases,
    pointValueChange: { value: p.pointValueChange.value.maxChange, source: p.pointValueChange.source },
    advanceMonths: { value: adv, source: p.advanceMonths.source },
    ...(advByInstitution ? { advanceMonthsByInstitution: advByInstitution } : {}),
    sharing: {
      value:
        sharing === 'none'
          ? null
          : {
              surplus: sharing.surplus.map((b) => ({
                ...(b.upTo ? { upTo: b.upTo } : {}),
                institutionShare: b.institutionShare,
              })),
              overspend: sharing.overspend.map((b) => ({
                ...(b.upTo ? { upTo: b.upTo } : {}),
                fundShare: b.fundShare,
              })),
              source: p.sharing.source,
            },
      source: p.sharing.source,
    },
    defaultAssessment: p.defaultAssessment,
  };
}

export function budgetRule(p: PoolSettlementPolicy): Cited<BudgetRule> {
  const b = p.budget.value;
  const value: BudgetRule =
    b.method === 'items'
      ? {
          kind: 'items',
          revenue: b.revenue,
          // The schema takes exactly one of the two.
          ...(b.reserveRatio !== undefined ? { reserveRatio: b.reserveRatio } : { reserveAmount: b.reserve ?? 0 }),
          deductions: b.deductions.map((d) => ({
            item: d.item,
            ...(d.en ? { en: d.en } : {}),
            amount: d.amount,
            ...(d.source ? { source: d.source } : {}),
          })),
        }
      : b.method === 'growth'
        ? { kind: 'growth', growthRate: b.growthRate }
        : { kind: 'given', amount: b.amount };
  return { value, source: p.budget.source };
}
