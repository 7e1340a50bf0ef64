/**
 * Hospital profit and loss from a stored run (医院盈亏): for one institution, by DIP group / DRG / pathway or by
 * discharge department, what its cases were paid at the run's year-end point value (points × point value, or the
 * fixed standard) against their total medical cost. Payment per case is valued once, half-up (valueOfPoints),
 * then summed; profit = payment − total medical cost. Inpatient pool only.
 */
import { z } from 'zod';
import { col } from '../../report/table.ts';
import { ratioOf } from '../../run/results.ts';
import { valueOfPoints } from '../../settlement/value.ts';
import type { ApiContext } from '../app.ts';
import { num, text } from '../db.ts';
import { notFound } from '../errors.ts';
import { type ApiTable, route } from '../route.ts';
import { requireInstitution } from '../scope.ts';

interface Line {
  key: string;
  cases: number;
  deviating: number;
  cost: number;
  payment: number;
}

export function profitRoutes(ctx: ApiContext) {
  return [
    route({
      method: 'get',
      path: '/api/runs/:runId/institutions/:code/profit',
      tag: 'statements',
      zh: '医院盈亏：按病种/病组或出院科别，病例按年度点值计算的支付与医疗费用总额之差（住院）',
      en: "a hospital's profit and loss by group or discharge department: payment at the year-end point value minus total medical cost (inpatient)",
      exportable: true,
      params: z.object({ runId: z.string().min(1).max(64), code: z.string().min(1).max(64) }),
      query: z.object({ by: z.enum(['group', 'department']).default('group'), lang: z.enum(['zh', 'en']).optional() }),
      handler: async ({ principal, params, query }) => {
        requireInstitution(principal, params.code);
        const run = await ctx.findRun(params.runId);
        if (!run) throw notFound(`没有结算运行 ${params.runId}`, `no settlement run ${params.runId}`);
        const [pool] = await ctx.db.query(
          'SELECT pool_id, point_value_num, point_value_den FROM run_pools WHERE run_id = $r ORDER BY pool_id LIMIT 1',
          { r: run.id },
        );
        if (!pool) throw notFound(`结算运行 ${run.id} 没有基金池`, `run ${run.id} has no pool`);
        const pv = ratioOf({ num: String(pool.point_value_num), den: String(pool.point_value_den) });
        const rows = await ctx.db.query(
          `SELECT u.grp, c.dscg_caty, u.status, u.points, u.amount_fen, u.billed_fen
           FROM run_units u LEFT JOIN cases c ON c.setl_id = u.unit_id
           WHERE u.run_id = $r AND u.pool_id = $p AND u.institution = $i AND u.status <> 'excluded'`,
          { r: run.id, p: String(pool.pool_id), i: params.code },
        );
        const lines = new Map<string, Line>();
        for (const r of rows) {
          const key = (query.by === 'group' ? text(r.grp) : text(r.dscg_caty)) ?? '—';
          const l = lines.get(key) ?? { key, cases: 0, deviating: 0, cost: 0, payment: 0 };
          l.cases++;
          if (r.status === 'low-cost' || r.status === 'high-cost') l.deviating++;
          l.cost += num(r.billed_fen);
          l.payment += r.points !== null ? valueOfPoints(num(r.points), pv) : num(r.amount_fen);
          lines.set(key, l);
        }
        const sorted = [...lines.values()].sort(
          (a, b) => a.payment - a.cost - (b.payment - b.cost) || (a.key < b.key ? -1 : 1),
        );
        const byGroup = query.by === 'group';
        const table: ApiTable = {
          kind: 'table',
          name: `profit-${params.code}-${query.by}`,
          zh: byGroup ? '按病种/病组的盈亏' : '按出院科别的盈亏',
          en: byGroup ? 'Profit and loss by group' : 'Profit and loss by department',
          columns: [
            col('key', 'text', byGroup ? '病种/病组' : '出院科别', byGroup ? 'group' : 'department'),
            col('cases', 'int', '病例数', 'cases'),
            col('deviating', 'int', '偏差病例', 'deviating cases'),
            col('cost', 'money', '医疗费用总额', 'total medical cost'),
            col('payment', 'money', '按年度点值计算的支付', 'payment at the year-end point value'),
            col('profit', 'money', '盈亏', 'profit / loss'),
          ],
          rows: sorted.map((l) => ({ ...l, profit: l.payment - l.cost })),
        };
        return table;
      },
    }),
  ];
}
