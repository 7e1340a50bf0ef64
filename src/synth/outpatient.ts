/**
 * Outpatient special-disease settlements (门特结算记录, seed 004 四(五)2): the visits of the enrolled, settled
 * item by item at the front desk, one row per visit, written as `outpatient-<year>` files. They feed the
 * capitation year: history years → per-disease per-head standards, the current year → year-end spending.
 *
 * Consistent with the enrolments: visits fall only inside an enrolment row's period, mostly at its treating
 * institution (some elsewhere, which the capitation year lists as unattributed), about monthly (dialysis and
 * cancer therapy more often), with a few enrolled heads that never visit in a year. Costs per visit are
 * lognormal around a disease's 2024 anchor, grow yearly, and vary by the institution (level and its own
 * efficiency), the person (individual deviation) and age; class-1 diseases are far heavier.
 *
 * Deterministic: each enrolment row draws from its own stream (seed, STREAM.outpatient, person, disease, start),
 * each person's and each institution's factors from theirs, so the rows do not depend on one another.
 * The numbers below shape fake data; they are NOT policy.
 */
import { OUTPATIENT_COLUMNS } from '../model/columns.ts';
import type { InstitutionLevel } from '../model/institution.ts';
import type { DateTexts } from './calendar.ts';
import { dayNumber } from './calendar.ts';
import { fenText } from './costs.ts';
import type { EnrolmentRow } from './enrolments.ts';
import type { CsvWriter } from './output.ts';
import { SYNTH_PARAMS } from './params.ts';
import type { Population } from './population.ts';
import { hashText, Rng, STREAM, streamKey } from './prng.ts';
import type { SynthInstitution } from './region.ts';

export const OUTPATIENT_HEADER = OUTPATIENT_COLUMNS.map((c) => c.name).join(',');

/** Per disease: mean total cost of one settled visit in 2024 (yuan) and the mean days between visits. */
export const VISIT_PROFILES: Readonly<Record<string, { yuan: number; everyDays: number }>> = {
  MT101: { yuan: 5200, everyDays: 21 }, // 恶性肿瘤门诊放化疗
  MT102: { yuan: 2300, everyDays: 14 }, // 尿毒症透析 (two weeks of sessions per settlement)
  MT103: { yuan: 3200, everyDays: 30 }, // 抗排异
  MT104: { yuan: 420, everyDays: 30 }, // 重性精神病
  MT201: { yuan: 95, everyDays: 30 }, // 高血压
  MT202: { yuan: 150, everyDays: 30 }, // 糖尿病
  MT203: { yuan: 150, everyDays: 30 }, // 冠心病
  MT204: { yuan: 170, everyDays: 30 }, // 慢阻肺
  MT205: { yuan: 175, everyDays: 30 }, // 脑卒中后遗症
  MT206: { yuan: 230, everyDays: 30 }, // 慢性心衰
  MT207: { yuan: 210, everyDays: 30 }, // 类风湿
  MT208: { yuan: 250, everyDays: 30 }, // 帕金森
};

export const OUTPATIENT_PARAMS = {
  /** Log-sd of one visit's cost around the person's level. */
  visitSigma: 0.35,
  /** Log-sd of a person's level (个人医疗费用与平均费用的差异). */
  personSigma: 0.3,
  /** Log-sd of an institution's own cost level (some keep costs down, some do not). */
  institutionSigma: 0.14,
  /** Cost relative to a secondary hospital, by level. */
  levelCost: { '3': 1.15, '2': 1, '1': 0.92, primary: 0.85 } as Readonly<Record<InstitutionLevel, number>>,
  /** Cost factor at 65 and over. */
  age65Cost: 1.2,
  /** Share of visits at an institution other than the treating one. */
  elsewhere: 0.05,
  /** An enrolment row's year without any visit (the head is not an actual head, 四(六)1). */
  noVisitYear: 0.03,
  /** Share of the total outside the catalogues (自费). */
  ownPayShare: 0.04,
  /** Fund share of the covered amount, per mille, by fund (职工 / 居民). */
  fundPermille: { '310': 780, '390': 620 } as Readonly<Record<'310' | '390', number>>,
  /** Visits with an outpatient adjustment fee (门诊调增费用), and its share of the covered amount, per mille. */
  adjustmentVisits: 0.35,
  adjustmentPermille: 30,
  /** Employees who pay their share from the personal account (个人账户). */
  accountUseShare: 0.6,
} as const;

export interface OutpatientContext {
  seedKey: number;
  years: readonly number[];
  calendar: DateTexts;
  institutions: readonly SynthInstitution[];
  population: Population;
}

/** psn_no is the county code and the population index (population.ts), so the index is its last 10 digits. */
const indexOf = (psnNo: string): number => Number(psnNo.slice(-10));

/** One settled visit, as `OutpatientVisits` hands it to its sink (the object is reused: copy what you keep). */
export interface OutpatientVisit {
  year: number;
  /** 1-based number of the visit in its year: setl_id `MT<year><seq, 9 digits>`, mdtrt_id `V<year><seq>`. */
  seq: number;
  row: EnrolmentRow;
  inst: SynthInstitution;
  day: number;
  minute: number;
  total: number;
  fund: number;
  adj: number;
  selfPay: number;
  ownPay: number;
  account: number;
  cash: number;
}

export type VisitSink = (visit: OutpatientVisit) => void;

/** A sink writing each visit as a CSV line to one writer per year (`open(year)`, opened on first use). */
export class CsvVisits {
  private readonly out = new Map<number, CsvWriter>();

  constructor(
    private readonly calendar: DateTexts,
    private readonly open: (year: number) => CsvWriter,
  ) {}

  readonly sink: VisitSink = (v) => {
    let w = this.out.get(v.year);
    if (!w) {
      w = this.open(v.year);
      this.out.set(v.year, w);
    }
    const id = `MT${v.year}${String(v.seq).padStart(9, '0')}`;
    // One template per row (several times faster than joining an array).
    w.write(
      `${id},V${id.slice(2)},${v.row.psnNo},${v.inst.code},${v.row.insutype},${v.row.disease.code},${v.row.disease.zh},` +
        `${this.calendar.dateTime(v.day, v.minute)},${fenText(v.total)},${fenText(v.fund)},${fenText(v.adj)},` +
        `${fenText(v.selfPay)},${fenText(v.ownPay)},${fenText(v.account)},${fenText(v.cash)}`,
    );
  };

  /** The writers opened so far, by year ascending. */
  writers(): [number, CsvWriter][] {
    return [...this.out].sort((a, b) => a[0] - b[0]);
  }
}

/**
 * Visits of enrolment rows, handed as they come to `sink`. setl_id numbers follow the order of `add` calls, so
 * the same enrolment order gives the same ids.
 */
export class OutpatientVisits {
  private readonly rng = new Rng();
  private readonly side = new Rng();
  private readonly seq = new Map<number, number>();
  private readonly visit: OutpatientVisit;
  private readonly instFactor = new Map<string, number>();
  private readonly byCode: Map<string, SynthInstitution>;
  private readonly others = new Map<string, SynthInstitution[]>();
  private readonly first: number;
  private readonly last: number;

  constructor(
    private readonly ctx: OutpatientContext,
    private readonly sink: VisitSink,
  ) {
    this.visit = {
      year: 0,
      seq: 0,
      row: null as unknown as EnrolmentRow,
      inst: ctx.institutions[0]!,
      day: 0,
      minute: 0,
      total: 0,
      fund: 0,
      adj: 0,
      selfPay: 0,
      ownPay: 0,
      account: 0,
      cash: 0,
    };
    this.byCode = new Map(ctx.institutions.map((i) => [i.code, i]));
    this.first = dayNumber(ctx.years[0]!, 1, 1);
    this.last = dayNumber(ctx.years[ctx.years.length - 1]!, 12, 31);
  }

  /** Generate and write the visits of one enrolment row. */
  add(row: EnrolmentRow): void {
    const profile = VISIT_PROFILES[row.disease.code];
    const treating = this.byCode.get(row.treating);
    if (!profile || !treating) return;
    const { calendar, seedKey } = this.ctx;
    const psn = hashText(row.psnNo);
    const person = this.side
      .reseed(streamKey(seedKey, STREAM.outpatient, psn))
      .lognormalFactor(OUTPATIENT_PARAMS.personSigma);
    const rng = this.rng.reseed(streamKey(seedKey, STREAM.outpatient, psn, hashText(row.disease.code), row.from));
    const birthDay = this.ctx.population.birthDayOf(indexOf(row.psnNo));
    const from = Math.max(row.from, this.first);
    const to = Math.min(row.to, this.last);
    if (from > to) return;
    // Years of this row without any visit, drawn first so the visits' draws do not shift them.
    const skip = new Set<number>();
    for (let y = calendar.year(from); y <= calendar.year(to); y++) {
      if (rng.chance(OUTPATIENT_PARAMS.noVisitYear)) skip.add(y);
    }
    let day = from + rng.int(0, Math.min(profile.everyDays - 1, to - from));
    while (day <= to) {
      const year = calendar.year(day);
      if (skip.has(year)) {
        day = dayNumber(year + 1, 1, 1) + rng.int(0, 20);
        continue;
      }
      const inst = rng.chance(OUTPATIENT_PARAMS.elsewhere) ? this.elsewhere(rng, treating) : treating;
      const age = calendar.age(birthDay, day);
      this.write(rng, row, inst, day, year, person * (age >= 65 ? OUTPATIENT_PARAMS.age65Cost : 1), profile.yuan);
      day += Math.max(1, Math.round(profile.everyDays * rng.triangular(0.7, 1, 1.4)));
    }
  }

  private elsewhere(rng: Rng, treating: SynthInstitution): SynthInstitution {
    let list = this.others.get(treating.code);
    if (!list) {
      list = this.ctx.institutions.filter(
        (i) => i.county === treating.county && i.code !== treating.code && i.facility === treating.facility,
      );
      if (list.length === 0) list = this.ctx.institutions.filter((i) => i.code !== treating.code);
      this.others.set(treating.code, list);
    }
    return rng.pick(list);
  }

  private institutionFactor(inst: SynthInstitution): number {
    let f = this.instFactor.get(inst.code);
    if (f === undefined) {
      f =
        new Rng(streamKey(this.ctx.seedKey, STREAM.outpatient, hashText(inst.code), 1)).lognormalFactor(
          OUTPATIENT_PARAMS.institutionSigma,
        ) * OUTPATIENT_PARAMS.levelCost[inst.level];
      this.instFactor.set(inst.code, f);
    }
    return f;
  }

  private write(
    rng: Rng,
    row: EnrolmentRow,
    inst: SynthInstitution,
    day: number,
    year: number,
    personFactor: number,
    anchorYuan: number,
  ): void {
    const p = OUTPATIENT_PARAMS;
    const growth = (1 + SYNTH_PARAMS.costGrowth) ** (year - SYNTH_PARAMS.anchorYear);
    const yuan = anchorYuan * growth * personFactor * this.institutionFactor(inst) * rng.lognormalFactor(p.visitSigma);
    const total = Math.max(500, Math.round(yuan * 100));
    const ownPay = Math.round(total * p.ownPayShare * rng.triangular(0, 1, 2));
    const covered = total - ownPay;
    const fund = Math.floor((covered * p.fundPermille[row.insutype]) / 1000);
    const adj = rng.chance(p.adjustmentVisits)
      ? Math.min(covered - fund, Math.round((covered * p.adjustmentPermille) / 1000))
      : 0;
    const selfPay = covered - fund - adj;
    const patient = selfPay + ownPay;
    const account = row.insutype === '310' && rng.chance(p.accountUseShare) ? patient : 0;
    const n = (this.seq.get(year) ?? 0) + 1;
    this.seq.set(year, n);
    const v = this.visit;
    v.year = year;
    v.seq = n;
    v.row = row;
    v.inst = inst;
    v.day = day;
    v.minute = rng.int(8 * 60, 17 * 60);
    v.total = total;
    v.fund = fund;
    v.adj = adj;
    v.selfPay = selfPay;
    v.ownPay = ownPay;
    v.account = account;
    v.cash = patient - account;
    this.sink(v);
  }
}
