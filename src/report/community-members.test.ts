/**
 * R-MC-3, R-BUD-5 (鲁医保发〔2024〕39号 二(三)、二(四)): inside a county medical community settled under a global budget,
 * a member's own DIP year-end clearing is not paid separately — the community's clearing takes its place — nor,
 * under `advanceBasis: community`, its own start-of-year advance. The pool's statements printed both as payable
 * (tidy4 1). They now say so beside the stored amounts, which stay as the run issued them.
 */
import { describe, expect, it } from 'vitest';
import { generateRegion } from '../payment/dip/synth.ts';
import { testDipPolicy, testSettlementPolicy } from '../payment/dip/testing.ts';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { BUNDLED_POLICY_DIR, loadPolicyDir } from '../policy/registry.ts';
import { communityMembersOfYear } from '../run/community-members.ts';
import { runDip } from '../run/dip-pool.ts';
import type { CommunityMembers } from './community-members.ts';
import { annualTable, regionTable } from './settlement-rows.ts';
import { poolSummaryText } from './summary.ts';
import { cellText } from './table.ts';

const region = generateRegion({
  seed: 3,
  institutions: 3,
  diagnoses: 10,
  casesPerYear: { 2022: 100, 2023: 100, 2024: 100, 2025: 100 },
});
const settled = runDip({
  region: 'test',
  year: 2025,
  history: [2022, 2023, 2024].flatMap((y) => region.byYear.get(y)!),
  current: region.byYear.get(2025)!,
  institutions: region.institutions,
  dip: { policy: testDipPolicy(), id: 't', version: '1' },
  settlement: testSettlementPolicy(),
}).settlement;

// Three institutions with hand-set advances and clearings (fen): H1 and H2 members of MC1, H3 of none.
const hand = [
  { code: 'H1', advance: 10_000, clearing: 100_000 },
  { code: 'H2', advance: 20_000, clearing: -50_000 },
  { code: 'H3', advance: 30_000, clearing: 25_000 },
];
const s = {
  ...settled,
  institutions: hand.map((h, k) => ({
    ...settled.institutions[k]!,
    institutionCode: h.code,
    advance: h.advance,
    clearing: h.clearing,
  })),
};
const mc1 = { communityId: 'MC1', name: '东山县医共体', advanceBasis: 'community' as const };
const members: CommunityMembers = new Map([
  ['H1', mc1],
  ['H2', mc1],
]);

describe('R-MC-3 a community member’s own statement: its clearing is not paid separately', () => {
  it('the year-end statement: the stored amounts unchanged, a 县域医共体 column naming the community (zh, en)', () => {
    const t = annualTable(s, new Map(), undefined, members);
    const rows = [...t.rows];
    expect(rows.map((r) => [r.institution, r.advance, r.clearing])).toEqual([
      ['H1', 10_000, 100_000],
      ['H2', 20_000, -50_000],
      ['H3', 30_000, 25_000],
    ]);
    const col = t.columns.find((c) => c.key === 'community')!;
    expect([col.zh, col.en]).toEqual(['县域医共体', 'county medical community']);
    expect(rows.map((r) => cellText(col, r.community ?? '', 'zh'))).toEqual([
      '东山县医共体（MC1）成员单位：年初预付和清算支付额不另行支付，由医共体清算（医共体年初预付和清算支付额代替）',
      '东山县医共体（MC1）成员单位：年初预付和清算支付额不另行支付，由医共体清算（医共体年初预付和清算支付额代替）',
      '',
    ]);
    expect(cellText(col, rows[0]!.community ?? '', 'en')).toBe(
      'member of 东山县医共体 (MC1): its start-of-year advance and clearing payment are not paid separately — settled through the community (its advance and clearing payment take their place)',
    );
    // Under advanceBasis: members the member's own advance stands: only its clearing is not paid separately.
    const own = annualTable(s, new Map(), 'H2', new Map([['H2', { ...mc1, advanceBasis: 'members' as const }]]));
    expect(cellText(own.columns.at(-1)!, [...own.rows][0]!.community ?? '', 'zh')).toBe(
      '东山县医共体（MC1）成员单位：清算支付额不另行支付，由医共体清算（医共体清算支付额代替）',
    );
    // A non-member's own statement, or a pool without members: no such column.
    expect(annualTable(s, new Map(), 'H3', members).columns.some((c) => c.key === 'community')).toBe(false);
    expect(annualTable(s).columns.some((c) => c.key === 'community')).toBe(false);
  });

  it('the region summary: the members’ advances 300.00 and clearings 500.00 of the totals, not paid separately', () => {
    const rows = [...regionTable(s, [], members).rows];
    const item = (prefix: string) => rows.filter((r) => String(r.item).startsWith(prefix));
    // 10,000 + 20,000 fen = 300.00 元 of advances; 100,000 − 50,000 fen = 500.00 元 of clearings, 2 members each.
    expect(item('其中：东山县医共体（MC1）成员单位年初预付').map((r) => [r.item, r.count, r.money])).toEqual([
      ['其中：东山县医共体（MC1）成员单位年初预付（不另行支付，由医共体年初预付代替）', 2, 30_000],
    ]);
    expect(item('其中：东山县医共体（MC1）成员单位清算支付额').map((r) => [r.item, r.count, r.money])).toEqual([
      ['其中：东山县医共体（MC1）成员单位清算支付额（不另行支付，由医共体清算）', 2, 50_000],
    ]);
    // … right after the totals they are part of, which stay the pool's (Σ of the stored amounts)
    const at = (p: string) => rows.findIndex((r) => String(r.item).startsWith(p));
    expect(at('其中：东山县医共体（MC1）成员单位年初预付')).toBe(at('年初预付合计') + 1);
    expect(at('其中：东山县医共体（MC1）成员单位清算支付额')).toBe(at('清算支付额合计') + 1);
    expect(rows[at('清算支付额合计')]!.money).toBe(s.summary.clearing);
    const col = regionTable(s, [], members).columns[0]!;
    expect(cellText(col, rows[at('其中：东山县医共体（MC1）成员单位清算支付额')]!.item as string, 'en')).toBe(
      'of which members of 东山县医共体 (MC1): clearing payments (not paid separately; settled through the community)',
    );
    expect(rows.some((r) => String(r.item).includes('医共体'))).toBe(true);
    expect([...regionTable(s).rows].some((r) => String(r.item).includes('医共体'))).toBe(false);
  });

  it('the terminal summary (settle, demo): one line per community under the totals (zh, en)', () => {
    expect(poolSummaryText(s, 'zh', members)).toContain(
      '\n  其中东山县医共体（MC1）成员单位 2 家：年初预付 300.00 元、清算支付额 500.00 元 不另行支付，由医共体清算（yibao community settle）\n',
    );
    expect(poolSummaryText(s, 'en', members)).toContain(
      '\n  of which the 2 members of 东山县医共体 (MC1): start-of-year advance 300.00 yuan and clearing payment 500.00 yuan not paid separately — settled through the community (yibao community settle)\n',
    );
    expect(poolSummaryText(s, 'zh')).not.toContain('医共体');
  });

  it('who is a member: the registry and eligibility on 1 January, advanceBasis of the community policy (demo)', () => {
    const policies = loadPolicyDir(BUNDLED_POLICY_DIR, POLICY_KINDS);
    const m = communityMembersOfYear(policies, 'demo', 2025);
    expect(m.size).toBe(12);
    expect(m.get('H99012100001')).toEqual({ communityId: 'MC990121', name: '东山县医共体', advanceBasis: 'community' });
    expect(m.get('H99012200006')?.communityId).toBe('MC990122');
    expect(m.has('H99010200002')).toBe(false);
    // No registry in force (another year): no member.
    expect(communityMembersOfYear(policies, 'demo', 2031).size).toBe(0);
  });
});
