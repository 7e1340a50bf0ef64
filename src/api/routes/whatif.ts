/**
 * Policy what-if (政策模拟, agency only): the numbers of an issued run's policy that may change, a what-if run of the
 * same region-year with some of them changed (a job; recorded as a `what-if` run beside the issued one, which stays
 * the run in force), and each institution's year-end amount in both runs side by side.
 */
import { z } from 'zod';
import {
  comparisonTable,
  SIMULATION,
  type SimulationOf,
  simulationNoticeTable,
  simulationSheetTitleEn,
} from '../../report/simulation.ts';
import { col } from '../../report/table.ts';
import { runWhatIf, WhatIfError, whatIfChangesOfRun, whatIfParameters } from '../../run/whatif.ts';
import { changeText, POLICY_KIND_WORDS } from '../../run/whatif-labels.ts';
import type { ApiContext } from '../app.ts';
import { num, text } from '../db.ts';
import { ApiError, badRequest, notFound } from '../errors.ts';
import { LEVEL, label } from '../labels.ts';
import { type ApiTable, route, withSheetsBefore } from '../route.ts';
import { requireAgency } from '../scope.ts';

const Lang = z.enum(['zh', 'en']).optional();
const RunId = z.string().min(1).max(64);

export function whatIfRoutes(ctx: ApiContext) {
  async function issued(runId: string) {
    const rec = await ctx.findRun(runId);
    if (!rec) throw notFound(`没有结算运行 ${runId}`, `no settlement run ${runId}`);
    return rec;
  }

  return [
    route({
      method: 'get',
      path: '/api/runs/:runId/what-if/parameters',
      tag: 'what-if',
      zh: '政策模拟可改变的参数：该次结算运行所用政策文件中的每个数值及其条款（仅医保经办机构）',
      en: "what a policy what-if may change: every number of the run's policy files with its clause (agency only)",
      exportable: true,
      params: z.object({ runId: RunId }),
      query: z.object({ lang: Lang }),
      handler: async ({ principal, params, query }) => {
        requireAgency(principal);
        const rec = await issued(params.runId);
        const snapshots = await ctx.db.use((s) => s.runResults(rec.id).policies());
        const lang = query.lang ?? 'zh';
        const table: ApiTable = {
          kind: 'table',
          name: `what-if-parameters-${rec.id}`,
          zh: '可模拟的政策参数',
          en: 'Policy parameters',
          columns: [
            col('id', 'text', '参数ID', 'parameter id'),
            col('policy', 'text', '政策', 'policy'),
            col('group', 'text', '类别', 'group'),
            col('label', 'text', '参数', 'parameter'),
            col('key', 'text', '参数键', 'key'),
            col('value', 'decimal', '现值', 'value in force'),
            col('ratio', 'text', '比例', 'ratio'),
            col('source', 'text', '条款', 'clause'),
          ],
          rows: whatIfParameters(snapshots).map((p) => ({
            id: p.id,
            policy: POLICY_KIND_WORDS[p.kind]?.[lang === 'en' ? 1 : 0] ?? p.kind,
            group: p.group[lang === 'en' ? 1 : 0],
            label: p.label[lang === 'en' ? 1 : 0],
            key: p.key,
            value: p.value,
            ratio: p.ratio ? (lang === 'en' ? 'yes' : '是') : '',
            source: p.source,
          })),
        };
        return { run: rec.id, table };
      },
    }),
    route({
      method: 'post',
      path: '/api/runs/:runId/what-if',
      tag: 'what-if',
      zh: '开始一次政策模拟：以改变后的参数重算该年度，记录为模拟运行（不覆盖、不替代已发布的运行）；立即返回任务',
      en: 'start a policy what-if: the year settled again with changed parameters, recorded as a what-if run (the issued run stays in force); answers at once with a job',
      params: z.object({ runId: RunId }),
      body: z
        .object({
          changes: z
            .array(z.object({ parameter: z.string().min(3).max(200), value: z.number().finite() }).strict())
            .min(1)
            .max(20),
        })
        .strict(),
      handler: async ({ principal, params, body }) => {
        requireAgency(principal, { zh: '开始模拟运行', en: 'start a what-if run' });
        const base = await issued(params.runId);
        if (base.kind === 'what-if') {
          throw badRequest(`${base.id} 本身是模拟运行`, `${base.id} is itself a what-if run`);
        }
        const known = new Set(
          whatIfParameters(await ctx.db.use((s) => s.runResults(base.id).policies())).map((p) => p.id),
        );
        const unknown = body.changes.filter((c) => !known.has(c.parameter));
        if (unknown.length > 0) {
          throw badRequest(
            `结算运行 ${base.id} 的政策中没有参数 ${unknown.map((c) => c.parameter).join('、')}`,
            `run ${base.id}'s policy has no parameter ${unknown.map((c) => c.parameter).join(', ')}`,
            body.changes.flatMap((c, i) =>
              known.has(c.parameter) ? [] : [{ path: `body.changes.${i}.parameter`, message: 'unknown parameter' }],
            ),
          );
        }
        const detail = body.changes.map((c) => `${c.parameter}=${c.value}`).join(' ');
        return ctx.jobs.start(
          { kind: 'what-if', year: base.year, method: base.caseMethod, baseRunId: base.id },
          (job) => ctx.audit.record(principal, 'run', `what-if ${base.id}`, `${job.id} ${detail}`),
          async (onStage) => {
            const kernel = ctx.kernel;
            try {
              const r = await ctx.db.use((store) => runWhatIf(store, base, { changes: body.changes, kernel, onStage }));
              return { runId: r.run.record.id, ...(r.warning ? { warning: r.warning } : {}) };
            } catch (e) {
              if (e instanceof WhatIfError) throw new ApiError(400, e.code, e.zh, e.en);
              throw e;
            }
          },
        );
      },
    }),
    route({
      method: 'get',
      path: '/api/what-if/:runId',
      tag: 'what-if',
      zh: '模拟运行与其所比较的已发布运行：各机构年度清算额并列及差额（仅医保经办机构）',
      en: 'a what-if run beside the issued run it is compared with: each institution’s year-end amount in both and the difference (agency only)',
      exportable: true,
      params: z.object({ runId: RunId }),
      query: z.object({ lang: Lang }),
      handler: async ({ principal, params, query }) => {
        requireAgency(principal);
        const lang = query.lang ?? 'zh';
        const w = await issued(params.runId);
        if (w.kind !== 'what-if' || !w.baseRunId) {
          throw notFound(`${w.id} 不是模拟运行`, `${w.id} is not a what-if run`);
        }
        const base = await issued(w.baseRunId);
        const rows = await ctx.db.query(
          `WITH b AS (SELECT institution, any_value(level) AS level, sum(year_end_fen) AS y, sum(clearing_fen) AS c
                      FROM run_institution_year WHERE run_id = $b GROUP BY 1),
                w AS (SELECT institution, any_value(level) AS level, sum(year_end_fen) AS y, sum(clearing_fen) AS c
                      FROM run_institution_year WHERE run_id = $w GROUP BY 1)
           SELECT coalesce(b.institution, w.institution) AS institution, coalesce(b.level, w.level) AS level,
                  coalesce(b.y, 0) AS base_y, coalesce(w.y, 0) AS what_y, coalesce(b.c, 0) AS base_c,
                  coalesce(w.c, 0) AS what_c, i.fixmedins_name AS name
           FROM b FULL JOIN w ON b.institution = w.institution
           LEFT JOIN institutions i ON i.fixmedins_code = coalesce(b.institution, w.institution)
           ORDER BY (coalesce(w.y, 0) - coalesce(b.y, 0)), 1`,
          { b: base.id, w: w.id },
        );
        const pools = await ctx.db.query(
          `SELECT run_id, pool_id, fund_fen, point_value_text FROM run_pools WHERE run_id IN ($b, $w) ORDER BY pool_id`,
          { b: base.id, w: w.id },
        );
        const poolOf = (id: string) =>
          pools
            .filter((p) => p.run_id === id)
            .map((p) => ({
              pool: text(p.pool_id),
              fund: num(p.fund_fen),
              pointValue: text(p.point_value_text),
            }));
        // Each change with the value in force in the issued run, in words, and the clause it comes from.
        const l = lang === 'en' ? 1 : 0;
        const changes = whatIfChangesOfRun(
          await ctx.db.use((st) => st.runResults(base.id).policies()),
          await ctx.db.use((st) => st.runResults(w.id).policies()),
          w.command,
        ).map((c) => ({
          parameter: c.parameter,
          value: c.value,
          key: c.key,
          policy: POLICY_KIND_WORDS[c.kind]?.[l] ?? c.kind,
          group: c.group[l],
          label: c.label[l],
          ratio: c.ratio,
          ...(c.inForce !== undefined ? { inForce: c.inForce } : {}),
          source: c.source,
          text: changeText(c, lang),
          zhText: changeText(c, 'zh'),
          enText: changeText(c, 'en'),
        }));
        const sim: SimulationOf = {
          runId: w.id,
          baseRunId: base.id,
          region: w.region,
          year: w.year,
          changes: changes.map((c) => ({ zh: c.zhText, en: c.enText, source: c.source })),
        };
        // The same table `settle --what-if` writes (report/simulation.ts), titled as a simulation within Excel's 31
        // characters (walk7 #2: the title cut mid-id), with a 合计 row; the export opens on the notice sheet.
        const compared = comparisonTable(
          `what-if-${w.id}`,
          rows.map((r) => ({
            code: text(r.institution) ?? '',
            name: text(r.name) ?? '',
            level: label(LEVEL, text(r.level), lang),
            baseYearEndFen: num(r.base_y),
            whatIfYearEndFen: num(r.what_y),
            baseClearingFen: num(r.base_c),
            whatIfClearingFen: num(r.what_c),
          })),
          (v) => v,
        );
        const table: ApiTable = {
          kind: 'table',
          name: compared.name,
          zh: `${SIMULATION[0]}${compared.zh}`,
          en: simulationSheetTitleEn(compared.en ?? compared.zh),
          columns: compared.columns,
          rows: [...compared.rows],
          totalColumn: 'name',
        };
        withSheetsBefore(table, [simulationNoticeTable(sim)]);
        const sum = (k: 'base' | 'whatIf') => table.rows.reduce((a, r) => a + Number(r[k]), 0);
        return {
          run: w,
          changes: changes.map(({ zhText: _zh, enText: _en, ...c }) => c),
          base: { id: base.id, command: base.command, startedAt: base.startedAt, pools: poolOf(base.id) },
          whatIf: { id: w.id, command: w.command, startedAt: w.startedAt, pools: poolOf(w.id) },
          total: { base: sum('base'), whatIf: sum('whatIf'), difference: sum('whatIf') - sum('base') },
          table,
        };
      },
    }),
  ];
}
