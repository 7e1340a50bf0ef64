/**
 * Which institutions a point pool's statements mark as members of a county medical community settled under a global
 * budget (R-MC-1, R-MC-3; 鲁医保发〔2024〕39号 二(一)、二(三)、二(四)). A read of what the community's year-end uses
 * (community-year.ts): the region's registry (`medical-community`: members, lead) resolved on 1 January, each
 * community's eligibility on that day, and `advanceBasis` of its `community-payment` policy — nothing is settled or
 * recomputed. A community not eligible on 1 January settles its members one by one: they are not marked. A region
 * without both policy files in force on 1 January has no community settled under a global budget.
 */
import { communityEligibility } from '../community/eligibility.ts';
import { contains } from '../policy/dates.ts';
import { communityPaymentKind } from '../policy/kinds/community-payment.ts';
import { medicalCommunityKind } from '../policy/kinds/medical-community.ts';
import type { PolicySet } from '../policy/registry.ts';
import type { CommunityMembers, CommunityMembership } from '../report/community-members.ts';

export function communityMembersOfYear(policies: PolicySet, region: string, year: number): CommunityMembers {
  const date = `${year}-01-01`;
  const inForce = (kind: string) =>
    policies.files.some((f) => f.kind === kind && f.region === region && contains(f.effective, date));
  const out = new Map<string, CommunityMembership>();
  if (!inForce(medicalCommunityKind.kind) || !inForce(communityPaymentKind.kind)) return out;
  const registry = policies.resolve(medicalCommunityKind, region, date);
  const advanceBasis = policies.resolve(communityPaymentKind, region, date).values.advanceBasis.value;
  for (const c of registry.values.communities.value) {
    if (!communityEligibility(c, date, registry.values.communities.source).eligible) continue;
    for (const m of c.members) out.set(m, { communityId: c.id, name: c.name, advanceBasis });
  }
  return out;
}
