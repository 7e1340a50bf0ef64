/**
 * Access control (访问控制): bearer tokens with roles, read from a token file.
 *
 * - `agency` (医保经办机构) sees every institution of the region;
 * - `institution` (定点医疗机构) sees only its own cases and statements;
 * - `community` (医共体牵头医院) is a lead hospital: it sees its community's members (same `mc_id`).
 *
 * The file is YAML (see examples/tokens.demo.yaml). A token is given as its SHA-256 (`sha256`, what a real
 * deployment should keep) or in clear (`token`, for the demo). Personal identifiers are masked for every role
 * unless the entry says `personalData: true`.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import type { Institution } from '../model/institution.ts';

export type Role = 'agency' | 'institution' | 'community';

const TokenEntry = z
  .object({
    name: z.string().min(1),
    role: z.enum(['agency', 'institution', 'community']),
    token: z.string().min(16).optional(),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
    /** The institution of an `institution` token, or the lead hospital of a `community` token. */
    institution: z.string().min(1).optional(),
    /** Whether this holder may see personal identifiers unmasked (psn_no, names, certificate numbers). */
    personalData: z.boolean().optional(),
  })
  .strict()
  .refine((e) => (e.token === undefined) !== (e.sha256 === undefined), {
    message: 'give exactly one of token or sha256',
  })
  .refine((e) => e.role === 'agency' || e.institution !== undefined, {
    message: 'institution and community tokens name their institution',
  });

export const TokenFile = z.object({ tokens: z.array(TokenEntry).min(1) }).strict();
export type TokenFile = z.infer<typeof TokenFile>;
export type TokenEntry = z.infer<typeof TokenEntry>;

/** Who is asking, and which institutions they may see. */
export interface Principal {
  name: string;
  role: Role;
  institution?: string;
  /** Institution codes this principal may read; `all` for the agency. */
  scope: 'all' | ReadonlySet<string>;
  personalData: boolean;
}

/** A token file that cannot be used: a message in each language (the CLI prints the one asked for). */
export class TokenError extends Error {
  constructor(
    readonly code: 'TOKEN_FILE_INVALID' | 'TOKEN_DUPLICATE' | 'TOKEN_UNKNOWN_INSTITUTION' | 'TOKEN_NOT_LEAD',
    readonly zh: string,
    readonly en: string,
  ) {
    super(`${zh} / ${en}`);
  }
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export function readTokenFile(path: string): TokenFile {
  const parsed = TokenFile.safeParse(parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new TokenError(
      'TOKEN_FILE_INVALID',
      `令牌文件不合规 ${path}: ${where}`,
      `invalid token file ${path}: ${where}`,
    );
  }
  return parsed.data;
}

/** Resolves bearer tokens to principals; community scopes come from the institutions' `mc_id`. */
export class TokenRegistry {
  private readonly byHash = new Map<string, Principal>();

  constructor(file: TokenFile, institutions: readonly Institution[]) {
    const byCode = new Map(institutions.map((i) => [i.code, i]));
    for (const e of file.tokens) {
      const hash = e.sha256 ?? sha256(e.token!);
      if (this.byHash.has(hash))
        throw new TokenError('TOKEN_DUPLICATE', `令牌重复（${e.name}）`, `duplicate token (${e.name})`);
      this.byHash.set(hash, principalOf(e, byCode, institutions));
    }
  }

  /** The principal of a presented token, or undefined. */
  resolve(token: string): Principal | undefined {
    return this.byHash.get(sha256(token));
  }
}

function principalOf(e: TokenEntry, byCode: Map<string, Institution>, all: readonly Institution[]): Principal {
  const personalData = e.personalData ?? false;
  if (e.role === 'agency') return { name: e.name, role: 'agency', scope: 'all', personalData };
  const inst = byCode.get(e.institution!);
  if (!inst)
    throw new TokenError(
      'TOKEN_UNKNOWN_INSTITUTION',
      `令牌 ${e.name} 的机构 ${e.institution} 不在存储中`,
      `the institution ${e.institution} of token ${e.name} is not in the store`,
    );
  if (e.role === 'institution') {
    return { name: e.name, role: e.role, institution: inst.code, scope: new Set([inst.code]), personalData };
  }
  if (!inst.communityId || !inst.isLead) {
    throw new TokenError(
      'TOKEN_NOT_LEAD',
      `令牌 ${e.name}：${inst.code} 不是医共体牵头医院`,
      `token ${e.name}: ${inst.code} is not the lead hospital of a medical community`,
    );
  }
  const members = all.filter((i) => i.communityId === inst.communityId).map((i) => i.code);
  return { name: e.name, role: e.role, institution: inst.code, scope: new Set(members), personalData };
}

/** Whether `p` may read data of institution `code`. */
export function canSee(p: Principal, code: string): boolean {
  return p.scope === 'all' || p.scope.has(code);
}
