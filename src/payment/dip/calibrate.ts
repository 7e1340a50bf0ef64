/**
 * Catalog calibration from history (病种分值目录测算, R-DIP-1, R-DIP-2, R-DIP-5).
 *
 * 002 四(二): "各统筹地区按照本地前3年数据进行全样本数据病例平均医疗费用测算，确定核心病种的分值。"
 * DIP 技术规范: 核心病种 = 主要诊断亚目 × 手术操作组合，病例数 ≥ 临界值 (如 15)；其余按主要诊断类目 × 治疗方式 归入综合病种；
 * RW_i = m_i ÷ M × 1000 (或 100)，年度按 1:2:7 加权，可剔除 2.5% / 97.5% 以外的费用；辅助目录系数 = 亚型次均 ÷ 病种次均；
 * 医院等级系数 = 同级别加权次均费用 ÷ 全市加权次均费用；年初点值 = 加权总费用 ÷ 加权总点数.
 *
 * History cases are assigned directly (their own combination if it is a core group, else the comprehensive group);
 * the matching fallbacks of grouper.ts apply to current-year cases. Means are exact ratios; a score is rounded once,
 * half-up, to 0.0001 point; coefficients half-up to `coefficientDecimals`. Pass per-bed-day cases separately: they
 * are not DIP history (R-DIP-4).
 */

import {
  type AuxiliaryCoefficient,
  CATALOG_FORMAT,
  type Catalog,
  type CatalogGroup,
  type CatalogWarning,
  catalogHash,
  comprehensiveGroupCode,
  coreGroupCode,
  ratioToDecimal,
  ratioToText,
} from '../../grouping/dip/catalog.ts';
import { showDiagnosis, showProcedure } from '../../grouping/dip/codes.ts';
import { CasePreparer } from '../../grouping/dip/prepare.ts';
import {
  type ProcedureClassifier,
  TREATMENT_ORDER,
  type TreatmentType,
  treatmentRank,
} from '../../grouping/dip/treatment.ts';
import type { Diagnosis, InpatientCase, Procedure } from '../../model/case.ts';
import {
  memoById,
  memoByListPair,
  procedureListsById,
  type CaseColumns as StoreCaseColumns,
} from '../../model/case-columns.ts';
import type { TraceStep } from '../../model/explain.ts';
import type { HistoryKeys, HistoryTails, HistoryTrimPlan } from '../../model/history-keys.ts';
import type { Institution, InstitutionLevel } from '../../model/institution.ts';
import { compareRatios, divRound, fenToYuan, mulRatios, parseDecimal, type Ratio, ratio } from '../../model/money.ts';
import { formatPoints, toPoints } from '../../model/points.ts';
import { formatRatioShort, openingPointValue, type WeightedYear } from '../../settlement/point-value.ts';
import { formatPointValue } from '../../settlement/value.ts';
import { type AuxCase, caseCharlson, matcherFor } from './auxiliary.ts';
import { type CoefficientTable, coefficientEntries, LEVELS, toScaled } from './coefficients.ts';
import { DipError } from './errors.ts';
import { basePoints } from './points.ts';
import type { DipPolicy } from './policy.ts';
import { populationCv, trimRange, weightedMean, type YearSum } from './stats.ts';

export interface CalibrationInput {
  /** History cases of the policy's history years (other years are skipped with a warning). */
  history: readonly InpatientCase[];
  institutions: readonly Institution[];
  policy: DipPolicy;
  /** Policy file id, version and region, recorded in the catalog. */
  meta: { policyId: string; version: string; region: string };
  classify?: ProcedureClassifier;
}

export interface CalibrationResult {
  catalog: Catalog;
  /** Opening-year point value (fen per point), exact. */
  openingPointValue: Ratio;
  /** The point value deviating cases are measured with (the opening value, or the policy's). */
  referencePointValue: Ratio;
  openingYears: WeightedYear[];
  /** How the catalog was calibrated: threshold, M, coefficients, point value. */
  steps: TraceStep[];
}

interface Combo {
  dx4: string;
  dx3: string;
  procedures: string[];
  treatment: TreatmentType;
  count: number;
}

interface GroupAcc {
  code: string;
  kind: 'core' | 'comprehensive';
  dx: string;
  procedures: string[];
  treatment: TreatmentType;
  /** The group's slots: positions [from, from + slots) of the group-ordered slot arrays (see step 3). */
  from: number;
  slots: number;
  /** The group's cases. */
  size: number;
}

/** What steps 5–11 read: the groups, their slots laid out group by group, each slot's kept cases and cost. */
interface GroupedHistory {
  groups: GroupAcc[];
  groupIndex: Map<string, number>;
  threshold: number;
  /** Positions: each one's slot, its cases, untrimmed cost and subtype mask. */
  placed: number;
  posSlot: Int32Array;
  posN: Float64Array;
  posCost: Float64Array;
  posMask: Int32Array;
  /** Slots: group (−1: none), year position, institution index (−1: unknown), kept cases and their cost. */
  slots: number;
  slotGroup: Int32Array;
  slotYear: Int8Array;
  slotInst: Int32Array;
  keptN: Float64Array;
  keptCost: Float64Array;
  /** Per group: year-weighted mean of the kept cases, CV, kept count; all kept cases per year. */
  means: (Ratio | null)[];
  cvs: (number | null)[];
  trimmedCounts: number[];
  allYears: YearSum[];
  /** How much splitting subtype `bit` off the group lowers its CV (the trigger `minCvReduction`). */
  cvReductionOf: (g: GroupAcc, bit: number) => number;
}

const EMPTY_LIST: readonly string[] = [];

const LEVEL_ZH: Record<InstitutionLevel, string> = { '3': '三级', '2': '二级', '1': '一级', primary: '基层' };

const cmpStr = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Calibrate a catalog from an array of history cases (the calibrator fed with one batch). */
export function calibrateCatalog(input: CalibrationInput): CalibrationResult {
  const { history, ...rest } = input;
  const c = catalogCalibrator(rest);
  c.add(history);
  return c.finish();
}

/**
 * The calibration as an accumulator: add history cases batch by batch (no case is kept: each is reduced at once to
 * its year, combination, cost, institution and auxiliary subtypes in typed columns, plus its setl_id for the
 * trimming order), then `finish` once. The result does not depend on the batching or the order of the cases.
 */
export interface CatalogCalibrator {
  add(batch: readonly InpatientCase[]): void;
  /**
   * The same from the store's typed columns (rows in setl_id order within each year, years in turn; `skip` marks
   * rows of another method). One calibrator takes cases or columns, not both.
   */
  addColumns(columns: StoreCaseColumns, skip?: Uint8Array): void;
  finish(): CalibrationResult;
  /**
   * The keyed path (issue 9, the history pass as SQL): the history's key rows from the store (their `excluded` rows
   * are another method's and left out), then which groups to trim and by how many cases at each end — or null when
   * nothing is trimmed. `finishKeys` takes the trimmed cases the store found by that plan.
   */
  planKeys(keys: HistoryKeys): HistoryTrimPlan | null;
  finishKeys(tails: HistoryTails): CalibrationResult;
}

/** Growable typed columns, one slot per history case added. */
class CaseColumns {
  capacity = 0;
  n = 0;
  year = new Int8Array(0);
  combo = new Int32Array(0);
  mask = new Int32Array(0);
  inst = new Int32Array(0);
  cost = new Float64Array(0);
  setlId: string[] = [];

  /** The next slot (year, combo and institution −1: not counted); `setlId` null on the columnar path. */
  next(setlId: string | null): number {
    if (this.n === this.capacity) this.reserve(1);
    const i = this.n++;
    this.year[i] = -1;
    this.combo[i] = -1;
    this.inst[i] = -1;
    if (setlId !== null) this.setlId.push(setlId);
    return i;
  }

  /** Room for `k` more slots. */
  reserve(k: number): void {
    if (this.n + k > this.capacity) {
      let cap = Math.max(1024, this.capacity * 2);
      while (cap < this.n + k) cap *= 2;
      const grow = <T extends Int8Array | Int32Array | Float64Array>(old: T, make: (n: number) => T): T => {
        const a = make(cap);
        a.set(old);
        return a;
      };
      this.year = grow(this.year, (k) => new Int8Array(k));
      this.combo = grow(this.combo, (k) => new Int32Array(k));
      this.mask = grow(this.mask, (k) => new Int32Array(k));
      this.inst = grow(this.inst, (k) => new Int32Array(k));
      this.cost = grow(this.cost, (k) => new Float64Array(k));
      this.capacity = cap;
    }
  }
}

export function catalogCalibrator(input: Omit<CalibrationInput, 'history'>): CatalogCalibrator {
  const { policy } = input;
  const years = policy.historyYears.value.years;
  const weights = policy.historyYears.value.weights;
  const preparer = new CasePreparer(input.classify);
  const warnings: CatalogWarning[] = [];
  const steps: TraceStep[] = [];
  const cols = new CaseColumns();

  // 1. Combinations (主要诊断亚目 × 手术操作组合) and their counts.
  const combos: Combo[] = [];
  let outOfYears = 0;
  let noDiagnosis = 0;
  // Per principal-diagnosis code: its 亚目 / 类目 and its combinations — none (conservative), one procedure,
  // a pair, or more (joined key) — so that most cases build no key string.
  interface DxCombos {
    dx4: string;
    dx3: string;
    conservative: number;
    single: Map<string, number>;
    pairs: Map<string, Map<string, number>>;
    multi: Map<string, number>;
  }
  const byDx4 = new Map<string, DxCombos>();
  const byRawDx = new Map<string, DxCombos>();
  const codes = preparer.codes;
  const dxCombos = (raw: string): DxCombos => {
    let e = byRawDx.get(raw);
    if (e === undefined) {
      const { dx4, dx3 } = codes.diagnosis(raw);
      e = byDx4.get(dx4);
      if (e === undefined) {
        e = { dx4, dx3, conservative: -1, single: new Map(), pairs: new Map(), multi: new Map() };
        byDx4.set(dx4, e);
      }
      byRawDx.set(raw, e);
    }
    return e;
  };
  const newCombo = (e: DxCombos, procedures: string[], treatment: TreatmentType): number => {
    combos.push({ dx4: e.dx4, dx3: e.dx3, procedures, treatment, count: 0 });
    return combos.length - 1;
  };
  const comboOf = (e: DxCombos, procs: readonly string[], rank: number): number => {
    const treatment = TREATMENT_ORDER[rank]!;
    if (procs.length === 0) {
      if (e.conservative < 0) e.conservative = newCombo(e, [], 'conservative');
      return e.conservative;
    }
    if (procs.length === 1) {
      const key = procs[0]!;
      let id = e.single.get(key);
      if (id === undefined) {
        id = newCombo(e, [key], treatment);
        e.single.set(key, id);
      }
      return id;
    }
    if (procs.length === 2) {
      const [lo, hi] = procs as [string, string];
      let m = e.pairs.get(lo);
      if (m === undefined) {
        m = new Map();
        e.pairs.set(lo, m);
      }
      let id = m.get(hi);
      if (id === undefined) {
        id = newCombo(e, [lo, hi], treatment);
        m.set(hi, id);
      }
      return id;
    }
    const key = procs.join('+');
    let id = e.multi.get(key);
    if (id === undefined) {
      id = newCombo(e, [...procs], treatment);
      e.multi.set(key, id);
    }
    return id;
  };
  const yearByNumber = new Map(years.map((y, i) => [y, i] as const));
  // The same as an array from the first history year (the columns' calendar years; −1: not a history year).
  const firstYear = Math.min(...years);
  const yearSlot = Int8Array.from(
    { length: Math.max(...years) - firstYear + 1 },
    (_, k) => yearByNumber.get(firstYear + k) ?? -1,
  );
  const yearOf = (t: string): number | undefined =>
    yearByNumber.get(
      (t.charCodeAt(0) - 48) * 1000 +
        (t.charCodeAt(1) - 48) * 100 +
        (t.charCodeAt(2) - 48) * 10 +
        (t.charCodeAt(3) - 48),
    );
  const instIndex = new Map(input.institutions.map((x, k) => [x.code, k] as const));
  const matcher = matcherFor(policy.auxiliary.value);
  const nSub = matcher.keys.length;
  const one: string[] = [''];
  const two: string[] = ['', ''];
  const principalOne: Diagnosis[] = [{ code: '' }];
  const procList: Procedure[] = [];
  /** The combination of a principal diagnosis (raw code) and procedures, counted by the caller. */
  const comboOfCodes = (dx: string, procedures: readonly Procedure[]): number => {
    const e = dxCombos(dx);
    const np = procedures.length;
    if (np === 0) return comboOf(e, EMPTY_LIST, 3);
    if (np === 1) {
      const pid = codes.procedure(procedures[0]!.code);
      one[0] = codes.procedureKey(pid);
      return comboOf(e, one, preparer.rankOf(pid));
    }
    if (np === 2) {
      const ia = codes.procedure(procedures[0]!.code);
      const ib = codes.procedure(procedures[1]!.code);
      const a = codes.procedureKey(ia);
      const b = codes.procedureKey(ib);
      const rank = Math.min(preparer.rankOf(ia), preparer.rankOf(ib));
      if (a === b) {
        one[0] = a;
        return comboOf(e, one, rank);
      }
      if (a < b) {
        two[0] = a;
        two[1] = b;
      } else {
        two[0] = b;
        two[1] = a;
      }
      return comboOf(e, two, rank);
    }
    principalOne[0] = { code: dx };
    procList.length = 0;
    procList.push(...procedures);
    const p = preparer.prepare({ diagnoses: principalOne, procedures: procList })!;
    return comboOf(e, p.procedures, treatmentRank(p.treatment));
  };
  let mode: 'cases' | 'columns' | 'keys' | undefined;
  const enter = (m: 'cases' | 'columns' | 'keys') => {
    if (mode !== undefined && mode !== m)
      throw new Error('catalog calibrator: cases, case columns or key rows, one of them (the trimming order differs)');
    mode = m;
  };
  const add = (batch: readonly InpatientCase[]): void => {
    enter('cases');
    for (const c of batch) {
      const i = cols.next(c.setlId);
      const y = yearOf(c.dischargeTime);
      if (y === undefined) {
        outOfYears++;
        continue;
      }
      const principal = c.diagnoses[0];
      if (!principal?.code) {
        noDiagnosis++;
        continue;
      }
      cols.year[i] = y;
      cols.cost[i] = c.totalCost;
      cols.inst[i] = instIndex.get(c.institutionCode) ?? -1;
      cols.mask[i] = nSub > 0 ? matcher.mask(c) : 0; // while the case is in cache
      const id = comboOfCodes(principal.code, c.procedures);
      combos[id]!.count++;
      cols.combo[i] = id;
    }
  };

  // The columnar path: combinations per distinct diagnosis × procedure list, CCI per diagnosis list, institution
  // per attribute tuple — each computed once. Rows come in setl_id order within a year (the store's order), so the
  // row sequence is the trimming tie-break the object path takes from the setl_ids.
  // Memos by dictionary id, valid for one dictionary (one iteration of the store).
  const procedureList = procedureListsById();
  const comboOfLists = memoByListPair((dict, d, p) =>
    comboOfCodes(dict.diagnoses[d]![0]!.code, procedureList(dict, p)),
  );
  const cciOf = memoById((dict, d) => caseCharlson({ diagnoses: dict.diagnoses[d]! }));
  const instOf = memoById((dict, a) => instIndex.get(dict.attributes[a]!.institutionCode) ?? -1);
  // One probe refilled per row; ageDays stays a property (undefined when absent) so its shape never changes.
  const probe: AuxCase = { ageYears: 0, ageDays: undefined, icuDays: 0, dischargeWay: '1', diagnoses: [] };
  const addColumns = (c: StoreCaseColumns, skip?: Uint8Array): void => {
    enter('columns');
    const { dict } = c;
    // Room for the batch at once, and the slot arrays as locals (they do not move within the batch).
    cols.reserve(c.n);
    const { year, combo, inst, cost, mask } = cols;
    for (let r = 0; r < c.n; r++) {
      if (skip?.[r]) continue;
      const i = cols.n++;
      combo[i] = -1;
      inst[i] = -1;
      const yr = c.year[r]! - firstYear;
      const y = yr >= 0 && yr < yearSlot.length ? yearSlot[yr]! : -1;
      if (y < 0) {
        year[i] = -1;
        outOfYears++;
        continue;
      }
      const d = c.diagnoses[r]!;
      const dx = dict.diagnoses[d]!;
      const principal = dx[0];
      if (!principal?.code) {
        year[i] = -1;
        noDiagnosis++;
        continue;
      }
      const a = c.attributes[r]!;
      year[i] = y;
      cost[i] = c.totalCost[r]!;
      inst[i] = instOf(dict, a);
      if (nSub > 0) {
        const cci = cciOf(dict, d);
        probe.ageYears = c.ageYears[r]!;
        probe.ageDays = c.ageDays[r]! >= 0 ? c.ageDays[r]! : undefined;
        probe.icuDays = c.icuDays[r]!;
        probe.dischargeWay = dict.attributes[a]!.dischargeWay;
        probe.diagnoses = dx;
        mask[i] = matcher.mask(probe, cci);
      } else mask[i] = 0;
      const id = comboOfLists(dict, d, c.procedures[r]!);
      combos[id]!.count++;
      combo[i] = id;
    }
  };

  /**
   * A history year of weight above 0 without a single case: the scores and the opening point value are weighted
   * over the years that have cases only (a missing year adds nothing to either sum), so 1:2:7 with only 2024 is
   * 2024 at 100%. DIP settles so — the DIP 技术规范 takes the years a region has — but says it, with the weights
   * actually applied (it said nothing, walk3 #4; DRG refuses, rwCalibration.yearWeights).
   */
  const missingYearsWarning = (caseYear: ArrayLike<number>, n: number): void => {
    const present = new Uint8Array(years.length);
    for (let i = 0; i < n; i++) present[caseYear[i]!] = 1;
    const missing = years.flatMap((_year, y) => (present[y] || weights[y]!.num === 0n ? [] : [y]));
    if (missing.length === 0) return;
    const kept = years.flatMap((_year, y) => (present[y] && weights[y]!.num > 0n ? [y] : []));
    const w = (y: number) => Number(weights[y]!.num) / Number(weights[y]!.den);
    const total = kept.reduce((s, y) => s + w(y), 0);
    const share = (y: number) => `${years[y]} ${((w(y) / total) * 100).toFixed(1)}%`;
    const list = (ys: number[], sep: string) => ys.map((y) => years[y]).join(sep);
    const weightList = (ys: number[]) => ys.map((y) => formatRatioShort(weights[y]!)).join(':');
    warnings.push({
      code: 'HISTORY_YEAR_MISSING',
      zh: `DIP 历史年度 ${list(missing, '、')}（权重 ${weightList(missing)}）没有病例：病种分值与年初点值只按有病例的年度 ${list(kept, '、')} 测算，权重 ${weightList(kept)} 重新归一为 ${kept.map(share).join('、')}；请导入这些年度的结算清单，或在 DIP 政策 historyYears 中去掉这些年度（${policy.historyYears.source}）`,
      en: `DIP history year(s) ${list(missing, ', ')} (weight ${weightList(missing)}) have no cases: the scores and the opening point value are calibrated from ${list(kept, ', ')} only, ${kept.length === 1 ? 'the weight' : 'the weights'} ${weightList(kept)} renormalised to ${kept.map(share).join(', ')}; ingest those years' settlement lists, or take them out of historyYears in the DIP policy (${policy.historyYears.source})`,
    });
  };

  /** Steps 1–2: what was read (`n` cases or key rows' cases added), and the core-group threshold (临界值). */
  const thresholdFor = (n: number): number => {
    if (outOfYears > 0) {
      warnings.push({
        code: 'OUT_OF_YEARS',
        zh: `${outOfYears} 例历史病例不在测算年度 ${years.join('、')} 内，未参与测算`,
        en: `${outOfYears} history cases outside ${years.join(', ')} were skipped`,
      });
    }
    if (noDiagnosis > 0) {
      warnings.push({
        code: 'NO_DIAGNOSIS',
        zh: `${noDiagnosis} 例历史病例无主要诊断，未参与测算`,
        en: `${noDiagnosis} history cases without a principal diagnosis were skipped`,
      });
    }
    const counted = n - outOfYears - noDiagnosis;
    if (counted === 0) {
      const ys = years.join('、');
      throw new DipError(
        'NO_HISTORY',
        `测算年度 ${ys} 内没有可用的历史病例（读到 ${n} 例，其中 ${outOfYears} 例不在这些年度、${noDiagnosis} 例无主要诊断）：请导入 ${ys} 年的结算清单（yibao ingest --kind cases），或在 DIP 政策 historyYears 中改为有数据的年度，或用 dip settle --catalog 给出病种目录（${policy.historyYears.source}）`,
        `no usable history cases in the calibration years ${years.join(', ')} (${n} read, ${outOfYears} outside those years, ${noDiagnosis} without a principal diagnosis): ingest the settlement lists of ${years.join(', ')} (yibao ingest --kind cases), change historyYears in the DIP policy to years you have, or give a catalog with dip settle --catalog (${policy.historyYears.source})`,
      );
    }

    // 2. The core-group threshold (临界值).
    const th = policy.coreGroupThreshold;
    let threshold: number;
    if (th.value.method === 'fixed') threshold = th.value.minCases;
    else {
      const counts = combos.map((c) => c.count).sort((a, b) => b - a);
      const target = ratio(BigInt(counted) * th.value.coverage.num, th.value.coverage.den);
      let cum = 0;
      threshold = (counts[0] ?? 0) + 1;
      for (const k of counts) {
        if (compareRatios(ratio(BigInt(cum)), target) >= 0) break;
        cum += k;
        threshold = k;
      }
    }
    steps.push({
      rule: 'R-DIP-1',
      clause: th.source,
      zh: '核心病种临界值：病例数达到临界值的 主要诊断亚目×手术操作组合 为核心病种，其余归入综合病种',
      en: 'core-group threshold: combinations with at least this many cases are core groups, the rest comprehensive',
      values: { 方法: th.value.method, 历史病例数: counted, 组合数: combos.length },
      result: threshold,
    });
    return threshold;
  };

  /** Step 3: the groups of the combinations (their sizes still 0). */
  const groupsOf = (threshold: number) => {
    // 3. Groups and their cases.
    const groupIndex = new Map<string, number>();
    const groups: GroupAcc[] = [];
    const comboGroup = new Int32Array(combos.length);
    combos.forEach((c, id) => {
      const core = c.count >= threshold;
      const procs = c.procedures.map(showProcedure);
      const code = core ? coreGroupCode(showDiagnosis(c.dx4), procs) : comprehensiveGroupCode(c.dx3, c.treatment);
      let g = groupIndex.get(code);
      if (g === undefined) {
        g = groups.length;
        groupIndex.set(code, g);
        groups.push({
          code,
          kind: core ? 'core' : 'comprehensive',
          dx: core ? showDiagnosis(c.dx4) : c.dx3,
          procedures: core ? procs : [],
          treatment: c.treatment,
          from: 0,
          slots: 0,
          size: 0,
        });
      }
      comboGroup[id] = g;
    });
    return { groupIndex, groups, comboGroup };
  };

  const finish = (): CalibrationResult => {
    const n = cols.n;
    const caseYear = cols.year;
    const caseCombo = cols.combo;
    const caseMask = cols.mask;
    const caseInst = cols.inst;
    const caseCost = cols.cost;
    const threshold = thresholdFor(n);
    const { groupIndex, groups, comboGroup } = groupsOf(threshold);
    const caseGroup = new Int32Array(n).fill(-1);
    for (let i = 0; i < n; i++) {
      const combo = caseCombo[i]!;
      if (combo < 0) continue;
      const g = comboGroup[combo]!;
      caseGroup[i] = g;
      groups[g]!.size++;
    }
    // The cases laid out group by group (ascending within a group), with their cost, year and subtype mask beside
    // them: the per-group passes below read contiguous memory instead of jumping through all cases (measured: the
    // gathers were most of trimming and the auxiliary coefficients).
    let placed = 0;
    for (const g of groups) {
      g.from = placed;
      g.slots = g.size;
      placed += g.size;
    }
    const next = Int32Array.from(groups, (g) => g.from);
    const posCase = new Int32Array(placed);
    const posCost = new Float64Array(placed);
    const posYear = new Int8Array(placed);
    const posMask = new Int32Array(placed);
    for (let i = 0; i < n; i++) {
      const g = caseGroup[i]!;
      if (g < 0) continue;
      const p = next[g]!++;
      posCase[p] = i;
      posCost[p] = caseCost[i]!;
      posYear[p] = caseYear[i]!;
      posMask[p] = caseMask[i]!;
    }

    // 4. Trimming, year-weighted means, CV.
    const trim = policy.trimming.value;
    const posKept = new Uint8Array(placed);
    const allYears: YearSum[] = years.map(() => ({ sum: 0, n: 0 }));
    const means: (Ratio | null)[] = [];
    const cvs: (number | null)[] = [];
    const trimmedCounts: number[] = [];
    if (years.length > 16) throw new DipError('TOO_MANY_YEARS', '测算年度不能超过 16 个', 'at most 16 history years');
    for (const g of groups) {
      const [s, e] = trim === 'none' ? [0, g.size] : trimRange(g.size, trim.low, trim.high);
      const to = g.from + g.size;
      const gCost = posCost.subarray(g.from, to);
      const gKept = posKept.subarray(g.from, to);
      markKept(posCase.subarray(g.from, to), gCost, posYear.subarray(g.from, to), cols.setlId, s, e, gKept);
      const ys: YearSum[] = years.map(() => ({ sum: 0, n: 0 }));
      let keptN = 0;
      let keptSum = 0;
      for (let p = g.from; p < to; p++) {
        if (!posKept[p]) continue;
        const cost = posCost[p]!;
        const y = posYear[p]!;
        ys[y]!.sum += cost;
        ys[y]!.n++;
        allYears[y]!.sum += cost;
        allYears[y]!.n++;
        keptN++;
        keptSum += cost;
      }
      means.push(weightedMean(ys, weights));
      cvs.push(keptCv(gKept, gCost, keptN, keptSum));
      trimmedCounts.push(e - s);
    }
    // Back to case order: each case a slot of one case, kept or not.
    const keptN = new Float64Array(n);
    const keptCost = new Float64Array(n);
    for (let p = 0; p < placed; p++) {
      if (!posKept[p]) continue;
      keptN[posCase[p]!] = 1;
      keptCost[posCase[p]!] = posCost[p]!;
    }
    return finishGroups({
      groups,
      groupIndex,
      threshold,
      placed,
      posSlot: posCase,
      posN: new Float64Array(placed).fill(1),
      posCost,
      posMask,
      slots: n,
      slotGroup: caseGroup,
      slotYear: caseYear,
      slotInst: caseInst,
      keptN,
      keptCost,
      means,
      cvs,
      trimmedCounts,
      allYears,
      cvReductionOf: (g, b) =>
        cvReductionOfSplit(
          Array.from({ length: g.size }, (_, q) => q),
          posCost.subarray(g.from, g.from + g.size),
          posMask.subarray(g.from, g.from + g.size),
          b,
        ),
    });
  };

  /**
   * Steps 5–11 from the groups and their slots (a slot: one case, or one key row's cases): M and the scores, small
   * comprehensive groups dropped, auxiliary coefficients (untrimmed slots, weighted by their cases), institution
   * coefficients and the opening point value (kept cases), the catalog.
   */
  const finishGroups = (x: GroupedHistory): CalibrationResult => {
    const { groups, groupIndex, threshold, placed, posSlot, posN, posCost, posMask } = x;
    const { means, cvs, trimmedCounts, allYears, keptN, keptCost } = x;
    const n = x.slots;
    const trim = policy.trimming.value;
    const caseGroup = x.slotGroup;
    const caseYear = x.slotYear;
    const caseInst = x.slotInst;
    missingYearsWarning(caseYear, n);

    // 5. M (基准费用) and scores.
    const basis = policy.scoreBasis;
    let M: Ratio | null;
    if (basis.value.method === 'mean') M = weightedMean(allYears, weights);
    else if (basis.value.method === 'fixed') M = ratio(BigInt(basis.value.meanCost));
    else {
      const code = basis.value.group;
      const g = groupIndex.get(code);
      if (g === undefined) {
        throw new DipError(
          'NO_BENCHMARK',
          `基准病种 ${code} 不在测算结果中`,
          `benchmark group ${code} not found`,
          code,
        );
      }
      M = means[g] ?? null;
    }
    if (!M || M.num <= 0n) throw new DipError('NO_BASIS', '基准费用为 0，无法计算分值', 'the score basis M is zero');
    const scale = policy.scoreScale.value;
    steps.push({
      rule: 'R-DIP-2',
      clause: `${basis.source}; ${policy.historyYears.source}; ${policy.scoreScale.source}`,
      zh: '病种分值 = 病种加权次均费用 ÷ 基准费用 M × 分值基准；年度权重加权',
      en: 'group score = weighted group mean cost ÷ reference cost M × score scale; years weighted',
      values: {
        M方法: basis.value.method,
        '基准费用M(元)': fenToYuan(Number(divRound(M.num, M.den))),
        年度: years.join(':'),
        权重: weights.map((w) => ratioToDecimal(w, 4).replace(/\.?0+$/, '')).join(':'),
        分值基准: scale,
        剔除: trim === 'none' ? '不剔除' : `${ratioToDecimal(trim.low, 4)} / ${ratioToDecimal(trim.high, 4)}`,
      },
    });

    // 6. Drop small comprehensive groups; primary-care marks.
    const minComp = policy.comprehensiveMinCases.value;
    const primaryList = new Set(policy.primaryCareGroups.value.groups);
    const maxPrimaryCv =
      Number(policy.primaryCareGroups.value.maxCv.num) / Number(policy.primaryCareGroups.value.maxCv.den);
    const cvWarn = Number(policy.cvWarning.value.num) / Number(policy.cvWarning.value.den);
    const dropped = new Uint8Array(groups.length);
    let droppedCases = 0;
    groups.forEach((g, k) => {
      if (g.kind === 'comprehensive' && g.size < minComp) {
        dropped[k] = 1;
        droppedCases += g.size;
      }
    });
    if (droppedCases > 0) {
      warnings.push({
        code: 'DROPPED_COMPREHENSIVE',
        zh: `${dropped.reduce((s, x) => s + x, 0)} 个综合病种病例数少于 ${minComp}，未纳入目录（${droppedCases} 例）`,
        en: `${dropped.reduce((s, x) => s + x, 0)} comprehensive groups below ${minComp} cases were dropped (${droppedCases} cases)`,
      });
    }
    for (const code of [...primaryList].sort()) {
      const g = groupIndex.get(code);
      if (g === undefined || dropped[g]) {
        warnings.push({
          code: 'PRIMARY_NOT_FOUND',
          zh: `基层病种 ${code} 不在本地目录中`,
          en: `primary-care group ${code} is not in the local catalog`,
          subject: code,
        });
      }
    }

    // 7. Auxiliary coefficients (untrimmed group cases).
    const aux = policy.auxiliary.value;
    const decimals = policy.coefficientDecimals.value;
    const coefScale = 10 ** decimals;
    const auxLists: AuxiliaryCoefficient[][] = groups.map(() => []);
    const posAux = new Int32Array(placed).fill(coefScale);
    // subtype bits in the order of their keys, so the catalog lists subtypes sorted
    const bitOrder = matcher.keys.map((_, b) => b).sort((a, b) => cmpStr(matcher.keys[a]!, matcher.keys[b]!));
    const cnt = new Float64Array(nSub);
    const sum = new Float64Array(nSub);
    const scaledCoef = new Int32Array(nSub);
    // Per-mask tallies when the masks are few enough to index (≤ 16 subtypes: 2^16 slots).
    const byMask =
      nSub > 0 && nSub <= 16
        ? {
            count: new Float64Array(1 << nSub),
            cost: new Float64Array(1 << nSub),
            best: new Int32Array(1 << nSub),
            seen: [] as number[],
          }
        : undefined;
    const minCoefficientBelow = Number(aux.minCoefficient.num) / Number(aux.minCoefficient.den) - 1 / coefScale;
    if (nSub > 0) {
      groups.forEach((g, k) => {
        if (dropped[k]) return;
        const to = g.from + g.slots;
        cnt.fill(0);
        sum.fill(0);
        let sumAll = 0;
        if (byMask) {
          // Count and sum per distinct mask first (a group's cases share few), then per subtype bit: the same
          // integer sums (exact below 2^53, as the per-case sums), with two array writes per case.
          const { count, cost: maskCost, seen } = byMask;
          seen.length = 0;
          for (let p = g.from; p < to; p++) {
            const cost = posCost[p]!;
            sumAll += cost;
            const m = posMask[p]!;
            if (count[m] === 0) seen.push(m);
            count[m]! += posN[p]!;
            maskCost[m]! += cost;
          }
          for (const m0 of seen) {
            let m = m0;
            while (m !== 0) {
              const b = 31 - Math.clz32(m & -m);
              cnt[b]! += count[m0]!;
              sum[b]! += maskCost[m0]!;
              m &= m - 1;
            }
            count[m0] = 0;
            maskCost[m0] = 0;
          }
        } else {
          for (let p = g.from; p < to; p++) {
            const cost = posCost[p]!;
            const k = posN[p]!;
            sumAll += cost;
            let m = posMask[p]!;
            while (m !== 0) {
              const b = 31 - Math.clz32(m & -m);
              cnt[b]! += k;
              sum[b]! += cost;
              m &= m - 1;
            }
          }
        }
        if (sumAll === 0) return;
        scaledCoef.fill(0);
        let any = false;
        for (const b of bitOrder) {
          if (cnt[b]! < aux.minCases) continue;
          // Far below the minimum even rounded up: no exact check needed (a double only filters, never decides).
          if ((sum[b]! * g.size) / (cnt[b]! * sumAll) < minCoefficientBelow) continue;
          const coef = ratio(BigInt(sum[b]!) * BigInt(g.size), BigInt(cnt[b]!) * BigInt(sumAll));
          const text = ratioToDecimal(coef, decimals);
          if (compareRatios(parseDecimal(text), aux.minCoefficient) < 0) continue;
          let cvReduction: number | undefined;
          if (aux.minCvReduction) {
            cvReduction = x.cvReductionOf(g, b);
            if (cvReduction < Number(aux.minCvReduction.num) / Number(aux.minCvReduction.den)) continue;
          }
          auxLists[k]!.push({
            subtype: matcher.keys[b]!,
            coefficient: text,
            cases: cnt[b]!,
            ...(cvReduction === undefined ? {} : { cvReduction: cvReduction.toFixed(4) }),
          });
          scaledCoef[b] = toScaled(parseDecimal(text), decimals, matcher.keys[b]!);
          any = true;
        }
        if (!any) return;
        const bestOf = (mask: number): number => {
          let m = mask;
          let best = coefScale;
          while (m !== 0) {
            const b = 31 - Math.clz32(m & -m);
            if (scaledCoef[b]! > best) best = scaledCoef[b]!;
            m &= m - 1;
          }
          return best;
        };
        if (byMask) {
          // The highest coefficient per distinct mask, found once (0: not yet).
          const { best, seen } = byMask;
          seen.length = 0;
          for (let p = g.from; p < to; p++) {
            const m = posMask[p]!;
            let v = best[m]!;
            if (v === 0) {
              v = bestOf(m);
              best[m] = v;
              seen.push(m);
            }
            posAux[p] = v;
          }
          for (const m of seen) best[m] = 0;
        } else for (let p = g.from; p < to; p++) posAux[p] = bestOf(posMask[p]!);
      });
    }
    // Back to slot order for the passes over all slots.
    const caseAux = new Int32Array(n).fill(coefScale);
    for (let p = 0; p < placed; p++) caseAux[posSlot[p]!] = posAux[p]!;

    // 8. Scores.
    const scores = means.map((m) => (m ? toPoints(ratio(m.num * M!.den * BigInt(scale), m.den * M!.num)) : 0));

    // 9. Institution coefficients.
    const ic = policy.institutionCoefficient;
    const table: CoefficientTable = {
      decimals,
      scale: coefScale,
      byLevel: new Map(),
      byInstitution: new Map(),
      source: ic.source,
      origin: ic.value.method === 'given' ? 'given' : 'calibrated',
    };
    let unknownInstitutions = 0;
    if (ic.value.method === 'given') {
      for (const l of LEVELS) table.byLevel.set(l, toScaled(ic.value.byLevel[l], decimals, `等级系数 ${l}`));
      for (const [code, r] of Object.entries(ic.value.byInstitution ?? {})) {
        table.byInstitution.set(code, toScaled(r, decimals, `机构系数 ${code}`));
      }
    } else {
      const caseMix = ic.value.basis === 'case-mix';
      const cost = new Map<InstitutionLevel | 'all', YearSum[]>();
      const pts = new Map<InstitutionLevel | 'all', YearSum[]>();
      const acc = (
        m: Map<InstitutionLevel | 'all', YearSum[]>,
        key: InstitutionLevel | 'all',
        y: number,
        v: number,
        k: number,
      ) => {
        let a = m.get(key);
        if (!a) {
          a = years.map(() => ({ sum: 0, n: 0 }));
          m.set(key, a);
        }
        a[y]!.sum += v;
        a[y]!.n += k;
      };
      for (let i = 0; i < n; i++) {
        const g = caseGroup[i]!;
        const k = keptN[i]!;
        if (g < 0 || k === 0 || dropped[g] || primaryList.has(groups[g]!.code)) continue;
        const level = caseInst[i]! >= 0 ? input.institutions[caseInst[i]!]!.level : undefined;
        if (!level) {
          unknownInstitutions += k;
          continue;
        }
        const y = caseYear[i]!;
        const c = keptCost[i]!;
        const p = k * basePoints(scores[g]!, coefScale, caseAux[i]!, coefScale);
        acc(cost, level, y, c, k);
        acc(cost, 'all', y, c, k);
        acc(pts, level, y, p, k);
        acc(pts, 'all', y, p, k);
      }
      // cost per point (case-mix) or mean cost (mean-cost), year-weighted.
      const measure = (key: InstitutionLevel | 'all'): Ratio | null => {
        const c = cost.get(key);
        if (!c) return null;
        if (!caseMix) return weightedMean(c, weights);
        const p = pts.get(key)!;
        let cw = ratio(0n);
        let pw = ratio(0n);
        c.forEach((ys, y) => {
          cw = addR(cw, mulRatios(weights[y]!, ratio(BigInt(ys.sum))));
          pw = addR(pw, mulRatios(weights[y]!, ratio(BigInt(p[y]!.sum))));
        });
        return pw.num === 0n ? null : ratio(cw.num * pw.den, cw.den * pw.num);
      };
      const city = measure('all');
      const values: Record<string, string> = {};
      for (const l of LEVELS) {
        const m = measure(l);
        if (!m || !city) {
          warnings.push({
            code: 'NO_LEVEL_CASES',
            zh: `${l} 级医疗机构没有历史病例，等级系数取 1`,
            en: `no history cases for level ${l}; its coefficient is 1`,
            subject: l,
          });
          table.byLevel.set(l, coefScale);
          values[LEVEL_ZH[l]] = '1 (无病例)';
          continue;
        }
        const coef = ratio(m.num * city.den, m.den * city.num);
        const text = ratioToDecimal(coef, decimals);
        table.byLevel.set(l, toScaled(parseDecimal(text), decimals, l));
        values[LEVEL_ZH[l]] = text;
      }
      steps.push({
        rule: 'R-DIP-5',
        clause: ic.source,
        zh: caseMix
          ? '医院等级系数 = 同级别每点费用 ÷ 全市每点费用（年度加权，剔除基层病种）'
          : '医院等级系数 = 同级别加权次均费用 ÷ 全市加权次均费用（剔除基层病种）',
        en: caseMix
          ? 'level coefficient = the level’s cost per point ÷ the city’s (year-weighted, primary-care groups left out)'
          : 'level coefficient = the level’s weighted mean cost ÷ the city’s (primary-care groups left out)',
        values,
      });
    }
    if (unknownInstitutions > 0) {
      warnings.push({
        code: 'UNKNOWN_INSTITUTION',
        zh: `${unknownInstitutions} 例历史病例的医疗机构不在机构名录中，未参与系数测算`,
        en: `${unknownInstitutions} history cases of unknown institutions were left out of the coefficients`,
      });
    }

    // 10. Opening-year point value (kept cases of catalog groups at base points).
    const yc: number[] = years.map(() => 0);
    const yp: number[] = years.map(() => 0);
    const coefOfInst = input.institutions.map(
      (x) => table.byInstitution.get(x.code) ?? table.byLevel.get(x.level) ?? coefScale,
    );
    const groupPrimary = groups.map((g) => primaryList.has(g.code));
    for (let i = 0; i < n; i++) {
      const g = caseGroup[i]!;
      const inst = caseInst[i]!;
      const k = keptN[i]!;
      if (g < 0 || k === 0 || dropped[g] || inst < 0) continue;
      const instCoef = groupPrimary[g] ? coefScale : coefOfInst[inst]!;
      yc[caseYear[i]!]! += keptCost[i]!;
      yp[caseYear[i]!]! += k * basePoints(scores[g]!, instCoef, caseAux[i]!, coefScale);
    }
    const openingYears: WeightedYear[] = years.map((year, y) => ({
      year,
      weight: weights[y]!,
      cost: yc[y]!,
      points: yp[y]!,
    }));
    const opening = openingPointValue(openingYears, policy.historyYears.source);
    steps.push(opening.step);
    const rpv = policy.referencePointValue;
    const reference = rpv.value === 'opening' ? opening.value : ratio(rpv.value.num * 100n, rpv.value.den);
    steps.push({
      rule: 'R-DIP-3',
      clause: rpv.source,
      zh: '偏差病例判定所用参考点值',
      en: 'reference point value for deviating cases',
      result: `${formatPointValue(reference)} 元/点`,
    });

    // 11. Catalog.
    const catalogGroups: CatalogGroup[] = [];
    let highCv = 0;
    groups.forEach((g, k) => {
      if (dropped[k]) return;
      const m = means[k];
      const cv = cvs[k] ?? null;
      const flags: string[] = [];
      if (cv !== null && cv > cvWarn) {
        flags.push('high-cv');
        highCv++;
      }
      const primaryCare = primaryList.has(g.code);
      if (primaryCare && cv !== null && cv > maxPrimaryCv) {
        flags.push('primary-care-high-cv');
        warnings.push({
          code: 'PRIMARY_HIGH_CV',
          zh: `基层病种 ${g.code} 的变异系数 ${cv} 高于 ${maxPrimaryCv}`,
          en: `primary-care group ${g.code} has CV ${cv} above ${maxPrimaryCv}`,
          subject: g.code,
        });
      }
      if (g.kind === 'core' && g.size < threshold) flags.push('low-volume');
      catalogGroups.push({
        code: g.code,
        kind: g.kind,
        dx: g.dx,
        procedures: g.procedures,
        treatment: g.treatment,
        score: scores[k]!,
        cases: g.size,
        trimmedCases: trimmedCounts[k]!,
        meanCost: m ? Number(divRound(m.num, m.den)) : 0,
        cv,
        primaryCare,
        auxiliary: auxLists[k]!,
        flags,
      });
    });
    catalogGroups.sort((a, b) => cmpStr(a.code, b.code));
    if (highCv > 0) {
      warnings.push({
        code: 'HIGH_CV',
        zh: `${highCv} 个病种变异系数高于 ${cvWarn}`,
        en: `${highCv} groups have a CV above ${cvWarn}`,
      });
    }
    steps.push({
      rule: 'R-DIP-1',
      clause: policy.historyYears.source,
      zh: '目录测算结果',
      en: 'catalog calibrated',
      values: {
        核心病种数: catalogGroups.filter((g) => g.kind === 'core').length,
        综合病种数: catalogGroups.filter((g) => g.kind === 'comprehensive').length,
        基层病种数: catalogGroups.filter((g) => g.primaryCare).length,
        辅助目录亚型数: catalogGroups.reduce((s, g) => s + g.auxiliary.length, 0),
        历史总点数: formatPoints(yp.reduce((s, v) => s + v, 0)),
      },
    });
    const body: Omit<Catalog, 'hash' | 'version'> = {
      format: CATALOG_FORMAT,
      id: `${input.meta.policyId}-catalog`,
      region: input.meta.region,
      origin: 'calibrated',
      policyId: input.meta.policyId,
      years: [...years],
      weights: weights.map((w) => ratioToText(w)),
      scale,
      basisMeanCost: Number(divRound(M.num, M.den)),
      coefficientDecimals: decimals,
      referencePointValue: ratioToText(reference),
      institutionCoefficients: coefficientEntries(table),
      groups: catalogGroups,
      warnings,
    };
    const hash = catalogHash(body);
    const catalog: Catalog = { ...body, version: `${input.meta.version}+${hash.slice(0, 12)}`, hash };
    return { catalog, openingPointValue: opening.value, referencePointValue: reference, openingYears, steps };
  };

  // The keyed path: one slot per key row (its cases share year, institution, combination and subtype mask).
  let keyed:
    | {
        keys: HistoryKeys;
        rowGroup: Int32Array;
        groups: GroupAcc[];
        groupIndex: Map<string, number>;
        threshold: number;
        /** Per group: the kept positions [start, end) of its cases in rank order. */
        kept: [number, number][];
      }
    | undefined;
  const planKeys = (keys: HistoryKeys): HistoryTrimPlan | null => {
    enter('keys');
    const rowCombo = new Int32Array(keys.n).fill(-1);
    const comboOfPair = new Map<number, number>();
    const np = keys.procedures.length;
    let read = 0;
    for (let r = 0; r < keys.n; r++) {
      if (keys.excluded[r]) continue;
      const k = keys.cases[r]!;
      read += k;
      if (!yearByNumber.has(keys.year[r]!)) {
        outOfYears += k;
        continue;
      }
      const d = keys.diagnosisList[r]!;
      const principal = keys.diagnoses[d]![0];
      if (!principal) {
        noDiagnosis += k;
        continue;
      }
      const p = keys.procedureList[r]!;
      let combo = comboOfPair.get(d * np + p);
      if (combo === undefined) {
        combo = comboOfCodes(
          principal,
          keys.procedures[p]!.map((code) => ({ code })),
        );
        comboOfPair.set(d * np + p, combo);
      }
      combos[combo]!.count += k;
      rowCombo[r] = combo;
    }
    const threshold = thresholdFor(read);
    const { groupIndex, groups, comboGroup } = groupsOf(threshold);
    const rowGroup = new Int32Array(keys.n).fill(-1);
    for (let r = 0; r < keys.n; r++) {
      const combo = rowCombo[r]!;
      if (combo < 0) continue;
      const g = comboGroup[combo]!;
      rowGroup[r] = g;
      groups[g]!.size += keys.cases[r]!;
    }
    const trim = policy.trimming.value;
    const kept = groups.map((g): [number, number] =>
      trim === 'none' ? [0, g.size] : trimRange(g.size, trim.low, trim.high),
    );
    keyed = { keys, rowGroup, groups, groupIndex, threshold, kept };
    // Each trimmed group's (principal diagnosis, procedure list) pairs, once.
    const pairs: HistoryTrimPlan['pairs'] = [];
    const seen = new Set<number>();
    const firstOfPrincipal = new Map<string, number>();
    for (let r = 0; r < keys.n; r++) {
      const g = rowGroup[r]!;
      if (g < 0) continue;
      const [s, e] = kept[g]!;
      if (s === 0 && e === groups[g]!.size) continue;
      // The first diagnosis list of each principal diagnosis stands for all of them.
      const principal = keys.diagnoses[keys.diagnosisList[r]!]![0]!;
      let d = firstOfPrincipal.get(principal);
      if (d === undefined) {
        d = keys.diagnosisList[r]!;
        firstOfPrincipal.set(principal, d);
      }
      const p = keys.procedureList[r]!;
      if (seen.has(d * np + p)) continue;
      seen.add(d * np + p);
      pairs.push({ diagnosisList: d, procedureList: p, group: g });
    }
    if (pairs.length === 0) return null;
    return {
      pairs,
      cases: groups.map((g) => g.size),
      low: kept.map(([s]) => s),
      high: kept.map(([, e], g) => groups[g]!.size - e),
    };
  };

  const finishKeys = (tails: HistoryTails): CalibrationResult => {
    if (!keyed) throw new Error('catalog calibrator: finishKeys before planKeys');
    const { keys, rowGroup, groups, groupIndex, threshold, kept } = keyed;
    const n = keys.n;
    const keptN = Float64Array.from(keys.cases);
    const keptCost = Float64Array.from(keys.cost);
    const keptSquares = [...keys.costSquares];
    // The trimmed cases off their key rows.
    for (let t = 0; t < tails.n; t++) {
      const r = tails.row[t]!;
      if (rowGroup[r] !== tails.group[t] || keptN[r]! <= 0)
        throw new Error(`history trimming: a trimmed case outside the keys of its group ${tails.group[t]}`);
      const c = tails.cost[t]!;
      keptN[r]!--;
      keptCost[r]! -= c;
      keptSquares[r]! -= BigInt(c) * BigInt(c);
    }
    // Per group: kept cases by year, their sum and sum of squares; the slots laid out group by group.
    const slotYear = new Int8Array(n).fill(-1);
    const byGroupYear = groups.map(() => years.map((): YearSum => ({ sum: 0, n: 0 })));
    const allYears: YearSum[] = years.map(() => ({ sum: 0, n: 0 }));
    const keptOf = groups.map(() => ({ n: 0, sum: 0, squares: 0n }));
    for (let r = 0; r < n; r++) {
      const g = rowGroup[r]!;
      if (g < 0) continue;
      const y = yearByNumber.get(keys.year[r]!)!;
      slotYear[r] = y;
      groups[g]!.slots++;
      const k = keptN[r]!;
      if (k === 0) continue;
      const ys = byGroupYear[g]![y]!;
      ys.sum += keptCost[r]!;
      ys.n += k;
      allYears[y]!.sum += keptCost[r]!;
      allYears[y]!.n += k;
      const o = keptOf[g]!;
      o.n += k;
      o.sum += keptCost[r]!;
      o.squares += keptSquares[r]!;
    }
    const means: (Ratio | null)[] = [];
    const cvs: (number | null)[] = [];
    const trimmedCounts: number[] = [];
    groups.forEach((g, k) => {
      const [s, e] = kept[k]!;
      const o = keptOf[k]!;
      if (o.n !== e - s) throw new Error(`history trimming: group ${g.code} keeps ${o.n} cases, ${e - s} planned`);
      means.push(weightedMean(byGroupYear[k]!, weights));
      const cv = cvOfSums(o.n, o.sum, o.squares);
      cvs.push(cv === null ? null : Math.round(cv * 10_000) / 10_000);
      trimmedCounts.push(e - s);
    });
    let placed = 0;
    for (const g of groups) {
      g.from = placed;
      placed += g.slots;
    }
    const next = Int32Array.from(groups, (g) => g.from);
    const posSlot = new Int32Array(placed);
    const posN = new Float64Array(placed);
    const posCost = new Float64Array(placed);
    const posMask = new Int32Array(placed);
    const cciBits = new Map<number, number>();
    const cciOfList = (d: number): number => {
      if (!matcher.readsDiagnoses) return 0;
      let m = cciBits.get(d);
      if (m === undefined) {
        m = matcher.cciMask(caseCharlson({ diagnoses: keys.diagnoses[d]!.map((code) => ({ code })) }));
        cciBits.set(d, m);
      }
      return m;
    };
    for (let r = 0; r < n; r++) {
      const g = rowGroup[r]!;
      if (g < 0) continue;
      const p = next[g]!++;
      posSlot[p] = r;
      posN[p] = keys.cases[r]!;
      posCost[p] = keys.cost[r]!;
      posMask[p] = nSub > 0 ? keys.bits[r]! | cciOfList(keys.diagnosisList[r]!) : 0;
    }
    const instOfCode = keys.institutions.map((code) => instIndex.get(code) ?? -1);
    const slotInst = Int32Array.from(keys.institution, (i) => instOfCode[i]!);
    return finishGroups({
      groups,
      groupIndex,
      threshold,
      placed,
      posSlot,
      posN,
      posCost,
      posMask,
      slots: n,
      slotGroup: rowGroup,
      slotYear,
      slotInst,
      keptN,
      keptCost,
      means,
      cvs,
      trimmedCounts,
      allYears,
      cvReductionOf: (g, b) => {
        // The group's untrimmed cases: all, those of the subtype, the rest (statistics only, as cvReductionOfSplit).
        let n = 0;
        let sum = 0;
        let squares = 0n;
        let subN = 0;
        let subSum = 0;
        let subSquares = 0n;
        for (let p = g.from; p < g.from + g.slots; p++) {
          const sq = keys.costSquares[posSlot[p]!]!;
          n += posN[p]!;
          sum += posCost[p]!;
          squares += sq;
          if ((posMask[p]! >>> b) & 1) {
            subN += posN[p]!;
            subSum += posCost[p]!;
            subSquares += sq;
          }
        }
        const before = cvOfSums(n, sum, squares) ?? 0;
        if (before === 0) return 0;
        const inSub = subN * (cvOfSums(subN, subSum, subSquares) ?? 0);
        const rest = (n - subN) * (cvOfSums(n - subN, sum - subSum, squares - subSquares) ?? 0);
        return (before - (inSub + rest) / n) / before;
      },
    });
  };

  return { add, addColumns, finish, planKeys, finishKeys };
}

/**
 * Population standard deviation ÷ mean of cases given by their count, sum and sum of squares (exact integers):
 * Σ(c − mean)² = (n Σc² − (Σc)²) ÷ n taken exactly, then divided as `populationCv` does. Null when empty or the
 * mean is 0. Statistics only (a double).
 */
export function cvOfSums(n: number, sum: number, squares: bigint): number | null {
  if (n <= 0) return null;
  const mean = sum / n;
  if (mean === 0) return null;
  const v = Number(BigInt(n) * squares - BigInt(sum) * BigInt(sum)) / n;
  return Math.sqrt(v / n) / mean;
}

/**
 * Mark the cases at positions [start, end) of a group in the order (cost, year, setl_id) as kept, without a
 * comparator sort: keys cost × 16 + year are selected natively, and only the cases tied with a boundary key are
 * ordered by setl_id — so the result is the same as a full sort, and independent of input order. `cost`, `year` and
 * `kept` are the group's own (position k is its k-th case); `ids` gives each one's case index (for its setl_id).
 */
function markKept(
  ids: Int32Array,
  cost: Float64Array,
  year: Int8Array,
  setlIds: readonly string[],
  start: number,
  end: number,
  kept: Uint8Array,
): void {
  const n = ids.length;
  if (start >= end) return;
  if (start === 0 && end === n) {
    kept.fill(1);
    return;
  }
  const keys = new Float64Array(n);
  for (let k = 0; k < n; k++) keys[k] = cost[k]! * 16 + year[k]!;
  // The two boundary keys by selection (linear on average), not a full sort: only they and their ranks matter.
  const work = keys.slice();
  const lowV = selectNth(work, 0, n - 1, start);
  const highV = selectNth(work, start, n - 1, end - 1);
  const ties = new Map<number, number[]>([
    [lowV, []],
    [highV, []],
  ]);
  for (let k = 0; k < n; k++) {
    const v = keys[k]!;
    if (v > lowV && v < highV) kept[k] = 1;
    else ties.get(v)?.push(k);
  }
  for (const [v, members] of ties) {
    // Without setl_ids (columns in setl_id order) the members are already in that order: cases ascend in a group.
    if (setlIds.length > 0) members.sort((a, b) => cmpStr(setlIds[ids[a]!]!, setlIds[ids[b]!]!));
    let first = 0; // first position of v in the sorted keys: how many keys are below it
    for (let k = 0; k < n; k++) if (keys[k]! < v) first++;
    members.forEach((k, r) => {
      const pos = first + r;
      if (pos >= start && pos < end) kept[k] = 1;
    });
  }
}

/**
 * The value at sorted position `k` of `a[lo..hi]` (inclusive), reordering that range: quickselect with a median-of-3
 * pivot and a three-way partition (ties fall together); after too many rounds the range is sorted instead, so the
 * worst case stays n log n. After the call, `a[lo..k)` ≤ the value ≤ `a(k..hi]`.
 */
export function selectNth(a: Float64Array, lo: number, hi: number, k: number): number {
  for (let round = 0; hi > lo; round++) {
    if (round > 48) {
      const sorted = a.subarray(lo, hi + 1).sort();
      return sorted[k - lo]!;
    }
    const x = a[lo]!;
    const y = a[(lo + hi) >> 1]!;
    const z = a[hi]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let lt = lo;
    let i = lo;
    let gt = hi;
    while (i <= gt) {
      const v = a[i]!;
      if (v < pivot) {
        a[i] = a[lt]!;
        a[lt] = v;
        lt++;
        i++;
      } else if (v > pivot) {
        a[i] = a[gt]!;
        a[gt] = v;
        gt--;
      } else i++;
    }
    if (k < lt) hi = lt - 1;
    else if (k > gt) lo = gt + 1;
    else return pivot;
  }
  return a[k]!;
}

/**
 * `coefficientOfVariation` of the kept cases' costs in the group's order, without gathering them: the same sums in
 * the same order (sum, then squared deviations from the mean), so the same double.
 */
export function keptCv(kept: Uint8Array, cost: Float64Array, n: number, sum: number): number | null {
  if (n <= 0) return null;
  const mean = sum / n;
  if (mean === 0) return null;
  let v = 0;
  for (let k = 0; k < cost.length; k++) {
    if (!kept[k]) continue;
    const d = cost[k]! - mean;
    v += d * d;
  }
  return Math.round((Math.sqrt(v / n) / mean) * 10_000) / 10_000;
}

function addR(a: Ratio, b: Ratio): Ratio {
  return ratio(a.num * b.den + b.num * a.den, a.den * b.den);
}

/**
 * The CV trigger of an auxiliary subtype (辅助目录触发: 变异系数下降): how much splitting subtype `bit` off a group
 * lowers its coefficient of variation, as a share of the group's CV. Before: the population CV of all the
 * group's (untrimmed) case costs. After: the case-weighted mean of the CVs of the subtype's cases and of the
 * other cases. 0 when the group's CV is 0. Statistics only (doubles): it decides a trigger, never an amount.
 */
export function cvReductionOfSplit(
  cases: readonly number[],
  caseCost: ArrayLike<number>,
  caseMask: ArrayLike<number>,
  bit: number,
): number {
  const all: number[] = [];
  const inSub: number[] = [];
  const rest: number[] = [];
  for (const i of cases) {
    all.push(caseCost[i]!);
    ((caseMask[i]! >>> bit) & 1 ? inSub : rest).push(caseCost[i]!);
  }
  const before = populationCv(all) ?? 0;
  if (before === 0) return 0;
  const after = (inSub.length * (populationCv(inSub) ?? 0) + rest.length * (populationCv(rest) ?? 0)) / all.length;
  return (before - after) / before;
}
