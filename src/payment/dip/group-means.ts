/**
 * The DIP 1.0/2.0 deviating-case standard (偏差病例判定标准): the previous year's same-level institutions' mean
 * total cost of each group. Pure: history in, exact means out.
 */
import type { Catalog } from '../../grouping/dip/catalog.ts';
import { DipGrouper } from '../../grouping/dip/grouper.ts';
import type { ProcedureClassifier } from '../../grouping/dip/treatment.ts';
import type { InpatientCase } from '../../model/case.ts';
import type { Institution } from '../../model/institution.ts';
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
  const grouper = new DipGrouper(catalog, classify, policy.coreMatch.value);
  const level = new Map(institutions.map((i) => [i.code, i.level] as const));
  const acc = new Map<string, { cost: bigint; n: bigint }>();
  const prefix = `${year}-`;
  for (const c of history) {
    if (!c.dischargeTime.startsWith(prefix)) continue;
    const lv = level.get(c.institutionCode);
    if (lv === undefined) continue;
    const g = grouper.groupIndex(c);
    if (g < 0) continue;
    const key = groupMeanKey(catalog.groups[g]!.code, lv);
    const a = acc.get(key) ?? { cost: 0n, n: 0n };
    a.cost += BigInt(c.totalCost);
    a.n++;
    acc.set(key, a);
  }
  return new Map([...acc].map(([k, a]) => [k, ratio(a.cost, a.n)] as const));
}
