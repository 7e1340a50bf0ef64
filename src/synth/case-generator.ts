/**
 * Inpatient cases of one year, in row order. Each admission is drawn from a clinical profile: treatment
 * option → length of stay → admission day → a free person of the right sex and age → an institution near
 * home → diagnoses and procedures → cost, charge categories and patient shares. Planned and unplanned
 * readmissions (and split admissions) follow their first stay.
 */

import { DISCHARGE_WAY_DEATH, isDeathDischarge } from '../model/case.ts';
import { injectBadRow, LOW_STANDARD_PROFILE, MISBEHAVIOUR_RATES, type MisbehaviourRoles } from './anomalies.ts';
import { type DateTexts, dayNumber } from './calendar.ts';
import { choosePerson, InstitutionChooser, Occupancy } from './choose.ts';
import { type PatientShares, patientShares, splitIntoFees } from './costs.ts';
import { attendingDoctor } from './doctors.ts';
import { FEE_MIX_WEIGHTS, SYNTH_PARAMS } from './params.ts';
import type { Person, Population } from './population.ts';
import { cumulative, Rng, STREAM, streamKey } from './prng.ts';
import {
  ANCHORS,
  anchorKey,
  type ClinicalProfile,
  type CostAnchor,
  PROFILES,
  SEVERITY,
  sexOfDiagnosis,
  type TreatmentOption,
  UPCODING_MCC_CODES,
  type Weighted,
} from './profiles/index.ts';
import { type County, hasIcu, type SynthInstitution } from './region.ts';
import type { SampleCodes } from './sample-codes.ts';
import type { SynthCase } from './synth-case.ts';
import type { TruthRow } from './truth.ts';

export interface CaseGeneratorSetup {
  seedKey: number;
  calendar: DateTexts;
  population: Population;
  institutions: readonly SynthInstitution[];
  counties: readonly County[];
  codes: SampleCodes;
  /** Misbehaving institutions, or null for a well-behaved region. */
  roles: MisbehaviourRoles | null;
  /** Share of rows turned into bad rows (0 = none). */
  badRowRate: number;
  onTruth: (t: TruthRow) => void;
}

/** Comorbidities whose prevalence grows with age: rare in children, common in the old. */
const CHRONIC = /^(I1[0-2]|I2[05]|I4[8]|I50|I6[79]|E11|E78|K76|J44|N18|G20|M47|M81|I27)/;

/** Acute complications are usually not present on admission (入院病情 4 无 or 2 临床未确定). */
const ACUTE = /^(J96|R57|N17|E87|D62|E86)/;

/** A profile's secondary diagnosis with what the generator asks of it, worked out once per profile. */
interface SecondaryFacts {
  code: string;
  p: number;
  chronic: boolean;
  acute: boolean;
  /** Sex the code is limited to, or null. */
  sex: '1' | '2' | null;
  severity: 'cc' | 'mcc' | undefined;
}

const AGE_SCALE_CHRONIC = (age: number): number => (age < 15 ? 0.03 : age < 40 ? 0.35 : age < 65 ? 1 : 1.25);

interface ProfileFacts {
  secondary: SecondaryFacts[];
  /** Companion diagnoses that fit a male / a female patient. */
  companion: { '1': Weighted[]; '2': Weighted[] } | null;
}

const profileFacts = new WeakMap<ClinicalProfile, ProfileFacts>();

function factsOf(profile: ClinicalProfile): ProfileFacts {
  let f = profileFacts.get(profile);
  if (!f) {
    const fits = (sex: '1' | '2') =>
      (profile.companion ?? []).filter(([code]) => (sexOfDiagnosis(code) ?? sex) === sex);
    f = {
      secondary: profile.secondary.map(([code, p]) => {
        const sev = SEVERITY[`${profile.id}|${code}`];
        return {
          code,
          p,
          chronic: CHRONIC.test(code),
          acute: ACUTE.test(code),
          sex: sexOfDiagnosis(code),
          severity: sev === 'cc' || sev === 'mcc' ? sev : undefined,
        };
      }),
      companion: profile.companion ? { '1': fits('1'), '2': fits('2') } : null,
    };
    profileFacts.set(profile, f);
  }
  return f;
}

const FALLBACK_ANCHOR: CostAnchor = { drg: '', rw: 0.25, cc: 1.15, mcc: 1.4 };

function pickWeighted(rng: Rng, items: readonly Weighted[]): string {
  let total = 0;
  for (const [, w] of items) total += w;
  let x = rng.next() * total;
  for (const [code, w] of items) {
    x -= w;
    if (x < 0) return code;
  }
  return items[items.length - 1]![0];
}

function roundLos(x: number): number {
  return Math.max(1, Math.round(x));
}

export class CaseGenerator {
  readonly occupancy: Occupancy;
  private readonly rng = new Rng();
  private readonly misRng = new Rng();
  private readonly badRng = new Rng();
  private readonly profileCum = cumulative(PROFILES.map((p) => p.weight));
  private readonly optionCum = new WeakMap<ClinicalProfile, Float64Array>();
  private readonly countyCum: Float64Array;
  private readonly chooser: InstitutionChooser;
  private readonly shares: PatientShares = { fund: 0, selfPay: 0, ownPay: 0, account: 0, cash: 0 };

  constructor(private readonly s: CaseGeneratorSetup) {
    this.occupancy = new Occupancy(s.population.size, s.population.shards);
    this.countyCum = cumulative(s.counties.map((c) => c.populationShare));
    this.chooser = new InstitutionChooser(s.institutions, s.counties);
  }

  /**
   * The `n` cases discharged in `year`, in row order (row = rowOffset + 1, 2, …); `file` names them in the truth
   * rows. Each admission draws from the streams of its first row, so shards of a year (disjoint row ranges and
   * persons, `population.shard`) never share a stream.
   */
  *cases(year: number, n: number, file: string, rowOffset = 0): Generator<SynthCase> {
    const yearStart = dayNumber(year, 1, 1);
    const yearEnd = dayNumber(year, 12, 31);
    const days = yearEnd - yearStart + 1;
    let produced = 0;
    let previous: SynthCase | null = null;
    while (produced < n) {
      this.rng.reseed(streamKey(this.s.seedKey, STREAM.case, year, rowOffset + produced));
      this.misRng.reseed(streamKey(this.s.seedKey, STREAM.misbehaviour, year, rowOffset + produced));
      const day = yearStart + Math.min(days - 1, Math.floor(((produced + this.rng.next()) * days) / n));
      const chain = this.admission(year, day, yearStart, yearEnd, n - produced);
      for (const c of chain) {
        produced++;
        c.row = rowOffset + produced;
        c.setlId = `JS${year}${String(c.row).padStart(9, '0')}`;
        c.mdtrtId = `ZY${year}${String(c.row).padStart(9, '0')}`;
      }
      this.misbehaviourTruth(chain, file);
      for (const c of chain) {
        if (this.s.badRowRate > 0) {
          this.badRng.reseed(streamKey(this.s.seedKey, STREAM.anomaly, year, c.row));
          if (this.badRng.chance(this.s.badRowRate)) {
            this.s.onTruth(injectBadRow(c, previous, file, this.badRng, this.s.calendar));
          }
        }
        yield c;
        previous = c;
      }
    }
  }

  /** One admission and the stays that follow it (readmissions, split stays), at most `room` cases. */
  private admission(year: number, day: number, yearStart: number, yearEnd: number, room: number): SynthCase[] {
    const rng = this.rng;
    const profile = PROFILES[rng.pickCumulative(this.profileCum)]!;
    let optionCum = this.optionCum.get(profile);
    if (!optionCum) {
      optionCum = cumulative(profile.options.map((o) => o.w));
      this.optionCum.set(profile, optionCum);
    }
    const option = profile.options[rng.pickCumulative(optionCum)]!;
    const first = profile.newborn
      ? this.newbornStay(year, profile, option, yearEnd)
      : this.stay(year, profile, option, day, yearStart, yearEnd);
    const chain = [first];
    if (isDeathDischarge(first.dscgWay) || room < 2) return chain;
    const roles = this.s.roles;
    if (
      roles &&
      first.inst.code === roles['split-admission'].code &&
      first.los >= 6 &&
      !first.option.day &&
      first.dscgDay + 2 <= yearEnd &&
      this.misRng.chance(MISBEHAVIOUR_RATES.splitAdmission)
    ) {
      chain.push(this.splitStay(first));
      return chain;
    }
    const planned = profile.plannedReadmit === true && rng.chance(profile.readmit ?? 0);
    const unplanned = !planned && rng.chance((profile.readmit ?? 0) + SYNTH_PARAMS.unplannedReadmission);
    if (planned || unplanned) {
      const gap = planned ? rng.int(14, 28) : rng.int(2, 30);
      const next = this.followUp(first, gap, yearEnd, planned);
      if (next) {
        if (planned) first.readmitFlag = '1';
        chain.push(next);
      }
    }
    return chain;
  }

  private losOf(profile: ClinicalProfile, option: TreatmentOption): number {
    if (option.day) return 1;
    const [min, mode, max] = option.los ?? profile.los;
    return roundLos(this.rng.triangular(min, mode, max));
  }

  private ageWanted(profile: ClinicalProfile): number {
    const [min, mode, max] = profile.ages;
    return Math.floor(this.rng.triangular(min, mode + 0.5, max + 0.999));
  }

  /** An ordinary admission (not a newborn). */
  private stay(
    year: number,
    profile: ClinicalProfile,
    option: TreatmentOption,
    day: number,
    yearStart: number,
    yearEnd: number,
  ): SynthCase {
    const rng = this.rng;
    let los = Math.min(this.losOf(profile, option), yearEnd - yearStart);
    let admDay = day;
    if (!option.day && admDay + los > yearEnd) admDay = yearEnd - los;
    const sex = rng.chance(profile.male) ? '1' : '2';
    const countyIndex = rng.pickCumulative(this.countyCum);
    const index = choosePerson(rng, this.s.population, this.occupancy, {
      countyIndex,
      sex,
      birthYear: year - this.ageWanted(profile),
      admissionDay: admDay,
    });
    const person = this.s.population.person(index);
    const homeIndex = this.s.counties.indexOf(person.county);
    let inst = this.chooser.pick(rng, profile, option, homeIndex);
    let p = profile;
    let o = option;
    const roles = this.s.roles;
    let lowStandard = false;
    if (
      roles &&
      inst.code !== roles['low-standard-admission'].code &&
      this.misRng.chance(0.02) &&
      (profile.line === 'medical' || profile.line === 'pediatric') &&
      person.county.code === roles['low-standard-admission'].county
    ) {
      // The low-standard hospital recruits minor cases from its own county.
      inst = roles['low-standard-admission'];
    }
    if (roles && inst.code === roles['low-standard-admission'].code && profile.line !== 'newborn') {
      if (this.misRng.chance(MISBEHAVIOUR_RATES.lowStandard)) {
        p = LOW_STANDARD_PROFILE;
        o = LOW_STANDARD_PROFILE.options[0]!;
        los = this.losOf(p, o);
        lowStandard = true;
      }
    }
    const c = this.buildCase(year, p, o, inst, person, admDay, los);
    if (lowStandard) c.lowStandard = true;
    return c;
  }

  /** A newborn admission: the baby is born in `year` and admitted `days` after birth. */
  private newbornStay(year: number, profile: ClinicalProfile, option: TreatmentOption, yearEnd: number): SynthCase {
    const rng = this.rng;
    const nb = profile.newborn!;
    const los = this.losOf(profile, option);
    const ageDays = roundLos(rng.triangular(nb.days[0], nb.days[1], nb.days[2] + 0.999)) - 1;
    const sex = rng.chance(profile.male) ? '1' : '2';
    const pop = this.s.population;
    const fits = (idx: number): boolean => {
      const adm = pop.birthDayOf(idx) + Math.max(0, ageDays);
      return adm + los <= yearEnd && this.occupancy.isFree(idx, adm);
    };
    let index = -1;
    const start = rng.pickCumulative(this.countyCum);
    for (let k = 0; k < this.s.counties.length * 2 && index < 0; k++) {
      const county = (start + (k >> 1)) % this.s.counties.length;
      const s = k % 2 === 0 ? sex : sex === '1' ? '2' : '1';
      const n = pop.count(county, s, year);
      for (let t = 0; t < 30 && n > 0 && index < 0; t++) {
        const idx = pop.indexIn(county, s, year, Math.floor(rng.next() * n));
        if (fits(idx)) index = idx;
      }
      for (let j = 0; j < n && index < 0; j++) {
        const idx = pop.indexIn(county, s, year, j);
        if (fits(idx)) index = idx;
      }
    }
    if (index < 0) throw new Error(`synth: no newborn of ${year} can be admitted`);
    const person = pop.person(index);
    const admDay = person.birthDay + Math.max(0, ageDays);
    const inst = this.chooser.pick(rng, profile, option, this.s.counties.indexOf(person.county));
    return this.buildCase(year, profile, option, inst, person, admDay, los);
  }

  /** The second half of a split admission (分解住院): same condition, readmitted 0–1 days later. */
  private splitStay(first: SynthCase): SynthCase {
    const rng = this.misRng;
    const total = first.los;
    const firstLos = Math.max(2, Math.floor(total * (0.35 + 0.25 * rng.next())));
    this.truncate(first, firstLos);
    const admDay = first.dscgDay + rng.int(0, 1);
    const secondLos = Math.max(2, total - firstLos);
    const conservative = first.profile.options.find((o) => o.procs.length === 0) ?? first.option;
    const second = this.buildCase(
      first.year,
      first.profile,
      conservative,
      first.inst,
      first.person,
      admDay,
      secondLos,
      {
        principal: first.diagnoses[0],
        noExtras: true,
      },
    );
    second.splitOf = first;
    return second;
  }

  /** A readmission `gap` days after discharge, if it ends within the year. */
  private followUp(first: SynthCase, gap: number, yearEnd: number, planned: boolean): SynthCase | null {
    const rng = this.rng;
    const admDay = first.dscgDay + gap;
    const option = planned ? first.option : first.profile.options[0]!;
    const los = this.losOf(first.profile, option);
    if (admDay + los > yearEnd) return null;
    const inst = rng.chance(0.75)
      ? first.inst
      : this.chooser.pick(rng, first.profile, option, this.s.counties.indexOf(first.person.county));
    return this.buildCase(first.year, first.profile, option, inst, first.person, admDay, los);
  }

  /** Shorten a stay (death, split) and recompute its cost. */
  private truncate(c: SynthCase, los: number): void {
    c.los = los;
    c.dscgDay = c.admDay + los;
    c.procDays = c.procDays.map((d) => Math.min(d, c.dscgDay));
    this.price(c, this.rng);
    this.occupancy.stay(c.person.index, c.dscgDay);
  }

  private buildCase(
    year: number,
    profile: ClinicalProfile,
    option: TreatmentOption,
    inst: SynthInstitution,
    person: Person,
    admDay: number,
    los: number,
    opts: { principal?: string | undefined; noExtras?: boolean } = {},
  ): SynthCase {
    const rng = this.rng;
    const s = this.s;
    const age = s.population.ageOn(person, admDay);
    const daysOld = admDay - person.birthDay;
    const newborn = profile.newborn;
    let birthWeight: number | null = null;
    if (newborn) birthWeight = Math.round(rng.triangular(newborn.weightG[0], newborn.weightG[1], newborn.weightG[2]));
    else if (age === 0 && daysOld <= 28) birthWeight = Math.round(rng.triangular(2500, 3300, 4300));
    // Principal diagnosis (主要诊断).
    let principal = opts.principal ?? pickWeighted(rng, profile.principal);
    if (newborn?.principalByWeight && birthWeight !== null) {
      principal = newborn.principalByWeight.find(([below]) => birthWeight < below)?.[1] ?? principal;
    }
    const diagnoses = [principal];
    const admConds = ['1'];
    const sex = person.sex;
    const facts = factsOf(profile);
    if (facts.companion) {
      const fits = facts.companion[sex];
      if (fits.length > 0) {
        diagnoses.push(pickWeighted(rng, fits));
        admConds.push('1');
      }
    }
    let severity: 0 | 1 | 2 = 0;
    for (const x of facts.secondary) {
      const code = x.code;
      if (diagnoses.includes(code) || !rng.chance(x.p * (x.chronic ? AGE_SCALE_CHRONIC(age) : 1))) continue;
      if ((x.sex ?? sex) !== sex) continue;
      diagnoses.push(code);
      admConds.push(x.acute ? (rng.chance(0.6) ? '4' : '2') : '1');
      if (x.severity === 'mcc') severity = 2;
      else if (x.severity === 'cc' && severity < 1) severity = 1;
    }
    // ICU stay (重症监护) and the respiratory failure that often goes with it.
    let icuDays = 0;
    if (profile.icu && hasIcu(inst) && rng.chance(profile.icu)) {
      icuDays = Math.min(los, roundLos(rng.triangular(1, 2, Math.min(14, Math.max(2, los)))));
      if (severity < 2 && age >= 1 && rng.chance(0.3) && !diagnoses.includes('J96.900x001')) {
        diagnoses.push('J96.900x001');
        admConds.push('4');
        severity = 2;
      }
    }
    // Procedures (手术操作), main first.
    const procedures = [...option.procs];
    if (!opts.noExtras) {
      for (const [code, p] of option.extra ?? [])
        if (!procedures.includes(code) && rng.chance(p)) procedures.push(code);
    } else procedures.length = 0;
    const dscgDay = option.day ? admDay : admDay + los;
    const procDays = procedures.map((code, i) => {
      const type = s.codes.procedures.get(code)?.type;
      if (option.day || los <= 1) return admDay;
      const offset =
        type === 'diagnostic' ? rng.int(0, 1) : i === 0 ? rng.int(0, Math.min(3, los - 1)) : rng.int(0, los - 1);
      return Math.min(dscgDay, admDay + offset);
    });
    const emergency =
      profile.line === 'medical-complex' || (profile.mortality ?? 0) >= 0.02 || profile.line === 'newborn';
    const admWay =
      option.day || profile.plannedReadmit
        ? '2'
        : rng.chance(emergency ? 0.7 : 0.25)
          ? '1'
          : rng.chance(0.03)
            ? '3'
            : '2';
    const admMinute = option.day ? rng.int(450, 600) : admWay === '1' ? rng.int(0, 1439) : rng.int(480, 719);
    const dscgMinute = option.day ? rng.int(900, 1080) : rng.int(480, 1019);
    const dept =
      inst.facility === 'tcm' && (profile.dept === '03' || profile.dept === '04') && rng.chance(0.6)
        ? '50'
        : inst.level === 'primary' && profile.dept === '03'
          ? '02'
          : profile.dept;
    const c: SynthCase = {
      year,
      row: 0,
      setlId: '',
      mdtrtId: '',
      person,
      insutype: s.population.insuranceOn(person, admDay) === 'employee' ? '310' : '390',
      age,
      ageDays: age === 0 ? daysOld : null,
      birthWeightG: birthWeight,
      admissionWeightG:
        birthWeight === null
          ? null
          : Math.round(birthWeight * (daysOld <= 7 ? 0.96 : 1) + Math.max(0, daysOld - 10) * 25),
      inst,
      profile,
      option,
      admDay,
      admMinute,
      dscgDay,
      dscgMinute,
      los,
      admWay,
      dscgWay: '1',
      dept,
      doctor: attendingDoctor(inst, dept, person.psnNo, admDay),
      diagnoses,
      admConds,
      procedures,
      procDays,
      icuDays,
      readmitFlag: '0',
      total: 0,
      fund: 0,
      selfPay: 0,
      ownPay: 0,
      account: 0,
      cash: 0,
      fees: new Array(14).fill(0),
      overrides: null,
      severity,
      operated: procedures.some((code) => {
        const type = s.codes.procedures.get(code)?.type;
        return type === 'surgery' || type === 'interventional';
      }),
      lowStandard: false,
      splitOf: null,
      upcoded: null,
    };
    this.upcode(c);
    // Discharge way (离院方式): death first, then the usual mix.
    const ageFactor = age >= 80 ? 1.8 : age >= 65 ? 1.2 : age >= 1 ? 0.6 : 1;
    const mortality = Math.min(
      0.7,
      (profile.mortality ?? (age >= 65 ? 0.003 : 0)) * (icuDays > 0 ? 2.5 : 1) * ageFactor,
    );
    if (rng.chance(mortality)) {
      c.dscgWay = DISCHARGE_WAY_DEATH;
      if (!option.day) {
        c.los = Math.max(1, Math.round(los * (0.3 + 0.7 * rng.next())));
        c.dscgDay = admDay + c.los;
        c.icuDays = Math.min(c.icuDays, c.los);
        c.procDays = c.procDays.map((d) => Math.min(d, c.dscgDay));
      }
    } else {
      const transfer = inst.level === 'primary' && rng.chance(SYNTH_PARAMS.primaryTransferShare);
      c.dscgWay = transfer ? '2' : pickWeighted(rng, SYNTH_PARAMS.dischargeWays);
    }
    this.price(c, rng);
    if (isDeathDischarge(c.dscgWay)) this.occupancy.die(person.index, c.dscgDay);
    else this.occupancy.stay(person.index, c.dscgDay);
    return c;
  }

  /** Upcoding (高套编码): the hospital adds an MCC that changes nothing in the care or the cost. */
  private upcode(c: SynthCase): void {
    const roles = this.s.roles;
    if (!roles || c.inst.code !== roles.upcoding.code || c.severity >= 2 || c.age < 15) return;
    if (c.profile.line === 'obstetric' || c.profile.line === 'newborn' || c.profile.perDiemYuan) return;
    if (!this.misRng.chance(MISBEHAVIOUR_RATES.upcoding)) return;
    const code = this.misRng.pick(UPCODING_MCC_CODES.filter((x) => !c.diagnoses.includes(x)));
    c.diagnoses.push(code);
    c.admConds.push('1');
    c.upcoded = code;
  }

  /** Total cost, charge categories and patient shares of a case (all integer fen). */
  private price(c: SynthCase, rng: Rng): void {
    const p = SYNTH_PARAMS;
    const growth = (1 + p.costGrowth) ** (c.year - p.anchorYear);
    const profile = c.profile;
    let yuan: number;
    if (profile.perDiemYuan) {
      const daily =
        profile.perDiemYuan * p.levelPerDiem[c.inst.level] * growth * rng.lognormalFactor(profile.sigma ?? 0.15);
      yuan = daily * c.los;
    } else {
      const anchor = ANCHORS[anchorKey(profile.id, c.option.key)] ?? FALLBACK_ANCHOR;
      const sev = c.severity === 2 ? anchor.mcc : c.severity === 1 ? anchor.cc : 1;
      const icu = Math.min(p.icuCostCap, 1 + p.icuDayCost * c.icuDays);
      const [, mode] = c.option.los ?? profile.los;
      const losFactor = c.option.day ? p.daySurgeryCost : (c.los / mode) ** p.losElasticity;
      const split = c.splitOf ? 0.6 : 1;
      const mean = anchor.rw * p.baseRateYuan * p.levelCost[c.inst.level] * growth * sev * icu * losFactor * split;
      yuan = mean * rng.lognormalFactor(profile.sigma ?? 0.4);
    }
    c.total = Math.max(p.minCaseFen, Math.round(yuan * 100));
    splitIntoFees(
      c.total,
      {
        mix: FEE_MIX_WEIGHTS[profile.fees],
        operated: c.operated,
        tcmHospital: c.inst.facility === 'tcm',
        primary: c.inst.level === 'primary',
      },
      rng,
      c.fees,
    );
    const roles = this.s.roles;
    const shifting = roles !== null && c.inst.code === roles['cost-shifting'].code;
    const ownFactor = shifting ? MISBEHAVIOUR_RATES.costShiftingFactor : 1;
    const insurance = c.insutype === '310' ? 'employee' : 'resident';
    patientShares(c.total, c.fees, insurance, c.inst.level, ownFactor, rng, this.shares);
    c.fund = this.shares.fund;
    c.selfPay = this.shares.selfPay;
    c.ownPay = this.shares.ownPay;
    c.account = this.shares.account;
    c.cash = this.shares.cash;
  }

  /** Truth rows for the misbehaviour in a chain of stays. */
  private misbehaviourTruth(chain: readonly SynthCase[], file: string): void {
    const roles = this.s.roles;
    if (!roles) return;
    for (const c of chain) {
      const base = { scope: 'case', category: 'misbehaviour', file, row: c.row, setlId: c.setlId } as const;
      const inst = c.inst.code;
      if (c.upcoded) {
        this.s.onTruth({ ...base, kind: 'upcoding', fixmedinsCode: inst, field: 'diag_codes', detail: c.upcoded });
      }
      if (c.splitOf) {
        this.s.onTruth({
          ...base,
          kind: 'split-admission',
          fixmedinsCode: inst,
          field: 'adm_time',
          detail: `分解自 ${c.splitOf.setlId} / split from ${c.splitOf.setlId}`,
        });
      }
      if (c.lowStandard) {
        this.s.onTruth({
          ...base,
          kind: 'low-standard-admission',
          fixmedinsCode: inst,
          field: 'diag_codes',
          detail: c.diagnoses[0]!,
        });
      }
      if (inst === roles['cost-shifting'].code) {
        this.s.onTruth({ ...base, kind: 'cost-shifting', fixmedinsCode: inst, field: 'psn_ownpay', detail: '' });
      }
    }
  }
}
