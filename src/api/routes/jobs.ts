/**
 * Starting a settlement run from the API (agency only): POST /api/runs starts `settleRegionYear` on the server's
 * store and answers at once with a job; GET /api/jobs/{id} tells its stage and, when done, the run's id. The run
 * holds the store while it settles (other requests wait for it); it is recorded as any run is, and its start is in
 * the audit log.
 */
import { z } from 'zod';
import { POLICY_KINDS } from '../../policy/kinds/index.ts';
import { loadPolicyDir } from '../../policy/registry.ts';
import { drgSchemeFor } from '../../run/drg-scheme.ts';
import { caseMethodFor } from '../../run/inpatient-year.ts';
import { settleRegionYear } from '../../run/settle-region-year.ts';
import type { ApiContext } from '../app.ts';
import { notFound } from '../errors.ts';
import { route } from '../route.ts';
import { requireAgency } from '../scope.ts';

export function jobRoutes(ctx: ApiContext) {
  return [
    route({
      method: 'post',
      path: '/api/runs',
      tag: 'runs',
      zh: '开始一次结算运行（仅医保经办机构）；立即返回任务，进度见 /api/jobs/{id}',
      en: 'start a settlement run (agency only); answers at once with a job whose progress is at /api/jobs/{id}',
      body: z
        .object({ year: z.number().int().min(1900).max(9998), method: z.enum(['dip', 'drg']).optional() })
        .strict(),
      handler: async ({ principal, body }) => {
        requireAgency(principal, { zh: '开始结算运行', en: 'start a settlement run' });
        const policies = loadPolicyDir(ctx.policies, POLICY_KINDS);
        return ctx.jobs.start(
          { kind: 'settle', year: body.year, method: body.method ?? null, baseRunId: null },
          (job) =>
            ctx.audit.record(
              principal,
              'run',
              `settle ${ctx.region} ${body.year}`,
              `${job.id} ${body.method ?? ''}`.trim(),
            ),
          async (onStage) => {
            // The DRG scheme is the region's policy (drg `scheme`), as for `yibao settle`.
            const method = caseMethodFor(policies, ctx.region, body.year, body.method);
            const scheme = method === 'drg' ? drgSchemeFor(policies, ctx.region, body.year).scheme : undefined;
            const kernel = scheme ? await ctx.kernel(scheme) : undefined;
            const r = await ctx.db.use((store) =>
              settleRegionYear(store, {
                region: ctx.region,
                year: body.year,
                policies,
                command: `api settle ${method} ${body.year}`,
                method,
                ...(kernel && scheme ? { kernel, pack: scheme } : {}),
                onStage,
              }),
            );
            return { runId: r.record.id };
          },
        );
      },
    }),
    route({
      method: 'get',
      path: '/api/jobs/:jobId',
      tag: 'runs',
      zh: '结算任务的进度与结果',
      en: "a settlement job's progress and result",
      params: z.object({ jobId: z.string().min(1).max(64) }),
      handler: async ({ principal, params }) => {
        requireAgency(principal);
        const job = ctx.jobs.get(params.jobId);
        if (!job) throw notFound(`没有任务 ${params.jobId}`, `no job ${params.jobId}`);
        return job;
      },
    }),
  ];
}
