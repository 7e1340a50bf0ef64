/**
 * Which CHS-DRG grouping scheme (分组方案) a region-year is grouped by. The scheme is policy: the region's DRG
 * policy file names it (`scheme`, with the clause that adopts it); a `--pack` given on the command line overrides
 * it; a region whose DRG policy names none is grouped by the national scheme in force (CHS-DRG 2.0,
 * 医保办发〔2024〕9号). A stored run is explained with the scheme of its own policy snapshot.
 */
import { existsSync } from 'node:fs';
import { type DrgKernel, openDrgKernel } from '../grouping/drg/index.ts';
import { DEFAULT_DRG_PACK, resolveDrgPackPath } from '../grouping/drg/pack-names.ts';
import { drgKind } from '../policy/kinds/drg.ts';
import type { PolicySet } from '../policy/registry.ts';

export interface DrgSchemeChoice {
  /** A scheme name (`chs-drg-2.0`, `chs-drg-1.1`) or a path (pack, reference folder, workbook). */
  scheme: string;
  /** Why this scheme: the policy clause, the command-line option, or the national default. */
  source: string;
}

/** The scheme of `region` in `year`: `explicit` (e.g. `--pack`), else the DRG policy's `scheme`, else CHS-DRG 2.0. */
export function drgSchemeFor(policies: PolicySet, region: string, year: number, explicit?: string): DrgSchemeChoice {
  if (explicit !== undefined && explicit !== '') return { scheme: explicit, source: '--pack' };
  const hasPolicy = policies.files.some((f) => f.kind === drgKind.kind && f.region === region);
  const named = hasPolicy ? policies.resolve(drgKind, region, `${year}-01-01`).values.scheme : undefined;
  if (named) return { scheme: named.value, source: named.source };
  return { scheme: DEFAULT_DRG_PACK, source: 'national scheme in force (CHS-DRG 2.0, 医保办发〔2024〕9号)' };
}

/** Open the kernel of a scheme (name or path); a missing folder or file is a user error naming it. */
export async function openSchemeKernel(scheme: string): Promise<DrgKernel> {
  const path = resolveDrgPackPath(scheme);
  if (!existsSync(path)) {
    throw new Error(
      `DRG 需要分组方案数据包：未找到 ${path}（用 --pack 指定，或在 DRG 政策文件的 scheme 中写明）/ DRG needs a grouping pack: ${path} not found (use --pack, or name it as scheme in the DRG policy file)`,
    );
  }
  return openDrgKernel(path);
}
