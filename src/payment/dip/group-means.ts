/**
 * The DIP 1.0/2.0 deviating-case standard (偏差病例判定标准): the previous year's same-level institutions' mean
 * total cost of each group. Pure: history in, exact means out.
 */
import type { Catalog } from '../../grouping/dip/catalog.ts';
import { DipGrouper } from '../../grouping/dip/grouper.ts';
import type { ProcedureClassifier } from '../../grouping/dip/treatment.ts';
import type { InpatientCase } from '../../model/case.ts';
import { type CaseColumns, memoById, memoByListPair } from '../../model/case-columns.ts';
import type { HistoryKeys } from '../../model/history-keys.ts';
import type { Institution, InstitutionLevel } from '../../model/institution.ts';
import { type Ratio, ratio } from '../../model/money.ts';
import { groupMeanKey } from './engine.ts';
import type { DipPolicy } from './policy.ts';

/**
 * 上一年度同级别定点医疗机构该病种次均医疗总费用: per group × institution level, the mean total cost (fen, exact) of
 * the `year` cases, grouped by the same grouper the year's cases use. Keys `groupMeanKey(group, level)`.
 */
export function groupLevelMeans(
  catalog: Catalog,
  policy: DipPolicy,
  history: readonly InpatientCase[],
  institutions: readonly Institution[],
  year: number,
  classify?: ProcedureClassifier,
): Map<string, Ratio> {
  const acc = groupMeansAccumulator(institutions, year);
  acc.add(history);
  return acc.finish(catalog, policy, classify);
}

/**
 * The group means as an accumulator that needs no catalog while it reads: history cases are reduced to their
 * distinct grouping keys (institution level × principal diagnosis × procedure codes in order — all the grouper
 * reads) with counts and cost sums; `finish` groups each distinct key once with the catalog and sums per group.
 */
export interface GroupMeansAccumulator {
  add(batch: readonly InpatientCase[]): void;
  /** The same from the store's typed columns; `skip` marks rows of another method. */
  addColumns(columns: CaseColumns, skip?: Uint8Array): void;
  /**
   * The same from the store's key rows (issue 9, model/history-keys.ts; their `excluded` rows left out): the keys
   * in the order of their first case, as the cases would have come (the rows' `firstId`).
   */
  addKeys(keys: HistoryKeys): void;
  finish(catalog: Catalog, policy: DipPolicy, classify?: ProcedureClassifier): Map<string, Ratio>;
}

interface KeySum {
  level: InstitutionLevel;
  dx: string;
  procedures: string[];
  /** The cost sum so far: `cost` + `fen` (fen summed as a number while the sum stays a safe integer). */
  cost: bigint;
  fen: number;
  n: number;
}

/** Add `cost` (integer fen) to a key's sum, exactly: as a number while the sum is a safe integer, else as a bigint. */
function addCost(e: KeySum, cost: number): void {
  const s = e.fen + cost;
  if (Number.isSafeInteger(s)) e.fen = s;
  else {
    e.cost += BigInt(e.fen) + BigInt(cost);
    e.fen = 0;
  }
  e.n++;
}

/** Add `n` cases of `cost` fen in all (plus `big`) to a key's sum, exactly. */
function addCosts(e: KeySum, cost: number, n: number, big = 0n): void {
  const s = e.fen + cost;
  if (Number.isSafeInteger(s)) e.fen = s;
  else {
    e.cost += BigInt(e.fen) + BigInt(cost);
    e.fen = 0;
  }
  e.cost += big;
  e.n += n;
}

export function groupMeansAccumulator(institutions: readonly Institution[], year: number): GroupMeansAccumulator {
  const level = new Map(institutions.map((i) => [i.code, i.level] as const));
  const keys = new Map<string, KeySum>();
  const prefix = `${year}-`;
  const keyOf = (lv: InstitutionLevel, dx: string, procedures: () => string[], key: string): KeySum => {
    let e = keys.get(key);
    if (e === undefined) {
      e = { level: lv, dx, procedures: procedures(), cost: 0n, fen: 0, n: 0 };
      keys.set(key, e);
    }
    return e;
  };
  // Columns: per diagnosis-list × procedure-list pair and institution level, its key's sum, found once; the rows
  // then add to it without building a key. Memos by dictionary id, valid for one dictionary (one iteration).
  const levels = [...new Set(institutions.map((i) => i.level))];
  const levelOf = memoById((dict, a) => {
    const lv = level.get(dict.attributes[a]!.institutionCode);
    return lv === undefined ? -1 : levels.indexOf(lv);
  });
  const sumsOf = memoByListPair((): (KeySum | undefined)[] => new Array(levels.length));
  return {
    add(batch) {
      for (const c of batch) {
        if (!c.dischargeTime.startsWith(prefix)) continue;
        const lv = level.get(c.institutionCode);
        if (lv === undefined) continue;
        const dx = c.diagnoses[0]?.code ?? '';
        let key = `${lv}\u0001${dx}`;
        for (const p of c.procedures) key += `\u0001${p.code}`;
        addCost(
          keyOf(lv, dx, () => c.procedures.map((p) => p.code), key),
          c.totalCost,
        );
      }
    },
    addColumns(c, skip) {
      const { dict } = c;
      for (let r = 0; r < c.n; r++) {
        if (c.year[r] !== year || skip?.[r]) continue;
        const l = levelOf(dict, c.attributes[r]!);
        if (l < 0) continue;
        const d = c.diagnoses[r]!;
        const p = c.procedures[r]!;
        const sums = sumsOf(dict, d, p);
        let e = sums[l];
        if (e === undefined) {
          const lv = levels[l]!;
          const dx = dict.diagnoses[d]![0]?.code ?? '';
          let key = `${lv}\u0001${dx}`;
          for (const code of dict.procedures[p]!) key += `\u0001${code}`;
          e = keyOf(lv, dx, () => [...dict.procedures[p]!], key);
          sums[l] = e;
        }
        addCost(e, c.totalCost[r]!);
      }
    },
    addKeys(k) {
      const found = new Map<string, { e: KeySum; first: string }>();
      for (let r = 0; r < k.n; r++) {
        if (k.excluded[r] || k.year[r] !== year) continue;
        const lv = level.get(k.institutions[k.institution[r]!]!);
        if (lv === undefined) continue;
        const dx = k.diagnoses[k.diagnosisList[r]!]![0] ?? '';
        const procedures = k.procedures[k.procedureList[r]!]!;
        let key = `${lv}\u0001${dx}`;
        for (const code of procedures) key += `\u0001${code}`;
        let f = found.get(key);
        const first = k.firstId[r] ?? '';
        if (f === undefined) {
          f = { e: { level: lv, dx, procedures: [...procedures], cost: 0n, fen: 0, n: 0 }, first };
          found.set(key, f);
        } else if (first < f.first) f.first = first;
        addCosts(f.e, k.cost[r]!, k.cases[r]!);
      }
      for (const [key, f] of [...found].sort(([, a], [, b]) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0))) {
        const e = keys.get(key);
        if (e === undefined) keys.set(key, f.e);
        else addCosts(e, f.e.fen, f.e.n, f.e.cost);
      }
    },
    finish(catalog, policy, classify) {
      const grouper = new DipGrouper(catalog, classify, policy.coreMatch.value);
      const acc = new Map<string, { cost: bigint; n: bigint }>();
      // Distinct keys in the order of their first case, so the groups come out in the order of theirs.
      for (const e of keys.values()) {
        const g = grouper.groupIndex(codesCase(e.dx, e.procedures));
        if (g < 0) continue;
        const key = groupMeanKey(catalog.groups[g]!.code, e.level);
        const a = acc.get(key) ?? { cost: 0n, n: 0n };
        a.cost += e.cost + BigInt(e.fen);
        a.n += BigInt(e.n);
        acc.set(key, a);
      }
      return new Map([...acc].map(([k, a]) => [k, ratio(a.cost, a.n)] as const));
    },
  };
}

/** A case that carries only what the DIP grouper reads: the principal diagnosis and the procedure codes. */
function codesCase(dx: string, procedures: readonly string[]): InpatientCase {
  return {
    setlId: '',
    mdtrtId: '',
    psnNo: '',
    institutionCode: '',
    insuranceType: 'employee',
    sex: '9',
    ageYears: 0,
    admissionTime: '',
    dischargeTime: '',
    losDays: 0,
    dischargeWay: '9',
    diagnoses: dx ? [{ code: dx }] : [],
    procedures: procedures.map((code) => ({ code })),
    icuDays: 0,
    readmit31: false,
    totalCost: 0,
    fundPay: 0,
    selfPay: 0,
    ownPay: 0,
    accountPay: 0,
    cashPay: 0,
  };
}
