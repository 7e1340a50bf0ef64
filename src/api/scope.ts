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

/**
 * Throw 403 unless `p` may read settlement run `run`: a policy what-if (政策模拟) is the agency's alone — its list
 * entry, statements, case results and explanations (walk4 #12: a hospital read a what-if's year-end figures as if
 * they were its statement).
 */
export function requireRunReader(p: Principal | null, run: { id: string; kind?: string }): void {
  if (run.kind === 'what-if' && p?.role !== 'agency')
    throw forbidden(
      `${run.id} 是政策模拟运行，只供医保经办机构查看，不是结算单`,
      `${run.id} is a policy what-if run, for the insurance agency only; it is not a statement`,
    );
}

/** A what-if run's tables say so in their titles (the agency sees them marked as a simulation, never as issued). */
export function simulationTitle(run: { kind?: string }, t: { zh: string; en: string }): { zh: string; en: string } {
  if (run.kind !== 'what-if') return t;
  return { zh: `${t.zh}（政策模拟，非正式结算）`, en: `${t.en} (policy what-if, not an issued settlement)` };
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** A SQL condition limiting `column` to the principal's institutions ("TRUE" for the agency). */
export function scopeSql(p: Principal | null, column: string): string {
  if (!p) return 'FALSE';
  if (p.scope === 'all') return 'TRUE';
  if (p.scope.size === 0) return 'FALSE';
  return `${column} IN (${[...p.scope].map(quote).join(', ')})`;
}
