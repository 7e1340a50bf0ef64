/**
 * Test support: the CHS-DRG 1.1 reference kernel, imported once per test file. Tests that need
 * ../shared/reference fail (never skip) with a message naming the missing folder.
 */
import { compileDrgPack } from './compile.ts';
import { importChsDrg11 } from './import-chs-drg-11.ts';
import type { DrgKernel } from './kernel-types.ts';
import type { DrgPack } from './pack-schema.ts';
import { requireChsDrg11Reference } from './reference-dir.ts';

let pack: DrgPack | undefined;
let kernel: DrgKernel | undefined;

export function referencePack(): DrgPack {
  pack ??= importChsDrg11(requireChsDrg11Reference());
  return pack;
}

export function referenceKernel(): DrgKernel {
  kernel ??= compileDrgPack(referencePack());
  return kernel;
}
