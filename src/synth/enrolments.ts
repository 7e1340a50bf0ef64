/**
 * Outpatient special-disease entitlements and enrolments (门特待遇与定点, R-CAP-3; seed 004 Panzhihua): each
 * entitled person picks one treating institution and one family-doctor institution per year, which may differ.
 * Some people enter mid-year (中途取得资格), switch institution or disease, change insurance type, or die —
 * each change closes one row and opens the next.
 *
 * The disease codes are the region's own (local) codes; the national ICD-10 category they stand for is given.
 */
import { ENROLMENT_COLUMNS } from '../model/columns.ts';
import type { DateTexts } from './calendar.ts';
import { dayNumber } from './calendar.ts';
import type { Population } from './population.ts';
import { cumulative, Rng, STREAM, streamKey } from './prng.ts';
import type { SynthInstitution } from './region.ts';

export interface SpecialDisease {
  code: string;
  zh: string;
  en: string;
  diseaseClass: 1 | 2;
  /** ICD-10 category (类目) the disease stands for. */
  icd10: string;
  weight: number;
  /** Treated at secondary/tertiary hospitals (class-1 dialysis, cancer) or at a psychiatric hospital. */
  treatedAt: 'primary' | 'hospital' | 'psychiatric';
}

export const SPECIAL_DISEASES: readonly SpecialDisease[] = [
  {
    code: 'MT101',
    zh: '恶性肿瘤门诊放化疗',
    en: 'cancer outpatient therapy',
    diseaseClass: 1,
    icd10: 'C00-C97',
    weight: 3,
    treatedAt: 'hospital',
  },
  {
    code: 'MT102',
    zh: '尿毒症透析',
    en: 'dialysis for end-stage kidney disease',
    diseaseClass: 1,
    icd10: 'N18',
    weight: 2,
    treatedAt: 'hospital',
  },
  {
    code: 'MT103',
    zh: '器官移植术后抗排异治疗',
    en: 'anti-rejection therapy',
    diseaseClass: 1,
    icd10: 'Z94',
    weight: 0.5,
    treatedAt: 'hospital',
  },
  {
    code: 'MT104',
    zh: '重性精神病',
    en: 'severe mental illness',
    diseaseClass: 1,
    icd10: 'F20',
    weight: 2,
    treatedAt: 'psychiatric',
  },
  {
    code: 'MT201',
    zh: '高血压病',
    en: 'hypertension',
    diseaseClass: 2,
    icd10: 'I10',
    weight: 10,
    treatedAt: 'primary',
  },
  { code: 'MT202', zh: '糖尿病', en: 'diabetes', diseaseClass: 2, icd10: 'E11', weight: 8, treatedAt: 'primary' },
  {
    code: 'MT203',
    zh: '冠心病',
    en: 'coronary heart disease',
    diseaseClass: 2,
    icd10: 'I25',
    weight: 4,
    treatedAt: 'primary',
  },
  { code: 'MT204', zh: '慢性阻塞性肺疾病', en: 'COPD', diseaseClass: 2, icd10: 'J44', weight: 3, treatedAt: 'primary' },
  {
    code: 'MT205',
    zh: '脑卒中后遗症',
    en: 'sequelae of stroke',
    diseaseClass: 2,
    icd10: 'I69',
    weight: 3,
    treatedAt: 'primary',
  },
  {
    code: 'MT206',
    zh: '慢性心力衰竭',
    en: 'chronic heart failure',
    diseaseClass: 2,
    icd10: 'I50',
    weight: 1.5,
    treatedAt: 'hospital',
  },
  {
    code: 'MT207',
    zh: '类风湿关节炎',
    en: 'rheumatoid arthritis',
    diseaseClass: 2,
    icd10: 'M06',
    weight: 1,
    treatedAt: 'primary',
  },
  {
    code: 'MT208',
    zh: '帕金森病',
    en: 'Parkinson disease',
    diseaseClass: 2,
    icd10: 'G20',
    weight: 0.5,
    treatedAt: 'hospital',
  },
];

/** Entitlement probability by age on the last day of the period. */
function entitlement(age: number): { class1: number; class2: number } {
  if (age < 30) return { class1: 0.0008, class2: 0.002 };
  if (age < 45) return { class1: 0.002, class2: 0.015 };
  if (age < 60) return { class1: 0.004, class2: 0.05 };
  if (age < 75) return { class1: 0.007, class2: 0.12 };
  return { class1: 0.008, class2: 0.16 };
}

export const ENROLMENT_RATES = {
  /** Entitled before the first generated year (the rest enter during the period). */
  entitledBefore: 0.65,
  /** A second class-2 disease (高血压 + 糖尿病 …). */
  secondDisease: 0.25,
  /** Change of institutions at the new year. */
  yearlyChange: 0.08,
  /** Mid-year switch of treating institution (变更定点). */
  midYearSwitch: 0.04,
  /** Mid-year change of disease (变更病种). */
  diseaseChange: 0.01,
  /** The family doctor is at the treating institution when that is primary care. */
  sameFamilyDoctor: 0.85,
} as const;

export interface EnrolmentRow {
  psnNo: string;
  disease: SpecialDisease;
  insutype: '310' | '390';
  treating: string;
  familyDoctor: string;
  from: number;
  to: number;
}

export interface EnrolmentContext {
  seedKey: number;
  years: readonly number[];
  population: Population;
  /** Day of death by person index (enrolments end with it). */
  deaths: ReadonlyMap<number, number>;
  institutions: readonly SynthInstitution[];
  calendar: DateTexts;
}

export const ENROLMENT_HEADER = ENROLMENT_COLUMNS.map((c) => c.name).join(',');

export function enrolmentCsvLine(r: EnrolmentRow, cal: DateTexts): string {
  return `${r.psnNo},${r.disease.code},${r.disease.diseaseClass},${r.insutype},${r.treating},${r.familyDoctor},${cal.date(r.from)},${cal.date(r.to)}`;
}

/** All enrolment rows, person by person, passed to `emit` in a deterministic order. */
export function generateEnrolments(ctx: EnrolmentContext, emit: (r: EnrolmentRow) => void): void {
  const { population, years, calendar } = ctx;
  const firstYear = years[0]!;
  const lastYear = years[years.length - 1]!;
  const firstDay = dayNumber(firstYear, 1, 1);
  const lastDay = dayNumber(lastYear, 12, 31);
  const rng = new Rng();
  const class1 = SPECIAL_DISEASES.filter((d) => d.diseaseClass === 1);
  const class2 = SPECIAL_DISEASES.filter((d) => d.diseaseClass === 2);
  const cum1 = cumulative(class1.map((d) => d.weight));
  const cum2 = cumulative(class2.map((d) => d.weight));
  const byCounty = new Map<string, { treating: Map<string, Float64Array>; lists: Map<string, SynthInstitution[]> }>();
  const pools = (county: string) => {
    let p = byCounty.get(county);
    if (!p) {
      p = { treating: new Map(), lists: new Map() };
      byCounty.set(county, p);
    }
    return p;
  };
  const poolFor = (county: string, kind: SpecialDisease['treatedAt'] | 'family-doctor') => {
    const p = pools(county);
    let list = p.lists.get(kind);
    if (!list) {
      const inCounty = ctx.institutions.filter((i) => i.county === county);
      const candidates = (xs: readonly SynthInstitution[]) =>
        kind === 'primary'
          ? xs.filter((i) => i.level === 'primary' || i.level === '1' || (i.level === '2' && i.facility === 'general'))
          : kind === 'family-doctor'
            ? xs.filter((i) => i.level === 'primary')
            : kind === 'psychiatric'
              ? xs.filter((i) => i.facility === 'psychiatric')
              : xs.filter((i) => (i.level === '3' || i.level === '2') && i.facility === 'general');
      list = candidates(inCounty);
      if (list.length === 0) list = candidates(ctx.institutions);
      p.lists.set(kind, list);
      p.treating.set(
        kind,
        cumulative(list.map((i) => (i.level === 'primary' && kind === 'primary' ? i.beds * 3 : i.beds))),
      );
    }
    return { list, cum: p.treating.get(kind)! };
  };
  const pickInst = (
    county: string,
    kind: SpecialDisease['treatedAt'] | 'family-doctor',
    other?: SynthInstitution,
  ): SynthInstitution => {
    const { list, cum } = poolFor(county, kind);
    let chosen = list[rng.pickCumulative(cum)]!;
    for (let t = 0; t < 10 && chosen === other && list.length > 1; t++) chosen = list[rng.pickCumulative(cum)]!;
    return chosen;
  };

  for (let idx = 0; idx < population.size; idx++) {
    rng.reseed(streamKey(ctx.seedKey, STREAM.enrolment, idx));
    const birthDay = population.birthDayOf(idx);
    const age = calendar.age(birthDay, lastDay);
    const p = entitlement(age);
    const u = rng.next();
    const diseases: SpecialDisease[] = [];
    if (u < p.class1) diseases.push(class1[rng.pickCumulative(cum1)]!);
    else if (u < p.class1 + p.class2) {
      const first = class2[rng.pickCumulative(cum2)]!;
      diseases.push(first);
      if (rng.chance(ENROLMENT_RATES.secondDisease)) {
        const second = class2[rng.pickCumulative(cum2)]!;
        if (second !== first) diseases.push(second);
      }
    }
    if (diseases.length === 0) continue;
    const held = new Set(diseases);
    const person = population.person(idx);
    const death = ctx.deaths.get(idx);
    const end = Math.min(lastDay, death ?? lastDay);
    // R-CAP-3 (seed 004 四(一)2): one treating and one family-doctor institution per person, whatever the number of
    // diseases; so a person with two diseases keeps one pair of institutions and does not switch mid-year.
    const single = diseases.length === 1;
    let personTreating: SynthInstitution | undefined;
    let personFamilyDoctor: SynthInstitution | undefined;
    for (const first of diseases) {
      const earliest = Math.max(firstDay, birthDay + 1);
      const start = rng.chance(ENROLMENT_RATES.entitledBefore)
        ? earliest
        : earliest + Math.floor(rng.next() * Math.max(1, end - earliest));
      if (start > end) continue;
      let disease = first;
      let treating = personTreating ?? pickInst(person.county.code, disease.treatedAt);
      let familyDoctor =
        personFamilyDoctor ??
        (treating.level === 'primary' && rng.chance(ENROLMENT_RATES.sameFamilyDoctor)
          ? treating
          : pickInst(person.county.code, 'family-doctor'));
      personTreating = treating;
      personFamilyDoctor = familyDoctor;
      for (let year = calendar.year(start); year <= lastYear; year++) {
        const yStart = Math.max(start, dayNumber(year, 1, 1));
        const yEnd = Math.min(end, dayNumber(year, 12, 31));
        if (yStart > yEnd) break;
        if (
          single &&
          yStart === dayNumber(year, 1, 1) &&
          year > calendar.year(start) &&
          rng.chance(ENROLMENT_RATES.yearlyChange)
        ) {
          treating = pickInst(person.county.code, disease.treatedAt, treating);
        }
        // Change points inside the year: an institution switch, a disease change, an insurance switch.
        const cuts: { day: number; what: 'institution' | 'disease' | 'insurance' }[] = [];
        if (single && yEnd - yStart > 30) {
          if (rng.chance(ENROLMENT_RATES.midYearSwitch))
            cuts.push({ day: yStart + rng.int(15, yEnd - yStart - 1), what: 'institution' });
          if (rng.chance(ENROLMENT_RATES.diseaseChange))
            cuts.push({ day: yStart + rng.int(15, yEnd - yStart - 1), what: 'disease' });
        }
        if (person.switchDay !== undefined && person.switchDay > yStart && person.switchDay <= yEnd) {
          cuts.push({ day: person.switchDay, what: 'insurance' });
        }
        cuts.sort((a, b) => a.day - b.day || a.what.localeCompare(b.what));
        let from = yStart;
        for (const cut of cuts) {
          if (cut.day <= from) continue;
          emit(
            row(person.psnNo, disease, population.insuranceOn(person, from), treating, familyDoctor, from, cut.day - 1),
          );
          from = cut.day;
          if (cut.what === 'institution') treating = pickInst(person.county.code, disease.treatedAt, treating);
          if (cut.what === 'disease') {
            // Another disease of the same class that the person has not held in this period.
            const pool = (disease.diseaseClass === 1 ? class1 : class2).filter((d) => !held.has(d));
            if (pool.length > 0) disease = rng.pick(pool);
            held.add(disease);
            treating = pickInst(person.county.code, disease.treatedAt);
          }
        }
        emit(row(person.psnNo, disease, population.insuranceOn(person, from), treating, familyDoctor, from, yEnd));
        if (treating.level === 'primary' && familyDoctor !== treating && rng.chance(0.3)) familyDoctor = treating;
      }
    }
  }
}

function row(
  psnNo: string,
  disease: SpecialDisease,
  insurance: 'employee' | 'resident',
  treating: SynthInstitution,
  familyDoctor: SynthInstitution,
  from: number,
  to: number,
): EnrolmentRow {
  return {
    psnNo,
    disease,
    insutype: insurance === 'employee' ? '310' : '390',
    treating: treating.code,
    familyDoctor: familyDoctor.code,
    from,
    to,
  };
}
