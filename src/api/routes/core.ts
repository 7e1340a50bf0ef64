/**
 * Routes that need no settlement run: health, login, who am I, institutions, cases (masked), run records,
 * policy files and the audit log.
 */
import { z } from 'zod';
import { POLICY_KINDS } from '../../policy/kinds/index.ts';
import { loadPolicyDir } from '../../policy/registry.ts';
import { col, type Row } from '../../report/table.ts';
import { commandLabel, runPolicies, runStatusLabel } from '../../run/command-label.ts';
import { runMessageIn } from '../../store/run-message.ts';
import type { RunRecord } from '../../store/store.ts';
import type { ApiContext } from '../app.ts';
import { auditRow } from '../audit.ts';
import type { Principal } from '../auth.ts';
import { fen, list, num, type SqlRow, text } from '../db.ts';
import { ApiError, notFound } from '../errors.ts';
import { DISCHARGE_WAY, INSTITUTION_TYPE, INSURANCE, LEVEL, label, ROLE, SEX } from '../labels.ts';
import { maskId } from '../mask.ts';
import { Month } from '../params.ts';
import { type ApiTable, route } from '../route.ts';
import { requireAgency, requireInstitution, scopeSql } from '../scope.ts';

const Lang = z.enum(['zh', 'en']).optional();
const Year = z.coerce.number().int().min(1900).max(9998);
const Code = z.string().min(1).max(64);

/** psn_no as the principal may see it. */
/** One run of the run log as the workbench lists it, in the reader's language. */
export function runRecordRow(r: RunRecord, lang: 'zh' | 'en'): Row {
  return {
    id: r.id,
    command: commandLabel(r.command, lang),
    status: runStatusLabel(r.status, lang),
    // Display text: the policy files in the reader's language (、 between them in zh); `runs` keeps the records.
    policy: runPolicies(r, lang).policies ?? '',
    inputs: r.inputs.length,
    startedAt: r.startedAt,
    durationMs: r.durationMs,
    // A failed run's error in the reader's language (the log keeps both forms).
    reason: r.status === 'failed' ? (runMessageIn(r, lang) ?? '') : '',
  };
}

export function personId(p: Principal | null, id: string): string {
  return p?.personalData ? id : maskId(id);
}

export function whoAmI(p: Principal) {
  return {
    name: p.name,
    role: p.role,
    roleLabel: { zh: ROLE[p.role]![0], en: ROLE[p.role]![1] },
    institution: p.institution ?? null,
    institutions: p.scope === 'all' ? 'all' : [...p.scope].sort(),
    personalData: p.personalData,
  };
}

export function institutionsTable(rows: SqlRow[], lang: 'zh' | 'en' = 'zh'): ApiTable {
  return {
    kind: 'table',
    name: 'institutions',
    zh: '定点医疗机构',
    en: 'Designated institutions',
    columns: [
      col('code', 'text', '机构编码', 'code'),
      col('name', 'text', '机构名称', 'name'),
      col('level', 'text', '医院等级', 'level'),
      col('type', 'text', '机构类型', 'type'),
      col('county', 'text', '区县', 'county'),
      col('community', 'text', '医共体', 'medical community'),
      col('lead', 'text', '牵头医院', 'lead hospital'),
    ],
    rows: rows.map((r) => ({
      code: text(r.fixmedins_code),
      name: text(r.fixmedins_name),
      level: label(LEVEL, text(r.hosp_lv), lang),
      type: label(INSTITUTION_TYPE, text(r.inst_type), lang),
      county: text(r.admdvs),
      community: text(r.mc_id),
      lead: r.mc_lead ? (lang === 'en' ? 'yes' : '是') : '',
    })),
  };
}

export function coreRoutes(ctx: ApiContext) {
  return [
    route({
      method: 'get',
      path: '/api/health',
      tag: 'system',
      zh: '服务状态',
      en: 'service status',
      public: true,
      handler: async () => ({ ok: true, version: ctx.version, store: ctx.db.store.location }),
    }),
    route({
      method: 'post',
      path: '/api/login',
      tag: 'system',
      zh: '用访问令牌登录（记入审计日志）',
      en: 'log in with an access token (recorded in the audit log)',
      public: true,
      body: z.object({ token: z.string().min(1).max(512) }),
      handler: async ({ body }) => {
        const p = ctx.tokens.resolve(body.token);
        if (!p) {
          await ctx.audit.record(null, 'login-failed');
          throw new ApiError(401, 'BAD_TOKEN', '访问令牌无效', 'the access token is not valid');
        }
        await ctx.audit.record(p, 'login');
        return whoAmI(p);
      },
    }),
    route({
      method: 'get',
      path: '/api/me',
      tag: 'system',
      zh: '当前令牌的身份与可见范围',
      en: 'who the token is and what it may see',
      handler: async ({ principal }) => whoAmI(principal!),
    }),
    route({
      method: 'get',
      path: '/api/institutions',
      tag: 'master data',
      zh: '可见的定点医疗机构',
      en: 'designated institutions visible to the token',
      exportable: true,
      query: z.object({ lang: Lang }),
      handler: async ({ principal, query }) => {
        const rows = await ctx.db.query(
          `SELECT * FROM institutions WHERE ${scopeSql(principal, 'fixmedins_code')} ORDER BY fixmedins_code`,
        );
        return institutionsTable(rows, query.lang);
      },
    }),
    route({
      method: 'get',
      path: '/api/institutions/:code/cases',
      tag: 'cases',
      zh: '机构的病例（人员编号脱敏），可按年、月分页查询',
      en: "an institution's cases (person numbers masked), by year or month, paged",
      exportable: true,
      params: z.object({ code: Code }),
      query: z.object({
        year: Year.optional(),
        month: Month.optional(),
        limit: z.coerce.number().int().min(1).max(10_000).default(100),
        offset: z.coerce.number().int().min(0).default(0),
        lang: Lang,
      }),
      handler: async ({ principal, params, query }) => {
        requireInstitution(principal, params.code);
        const where = ['fixmedins_code = $code'];
        const args: Record<string, string | number> = { code: params.code };
        if (query.year) {
          where.push('year(dscg_time) = $year');
          args.year = query.year;
        }
        if (query.month) {
          where.push(`${ctx.db.dialect.monthText('dscg_time')} = $month`);
          args.month = query.month;
        }
        const w = where.join(' AND ');
        const [count] = await ctx.db.query(`SELECT count(*) AS n FROM cases WHERE ${w}`, args);
        const rows = await ctx.db.query(
          `SELECT setl_id, psn_no, ${ctx.db.dialect.dateText('dscg_time')} AS dscg, act_ipt_days, dscg_caty, diag_codes[1] AS dx,
                  medfee_sumamt, hifp_pay, insutype
           FROM cases WHERE ${w} ORDER BY dscg_time, setl_id LIMIT ${query.limit} OFFSET ${query.offset}`,
          args,
        );
        const lang = query.lang ?? 'zh';
        const table: ApiTable = {
          kind: 'table',
          name: `cases-${params.code}`,
          zh: '病例',
          en: 'Cases',
          columns: [
            col('setlId', 'text', '结算ID', 'settlement id'),
            col('psnNo', 'text', '人员编号', 'person number'),
            col('discharge', 'text', '出院日期', 'discharge date'),
            col('los', 'int', '住院天数', 'length of stay'),
            col('department', 'text', '出院科别', 'department'),
            col('principalDx', 'text', '主要诊断', 'principal diagnosis'),
            col('insurance', 'text', '险种', 'insurance type'),
            col('cost', 'money', '医疗费用总额', 'total medical cost'),
            col('fundPay', 'money', '统筹基金支付', 'pooled-fund payment'),
          ],
          rows: rows.map((r) => ({
            setlId: text(r.setl_id),
            psnNo: personId(principal, String(r.psn_no)),
            discharge: text(r.dscg),
            los: num(r.act_ipt_days),
            department: text(r.dscg_caty),
            principalDx: text(r.dx),
            insurance: label(INSURANCE, text(r.insutype), lang),
            cost: fen(r.medfee_sumamt),
            fundPay: fen(r.hifp_pay),
          })),
          total: num(count?.n ?? 0),
        };
        if (principal?.personalData) await ctx.audit.record(principal, 'personal-data', `cases ${params.code}`);
        return table;
      },
    }),
    route({
      method: 'get',
      path: '/api/cases/:setlId',
      tag: 'cases',
      zh: '一个病例的结算清单（人员编号脱敏）',
      en: "one case's settlement list (person number masked)",
      params: z.object({ setlId: Code }),
      query: z.object({ lang: Lang }),
      handler: async ({ principal, params, query }) => {
        const [r] = await ctx.db.query('SELECT * FROM cases WHERE setl_id = $id', { id: params.setlId });
        if (!r) throw notFound(`没有结算ID为 ${params.setlId} 的病例`, `no case ${params.setlId}`);
        requireInstitution(principal, String(r.fixmedins_code));
        if (principal?.personalData) await ctx.audit.record(principal, 'personal-data', `case ${params.setlId}`);
        return caseDetail(principal, r, query.lang ?? 'zh');
      },
    }),
    route({
      method: 'get',
      path: '/api/records',
      tag: 'runs',
      zh: '运行记录（入库、结算等命令的输入、政策版本、计数和耗时）',
      en: 'run records (inputs, policy version, counts and duration of ingest, settlement and other commands)',
      exportable: true,
      query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100), lang: Lang }),
      handler: async ({ principal, query }) => {
        requireAgency(principal);
        const lang = query.lang ?? 'zh';
        const runs = await ctx.db.use((s) => s.listRuns({ limit: query.limit }));
        const table: ApiTable = {
          kind: 'table',
          name: 'run-records',
          zh: '运行记录',
          en: 'Run records',
          columns: [
            col('id', 'text', '运行ID', 'run id'),
            col('command', 'text', '命令', 'command'),
            col('status', 'text', '状态', 'status'),
            col('policy', 'text', '政策版本', 'policy version'),
            col('inputs', 'int', '输入文件数', 'input files'),
            col('startedAt', 'text', '开始时间', 'started'),
            col('durationMs', 'int', '耗时（毫秒）', 'duration (ms)'),
            col('reason', 'text', '失败原因', 'why it failed'),
          ],
          rows: runs.map((r) => runRecordRow(r, lang)),
        };
        return { table, runs };
      },
    }),
    route({
      method: 'get',
      path: '/api/policies',
      tag: 'policy',
      zh: '政策文件（类型、地区、版本、生效期）',
      en: 'policy files (kind, region, version, effective period)',
      exportable: true,
      query: z.object({ lang: Lang }),
      handler: async ({ query }) => {
        const lang = query.lang ?? 'zh';
        const set = loadPolicyDir(ctx.policies, POLICY_KINDS);
        const table: ApiTable = {
          kind: 'table',
          name: 'policies',
          zh: '政策文件',
          en: 'Policy files',
          columns: [
            col('kindText', 'text', '类型', 'kind'),
            col('region', 'text', '地区', 'region'),
            col('id', 'text', '政策ID', 'policy id'),
            col('version', 'text', '版本', 'version'),
            col('title', 'text', '名称', 'title'),
            col('from', 'text', '生效日期', 'from'),
            col('to', 'text', '截止日期', 'to'),
          ],
          rows: set.files.map((f) => ({
            // The kind by its name (待遇政策, 按病种付费; zh read `benefits`, `capitation`: walk4 #14), as recorded beside it.
            kindText: (lang === 'en' ? POLICY_KINDS.get(f.kind)?.en : POLICY_KINDS.get(f.kind)?.zh) ?? f.kind,
            kind: f.kind,
            region: f.region,
            id: f.id,
            version: f.version,
            title: f.title,
            from: f.effective.from,
            to: f.effective.to ?? '',
          })),
        };
        return table;
      },
    }),
    route({
      method: 'get',
      path: '/api/audit',
      tag: 'system',
      zh: '审计日志（登录、运行、导出），仅医保经办机构可查',
      en: 'audit log (logins, runs, exports); agency only',
      exportable: true,
      query: z.object({
        limit: z.coerce.number().int().min(1).max(10_000).default(200),
        action: z.string().max(32).optional(),
        lang: Lang,
      }),
      handler: async ({ principal, query }) => {
        requireAgency(principal);
        const entries = await ctx.audit.list(query.limit, query.action);
        const lang = query.lang ?? 'zh';
        const table: ApiTable = {
          kind: 'table',
          name: 'audit',
          zh: '审计日志',
          en: 'Audit log',
          columns: [
            col('at', 'text', '时间', 'time'),
            col('actor', 'text', '使用者', 'actor'),
            col('roleText', 'text', '角色', 'role'),
            col('actionText', 'text', '操作', 'action'),
            col('targetText', 'text', '对象', 'target'),
            col('detailText', 'text', '说明', 'detail'),
          ],
          // In words (登录, 医保经办机构), the recorded values beside them (role, action, target, detail).
          rows: entries.map((e) => ({ ...auditRow(e, lang) })),
        };
        return table;
      },
    }),
  ];
}

/** A case as the workbench shows it: codes with names, money in fen, the person number masked. */
export function caseDetail(p: Principal | null, r: SqlRow, lang: 'zh' | 'en') {
  const dx = list(r.diag_codes);
  const dxNames = list(r.diag_names);
  const px = list(r.oprn_oprt_codes);
  const pxNames = list(r.oprn_oprt_names);
  const pxDates = list(r.oprn_oprt_dates);
  return {
    setlId: String(r.setl_id),
    psnNo: personId(p, String(r.psn_no)),
    institution: String(r.fixmedins_code),
    insurance: label(INSURANCE, text(r.insutype), lang),
    sex: label(SEX, text(r.gend), lang),
    sexCode: text(r.gend),
    age: num(r.age),
    admission: text(r.adm_time)?.slice(0, 10) ?? null,
    discharge: text(r.dscg_time)?.slice(0, 10) ?? null,
    losDays: num(r.act_ipt_days),
    dischargeWay: label(DISCHARGE_WAY, text(r.dscg_way), lang),
    dischargeWayCode: text(r.dscg_way),
    department: text(r.dscg_caty),
    diagnoses: dx.map((code, i) => ({ code, name: dxNames[i] ?? '' })),
    procedures: px.map((code, i) => ({ code, name: pxNames[i] ?? '', date: pxDates[i] ?? '' })),
    cost: fen(r.medfee_sumamt),
    fundPay: fen(r.hifp_pay),
    selfPay: fen(r.psn_selfpay),
    ownPay: fen(r.psn_ownpay),
  };
}
