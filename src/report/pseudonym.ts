/**
 * Personal identifiers in statements that go to institutions (R-DATA-2; issue "nothing leaked"). An
 * institution's statement needs heads and amounts, not a person's insurance number, so every 人员编号 (psn_no) in
 * such a statement is replaced:
 *
 * - with a key (`YIBAO_PSEUDONYM_KEY`, at least 16 characters, kept by the agency): a keyed hash,
 *   `h:` + the first 16 hex digits of HMAC-SHA256(key, psn_no). The same person gets the same pseudonym in every
 *   statement signed with that key, and an institution that is given the key under a data agreement can compute
 *   the pseudonyms of its own patients to match its records; without the key the number cannot be recovered.
 * - without a key: masked, `****` + the last 4 characters (enough to tell a clerk which row to look at, not
 *   enough to identify a person).
 */
import { createHmac } from 'node:crypto';

export const PSEUDONYM_KEY_ENV = 'YIBAO_PSEUDONYM_KEY';

export type Pseudonymiser = (psnNo: string) => string;

export function pseudonymiser(key: string | undefined = process.env[PSEUDONYM_KEY_ENV]): Pseudonymiser {
  if (key !== undefined && key !== '') {
    if (key.length < 16) {
      throw Object.assign(new Error(`${PSEUDONYM_KEY_ENV} must have at least 16 characters`), {
        code: 'E_PSEUDONYM_KEY',
      });
    }
    return (psnNo) => `h:${createHmac('sha256', key).update(psnNo, 'utf8').digest('hex').slice(0, 16)}`;
  }
  return (psnNo) => `****${psnNo.slice(-4)}`;
}
