/** Test fixtures: the demo region's benefits policy resolved for 2025 (tests only). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { benefitsKind } from '../policy/kinds/benefits.ts';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { parsePolicy } from '../policy/loader.ts';
import { resolveFile } from '../policy/registry.ts';
import type { BenefitsPolicy } from './types.ts';

export const DEMO_BENEFITS = fileURLToPath(new URL('../../policies/demo/benefits-2025.yaml', import.meta.url));

export function demoBenefitsText(): string {
  return readFileSync(DEMO_BENEFITS, 'utf8');
}

export function benefitsPolicy(text = demoBenefitsText()): BenefitsPolicy {
  return resolveFile(parsePolicy(text, 'benefits.yaml', POLICY_KINDS), benefitsKind, '2025-06-30').values;
}
