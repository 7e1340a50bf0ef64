/**
 * The insured population (参保人). No person is stored: person `i` is a pure function of (seed, i). Persons are
 * laid out in blocks of (county, sex, birth year), sized by the region's age pyramid, so a case that needs
 * "a woman of 29 in 东山县" draws a random index inside one block.
 */
import type { InsuranceType } from '../model/case.ts';
import { type DateTexts, dayNumber, daysInYear } from './calendar.ts';
import { mix32, STREAM, streamKey } from './prng.ts';
import type { County } from './region.ts';

/** Share of the population by 5-year age band (0–4, 5–9, …, 95–99), roughly China's 2020 census pyramid. */
const AGE_BANDS = [
  5.5, 6.4, 6.3, 5.5, 5.4, 6.3, 8.8, 7.0, 6.7, 8.3, 8.8, 7.2, 5.2, 5.2, 3.6, 2.4, 1.6, 0.9, 0.3, 0.1,
] as const;
const MAX_AGE = 99;
const MALE_SHARE = 0.51;

/** Share of employees (职工医保) among the insured, by age on the reference date and urban/rural county. */
function employeeShare(age: number, urban: boolean): number {
  if (age < 18) return 0;
  if (age < 23) return urban ? 0.15 : 0.05;
  if (age < 60) return urban ? 0.72 : 0.28;
  return urban ? 0.55 : 0.15;
}

/** Share of persons who change insurance type once within the generated years (转换险种). */
const SWITCH_SHARE = 0.006;

export interface Person {
  index: number;
  psnNo: string;
  county: County;
  sex: '1' | '2';
  birthDay: number;
  /** Insurance type at the end of the generated period. */
  insuranceType: InsuranceType;
  /** Day from which `insuranceType` applies when the person switched type; before it, the other type. */
  switchDay?: number;
}

export class Population {
  readonly size: number;
  readonly minBirthYear: number;
  readonly maxBirthYear: number;
  /** Per block: first person index; block id = (county × 2 + sex) × years + (birthYear − minBirthYear). */
  private readonly starts: Int32Array;
  private readonly counts: Int32Array;
  private readonly nYears: number;
  /** Day number of 1 January of each birth year, and that year's length. */
  private readonly yearStart: Int32Array;
  private readonly yearLength: Int16Array;

  constructor(
    private readonly seedKey: number,
    target: number,
    private readonly counties: readonly County[],
    /** Last year of the generated period: ages of the pyramid hold on its 31 December. */
    private readonly refYear: number,
    /** First day of the generated period (insurance switches happen inside it). */
    private readonly firstDay: number,
    private readonly calendar: DateTexts,
    /**
     * The part of the population this generator admits: persons whose index ≡ `shard` (mod `shards`). `count`
     * and `indexIn` see only them; `person(i)` and the rest still describe everyone.
     */
    readonly shard = 0,
    readonly shards = 1,
  ) {
    if (!Number.isInteger(shards) || shards < 1 || !Number.isInteger(shard) || shard < 0 || shard >= shards)
      throw new RangeError(`population: shard ${shard} of ${shards}`);
    this.minBirthYear = refYear - MAX_AGE;
    this.maxBirthYear = refYear;
    this.nYears = MAX_AGE + 1;
    this.yearStart = new Int32Array(this.nYears);
    this.yearLength = new Int16Array(this.nYears);
    for (let y = 0; y < this.nYears; y++) {
      this.yearStart[y] = dayNumber(this.minBirthYear + y, 1, 1);
      this.yearLength[y] = daysInYear(this.minBirthYear + y);
    }
    const nBlocks = counties.length * 2 * this.nYears;
    this.starts = new Int32Array(nBlocks + 1);
    this.counts = new Int32Array(nBlocks);
    const bandTotal = AGE_BANDS.reduce((a, b) => a + b, 0);
    let next = 0;
    counties.forEach((county, c) => {
      for (let sex = 0; sex < 2; sex++) {
        const sexShare = sex === 0 ? MALE_SHARE : 1 - MALE_SHARE;
        for (let y = 0; y < this.nYears; y++) {
          const age = refYear - (this.minBirthYear + y);
          const perYear = AGE_BANDS[Math.min(AGE_BANDS.length - 1, Math.floor(age / 5))]! / 5 / bandTotal;
          const count = Math.round(target * county.populationShare * sexShare * perYear);
          const b = (c * 2 + sex) * this.nYears + y;
          this.starts[b] = next;
          this.counts[b] = count;
          next += count;
        }
      }
    });
    this.starts[nBlocks] = next;
    this.size = next;
  }

  private blockOf(index: number): number {
    let lo = 0;
    let hi = this.counts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.starts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    // Skip empty blocks that share the same start.
    while (this.counts[lo] === 0) lo++;
    return lo;
  }

  get countyCount(): number {
    return this.counties.length;
  }

  /** Birth day of person `index`, without building the whole person. */
  birthDayOf(index: number): number {
    const y = this.blockOf(index) % this.nYears;
    return this.yearStart[y]! + (streamKey(this.seedKey, STREAM.person, index) % this.yearLength[y]!);
  }

  sexOf(index: number): '1' | '2' {
    const block = this.blockOf(index);
    return (((block - (block % this.nYears)) / this.nYears) & 1) === 0 ? '1' : '2';
  }

  /** Person `index` (0 ≤ index < size). */
  person(index: number): Person {
    const block = this.blockOf(index);
    const y = block % this.nYears;
    const cs = (block - y) / this.nYears;
    const county = this.counties[cs >> 1]!;
    const sex = (cs & 1) === 0 ? '1' : '2';
    const birthYear = this.minBirthYear + y;
    const h1 = streamKey(this.seedKey, STREAM.person, index);
    const h2 = mix32(h1 ^ 0x5bd1e995);
    const h3 = mix32(h2 ^ 0x27d4eb2d);
    const birthDay = this.yearStart[y]! + (h1 % this.yearLength[y]!);
    const ageAtRef = this.refYear - birthYear;
    const employee = h2 / 4294967296 < employeeShare(ageAtRef, county.urban);
    const person: Person = {
      index,
      psnNo: `${county.code}${String(index).padStart(10, '0')}`,
      county,
      sex,
      birthDay,
      insuranceType: employee ? 'employee' : 'resident',
    };
    if (h3 / 4294967296 < SWITCH_SHARE) {
      const lastDay = dayNumber(this.refYear, 12, 31);
      const from = Math.max(this.firstDay, birthDay + 1);
      if (lastDay > from) person.switchDay = from + (mix32(h3) % (lastDay - from));
    }
    return person;
  }

  /** Insurance type of a person on a day. */
  insuranceOn(person: Person, day: number): InsuranceType {
    if (person.switchDay === undefined || day >= person.switchDay) return person.insuranceType;
    return person.insuranceType === 'employee' ? 'resident' : 'employee';
  }

  /** Age in completed years of a person on a day. */
  ageOn(person: Person, day: number): number {
    return this.calendar.age(person.birthDay, day);
  }

  /** Number of persons of this shard in (county, sex, birth year). */
  count(countyIndex: number, sex: '1' | '2', birthYear: number): number {
    if (birthYear < this.minBirthYear || birthYear > this.maxBirthYear) return 0;
    const b = this.block(countyIndex, sex, birthYear);
    const n = this.counts[b]!;
    if (this.shards === 1) return n;
    const first = this.firstInShard(this.starts[b]!);
    const end = this.starts[b]! + n;
    return first < end ? Math.ceil((end - first) / this.shards) : 0;
  }

  /** The index of the `k`-th person (0-based) of this shard in (county, sex, birth year). */
  indexIn(countyIndex: number, sex: '1' | '2', birthYear: number, k: number): number {
    const start = this.starts[this.block(countyIndex, sex, birthYear)]!;
    return this.shards === 1 ? start + k : this.firstInShard(start) + k * this.shards;
  }

  /** The first index ≥ `from` in this shard. */
  private firstInShard(from: number): number {
    return from + ((((this.shard - from) % this.shards) + this.shards) % this.shards);
  }

  private block(countyIndex: number, sex: '1' | '2', birthYear: number): number {
    return (countyIndex * 2 + (sex === '1' ? 0 : 1)) * this.nYears + (birthYear - this.minBirthYear);
  }
}
