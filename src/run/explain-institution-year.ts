/**
 * An institution's whole year as a stored run issued it (`yibao explain settlement INST`, the API's statement): one
 * part per payment method with its steps, and the total.
 *
 * - 住院: the inpatient pool (DIP or DRG, with the per-bed-day and single-disease cases it carves out) — the budget,
 *   point value, each month's pre-settlement, the year end (fund payment ratio, surplus retention / overspend
 *   sharing against the item billing, assessment, audit deductions), the advance and the clearing payment, as the
 *   run stored them (R-DIP-6); before them, what each method's cases claimed, with their 病例结算金额 as the run split
 *   them, adding up to the statement's 点数金额+定额.
 * - 按人头付费: the monthly prepayments and the year end by actual heads (R-CAP-4/5), and 家庭医生签约服务费: the
 *   mid-year prepayment and the year end by assessment (R-CAP-4), as the run stored them (`capitation-year-end`).
 * - 按项目付费: the item billing of the year's settlements (R-PAY-FFS); it is what the inpatient year end compares
 *   with, not a payment of its own, so it adds nothing to the total.
 * - 合计: Σ year-end amounts, Σ paid before the year end, Σ clearing payments — equal to the statements' figures to the
 *   fen, since every figure is read from what the run issued; nothing is settled again.
 *
 * 000 §3 "建立管用高效的医保支付机制……对不同医疗服务特点推行多元复合式医保支付方式".
 */
import type { TraceStep } from '../model/explain.ts';
import { METHOD_EN, METHOD_ZH } from '../model/method-names.ts';
import { type Fen, fenToYuan } from '../model/money.ts';
import { formatPoints } from '../model/points.ts';
import type { MethodId } from '../model/unit-result.ts';
import { perDiemKind } from '../policy/kinds/per-diem.ts';
import { singleDiseaseKind } from '../policy/kinds/single-disease.ts';
import { SettlementError } from '../settlement/errors.ts';
import { badPeriod, explainSettlement, unknownInstitution } from '../settlement/explain.ts';
import type { InstitutionSettlement } from '../settlement/settle.ts';
import type { RunMethodSumRow, RunResultsReader, SettlementRunRecord } from '../store/settlement-runs.ts';
import { capitationPoolId } from './capitation-heads.ts';
import { policyChanges, poolRules, type RunExplanation, snapshotPolicies } from './explain-run.ts';
import { caseAmountRoundings, readPoolSettlement } from './results.ts';
import { readStoredCapitationYearEnd, type StoredCapitationYearEnd } from './stored-capitation-year-end.ts';

/** One payment method's part of an institution's year. */
export interface YearPart {
  /** `inpatient` (the DIP/DRG pool with its carve-outs), `capitation`, `family-doctor`, `ffs`. */
  part: 'inpatient' | 'capitation' | 'family-doctor' | 'ffs';
  zh: string;
  en: string;
  /**
   * What the method pays for the period, fen: the inpatient 年度清算额, capitation's 基金应付, the family doctor's
   * 结合考核应付 (a month: what was paid that month); null when the part pays nothing of its own (ffs) or the run did
   * not store it.
   */
  dueFen: Fen | null;
  /** Paid before the year end, fen (advance + monthly payments, monthly prepayments, the mid-year prepayment). */
  paidFen: Fen | null;
  /** due − paid: > 0 the fund pays, < 0 the institution pays back (a month: null). */
  clearingFen: Fen | null;
  /** Where the figures stand in the statements. */
  statement: { zh: string; en: string };
  steps: TraceStep[];
}

export interface InstitutionYearExplanation extends RunExplanation {
  institution: string;
  period: string;
  parts: YearPart[];
  /** Σ over the parts that pay (fen); clearing null for a month. */
  total: { dueFen: Fen; paidFen: Fen; clearingFen: Fen | null };
}

const yuan = fenToYuan;

/** The statement a part's figures are read from, in both languages. */
const STATEMENT: Record<YearPart['part'], { zh: string; en: string }> = {
  inpatient: {
    zh: '年度清算单（年度清算额、年初预付、月度已支付、清算支付额）',
    en: 'the year-end statement (year-end amount, start-of-year advance, paid monthly, clearing payment)',
  },
  capitation: {
    zh: '按人头付费年终清算表（基金应付、已预付、清算额）',
    en: 'the capitation year-end sheet (fund pays, prepaid, clearing)',
  },
  'family-doctor': {
    zh: '家庭医生签约服务费表（年中预付、结合考核应付、年终拨付）',
    en: 'the family-doctor fee sheet (mid-year prepayment, due after assessment, year-end payment)',
  },
  ffs: { zh: '按项目计价明细（不另行支付）', en: 'the item billing (not a payment of its own)' },
};

/**
 * The institution's whole year (period `YYYY`, default the run's year) or one month (`YYYY-MM`: that month's
 * pre-settlement and prepayments) from the stored run. An institution in none of the run's parts is an error naming the
 * institutions it holds.
 */
export async function explainInstitutionYear(
  reader: RunResultsReader,
  record: SettlementRunRecord,
  institution: string,
  period?: string,
): Promise<InstitutionYearExplanation> {
  const p = period ?? String(record.year);
  const pool = (await reader.pools())[0];
  const s = pool ? await readPoolSettlement(reader, record.region, record.year, pool.poolId, institution) : undefined;
  const inst = s?.institutions.find((i) => i.institutionCode === institution);
  const cap = await readStoredCapitationYearEnd(reader);
  const capLine = cap?.lines.find((l) => l.institutionCode === institution);
  const capPrepay = cap?.prepayments.find((x) => x.institutionCode === institution);
  const fdMid = cap?.familyDoctor.midYear.find((x) => x.institutionCode === institution);
  const fdEnd = cap?.familyDoctor.yearEnd.find((x) => x.institutionCode === institution);
  const ffsPool = `${record.region}-ffs-${record.year}`;
  const ffs = record.methods.includes('ffs') ? await unitSums(reader, ffsPool, institution) : new Map();
  const capUnits =
    record.methods.includes('capitation') && !cap
      ? await unitSums(reader, capitationPoolId(record.region, record.year), institution)
      : new Map();
  if (!inst && !capLine && !capPrepay && !fdMid && !fdEnd && ffs.size === 0 && capUnits.size === 0) {
    if (!pool || !s) throw new RangeError(`run ${record.id} has no pool`);
    const codes = new Set((await reader.institutionYear(pool.poolId)).map((y) => y.institution));
    for (const l of cap?.lines ?? []) codes.add(l.institutionCode);
    for (const l of cap?.familyDoctor.yearEnd ?? []) codes.add(l.institutionCode);
    throw unknownInstitution(
      pool.poolId,
      institution,
      [...codes].sort(),
      s.summary !== undefined && Number(s.summary.totalPoints) === 0,
    );
  }
  if (p !== String(record.year) && !new RegExp(`^${record.year}-(0[1-9]|1[0-2])$`).test(p))
    throw badPeriod(record.year, p);
  const month = p.length === 7 ? p : undefined;
  // The inpatient explanation says when the institution had no pre-settlement in the month.
  const hasOther = Boolean(capLine || capPrepay || fdMid || fdEnd);
  let inpatientExplained: ReturnType<typeof explainSettlement> | undefined;
  try {
    inpatientExplained = inst && s ? explainSettlement(s, institution, p) : undefined;
  } catch (e) {
    // A month without discharges still has the institution's capitation prepayment: that part alone.
    if (!(e instanceof SettlementError && e.code === 'NO_MONTH' && hasOther)) throw e;
  }

  const parts: YearPart[] = [];
  if (inst && s && inpatientExplained) {
    const methods = await methodLines(reader, record, s.poolId, institution, inst, month);
    const steps = poolRules(inpatientExplained.steps, record.caseMethod);
    parts.push(inpatientPart(record, inst, month, [...methods, ...steps]));
  }
  if (cap) {
    if (capLine || capPrepay) parts.push(capitationPart(cap, capLine, capPrepay, month));
    if (fdMid || fdEnd) {
      const fd = familyDoctorPart(fdMid, fdEnd, month);
      if (fd) parts.push(fd);
    }
  } else if (capUnits.size > 0) parts.push(notStoredCapitationPart(record));
  if (ffs.size > 0 && !month) parts.push(ffsPart(ffs.get('ffs')!));

  // A month in which no method paid the institution anything (only item billing, or a family-doctor fee paid mid-year).
  if (parts.length === 0)
    throw new SettlementError(
      'NO_MONTH',
      `机构 ${institution} 在 ${p} 没有月度预结算或预付；全年用 --period ${record.year}`,
      `no monthly pre-settlement or prepayment for ${institution} in ${p}; the whole year: --period ${record.year}`,
    );
  const paying = parts.filter((x) => x.dueFen !== null);
  const total = {
    dueFen: paying.reduce((a, x) => a + (x.dueFen ?? 0), 0),
    paidFen: paying.reduce((a, x) => a + (x.paidFen ?? 0), 0),
    clearingFen: month ? null : paying.reduce((a, x) => a + (x.clearingFen ?? 0), 0),
  };
  const numbered = parts.map((x, i) => ({ ...x, zh: `${ZH_NUMBERS[i]}、${x.zh}`, en: `Part ${i + 1} — ${x.en}` }));
  const steps = [
    ...numbered.flatMap((x) => [headingStep(x, month), ...x.steps]),
    ...totalSteps(numbered, total, month),
  ];
  return {
    subject: s && inst ? `settlement ${institution} ${p} (${s.poolId})` : `settlement ${institution} ${p}`,
    ...(inpatientExplained?.pointFree ? { pointFree: true } : {}),
    steps,
    run: record.id,
    policyChanges: policyChanges(await reader.policies()),
    institution,
    period: p,
    parts: numbered,
    total,
  };
}

const ZH_NUMBERS = ['一', '二', '三', '四', '五', '六', '七', '八'];

type UnitSum = RunMethodSumRow;

/**
 * The institution's units of a pool summed by method (a month: of that month), excluded units left out: one SQL
 * aggregate in the store (issue 9), not its cases read one by one.
 */
async function unitSums(
  reader: RunResultsReader,
  poolId: string,
  institution: string,
  month?: string,
): Promise<Map<string, UnitSum>> {
  const rows = await reader.methodSums({ poolId, institution, ...(month ? { month } : {}) });
  return new Map(rows.map((r) => [r.method, r]));
}

const METHOD_RULE: Record<string, string> = {
  dip: 'R-PAY-DIP',
  drg: 'R-PAY-DRG',
  'per-diem': 'R-PAY-BEDDAY',
  'single-disease': 'R-PAY-DISEASE',
};

const methodZh = (m: string) => METHOD_ZH[m as MethodId] ?? m;
const methodEn = (m: string) => METHOD_EN[m as MethodId] ?? m;

/**
 * What each method's cases of the institution claimed in the inpatient pool (the year, or a month): cases, points,
 * fixed amounts and, where the run split them (`caseAmountRounding`), their 病例结算金额 — which add up to the
 * statement's 点数金额+定额 for the year. Each step cites the method's policy option: per-bed-day paid as points or
 * amounts (`settleAs`), the single-disease catalog; DIP/DRG the settlement policy's split rule.
 */
async function methodLines(
  reader: RunResultsReader,
  record: SettlementRunRecord,
  poolId: string,
  institution: string,
  inst: InstitutionSettlement,
  month: string | undefined,
): Promise<TraceStep[]> {
  const sums = await unitSums(reader, poolId, institution, month);
  if (sums.size === 0) return [];
  const snapshots = await reader.policies();
  const rounding = (await caseAmountRoundings(reader)).get(poolId);
  // A month's pre-settlement values its points at that month's point value, not the year's: the cases' 病例结算金额
  // (year-end value) are the year's figures only.
  const split = !month && rounding !== undefined && rounding.value !== 'none';
  const order = [record.caseMethod, 'per-diem', 'single-disease'];
  const methods = [...sums.keys()].sort((a, b) => rank(order, a) - rank(order, b) || (a < b ? -1 : 1));
  const clauseOf = (m: string): { clause?: string; zh: string; en: string } => {
    try {
      if (m === 'per-diem') {
        const v = snapshotPolicies(snapshots, [perDiemKind.kind]).resolveYear(perDiemKind, record.region, record.year)
          .values.settleAs;
        return v.value === 'points'
          ? {
              clause: v.source,
              zh: '床日标准折算为点数（政策选项：按点数）',
              en: 'daily rates converted to points (option: points)',
            }
          : {
              clause: v.source,
              zh: '按床日标准定额支付（政策选项：按金额）',
              en: 'paid at the daily rates (option: amounts)',
            };
      }
      if (m === 'single-disease') {
        const v = snapshotPolicies(snapshots, [singleDiseaseKind.kind]).resolveYear(
          singleDiseaseKind,
          record.region,
          record.year,
        ).values.catalog;
        return { clause: v.source, zh: '按病种目录的定额支付', en: 'paid at the catalog’s fixed standards' };
      }
    } catch {
      // a snapshot without the method's policy (a run of another shape): the step cites none
    }
    return rounding
      ? { clause: rounding.source, zh: '按点数付费', en: 'paid by points' }
      : { zh: '按点数付费', en: 'paid by points' };
  };
  const steps: TraceStep[] = methods.map((m) => {
    const a = sums.get(m)!;
    const how = clauseOf(m);
    const settled = split && a.settledUnits === a.units;
    return {
      rule: METHOD_RULE[m] ?? 'R-PAY',
      ...(how.clause ? { clause: how.clause } : {}),
      zh: `${methodZh(m)}：${a.units} 例，${how.zh}${settled ? '；病例结算金额按本结算运行存储的分配' : ''}`,
      en: `${methodEn(m)}: ${a.units} ${a.units === 1 ? 'case' : 'cases'}, ${how.en}${settled ? '; settled amounts as the run split them' : ''}`,
      values: {
        病例数: a.units,
        点数: formatPoints(a.points),
        定额金额: yuan(a.amountFen),
        ...(settled ? { 病例结算金额合计: yuan(a.settledFen) } : {}),
      },
      ...(settled ? { result: yuan(a.settledFen) } : {}),
    };
  });
  // The methods' amounts add up to the statement's 点数金额+定额 (the year; a month's are the month's cases).
  const all = [...sums.values()];
  const settledAll = split && all.every((a) => a.settledUnits === a.units);
  const sumSettled = all.reduce((x, a) => x + a.settledFen, 0);
  if (settledAll)
    steps.push({
      rule: 'R-DIP-6',
      ...(rounding ? { clause: rounding.source } : {}),
      zh: '各支付方式病例结算金额合计 = 年度清算单的点数金额+定额',
      en: 'the methods’ settled amounts add up to the statement’s points value + fixed amounts',
      values: Object.fromEntries([
        ...methods.map((m) => [`${methodZh(m)} / ${methodEn(m)}`, yuan(sums.get(m)!.settledFen)]),
        ['点数金额+定额', yuan(inst.value)],
      ]),
      result: yuan(sumSettled),
    });
  return steps;
}

const rank = (order: readonly string[], m: string) => {
  const i = order.indexOf(m);
  return i < 0 ? order.length : i;
};

function inpatientPart(
  record: SettlementRunRecord,
  inst: InstitutionSettlement,
  month: string | undefined,
  steps: TraceStep[],
): YearPart {
  const carved = ['per-diem', 'single-disease'].filter((m) => record.methods.includes(m));
  const zh = `住院（${methodZh(record.caseMethod)}${carved.length ? `，含${carved.map(methodZh).join('、')}` : ''}）`;
  const en = `Inpatient (${methodEn(record.caseMethod)}${carved.length ? `, with ${carved.map(methodEn).join(' and ')}` : ''})`;
  if (month) {
    const line = inst.monthly.find((l) => l.month === month);
    return {
      part: 'inpatient',
      zh,
      en,
      dueFen: line?.payment ?? 0,
      paidFen: line?.payment ?? 0,
      clearingFen: null,
      statement: { zh: '月度预结算单（月度已支付）', en: 'the monthly pre-settlement statement (paid monthly)' },
      steps,
    };
  }
  return {
    part: 'inpatient',
    zh,
    en,
    dueFen: inst.yearEnd,
    paidFen: inst.advance + inst.monthlyPaid,
    clearingFen: inst.clearing,
    statement: STATEMENT.inpatient,
    steps,
  };
}

function capitationPart(
  cap: StoredCapitationYearEnd,
  line: StoredCapitationYearEnd['lines'][number] | undefined,
  prepay: StoredCapitationYearEnd['prepayments'][number] | undefined,
  month: string | undefined,
): YearPart {
  const o = cap.options;
  const cliff = o.overspendReading.value === 'cliff';
  const reading: TraceStep = {
    rule: 'R-CAP-5',
    clause: o.overspendReading.source,
    zh: cliff
      ? '超支分担口径（政策选项：断崖）：超支达到最后一段界值时全部由机构承担'
      : '超支分担口径（政策选项：分段）：超支按段分担，界值以内部分基金与机构按比例分担，超出部分由机构承担',
    en: cliff
      ? 'overspend reading (option: cliff): an overspend at or beyond the last band’s edge is all the institution’s'
      : 'overspend reading (option: bands): the overspend is shared band by band, beyond the last edge the institution’s alone',
  };
  const zh = METHOD_ZH.capitation;
  const en = 'Capitation';
  if (month) {
    const m = prepay?.months.find((x) => x.month === month);
    return {
      part: 'capitation',
      zh,
      en,
      dueFen: m?.prepay ?? 0,
      paidFen: m?.prepay ?? 0,
      clearingFen: null,
      statement: { zh: '按人头付费按月预付表（预付额）', en: 'the capitation monthly prepayment sheet (prepaid)' },
      steps: [
        ...(prepay?.steps ?? []),
        {
          rule: 'R-CAP-4',
          clause: o.prepayShare.source,
          zh: `${month} 按月预付`,
          en: `prepaid for ${month}`,
          values: { 月度总额: yuan(m?.monthlyTotal ?? 0), 预付额: yuan(m?.prepay ?? 0) },
          result: yuan(m?.prepay ?? 0),
        },
      ],
    };
  }
  const prepaid = line?.prepaid ?? prepay?.prepaidTotal ?? 0;
  const due = line?.fundPays ?? 0;
  return {
    part: 'capitation',
    zh,
    en,
    dueFen: due,
    paidFen: prepaid,
    clearingFen: line?.clearing ?? due - prepaid,
    statement: STATEMENT.capitation,
    steps: [...(prepay?.steps ?? []), reading, ...(line?.steps ?? [])],
  };
}

function familyDoctorPart(
  mid: StoredCapitationYearEnd['familyDoctor']['midYear'][number] | undefined,
  end: StoredCapitationYearEnd['familyDoctor']['yearEnd'][number] | undefined,
  month: string | undefined,
): YearPart | undefined {
  const zh = METHOD_ZH['family-doctor'];
  const en = 'The family-doctor contract fee';
  if (month) {
    if (!mid || mid.date.slice(0, 7) !== month) return undefined;
    return {
      part: 'family-doctor',
      zh,
      en,
      dueFen: mid.prepay,
      paidFen: mid.prepay,
      clearingFen: null,
      statement: STATEMENT['family-doctor'],
      steps: mid.steps,
    };
  }
  const prepaid = end?.prepaid ?? mid?.prepay ?? 0;
  const due = end?.entitlement ?? 0;
  return {
    part: 'family-doctor',
    zh,
    en,
    dueFen: due,
    paidFen: prepaid,
    clearingFen: end?.balance ?? due - prepaid,
    statement: STATEMENT['family-doctor'],
    steps: [...(mid?.steps ?? []), ...(end?.steps ?? [])],
  };
}

/** A run stored before its capitation year end was kept: named, never settled again. */
function notStoredCapitationPart(record: SettlementRunRecord): YearPart {
  return {
    part: 'capitation',
    zh: METHOD_ZH.capitation,
    en: 'Capitation',
    dueFen: null,
    paidFen: null,
    clearingFen: null,
    statement: STATEMENT.capitation,
    steps: [
      {
        rule: 'R-CAP-5',
        zh: `结算运行 ${record.id} 早于存储按人头付费年终清算结果，此处不列按人头付费及家庭医生签约服务费的金额（不重新结算）；见该运行的按人头付费报表，或重新结算后再解释`,
        en: `settlement run ${record.id} was stored before capitation year ends were kept, so the capitation and family-doctor amounts are not listed here (nothing is settled again); see the run's capitation statements, or settle again and explain`,
      },
    ],
  };
}

function ffsPart(a: UnitSum): YearPart {
  return {
    part: 'ffs',
    zh: METHOD_ZH.ffs,
    en: 'Fee-for-service',
    dueFen: null,
    paidFen: null,
    clearingFen: null,
    statement: STATEMENT.ffs,
    steps: [
      {
        rule: 'R-PAY-FFS',
        zh: `按项目计价 ${a.units} 笔结算（单价 × 数量）：本结算运行中按项目计价用于与住院病种付费比较（见住院部分的结余留用/超支分担），不另行支付，不计入合计`,
        en: `${a.units} ${a.units === 1 ? 'settlement' : 'settlements'} priced item by item (price × quantity): in this run the item billing is what the inpatient payment is compared with (the inpatient part's surplus retention / overspend sharing), not a payment of its own; not in the total`,
        values: {
          结算笔数: a.units,
          项目金额: yuan(a.billedFen),
          患者负担: yuan(a.patientPaidFen),
          基金部分: yuan(a.billedFen - a.patientPaidFen),
        },
      },
    ],
  };
}

function headingStep(x: YearPart, month: string | undefined): TraceStep {
  const rule: Record<YearPart['part'], string> = {
    inpatient: 'R-DIP-6',
    capitation: month ? 'R-CAP-4' : 'R-CAP-5',
    'family-doctor': 'R-CAP-4',
    ffs: 'R-PAY-FFS',
  };
  if (x.dueFen === null)
    return {
      rule: rule[x.part],
      zh: `${x.zh}：${x.statement.zh}`,
      en: `${x.en}: ${x.statement.en}`,
    };
  if (month)
    return {
      rule: rule[x.part],
      zh: `${x.zh}：${month} 支付 ${yuan(x.dueFen)} 元（${x.statement.zh}）`,
      en: `${x.en}: paid ${yuan(x.dueFen)} for ${month} (${x.statement.en})`,
      values: { 当月支付: yuan(x.dueFen) },
      result: yuan(x.dueFen),
    };
  return {
    rule: rule[x.part],
    zh: `${x.zh}：年度应得 ${yuan(x.dueFen)} 元 − 年内已支付 ${yuan(x.paidFen ?? 0)} 元 = 清算 ${yuan(x.clearingFen ?? 0)} 元（${x.statement.zh}）`,
    en: `${x.en}: due for the year ${yuan(x.dueFen)} − paid during the year ${yuan(x.paidFen ?? 0)} = clearing ${yuan(x.clearingFen ?? 0)} (${x.statement.en})`,
    values: { 年度应得: yuan(x.dueFen), 年内已支付: yuan(x.paidFen ?? 0), 清算: yuan(x.clearingFen ?? 0) },
    result: yuan(x.clearingFen ?? 0),
  };
}

/** The total of the parts that pay: Σ due, Σ paid, Σ clearing (a month: Σ paid that month). */
function totalSteps(
  parts: readonly YearPart[],
  total: InstitutionYearExplanation['total'],
  month: string | undefined,
): TraceStep[] {
  const paying = parts.filter((x) => x.dueFen !== null);
  const left = parts.filter((x) => x.dueFen === null);
  const names = (f: (x: YearPart) => string) => paying.map(f).join(' + ') || '—';
  const note = left.length
    ? {
        zh: `；不计入：${left.map((x) => x.zh).join('、')}`,
        en: `; not in the total: ${left.map((x) => x.en).join(', ')}`,
      }
    : { zh: '', en: '' };
  const each = (f: (x: YearPart) => Fen | null) =>
    Object.fromEntries(paying.map((x) => [`${x.zh} / ${x.en}`, yuan(f(x) ?? 0)]));
  if (month)
    return [
      {
        rule: 'R-PAY',
        zh: `合计：${month} 各支付方式支付 = ${names((x) => x.zh)}${note.zh}`,
        en: `total: paid for ${month} by every method = ${names((x) => x.en)}${note.en}`,
        values: each((x) => x.dueFen),
        result: yuan(total.dueFen),
      },
    ];
  return [
    {
      rule: 'R-PAY',
      zh: `合计：全年应得 = ${names((x) => x.zh)}${note.zh}`,
      en: `total: due for the year = ${names((x) => x.en)}${note.en}`,
      values: each((x) => x.dueFen),
      result: yuan(total.dueFen),
    },
    {
      rule: 'R-PAY',
      zh: '合计：年内已支付（年初预付、月度已支付、按月预付、年中预付）',
      en: 'total: paid during the year (advance, monthly payments, monthly and mid-year prepayments)',
      values: each((x) => x.paidFen),
      result: yuan(total.paidFen),
    },
    {
      rule: 'R-PAY',
      zh: '合计：清算支付额 = 全年应得 − 年内已支付（正数基金补付，负数机构退回）',
      en: 'total: clearing payment = due for the year − paid during the year (> 0 the fund pays, < 0 the institution pays back)',
      values: { 全年应得: yuan(total.dueFen), 年内已支付: yuan(total.paidFen) },
      result: yuan(total.clearingFen ?? 0),
    },
  ];
}
