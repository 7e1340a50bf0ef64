/**
 * Risk adjustment (风险调整, R-CAP-2) behind one interface, so that the cell model the trial rules name now and a
 * regression model later plug in the same way.
 *
 * 攀枝花医保 二类门特按病种结合人头付费试行办法 四(四)1(2): "将基本医保二类门特参保人员中年龄 65 岁及以上和罹患一类门特疾病作为风险
 * 调整因素实行风险调整。根据运行情况，可将包括但不限于年龄、性别、罹患大病情况以及个人医疗费用与平均医疗费用的差异等逐步纳入风险调整因素。"
 *
 * Cells: age ≥ threshold × class-1 disease (4 cells). Calibrated weights are observed ÷ expected (indirect
 * standardisation): Σ history cost of the cell's heads ÷ Σ of their diseases' per-head standards, so weights
 * correct for age and class-1 disease without re-counting the disease mix; across all history heads the
 * expected-weighted mean weight is exactly 1. A cell without history heads gets weight 1 (shown).
 */
import type { TraceValue } from '../../model/explain.ts';
import { addRatios, formatRatio, ONE, type Ratio, RatioSum, ratio, ZERO } from '../../model/money.ts';
import { byCode } from '../common/period.ts';
import type { HistoryStandard } from './standards.ts';
import { groupCost } from './standards.ts';
import {
  type CapitationHistoryGroup,
  type CapitationPolicy,
  type RiskFactors,
  type RiskScore,
  standardKey,
} from './types.ts';

export interface RiskModel {
  id: string;
  zh: string;
  en: string;
  /** Clause the model implements. */
  source: string;
  score(f: RiskFactors): RiskScore;
  /** Parameters to show in explanations. */
  parameters(): Record<string, TraceValue>;
  /** A cell model's weights and age threshold: what a run stores to score one head again (`explain`). */
  cells?: { weights: readonly CellWeight[]; ageThreshold: number };
}

export interface CellWeight {
  age65: boolean;
  class1: boolean;
  weight: Ratio;
  /** Calibration evidence (absent for a policy table). */
  heads?: number;
  observed?: bigint;
  expected?: Ratio;
}

export const cellName = (age65: boolean, class1: boolean): string =>
  `${age65 ? 'age65+' : 'age<65'}/${class1 ? 'class1' : 'no-class1'}`;

/**
 * A cell's name (`cellName`) in the reader's words with the model's age threshold (the name says `age65+` whatever
 * it is): zh `65 岁及以上、有一类门特`, en `65 and over, with a class-1 disease`; a name of another form is shown as it is.
 */
export function cellWords(name: string, lang: 'zh' | 'en', ageThreshold = 65): string {
  const [age, klass] = name.split('/');
  const old = age === 'age65+' ? true : age === 'age<65' ? false : undefined;
  const one = klass === 'class1' ? true : klass === 'no-class1' ? false : undefined;
  if (old === undefined || one === undefined) return name;
  const t = ageThreshold;
  if (lang === 'zh') return `${t} 岁${old ? '及以上' : '以下'}、${one ? '有' : '无'}一类门特`;
  return `${old ? `${t} and over` : `under ${t}`}, ${one ? 'with' : 'without'} a class-1 disease`;
}

const CELLS: [boolean, boolean][] = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
];

/** The cell model: weight of the head's cell. */
export function cellRiskModel(cells: readonly CellWeight[], ageThreshold: number, source: string): RiskModel {
  const byName = new Map(cells.map((c) => [cellName(c.age65, c.class1), c]));
  for (const [a, k] of CELLS) {
    if (!byName.has(cellName(a, k))) throw new RangeError(`risk cell ${cellName(a, k)} has no weight / 风险格缺少权重`);
  }
  return {
    id: 'cells',
    cells: { weights: cells, ageThreshold },
    zh: `风险格（年龄 ≥ ${ageThreshold} × 一类门特）`,
    en: `cells (age ≥ ${ageThreshold} × class-1 special disease)`,
    source,
    score(f) {
      const name = cellName(f.ageYears >= ageThreshold, f.hasClass1);
      return { weight: byName.get(name)!.weight, cell: name };
    },
    parameters() {
      return Object.fromEntries(
        CELLS.map(([a, k]) => [cellName(a, k), formatRatio(byName.get(cellName(a, k))!.weight, 6)]),
      );
    },
  };
}

/** Calibrate cell weights from history (its heads grouped): observed ÷ expected per cell (see module doc). */
export function calibrateCellWeights(
  history: readonly CapitationHistoryGroup[],
  standards: ReadonlyMap<string, HistoryStandard>,
  policy: CapitationPolicy,
): CellWeight[] {
  const acc = new Map<string, { heads: number; observed: bigint; expected: RatioSum }>();
  for (const g of history) {
    const s = standards.get(standardKey(g.insuranceType, g.diseaseCode));
    if (!s || g.heads === 0) continue;
    const name = cellName(g.overAge, g.hasClass1);
    const a = acc.get(name) ?? { heads: 0, observed: 0n, expected: new RatioSum() };
    a.heads += g.heads;
    a.observed += BigInt(groupCost(g, policy));
    // The group's heads each expect their disease's per-head standard: heads × perHead (the sum reduces once).
    a.expected.add({ num: s.perHead.num * BigInt(g.heads), den: s.perHead.den });
    acc.set(name, a);
  }
  return CELLS.map(([age65, class1]) => {
    const a = acc.get(cellName(age65, class1));
    const expected = a?.expected.value();
    if (!a || !expected || expected.num === 0n) return { age65, class1, weight: ONE, heads: 0 };
    return {
      age65,
      class1,
      weight: ratio(a.observed * expected.den, expected.num),
      heads: a.heads,
      observed: a.observed,
      expected,
    };
  });
}

/** The risk model the policy names: cells calibrated from history (grouped), or cells from the policy's table. */
export function policyRiskModel(
  policy: CapitationPolicy,
  history: readonly CapitationHistoryGroup[],
  standards: ReadonlyMap<string, HistoryStandard>,
): RiskModel {
  const rw = policy.riskWeights.value;
  const cells = rw.method === 'table' ? rw.cells : calibrateCellWeights(history, standards, policy);
  return cellRiskModel(cells, policy.riskAgeThreshold.value, policy.riskWeights.source);
}

/**
 * A linear risk model (e.g. fitted by regression elsewhere): weight = intercept + Σ coefficient × indicator, with
 * indicators age ≥ threshold, class-1 disease and female sex. Exact; a negative weight is an error.
 */
export function linearRiskModel(args: {
  intercept: Ratio;
  age65: Ratio;
  class1: Ratio;
  female?: Ratio;
  ageThreshold: number;
  source: string;
}): RiskModel {
  const female = args.female ?? ZERO;
  return {
    id: 'linear',
    zh: '线性风险模型（回归系数）',
    en: 'linear risk model (regression coefficients)',
    source: args.source,
    score(f) {
      let w = args.intercept;
      const parts: string[] = [];
      if (f.ageYears >= args.ageThreshold) {
        w = addRatios(w, args.age65);
        parts.push('age65+');
      }
      if (f.hasClass1) {
        w = addRatios(w, args.class1);
        parts.push('class1');
      }
      if (f.sex === '2') {
        w = addRatios(w, female);
        parts.push('female');
      }
      if (w.num < 0n) throw new RangeError(`linear risk model gives a negative weight for ${parts.join('+')}`);
      return { weight: w, cell: parts.length ? parts.sort(byCode).join('+') : 'base' };
    },
    parameters() {
      return {
        intercept: formatRatio(args.intercept, 6),
        age65: formatRatio(args.age65, 6),
        class1: formatRatio(args.class1, 6),
        female: formatRatio(female, 6),
      };
    },
  };
}
