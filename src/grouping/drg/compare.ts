/**
 * Comparing two grouping schemes on the same cases (分组方案切换影响分析): when a region moves from one scheme to
 * another (CHS-DRG 1.1 → 2.0, or the national scheme → its local subdivision), which cases change group, and how.
 * Pure: outcomes in, change kinds and a tally out.
 */
import type { DrgOutcome } from './results.ts';

/**
 * How a case's result changes from scheme A to scheme B:
 * `same`; `drg` (same ADRG, another DRG: a severity split moved); `adrg` (another ADRG or MDC); `grouped` (A could
 * not group it, B does); `ungrouped` (A grouped it, B cannot); `status` (neither groups it, for another reason).
 */
export type DrgChange = 'same' | 'drg' | 'adrg' | 'grouped' | 'ungrouped' | 'status';

export const DRG_CHANGES: readonly DrgChange[] = ['same', 'drg', 'adrg', 'grouped', 'ungrouped', 'status'];

export const DRG_CHANGE_LABELS: Readonly<Record<DrgChange, { zh: string; en: string }>> = {
  same: { zh: '结果相同', en: 'same result' },
  drg: { zh: '同一 ADRG 内换 DRG', en: 'other DRG, same ADRG' },
  adrg: { zh: '换 ADRG', en: 'other ADRG' },
  grouped: { zh: '由不能入组变为入组', en: 'newly grouped' },
  ungrouped: { zh: '由入组变为不能入组', en: 'no longer grouped' },
  status: { zh: '仍不能入组，原因不同', en: 'still ungrouped, other reason' },
};

const grouped = (o: DrgOutcome) => o.status === 'SUCCESS';

export function drgChange(a: DrgOutcome, b: DrgOutcome): DrgChange {
  if (a.mdc === b.mdc && a.adrg === b.adrg && a.drg === b.drg && a.status === b.status) return 'same';
  if (grouped(a) && grouped(b)) return a.adrg === b.adrg && a.mdc === b.mdc ? 'drg' : 'adrg';
  if (grouped(b)) return 'grouped';
  if (grouped(a)) return 'ungrouped';
  return 'status';
}

/** Counts by change kind, and by DRG transition (A's DRG → B's DRG) for the cases that changed. */
export class DrgComparisonTally {
  readonly counts: Record<DrgChange, number> = { same: 0, drg: 0, adrg: 0, grouped: 0, ungrouped: 0, status: 0 };
  private readonly moves = new Map<string, number>();
  cases = 0;

  add(a: DrgOutcome, b: DrgOutcome): DrgChange {
    const change = drgChange(a, b);
    this.cases++;
    this.counts[change]++;
    if (change !== 'same') {
      const key = `${a.drg}\t${b.drg}`;
      this.moves.set(key, (this.moves.get(key) ?? 0) + 1);
    }
    return change;
  }

  /** Transitions, most cases first (ties by the codes, so the order is stable). */
  transitions(): { from: string; to: string; cases: number }[] {
    return [...this.moves]
      .map(([k, cases]) => {
        const [from, to] = k.split('\t') as [string, string];
        return { from, to, cases };
      })
      .sort((x, y) => y.cases - x.cases || x.from.localeCompare(y.from) || x.to.localeCompare(y.to));
  }
}
