/** Tokens and roles (R-API access control) and masking of personal identifiers, by hand. */
import { describe, expect, it } from 'vitest';
import type { Institution } from '../model/institution.ts';
import { canSee, sha256, TokenFile, TokenRegistry } from './auth.ts';
import { maskId, maskName } from './mask.ts';

const inst = (code: string, communityId?: string, isLead?: boolean): Institution => ({
  code,
  name: code,
  level: '2',
  type: 'general',
  county: '990121',
  ...(communityId ? { communityId } : {}),
  ...(isLead !== undefined ? { isLead } : {}),
});
const INSTITUTIONS = [
  inst('A'),
  inst('B'),
  inst('L', 'MC1', true),
  inst('M1', 'MC1', false),
  inst('M2', 'MC1', false),
  inst('X', 'MC2', true),
];

describe('token registry', () => {
  const file = TokenFile.parse({
    tokens: [
      { name: 'agency', role: 'agency', token: 'agency-token-000000' },
      { name: 'A office', role: 'institution', institution: 'A', sha256: sha256('a-token-0000000000') },
      { name: 'lead', role: 'community', institution: 'L', token: 'lead-token-00000000' },
    ],
  });
  const reg = new TokenRegistry(file, INSTITUTIONS);

  it('the agency sees every institution', () => {
    const p = reg.resolve('agency-token-000000')!;
    expect(p.scope).toBe('all');
    expect(canSee(p, 'X')).toBe(true);
  });

  it('an institution token (kept as SHA-256) sees only its institution', () => {
    const p = reg.resolve('a-token-0000000000')!;
    expect(p.role).toBe('institution');
    expect(canSee(p, 'A')).toBe(true);
    expect(canSee(p, 'B')).toBe(false);
  });

  it('a lead hospital sees exactly its community (same mc_id), not another community', () => {
    const p = reg.resolve('lead-token-00000000')!;
    expect([...(p.scope as Set<string>)].sort()).toEqual(['L', 'M1', 'M2']);
    expect(canSee(p, 'X')).toBe(false);
  });

  it('unknown tokens resolve to nothing; personal data is masked by default', () => {
    expect(reg.resolve('agency-token-000001')).toBeUndefined();
    expect(reg.resolve('agency-token-000000')!.personalData).toBe(false);
  });

  it('a community token must name a lead hospital; tokens are unique; entries are strict', () => {
    const bad = TokenFile.parse({
      tokens: [{ name: 'x', role: 'community', institution: 'M1', token: 'm1-token-000000000' }],
    });
    expect(() => new TokenRegistry(bad, INSTITUTIONS)).toThrow(/lead hospital/);
    const dup = TokenFile.parse({
      tokens: [
        { name: 'a', role: 'agency', token: 'same-token-0000000' },
        { name: 'b', role: 'agency', sha256: sha256('same-token-0000000') },
      ],
    });
    expect(() => new TokenRegistry(dup, INSTITUTIONS)).toThrow(/duplicate/);
    expect(TokenFile.safeParse({ tokens: [{ name: 'a', role: 'institution', token: 'x'.repeat(20) }] }).success).toBe(
      false,
    );
    expect(
      TokenFile.safeParse({ tokens: [{ name: 'a', role: 'agency', token: 'x'.repeat(20), extra: 1 }] }).success,
    ).toBe(false);
  });
});

describe('masking', () => {
  it('person and certificate numbers keep the first and last two characters', () => {
    expect(maskId('9901020000000049')).toBe('99************49');
    expect(maskId('110101199003071234')).toBe('11**************34');
    expect(maskId('1234')).toBe('****');
  });
  it('names keep the family name', () => {
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('李')).toBe('*');
  });
});
