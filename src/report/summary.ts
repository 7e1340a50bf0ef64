/**
 * A short text summary of a settled point pool for the terminal (`yibao demo`, `yibao dip settle`). Pure.
 */

import { divRound, type Fen, fenToYuan, ratio } from '../model/money.ts';
import { formatPoints } from '../model/points.ts';
import type { BudgetWarning } from '../settlement/budget-check.ts';
import { formatRatioShort } from '../settlement/point-value.ts';
import type { FixedBaseRate, PointValueWarning, PoolSettlement, UnpaidCasesSummary } from '../settlement/settle.ts';
import { formatPointValue } from '../settlement/value.ts';
import { type CommunityMembers, memberSummaryLines } from './community-members.ts';
import { methodLabel, pointValueRuleLabel, statusCountText } from './labels.ts';

export function poolSummaryText(
  s: PoolSettlement,
  lang: 'zh' | 'en' = 'zh',
  /** Members of communities settled under a global budget: their advances and clearings said not paid (R-MC-3). */
  members: CommunityMembers = new Map(),
): string {
  const r = s.summary;
  const zh = lang === 'zh';
  const status = Object.entries(r.byStatus)
    .sort()
    .map(([k, v]) => statusCountText(k, v, lang))
    .join(zh ? '，' : ', ');
  // Units by the method that priced them (a case paid by another method is counted there, once).
  const counts = new Map<string, number>();
  for (const g of s.groups) counts.set(g.method, (counts.get(g.method) ?? 0) + g.units);
  const byMethod = [...counts].filter(([, n]) => n > 0);
  // zh text takes full-width punctuation （）：；(codes and figures aside); en the ASCII one.
  const c = zh ? '：' : ': ';
  const semi = zh ? '；' : '; ';
  const paren = (x: string) => (zh ? `（${x}）` : ` (${x})`);
  // Every money figure with its unit (元 / yuan), not only the budget's.
  const yuan = (fen: Fen) => `${fenToYuan(fen)} ${zh ? '元' : 'yuan'}`;
  const noPointValue = r.baseRate !== undefined && Number(r.totalPoints) === 0;
  const lines = [
    noPointValue
      ? zh
        ? `${s.region} ${s.year} 结算池 ${s.poolId}（DRG 费率法）`
        : `${s.region} ${s.year} settlement pool ${s.poolId} (DRG base-rate method)`
      : zh
        ? `${s.region} ${s.year} 点数池 ${s.poolId}`
        : `${s.region} ${s.year} point pool ${s.poolId}`,
    `  ${zh ? '病例' : 'cases'}${c}${r.units} = ${byMethod.map(([m, n]) => `${methodLabel(m, lang)} ${n}`).join(' + ') || '0'}${paren(status)}`,
    `  ${zh ? '医疗机构' : 'institutions'}${c}${r.institutions}`,
    // A DRG pool at a fixed 费率 has no points and no point value (walk5 #5): its rate and fixed amounts instead.
    ...(r.baseRate
      ? [`  ${baseRateText(r.baseRate, lang)}`, `  ${zh ? '定额结算金额' : 'fixed amounts'}${c}${yuan(r.amountClaims)}`]
      : []),
    ...(noPointValue ? [] : [`  ${zh ? '总点数' : 'total points'}${c}${formatPoints(r.totalPoints)}`]),
    `  ${zh ? '基金预算' : 'fund budget'}${c}${yuan(r.fund)}`,
    `  ${zh ? '基金支付比例' : 'fund payment ratio'}${c}${formatRatioShort(s.fundPaymentRatio)}`,
    ...(noPointValue
      ? []
      : [
          `  ${zh ? '年初点值 / 年度点值' : 'opening / year-end point value'}${c}${formatPointValue(s.openingPointValue)} ${zh ? '元/点' : 'yuan/point'} / ${Number(r.totalPoints) === 0 ? (zh ? '—（本年无点数）' : '— (no points this year)') : `${formatPointValue(s.pointValue.pointValue)} ${zh ? '元/点' : 'yuan/point'}`}${paren(pointValueRuleLabel(s.pointValue.rule, lang))}`,
        ]),
    `  ${zh ? '年度清算额合计' : 'year-end total'}${c}${yuan(r.yearEnd)}${semi}${zh ? '年初预付' : 'start-of-year advance'} ${yuan(r.advance)}${semi}${zh ? '月度已支付' : 'paid monthly'} ${yuan(r.monthlyPaid)}${semi}${zh ? '清算支付额' : 'clearing payment'} ${yuan(r.clearing)}`,
    ...memberSummaryLines(s, members, lang),
    `  ${zh ? '基金结余（+）/超支（−）' : 'fund balance'}${c}${yuan(r.fundBalance)}${semi}${zh ? '结余机构' : 'institutions with surplus'} ${r.institutionsWithSurplus}/${r.institutions}`,
  ];
  const sr = r.specialReview;
  if (sr && sr.units > 0)
    lines.push(
      zh
        ? `  特例单议：${sr.units} 例，点数 ${formatPoints(sr.points)}，按项目付费 ${fenToYuan(sr.amountClaims)} 元，付费额 ${fenToYuan(sr.value)} 元，基金应付 ${fenToYuan(sr.fund)} 元`
        : `  special review: ${sr.units} ${sr.units === 1 ? 'case' : 'cases'}, points ${formatPoints(sr.points)}, fee-for-service ${fenToYuan(sr.amountClaims)} yuan, payment ${fenToYuan(sr.value)} yuan, payable by the fund ${fenToYuan(sr.fund)} yuan`,
    );
  // The ungrouped cases (未入组): what they cost, their pooled-fund payment by the settlement lists and what of it the
  // fund did not pay (walk6 #1: "未支付 15000.00" was the whole cost, the patients' 4,500.00 in it, where the fund left
  // 10,500.00 unpaid). A run stored before the fund's figures were kept shows the cost and the payment only.
  const ug = r.ungrouped;
  if (ug && ug.units > 0) {
    const cases = zh ? `${ug.units} 例` : `${ug.units} ${ug.units === 1 ? 'case' : 'cases'}`;
    const fund =
      ug.fundByItems !== undefined && ug.fundPaid !== undefined && ug.fundUnpaid !== undefined
        ? zh
          ? `，其中统筹基金支付 ${yuan(ug.fundByItems)}；付费额 ${yuan(ug.value)}，基金应付 ${yuan(ug.fundPaid)}；统筹基金支付中未支付 ${yuan(ug.fundUnpaid)}`
          : `, of which pooled-fund payment ${yuan(ug.fundByItems)}; payment ${yuan(ug.value)}, payable by the fund ${yuan(ug.fundPaid)}; pooled-fund payment left unpaid ${yuan(ug.fundUnpaid)}`
        : zh
          ? `，付费额 ${yuan(ug.value)}`
          : `, payment ${yuan(ug.value)}`;
    lines.push(
      zh
        ? `  未入组：${cases}，医疗费用总额 ${yuan(ug.billed)}${fund}`
        : `  ungrouped: ${cases}, total medical cost ${yuan(ug.billed)}${fund}`,
    );
  }
  if (r.unpaidCases) lines.push(`  ${unpaidCasesText(r.unpaidCases, lang)}`);
  if (r.pointValueWarning) lines.push(`  ! ${pointValueWarningText(r.pointValueWarning, lang)}`);
  for (const n of s.notices ?? []) lines.push(`  ! ${zh ? n.zh : n.en}`);
  return lines.join('\n');
}

/**
 * The cases the pool paid nothing for and what the settlement policy's `unpaidCases` did with their patients'
 * payments (R-DIP-6), in one line.
 */
export function unpaidCasesText(u: UnpaidCasesSummary, lang: 'zh' | 'en' = 'zh'): string {
  const n = u.units;
  if (lang === 'zh') {
    const how =
      u.rule === 'outside'
        ? '基金不予支付，患者负担由医疗机构留用，不冲抵月度预结算，不计入基金支付比例'
        : '基金不予支付，患者负担仍冲抵月度预结算，计入基金支付比例';
    return `其中未入组且不计点数：${n} 例，医疗费用总额 ${fenToYuan(u.billed)} 元，患者负担 ${fenToYuan(u.patientPaid)} 元——${how}（依据：${u.source}）`;
  }
  const how =
    u.rule === 'outside'
      ? 'the fund pays nothing; the patients’ payments stay with the institutions, are not netted against the months and are left out of the fund payment ratio'
      : 'the fund pays nothing; the patients’ payments are still netted against the months and counted in the fund payment ratio';
  return `of which ungrouped and claiming no points: ${n} ${n === 1 ? 'case' : 'cases'}, total medical cost ${fenToYuan(u.billed)} yuan, patient payments ${fenToYuan(u.patientPaid)} yuan — ${how} (source: “${u.source}”)`;
}

/** yearEnd ÷ opening to two decimals, half-up (shown; the check compares the exact ratios). */
const timesText = (w: PointValueWarning): string => {
  const hundredths = divRound(w.change.num * 100n, w.change.den, 'half-up');
  const s = hundredths.toString().padStart(3, '0');
  return `${s.slice(0, -2)}.${s.slice(-2)}`;
};

/**
 * A year-end point value far from the opening-year one (the settlement policy's `pointValueChange`), as one warning
 * line with both values, the change and the bound: what to check, and that the year was settled all the same.
 */
export function pointValueWarningText(w: PointValueWarning, lang: 'zh' | 'en' = 'zh'): string {
  const ye = formatPointValue(w.yearEnd);
  const op = formatPointValue(w.opening);
  const bound = formatRatioShort(ratio(w.maxChange.num * 100n, w.maxChange.den));
  const times = timesText(w);
  if (lang === 'zh')
    return `年度点值 ${ye} 元/点 是年初点值 ${op} 元/点 的 ${times} 倍，相差超过 ${bound}%：请核对结算政策的 budget 与本年的点数（未入组、不计点数的病例越多，点值越高）。本次已按政策结算；核对界值见结算政策的 pointValueChange（依据：${w.source}）`;
  return `the year-end point value ${ye} yuan/point is ${times} × the opening point value ${op} yuan/point, a change of more than ${bound}%: check the settlement policy's budget and the year's points (the more cases earn no points, the higher the value). The year was settled as the policy says; the bound is the settlement policy's pointValueChange, source: “${w.source}”`;
}

/**
 * A budget implausible for the region as one warning line with both figures and the bound (R-BUD-2; the settlement
 * policy's `budgetPlausibility`): what to check, and that the budget was applied as the policy says.
 */
export function budgetWarningText(w: BudgetWarning, lang: 'zh' | 'en' = 'zh'): string {
  const budget = fenToYuan(w.budget);
  const last = fenToYuan(w.lastYearFundPaid);
  const bound = formatRatioShort(w.bound);
  if (lang === 'zh') {
    const head =
      w.kind === 'zero'
        ? `基金预算为 ${budget} 元（上年度基金支付 ${last} 元）：年度点值将为 0`
        : w.kind === 'low'
          ? `基金预算 ${budget} 元 不到上年度基金支付 ${last} 元 的 ${bound} 倍`
          : `基金预算 ${budget} 元 超过上年度基金支付 ${last} 元 的 ${bound} 倍`;
    return `  ! ${head}：请核对结算政策的 budget（金额单位是元；是否仍是模板的示例金额）。本次已按政策的预算结算；核对界值见结算政策的 budgetPlausibility（依据：${w.source}）`;
  }
  const head =
    w.kind === 'zero'
      ? `the fund budget is ${budget} yuan (last year's pooled-fund payment ${last} yuan): the year-end point value will be 0`
      : w.kind === 'low'
        ? `the fund budget ${budget} yuan is below ${bound} × last year's pooled-fund payment ${last} yuan`
        : `the fund budget ${budget} yuan is above ${bound} × last year's pooled-fund payment ${last} yuan`;
  return `  ! ${head}: check the settlement policy's budget (amounts are in yuan; is it still the template's example?). The year was settled with the policy's budget; the bound (${bound} ×) is the settlement policy's budgetPlausibility, source: “${w.source}”`;
}

/**
 * The fixed base rate of a DRG pool at a fixed 费率 (R-PAY-DRG: 费率法, 支付标准 = RW × 费率 × 等级系数), one line:
 * one rate, or the employee and resident rates when they differ.
 */
export function baseRateText(b: FixedBaseRate, lang: 'zh' | 'en' = 'zh'): string {
  if (lang === 'zh') {
    const rate =
      b.employee === b.resident
        ? `${fenToYuan(b.employee)} 元/RW`
        : `职工 ${fenToYuan(b.employee)} 元/RW，居民 ${fenToYuan(b.resident)} 元/RW`;
    return `费率：${rate}（费率法，固定费率：支付标准 = RW × 费率 × 等级系数，不计点数）`;
  }
  const rate =
    b.employee === b.resident
      ? `${fenToYuan(b.employee)} yuan/RW`
      : `employees ${fenToYuan(b.employee)} yuan/RW, residents ${fenToYuan(b.resident)} yuan/RW`;
  return `base rate: ${rate} (base-rate method, fixed rate: payment standard = RW × base rate × level coefficient, no points)`;
}
