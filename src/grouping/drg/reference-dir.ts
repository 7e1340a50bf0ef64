/**
 * Where the CHS-DRG 1.1 reference pack lives: `../shared/reference/chs-drg-1.1` beside the repository. It is
 * never copied into the repository; tests and the bench read it from there and fail loudly when it is missing.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

export const CHS_DRG_11_REFERENCE_DIR = resolve(REPO_ROOT, '../shared/reference/chs-drg-1.1');

/** The reference folder, or an error saying exactly what is missing and where it was looked for. */
export function requireChsDrg11Reference(dir: string = CHS_DRG_11_REFERENCE_DIR): string {
  if (!existsSync(resolve(dir, 'cases_public.csv')) || !existsSync(resolve(dir, 'mdc.json'))) {
    throw new Error(
      `CHS-DRG 1.1 reference pack not found at ${dir} (needs mdc.json, cases_public.csv, …). ` +
        'It must sit beside the clone as ../shared/reference/chs-drg-1.1; the conformance tests cannot run without it. / ' +
        `未找到 CHS-DRG 1.1 参考数据：${dir}`,
    );
  }
  return dir;
}

export const CHS_DRG_20_REFERENCE_DIR = resolve(REPO_ROOT, '../shared/reference/chs-drg-2.0');

/** The CHS-DRG 2.0 reference folder, or an error saying exactly what is missing and where it was looked for. */
export function requireChsDrg20Reference(dir: string = CHS_DRG_20_REFERENCE_DIR): string {
  if (!existsSync(resolve(dir, 'cases_public.csv')) || !existsSync(resolve(dir, 'mdc.json'))) {
    throw new Error(
      `CHS-DRG 2.0 reference pack not found at ${dir} (needs mdc.json, cases_public.csv, …). ` +
        'It must sit beside the clone as ../shared/reference/chs-drg-2.0; the conformance tests cannot run without it. / ' +
        `未找到 CHS-DRG 2.0 参考数据：${dir}`,
    );
  }
  return dir;
}
