/**
 * Every policy kind yibao knows. A payment method adds its kind here (one line), so that
 * `yibao policy check` and the loader can validate any policy file.
 */
import type { PolicyKind } from '../kind.ts';
import { qcKind } from './qc.ts';

export const POLICY_KINDS: ReadonlyMap<string, PolicyKind> = new Map<string, PolicyKind>(
  [qcKind as PolicyKind].map((k) => [k.kind, k]),
);
