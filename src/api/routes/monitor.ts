/**
 * The monitoring queue (智能监控疑点) of the latest stored monitoring run (`yibao monitor run`, `yibao demo`, or
 * POST /api/monitor/runs): flags filtered by rule, institution, severity, result and review decision, most severe and
 * largest first; one flag's explanation (rule, logic, evidence, review); and the review decision (confirm or dismiss
 * with a reason, the agency only, audited) that `yibao monitor deductions` turns into audit deductions. An
 * institution reads its own flags. The agency starts a whole-year monitoring run as a job (one job at a time, like a
 * settlement run); its flags belong to the settlement run named, or the latest issued one of the year.
 */
import { z } from 'zod';
import { yuanToFen } from '../../model/money.ts';
import { loadRuleBase } from '../../monitor/adapters/knowledge-files.ts';
import { runMonitoring } from '../../monitor/adapters/monitor-store.ts';
import { deductionRefusal, type Review } from '../../monitor/assessment.ts';
import { explainFlag } from '../../monitor/explain.ts';
import { INDICATORS, type IndicatorName, indicatorShown, levelMean } from '../../monitor/indicators.ts';
import { DECISION_LABEL, evidenceLabel, evidenceValue, RESULT_LABEL, SEVERITY_LABEL } from '../../monitor/labels.ts';
import type { RuleBase } from '../../monitor/rule-base.ts';
import type { Evidence } from '../../monitor/types.ts';
import { PolicyError } from '../../policy/errors.ts';
import { POLICY_KINDS } from '../../policy/kinds/index.ts';
import { loadPolicyDir } from '../../policy/registry.ts';
import { col } from '../../report/table.ts';
import type { ApiContext } from '../app.ts';
import { fen, num, text } from '../db.ts';
import { badRequest, notFound } from '../errors.ts';
import { YuanText } from '../params.ts';
import { type ApiTable, route } from '../route.ts';
import { requireAgency, requireInstitution, scopeSql } from '../scope.ts';

const Lang = z.enum(['zh', 'en']).optional();
const L = (p: readonly [string, string], lang: 'zh' | 'en') => (lang === 'en' ? p[1] : p[0]);

export function monitorRoutes(ctx: ApiContext) {
  const bases = new Map<number, RuleBase>();
  /** The region's rule base of a year (names, logic, clauses), read once. */
  function ruleBase(year: number): RuleBase {
    let b = bases.get(year);
    if (!b) {
      b = loadRuleBase(loadPolicyDir(ctx.policies, POLICY_KINDS), ctx.region, `${year}-12-31`);
      bases.set(year, b);
    }
    return b;
  }

  async function latest(): Promise<{ id: string; year: number; runId: string | null; startedAt: string }> {
    const [r] = await ctx.db.query(
      `SELECT monitor_run_id AS id, year, run_id, ${ctx.db.dialect.dateTimeText('started_at')} AS at
       FROM monitor_runs ORDER BY started_at DESC, monitor_run_id DESC LIMIT 1`,
    );
    if (!r) {
      throw notFound(
        '存储中还没有监控运行（先运行 yibao monitor run --year YYYY）',
        'the store holds no monitoring run yet (run yibao monitor run --year YYYY first)',
      );
    }
    return { id: String(r.id), year: num(r.year), runId: text(r.run_id), startedAt: String(r.at) };
  }

  return [
    route({
      method: 'post',
      path: '/api/monitor/runs',
      tag: 'monitor',
      zh: '开始一次全年智能监控运行（仅医保经办机构）：立即返回任务，进度见 /api/jobs/{id}；疑点随所属结算运行（默认该年度最近一次）存储',
      en: 'start a whole-year monitoring run (agency only); answers at once with a job whose progress is at /api/jobs/{id}; the flags are stored with the settlement run they belong to (default: the latest of the year)',
      body: z
        .object({
          year: z.number().int().min(1900).max(9998),
          settlementRunId: z.string().min(1).max(100).optional(),
        })
        .strict(),
      handler: async ({ principal, body }) => {
        requireAgency(principal, { zh: '开始监控运行', en: 'start a monitoring run' });
        let base: RuleBase;
        try {
          base = ruleBase(body.year);
        } catch (e) {
          // each language its own words (walk4 #15: the zh text carried "(monitor @ demo): no monitor policy…")
          const zh = e instanceof PolicyError ? e.zh : (e as Error).message;
          const en = e instanceof PolicyError ? e.en : (e as Error).message;
          throw badRequest(
            `${body.year} 年没有可用的监控规则库：${zh}`,
            `no monitoring rule base for ${body.year}: ${en}`,
          );
        }
        const runs = await ctx.db.use((s) =>
          s.listSettlementRuns({ region: ctx.region, year: body.year, limit: 1000 }),
        );
        if (body.settlementRunId && !runs.some((r) => r.id === body.settlementRunId)) {
          throw notFound(
            `${body.year} 年没有结算运行 ${body.settlementRunId}`,
            `no settlement run ${body.settlementRunId} of ${body.year}`,
          );
        }
        const settlementRunId = body.settlementRunId ?? runs[0]?.id;
        return ctx.jobs.start(
          { kind: 'monitor', year: body.year, method: null, baseRunId: settlementRunId ?? null },
          (job) =>
            ctx.audit.record(
              principal,
              'run',
              `monitor ${ctx.region} ${body.year}`,
              `${job.id} ${settlementRunId ?? ''}`.trim(),
            ),
          async (onStage) => {
            onStage('monitor');
            const r = await ctx.db.serial(() =>
              runMonitoring(ctx.db.store, base, {
                region: ctx.region,
                year: body.year,
                ...(settlementRunId ? { settlementRunId } : {}),
              }),
            );
            return { runId: r.monitorRunId };
          },
        );
      },
    }),
    route({
      method: 'get',
      path: '/api/monitor/flags',
      tag: 'monitor',
      zh: '监控疑点清单（最近一次监控运行）：按规则、机构、严重程度、结果类型、复核状态筛选；严重与金额大的在前',
      en: 'the monitoring flag queue (latest monitoring run): filter by rule, institution, severity, result and review; most severe and largest first',
      exportable: true,
      query: z.object({
        rule: z.string().max(64).optional(),
        institution: z.string().max(64).optional(),
        severity: z.enum(['high', 'medium', 'low']).optional(),
        result: z.enum(['violation', 'suspicious']).optional(),
        decision: z.enum(['open', 'confirmed', 'dismissed']).optional(),
        limit: z.coerce.number().int().min(1).max(10_000).default(200),
        offset: z.coerce.number().int().min(0).default(0),
        lang: Lang,
      }),
      handler: async ({ principal, query }) => {
        const lang = query.lang ?? 'zh';
        if (query.institution) requireInstitution(principal, query.institution);
        const m = await latest();
        const base = ruleBase(m.year);
        const where = [`f.monitor_run_id = $m`, scopeSql(principal, 'f.fixmedins_code')];
        const p: Record<string, string | number> = { m: m.id };
        if (query.rule) {
          where.push('f.rule_id = $rule');
          p.rule = query.rule;
        }
        if (query.institution) {
          where.push('f.fixmedins_code = $inst');
          p.inst = query.institution;
        }
        if (query.severity) {
          where.push('f.severity = $sev');
          p.sev = query.severity;
        }
        if (query.result) {
          where.push('f.result = $res');
          p.res = query.result;
        }
        if (query.decision) {
          where.push(`coalesce(r.decision, 'open') = $dec`);
          p.dec = query.decision;
        }
        const from = `FROM monitor_flags f LEFT JOIN monitor_reviews r ON r.flag_id = f.flag_id
          LEFT JOIN institutions i ON i.fixmedins_code = f.fixmedins_code WHERE ${where.join(' AND ')}`;
        const [count] = await ctx.db.query(`SELECT count(*) AS n, sum(f.amount) AS amount ${from}`, p);
        const rows = await ctx.db.query(
          `SELECT f.flag_id, f.rule_id, f.result, f.severity, f.scope, f.setl_id, f.fixmedins_code, i.fixmedins_name,
                  f.period, CAST(f.amount AS VARCHAR) AS amount, f.evidence, coalesce(r.decision, 'open') AS decision
           ${from}
           ORDER BY CASE f.severity WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, f.amount DESC, f.flag_id
           LIMIT ${query.limit} OFFSET ${query.offset}`,
          p,
        );
        const facets = await ctx.db.query(
          `SELECT f.rule_id, count(*) AS n FROM monitor_flags f
           WHERE f.monitor_run_id = $m AND ${scopeSql(principal, 'f.fixmedins_code')} GROUP BY 1 ORDER BY 1`,
          { m: m.id },
        );
        const ruleName = (id: string) => {
          const r = base.rules.find((x) => x.id === id);
          return r ? (lang === 'en' ? r.nameEn : r.name) : id;
        };
        const table: ApiTable = {
          kind: 'table',
          name: `monitor-flags-${m.id}`,
          zh: '监控疑点',
          en: 'Monitoring flags',
          columns: [
            col('flagId', 'text', '疑点ID', 'flag id'),
            col('rule', 'text', '规则', 'rule'),
            col('result', 'text', '结果类型', 'result'),
            col('severity', 'text', '严重程度', 'severity'),
            col('institution', 'text', '机构', 'institution'),
            col('setlId', 'text', '结算ID', 'settlement id'),
            col('period', 'text', '期间', 'period'),
            col('amount', 'money', '涉及金额', 'amount at issue'),
            col('decision', 'text', '复核', 'review'),
            col('evidence', 'text', '证据', 'evidence'),
          ],
          rows: rows.map((r) => ({
            flagId: text(r.flag_id),
            ruleId: text(r.rule_id),
            rule: `${r.rule_id} ${ruleName(String(r.rule_id))}`,
            result: L(RESULT_LABEL[String(r.result) as 'violation'], lang),
            severity: L(SEVERITY_LABEL[String(r.severity) as 'high'], lang),
            institutionCode: text(r.fixmedins_code),
            institution: `${r.fixmedins_code} ${text(r.fixmedins_name) ?? ''}`.trim(),
            setlId: text(r.setl_id),
            period: text(r.period),
            amount: fen(r.amount),
            decision: L(DECISION_LABEL[String(r.decision) as 'open'], lang),
            evidence: Object.entries(JSON.parse(String(r.evidence)) as Evidence)
              .map(([k, v]) => `${evidenceLabel(k, lang)}=${evidenceValue(k, v, lang)}`)
              .join('; '),
          })),
          total: num(count?.n),
        };
        return {
          monitorRun: m,
          amount: fen(count?.amount === null ? '0' : String(count?.amount ?? '0')),
          rules: facets.map((f) => ({ id: String(f.rule_id), name: ruleName(String(f.rule_id)), flags: num(f.n) })),
          table,
        };
      },
    }),
    route({
      method: 'get',
      path: '/api/monitor/indicators',
      tag: 'monitor',
      zh: '机构指标（最近一次监控运行）：本机构值与同级机构均值、标准差、偏离（标准差倍数），含结算清单质控不通过率、高权重病组占比',
      en: "institution indicators (latest monitoring run): the institution's value beside its same-level peers' mean, spread and z, with the settlement-list QC failure rate and the high-weight group share",
      exportable: true,
      query: z.object({ institution: z.string().max(64).optional(), lang: Lang }),
      handler: async ({ principal, query }) => {
        const lang = query.lang ?? 'zh';
        if (query.institution) requireInstitution(principal, query.institution);
        const m = await latest();
        const rows = await ctx.db.query(
          `SELECT x.fixmedins_code, i.fixmedins_name, x.indicator, x.value, x.peer_mean, x.peer_sd, x.peers, x.z
           FROM monitor_indicators x LEFT JOIN institutions i ON i.fixmedins_code = x.fixmedins_code
           WHERE x.monitor_run_id = $m AND x.year = $y AND ${scopeSql(principal, 'x.fixmedins_code')}
             ${query.institution ? 'AND x.fixmedins_code = $inst' : ''}
           ORDER BY x.fixmedins_code, x.indicator`,
          { m: m.id, y: m.year, ...(query.institution ? { inst: query.institution } : {}) },
        );
        const r4 = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 10_000) / 10_000);
        const table: ApiTable = {
          kind: 'table',
          name: `monitor-indicators-${m.id}`,
          zh: '机构指标（与同级机构比较）',
          en: 'Institution indicators against same-level peers',
          columns: [
            col('institution', 'text', '机构', 'institution'),
            col('indicator', 'text', '指标', 'indicator'),
            col('value', 'decimal', '本机构值', 'value'),
            col('levelMean', 'decimal', '同级平均水平（含本机构）', 'same-level average (institution included)'),
            col('peerMean', 'decimal', '同级均值（不含本机构）', 'peer mean (other institutions)'),
            col('peerSd', 'decimal', '同级标准差（不含本机构）', 'peer standard deviation (other institutions)'),
            col('z', 'decimal', '偏离（标准差倍数）', 'deviation (z)'),
            col('peers', 'int', '同级其他机构数', 'other same-level institutions'),
          ],
          rows: rows.map((r) => {
            const name = String(r.indicator) as IndicatorName;
            const label = INDICATORS[name];
            // 次均费用 is stored in fen: shown in yuan as its label says.
            const shown = (v: unknown) =>
              v === null || v === undefined || !label ? v : indicatorShown(name, Number(v));
            return {
              institutionCode: text(r.fixmedins_code),
              institution: `${r.fixmedins_code} ${text(r.fixmedins_name) ?? ''}`.trim(),
              indicatorCode: name,
              indicator: label ? (lang === 'en' ? label.en : label.zh) : name,
              value: r4(shown(r.value)),
              levelMean: r4(
                shown(
                  r.peer_mean === null || r.peer_mean === undefined
                    ? undefined
                    : levelMean({ value: Number(r.value), peerMean: Number(r.peer_mean), peers: Number(r.peers) }),
                ),
              ),
              peerMean: r4(shown(r.peer_mean)),
              peerSd: r4(shown(r.peer_sd)),
              z: r4(r.z),
              peers: num(r.peers),
            };
          }),
        };
        return { monitorRun: m, table };
      },
    }),
    route({
      method: 'get',
      path: '/api/monitor/flags/:flagId',
      tag: 'monitor',
      zh: '一个疑点：规则、逻辑与参数、对象、证据与同级基线、复核',
      en: 'one flag: rule, logic and parameters, subject, evidence with the peer baseline, review',
      params: z.object({ flagId: z.string().min(1).max(200) }),
      query: z.object({ lang: Lang }),
      handler: async ({ principal, params, query }) => {
        const lang = query.lang ?? 'zh';
        const m = await latest();
        const [flag] = await ctx.db.serial(() => ctx.db.monitor.flags(m.id, params.flagId));
        if (!flag) throw notFound(`最近的监控运行中没有疑点 ${params.flagId}`, `no flag ${params.flagId}`);
        requireInstitution(principal, flag.institutionCode);
        const review = (await ctx.db.serial(() => ctx.db.monitor.reviews())).get(flag.flagId);
        const rule = ruleBase(m.year).rules.find((r) => r.id === flag.ruleId);
        return {
          monitorRun: m,
          flag,
          rule: rule ? { id: rule.id, name: lang === 'en' ? rule.nameEn : rule.name, clause: rule.clause } : null,
          review: review ?? null,
          explanation: explainFlag(flag, rule, review, lang),
        };
      },
    }),
    route({
      method: 'post',
      path: '/api/monitor/flags/:flagId/review',
      tag: 'monitor',
      zh: '复核一个疑点：确认（可给扣款金额，元）或排除，须写理由（仅医保经办机构；记入审计日志）',
      en: 'review a flag: confirm (optionally with the amount to deduct, yuan) or dismiss, with a reason (agency only; audited)',
      params: z.object({ flagId: z.string().min(1).max(200) }),
      body: z
        .object({
          decision: z.enum(['confirmed', 'dismissed']),
          reason: z.string().trim().min(2).max(500),
          amount: YuanText.optional(),
        })
        .strict(),
      handler: async ({ principal, params, body }) => {
        requireAgency(principal, { zh: '复核疑点', en: 'review flags' });
        const m = await latest();
        const [flag] = await ctx.db.serial(() => ctx.db.monitor.flags(m.id, params.flagId));
        if (!flag) throw notFound(`最近的监控运行中没有疑点 ${params.flagId}`, `no flag ${params.flagId}`);
        if (body.amount !== undefined && body.decision !== 'confirmed') {
          throw badRequest('只有确认的疑点才有扣款金额', 'only a confirmed flag has an amount to deduct');
        }
        // R-MON-4: no more than the flag's amount at issue (walk4 #7: 99999.99 was accepted on a 723.12 flag).
        if (body.amount !== undefined) {
          const fund =
            flag.scope === 'case' ? (await ctx.db.use((s) => s.readCases([flag.setlId])))[0]?.fundPay : undefined;
          const refused = deductionRefusal(flag, yuanToFen(body.amount), fund);
          if (refused) throw badRequest(refused.zh, refused.en);
        }
        const review: Review = {
          flagId: flag.flagId,
          decision: body.decision,
          reason: body.reason,
          reviewer: principal!.name,
          at: new Date().toISOString().slice(0, 19),
          ...(body.amount !== undefined ? { amount: yuanToFen(body.amount) } : {}),
        };
        await ctx.db.serial(() => ctx.db.monitor.saveReview(review));
        await ctx.audit.record(principal, 'review', flag.flagId, `${body.decision}: ${body.reason}`);
        return review;
      },
    }),
  ];
}
