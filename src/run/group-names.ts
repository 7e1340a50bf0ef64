/**
 * The carve-outs' group names of a stored run: the per-diem categories (按床日付费) and single diseases (按病种付费) by
 * code, from the policy snapshot the run applied (never today's files), for the statements and the API.
 */
import { perDiemKind } from '../policy/kinds/per-diem.ts';
import { singleDiseaseKind } from '../policy/kinds/single-disease.ts';
import type { RunResultsReader, SettlementRunRecord } from '../store/settlement-runs.ts';
import { snapshotPolicies } from './explain-run.ts';

/**
 * The names of the single diseases (按病种付费) and per-diem categories (按床日付费) by code, as the run's own policy
 * snapshot holds them (a unit's group is that code), in the reader's language (an entry's `en` in en, else its zh
 * name: a group name is a proper name); empty for a method the run applied no policy of.
 */
export async function methodGroupNames(
  reader: Pick<RunResultsReader, 'policies'>,
  rec: Pick<SettlementRunRecord, 'region' | 'year'>,
  lang: 'zh' | 'en' = 'zh',
): Promise<Map<string, string>> {
  const snapshots = await reader.policies();
  const out = new Map<string, string>();
  const name = (e: { zh: string; en?: string | undefined }) => (lang === 'en' ? (e.en ?? e.zh) : e.zh);
  const of = (kind: string) => snapshots.filter((p) => p.kind === kind);
  if (of(singleDiseaseKind.kind).length > 0)
    for (const e of snapshotPolicies(of(singleDiseaseKind.kind)).resolveYear(singleDiseaseKind, rec.region, rec.year)
      .values.catalog.value)
      out.set(e.code, name(e));
  if (of(perDiemKind.kind).length > 0)
    for (const e of snapshotPolicies(of(perDiemKind.kind)).resolveYear(perDiemKind, rec.region, rec.year).values
      .categories.value)
      out.set(e.code, name(e));
  return out;
}
