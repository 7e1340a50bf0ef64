/**
 * County medical communities from a stored run (县域医共体): eligibility, budgets, monthly settlement, year-end
 * reconciliation, indicators and patient burden — `runCommunityYear` over the run's stored units, computed once
 * per run and kept while the server runs. The agency sees every community and the region's points; a lead hospital
 * only its own community (every per-community table, its eligibility row included, and its population's burden),
 * never the region's per-institution points. Tables in the reader's language (`?lang=en`); each one exported as XLSX
 * with `?format=xlsx&sheet=<table name>`.
 */
import { z } from 'zod';
import { POLICY_KINDS } from '../../policy/kinds/index.ts';
import { loadPolicyDir } from '../../policy/registry.ts';
import { communityTables } from '../../report/community-reports.ts';
import { type CommunityRunResult, runCommunityYear } from '../../run/community-year.ts';
import type { ApiContext } from '../app.ts';
import { forbidden, notFound } from '../errors.ts';
import { type ApiTable, route } from '../route.ts';
import { requireRunReader } from '../scope.ts';

const Lang = z.enum(['zh', 'en']).optional();

/**
 * One community's part of the year, as its lead hospital sees it: its own outcome and its population's burden (the
 * tables were filtered by a community-name prefix of their rows, which dropped the eligibility row keyed by the
 * community's code: walk4 #4).
 */
export function ownCommunityPart(r: CommunityRunResult, communityId: string): CommunityRunResult {
  return {
    ...r,
    communities: r.communities.filter((c) => c.community.id === communityId),
    burden: r.burden.filter((b) => b.scope === communityId),
  };
}

/** Tables that list the whole region's institutions (the region's points): the agency's only. */
const REGION_WIDE = new Set(['region-points']);

export function communityRoutes(ctx: ApiContext) {
  const cache = new Map<string, Promise<CommunityRunResult>>();
  return [
    route({
      method: 'get',
      path: '/api/runs/:runId/communities',
      tag: 'communities',
      zh: '医共体年度结算：资格、预算、月度结算、年终对账、考核指标、患者负担（医保经办机构看全部；牵头医院看本医共体）',
      en: "medical communities' year: eligibility, budgets, monthly settlement, reconciliation, indicators, patient burden (agency: all; lead hospital: its own)",
      exportable: true,
      params: z.object({ runId: z.string().min(1).max(64) }),
      query: z.object({ lang: Lang }),
      handler: async ({ principal, params, query }) => {
        const lang = query.lang ?? 'zh';
        if (principal?.role !== 'agency' && principal?.role !== 'community') {
          throw forbidden(
            '只有医保经办机构和医共体牵头医院可以查看',
            'only the agency and lead hospitals may read this',
          );
        }
        const run = await ctx.findRun(params.runId);
        if (!run) throw notFound(`没有结算运行 ${params.runId}`, `no settlement run ${params.runId}`);
        requireRunReader(principal, run);
        let p = cache.get(run.id);
        if (!p) {
          const policies = loadPolicyDir(ctx.policies, POLICY_KINDS);
          p = ctx.db.use((store) =>
            runCommunityYear(store, {
              region: run.region,
              year: run.year,
              policies,
              run: { record: run, reader: store.runResults(run.id) },
            }),
          );
          cache.set(run.id, p);
          p.catch(() => cache.delete(run.id));
        }
        const r = await p;
        let view = r;
        if (principal.role === 'community') {
          const [own] = await ctx.db.query('SELECT mc_id FROM institutions WHERE fixmedins_code = $c', {
            c: principal.institution ?? '',
          });
          view = ownCommunityPart(r, String(own?.mc_id ?? ''));
        }
        const tables: ApiTable[] = communityTables(view, lang)
          .filter((t) => principal.role === 'agency' || !REGION_WIDE.has(t.name))
          .map((t) => ({
            kind: 'table',
            name: t.name,
            zh: t.zh,
            en: t.en ?? t.zh,
            columns: t.columns,
            rows: [...t.rows],
          }));
        return {
          run: { id: run.id, year: run.year },
          communities: view.communities.map((c) => ({
            id: c.community.id,
            name: c.community.name,
            eligible: c.eligibility.eligible,
          })),
          tables,
        };
      },
    }),
  ];
}
