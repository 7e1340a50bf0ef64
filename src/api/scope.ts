/** Scope checks shared by the routes: what a principal may read, as a check and as SQL. */
import { canSee, type Principal } from './auth.ts';
import { forbidden } from './errors.ts';

/** Throw 403 unless `p` may read institution `code`. */
export function requireInstitution(p: Principal | null, code: string): void {
  if (!p || !canSee(p, code)) {
    throw forbidden(`无权查看机构 ${code} 的数据`, `not allowed to read the data of institution ${code}`);
  }
}

/**
 * Throw 403 unless `p` is the agency. `action` says what a write is (walk4 #20: posting a review read "only the
 * agency may read"): `{ zh: '复核疑点', en: 'review flags' }` → 只有医保经办机构可以复核疑点; without it, reading.
 */
export function requireAgency(p: Principal | null, action?: { zh: string; en: string }): void {
  if (p?.role === 'agency') return;
  if (action) throw forbidden(`只有医保经办机构可以${action.zh}`, `only the insurance agency may ${action.en}`);
  throw forbidden('只有医保经办机构可以查看', 'only the insurance agency may read this');
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** A SQL condition limiting `column` to the principal's institutions ("TRUE" for the agency). */
export function scopeSql(p: Principal | null, column: string): string {
  if (!p) return 'FALSE';
  if (p.scope === 'all') return 'TRUE';
  if (p.scope.size === 0) return 'FALSE';
  return `${column} IN (${[...p.scope].map(quote).join(', ')})`;
}
