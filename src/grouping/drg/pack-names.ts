/**
 * Schemes known by name. `chs-drg-2.0` (the national scheme in force since 2025, the default) and `chs-drg-1.1`
 * name the reference folders beside the repository (../shared/reference/…); any other text is a path.
 */
import { existsSync } from 'node:fs';
import { CHS_DRG_11_REFERENCE_DIR, CHS_DRG_20_REFERENCE_DIR } from './reference-dir.ts';

export const DRG_PACK_NAMES: Readonly<Record<string, string>> = {
  'chs-drg-2.0': CHS_DRG_20_REFERENCE_DIR,
  'chs-drg-1.1': CHS_DRG_11_REFERENCE_DIR,
};

/** The scheme used when none is named: CHS-DRG 2.0 (医保办发〔2024〕9号, in force since 2025). */
export const DEFAULT_DRG_PACK = 'chs-drg-2.0';

/** A scheme name → its folder; an existing path (or an unknown name) is returned as given. */
export function resolveDrgPackPath(nameOrPath: string = DEFAULT_DRG_PACK): string {
  if (existsSync(nameOrPath)) return nameOrPath;
  return DRG_PACK_NAMES[nameOrPath.toLowerCase()] ?? nameOrPath;
}
