/**
 * Monthly settlement with the lead hospital (R-MC-2) and the year-end reconciliation against the budget (R-MC-3).
 *
 * 鲁医保发〔2024〕39号 二(三): "县域医共体内各医疗机构发生的应由统筹基金支付的医疗费用，由医保经办机构按DRG/DIP付费、床日付费、
 * 人头付费等现行付费方式分类与县域医共体牵头医院做好月度结算。年终清算时，将县域医共体按各种付费方式计算获取的医保基金与县域
 * 医共体支出总额预算对账，对产生的结余或超支费用，按协议约定留用或分担……县域医共体内使用国家、省集中带量采购药品耗材的，医保
 * 部门不再单独给予集采结余留用补偿。……确因政策调整、县域医共体服务能力变化、重大公共卫生事件等客观因素导致医疗费用发生重大
 * 变化的，医保基金应给予合理补偿。"
 *
 * Per fund: actual = what the methods computed for the members at their year end (按各种付费方式计算获取的医保基金:
 * DIP points × year-end point value × fund payment ratio, capitation at what its year end pays) + the population's
 * counted spending elsewhere (县域外…); the difference to the budget is shared by the policy's bands
 * (`shareDifference`, shared with capitation) whose shares are multiplied by the assessment coefficient (R-MC-5,
 * capped at 1); approved compensation for objective causes is added, up to the overspend the community bears. The
 * community's year = what the fund bears − the counted spending elsewhere (already paid to others); clearing = that −
 * what the fund paid the members monthly (月度已支付: e.g. DIP monthly pre-settlements, not their year-end amounts) −
 * one start-of-year advance (`advanceBasis`: the community's, default, or the members' own under their methods —
 * never both). The members' own year-end clearings under their methods are not paid: the community's takes their
 * place (their issued figures are shown). Every amount is integer fen; band shares round half-up per band
 * (src/settlement/sharing.ts); the rest is sums and differences, so advance + monthly payments + clearing = the
 * community's year exactly.
 */

import { insuranceTypeShortWord } from '../model/code-words.ts';
import { clauseOf, type TraceStep } from '../model/explain.ts';
import { METHOD_ZH } from '../model/method-names.ts';
import { compareRatios, type Fen, fenToYuan, formatRatio, mulRatios, ONE, type Ratio } from '../model/money.ts';
import type { MethodId } from '../model/unit-result.ts';
import type { CompensationEntry } from '../policy/kinds/medical-community.ts';
import { type SharingBands, type SharingResult, shareDifference } from '../settlement/sharing.ts';
import type { CommunityBudget, CommunityPaymentPolicy } from './budget.ts';
import type { PerformanceResult } from './indicators.ts';
import type { MemberAdvance, MemberOwnYearEnd, MemberPayment } from './paid.ts';
import { FUNDS, type Fund, type MemberMonthResult, type PopulationSpending, type VbpBonusClaim } from './types.ts';

export interface CommunityYearInput {
  communityId: string;
  name: string;
  lead: string;
  year: number;
  members: readonly string[];
  /** One budget per fund. */
  budgets: readonly CommunityBudget[];
  memberMonths: readonly MemberMonthResult[];
  populationSpending: readonly PopulationSpending[];
  /** The registry's compensation entries (all years; this year's are used). */
  compensations: readonly CompensationEntry[];
  vbpBonusClaims?: readonly VbpBonusClaim[];
  performance: PerformanceResult;
  /**
   * What a method's own year end added to (or took from) the members' units, already in `memberMonths` in the year's
   * last month — capitation's 结余留用 / 超支分担 (004 四(六)2–3); the inpatient pool's issued 年度清算额 (every other
   * method) — shown as a step of the fund it belongs to.
   */
  yearEndAdjustments?: readonly YearEndAdjustment[];
  /**
   * What the fund actually paid the members during the year by month and fund (R-MC-2: a point pool's monthly
   * pre-settlements, capitation at what its year end pays). Absent: the methods' amounts were paid in full in their
   * months (a method without a year end of its own).
   */
  payments?: readonly MemberPayment[];
  /** The members' own start-of-year advances under their methods, by fund (deducted under `advanceBasis: members`). */
  memberAdvances?: readonly MemberAdvance[];
  /** The members' own point-pool year ends as the run issued them: not paid inside a community (shown). */
  memberYearEnds?: readonly MemberOwnYearEnd[];
}

/** A method's year end folded into a member's year (R-MC-3 "按各种付费方式计算获取的医保基金"). */
export interface YearEndAdjustment {
  institutionCode: string;
  fund: Fund;
  method: MethodId;
  /** What the units add up to (e.g. the capitation heads' total by actual heads), this fund's part. */
  units: Fen;
  /** What the method's year end pays (e.g. capitation's 基金应付), this fund's part. */
  yearEnd: Fen;
  clause: string;
}

/**
 * One month and fund with the lead hospital: what the month's units of each member come to by the methods at the
 * year end (`byMember`, `byMethod`, `total`) and what the fund paid for them that month (`paidByMember`, `paid`).
 */
export interface MonthLine {
  month: string;
  fund: Fund;
  byMember: Record<string, Fen>;
  byMethod: Partial<Record<MethodId, Fen>>;
  /** By member and method (`${member}|${method}`): the cells of the members-and-methods table. */
  byMemberMethod: Record<string, Fen>;
  total: Fen;
  paidByMember: Record<string, Fen>;
  paid: Fen;
}

export interface CompensationLine {
  entry: CompensationEntry;
  allowed: boolean;
  paid: Fen;
  /** Why the amount is what it is, in both languages (en output printed 全额补偿). */
  note: { zh: string; en: string };
}

export interface FundReconciliation {
  fund: Fund;
  budget: Fen;
  /** The start-of-year advance deducted: the community's, or the members' own (`advanceBasis`). */
  advance: Fen;
  advanceBasis: 'community' | 'members';
  /** The yardstick of the spending elsewhere (`elsewhereSpendingBasis`): the lists' 统筹基金支付, or the run's amount. */
  elsewhereBasis?: 'list' | 'run';
  /** What the methods computed for the members at their year end (按各种付费方式计算获取的医保基金). */
  methodsAmount: Fen;
  /** What the fund paid the members during the year (月度已支付). */
  paidMonthly: Fen;
  counted: { where: PopulationSpending['where']; amount: Fen }[];
  notCounted: { where: PopulationSpending['where']; amount: Fen }[];
  countedElsewhere: Fen;
  actual: Fen;
  coefficient: Ratio;
  bands: SharingBands;
  sharing: SharingResult;
  compensations: CompensationLine[];
  compensation: Fen;
  /** What the fund bears for the population's care (sharing's fundPays + compensation). */
  fundBears: Fen;
  /** The community's year: fundBears − counted spending elsewhere. */
  communityYear: Fen;
  /** > 0 the fund pays the lead hospital, < 0 the community repays (冲减应收医疗款). */
  clearing: Fen;
  steps: TraceStep[];
}

export interface CommunityYearResult {
  communityId: string;
  year: number;
  monthly: MonthLine[];
  funds: FundReconciliation[];
  vbpClaims: { claim: VbpBonusClaim; paid: Fen }[];
  /** The members' own point-pool year ends, not paid inside the community (its clearing takes their place). */
  memberYearEnds: MemberOwnYearEnd[];
  total: {
    budget: Fen;
    methodsAmount: Fen;
    paidMonthly: Fen;
    actual: Fen;
    fundBears: Fen;
    communityYear: Fen;
    advance: Fen;
    clearing: Fen;
  };
  steps: TraceStep[];
}

/** Band shares × coefficient, capped at 1 (R-MC-5, `assessmentScope: shares`). */
export function scaleBands(bands: Omit<SharingBands, 'source'>, coefficient: Ratio, source: string): SharingBands {
  const scale = (r: Ratio) => {
    const s = mulRatios(r, coefficient);
    return compareRatios(s, ONE) > 0 ? ONE : s;
  };
  return {
    surplus: bands.surplus.map((b) => ({ ...b, institutionShare: scale(b.institutionShare) })),
    overspend: bands.overspend.map((b) => ({ ...b, fundShare: scale(b.fundShare) })),
    source,
  };
}

/**
 * R-MC-2: the monthly settlement lines, by month then fund: the methods' amounts of the month's units and what the
 * fund paid that month (`payments`; absent: the amounts themselves).
 */
export function monthlySettlement(
  rows: readonly MemberMonthResult[],
  members: readonly string[],
  payments?: readonly MemberPayment[],
): MonthLine[] {
  const memberSet = new Set(members);
  const map = new Map<string, MonthLine>();
  const lineOf = (month: string, fund: Fund, code: string) => {
    if (!memberSet.has(code)) throw new RangeError(`${code} is not a member of the community (month ${month})`);
    const key = `${month}|${fund}`;
    let line = map.get(key);
    if (!line) {
      line = { month, fund, byMember: {}, byMethod: {}, byMemberMethod: {}, total: 0, paidByMember: {}, paid: 0 };
      map.set(key, line);
    }
    return line;
  };
  for (const r of rows) {
    const line = lineOf(r.month, r.fund, r.institutionCode);
    line.byMember[r.institutionCode] = (line.byMember[r.institutionCode] ?? 0) + r.fundPaid;
    line.byMethod[r.method] = (line.byMethod[r.method] ?? 0) + r.fundPaid;
    const mm = `${r.institutionCode}|${r.method}`;
    line.byMemberMethod[mm] = (line.byMemberMethod[mm] ?? 0) + r.fundPaid;
    line.total += r.fundPaid;
  }
  const paid: readonly Pick<MemberPayment, 'institutionCode' | 'month' | 'fund' | 'paid'>[] =
    payments ??
    rows.map((r) => ({ institutionCode: r.institutionCode, month: r.month, fund: r.fund, paid: r.fundPaid }));
  for (const p of paid) {
    const line = lineOf(p.month, p.fund, p.institutionCode);
    line.paidByMember[p.institutionCode] = (line.paidByMember[p.institutionCode] ?? 0) + p.paid;
    line.paid += p.paid;
  }
  return [...map.values()].sort((a, b) =>
    a.month === b.month ? (a.fund < b.fund ? -1 : 1) : a.month < b.month ? -1 : 1,
  );
}

const yuan = fenToYuan;
const CAUSE_ZH: Record<string, string> = {
  'policy-change': '政策调整',
  'capability-change': '服务能力变化',
  'public-health-event': '重大公共卫生事件',
};

function reconcileFund(
  input: CommunityYearInput,
  fund: Fund,
  budget: CommunityBudget,
  monthly: readonly MonthLine[],
  policy: CommunityPaymentPolicy,
): FundReconciliation {
  const steps: TraceStep[] = [];
  // Every step names its fund: a community's steps come once per fund (职工, then 居民).
  const fundZh = `${insuranceTypeShortWord(fund, 'zh')}医保`;
  const fundEn = `${insuranceTypeShortWord(fund, 'en')} insurance`;
  const lines = monthly.filter((m) => m.fund === fund);
  const paidMonthly = lines.reduce((s, m) => s + m.paid, 0);
  steps.push({
    rule: 'R-MC-2',
    clause: policy.sharing.source,
    zh: `${fundZh}：成员单位按现行支付方式与牵头医院月度结算，基金月度已支付（如 DIP 月度预结算额）`,
    en: `${fundEn}: members settled monthly by their methods with the lead hospital, paid monthly by the fund (e.g. DIP monthly pre-settlements)`,
    values: Object.fromEntries(lines.filter((m) => m.paid !== 0).map((m) => [m.month, yuan(m.paid)])),
    result: yuan(paidMonthly),
  });
  const methodsAmount = lines.reduce((s, m) => s + m.total, 0);
  const byMemberMethod = new Map<string, Fen>();
  for (const m of lines)
    for (const [k, v] of Object.entries(m.byMemberMethod)) byMemberMethod.set(k, (byMemberMethod.get(k) ?? 0) + v);
  steps.push({
    rule: 'R-MC-3',
    clause: policy.sharing.source,
    zh: `${fundZh}：按各种付费方式计算获取的医保基金（成员单位按支付方式年度所得，年度清算口径，不是月度已支付）`,
    en: `${fundEn}: what the methods computed for the members at their year end (the year-end basis, not what was paid monthly)`,
    values: Object.fromEntries(
      [...byMemberMethod].sort().map(([k, v]) => {
        const [code, method] = k.split('|') as [string, MethodId];
        return [`${code} ${METHOD_ZH[method] ?? method}`, yuan(v)];
      }),
    ),
    result: yuan(methodsAmount),
  });
  const fundAdjustments = (input.yearEndAdjustments ?? []).filter((a) => a.fund === fund && a.yearEnd !== a.units);
  const adjustments = fundAdjustments.filter((a) => a.method === 'capitation');
  const issued = fundAdjustments.filter((a) => a.method !== 'capitation');
  if (issued.length > 0) {
    // By member: its units valued case by case → what its statement issued (this fund's part).
    const byMember = new Map<string, { units: Fen; yearEnd: Fen }>();
    for (const a of issued) {
      const m = byMember.get(a.institutionCode) ?? { units: 0, yearEnd: 0 };
      m.units += a.units;
      m.yearEnd += a.yearEnd;
      byMember.set(a.institutionCode, m);
    }
    steps.push({
      rule: 'R-MC-3',
      clause: [...new Set(issued.map((a) => a.clause))].join('; '),
      zh: `${fundZh}：其中住院统筹池（DIP/DRG、按床日、按病种）按结算运行下达各机构的年度清算额计入（逐例估值合计 → 含结余留用、超支分担、考核系数、审核扣款及分配尾差的年度清算额，按险种与支付方式的逐例估值比例分摊，差额计入 12 月）`,
      en: `${fundEn}: of which the inpatient pool (DIP/DRG, per bed-day, single-disease) counted at the year-end amount the settlement run issued each member (units valued case by case → the year-end amount with surplus retention / overspend sharing, assessment coefficient, audit deductions and the fen of the split, shared over funds and methods in proportion to the case values; the difference in December)`,
      values: Object.fromEntries([...byMember].map(([code, m]) => [code, `${yuan(m.units)} → ${yuan(m.yearEnd)}`])),
      result: yuan(issued.reduce((s, a) => s + a.yearEnd - a.units, 0)),
    });
  }
  if (adjustments.length > 0)
    steps.push({
      rule: 'R-MC-3',
      clause: [...new Set(adjustments.map((a) => a.clause))].join('; '),
      zh: `${fundZh}：其中按人头付费按其年终清算的基金应付计入（按实际就诊人头的年度总额 → 结余留用、超支分担后的基金应付，差额计入 12 月）`,
      en: `${fundEn}: of which capitation counted at what its year end pays (the total by actual heads → the fund’s payment after surplus retention / overspend sharing; the difference in December)`,
      values: Object.fromEntries(adjustments.map((a) => [a.institutionCode, `${yuan(a.units)} → ${yuan(a.yearEnd)}`])),
      result: yuan(adjustments.reduce((s, a) => s + a.yearEnd - a.units, 0)),
    });
  const counted: FundReconciliation['counted'] = [];
  const notCounted: FundReconciliation['notCounted'] = [];
  const countedKinds = new Set<string>(policy.countedSpending.value);
  for (const s of input.populationSpending.filter((p) => p.fund === fund)) {
    (countedKinds.has(s.where) ? counted : notCounted).push({ where: s.where, amount: s.amount });
  }
  const countedElsewhere = counted.reduce((s, c) => s + c.amount, 0);
  const actual = methodsAmount + countedElsewhere;
  const whereZh = { 'outside-county': '县域外基金支出', 'in-county-non-members': '县域内非成员机构基金支出' };
  steps.push({
    rule: 'R-BUD-4',
    // The yardstick of each part, named (walk8 #3): the members count at what their methods pay at the year end; the
    // spending elsewhere at the lists' 统筹基金支付 (`list`) or, for a case the run paid, at what it paid (`run`).
    clause: clauseOf(policy.countedSpending.source, policy.elsewhereSpendingBasis.source),
    zh:
      policy.elsewhereSpendingBasis.value === 'list'
        ? `${fundZh}：纳入预算的实际支出 = 成员单位按支付方式年度所得 + 服务人群在县域外等发生的基金支出（县域外等按结算清单的统筹基金支付计，不按就医机构点数池的年终所得）`
        : `${fundZh}：纳入预算的实际支出 = 成员单位按支付方式年度所得 + 服务人群在县域外等发生的基金支出（县域外等：结算运行已付的病例按其年终所得计，即病例点数 × 年度点值 × 基金支付比例；其余按结算清单的统筹基金支付计）`,
    en:
      policy.elsewhereSpendingBasis.value === 'list'
        ? `${fundEn}: actual = what the methods computed for the members + the population’s counted fund spending elsewhere (elsewhere at the settlement lists’ pooled-fund payment, not at what the point pool of the institution that gave the care paid at the year end)`
        : `${fundEn}: actual = what the methods computed for the members + the population’s counted fund spending elsewhere (elsewhere: a case the settlement run paid at what it paid at the year end, points × year-end point value × fund payment ratio; other cases at their settlement lists’ pooled-fund payment)`,
    values: {
      成员单位按支付方式年度所得: yuan(methodsAmount),
      ...Object.fromEntries(counted.map((c) => [`${whereZh[c.where]}（纳入）`, yuan(c.amount)])),
      ...Object.fromEntries(notCounted.map((c) => [`${whereZh[c.where]}（不纳入）`, yuan(c.amount)])),
    },
    result: yuan(actual),
  });
  const coefficient = input.performance.coefficient;
  const bands = scaleBands(policy.sharing.value, coefficient, policy.sharing.source);
  const sharing = shareDifference(budget.budget, actual, bands);
  steps.push({
    rule: 'R-MC-3',
    clause: clauseOf(policy.sharing.source, policy.scoreToCoefficient.source),
    zh:
      sharing.overspend === 0
        ? `${fundZh}：结余留用：实际支出低于预算，结余按分段比例（× 考核系数）留用；基金承担 = 实际支出 + 留用`
        : `${fundZh}：超支分担：实际支出高于预算，超支按分段比例（× 考核系数）由基金分担；基金承担 = 预算 + 分担`,
    en:
      sharing.overspend === 0
        ? `${fundEn}: surplus retention by bands (shares × assessment coefficient); the fund bears actual + retained`
        : `${fundEn}: overspend sharing by bands (fund shares × assessment coefficient); the fund bears budget + its share`,
    values: {
      预算: yuan(budget.budget),
      实际支出: yuan(actual),
      考核系数: formatRatio(coefficient, 4),
      ...Object.fromEntries(
        sharing.lines.map((l, k) => [
          `分段${k + 1} ${yuan(l.from)}–${yuan(l.to)} × ${formatRatio(l.share, 4)}`,
          yuan(l.shared),
        ]),
      ),
    },
    result: yuan(sharing.fundPays),
  });

  const allowedCauses = new Set<string>(policy.compensationCauses.value);
  let room = sharing.institutionBears;
  const compensations: CompensationLine[] = input.compensations
    .filter((c) => c.year === input.year && c.fund === fund)
    .map((entry) => {
      if (!allowedCauses.has(entry.cause))
        return {
          entry,
          allowed: false,
          paid: 0,
          note: { zh: '不属于政策认可的客观因素', en: 'not an objective cause the policy recognises' },
        };
      const paid = Math.min(entry.amount, room);
      room -= paid;
      return {
        entry,
        allowed: true,
        paid,
        note:
          paid < entry.amount
            ? { zh: '补偿以医共体承担的超支为限', en: 'limited to the overspend the community bears' }
            : { zh: '全额补偿', en: 'paid in full' },
      };
    });
  const compensation = compensations.reduce((s, c) => s + c.paid, 0);
  if (compensations.length > 0)
    steps.push({
      rule: 'R-MC-3',
      clause: policy.compensationCauses.source,
      zh: `${fundZh}：客观因素合理补偿（原因、金额、审批人）`,
      en: `${fundEn}: compensation for objective causes (reason, amount, approver)`,
      values: Object.fromEntries(
        compensations.map((c, k) => [
          `补偿${k + 1} ${CAUSE_ZH[c.entry.cause]} ${c.entry.reason}（${c.entry.approver} ${c.entry.approvedOn}，核定 ${yuan(c.entry.amount)}）`,
          // Two languages (`中文 / English`, read by valueText); the key's cause is put in words by valueLabel.
          `${yuan(c.paid)}（${c.note.zh}） / ${c.note.en}: ${yuan(c.paid)}`,
        ]),
      ),
      result: yuan(compensation),
    });
  const fundBears = sharing.fundPays + compensation;
  const communityYear = fundBears - countedElsewhere;
  // R-BUD-5: one advance, never two — the community's (its budget's) or the members' own under their methods.
  const advanceBasis = policy.advanceBasis.value;
  const advance =
    advanceBasis === 'community'
      ? budget.advance
      : (input.memberAdvances ?? []).filter((a) => a.fund === fund).reduce((s, a) => s + a.amount, 0);
  const clearing = communityYear - paidMonthly - advance;
  const advanceKey = advanceBasis === 'community' ? '年初预付（医共体）' : '年初预付（成员单位按现行支付方式）';
  steps.push({
    rule: 'R-MC-3',
    clause: clauseOf(policy.sharing.source, policy.advanceBasis.source),
    zh: `${fundZh}：清算支付额 = 医共体年度应得（基金承担 − 县域外等已付） − 月度已支付 − 年初预付`,
    en: `${fundEn}: clearing payment = the community’s year (fund bears − spending elsewhere already paid) − paid monthly − start-of-year advance`,
    values: {
      基金承担: yuan(fundBears),
      县域外等已付: yuan(countedElsewhere),
      医共体年度应得: yuan(communityYear),
      月度已支付: yuan(paidMonthly),
      [advanceKey]: yuan(advance),
    },
    result: yuan(clearing),
  });
  return {
    fund,
    budget: budget.budget,
    advance,
    advanceBasis,
    elsewhereBasis: policy.elsewhereSpendingBasis.value,
    methodsAmount,
    paidMonthly,
    counted,
    notCounted,
    countedElsewhere,
    actual,
    coefficient,
    bands,
    sharing,
    compensations,
    compensation,
    fundBears,
    communityYear,
    clearing,
    steps,
  };
}

/** The community's year: monthly lines and the reconciliation of each fund against its budget. */
export function settleCommunityYear(input: CommunityYearInput, policy: CommunityPaymentPolicy): CommunityYearResult {
  const monthly = monthlySettlement(input.memberMonths, input.members, input.payments);
  const funds: FundReconciliation[] = [];
  for (const fund of FUNDS) {
    const budget = input.budgets.find((b) => b.fund === fund);
    if (!budget) {
      if (monthly.some((m) => m.fund === fund))
        throw new RangeError(`${input.communityId}: no ${fund} budget but ${fund} results`);
      continue;
    }
    funds.push(reconcileFund(input, fund, budget, monthly, policy));
  }
  const steps: TraceStep[] = [];
  const vbpClaims = (input.vbpBonusClaims ?? []).map((claim) => ({
    claim,
    paid: policy.vbpSurplusBonus.value ? claim.amount : 0,
  }));
  if (vbpClaims.length > 0)
    steps.push({
      rule: 'R-MC-3',
      clause: policy.vbpSurplusBonus.source,
      zh: policy.vbpSurplusBonus.value
        ? '集采结余留用另行补偿'
        : '医共体内使用集采药品耗材，不再单独给予集采结余留用补偿',
      en: policy.vbpSurplusBonus.value
        ? 'volume-procurement surplus bonus paid separately'
        : 'no separate volume-procurement surplus bonus inside a community',
      values: Object.fromEntries(
        vbpClaims.map((v) => [
          `${v.claim.institutionCode} ${insuranceTypeShortWord(v.claim.fund, 'zh')}`,
          yuan(v.claim.amount),
        ]),
      ),
      result: yuan(vbpClaims.reduce((s, v) => s + v.paid, 0)),
    });
  const vbpPaid = vbpClaims.reduce((s, v) => s + v.paid, 0);
  const memberYearEnds = [...(input.memberYearEnds ?? [])].sort((a, b) =>
    a.institutionCode < b.institutionCode ? -1 : 1,
  );
  // R-BUD-5: one advance, never two (`advanceBasis`): under `community` the community's own advance is deducted and
  // the members' own advances under their methods were never paid; under `members` those are the ones deducted.
  const byCommunity = policy.advanceBasis.value === 'community';
  if (memberYearEnds.length > 0)
    steps.push({
      rule: 'R-MC-3',
      clause: clauseOf(policy.sharing.source, policy.advanceBasis.source),
      zh: byCommunity
        ? '成员单位按现行支付方式的年度清算（结算运行所出）不另行支付：其年度清算额计入上面的“按支付方式年度所得”，已支付的月度预结算由医共体清算扣减；年初预付只有医共体按预算预付的一笔，由医共体清算扣减，下列成员单位按现行支付方式的年初预付不予支付'
        : '成员单位按现行支付方式的年度清算（结算运行所出）不另行支付：其年度清算额计入上面的“按支付方式年度所得”，已支付的月度预结算和下列成员单位按现行支付方式已付的年初预付由医共体清算扣减（医共体不另行预付）',
      en: byCommunity
        ? 'the members’ own year ends under their methods (as the run issued them) are not paid separately: their year-end amounts count in what the methods computed above, and what was paid monthly is deducted by the community’s clearing; the one start-of-year advance is the community’s own, from its budget, deducted by its clearing, and the members’ own advances under their methods shown here are not paid'
        : 'the members’ own year ends under their methods (as the run issued them) are not paid separately: their year-end amounts count in what the methods computed above, and what was paid monthly and the members’ own start-of-year advances under their methods shown here are deducted by the community’s clearing (the community pays no advance of its own)',
      values: Object.fromEntries(
        memberYearEnds.map((m) => [
          `${m.institutionCode} 年度清算额 − 月度已支付 − 年初预付`,
          `${yuan(m.yearEnd)} − ${yuan(m.monthlyPaid)} − ${yuan(m.advance)} = ${yuan(m.clearing)}`,
        ]),
      ),
      result:
        '不另行支付（由医共体清算支付额代替） / not paid separately: the community’s clearing payment takes its place',
    });
  const sum = (f: (r: FundReconciliation) => Fen) => funds.reduce((s, r) => s + f(r), 0);
  return {
    communityId: input.communityId,
    year: input.year,
    monthly,
    funds,
    vbpClaims,
    memberYearEnds,
    total: {
      budget: sum((r) => r.budget),
      methodsAmount: sum((r) => r.methodsAmount),
      paidMonthly: sum((r) => r.paidMonthly),
      actual: sum((r) => r.actual),
      fundBears: sum((r) => r.fundBears) + vbpPaid,
      communityYear: sum((r) => r.communityYear) + vbpPaid,
      advance: sum((r) => r.advance),
      clearing: sum((r) => r.clearing) + vbpPaid,
    },
    steps,
  };
}
