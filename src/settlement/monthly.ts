/**
 * Monthly pre-settlement (月预结算) with the quality deposit (质量保证金) and audit deductions (R-DIP-6).
 *
 * 002 四(三): "各地根据上年度统筹基金实际支付医疗机构住院费用总额的月平均值的一定比例，确定月度预结算总额……每月根据预结算总额及
 * 当月病种分数总和，与医疗机构按约定的规则进行月预结算。"
 * DIP 技术规范: 月预结算额 = (当月点数 × 预结算点值 − 患者负担) × 预结算比例 (如 90%，10% 为质量保证金) − 审核扣款.
 *
 * Rounding: with a given point value, an institution's month value = points × value rounded half-up; with the
 * monthly quota, the month's value (quota + patients' payments) is split over institutions by
 * `allocateProportional`, so the institutions' amounts before the prepay ratio add up to the quota exactly.
 * prepay = gross × ratio half-up; deposit = gross − prepay. On a negative gross the policy `negativeMonthDeposit`
 * decides: `none` (default) holds no deposit (prepay = gross), `formula` applies the same rule (a negative deposit).
 *
 * 患者负担 is that of the cases whose value the month pays: under the policy's `unpaidCases: outside` (default) an
 * ungrouped case claiming nothing has no value to net against, so its patient's payment is neither subtracted from its
 * institution's month nor added to the quota's point value; under `netted` it is, like any case's.
 */
import type { TraceStep } from '../model/explain.ts';
import {
  allocateProportional,
  compareRatios,
  divRound,
  type Fen,
  fenToYuan,
  mulRatio,
  type Ratio,
  ratio,
  ZERO,
} from '../model/money.ts';
import { formatPoints, POINT_SCALE, type Points } from '../model/points.ts';
import type { Cited } from '../policy/values.ts';
import type { AuditDeduction } from './deductions.ts';
import { formatRatioShort } from './point-value.ts';
import { emptyTotals, nettedTotals, sortedCodes, type UnitTotals } from './pool.ts';
import type { SettlementRules } from './rules.ts';
import { formatPointValue, valueOfPoints } from './value.ts';

export interface MonthlyLine {
  institutionCode: string;
  month: string;
  units: number;
  points: Points;
  amountClaims: Fen;
  pointValue: Ratio;
  /** points × point value + fixed amounts (medical-cost terms). */
  value: Fen;
  patientPaid: Fen;
  /** value − patients' payments: the fund's part. */
  gross: Fen;
  prepayRatio: Ratio;
  prepay: Fen;
  /** gross − prepay, kept as quality deposit until year end. */
  deposit: Fen;
  deductions: Fen;
  /** A negative amount carried in from earlier months (clamp-and-carry), subtracted this month; ≥ 0. */
  carriedIn?: Fen;
  /** What is left negative and carried to the next months (clamp-and-carry); ≥ 0. */
  carriedOut?: Fen;
  /** What the fund pays this month: prepay − deductions − carried in, never below 0 under clamp-and-carry. */
  payment: Fen;
  steps: TraceStep[];
}

/**
 * Whether a monthly line has no pre-settlement point value to show: it has no points and its point value is 0 — a
 * month of the monthly-quota rule with no points in the pool sets none (0 stands in for it). Statements show a blank
 * cell, and text "—", rather than a point value of 0.000000.
 */
export const noMonthPointValue = (l: Pick<MonthlyLine, 'points' | 'pointValue'>): boolean =>
  l.points === 0 && l.pointValue.num === 0n;

/** A month whose payment came out negative, as reported with the settlement (never silently paid or dropped). */
export interface NegativeMonthNotice {
  institutionCode: string;
  month: string;
  /** prepay − deductions − carried in, < 0. */
  amount: Fen;
  rule: 'clamp-and-carry' | 'pay-back';
  zh: string;
  en: string;
}

export interface MonthResult {
  month: string;
  pointValue: Ratio;
  /** The month's pre-settlement total (monthly-quota rule) or null. */
  quota: Fen | null;
  steps: TraceStep[];
  lines: MonthlyLine[];
  /** Negative months of this month (clamped and carried, or paid back). */
  notices?: NegativeMonthNotice[];
}

/**
 * The notice of a negative monthly pre-settlement (`due` < 0): clamped and carried when something is carried out,
 * else paid back. Also rebuilds the notices of a stored run from its monthly lines. `last`: the institution has no
 * later month in the year, so nothing will take the carry (it says so rather than "subtracted from later months").
 */
export function negativeMonthNotice(
  code: string,
  month: string,
  due: Fen,
  carriedOut: Fen,
  carriedIn: Fen = 0,
  last = false,
): NegativeMonthNotice {
  const clamp = carriedOut > 0;
  // A month that is negative only because of what earlier months carried in says so (it had nothing negative itself).
  const what = {
    zh:
      carriedIn > 0
        ? `月度预结算连同此前结转的 ${fenToYuan(carriedIn)} 元仍为负（${fenToYuan(due)} 元）`
        : `月度预结算为负（${fenToYuan(due)} 元）`,
    en:
      carriedIn > 0
        ? `the monthly pre-settlement, less ${fenToYuan(carriedIn)} yuan carried in from earlier months, is still negative (${fenToYuan(due)} yuan)`
        : `the monthly pre-settlement is negative (${fenToYuan(due)} yuan)`,
  };
  return {
    institutionCode: code,
    month,
    amount: due,
    rule: clamp ? 'clamp-and-carry' : 'pay-back',
    // The carry is subtracted from the year's later months; the year end takes nothing back on its own (clearing =
    // year-end amount − paid monthly − advance, and the negative month counts as 0 paid), so what is still carried
    // after the last month lapses — the year end has already settled the year on its points.
    zh: clamp
      ? last
        ? `${code} ${month} ${what.zh}：当月不付；本年度此后没有该机构的月度预结算可扣减，${fenToYuan(carriedOut)} 元年度清算也不另行扣回`
        : `${code} ${month} ${what.zh}：当月不付，${fenToYuan(carriedOut)} 元从本年度后续月份的月度预结算中扣减，年度清算不另行扣回`
      : `${code} ${month} ${what.zh}：机构当月退回`,
    en: clamp
      ? last
        ? `${code} ${month}: ${what.en}: nothing paid this month; the institution has no later monthly pre-settlement this year to subtract ${fenToYuan(carriedOut)} yuan from, and the year end takes nothing back separately`
        : `${code} ${month}: ${what.en}: nothing paid this month; ${fenToYuan(carriedOut)} yuan is subtracted from this year's later monthly pre-settlements, and the year end takes nothing back separately`
      : `${code} ${month}: ${what.en}: the institution pays it back this month`,
  };
}

/**
 * The words of the month's point-value step under the `fixed` and `opening` rules: the statements name the rule a
 * month applied by them (report/pool-month-rows.ts), so they are said once, here.
 */
export const PROVISIONAL_STEP_ZH = { fixed: '预结算点值取政策规定值', opening: '预结算点值取年初点值' } as const;

/**
 * What the monthly-quota step says of the policy's cap at the opening point value (`capAtOpening`), so a month's
 * 确定方法 names the rule that fixed its value: the quota's value under a cap it stayed within, the opening value
 * where the cap took it, or the quota's value with no cap in the policy (walk6 #4: a month read "不高于年初点值，未按
 * 年初点值封顶" whatever the policy said). Runs stored before it say neither.
 */
export const QUOTA_CAP_ZH = {
  cap: '预结算点值高于年初点值时按年初点值（政策规定按年初点值封顶）',
  none: '政策未规定按年初点值封顶',
} as const;

export function preSettleMonth(args: {
  month: string;
  byInstitution: ReadonlyMap<string, UnitTotals>;
  rules: SettlementRules;
  openingPointValue: Cited<Ratio>;
  /** Region total of last year's fund payment to the pool (for the monthly-quota rule). */
  lastYearFundPaid?: Fen;
  /** Deductions of this month by institution. */
  deductions: ReadonlyMap<string, readonly AuditDeduction[]>;
  /** Negative amounts carried in from earlier months by institution (clamp-and-carry). */
  carryIn?: ReadonlyMap<string, Fen>;
}): MonthResult {
  const { month, byInstitution, rules } = args;
  const codes = sortedCodes([...byInstitution.keys(), ...args.deductions.keys(), ...(args.carryIn?.keys() ?? [])]);
  const negativeRule = rules.negativeMonth ?? { value: 'clamp-and-carry' as const, source: '' };
  const noNegativeDeposit = (rules.negativeMonthDeposit?.value ?? 'none') === 'none';
  const unpaidOutside = (rules.unpaidCases?.value ?? 'outside') === 'outside';
  const notices: NegativeMonthNotice[] = [];
  const totals = codes.map((c) => byInstitution.get(c) ?? emptyTotals());
  const rule = rules.provisionalPointValue;
  const steps: TraceStep[] = [];
  let pointValue: Ratio;
  let values: Fen[];
  let quota: Fen | null = null;
  // A month without points (monthly-quota rule) sets no point value: its text says "—", not 0.000000.
  let noPoints = false;
  if (rule.value.kind === 'monthly-quota') {
    const lastYear = args.lastYearFundPaid ?? 0;
    quota = Number(divRound(BigInt(lastYear) * rule.value.quotaRatio.num, rule.value.quotaRatio.den * 12n, 'half-up'));
    // Special-review cases paid by items (特例单议, 按项目付费) are paid beside the quota, not out of it: the quota is
    // the month's pre-settlement total for its points (002 四(三) 根据预结算总额及当月病种分数总和), so one such case
    // cannot take the month's point value to zero for the whole pool.
    const items = totals.map((t) => t.byItems?.amount ?? 0);
    const patient = totals.reduce(
      (s, t) => s + nettedTotals(t, unpaidOutside).patientPaid - (t.byItems?.patientPaid ?? 0),
      0,
    );
    const amounts = totals.reduce((s, t, i) => s + t.amount - items[i]!, 0);
    const points = totals.reduce((s, t) => s + t.points, 0);
    const pointsPart = Math.max(0, quota + patient - amounts);
    pointValue = points > 0 ? ratio(BigInt(pointsPart) * POINT_SCALE, BigInt(points)) : ZERO;
    noPoints = points === 0;
    // Fixed amounts above quota + patients' payments: paid in full (`pay-fixed`), or within the quota (`cap`).
    const over = amounts - (quota + patient);
    const capped = over > 0 && rule.value.overQuota === 'cap';
    const total = capped ? quota + patient : points > 0 ? pointsPart + amounts : amounts;
    const weights = totals.map(
      (t, i) => BigInt(t.points) * BigInt(pointsPart) + BigInt(t.amount - items[i]!) * BigInt(points || 1),
    );
    values = weights.some((w) => w > 0n) ? allocateProportional(total, weights) : totals.map(() => 0);
    values = values.map((v, i) => v + items[i]!);
    const opening = args.openingPointValue.value;
    // The quota's point value before the cap: the first step's result is its formula's, the cap a step of its own
    // (the step read "(预结算总额 + 患者负担 − 定额金额) ÷ 当月总点数 → 11.842330", the opening value, without 定额金额).
    const fromQuota = pointValue;
    const atOpening = rule.value.capAtOpening && points > 0 && compareRatios(pointValue, opening) > 0;
    if (atOpening) {
      pointValue = opening;
      values = totals.map((t) => valueOfPoints(t.points, opening) + t.amount);
    }
    steps.push({
      rule: 'R-DIP-6',
      clause: rule.source,
      zh: `月度预结算总额 = 上年度统筹基金住院支付额 ÷ 12 × 比例；预结算点值 = (预结算总额 + 患者负担 − 当月定额金额) ÷ 当月总点数（特例单议按项目付费的病例在总额之外另付）；${rule.value.capAtOpening ? QUOTA_CAP_ZH.cap : QUOTA_CAP_ZH.none}`,
      en: `monthly quota = last year’s fund payment ÷ 12 × ratio; pre-settlement point value = (quota + patient payments − fixed amounts) ÷ the month’s points (special-review cases paid fee-for-service are paid beside the quota); ${rule.value.capAtOpening ? 'above the opening point value, the opening value (the policy caps at it)' : 'the policy sets no cap at the opening point value'}`,
      values: {
        上年度基金支付: fenToYuan(lastYear),
        比例: formatRatioShort(rule.value.quotaRatio),
        月度预结算总额: fenToYuan(quota),
        患者负担: fenToYuan(patient),
        当月定额金额: fenToYuan(amounts),
        当月总点数: formatPoints(points),
        ...(items.some((x) => x > 0) ? { 特例单议按项目付费: fenToYuan(items.reduce((s, x) => s + x, 0)) } : {}),
        // The value the cap compares with, where the policy caps.
        ...(rule.value.capAtOpening ? { 年初点值: formatPointValue(opening) } : {}),
      },
      result: noPoints ? '—' : `${formatPointValue(fromQuota)} 元/点`,
    });
    if (over > 0) {
      // A reader adding up the month finds more (or, capped, the fixed amounts scaled) than the quota: say why.
      steps.push({
        rule: 'R-DIP-6',
        clause: rule.source,
        zh: capped
          ? '当月定额金额超过月度预结算总额与患者负担之和：当月不超过月度预结算总额，定额金额按比例分配（月度预结算总额 + 患者负担），点数不得金额'
          : '当月定额金额超过月度预结算总额与患者负担之和：定额金额照付，点数不得金额，当月预结算超出月度预结算总额',
        en: capped
          ? 'the month’s fixed amounts exceed its quota plus patient payments: the month stays within its quota, the fixed amounts share (quota + patient payments) in proportion, points get nothing'
          : 'the month’s fixed amounts exceed its quota plus patient payments: they are paid in full, points get nothing, and the month pays more than its quota',
        values: {
          月度预结算总额: fenToYuan(quota),
          患者负担: fenToYuan(patient),
          当月定额金额: fenToYuan(amounts),
          超出金额: fenToYuan(over),
        },
        result: fenToYuan(capped ? quota + patient : amounts),
      });
    }
    if (atOpening) {
      steps.push({
        rule: 'R-DIP-6',
        clause: rule.source,
        zh: '预结算点值不高于年初点值：按年初点值预结算',
        en: 'capped at the opening-year point value',
        values: { 按总额测算的点值: formatPointValue(fromQuota), 年初点值: formatPointValue(opening) },
        result: `${formatPointValue(pointValue)} 元/点`,
      });
    }
  } else {
    pointValue = rule.value.kind === 'fixed' ? rule.value.pointValue : args.openingPointValue.value;
    values = totals.map((t) => valueOfPoints(t.points, pointValue) + t.amount);
    steps.push({
      rule: 'R-DIP-6',
      clause: rule.value.kind === 'fixed' ? rule.source : args.openingPointValue.source,
      zh: rule.value.kind === 'fixed' ? PROVISIONAL_STEP_ZH.fixed : PROVISIONAL_STEP_ZH.opening,
      en:
        rule.value.kind === 'fixed'
          ? 'pre-settlement point value set by policy'
          : 'pre-settlement point value = opening point value',
      result: `${formatPointValue(pointValue)} 元/点`,
    });
  }
  const prepayRatio = rules.prepayRatio.value;
  const lines = codes.map((code, i): MonthlyLine => {
    const t = totals[i]!;
    const value = values[i]!;
    // The patients' payments netted: all, or (`unpaidCases: outside`) all but those of the cases paid nothing.
    const patientPaid = nettedTotals(t, unpaidOutside).patientPaid;
    const gross = value - patientPaid;
    // The deposit is held back from what the month pays (002 四(三) "扣除保证金后按月进行预拨付"). Under
    // `negativeMonthDeposit: none` a month whose patients paid more than its points are worth pays nothing, so
    // nothing is held back — the whole negative amount is the month's; under `formula` the ratio applies as always.
    const noDeposit = gross < 0 && noNegativeDeposit;
    const prepay = noDeposit ? gross : mulRatio(gross, prepayRatio, 'half-up');
    const deposit = gross - prepay;
    const ded = args.deductions.get(code) ?? [];
    const deductions = ded.reduce((s, d) => s + d.amount, 0);
    const carriedIn = args.carryIn?.get(code) ?? 0;
    const due = prepay - deductions - carriedIn;
    const clamp = due < 0 && negativeRule.value === 'clamp-and-carry';
    const payment = clamp ? 0 : due;
    const carriedOut = clamp ? -due : 0;
    if (due < 0) notices.push(negativeMonthNotice(code, month, due, carriedOut, carriedIn));
    const lineSteps: TraceStep[] = [
      {
        rule: 'R-DIP-6',
        clause:
          gross < 0 && rules.negativeMonthDeposit
            ? `${rules.prepayRatio.source}; ${rules.negativeMonthDeposit.source}`
            : rules.prepayRatio.source,
        zh: noDeposit
          ? '月预结算 = 当月点数 × 预结算点值 + 定额金额 − 患者负担（为负：当月无可预拨，不乘预结算比例、不留质量保证金）− 审核扣款'
          : gross < 0
            ? '月预结算 = (当月点数 × 预结算点值 + 定额金额 − 患者负担) × 预结算比例 − 审核扣款；其余为质量保证金（为负：仍乘预结算比例，质量保证金为负）'
            : '月预结算 = (当月点数 × 预结算点值 + 定额金额 − 患者负担) × 预结算比例 − 审核扣款；其余为质量保证金',
        en: noDeposit
          ? 'monthly pre-settlement = points × pre-settlement point value + fixed amounts − patient payments (negative: nothing to prepay, so no prepay ratio and no quality deposit) − deductions'
          : gross < 0
            ? 'monthly pre-settlement = (points × pre-settlement point value + fixed amounts − patient payments) × prepay ratio − deductions; the rest is the quality deposit (negative: the prepay ratio still applies, so the deposit is negative)'
            : 'monthly pre-settlement = (points × pre-settlement point value + fixed amounts − patient payments) × prepay ratio − deductions; the rest is the quality deposit',
        values: {
          月份: month,
          点数: formatPoints(t.points),
          预结算点值: noPoints ? '—' : formatPointValue(pointValue),
          定额金额: fenToYuan(t.amount),
          '点数金额+定额': fenToYuan(value),
          患者负担: fenToYuan(patientPaid),
          预结算比例: formatRatioShort(prepayRatio),
          预结算额: fenToYuan(prepay),
          质量保证金: fenToYuan(deposit),
          审核扣款: fenToYuan(deductions),
          ...Object.fromEntries(ded.map((d, k) => [`扣款${k + 1} ${d.reason} (${d.source})`, fenToYuan(d.amount)])),
        },
        result: fenToYuan(payment),
      },
    ];
    const unpaid = t.unpaid;
    if (unpaid && unpaid.units > 0 && rules.unpaidCases) {
      // Said on the month's line either way, with the clause: what the fund does with a case it pays nothing for.
      const n = unpaid.units;
      const one = n === 1;
      lineSteps.push({
        rule: 'R-DIP-6',
        clause: rules.unpaidCases.source,
        zh: unpaidOutside
          ? `未入组且不计点数的病例 ${n} 例：基金不予支付，其患者负担由医疗机构留用，不冲抵当月预结算`
          : `未入组且不计点数的病例 ${n} 例：基金不予支付，其患者负担仍冲抵当月预结算`,
        en: `${n} ungrouped ${one ? 'case' : 'cases'} claiming no points: the fund pays nothing for ${one ? 'it' : 'them'}; ${
          unpaidOutside
            ? `the ${one ? 'patient’s payment stays' : 'patients’ payments stay'} with the institution, not netted against the month`
            : `the ${one ? 'patient’s payment is' : 'patients’ payments are'} still netted against the month`
        }`,
        values: {
          月份: month,
          未入组不计点数病例数: String(n),
          未入组不计点数病例患者负担: fenToYuan(unpaid.patientPaid),
        },
      });
    }
    if (carriedIn > 0 || due < 0) {
      lineSteps.push({
        rule: 'R-DIP-6',
        clause: negativeRule.source,
        zh: clamp
          ? '月度预结算为负：当月按 0 支付，负数部分从本年度后续月份的月度预结算中扣减；年度清算不另行扣回（清算支付额 = 年度清算额 − 月度已支付 − 年初预付，本月按已支付 0 计入）'
          : carriedIn > 0
            ? '扣减此前月份结转的负数'
            : '月度预结算为负：机构当月退回',
        en: clamp
          ? "negative monthly pre-settlement: 0 paid this month, the rest subtracted from this year's later monthly pre-settlements; the year end takes nothing back separately (clearing payment = year-end amount − paid monthly − advance, this month counted as 0 paid)"
          : carriedIn > 0
            ? 'the negative amount carried from earlier months is subtracted'
            : 'negative monthly pre-settlement: the institution pays it back this month',
        values: { 结转扣减: fenToYuan(carriedIn), 应付: fenToYuan(due), 结转后续: fenToYuan(carriedOut) },
        result: fenToYuan(payment),
      });
    }
    return {
      institutionCode: code,
      month,
      units: t.units,
      points: t.points,
      amountClaims: t.amount,
      pointValue,
      value,
      patientPaid,
      gross,
      prepayRatio,
      prepay,
      deposit,
      deductions,
      carriedIn,
      carriedOut,
      payment,
      steps: lineSteps,
    };
  });
  return { month, pointValue, quota, steps, lines, notices };
}
