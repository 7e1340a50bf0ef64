/**
 * Row builders for settlement statements of any point pool (src/settlement): per-institution monthly
 * pre-settlement statements (月度预结算单), annual statements (年度清算单), the region summary (统筹区汇总) and
 * group surplus/overspend (病种结余超支). Pure. (R-DIP-6, R-BUD-2, R-BUD-5)
 */
import { formatRatio, type Ratio, ratio, yuanToFen } from '../model/money.ts';
import { formatPoints } from '../model/points.ts';
import { noMonthPointValue } from '../settlement/monthly.ts';
import type { PoolSettlement } from '../settlement/settle.ts';
import {
  type CommunityMembers,
  type CommunityMembership,
  communityText,
  memberNote,
  membersInPool,
} from './community-members.ts';
import { groupLabel, levelLabel, methodLabel, pointValueRuleLabel, statusLabel } from './labels.ts';
import { baseRateText, pointValueWarningText } from './summary.ts';
import { col, type Row, type Table } from './table.ts';

/** Institution names by code (机构名称), shown beside the codes. */
export type InstitutionNames = ReadonlyMap<string, string>;

/** Places of point values (元/点) and of ratios and coefficients in statements: exact, rounded once (half-up). */
export const POINT_VALUE_PLACES = 6;
export const RATIO_PLACES = 6;
/** A point value (exact, in fen per point) in 元/点, as the column headers say. */
const pvText = (r: Ratio) => formatRatio(ratio(r.num, r.den * 100n), POINT_VALUE_PLACES);
const ratioText = (r: Ratio) => formatRatio(r, RATIO_PLACES);

export function monthlyTable(s: PoolSettlement, names: InstitutionNames = new Map(), institution?: string): Table {
  // The patients' payments of the cases paid nothing (ungrouped, no points), beside 患者负担, in a year that has any:
  // outside 患者负担 under `unpaidCases: outside`, part of it under `netted` (the month's step keeps the figure).
  const unpaid = s.summary?.unpaidCases;
  const rateOnly = s.summary?.baseRate !== undefined && Number(s.summary.totalPoints) === 0;
  const unpaidOf = (l: { steps: readonly { values?: Record<string, unknown> }[] }): number => {
    const v = l.steps.find((x) => x.values?.未入组不计点数病例患者负担 !== undefined)?.values
      ?.未入组不计点数病例患者负担;
    return typeof v === 'string' ? yuanToFen(v) : 0;
  };
  return {
    name: `${s.poolId}-monthly`,
    zh: '月度预结算单',
    en: 'monthly pre-settlement',
    total: 'institution',
    columns: [
      col('institution', 'text', '医疗机构编码', 'institution code'),
      col('name', 'text', '医疗机构名称', 'institution name'),
      col('month', 'text', '月份', 'month'),
      col('units', 'int', '病例数', 'cases'),
      col('points', 'points', '点数', 'points'),
      col('amountClaims', 'money', '定额结算金额', 'fixed amounts'),
      col('pointValue', 'decimal', '预结算点值（元/点）', 'pre-settlement point value', { digits: POINT_VALUE_PLACES }),
      rateOnly
        ? col('value', 'money', '定额（元）', 'fixed amounts (yuan)')
        : col('value', 'money', '点数金额+定额（元）', 'points value + fixed amounts'),
      col('patientPaid', 'money', '患者负担', 'patient payments'),
      ...(unpaid
        ? [
            unpaid.rule === 'outside'
              ? col(
                  'unpaidPatientPaid',
                  'money',
                  '未入组不计点数病例的患者负担（不冲抵）',
                  'patient payments of ungrouped cases claiming no points (not netted)',
                )
              : col(
                  'unpaidPatientPaid',
                  'money',
                  '其中未入组不计点数病例的患者负担',
                  'of which ungrouped cases claiming no points',
                ),
          ]
        : []),
      col('gross', 'money', '应预结算（元）', 'pre-settlement due'),
      col('prepayRatio', 'decimal', '预结算比例', 'prepay ratio', { digits: RATIO_PLACES }),
      col('prepay', 'money', '预结算额', 'prepay'),
      col('deposit', 'money', '质量保证金', 'quality deposit'),
      col('deductions', 'money', '审核扣款', 'audit deductions'),
      // a balance carried from month to month, not a flow: its sum over months would count it once per month, so
      // the total row shows the closing balances (each institution's last month), not a blank (walk3 10)
      col('carried', 'money', '结转扣减', 'negative amount carried in', { sum: 'closing' }),
      // what a negative month leaves to the year's later months (clamp-and-carry, 002 四(三)): the month paid 0 and
      // the statement showed nowhere what it still owed; a balance too: its total is what is still carried after
      // the last month (the year-end clearing takes nothing back on its own)
      col('carriedOut', 'money', '结转后续', 'negative amount carried forward', { sum: 'closing' }),
      col('payment', 'money', '月度已支付', 'paid monthly'),
      // A DRG pool at a fixed 费率 (R-PAY-DRG): fixed amounts only, no points and no point value columns (walk5 #5).
    ].filter((c) => !rateOnly || (c.key !== 'points' && c.key !== 'pointValue')),
    rows: (function* () {
      for (const i of s.institutions) {
        if (institution !== undefined && i.institutionCode !== institution) continue;
        for (const l of i.monthly) {
          yield {
            institution: l.institutionCode,
            name: names.get(l.institutionCode) ?? '',
            month: l.month,
            units: l.units,
            points: l.points,
            amountClaims: l.amountClaims,
            // blank in a month without points (no point value was set), not 0.000000
            pointValue: noMonthPointValue(l) ? null : pvText(l.pointValue),
            value: l.value,
            patientPaid: l.patientPaid,
            ...(unpaid ? { unpaidPatientPaid: unpaidOf(l) } : {}),
            gross: l.gross,
            prepayRatio: ratioText(l.prepayRatio),
            prepay: l.prepay,
            deposit: l.deposit,
            deductions: l.deductions,
            carried: l.carriedIn ?? 0,
            carriedOut: l.carriedOut ?? 0,
            payment: l.payment,
          } satisfies Row;
        }
      }
    })(),
  };
}

/**
 * The year-end statement (年度清算单). `members`: the institutions that are members of a county medical community
 * settled under a global budget — a 县域医共体 column says, beside their stored amounts (unchanged), that their clearing
 * (and, under `advanceBasis: community`, their advance) is not paid separately but through the community (R-MC-3).
 */
export function annualTable(
  s: PoolSettlement,
  names: InstitutionNames = new Map(),
  institution?: string,
  members: CommunityMembers = new Map(),
): Table {
  // No points, no point value: blank, not 0.000000 (walk5 #5). A DRG pool at a fixed 费率 shows its rate instead.
  const noPoints = Number(s.summary.totalPoints) === 0;
  const pv = noPoints && s.pointValue.rule === 'floating' ? null : pvText(s.pointValue.pointValue);
  const br = s.summary.baseRate;
  const rateOnly = br !== undefined && noPoints;
  const rateCols = br
    ? br.employee === br.resident
      ? [col('baseRate', 'money', '费率（元/RW）', 'base rate (yuan per RW)')]
      : [
          col('employeeBaseRate', 'money', '职工费率（元/RW）', 'employee base rate (yuan per RW)'),
          col('residentBaseRate', 'money', '居民费率（元/RW）', 'resident base rate (yuan per RW)'),
        ]
    : [];
  const rateValues: Row = br
    ? { baseRate: br.employee, employeeBaseRate: br.employee, residentBaseRate: br.resident }
    : {};
  const fpr = ratioText(s.fundPaymentRatio);
  // The ungrouped cases (未入组) of each institution and what of their pooled-fund payment the fund did not pay, beside
  // its cases and cost (a run stored before they were kept has no such columns; one stored before the fund's figures
  // were kept, the count only — its "cost left unpaid" counted the patients' part too, walk6 #1).
  const ungrouped = s.summary.ungrouped?.byInstitution;
  const ungroupedFund = s.summary.ungrouped?.fundUnpaid !== undefined;
  const shown = s.institutions.filter((i) => institution === undefined || i.institutionCode === institution);
  const withMembers = shown.some((i) => members.has(i.institutionCode));
  // The 县域医共体 column holds the community's id (JSON keeps it); its label says it in the reader's language: that
  // the member's clearing is not paid separately, settled through the community. '' for an institution of none.
  const memberNotes = new Map<string, CommunityMembership>();
  for (const m of members.values()) memberNotes.set(m.communityId, m);
  return {
    name: `${s.poolId}-annual`,
    zh: '年度清算单',
    en: 'year-end settlement',
    total: 'institution',
    columns: [
      col('institution', 'text', '医疗机构编码', 'institution code'),
      col('name', 'text', '医疗机构名称', 'institution name'),
      col('level', 'text', '医院等级', 'level', { label: levelLabel }),
      col('units', 'int', '病例数', 'cases'),
      ...(ungrouped ? [col('ungroupedUnits', 'int', '其中未入组病例数', 'of which ungrouped cases')] : []),
      ...(rateOnly ? [] : [col('points', 'points', '总点数', 'points')]),
      ...rateCols,
      col('amountClaims', 'money', '定额结算金额', 'fixed amounts'),
      ...(rateOnly
        ? []
        : [col('pointValue', 'decimal', '年度点值（元/点）', 'year-end point value', { digits: POINT_VALUE_PLACES })]),
      col('fundPaymentRatio', 'decimal', '基金支付比例', 'fund payment ratio', { digits: RATIO_PLACES }),
      // Σ of the institution's 病例结算金额 (the per-case sheet adds up to it, to the fen)
      col('value', 'money', '点数金额+定额（元）', 'points value + fixed amounts'),
      col('billed', 'money', '医疗费用总额（按项目）', 'total medical cost (by items)'),
      ...(ungrouped && ungroupedFund
        ? [
            col(
              'ungroupedUnpaid',
              'money',
              '其中未入组病例统筹基金支付中未支付',
              'of which ungrouped cases: pooled-fund payment left unpaid',
            ),
          ]
        : []),
      col('ffsFund', 'money', '按项目基金应付', 'fund share by items'),
      rateOnly
        ? col(
            'gross',
            'money',
            '年度应付（定额×基金支付比例）',
            'payable for the year (fixed amounts × fund payment ratio)',
          )
        : col(
            'gross',
            'money',
            '年度应付（（点数×点值+定额）×基金支付比例）',
            'payable for the year ((points × point value + fixed amounts) × fund payment ratio)',
          ),
      col('difference', 'money', '结余（+）/超支（−）', 'surplus (+) / overspend (−)'),
      col('afterSharing', 'money', '结余留用超支分担后', 'after surplus retention and overspend sharing'),
      col('assessment', 'decimal', '考核系数', 'assessment coefficient', { digits: RATIO_PLACES }),
      col('afterAssessment', 'money', '考核后金额', 'after assessment'),
      col('deductions', 'money', '审核扣款', 'audit deductions'),
      col('yearEnd', 'money', '年度清算额', 'year-end amount'),
      col('advance', 'money', '年初预付', 'start-of-year advance'),
      col('monthlyPaid', 'money', '月度已支付', 'paid monthly'),
      col('depositHeld', 'money', '质量保证金', 'quality deposit'),
      col('clearing', 'money', '清算支付额', 'clearing payment'),
      ...(withMembers
        ? [
            col('community', 'text', '县域医共体', 'county medical community', {
              label: (v, lang) => {
                const m = memberNotes.get(v);
                return m ? memberNote(m, lang) : v;
              },
            }),
          ]
        : []),
    ],
    rows: shown.map(
      (i): Row => ({
        institution: i.institutionCode,
        name: names.get(i.institutionCode) ?? '',
        level: i.level ?? '',
        units: i.units,
        ...(ungrouped
          ? {
              ungroupedUnits: ungrouped[i.institutionCode]?.units ?? 0,
              ...(ungroupedFund ? { ungroupedUnpaid: ungrouped[i.institutionCode]?.fundUnpaid ?? 0 } : {}),
            }
          : {}),
        points: i.points,
        ...rateValues,
        amountClaims: i.amountClaims,
        pointValue: pv,
        fundPaymentRatio: fpr,
        value: i.value,
        billed: i.billed,
        ffsFund: i.ffsFund,
        gross: i.gross,
        difference: i.gross - i.ffsFund,
        afterSharing: i.afterSharing,
        assessment: ratioText(i.assessment),
        afterAssessment: i.afterAssessment,
        deductions: i.deductions,
        yearEnd: i.yearEnd,
        advance: i.advance,
        monthlyPaid: i.monthlyPaid,
        depositHeld: i.depositHeld,
        clearing: i.clearing,
        ...(withMembers ? { community: members.get(i.institutionCode)?.communityId ?? '' } : {}),
      }),
    ),
  };
}

/**
 * The pool's summary sheet (统筹区汇总). `warnings`: what the run warned of when it was settled (a DIP history year
 * without cases, an implausible budget), each a row 警示：… of its own, after the region and year.
 */
export function regionTable(
  s: PoolSettlement,
  warnings: readonly { zh: string; en: string }[] = [],
  /** Members of communities settled under a global budget: their advances and clearings not paid separately. */
  members: CommunityMembers = new Map(),
): Table {
  const r = s.summary;
  const br = r.baseRate;
  const noPoints = Number(r.totalPoints) === 0;
  const rateOnly = br !== undefined && noPoints;
  // One row per item: its words in the reader's language (an enum column), and its figure in the column of its kind
  // (text, number, money), so every number is a number.
  const words = new Map<string, [string, string]>();
  const line = (
    zh: string,
    en: string,
    value: string | number,
    kind: 'money' | 'number' | 'count' | 'text' = 'text',
  ): Row => {
    words.set(zh, [zh, en]);
    return {
      item: zh,
      text: kind === 'text' ? String(value) : null,
      count: kind === 'count' ? value : null,
      number: kind === 'number' ? value : null,
      money: kind === 'money' ? (value as number) : null,
    };
  };
  // A count with its amount on one row (数量 and 金额).
  const counted = (zh: string, en: string, count: number, money: number): Row => ({
    ...line(zh, en, count, 'count'),
    money,
  });
  const ungrouped = r.ungrouped && r.ungrouped.units > 0 ? r.ungrouped : undefined;
  const inCommunities = membersInPool(s, members);
  const rows: Row[] = [
    line('统筹区', 'pooling region', s.region),
    line('年度', 'year', String(s.year)),
    ...warnings.map((w) => line(`警示：${w.zh}`, `warning: ${w.en}`, '')),
    line('病例数', 'cases', r.units, 'count'),
    // The cases by the method that paid them, each with its payment: the carve-outs (按床日、按病种) are cases of this
    // pool paid by another method, not excluded ones (it read 按其他方式结算（除外）病例数, without an amount).
    ...methodRows(s).map((m) => {
      const [zh, en] = [methodLabel(m.method, 'zh'), methodLabel(m.method, 'en')];
      if (m.kind === 'carve-outs')
        return counted(
          '其中：按床日付费、按病种付费等其他方式支付',
          'of which paid by another method (per-bed-day / single-disease …)',
          m.units,
          m.payment,
        );
      if (m.kind === 'carve-out') return counted(`其他方式：${zh}`, `another method: ${en}`, m.units, m.payment);
      return counted(`其中：${zh}`, `of which ${en}`, m.units, m.payment);
    }),
    ...Object.entries(r.byStatus)
      .sort()
      .map(([k, v]) => line(`状态：${statusLabel(k, 'zh')}`, `status: ${statusLabel(k, 'en')}`, v, 'count')),
    // What the ungrouped cases (未入组) cost, their pooled-fund payment by the settlement lists, what they are paid and
    // what of that pooled-fund payment the fund did not pay, beside their count (walk6 #1: 未入组病例未支付的医疗费用
    // was the whole cost, the patients' part in it). A run stored before the fund's figures: cost and payment only.
    ...(ungrouped
      ? [
          line('未入组病例医疗费用总额', 'ungrouped cases: total medical cost', ungrouped.billed, 'money'),
          ...(ungrouped.fundByItems !== undefined
            ? [
                line(
                  '未入组病例统筹基金支付（结算清单）',
                  'ungrouped cases: pooled-fund payment (settlement lists)',
                  ungrouped.fundByItems,
                  'money',
                ),
              ]
            : []),
          line(
            '未入组病例付费额（点数×年度点值+定额）',
            'ungrouped cases: payment (points × year-end point value + fixed amounts)',
            ungrouped.value,
            'money',
          ),
          ...(ungrouped.fundPaid !== undefined && ungrouped.fundUnpaid !== undefined
            ? [
                line(
                  '未入组病例基金应付（付费额×基金支付比例）',
                  'ungrouped cases: payable by the fund (payment × fund payment ratio)',
                  ungrouped.fundPaid,
                  'money',
                ),
                line(
                  '未入组病例统筹基金支付中未支付',
                  'ungrouped cases: pooled-fund payment left unpaid',
                  ungrouped.fundUnpaid,
                  'money',
                ),
              ]
            : []),
        ]
      : []),
    // The cases paid nothing: their patients' payments and what the policy's `unpaidCases` did with them.
    ...(r.unpaidCases
      ? [
          r.unpaidCases.rule === 'outside'
            ? counted(
                '未入组且不计点数病例的患者负担（医疗机构留用，不冲抵月度预结算，不计入基金支付比例）',
                "ungrouped cases claiming no points: patients' payments (kept by the institutions, not netted against the months, left out of the fund payment ratio)",
                r.unpaidCases.units,
                r.unpaidCases.patientPaid,
              )
            : counted(
                '未入组且不计点数病例的患者负担（冲抵月度预结算，计入基金支付比例）',
                "ungrouped cases claiming no points: patients' payments (netted against the months, counted in the fund payment ratio)",
                r.unpaidCases.units,
                r.unpaidCases.patientPaid,
              ),
        ]
      : []),
    // What the special-review cases (特例单议) add, beside their count: points, fee-for-service amounts, payment, fund.
    ...(r.specialReview && r.specialReview.units > 0
      ? [
          line('特例单议点数', 'special review: points', (r.specialReview.points / 10_000).toFixed(4), 'number'),
          line(
            '特例单议按项目付费金额',
            'special review: fee-for-service amount',
            r.specialReview.amountClaims,
            'money',
          ),
          line(
            '特例单议付费额（点数×年度点值+按项目）',
            'special review: payment (points × year-end point value + fee-for-service)',
            r.specialReview.value,
            'money',
          ),
          line(
            '特例单议基金应付（×基金支付比例）',
            'special review: payable by the fund (× fund payment ratio)',
            r.specialReview.fund,
            'money',
          ),
        ]
      : []),
    line('医疗机构数', 'institutions', r.institutions, 'count'),
    // A DRG pool at a fixed 费率 (R-PAY-DRG) has no points and no point value: its rate and method instead (walk5 #5).
    ...(br
      ? [
          line(
            `计算方法：${baseRateText(br, 'zh')
              .replace(/^费率：[^（]*（/, '')
              .replace(/）$/, '')}`,
            `method: ${baseRateText(br, 'en')
              .replace(/^base rate: [^(]*\(/, '')
              .replace(/\)$/, '')}`,
            '',
          ),
          ...(br.employee === br.resident
            ? [line('费率（元/RW）', 'base rate (yuan per RW)', br.employee, 'money')]
            : [
                line('职工费率（元/RW）', 'employee base rate (yuan per RW)', br.employee, 'money'),
                line('居民费率（元/RW）', 'resident base rate (yuan per RW)', br.resident, 'money'),
              ]),
          line('定额结算金额', 'fixed amounts', r.amountClaims, 'money'),
        ]
      : []),
    ...(rateOnly
      ? []
      : [
          line('总点数', 'total points', formatPoints(r.totalPoints), 'number'),
          line('年初点值（元/点）', 'opening point value', pvText(s.openingPointValue), 'number'),
          noPoints && s.pointValue.rule === 'floating'
            ? line('年度点值（元/点）', 'year-end point value', '—')
            : line('年度点值（元/点）', 'year-end point value', pvText(s.pointValue.pointValue), 'number'),
        ]),
    // A year-end value far from the opening one (policy `pointValueChange`), said beside the two values.
    ...(r.pointValueWarning
      ? [
          line(
            `提示：${pointValueWarningText(r.pointValueWarning, 'zh')}`,
            `warning: ${pointValueWarningText(r.pointValueWarning, 'en')}`,
            ratioText(r.pointValueWarning.change),
            'number',
          ),
        ]
      : []),
    ...(rateOnly
      ? []
      : [
          line(
            `点值规则：${pointValueRuleLabel(s.pointValue.rule, 'zh')}`,
            `point value rule: ${pointValueRuleLabel(s.pointValue.rule, 'en')}`,
            '',
          ),
        ]),
    line('基金支付比例', 'fund payment ratio', ratioText(s.fundPaymentRatio), 'number'),
    line('基金预算', 'fund budget', r.fund, 'money'),
    rateOnly
      ? line(
          '年度应付合计（定额×基金支付比例）',
          'payable for the year (fixed amounts × fund payment ratio)',
          r.allocated,
          'money',
        )
      : line('按点值分配', 'allocated by point value', r.allocated, 'money'),
    line('结余留用超支分担后', 'after surplus retention and overspend sharing', r.afterSharing, 'money'),
    line('审核扣款', 'audit deductions', r.deductions, 'money'),
    line('年度清算额合计', 'year-end total', r.yearEnd, 'money'),
    line('年初预付合计', 'start-of-year advances', r.advance, 'money'),
    // The members' own advances, in the total above, not paid when the community's advance replaces them (R-BUD-5).
    ...inCommunities
      .filter((c) => c.membership.advanceBasis === 'community')
      .map((c) =>
        counted(
          `其中：${communityText(c.membership, 'zh')}成员单位年初预付（不另行支付，由医共体年初预付代替）`,
          `of which members of ${communityText(c.membership, 'en')}: start-of-year advances (not paid separately; the community's advance takes their place)`,
          c.institutions,
          c.advance,
        ),
      ),
    line('月度已支付合计', 'paid monthly', r.monthlyPaid, 'money'),
    line('质量保证金合计', 'quality deposits', r.depositHeld, 'money'),
    line('清算支付额合计', 'clearing payments', r.clearing, 'money'),
    // The members' own clearings, in the total above, not paid: the community's clearing takes their place (R-MC-3).
    ...inCommunities.map((c) =>
      counted(
        `其中：${communityText(c.membership, 'zh')}成员单位清算支付额（不另行支付，由医共体清算）`,
        `of which members of ${communityText(c.membership, 'en')}: clearing payments (not paid separately; settled through the community)`,
        c.institutions,
        c.clearing,
      ),
    ),
    line('基金结余（+）/超支（−）', 'fund balance', r.fundBalance, 'money'),
    line('医疗费用总额（按项目）', 'total medical cost (by items)', r.billed, 'money'),
    // What it counts, said (walk3: three patient totals for one year, nothing saying why): each case's settlement-list
    // total − pooled-fund payment (hifp_pay), the 患者负担 of the fund payment ratio (R-DIP-6).
    line(
      '患者负担（医疗费用总额 − 统筹基金支付）',
      'patient payments (total medical cost − pooled-fund payment)',
      r.patientPaid,
      'money',
    ),
    line('结余机构数', 'institutions with surplus', r.institutionsWithSurplus, 'count'),
  ];
  return {
    name: `${s.poolId}-region`,
    zh: '统筹区汇总',
    en: 'pooling region summary',
    columns: [
      col('item', 'text', '项目', 'item', { label: (v, lang) => words.get(v)?.[lang === 'zh' ? 0 : 1] ?? v }),
      col('text', 'text', '内容', 'text'),
      col('count', 'int', '数量', 'count'),
      col('number', 'decimal', '数值', 'number', { digits: POINT_VALUE_PLACES }),
      col('money', 'money', '金额（元）', 'amount (yuan)'),
    ],
    rows,
  };
}

/** The inpatient case methods (病例的主支付方式); the others in a pool are carve-outs (按床日、按病种). */
const CASE_METHODS: ReadonlySet<string> = new Set(['dip', 'drg']);

/**
 * The pool's cases by the method that paid them, with their payment (Σ stored 病例结算金额 when the run kept them, else
 * points × point value + fixed amounts per group): the case method first, then one line for every other method
 * together (按床日付费、按病种付费等, `carve-outs`) when there are some, then each of them (`carve-out`).
 */
export function methodRows(
  s: Pick<PoolSettlement, 'groups'>,
): { kind: 'case-method' | 'carve-outs' | 'carve-out' | 'other'; method: string; units: number; payment: number }[] {
  const by = new Map<string, { units: number; payment: number }>();
  for (const g of s.groups) {
    const m = by.get(g.method) ?? { units: 0, payment: 0 };
    m.units += g.units;
    m.payment += g.settled ?? g.value;
    by.set(g.method, m);
  }
  const all = [...by].map(([method, m]) => ({ method, ...m })).sort((a, b) => b.units - a.units);
  const cases = all.filter((m) => CASE_METHODS.has(m.method));
  const others = all.filter((m) => !CASE_METHODS.has(m.method));
  if (cases.length === 0) return all.map((m) => ({ kind: 'other' as const, ...m }));
  return [
    ...cases.map((m) => ({ kind: 'case-method' as const, ...m })),
    ...(others.length > 0
      ? [
          {
            kind: 'carve-outs' as const,
            method: '',
            units: others.reduce((n, m) => n + m.units, 0),
            payment: others.reduce((n, m) => n + m.payment, 0),
          },
        ]
      : []),
    ...others.map((m) => ({ kind: 'carve-out' as const, ...m })),
  ];
}

/**
 * The pool's inpatient case method: `drg` when DRG paid its cases (and DIP none), else `dip` — the words of its sheets
 * follow it (a DRG pool's groups are 病组, paid by RW points; a DIP pool's 病种, by 病种分值).
 */
export function poolCaseMethod(s: Pick<PoolSettlement, 'groups'>): 'dip' | 'drg' {
  const methods = new Set(s.groups.map((g) => g.method));
  return methods.has('drg') && !methods.has('dip') ? 'drg' : 'dip';
}

/**
 * The pool's groups: each with its cases, points, payment and cost, by its stable code (`J15.9|87.4101`, `K35#surgery`,
 * `PSY`) and its name in the reader's language: a DIP core group's codes with, when `codeNames` (code → name, from the
 * code lists) holds them, their names (`J15.9 细菌性肺炎 + 87.4101 …`), a comprehensive group's words (`K35 综合病种
 * （相关手术）`); a carve-out's group's name when `groupNames` holds it (`精神病`, the policy's name, en in en). A group's
 * payment is the sum of its cases' settled amounts (病例结算金额) when the run stored them, so that the sheet's total
 * equals the per-case sheet's and the institutions' to the fen; else its points × point value (rounded once) + fixed
 * amounts. (R-DIP-6)
 */
export function groupTable(
  s: PoolSettlement,
  codeNames: ReadonlyMap<string, string> = new Map(),
  /** The carve-outs' group names by code (a per-diem category, a single disease), shown beside the code. */
  groupNames: ReadonlyMap<string, string> = new Map(),
): Table {
  // A DRG region's sheet said 病种结余超支 / 病种付费额: DIP's word; DRG's is 病组 (glossary).
  const word = poolCaseMethod(s) === 'drg' ? '病组' : '病种';
  return {
    name: `${s.poolId}-groups`,
    zh: `${word}结余超支`,
    en: 'group surplus and overspend',
    total: 'method',
    columns: [
      col('method', 'text', '支付方式', 'payment method', { label: methodLabel }),
      // One stable code in every file (`K35#surgery`, `K35.8|47.0100`, `PSY`, `ES35`), its name beside it in the reader's
      // language (walk6: the code read `K35 综合病种（相关手术）` in zh and `K35 comprehensive (related surgery)` in en).
      col('group', 'text', `${word}/分组`, 'group', { empty: ['（未入组）', '(ungrouped)'] }),
      col('groupName', 'text', `${word}/分组名称`, 'group name', {
        label: (v, lang) => {
          const name = groupNames.get(v) ?? groupLabel(v, lang, codeNames);
          return name === v ? '' : name;
        },
      }),
      col('units', 'int', '病例数', 'cases'),
      col('points', 'points', '点数', 'points'),
      col('value', 'money', `${word}付费额（点数×点值+定额）`, 'payment (points × point value + fixed amounts)'),
      col('billed', 'money', '按项目费用', 'cost by items'),
      col('difference', 'money', '结余（+）/超支（−）', 'surplus (+) / overspend (−)'),
    ],
    rows: s.groups.map((g): Row => {
      const { settled, ...line } = g;
      const named = { ...line, groupName: g.group };
      return settled === undefined ? named : { ...named, value: settled, difference: settled - g.billed };
    }),
  };
}
