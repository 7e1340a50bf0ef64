/**
 * The DIP grouper (病种分组器): a catalog indexed once, then one small kernel per case.
 *
 * DIP 技术规范 / domain R-DIP-1: "A case matches exact diagnosis + all procedures; else the core group of the same
 * diagnosis sharing most procedures; else diagnosis + main procedure; else comprehensive (类目 × 治疗方式, in the
 * order 相关手术组 → 治疗性操作组 → 诊断性操作组 → 内科诊疗组)."
 *
 * Precisely, for the principal diagnosis at 亚目 (4 characters) and the case's procedure set:
 *   1 `exact`          the core group with exactly this procedure combination (none: the conservative core group);
 *   2 `most-shared`    else the core group whose procedures are all performed in the case, with the most of them
 *                      (ties: the lower group code); with `coreMatch: main-procedure-first` (policy) a group that
 *                      contains the case's main procedure beats one that does not, whatever their sizes;
 *   3 `main-procedure` else the core group containing the case's main procedure (first listed), with the fewest
 *                      procedures (ties: the lower group code);
 *   4 `comprehensive`  else the comprehensive group of the 类目 and the case's treatment type;
 *   5 `none`           else ungrouped — reported with its reason, never a silent zero.
 */
import type { InpatientCase } from '../../model/case.ts';
import type { Catalog, CatalogGroup } from './catalog.ts';
import { combinationKey, diagnosisKey } from './codes.ts';
import { CasePreparer, type PreparedCase } from './prepare.ts';
import { chapterClassifier, type ProcedureClassifier, TREATMENT_ZH, treatmentRank } from './treatment.ts';

export type MatchStep = 'exact' | 'most-shared' | 'main-procedure' | 'comprehensive' | 'none';
export const MATCH_STEPS: readonly MatchStep[] = ['exact', 'most-shared', 'main-procedure', 'comprehensive', 'none'];

interface CoreEntry {
  index: number;
  procedures: string[];
}

interface DxEntry {
  exact: Map<string, number>;
  /** Core groups with procedures, in catalog (code) order. */
  cores: CoreEntry[];
}

export interface GroupMatch {
  /** Index into `catalog.groups`, or -1. */
  index: number;
  step: MatchStep;
  /** For `none`: why no group was found. */
  reason?: string;
}

export class DipGrouper {
  readonly catalog: Catalog;
  readonly preparer: CasePreparer;
  private readonly byDx4 = new Map<string, DxEntry>();
  /** dx3 → group index per treatment rank (−1 = none). */
  private readonly comprehensive = new Map<string, Int32Array>();

  private readonly mainFirst: boolean;

  constructor(
    catalog: Catalog,
    classify: ProcedureClassifier = chapterClassifier,
    coreMatch: 'main-procedure-first' | 'most-shared' = 'main-procedure-first',
  ) {
    this.catalog = catalog;
    this.mainFirst = coreMatch === 'main-procedure-first';
    this.preparer = new CasePreparer(classify);
    catalog.groups.forEach((g, index) => {
      this.index(g, index);
    });
  }

  private index(g: CatalogGroup, index: number): void {
    if (g.kind === 'core') {
      const dx4 = diagnosisKey(g.dx);
      let e = this.byDx4.get(dx4);
      if (!e) {
        e = { exact: new Map(), cores: [] };
        this.byDx4.set(dx4, e);
      }
      const procs = [...new Set(g.procedures.map((p) => diagnosisKey(p)))].sort();
      const key = combinationKey(procs);
      if (e.exact.has(key)) throw new Error(`duplicate core group ${g.code} in catalog ${this.catalog.id}`);
      e.exact.set(key, index);
      if (procs.length > 0) e.cores.push({ index, procedures: procs });
    } else {
      const dx3 = diagnosisKey(g.dx);
      let arr = this.comprehensive.get(dx3);
      if (!arr) {
        arr = new Int32Array(4).fill(-1);
        this.comprehensive.set(dx3, arr);
      }
      const rank = treatmentRank(g.treatment);
      if (arr[rank] !== -1) throw new Error(`duplicate comprehensive group ${g.code} in catalog ${this.catalog.id}`);
      arr[rank] = index;
    }
  }

  prepare(c: Pick<InpatientCase, 'diagnoses' | 'procedures'>): PreparedCase | null {
    return this.preparer.prepare(c);
  }

  private readonly dxCache = new Map<string, DxSlot>();
  private readonly one: string[] = [''];
  /** The step of the last `groupIndex` call. */
  lastStep: MatchStep = 'none';

  private slot(code: string): DxSlot {
    let s = this.dxCache.get(code);
    if (s === undefined) {
      const { dx4, dx3 } = this.preparer.codes.diagnosis(code);
      s = { entry: this.byDx4.get(dx4), comprehensive: this.comprehensive.get(dx3) };
      this.dxCache.set(code, s);
    }
    return s;
  }

  /**
   * The fast kernel: the group index of a case (−1 none), its step in `lastStep`. No allocation for cases with
   * zero or one procedure; several procedures are sorted once.
   */
  groupIndex(c: Pick<InpatientCase, 'diagnoses' | 'procedures'>): number {
    const principal = c.diagnoses[0];
    if (!principal?.code) {
      this.lastStep = 'none';
      return -1;
    }
    const s = this.slot(principal.code);
    const procs = c.procedures;
    const n = procs.length;
    if (n === 0) return this.match(s, EMPTY, '', '', 3);
    const codes = this.preparer.codes;
    if (n === 1) {
      const id = codes.procedure(procs[0]!.code);
      const key = codes.procedureKey(id);
      this.one[0] = key;
      return this.match(s, this.one, key, key, this.preparer.rankOf(id));
    }
    if (n === 2) {
      const ia = codes.procedure(procs[0]!.code);
      const ib = codes.procedure(procs[1]!.code);
      const a = codes.procedureKey(ia);
      const b = codes.procedureKey(ib);
      const rank = Math.min(this.preparer.rankOf(ia), this.preparer.rankOf(ib));
      if (a === b) {
        this.one[0] = a;
        return this.match(s, this.one, a, a, rank);
      }
      const two = a < b ? [a, b] : [b, a];
      return this.match(s, two, `${two[0]}+${two[1]}`, a, rank);
    }
    const p = this.preparer.prepare(c)!;
    return this.match(s, p.procedures, p.combination, p.mainProcedure, treatmentRank(p.treatment));
  }

  private match(s: DxSlot, procedures: readonly string[], combination: string, main: string, rank: number): number {
    const e = s.entry;
    if (e !== undefined) {
      const exact = e.exact.get(combination);
      if (exact !== undefined) {
        this.lastStep = 'exact';
        return exact;
      }
      if (procedures.length > 0 && e.cores.length > 0) {
        let best = -1;
        let bestShared = 0;
        let bestHasMain = false;
        for (const g of e.cores) {
          const k = g.procedures.length;
          if (k > procedures.length) continue;
          const hasMain = this.mainFirst && g.procedures.includes(main);
          if (bestHasMain && !hasMain) continue;
          if (k <= bestShared && hasMain === bestHasMain) continue;
          if (isSubset(g.procedures, procedures)) {
            best = g.index;
            bestShared = k;
            bestHasMain = hasMain;
          }
        }
        if (best >= 0) {
          this.lastStep = 'most-shared';
          return best;
        }
        let fewest = Number.POSITIVE_INFINITY;
        for (const g of e.cores) {
          if (g.procedures.length < fewest && g.procedures.includes(main)) {
            best = g.index;
            fewest = g.procedures.length;
          }
        }
        if (best >= 0) {
          this.lastStep = 'main-procedure';
          return best;
        }
      }
    }
    const idx = s.comprehensive ? s.comprehensive[rank]! : -1;
    this.lastStep = idx >= 0 ? 'comprehensive' : 'none';
    return idx;
  }

  /** Group one case by the matching order above, with the reason when no group fits. */
  group(c: Pick<InpatientCase, 'diagnoses' | 'procedures'>): GroupMatch {
    const index = this.groupIndex(c);
    if (index >= 0) return { index, step: this.lastStep };
    const p = this.preparer.prepare(c);
    if (!p) return { index: -1, step: 'none', reason: '无主要诊断 / no principal diagnosis' };
    return {
      index: -1,
      step: 'none',
      reason: `目录中无 ${p.dx3} 的${TREATMENT_ZH[p.treatment]}综合病种，亦无可匹配的核心病种 / the catalog has no ${p.dx3}#${p.treatment} and no matching core group`,
    };
  }
}

const EMPTY: readonly string[] = [];

interface DxSlot {
  entry: DxEntry | undefined;
  comprehensive: Int32Array | undefined;
}

/** Both arrays sorted ascending: is every element of `a` in `b`? */
function isSubset(a: readonly string[], b: readonly string[]): boolean {
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    while (j < b.length && b[j]! < x) j++;
    if (j >= b.length || b[j] !== x) return false;
    j++;
  }
  return true;
}
