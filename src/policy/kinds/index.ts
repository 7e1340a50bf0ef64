/**
 * Every policy kind yibao knows. A payment method adds its kind here (an import and one line in the list), so that
 * `yibao policy check` and the loader can validate any policy file.
 */
import type { PolicyKind } from '../kind.ts';
import { benefitsKind } from './benefits.ts';
import { capitationKind } from './capitation.ts';
import { communityPaymentKind } from './community-payment.ts';
import { dipKind } from './dip.ts';
import { dipSettlementKind } from './dip-settlement.ts';
import { drgKind } from './drg.ts';
import { ffsKind } from './ffs.ts';
import { medicalCommunityKind } from './medical-community.ts';
import { paymentMixKind } from './payment-mix.ts';
import { perDiemKind } from './per-diem.ts';
import { publishedKind } from './published.ts';
import { qcKind } from './qc.ts';
import { singleDiseaseKind } from './single-disease.ts';

const kinds: PolicyKind[] = [
  qcKind as PolicyKind,
  drgKind as PolicyKind,
  dipKind as PolicyKind,
  dipSettlementKind as PolicyKind,
  perDiemKind as PolicyKind,
  ffsKind as PolicyKind,
  capitationKind as PolicyKind,
  singleDiseaseKind as PolicyKind,
  paymentMixKind as PolicyKind,
  publishedKind as PolicyKind,
  medicalCommunityKind as PolicyKind,
  communityPaymentKind as PolicyKind,
  benefitsKind as PolicyKind,
  // one line per kind
];

export const POLICY_KINDS: ReadonlyMap<string, PolicyKind> = new Map(kinds.map((k) => [k.kind, k]));
