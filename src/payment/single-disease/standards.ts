/**
 * Payment standards by institution level (病种支付标准): the published standard of the catalog, or one calibrated
 * from history — the mean cost of the entry's past in-pathway cases at the level, trimmed at the policy's
 * quantiles, × an adjustment. R-PAY-DISEASE.
 *
 * 资府办函〔2018〕52号 二(六): "以既往费用数据和医保基金支付能力为基础，在保证疗效的基础上科学合理确定病种收付费标准"
 *
 * Trimming: of n sorted costs, floor(n × trimLow) are dropped at the bottom and floor(n × (1 − trimHigh)) at the
 * top. A level with fewer than `minCases` cases left uses the pooled cases of all levels (shown). Rounding: the
 * standard = mean × adjust, rounded half-up to the fen, once.
 */
import type { Institution, InstitutionLevel } from '../../model/institution.ts';
import { divRound, type Fen, type Ratio, ratio } from '../../model/money.ts';
import { indexBy, pushTo } from '../common/index-by.ts';
import { type DiseaseEncounter, matchEntry, type SingleDiseasePolicy } from './catalog.ts';
import { pathwayExits } from './pathway.ts';

export const LEVELS: readonly InstitutionLevel[] = ['3', '2', '1', 'primary'];

export interface DiseaseStandard {
  code: string;
  level: InstitutionLevel;
  standard: Fen;
  basis: 'policy' | 'calibrated-level' | 'calibrated-pooled';
  source: string;
  /** Calibration evidence. */
  cases?: number;
  trimmedMean?: Ratio;
}

/** Standards keyed by `${code}|${level}`. */
export type StandardTable = ReadonlyMap<string, DiseaseStandard>;
export const standardKeyOf = (code: string, level: InstitutionLevel): string => `${code}|${level}`;

export interface StandardGap {
  code: string;
  level: InstitutionLevel;
  cases: number;
}

function trimmed(costs: Fen[], policy: SingleDiseasePolicy): Fen[] {
  const { trimLow, trimHigh } = policy.calibration.value;
  const sorted = [...costs].sort((a, b) => a - b);
  const n = BigInt(sorted.length);
  const low = Number((n * trimLow.num) / trimLow.den);
  const high = Number((n * (trimHigh.den - trimHigh.num)) / trimHigh.den);
  return sorted.slice(low, sorted.length - high);
}

/**
 * The standards in force: the policy's where given, else calibrated from `history` (past encounters) at the
 * level, else pooled over levels; gaps are listed (their cases are reported `ungrouped`).
 */
export function buildStandards(
  policy: SingleDiseasePolicy,
  history: readonly DiseaseEncounter[] = [],
  institutions: readonly Institution[] = [],
): { table: StandardTable; gaps: StandardGap[] } {
  const acc = standardsAccumulator(policy, institutions);
  acc.add(history);
  return acc.finish();
}

/**
 * The standards as an accumulator: past encounters are added batch by batch; only the costs of in-pathway
 * cases of catalogued entries are kept (per entry × level), then trimmed and priced by `finish`. The order of
 * the cases does not matter (costs are sorted before trimming).
 */
export interface StandardsAccumulator {
  add(batch: readonly DiseaseEncounter[]): void;
  finish(): { table: StandardTable; gaps: StandardGap[] };
}

export function standardsAccumulator(
  policy: SingleDiseasePolicy,
  institutions: readonly Institution[] = [],
): StandardsAccumulator {
  const insts = indexBy(institutions, (i) => i.code, 'institution');
  const costs = new Map<string, Fen[]>(); // code|level → costs of in-pathway cases
  const add = (history: readonly DiseaseEncounter[]): void => {
    for (const c of history) {
      const inst = insts.get(c.institutionCode);
      if (!inst) continue;
      const m = matchEntry(c, policy.catalog.value);
      if (m.kind !== 'match' || pathwayExits(c, m.entry, policy).length > 0) continue;
      pushTo(costs, standardKeyOf(m.entry.code, inst.level), c.totalCost);
    }
  };
  return { add, finish: () => priceStandards(policy, costs) };
}

function priceStandards(
  policy: SingleDiseasePolicy,
  costs: ReadonlyMap<string, Fen[]>,
): { table: StandardTable; gaps: StandardGap[] } {
  const { minCases, adjust } = policy.calibration.value;
  const priced = (list: Fen[]) => {
    const kept = trimmed(list, policy);
    if (kept.length === 0) return undefined;
    const sum = BigInt(kept.reduce((s, x) => s + x, 0));
    const mean: Ratio = ratio(sum, BigInt(kept.length));
    return {
      standard: Number(divRound(sum * adjust.num, BigInt(kept.length) * adjust.den, 'half-up')),
      mean,
      n: kept.length,
    };
  };
  const table = new Map<string, DiseaseStandard>();
  const gaps: StandardGap[] = [];
  for (const e of policy.catalog.value) {
    const pooled = LEVELS.flatMap((l) => costs.get(standardKeyOf(e.code, l)) ?? []);
    for (const level of LEVELS) {
      const given = e.standards?.[level];
      const key = standardKeyOf(e.code, level);
      if (given !== undefined) {
        table.set(key, { code: e.code, level, standard: given, basis: 'policy', source: policy.catalog.source });
        continue;
      }
      const own = costs.get(key) ?? [];
      const useOwn = own.length >= minCases;
      const list = useOwn ? own : pooled.length >= minCases ? pooled : [];
      const p = list.length > 0 ? priced(list) : undefined;
      if (!p) {
        gaps.push({ code: e.code, level, cases: own.length });
        continue;
      }
      table.set(key, {
        code: e.code,
        level,
        standard: p.standard,
        basis: useOwn ? 'calibrated-level' : 'calibrated-pooled',
        source: policy.calibration.source,
        cases: p.n,
        trimmedMean: p.mean,
      });
    }
  }
  return { table, gaps };
}
