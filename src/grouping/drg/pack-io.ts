/**
 * Reading and writing packs. `loadDrgPack` accepts a yibao pack file (`pack.json` or any `.json`), a folder
 * holding `pack.json`, or a CHS-DRG 1.1 or 2.0 reference folder, which it imports on the fly.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importChsDrg11, isChsDrg11Folder } from './import-chs-drg-11.ts';
import { importChsDrg20, isChsDrg20Folder } from './import-chs-drg-20.ts';
import { DrgPackError } from './pack-error.ts';
import type { DrgPack } from './pack-schema.ts';
import { parseDrgPack } from './pack-validate.ts';

export const PACK_FILE_NAME = 'pack.json';

export function loadDrgPack(path: string): DrgPack {
  if (!existsSync(path)) {
    throw new DrgPackError(
      'DRG_PACK_READ',
      path,
      '',
      '分组方案数据包不存在',
      'no pack or reference folder at this path',
    );
  }
  if (statSync(path).isDirectory()) {
    const reference = importReferenceFolder(path);
    if (reference) return reference;
    const file = join(path, PACK_FILE_NAME);
    if (existsSync(file)) return readDrgPackFile(file);
    throw new DrgPackError(
      'DRG_PACK_READ',
      path,
      '',
      `文件夹中既没有 ${PACK_FILE_NAME}，也不是 CHS-DRG 1.1 / 2.0 参考数据（mdc.json, adrg.json …）`,
      `folder holds neither ${PACK_FILE_NAME} nor a CHS-DRG 1.1 / 2.0 reference pack (mdc.json, adrg.json, …)`,
    );
  }
  return readDrgPackFile(path);
}

/**
 * A CHS-DRG reference folder imported as a pack, or null when `dir` is not one. 2.0 is told from 1.1 by its
 * gray / invalid code lists (zd_invalid.csv, icd10_gray.csv).
 */
export function importReferenceFolder(dir: string): DrgPack | null {
  if (isChsDrg20Folder(dir)) return importChsDrg20(dir);
  if (isChsDrg11Folder(dir)) return importChsDrg11(dir);
  return null;
}

export function readDrgPackFile(file: string): DrgPack {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const m = (e as Error).message;
    throw new DrgPackError('DRG_PACK_READ', file, '', `无法读取数据包：${m}`, `cannot read pack: ${m}`);
  }
  return parseDrgPack(raw, file);
}

/** Write a pack as one JSON document (compact: the lists run to tens of thousands of codes). */
export function writeDrgPackFile(pack: DrgPack, file: string): void {
  writeFileSync(file, `${JSON.stringify(pack)}\n`);
}
