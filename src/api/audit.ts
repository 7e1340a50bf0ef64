/**
 * The audit log (审计日志): every login, run and export through the API is recorded in the store's `api_audit`
 * table (created by the store’s migration 8) with who, when, what and on which target; the agency reads it through `GET /api/audit`.
 */
import type { Principal } from './auth.ts';
import type { ApiDb } from './db.ts';

export type AuditAction = 'login' | 'login-failed' | 'run' | 'export' | 'personal-data' | 'review';

export interface AuditEntry {
  at: string;
  actor: string;
  role: string;
  action: string;
  target: string | null;
  detail: string | null;
}

export class AuditLog {
  constructor(private readonly db: ApiDb) {}

  record(who: Pick<Principal, 'name' | 'role'> | null, action: AuditAction, target?: string, detail?: string) {
    return this.db.insert('api_audit', {
      logged_at: new Date().toISOString().replace('T', ' ').replace('Z', ''),
      actor: who?.name ?? '-',
      role: who?.role ?? '-',
      action,
      target: target ?? null,
      detail: detail ?? null,
    });
  }

  async list(limit: number, action?: string): Promise<AuditEntry[]> {
    const rows = await this.db.query(
      `SELECT ${this.db.dialect.dateTimeMillisText('logged_at')} AS at, actor, role, action, target, detail FROM api_audit
       ${action ? 'WHERE action = $action' : ''} ORDER BY logged_at DESC LIMIT ${Math.max(1, Math.min(limit, 10_000))}`,
      action ? { action } : {},
    );
    return rows.map((r) => ({
      at: String(r.at),
      actor: String(r.actor),
      role: String(r.role),
      action: String(r.action),
      target: r.target === null ? null : String(r.target),
      detail: r.detail === null ? null : String(r.detail),
    }));
  }
}
