/**
 * The audit log (审计日志): every login, run and export through the API is recorded in the store's `api_audit`
 * table (created by the store’s migration 8) with who, when, what and on which target; the agency reads it through `GET /api/audit`.
 */
import type { Principal } from './auth.ts';
import type { ApiDb } from './db.ts';
import { type Lang, label, METHOD, ROLE } from './labels.ts';

export type AuditAction = 'login' | 'login-failed' | 'run' | 'export' | 'personal-data' | 'review';

export interface AuditEntry {
  at: string;
  actor: string;
  role: string;
  action: string;
  target: string | null;
  detail: string | null;
}

/** What was done, in the reader's words (the log keeps the action as recorded: `login`, `export`, …). */
const ACTION: Readonly<Record<AuditAction, readonly [zh: string, en: string]>> = {
  login: ['登录', 'log in'],
  'login-failed': ['登录失败', 'failed log-in'],
  run: ['运行', 'run'],
  export: ['导出', 'export'],
  'personal-data': ['查看个人信息', 'personal data read'],
  review: ['复核疑点', 'flag review'],
};

/**
 * A target's leading command word (`settle demo 2025`, `monitor demo 2025`, `what-if RUN`, `cases H1`, `case S1`), in
 * the words `runs` uses for a run's command (run/command-label.ts; en showed the command word `settle`, walk6 #3).
 */
const TARGET: Readonly<Record<string, readonly [zh: string, en: string]>> = {
  settle: ['结算', 'settlement'],
  monitor: ['智能监控', 'smart monitoring'],
  'what-if': ['政策模拟', 'policy what-if'],
  cases: ['机构病例', 'cases of'],
  case: ['病例', 'case'],
};

/**
 * One entry as the workbench and the exported sheet show it (walk4 #14: zh read `agency  login`): role, action and the
 * target's command word in the reader's words, an export's `rows=N` as `N 行` / `N rows`, a run's payment method by its
 * name. The entry's recorded fields stay beside them (`role`, `action`, `target`, `detail`) for programs and filters.
 */
export function auditRow(
  e: AuditEntry,
  lang: Lang,
): AuditEntry & Record<`${'role' | 'action' | 'target' | 'detail'}Text`, string> {
  const i = lang === 'en' ? 1 : 0;
  const [head, ...rest] = (e.target ?? '').split(' ');
  const target =
    head !== undefined && TARGET[head] && rest.length > 0 ? [TARGET[head][i], ...rest].join(' ') : (e.target ?? '');
  const detail = (e.detail ?? '')
    .replace(/\brows=(\d+)$/, (_, n: string) => (lang === 'en' ? `${n} ${n === '1' ? 'row' : 'rows'}` : `${n} 行`))
    .replace(/ (dip|drg)$/, (_, m: string) => ` ${label(METHOD, m, lang)}`);
  return {
    ...e,
    roleText: e.role === '-' ? '—' : label(ROLE, e.role, lang),
    actionText: ACTION[e.action as AuditAction]?.[i] ?? e.action,
    targetText: target,
    detailText: detail,
  };
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
