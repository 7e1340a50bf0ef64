/**
 * Who is admitted where: the institution a patient goes to for a treatment, and the person admitted — never
 * someone already in hospital that day, nor someone who has died.
 */
import type { Population } from './population.ts';
import { cumulative, type Rng } from './prng.ts';
import type { ClinicalProfile, LevelWeights, TreatmentOption } from './profiles/types.ts';
import { type County, capacity, distanceFactor, SERVICE_AFFINITY, type SynthInstitution } from './region.ts';

/** Institutions by treatment and home county, as cumulative choice weights (computed once per pair). */
export class InstitutionChooser {
  /** Per treatment option: cumulative weights by home county. */
  private readonly cache = new WeakMap<TreatmentOption, (Float64Array | undefined)[]>();

  constructor(
    private readonly institutions: readonly SynthInstitution[],
    private readonly counties: readonly County[],
  ) {}

  weights(profile: ClinicalProfile, option: TreatmentOption, countyIndex: number): Float64Array {
    let byCounty = this.cache.get(option);
    if (!byCounty) {
      byCounty = [];
      this.cache.set(option, byCounty);
    }
    let cum = byCounty[countyIndex];
    if (!cum) {
      const levels: LevelWeights = option.levels ?? profile.levels;
      const home = this.counties[countyIndex]!;
      const w = this.institutions.map((inst) => {
        const affinity = SERVICE_AFFINITY[inst.facility][profile.line] ?? 0;
        const county = this.counties.find((c) => c.code === inst.county)!;
        return affinity * levels[inst.level] * capacity(inst) * distanceFactor(home, county, inst);
      });
      if (!w.some((x) => x > 0)) throw new Error(`synth: no institution treats ${profile.id}/${option.key}`);
      cum = cumulative(w);
      byCounty[countyIndex] = cum;
    }
    return cum;
  }

  pick(rng: Rng, profile: ClinicalProfile, option: TreatmentOption, countyIndex: number): SynthInstitution {
    return this.institutions[rng.pickCumulative(this.weights(profile, option, countyIndex))]!;
  }
}

/** Marks `busyUntil` for the dead: they are never admitted again. */
const DEAD = 0x7fffffff;

/**
 * The persons' hospital calendar: the day each was last discharged (a person is free from that day on), and
 * deaths. One Int32 per insured person of the shard (persons whose index ≡ shard mod `shards`; slot index / shards).
 */
export class Occupancy {
  private readonly busyUntil: Int32Array;
  /** Day of death by person index. */
  readonly deaths = new Map<number, number>();

  constructor(
    populationSize: number,
    private readonly shards = 1,
  ) {
    this.busyUntil = new Int32Array(Math.ceil(populationSize / shards));
  }

  private slot(index: number): number {
    return this.shards === 1 ? index : Math.floor(index / this.shards);
  }

  isFree(index: number, admissionDay: number): boolean {
    return this.busyUntil[this.slot(index)]! <= admissionDay;
  }

  /** Lowest admission day allowed for the person (DEAD when dead). */
  freeFrom(index: number): number {
    return this.busyUntil[this.slot(index)]!;
  }

  stay(index: number, dischargeDay: number): void {
    const i = this.slot(index);
    if (this.busyUntil[i]! < dischargeDay) this.busyUntil[i] = dischargeDay;
  }

  die(index: number, day: number): void {
    this.busyUntil[this.slot(index)] = DEAD;
    this.deaths.set(index, day);
  }
}

export interface PersonRequest {
  countyIndex: number;
  sex: '1' | '2';
  birthYear: number;
  /** The person must be born before this day and free on it. */
  admissionDay: number;
}

function tryBlock(
  rng: Rng,
  population: Population,
  occupancy: Occupancy,
  req: PersonRequest,
  county: number,
  birthYear: number,
  draws: number,
  accept: ((index: number) => boolean) | undefined,
): number {
  const n = population.count(county, req.sex, birthYear);
  if (n === 0) return -1;
  for (let t = 0; t < draws; t++) {
    const idx = population.indexIn(county, req.sex, birthYear, Math.floor(rng.next() * n));
    if (
      occupancy.isFree(idx, req.admissionDay) &&
      population.birthDayOf(idx) < req.admissionDay &&
      (accept === undefined || accept(idx))
    )
      return idx;
  }
  return -1;
}

const NEAR_YEARS = [0, -1, 1, -2, 2] as const;

/**
 * A free person of the requested county, sex and birth year: random draws first, then neighbouring birth
 * years, then other counties, then a scan — so a request only fails when nobody at all is free.
 */
export function choosePerson(
  rng: Rng,
  population: Population,
  occupancy: Occupancy,
  req: PersonRequest,
  accept?: (index: number) => boolean,
): number {
  for (const dy of NEAR_YEARS) {
    const found = tryBlock(
      rng,
      population,
      occupancy,
      req,
      req.countyIndex,
      req.birthYear + dy,
      dy === 0 ? 12 : 4,
      accept,
    );
    if (found >= 0) return found;
  }
  for (let c = 0; c < population.countyCount; c++) {
    const found = tryBlock(rng, population, occupancy, req, c, req.birthYear, 6, accept);
    if (found >= 0) return found;
  }
  for (let idx = population.shard; idx < population.size; idx += population.shards) {
    if (
      population.sexOf(idx) === req.sex &&
      occupancy.isFree(idx, req.admissionDay) &&
      population.birthDayOf(idx) < req.admissionDay &&
      (accept === undefined || accept(idx))
    )
      return idx;
  }
  throw new Error('synth: no free person left in the population');
}
