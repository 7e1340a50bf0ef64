/** Test fixtures: the Shandong template policies, resolved for 2025 (tests only). */
import { fileURLToPath } from 'node:url';
import { communityPaymentKind } from '../policy/kinds/community-payment.ts';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { type MedicalCommunity, medicalCommunityKind } from '../policy/kinds/medical-community.ts';
import { loadPolicyFile } from '../policy/loader.ts';
import { resolveFile } from '../policy/registry.ts';
import type { CommunityPaymentPolicy } from './budget.ts';

const templates = (name: string) => fileURLToPath(new URL(`../../policies/templates/${name}`, import.meta.url));

export function templateCommunityPolicy(): CommunityPaymentPolicy {
  const f = loadPolicyFile(templates('shandong-community-payment.yaml'), POLICY_KINDS);
  return resolveFile(f, communityPaymentKind, '2025-06-30').values;
}

export function templateCommunity(): MedicalCommunity {
  const f = loadPolicyFile(templates('shandong-medical-community.yaml'), POLICY_KINDS);
  return resolveFile(f, medicalCommunityKind, '2025-06-30').values.communities.value[0]!;
}
