/**
 * Test support: the CHS-DRG 1.1 reference kernel, imported once per test file. Tests that need
 * ../shared/reference fail (never skip) with a message naming the missing folder.
 */
import { compileDrgPack } from './compile.ts';
import { importChsDrg11 } from './import-chs-drg-11.ts';
import { importChsDrg20 } from './import-chs-drg-20.ts';
import type { DrgKernel } from './kernel-types.ts';
import type { DrgPack } from './pack-schema.ts';
import { requireChsDrg11Reference, requireChsDrg20Reference } from './reference-dir.ts';

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

let pack20: DrgPack | undefined;
let kernel20: DrgKernel | undefined;

/** The CHS-DRG 2.0 reference pack and kernel, imported once per test file. */
export function reference20Pack(): DrgPack {
  pack20 ??= importChsDrg20(requireChsDrg20Reference());
  return pack20;
}

export function reference20Kernel(): DrgKernel {
  kernel20 ??= compileDrgPack(reference20Pack());
  return kernel20;
}
