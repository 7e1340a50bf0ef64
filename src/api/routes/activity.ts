/** Case activity straight from the settlement lists: years present and cases, cost and fund payment by month. */
import { z } from 'zod';
import { col } from '../../report/table.ts';
import type { ApiContext } from '../app.ts';
import { fen, num, text } from '../db.ts';
import { type ApiTable, route } from '../route.ts';
import { requireInstitution, scopeSql } from '../scope.ts';

export function activityRoutes(ctx: ApiContext) {
  return [
    route({
      method: 'get',
      path: '/api/years',
      tag: 'cases',
      zh: '存储中有病例的出院年度（可见范围内）',
      en: 'discharge years with cases (within the token’s scope)',
      handler: async ({ principal }) => {
        const rows = await ctx.db.query(
          `SELECT DISTINCT year(dscg_time) AS y FROM cases WHERE ${scopeSql(principal, 'fixmedins_code')} ORDER BY y`,
        );
        return { years: rows.map((r) => num(r.y)) };
      },
    }),
    route({
      method: 'get',
      path: '/api/activity',
      tag: 'cases',
      zh: '按出院月份的病例数、医疗费用总额与统筹基金支付（?year=YYYY 必填，年度见 /api/years；可按机构）',
      en: 'cases, total medical cost and pooled-fund payment by discharge month (?year=YYYY required, years at /api/years; optionally of one institution)',
      exportable: true,
      query: z.object({
        year: z.coerce.number().int().min(1900).max(9998),
        institution: z.string().min(1).max(64).optional(),
      }),
      handler: async ({ principal, query }) => {
        const args: Record<string, string | number> = { year: query.year };
        let where = `year(dscg_time) = $year AND ${scopeSql(principal, 'fixmedins_code')}`;
        if (query.institution) {
          requireInstitution(principal, query.institution);
          where += ' AND fixmedins_code = $inst';
          args.inst = query.institution;
        }
        const rows = await ctx.db.query(
          `SELECT ${ctx.db.dialect.monthText('dscg_time')} AS month, count(*) AS n, sum(medfee_sumamt) AS cost, sum(hifp_pay) AS fund
           FROM cases WHERE ${where} GROUP BY 1 ORDER BY 1`,
          args,
        );
        const table: ApiTable = {
          kind: 'table',
          name: `activity-${query.year}${query.institution ? `-${query.institution}` : ''}`,
          zh: '按出院月份的病例与费用',
          en: 'Cases and cost by discharge month',
          columns: [
            col('month', 'text', '月份', 'month'),
            col('cases', 'int', '病例数', 'cases'),
            col('cost', 'money', '医疗费用总额', 'total medical cost'),
            col('fundPay', 'money', '统筹基金支付', 'pooled-fund payment'),
          ],
          rows: rows.map((r) => ({ month: text(r.month), cases: num(r.n), cost: fen(r.cost), fundPay: fen(r.fund) })),
        };
        return table;
      },
    }),
  ];
}
