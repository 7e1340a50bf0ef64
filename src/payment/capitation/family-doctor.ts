/**
 * The family-doctor contract fee (家庭医生签约服务费, R-CAP-4, R-CAP-6): a fixed fee per person per year, half
 * prepaid mid-year on the contracts in force, the rest at year end for the contracted persons actually served,
 * weighted by the annual assessment, less the mid-year prepayment. The patient pays nothing for the package.
 *
 * 攀枝花医保 二类门特按病种结合人头付费试行办法 四(四)2: "家庭医生签约服务费用标准按年按人头定额付费，2021 年为 100 元/人·年。"
 * 四(五)1: "年中时，医保经办机构可依据定点医疗机构签约数据将家庭医生签约服务费的 50% 预付给签约医疗机构。"
 * 四(六)1: "家庭医生签约服务费按年度签约并提供服务总人数和人头标准计算，结合年度考核结果，扣除年中预付费用后将其余部分全部拨付给
 * 签约定点医疗机构。" 四(五)2: "家庭医生签约服务团队为二类门特患者按服务包内容提供服务的，患者本人不支付费用。"
 *
 * A person has one family-doctor contract at a time, taken from the `familyDoctorInstitution` of their class-2
 * enrolment rows: rows of one person naming the same institution merge into one contract (a switch of disease
 * does not split it), a change of institution starts a new one. `familyDoctorCount` decides what the year end
 * counts: `heads` (default, 四(六)1 "按年度签约并提供服务总人数和人头标准计算") — each contract served is one head at
 * the full standard; `days` — the fee pro-rated by contract days (a reading of 四(六)4).
 * Rounding: mid-year prepayment = heads × fee × 50 %, half-up per institution; year end: the institution's amount
 * = Σ (fee [× days ÷ days in year]) × assessment score, exact, rounded half-up once per institution and split
 * over its contracts by largest remainder.
 */
import type { TraceStep } from '../../model/explain.ts';
import type { SpecialDiseaseEnrolment } from '../../model/institution.ts';
import { type Fen, formatRatio, mulRatio, type Ratio, ratio, roundOnceAndSplit, sumRatios } from '../../model/money.ts';
import type { PaymentMethod, UnitResult } from '../../model/unit-result.ts';
import { daysInclusive } from '../../policy/dates.ts';
import { pushTo } from '../common/index-by.ts';
import { describeSplit, type IssuedSplit, shareOfSplit } from '../common/issued-split.ts';
import { addDays, byCode, clip, daysInYear, yearPeriod } from '../common/period.ts';
import { step, type TraceOption, traceFilter, yuan } from '../common/trace.ts';
import { enrolmentUnitId, validateEnrolments } from './enrolment.ts';
import {
  EXCLUDED,
  evaluatedHeadUnit,
  HEAD_STATUS,
  type HeadLine,
  headLineOf,
  type LastWords,
  lastKept,
  lineBatches,
  PAID,
  UNGROUPED,
  unitBatches,
} from './head-unit.ts';
import type { CapitationHeadsEvaluation } from './method.ts';
import type { CapitationPolicy } from './types.ts';

export interface FamilyDoctorContract {
  psnNo: string;
  institutionCode: string;
  /** Inside the settlement year, inclusive. */
  from: string;
  to: string;
}

export const contractUnitId = (c: FamilyDoctorContract): string => `${c.psnNo}/family-doctor/${c.from}`;

/**
 * Contracts of the year from enrolment rows of the capitated class. Rows in an enrolment conflict about the
 * family doctor (two institutions at once) are left out and returned in `conflicts`.
 */
export function familyDoctorContracts(
  rows: readonly SpecialDiseaseEnrolment[],
  year: number,
  capitatedClass: 1 | 2,
): { contracts: FamilyDoctorContract[]; conflicts: string[] } {
  const conflicts = new Set(
    validateEnrolments(rows, capitatedClass)
      .filter((i) => i.code === 'ENROL_TWO_FAMILY_DOCTOR' || i.code === 'ENROL_BAD_PERIOD')
      .flatMap((i) => i.unitIds),
  );
  const spans = new Map<string, { from: string; to: string }[]>(); // psn|institution → clipped periods
  const within = yearPeriod(year);
  // Most years have no conflict: then no row's unit id is made to look it up.
  const conflicted =
    conflicts.size > 0 ? (r: SpecialDiseaseEnrolment) => conflicts.has(enrolmentUnitId(r)) : () => false;
  for (const r of rows) {
    if (r.diseaseClass !== capitatedClass || !r.familyDoctorInstitution || conflicted(r)) continue;
    const p = clip({ from: r.from, to: r.to }, within);
    if (!p) continue;
    const key = `${r.psnNo}|${r.familyDoctorInstitution}`;
    pushTo(spans, key, p);
  }
  const contracts: FamilyDoctorContract[] = [];
  for (const key of [...spans.keys()].sort(byCode)) {
    const [psnNo, institutionCode] = key.split('|') as [string, string];
    const sorted = spans.get(key)!.sort((a, b) => byCode(a.from, b.from) || byCode(a.to, b.to));
    let cur: { from: string; to: string } | undefined;
    for (const p of sorted) {
      if (cur && p.from <= addDays(cur.to, 1)) {
        if (p.to > cur.to) cur.to = p.to;
      } else {
        if (cur) contracts.push({ psnNo, institutionCode, ...cur });
        cur = { ...p };
      }
    }
    if (cur) contracts.push({ psnNo, institutionCode, ...cur });
  }
  return { contracts, conflicts: [...conflicts].sort(byCode) };
}

export interface FamilyDoctorMidYear {
  institutionCode: string;
  date: string;
  heads: number;
  prepay: Fen;
  steps: TraceStep[];
}

/** Mid-year prepayment: contracts in force on the policy's mid-year day × fee × 50 %, per institution. */
export function familyDoctorMidYear(
  contracts: readonly FamilyDoctorContract[],
  policy: CapitationPolicy,
  year: number,
): FamilyDoctorMidYear[] {
  const date = `${year}-${policy.familyDoctorMidYearDate.value}`;
  const heads = new Map<string, Set<string>>();
  for (const c of contracts) {
    if (c.from <= date && date <= c.to) {
      heads.set(c.institutionCode, (heads.get(c.institutionCode) ?? new Set()).add(c.psnNo));
    }
  }
  const fee = policy.familyDoctorFee.value;
  const share = policy.familyDoctorMidYearShare.value;
  return [...heads.keys()].sort(byCode).map((code) => {
    const n = heads.get(code)!.size;
    const prepay = mulRatio(n * fee, share, 'half-up');
    return {
      institutionCode: code,
      date,
      heads: n,
      prepay,
      steps: [
        step(
          'R-CAP-4',
          policy.familyDoctorMidYearShare.source,
          `年中预付：${date} 在约 ${n} 人 × ${yuan(fee)} 元 × ${formatRatio(share, 2)}`,
          `Mid-year prepayment: ${n} contracts on ${date} × ${yuan(fee)} × ${formatRatio(share, 2)}`,
          { heads: n, fee: yuan(fee), share: formatRatio(share, 2), feeSource: policy.familyDoctorFee.source },
          yuan(prepay),
        ),
      ],
    };
  });
}

export interface FamilyDoctorAssessment {
  institutionCode: string;
  /** 年度考核得分率 (0–1). */
  score: Ratio;
}

export interface FamilyDoctorContext {
  year: number;
  policy: CapitationPolicy;
  /** Contracted persons the institution served under the package (提供服务), psn × institution. */
  served: readonly { psnNo: string; institutionCode: string }[];
  assessments: readonly FamilyDoctorAssessment[];
  /** Which contracts carry their whole trace (default all); the others carry their last step only (method.ts). */
  trace?: TraceOption;
  /** The institutions' splits as a run issued them: given, the contracts' shares are read from them (method.ts). */
  issued?: ReadonlyMap<string, IssuedSplit>;
}

export function evaluateFamilyDoctor(
  contracts: readonly FamilyDoctorContract[],
  context: FamilyDoctorContext,
): UnitResult[] {
  return evaluateFamilyDoctorSplits(contracts, context).units;
}

/** The units, and how each institution's year-end amount was split over its served contracts (by institution). */
export function evaluateFamilyDoctorSplits(
  contracts: readonly FamilyDoctorContract[],
  context: FamilyDoctorContext,
): { units: UnitResult[]; splits: Map<string, IssuedSplit> } {
  const heads = evaluateFamilyDoctorHeads(contracts, context);
  const units: UnitResult[] = [];
  for (const b of heads.batches()) for (const u of b) units.push(u);
  return { units, splits: heads.splits };
}

/**
 * The contracts evaluated without holding their units (issue 9, as `evaluateCapitationHeads`): each keeps its unit
 * id, status and steps (paid: its amount once the institution's total is split); `batches` makes the units in
 * unit-id order, anew on each call.
 */
export function evaluateFamilyDoctorHeads(
  contracts: readonly FamilyDoctorContract[],
  context: FamilyDoctorContext,
): CapitationHeadsEvaluation {
  const { policy, year } = context;
  const traced = traceFilter(context.trace);
  // The institutions that served each person (a few at most): looked up by the person's number, no key text made per
  // contract (issue 9: a province's contracts).
  const served = new Map<string, string[]>();
  for (const s of context.served) {
    const at = served.get(s.psnNo);
    if (!at) served.set(s.psnNo, [s.institutionCode]);
    else if (!at.includes(s.institutionCode)) at.push(s.institutionCode);
  }
  const scores = new Map<string, Ratio>();
  for (const a of context.assessments) {
    if (scores.has(a.institutionCode))
      throw new RangeError(`institution ${a.institutionCode} has two assessment results / 考核结果重复`);
    scores.set(a.institutionCode, a.score);
  }
  const yd = daysInYear(year);
  const fee = policy.familyDoctorFee.value;
  const byHeads = policy.familyDoctorCount.value === 'heads';
  const n = contracts.length;
  const ids: string[] = new Array(n);
  const status = new Uint8Array(n);
  /** The contract's steps: the shared last step of a contract not paid, its whole trace so far, or none (paid). */
  const steps: (TraceStep | TraceStep[] | undefined)[] = new Array(n);
  /** Served contracts' exact amounts (fen) until the institution's total is split. */
  const exact: (Ratio | undefined)[] = new Array(n);
  const month = `${year}-12`;
  // The last step of a contract not served: the same words for every such contract, one step object (never mutated).
  const notServed = step(
    'R-CAP-4',
    policy.familyDoctorAssessment.source,
    '未按服务包提供签约服务，不计入年终拨付人数',
    'No package service provided: not counted at year end',
    {},
    yuan(0),
  );
  // The last step of a contract without an assessment result: the same words for every one (never mutated).
  const noScore = step(
    'R-CAP-4',
    policy.familyDoctorAssessment.source,
    '缺少该机构的年度考核结果，暂不拨付',
    'No annual assessment result for the institution yet: not paid',
    {},
    yuan(0),
  );
  const perHead = new Map<Ratio, Ratio>();
  for (let i = 0; i < n; i++) {
    const c = contracts[i]!;
    const days = daysInclusive(c.from, c.to);
    const unitId = contractUnitId(c);
    ids[i] = unitId;
    const full = traced(unitId);
    // The contract step (whole trace only); a paid contract adds its amount step, every contract its last step.
    const own: TraceStep[] = full
      ? [
          step(
            'R-CAP-4',
            policy.familyDoctorFee.source,
            `家庭医生签约 ${c.from}..${c.to}，${days}/${yd} 天，标准 ${yuan(fee)} 元/人·年（患者不付费）`,
            `Family-doctor contract ${c.from}..${c.to}, ${days}/${yd} days, fee ${yuan(fee)} per person-year (free to the patient)`,
            { days, yearDays: yd, fee: yuan(fee) },
            `${days}/${yd}`,
          ),
        ]
      : [];
    if (!served.get(c.psnNo)?.includes(c.institutionCode)) {
      status[i] = EXCLUDED;
      steps[i] = full ? [...own, notServed] : notServed;
      continue;
    }
    const score = scores.get(c.institutionCode);
    if (!score) {
      status[i] = UNGROUPED;
      steps[i] = full ? [...own, noScore] : noScore;
      continue;
    }
    // By heads, every contract of one assessment score has the same amount: made once per score (a province's contracts).
    let amount: Ratio;
    if (byHeads) {
      let a = perHead.get(score);
      if (!a) {
        a = ratio(BigInt(fee) * score.num, score.den);
        perHead.set(score, a);
      }
      amount = a;
    } else amount = ratio(BigInt(fee) * BigInt(days) * score.num, BigInt(yd) * score.den);
    exact[i] = amount;
    if (full)
      own.push(
        byHeads
          ? step(
              'R-CAP-4',
              policy.familyDoctorCount.source,
              '签约并提供服务，计一个人头：年终应付 = 人头标准 × 考核得分率',
              'Contracted and served, one head: year-end amount = fee per head × assessment score',
              { fee: yuan(fee), score: formatRatio(score, 4) },
              formatRatio(ratio(amount.num, amount.den * 100n), 4),
            )
          : step(
              'R-CAP-4',
              policy.familyDoctorCount.source,
              '年终应付 = 标准 × 在约天数 ÷ 全年天数 × 考核得分率',
              'Year-end amount = fee × days ÷ days in year × assessment score',
              { fee: yuan(fee), days, yearDays: yd, score: formatRatio(score, 4) },
              formatRatio(ratio(amount.num, amount.den * 100n), 4),
            ),
      );
    status[i] = PAID;
    steps[i] = full ? own : undefined;
  }
  // Unit-id order (the order of every method's units).
  const order = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => {
    const x = ids[a]!;
    const y = ids[b]!;
    return x < y ? -1 : x > y ? 1 : a - b; // ties (equal ids) keep the input order, as a stable sort does
  });
  // Round once per institution (the clause computes the institution's amount), split over its contracts in unit-id
  // order; the exact amounts are released as they are split.
  const byInst = new Map<string, number[]>();
  for (const i of order) if (exact[i] !== undefined) pushTo(byInst, contracts[i]!.institutionCode, i);
  const splits = new Map<string, IssuedSplit>();
  const amounts = new Float64Array(n);
  const lastSteps = new Map<string, { zh: string; en: string; values: { institutionTotal: string } }>();
  for (const [code, heads] of byInst) {
    const parts = heads.map((i) => ({ key: ids[i]!, exact: exact[i]! }));
    let shares: number[];
    let split: IssuedSplit;
    if (context.issued) {
      const given = context.issued.get(code);
      if (!given)
        throw new RangeError(`institution ${code} has no issued family-doctor total / 机构无已下达的签约服务费`);
      split = given;
      shares = parts.map((p) => shareOfSplit(given, p.key, p.exact));
    } else {
      const r = roundOnceAndSplit(
        parts.map((p) => p.exact),
        'half-up',
      );
      shares = r.parts;
      split = describeSplit(r.total, sumRatios(parts.map((p) => p.exact)), parts, shares);
    }
    splits.set(code, split);
    const total = split.total;
    lastSteps.set(code, {
      zh: `机构年终应付合计四舍五入一次（${yuan(total)} 元），按最大余数分到各签约`,
      en: `The institution's year-end amount rounded half-up once (${yuan(total)}), split over its contracts by largest remainder`,
      values: { institutionTotal: yuan(total) }, // the institution's, shared by its contracts' steps
    });
    heads.forEach((i, k) => {
      amounts[i] = shares[k]!;
      exact[i] = undefined;
    });
  }
  const unit = (i: number): UnitResult => {
    const c = contracts[i]!;
    const code = status[i]!;
    let outcome: Parameters<typeof evaluatedHeadUnit>[8] = code;
    if (code === PAID) {
      const amount = amounts[i]!;
      const l = lastSteps.get(c.institutionCode)!;
      outcome = {
        amount,
        last: step('R-CAP-4', policy.familyDoctorAssessment.source, l.zh, l.en, l.values, yuan(amount)),
      };
    }
    return evaluatedHeadUnit(
      ids[i]!,
      c.institutionCode,
      month,
      'family-doctor',
      'family-doctor',
      0,
      0,
      steps[i],
      outcome,
    );
  };
  // A paid contract's last words are its institution's: one object per institution, shared by its lines.
  const paidWords = new Map<string, LastWords>();
  for (const [code, l] of lastSteps)
    paidWords.set(code, { rule: 'R-CAP-4', zh: l.zh, en: l.en, clause: policy.familyDoctorAssessment.source });
  const line = (i: number): HeadLine => {
    const c = contracts[i]!;
    const code = status[i]!;
    const paid = code === PAID;
    return {
      unitId: ids[i]!,
      institutionCode: c.institutionCode,
      month,
      method: 'family-doctor',
      group: 'family-doctor',
      status: HEAD_STATUS[code]!,
      amount: paid ? amounts[i]! : 0,
      billed: 0,
      patientPaid: 0,
      last: paid ? paidWords.get(c.institutionCode) : lastKept(steps[i]),
    };
  };
  return {
    splits,
    count: n,
    batches: (size = n) => unitBatches(n, order, unit, size),
    lines: (size = n) => lineBatches(n, order, line, size),
    // Contracts charge no referral fee.
    referrals: new Map(),
    referralsNotCounted: [],
  };
}

export const familyDoctorMethod: PaymentMethod<FamilyDoctorContract, FamilyDoctorContext> = {
  id: 'family-doctor',
  zh: '家庭医生签约服务费',
  en: 'Family-doctor contract fee',
  evaluate: evaluateFamilyDoctor,
};

export interface FamilyDoctorYearEndLine {
  institutionCode: string;
  servedHeads: number;
  entitlement: Fen;
  prepaid: Fen;
  /** entitlement − mid-year prepayment (negative: the institution pays back). */
  balance: Fen;
  steps: TraceStep[];
}

/** Year end per institution: Σ contract amounts − the mid-year prepayment. */
export function familyDoctorYearEnd(
  results: Iterable<UnitResult | HeadLine>,
  midYear: readonly FamilyDoctorMidYear[],
  policy: CapitationPolicy,
): FamilyDoctorYearEndLine[] {
  const acc = new Map<string, { heads: number; amount: Fen }>();
  for (const u of results) {
    if (u.method !== 'family-doctor') continue;
    const r = 'claim' in u ? headLineOf(u) : u;
    const a = acc.get(r.institutionCode) ?? { heads: 0, amount: 0 };
    if (r.status === 'paid') {
      a.heads++;
      a.amount += r.amount;
    }
    acc.set(r.institutionCode, a);
  }
  const prepaid = new Map(midYear.map((m) => [m.institutionCode, m.prepay]));
  for (const code of prepaid.keys()) if (!acc.has(code)) acc.set(code, { heads: 0, amount: 0 });
  return [...acc.keys()].sort(byCode).map((code) => {
    const a = acc.get(code)!;
    const p = prepaid.get(code) ?? 0;
    return {
      institutionCode: code,
      servedHeads: a.heads,
      entitlement: a.amount,
      prepaid: p,
      balance: a.amount - p,
      steps: [
        step(
          'R-CAP-4',
          policy.familyDoctorAssessment.source,
          `签约并提供服务 ${a.heads} 人，结合考核应付 ${yuan(a.amount)} 元，扣除年中预付 ${yuan(p)} 元后拨付其余`,
          `${a.heads} served contracts worth ${yuan(a.amount)} after assessment, less the mid-year ${yuan(p)}`,
          { entitlement: yuan(a.amount), prepaid: yuan(p) },
          yuan(a.amount - p),
        ),
      ],
    };
  });
}
