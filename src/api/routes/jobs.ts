/**
 * Starting a settlement run from the API (agency only): POST /api/runs starts `settleRegionYear` on the server's
 * store and answers at once with a job; GET /api/jobs/{id} tells its stage and, when done, the run's id. The run
 * holds the store while it settles (other requests wait for it); it is recorded as any run is, and its start is in
 * the audit log.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { POLICY_KINDS } from '../../policy/kinds/index.ts';
import { loadPolicyDir } from '../../policy/registry.ts';
import { drgSchemeFor, openSchemeKernel } from '../../run/drg-scheme.ts';
import { caseMethodFor } from '../../run/inpatient-year.ts';
import { settleRegionYear } from '../../run/settle-region-year.ts';
import type { ApiContext } from '../app.ts';
import { ApiError, notFound } from '../errors.ts';
import { route } from '../route.ts';
import { requireAgency } from '../scope.ts';

export interface Job {
  id: string;
  kind: 'settle';
  year: number;
  method: string | null;
  status: 'running' | 'done' | 'failed';
  /** The pipeline stage running now (dip, drg, ffs, capitation, record). */
  stage: string | null;
  startedAt: string;
  finishedAt: string | null;
  runId: string | null;
  message: string | null;
}

export function jobRoutes(ctx: ApiContext) {
  const jobs = new Map<string, Job>();
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
        requireAgency(principal);
        if ([...jobs.values()].some((j) => j.status === 'running')) {
          throw new ApiError(
            409,
            'RUN_IN_PROGRESS',
            '已有一次结算运行正在进行',
            'a settlement run is already in progress',
          );
        }
        const job: Job = {
          id: `job-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`,
          kind: 'settle',
          year: body.year,
          method: body.method ?? null,
          status: 'running',
          stage: null,
          startedAt: new Date().toISOString(),
          finishedAt: null,
          runId: null,
          message: null,
        };
        jobs.set(job.id, job);
        await ctx.audit.record(
          principal,
          'run',
          `settle ${ctx.region} ${body.year}`,
          `${job.id} ${body.method ?? ''}`.trim(),
        );
        const policies = loadPolicyDir(ctx.policies, POLICY_KINDS);
        void ctx.db
          .use(async (store) => {
            // The DRG scheme is the region's policy (drg `scheme`), as for `yibao settle`.
            const method = caseMethodFor(policies, ctx.region, body.year, body.method);
            const scheme = method === 'drg' ? drgSchemeFor(policies, ctx.region, body.year).scheme : undefined;
            return settleRegionYear(store, {
              region: ctx.region,
              year: body.year,
              policies,
              command: 'api',
              method,
              ...(scheme ? { kernel: await openSchemeKernel(scheme), pack: scheme } : {}),
              onStage: (s) => {
                job.stage = s;
              },
            });
          })
          .then((r) => {
            job.status = 'done';
            job.runId = r.record.id;
          })
          .catch((e: Error) => {
            job.status = 'failed';
            job.message = e.message;
          })
          .finally(() => {
            job.finishedAt = new Date().toISOString();
            job.stage = null;
          });
        return job;
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
        const job = jobs.get(params.jobId);
        if (!job) throw notFound(`没有任务 ${params.jobId}`, `no job ${params.jobId}`);
        return job;
      },
    }),
  ];
}
