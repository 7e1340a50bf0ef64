/**
 * The carve-outs' group names of a stored run: the per-diem categories (按床日付费) and single diseases (按病种付费) by
 * code, from the policy snapshot the run applied (never today's files), for the statements and the API.
 */
import type { DrgKernel } from '../grouping/drg/index.ts';
import { drgKind } from '../policy/kinds/drg.ts';
import { perDiemKind } from '../policy/kinds/per-diem.ts';
import { singleDiseaseKind } from '../policy/kinds/single-disease.ts';
import type { RunResultsReader, SettlementRunRecord } from '../store/settlement-runs.ts';
import { openSchemeKernel } from './drg-scheme.ts';
import { runDrgScheme, snapshotPolicies } from './explain-run.ts';

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

/**
 * The names of the DRGs (病组名称) a DRG run priced by, from the grouping scheme the run grouped by (the pack it
 * recorded, else its snapshot's `scheme`): the per-case sheets showed the DRG code with an empty 病种/分组名称 while
 * explain and the hospital workbook named it (walk3 #7). The scheme's names are Chinese; a proper name, kept in en.
 * Empty for a run without DRG weights; a pack that cannot be opened any more leaves the names out (the codes stand).
 */
export async function drgGroupNames(
  reader: Pick<RunResultsReader, 'policies' | 'derived'>,
  rec: SettlementRunRecord,
  openKernel: (scheme: string) => Promise<Pick<DrgKernel, 'core' | 'names'>> = openSchemeKernel,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const [w] = await reader.derived('drg-weights');
  if (!w) return out;
  const snapshots = (await reader.policies()).filter((p) => p.kind === drgKind.kind);
  const scheme =
    snapshots.length > 0
      ? snapshotPolicies(snapshots).resolveYear(drgKind, rec.region, rec.year).values.scheme?.value
      : undefined;
  let kernel: Pick<DrgKernel, 'core' | 'names'>;
  try {
    kernel = await openKernel(runDrgScheme(rec, scheme));
  } catch {
    return out;
  }
  kernel.core.drgCodes.forEach((code, i) => {
    const name = kernel.names.drg[i];
    if (name) out.set(code, name);
  });
  return out;
}
