/**
 * Routes on stored settlement runs (结算运行): the list and inputs of runs, the region overview (budget, fund use,
 * point value by month, payments by method and level), an institution's statement (monthly and year end,
 * surplus retention / overspend sharing, with its explanation), its units and one unit's explanation. Everything
 * is read from the run's result tables; nothing is settled again.
 */
import { z } from 'zod';
import { groupLabel, SETTLED_AMOUNT } from '../../report/labels.ts';
import { labelledExplanation } from '../../report/readable-explanation.ts';
import { pointValueWarningText } from '../../report/summary.ts';
import { col } from '../../report/table.ts';
import { basisText } from '../../report/unit-rows.ts';
import {
  commandLabel,
  derivedText,
  inputName,
  inputRoleLabel,
  inputSize,
  runStatusLabel,
} from '../../run/command-label.ts';
import { explainInstitutionYear } from '../../run/explain-institution-year.ts';
import { methodGroupNames } from '../../run/group-names.ts';
import { fromJson, readPoolSettlement } from '../../run/results.ts';
import { noMonthPointValue } from '../../settlement/monthly.ts';
import type { RegionSummary } from '../../settlement/settle.ts';
import type { SharingResult } from '../../settlement/sharing.ts';
import { formatPointValue } from '../../settlement/value.ts';
import type { SettlementRunRecord } from '../../store/settlement-runs.ts';
import type { ApiContext } from '../app.ts';
import type { Principal } from '../auth.ts';
import { num, type SqlRow, text } from '../db.ts';
import { badRequest, notFound } from '../errors.ts';
import { LEVEL, label, METHOD, UNIT_STATUS } from '../labels.ts';
import { Month } from '../params.ts';
import { type ApiTable, route } from '../route.ts';
import { requireAgency, requireInstitution, requireRunReader, scopeSql, simulationTitle } from '../scope.ts';
import { caseDetail } from './core.ts';

const Lang = z.enum(['zh', 'en']).optional();
const RunId = z.string().min(1).max(64);
const Code = z.string().min(1).max(64);

/**
 * A run's inputs as the workbench shows them: each by its role and name, its SHA-256, and its size in the unit it
 * was recorded in: rows read from the store (`store:cases/2025`) in 行数 / rows, files in 字节 / bytes.
 */
export function runInputsTable(rec: Pick<SettlementRunRecord, 'id' | 'inputs'>, lang: 'zh' | 'en'): ApiTable {
  return {
    kind: 'table',
    name: `run-inputs-${rec.id}`,
    zh: '运行输入',
    en: 'Run inputs',
    columns: [
      col('role', 'text', '用途', 'role'),
      col('path', 'text', '文件', 'file'),
      col('sha256', 'text', 'SHA-256', 'SHA-256'),
      // Rows read from the store count rows, files count bytes: one column each (a row count read as 字节).
      col('rows', 'int', '行数', 'rows'),
      col('bytes', 'int', '字节', 'bytes'),
    ],
    // What each input is, in the reader's words (政策文件（dip）, 结算清单) as `yibao settle` names it.
    rows: rec.inputs.map((i) => {
      const size = inputSize(i);
      return {
        role: i.role ? inputRoleLabel(i.role, lang) : '',
        // Rows read from the store in words (已入库的 2025 年结算清单), as `yibao settle` and `yibao runs` name them.
        // A policy file a what-if changed: the base run's path, marked (its temporary copy is gone).
        path: inputName(i, lang),
        sha256: i.sha256,
        rows: 'rows' in size ? size.rows : null,
        bytes: 'bytes' in size ? size.bytes : null,
      };
    }),
  };
}

export function runRoutes(ctx: ApiContext) {
  /**
   * The run asked for; "latest" is the most recent settlement run of the store. A what-if run only for the agency
   * (requireRunReader).
   */
  async function run(runId: string, principal: Principal | null): Promise<SettlementRunRecord> {
    const rec = await ctx.findRun(runId);
    if (!rec) {
      throw notFound(
        runId === 'latest' ? '存储中还没有结算运行（先运行 yibao settle 或 yibao demo）' : `没有结算运行 ${runId}`,
        runId === 'latest'
          ? 'the store holds no settlement run yet (run yibao settle or yibao demo)'
          : `no settlement run ${runId}`,
      );
    }
    requireRunReader(principal, rec);
    return rec;
  }

  async function names(): Promise<Map<string, string>> {
    const rows = await ctx.db.query('SELECT fixmedins_code AS c, fixmedins_name AS n FROM institutions');
    return new Map(rows.map((r) => [String(r.c), String(r.n)]));
  }

  /**
   * A unit's group as the statements name it: a carve-out's by its code and the run's policy name (`PSY 精神病`, en
   * in en; it showed PSY alone), a DIP comprehensive group in words (J18#conservative → J18 综合病种（保守治疗）).
   */
  async function groupWords(rec: SettlementRunRecord, lang: 'zh' | 'en'): Promise<(code: unknown) => string | null> {
    const carveOuts = await ctx.db.use((s) => methodGroupNames(s.runResults(rec.id), rec, lang));
    return (code) => {
      if (code === null || code === undefined) return null;
      const c = String(code);
      return carveOuts.has(c) ? `${c} ${carveOuts.get(c)}` : groupLabel(c, lang);
    };
  }

  async function inpatientPool(runId: string): Promise<SqlRow> {
    const [p] = await ctx.db.query('SELECT * FROM run_pools WHERE run_id = $r ORDER BY pool_id LIMIT 1', { r: runId });
    if (!p) throw notFound(`结算运行 ${runId} 没有基金池`, `run ${runId} has no pool`);
    return p;
  }

  /**
   * The pool's pre-settlement point value of each month (run_pool_months), null in a month without points (R-DIP-6,
   * monthly-quota rule: a month with no points in the pool sets no point value, `noMonthPointValue` over the pool's
   * points of the month), so the overview, its chart and an institution's statement all show it blank, as the
   * statements and explanations do, not as 0.000000.
   */
  async function poolMonthPointValues(
    runId: string,
    poolId: string,
  ): Promise<{ month: string; pointValue: string | null; pointValueNumber: number | null; quota: number | null }[]> {
    const rows = await ctx.db.query(
      `SELECT m.month AS month, m.point_value_num AS pv_num, m.point_value_text AS pv,
         CAST(m.point_value AS DOUBLE) AS pvn, m.quota_fen AS quota_fen, i.points AS points
       FROM run_pool_months m
       LEFT JOIN (SELECT month, sum(points) AS points FROM run_institution_months
         WHERE run_id = $r AND pool_id = $p GROUP BY month) i ON i.month = m.month
       WHERE m.run_id = $r AND m.pool_id = $p ORDER BY m.month`,
      { r: runId, p: poolId },
    );
    return rows.map((m) => {
      const none = noMonthPointValue({
        points: m.points === null ? 0 : num(m.points),
        pointValue: { num: BigInt(String(m.pv_num)), den: 1n },
      });
      return {
        month: String(m.month),
        pointValue: none ? null : String(m.pv),
        pointValueNumber: none ? null : num(m.pvn),
        quota: m.quota_fen === null ? null : num(m.quota_fen),
      };
    });
  }

  return [
    route({
      method: 'get',
      path: '/api/runs',
      tag: 'runs',
      zh: '结算运行（地区、年度、住院病例付费方式、支付方式、状态）',
      en: 'settlement runs (region, year, inpatient case method, payment methods, status)',
      exportable: true,
      query: z.object({ lang: Lang, kind: z.enum(['issued', 'what-if', 'all']).default('all') }),
      handler: async ({ principal, query }) => {
        // what-if runs are the agency's (walk4 #12: a hospital's 结算运行 page listed one): others see issued runs
        if (query.kind === 'what-if') requireAgency(principal);
        const kind = principal?.role === 'agency' ? query.kind : 'issued';
        const runs = await ctx.db.use((s) => s.listSettlementRuns({ limit: 1000, kind }));
        const lang = query.lang ?? 'zh';
        const table: ApiTable = {
          kind: 'table',
          name: 'settlement-runs',
          zh: '结算运行',
          en: 'Settlement runs',
          columns: [
            col('id', 'text', '运行ID', 'run id'),
            col('region', 'text', '地区', 'region'),
            // A year is a number that names something: not summed, shown without a thousands separator (2,025).
            col('year', 'int', '年度', 'year', { sum: false }),
            col('kind', 'text', '类型', 'kind'),
            col('caseMethod', 'text', '住院病例付费方式', 'inpatient case method'),
            col('methods', 'text', '支付方式', 'payment methods'),
            col('command', 'text', '命令', 'command'),
            col('status', 'text', '状态', 'status'),
            col('startedAt', 'text', '开始时间', 'started'),
            col('inputs', 'int', '输入', 'inputs'),
          ],
          rows: runs.map((r) => ({
            id: r.id,
            region: r.region,
            year: r.year,
            kind:
              r.kind === 'what-if'
                ? lang === 'en'
                  ? `what-if of ${r.baseRunId ?? ''}`
                  : `政策模拟（对比 ${r.baseRunId ?? ''}）`
                : lang === 'en'
                  ? 'issued'
                  : '已发布',
            caseMethod: label(METHOD, r.caseMethod, lang),
            methods: r.methods.map((m) => label(METHOD, m, lang)).join(lang === 'en' ? ', ' : '、'),
            command: commandLabel(r.command, lang),
            status: runStatusLabel(r.status, lang),
            startedAt: r.startedAt,
            inputs: r.inputs.length,
          })),
        };
        return table;
      },
    }),
    route({
      method: 'get',
      path: '/api/runs/:runId',
      tag: 'runs',
      zh: '一次结算运行的记录与输入（文件哈希、所用政策文件及版本、派生的目录与点值）',
      en: "a settlement run's record and inputs (file hashes, the policy files and versions applied, what it derived)",
      exportable: true,
      params: z.object({ runId: RunId }),
      query: z.object({ lang: Lang }),
      handler: async ({ principal, params, query }) => {
        const rec = await run(params.runId, principal);
        const lang = query.lang ?? 'zh';
        const reader = ctx.db.store.runResults(rec.id);
        const policies = await ctx.db.use(() => reader.policies());
        const derived = await ctx.db.query(
          `SELECT kind, name, ${ctx.db.dialect.byteLength('content')} AS bytes FROM run_derived WHERE run_id = $r ORDER BY kind, name`,
          {
            r: rec.id,
          },
        );
        const table = runInputsTable(rec, lang);
        return {
          record: rec,
          // The record's command and status in the reader's language (the record keeps them as recorded).
          commandText: commandLabel(rec.command, lang),
          statusText: runStatusLabel(rec.status, lang),
          policies: policies.map((p) => ({
            policyId: p.policyId,
            kind: p.kind,
            region: p.region,
            version: p.version,
            file: p.file,
            sha256: p.sha256,
          })),
          // Each with its text in the reader's language (病种分值目录 · …), the stored kind beside it.
          derived: derived.map((d) => {
            const item = { kind: text(d.kind) ?? '', name: text(d.name) ?? '', bytes: num(d.bytes) };
            return { ...item, text: derivedText(item, lang) };
          }),
          table,
        };
      },
    }),
    route({
      method: 'get',
      path: '/api/runs/:runId/overview',
      tag: 'runs',
      zh: '统筹区总览：基金预算、基金使用、逐月点值、按支付方式和医院等级的支付（仅医保经办机构）',
      en: 'region overview: fund budget, fund use, point value by month, payments by method and level (agency only)',
      // Each of its tables exports with ?format=xlsx&sheet=<table name> (the workbench's 导出 XLSX).
      exportable: true,
      params: z.object({ runId: RunId }),
      query: z.object({ lang: Lang }),
      handler: async ({ principal, params, query }) => {
        requireAgency(principal);
        const lang = query.lang ?? 'zh';
        const rec = await run(params.runId, principal);
        const pool = await inpatientPool(rec.id);
        const summary = fromJson<Record<string, number>>(String(pool.summary));
        // What the run stored as a warning with the pool (a year-end point value far from the opening one).
        const pvWarning = fromJson<RegionSummary>(String(pool.summary)).pointValueWarning;
        const months = await poolMonthPointValues(rec.id, String(pool.pool_id));
        // Payments by method: the units paid something (a head 待更正 or not counted at year end claims nothing and is
        // no payment). Item billing of cases another method paid (按项目计价 of the inpatient cases, the comparison
        // the surplus/overspend is measured with) is its own row, not a second payment of those cases.
        const p = String(pool.pool_id);
        const claims = `u.status <> 'excluded' AND (coalesce(u.points, 0) <> 0 OR coalesce(u.amount_fen, 0) <> 0)`;
        const sums = `count(*) AS units, sum(u.points) AS points, sum(u.amount_fen) AS amount, sum(u.billed_fen) AS billed,
                      sum(u.patient_paid_fen) AS patient`;
        const grouped = await ctx.db.query(
          `SELECT u.pool_id AS pool_id, u.method AS method, ${sums}
           FROM run_units u WHERE u.run_id = $r AND ${claims} GROUP BY 1, 2 ORDER BY (u.pool_id <> $p), 3 DESC`,
          { r: rec.id, p },
        );
        // Only a run with item billing pays the lookup of which of its units are the inpatient pool's cases.
        const [priced] = grouped.some((g) => text(g.method) === 'ffs' && String(g.pool_id) !== p)
          ? await ctx.db.query(
              `SELECT ${sums} FROM run_units u
               WHERE u.run_id = $r AND u.method = 'ffs' AND u.pool_id <> $p AND ${claims}
                 AND u.unit_id IN (SELECT unit_id FROM run_units WHERE run_id = $r AND pool_id = $p)`,
              { r: rec.id, p },
            )
          : [];
        const keys = ['units', 'points', 'amount', 'billed', 'patient'] as const;
        const byMethod: (Record<string, unknown> & { priced_only: boolean })[] = grouped.flatMap((g) => {
          if (!priced || text(g.method) !== 'ffs' || String(g.pool_id) === p || num(priced.units) === 0)
            return [{ ...g, priced_only: false }];
          const rest: Record<string, unknown> = { ...g, priced_only: false };
          for (const k of keys) rest[k] = g[k] === null ? null : num(g[k]) - num(priced[k]);
          const out = [{ ...g, ...priced, priced_only: true }];
          return num(rest.units) > 0 ? [{ ...rest, priced_only: false }, ...out] : out;
        });
        // The comparison row last, after every payment.
        byMethod.sort((a, b) => Number(a.priced_only) - Number(b.priced_only));
        // 病例结算金额 (each unit's share of its institution's points × point value + amounts), where the run split it.
        const settledRows = await ctx.db.query(
          `SELECT u.pool_id AS pool_id, u.method AS method, sum(a.settled_fen) AS settled
           FROM run_unit_amounts a
           JOIN run_units u ON u.run_id = a.run_id AND u.pool_id = a.pool_id AND u.unit_id = a.unit_id
           WHERE a.run_id = $r AND ${claims} GROUP BY 1, 2`,
          { r: rec.id },
        );
        const settledOf = new Map(settledRows.map((r) => [`${text(r.pool_id)} ${text(r.method)}`, num(r.settled)]));
        const byLevel = await ctx.db.query(
          `SELECT coalesce(level, '') AS level, count(*) AS n, sum(units) AS units, sum(billed_fen) AS billed,
                  sum(gross_fen) AS gross, sum(year_end_fen) AS year_end, sum(clearing_fen) AS clearing
           FROM run_institution_year WHERE run_id = $r GROUP BY 1 ORDER BY 1`,
          { r: rec.id },
        );
        const nm = await names();
        const inst = await ctx.db.query(
          `SELECT institution, level, units, billed_fen, gross_fen, after_sharing_fen, deductions_fen, year_end_fen,
                  monthly_paid_fen, advance_fen, clearing_fen, sharing
           FROM run_institution_year WHERE run_id = $r ORDER BY institution`,
          { r: rec.id },
        );
        const budgetOf = (poolId: string, priced: boolean): [zh: string, en: string] =>
          priced
            ? ['不另行支付（对照）', 'not paid again (comparison)']
            : poolId === p
              ? ['住院基金预算', 'inpatient fund budget']
              : ['单独清算', 'own year end'];
        const methodTable: ApiTable = {
          kind: 'table',
          name: `payments-by-method-${rec.id}`,
          ...simulationTitle(rec, { zh: '按支付方式', en: 'By payment method' }),
          columns: [
            col('budget', 'text', '资金来源', 'paid from'),
            col('method', 'text', '支付方式', 'payment method'),
            col('units', 'int', '计入支付的病例/人头', 'cases / heads paid'),
            col('points', 'points', '点数', 'points'),
            col('settled', 'money', ...SETTLED_AMOUNT),
            col('amount', 'money', '按金额结算（定额、按实际费用）', 'paid as amounts (fixed standards, at cost)'),
            col('billed', 'money', '医疗费用总额', 'total medical cost'),
            col('patientPaid', 'money', '个人负担', 'patient paid'),
          ],
          rows: byMethod.map((r) => {
            const priced = r.priced_only;
            const [bz, be] = budgetOf(String(r.pool_id), priced);
            const settled = settledOf.get(`${text(r.pool_id)} ${text(r.method)}`);
            return {
              budget: lang === 'en' ? be : bz,
              method: priced
                ? lang === 'en'
                  ? 'fee-for-service pricing of the cases above'
                  : '按项目计价（上列病例的费用明细）'
                : label(METHOD, text(r.method), lang),
              units: num(r.units),
              points: r.points === null ? null : num(r.points),
              settled: priced || settled === undefined ? null : settled,
              // The item billing is the comparison's medical cost, not an amount paid.
              amount: priced || r.amount === null ? null : num(r.amount),
              billed: num(r.billed),
              patientPaid: num(r.patient),
            };
          }),
        };
        const levelTable: ApiTable = {
          kind: 'table',
          name: `payments-by-level-${rec.id}`,
          ...simulationTitle(rec, { zh: '按医院等级', en: 'By institution level' }),
          totalColumn: 'level',
          columns: [
            col('level', 'text', '医院等级', 'level'),
            col('institutions', 'int', '机构数', 'institutions'),
            col('units', 'int', '病例数', 'cases'),
            col('billed', 'money', '医疗费用总额', 'total medical cost'),
            col('gross', 'money', '按点值计算的支付', 'value at the point value'),
            col('yearEnd', 'money', '年度清算额', 'year-end amount'),
            col('clearing', 'money', '清算支付额', 'clearing payment'),
          ],
          rows: byLevel.map((r) => ({
            level: label(LEVEL, text(r.level), lang),
            institutions: num(r.n),
            units: num(r.units),
            billed: num(r.billed),
            gross: num(r.gross),
            yearEnd: num(r.year_end),
            clearing: num(r.clearing),
          })),
        };
        const institutionTable: ApiTable = {
          kind: 'table',
          name: `year-end-${rec.id}`,
          ...simulationTitle(rec, { zh: '年度清算（各机构）', en: 'Year-end settlement by institution' }),
          totalColumn: 'code',
          columns: [
            col('code', 'text', '机构编码', 'code'),
            col('name', 'text', '机构名称', 'name'),
            col('level', 'text', '医院等级', 'level'),
            col('units', 'int', '病例数', 'cases'),
            col('billed', 'money', '医疗费用总额', 'total medical cost'),
            col('gross', 'money', '按点值计算的支付', 'value at the point value'),
            // Signed money (walk2 #12: it was text, `overspend 1988548.59`): the institution's surplus (+) or
            // overspend (−) against its target, before the sharing bands split it.
            col('sharing', 'money', '结余（+）/超支（−）', 'surplus (+) / overspend (−)'),
            col('yearEnd', 'money', '年度清算额', 'year-end amount'),
            col('paid', 'money', '月度已支付+年初预付', 'paid monthly + start-of-year advance'),
            col('clearing', 'money', '清算支付额', 'clearing payment'),
          ],
          rows: inst.map((r) => ({
            code: text(r.institution),
            name: nm.get(String(r.institution)) ?? '',
            level: label(LEVEL, text(r.level), lang),
            units: num(r.units),
            billed: num(r.billed_fen),
            gross: num(r.gross_fen),
            sharing: sharingBalance(r.sharing),
            yearEnd: num(r.year_end_fen),
            paid: num(r.monthly_paid_fen) + num(r.advance_fen),
            clearing: num(r.clearing_fen),
          })),
        };
        return {
          // rec.kind says what-if; `simulation` for a screen that marks it (walk4 #12)
          run: { ...rec, simulation: rec.kind === 'what-if' },
          budget: {
            fund: num(pool.fund_fen),
            pointValue: text(pool.point_value_text),
            pointValueRule: text(pool.point_value_rule),
            allocated: summary.allocated ?? 0,
            yearEnd: summary.yearEnd ?? 0,
            monthlyPaid: summary.monthlyPaid ?? 0,
            advance: summary.advance ?? 0,
            clearing: summary.clearing ?? 0,
            fundBalance: summary.fundBalance ?? 0,
            billed: summary.billed ?? 0,
            units: summary.units ?? 0,
            institutions: summary.institutions ?? 0,
          },
          warnings: pvWarning ? [pointValueWarningText(pvWarning, lang)] : [],
          months,
          byMethod: methodTable,
          byLevel: levelTable,
          institutions: institutionTable,
        };
      },
    }),
    route({
      method: 'get',
      path: '/api/runs/:runId/institutions/:code/statement',
      tag: 'statements',
      zh: '机构结算单：月度预结算与年度清算（结余留用/超支分担）及其逐步解释',
      en: "an institution's statement: monthly pre-settlement and year end (surplus retention / overspend sharing) with its explanation",
      exportable: true,
      params: z.object({ runId: RunId, code: Code }),
      query: z.object({ lang: Lang }),
      handler: async ({ principal, params, query }) => {
        requireInstitution(principal, params.code);
        const lang = query.lang ?? 'zh';
        const rec = await run(params.runId, principal);
        const pool = await inpatientPool(rec.id);
        const poolId = String(pool.pool_id);
        const reader = ctx.db.store.runResults(rec.id);
        const settlement = await ctx.db.use(() =>
          readPoolSettlement(reader, rec.region, rec.year, poolId, params.code),
        );
        const year = settlement.institutions.find((i) => i.institutionCode === params.code);
        if (!year)
          throw notFound(
            `结算运行 ${rec.id} 中没有机构 ${params.code}`,
            `institution ${params.code} is not in run ${rec.id}`,
          );
        const monthly: ApiTable = {
          kind: 'table',
          name: `statement-${params.code}-${rec.year}`,
          ...simulationTitle(rec, { zh: '月度预结算', en: 'Monthly pre-settlement' }),
          columns: [
            col('month', 'text', '月份', 'month'),
            col('units', 'int', '病例数', 'cases'),
            col('points', 'points', '点数', 'points'),
            col('pointValue', 'decimal', '预结算点值', 'pre-settlement point value', { digits: 6 }),
            col('value', 'money', '点数×点值+定额', 'points × point value + fixed standards'),
            col('patientPaid', 'money', '个人负担', 'patient paid'),
            col('gross', 'money', '统筹基金应付', 'fund share'),
            col('prepay', 'money', '按月预付', 'monthly prepayment'),
            col('deposit', 'money', '质量保证金', 'quality deposit'),
            col('deductions', 'money', '审核扣款', 'audit deduction'),
            // a negative month's carry (clamp-and-carry, 002 四(三)), as the statements' monthly sheet shows it: a
            // month paid 0 and nothing said what it still owed; balances, read from the stored lines
            col('carried', 'money', '结转扣减', 'negative amount carried in'),
            col('carriedOut', 'money', '结转后续', 'negative amount carried forward'),
            col('payment', 'money', '月度已支付', 'paid monthly'),
          ],
          rows: year.monthly.map((m) => ({
            month: m.month,
            units: m.units,
            points: m.points,
            // blank in a month without points (no point value was set), not 0.000000
            pointValue: noMonthPointValue(m) ? null : formatPointValue(m.pointValue),
            value: m.value,
            patientPaid: m.patientPaid,
            gross: m.gross,
            prepay: m.prepay,
            deposit: m.deposit,
            deductions: m.deductions,
            carried: m.carriedIn ?? 0,
            carriedOut: m.carriedOut ?? 0,
            payment: m.payment,
          })),
        };
        const sharing = year.sharing as SharingResult | null;
        const nm = await names();
        // The institution's whole year, every method's part and the total, as the CLI's explain settlement reads it
        // from the run (capitation's year end as the run stored it, never settled again).
        const e = await ctx.db.use(() => explainInstitutionYear(reader, rec, params.code, String(rec.year)));
        const byMethod: ApiTable = {
          kind: 'table',
          name: `methods-${params.code}-${rec.year}`,
          ...simulationTitle(rec, { zh: '各支付方式年度结算', en: 'Year end by payment method' }),
          columns: [
            col('part', 'text', '支付方式', 'payment method'),
            col('due', 'money', '年度应得', 'due for the year'),
            col('paid', 'money', '年内已支付', 'paid during the year'),
            col('clearing', 'money', '清算支付额', 'clearing payment'),
            col('statement', 'text', '对应报表', 'statement'),
          ],
          // a part that pays nothing of its own (fee-for-service item billing) is listed with blank amounts
          rows: e.parts.map((x) => ({
            part: lang === 'en' ? x.en : x.zh,
            due: x.dueFen,
            paid: x.paidFen,
            clearing: x.clearingFen,
            statement: lang === 'en' ? x.statement.en : x.statement.zh,
          })),
          totalColumn: 'part',
        };
        return {
          run: {
            id: rec.id,
            region: rec.region,
            year: rec.year,
            caseMethod: rec.caseMethod,
            // a policy what-if (agency only) is marked wherever it is shown
            kind: rec.kind ?? 'issued',
            simulation: rec.kind === 'what-if',
          },
          institution: { code: params.code, name: nm.get(params.code) ?? '', level: year.level ?? null },
          yearEnd: {
            units: year.units,
            points: year.points,
            billed: year.billed,
            patientPaid: year.patientPaid,
            value: year.value,
            gross: year.gross,
            advance: year.advance,
            monthlyPaid: year.monthlyPaid,
            depositHeld: year.depositHeld,
            afterSharing: year.afterSharing,
            deductions: year.deductions,
            yearEnd: year.yearEnd,
            clearing: year.clearing,
            byStatus: Object.entries(year.byStatus).map(([k, v]) => ({
              status: label(UNIT_STATUS, k, lang),
              units: v,
            })),
            // The ungrouped cases (未入组): their cost, payment and the cost left unpaid, and their pooled-fund payment
            // by the settlement lists, the fund's part of the payment and what of the former it did not pay, fen
            // (null: a run stored before they were kept; no fund figures: one stored before those were kept).
            ungrouped: settlement.summary.ungrouped?.byInstitution
              ? (settlement.summary.ungrouped.byInstitution[params.code] ?? {
                  units: 0,
                  billed: 0,
                  value: 0,
                  unpaid: 0,
                  ...(settlement.summary.ungrouped.fundUnpaid !== undefined
                    ? { fundByItems: 0, fundPaid: 0, fundUnpaid: 0 }
                    : {}),
                })
              : null,
          },
          sharing: sharing
            ? {
                target: sharing.target,
                actual: sharing.actual,
                surplus: sharing.surplus,
                overspend: sharing.overspend,
                fundPays: sharing.fundPays,
                fundRetains: sharing.fundRetains,
                institutionBears: sharing.institutionBears,
              }
            : null,
          // the pool's, as the overview shows them (blank in a month without points in the pool)
          pointValues: (await poolMonthPointValues(rec.id, poolId)).map((m) => ({
            month: m.month,
            pointValue: m.pointValue,
          })),
          table: monthly,
          byMethod,
          total: e.total,
          explanation: labelledExplanation(
            { subject: e.subject, steps: e.steps, ...(e.pointFree ? { pointFree: true } : {}) },
            lang,
          ),
        };
      },
    }),
    route({
      method: 'get',
      path: '/api/runs/:runId/institutions/:code/units',
      tag: 'statements',
      zh: '机构在该次运行中的病例结果（支付方式、病种/病组、类型、点数、病例结算金额、定额），分页',
      en: "an institution's case results in the run (method, group, status, points, settled amount, fixed standard), paged",
      exportable: true,
      params: z.object({ runId: RunId, code: Code }),
      query: z.object({
        method: z.string().max(32).optional(),
        status: z.string().max(32).optional(),
        month: Month.optional(),
        limit: z.coerce.number().int().min(1).max(100_000).default(100),
        offset: z.coerce.number().int().min(0).default(0),
        lang: Lang,
      }),
      handler: async ({ principal, params, query }) => {
        requireInstitution(principal, params.code);
        const lang = query.lang ?? 'zh';
        const rec = await run(params.runId, principal);
        // walk4 #24: an unknown method or case type answered 200 with no rows, as if the institution had none
        for (const [k, labels] of [
          ['method', METHOD],
          ['status', UNIT_STATUS],
        ] as const) {
          const v = query[k];
          if (v !== undefined && !(v in labels)) {
            const valid = Object.keys(labels);
            throw badRequest(
              `${k}=${v} 不是可用的${k === 'method' ? '支付方式' : '病例类型'}：可选 ${valid.map((x) => `${x}（${label(labels, x, 'zh')}）`).join('、')}`,
              `${k}=${v} is not a ${k === 'method' ? 'payment method' : 'case type'}: use one of ${valid.join(', ')}`,
            );
          }
        }
        const pool = await inpatientPool(rec.id);
        const args: Record<string, string | number> = { r: rec.id, i: params.code, p: String(pool.pool_id) };
        let where = 'run_id = $r AND pool_id = $p AND institution = $i';
        for (const k of ['method', 'status', 'month'] as const) {
          if (query[k]) {
            where += ` AND ${k} = $${k}`;
            args[k] = query[k]!;
          }
        }
        const [count] = await ctx.db.query(`SELECT count(*) AS n FROM run_units WHERE ${where}`, args);
        // The page with each case's 病例结算金额 as the run stored it (run_unit_amounts, migration 12; null: not
        // stored), in one query: the page first, then its amounts by key (the table's sort key on ClickHouse).
        const rows = await ctx.db.query(
          `WITH page AS (
             SELECT unit_id, method, month, grp, status, points, amount_fen, billed_fen, patient_paid_fen
             FROM run_units WHERE ${where} ORDER BY unit_id LIMIT ${query.limit} OFFSET ${query.offset}
           )
           SELECT page.unit_id AS unit_id, page.method AS method, page.month AS month, page.grp AS grp,
             page.status AS status, page.points AS points, page.amount_fen AS amount_fen,
             page.billed_fen AS billed_fen, page.patient_paid_fen AS patient_paid_fen, a.settled_fen AS settled_fen
           FROM page LEFT JOIN (
             SELECT unit_id, settled_fen FROM run_unit_amounts
             WHERE run_id = $r AND pool_id = $p AND unit_id IN (SELECT unit_id FROM page)
           ) AS a ON a.unit_id = page.unit_id
           ORDER BY page.unit_id`,
          args,
        );
        const groupText = await groupWords(rec, lang);
        const table: ApiTable = {
          kind: 'table',
          name: `cases-${params.code}-${rec.year}`,
          ...simulationTitle(rec, { zh: '病例结果', en: 'Case results' }),
          columns: [
            col('unitId', 'text', '结算ID', 'settlement id'),
            col('method', 'text', '支付方式', 'payment method'),
            col('month', 'text', '结算月份', 'month'),
            // Shown in words (J18 综合病种（保守治疗）); each row keeps the code as `group`.
            col('groupText', 'text', '病种/病组', 'group'),
            col('status', 'text', '病例类型', 'case type'),
            col('points', 'points', '点数', 'points'),
            col('settled', 'money', ...SETTLED_AMOUNT),
            col('amount', 'money', '定额', 'fixed standard'),
            col('billed', 'money', '医疗费用总额', 'total medical cost'),
            col('patientPaid', 'money', '个人负担', 'patient paid'),
          ],
          rows: rows.map((r) => ({
            unitId: text(r.unit_id),
            method: label(METHOD, text(r.method), lang),
            month: text(r.month),
            group: text(r.grp),
            groupText: groupText(r.grp),
            status: label(UNIT_STATUS, text(r.status), lang),
            points: r.points === null ? null : num(r.points),
            settled: r.settled_fen === null || r.settled_fen === undefined ? null : num(r.settled_fen),
            amount: r.amount_fen === null ? null : num(r.amount_fen),
            billed: num(r.billed_fen),
            patientPaid: num(r.patient_paid_fen),
          })),
          total: num(count?.n),
        };
        return table;
      },
    }),
    route({
      method: 'get',
      path: '/api/runs/:runId/units/:unitId',
      tag: 'explanations',
      zh: '一个病例在该次运行中的结果、结算清单（脱敏）与逐步解释',
      en: "one case's result in the run, its settlement list (masked) and its step-by-step explanation",
      params: z.object({ runId: RunId, unitId: Code }),
      query: z.object({ lang: Lang }),
      handler: async ({ principal, params, query }) => {
        const lang = query.lang ?? 'zh';
        const rec = await run(params.runId, principal);
        // The case's row with its 病例结算金额 (run_unit_amounts) in one query; a case of two pools (its inpatient
        // pool and FFS) is read from the first pool by id, as the store readers and its explanation read it.
        const [u] = await ctx.db.query(
          `SELECT u.pool_id AS pool_id, u.unit_id AS unit_id, u.institution AS institution, u.method AS method,
             u.month AS month, u.grp AS grp, u.status AS status, u.points AS points, u.amount_fen AS amount_fen,
             u.billed_fen AS billed_fen, u.patient_paid_fen AS patient_paid_fen, u.basis AS basis,
             a.settled_fen AS settled_fen
           FROM run_units AS u LEFT JOIN (
             SELECT pool_id, unit_id, settled_fen FROM run_unit_amounts WHERE run_id = $r AND unit_id = $u
           ) AS a ON a.pool_id = u.pool_id AND a.unit_id = u.unit_id
           WHERE u.run_id = $r AND u.unit_id = $u AND ${scopeSql(principal, 'u.institution')}
           ORDER BY u.pool_id LIMIT 1`,
          { r: rec.id, u: params.unitId },
        );
        if (!u) {
          const [any] = await ctx.db.query(
            'SELECT institution FROM run_units WHERE run_id = $r AND unit_id = $u LIMIT 1',
            {
              r: rec.id,
              u: params.unitId,
            },
          );
          if (any) requireInstitution(principal, String(any.institution));
          throw notFound(`结算运行 ${rec.id} 中没有病例 ${params.unitId}`, `no case ${params.unitId} in run ${rec.id}`);
        }
        const [c] = await ctx.db.query('SELECT * FROM cases WHERE setl_id = $id', { id: params.unitId });
        const explanation = await ctx.explainUnit(rec, params.unitId);
        const groupText = await groupWords(rec, lang);
        return {
          run: { id: rec.id, region: rec.region, year: rec.year, simulation: rec.kind === 'what-if' },
          unit: {
            unitId: text(u.unit_id),
            institution: text(u.institution),
            method: label(METHOD, text(u.method), lang),
            month: text(u.month),
            group: text(u.grp),
            // The group as the statements name it (J18#conservative → J18 综合病种（保守治疗）, PSY → PSY 精神病).
            groupText: groupText(u.grp),
            status: label(UNIT_STATUS, text(u.status), lang),
            points: u.points === null ? null : num(u.points),
            // 病例结算金额 (fen) as the run stored it; null: not stored (an older run, caseAmountRounding none).
            settled: u.settled_fen === null || u.settled_fen === undefined ? null : num(u.settled_fen),
            amount: u.amount_fen === null ? null : num(u.amount_fen),
            billed: num(u.billed_fen),
            patientPaid: num(u.patient_paid_fen),
            // The basis in the reader's language, as the statements show it (it was the stored JSON text,
            // {"zh":…,"en":…,"clause":…}, which the workbench printed as it was).
            basis:
              u.basis === null || u.basis === undefined || u.basis === '' ? null : basisText(String(u.basis), lang),
          },
          case: c ? caseDetail(principal, c, lang) : null,
          explanation: explanation ? labelledExplanation(explanation, lang) : explanation,
        };
      },
    }),
  ];
}

/** An institution's surplus (+) or overspend (−) against its sharing target, in fen; null without sharing. */
function sharingBalance(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const s = fromJson<SharingResult>(String(v));
  return s.surplus > 0 ? s.surplus : -s.overspend;
}
