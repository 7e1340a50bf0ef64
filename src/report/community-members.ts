/**
 * The members of county medical communities settled under a global budget, as a point pool's own statements show
 * them (R-MC-3, R-BUD-5; 鲁医保发〔2024〕39号 二(三)、二(四)). Inside such a community the members' own year-end
 * clearing under their method is not paid separately — the community's clearing takes its place — and, under the
 * community policy's `advanceBasis: community` (the default), neither is their own start-of-year advance (the
 * community's advance replaces it). The pool's stored amounts stay as the run issued them; the statements only say
 * which of them are not paid separately and through which community they are settled. Pure.
 */
import { type Fen, fenToYuan } from '../model/money.ts';
import type { PoolSettlement } from '../settlement/settle.ts';

/** A member's community: which one, and whose advance its clearing deducts (`advanceBasis`). */
export interface CommunityMembership {
  communityId: string;
  name: string;
  /** `community`: the community's advance replaces the members' own; `members`: the members' own advances stand. */
  advanceBasis: 'community' | 'members';
}

/** Members by institution code (only communities settled under a global budget in the year). */
export type CommunityMembers = ReadonlyMap<string, CommunityMembership>;

type Lang = 'zh' | 'en';

/** The community by name and id: 东山县医共体（MC990121） / 东山县医共体 (MC990121). */
export const communityText = (m: CommunityMembership, lang: Lang): string =>
  lang === 'zh' ? `${m.name}（${m.communityId}）` : `${m.name} (${m.communityId})`;

/** What a member's statement says beside its clearing payment (the 县域医共体 column of the year-end statement). */
export function memberNote(m: CommunityMembership, lang: Lang): string {
  const c = communityText(m, lang);
  if (m.advanceBasis === 'community')
    return lang === 'zh'
      ? `${c}成员单位：年初预付和清算支付额不另行支付，由医共体清算（医共体年初预付和清算支付额代替）`
      : `member of ${c}: its start-of-year advance and clearing payment are not paid separately — settled through the community (its advance and clearing payment take their place)`;
  return lang === 'zh'
    ? `${c}成员单位：清算支付额不另行支付，由医共体清算（医共体清算支付额代替）`
    : `member of ${c}: its clearing payment is not paid separately — settled through the community (its clearing payment takes its place)`;
}

/** A community's members in the pool and their own advances and clearing payments as the run issued them. */
export interface CommunityMembersInPool {
  membership: CommunityMembership;
  institutions: number;
  advance: Fen;
  clearing: Fen;
}

/** The pool's institutions that are members, by community (in the order of their first member in the pool). */
export function membersInPool(
  s: Pick<PoolSettlement, 'institutions'>,
  members: CommunityMembers,
): CommunityMembersInPool[] {
  const by = new Map<string, CommunityMembersInPool>();
  for (const i of s.institutions) {
    const m = members.get(i.institutionCode);
    if (!m) continue;
    const x = by.get(m.communityId) ?? { membership: m, institutions: 0, advance: 0, clearing: 0 };
    x.institutions += 1;
    x.advance += i.advance;
    x.clearing += i.clearing;
    by.set(m.communityId, x);
  }
  return [...by.values()];
}

/**
 * The terminal's lines under the pool's totals: for each community, its members' own advances (under
 * `advanceBasis: community`) and clearing payments, which the totals include and which are not paid separately.
 */
export function memberSummaryLines(
  s: Pick<PoolSettlement, 'institutions'>,
  members: CommunityMembers,
  lang: Lang,
): string[] {
  const yuan = (fen: Fen) => `${fenToYuan(fen)} ${lang === 'zh' ? '元' : 'yuan'}`;
  return membersInPool(s, members).map(({ membership: m, institutions: n, advance, clearing }) => {
    const c = communityText(m, lang);
    const both = m.advanceBasis === 'community';
    return lang === 'zh'
      ? `  其中${c}成员单位 ${n} 家：${both ? `年初预付 ${yuan(advance)}、` : ''}清算支付额 ${yuan(clearing)} 不另行支付，由医共体清算（yibao community settle）`
      : `  of which the ${n} ${n === 1 ? 'member' : 'members'} of ${c}: ${both ? `start-of-year advance ${yuan(advance)} and ` : ''}clearing payment ${yuan(clearing)} not paid separately — settled through the community (yibao community settle)`;
  });
}

/** A member's mark after its figures in the terminal's institution lines (东山县医共体（MC990121）成员单位：…). */
export function memberMark(m: CommunityMembership | undefined, lang: Lang): string {
  if (!m) return '';
  const c = communityText(m, lang);
  return lang === 'zh'
    ? `  ${c}成员单位：不另行支付，由医共体清算`
    : `  member of ${c}: not paid separately, settled through the community`;
}
