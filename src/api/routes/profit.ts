/**
 * Hospital profit and loss from a stored run (医院盈亏): for one institution, by DIP group / DRG / pathway, by
 * discharge department or by attending doctor, what its cases were paid at the run's year-end point value (points × point value, or the
 * fixed standard) against their total medical cost. Payment per case is its stored 病例结算金额 (the statement's split
 * of the institution's amount, so the lines add up to the statement to the fen), else valued half-up (valueOfPoints),
 * then summed; profit = payment − total medical cost. Inpatient pool only. Each line also carries the CMI (DRG) or
 * the points per case (DIP) and the time and cost consumption indices against the region's same groups in the run;
 * `by=doctor` gives the attending doctor's (主诊医师) lines.
 */

import { z } from 'zod';
import { departmentName } from '../../codes/departments.ts';
import { ratioToNumber } from '../../model/money.ts';
import { costPoints } from '../../payment/dip/points.ts';
import type { DrgWeight } from '../../payment/drg/index.ts';
import { groupLabel } from '../../report/labels.ts';
import { col } from '../../report/table.ts';
import { methodGroupNames } from '../../run/group-names.ts';
import { fromJson, ratioOf } from '../../run/results.ts';
import { valueOfPoints } from '../../settlement/value.ts';
import type { ApiContext } from '../app.ts';
import { bool, num, text } from '../db.ts';
import { notFound } from '../errors.ts';
import { type ApiTable, route } from '../route.ts';
import { requireInstitution, requireRunReader } from '../scope.ts';

interface Line {
  key: string;
  name: string;
  cases: number;
  grouped: number;
  deviating: number;
  cost: number;
  payment: number;
  /** Σ RW (DRG) or Σ points (DIP) of the grouped cases paid by the run's case method, and their number. */
  weight: number;
  weighted: number;
  /** Σ los / region mean los of the case's group, Σ cost / region mean cost of the group (grouped cases). */
  time: number;
  costRatio: number;
}

const line = (key: string, name: string): Line => ({
  key,
  name,
  cases: 0,
  grouped: 0,
  deviating: 0,
  cost: 0,
  payment: 0,
  weight: 0,
  weighted: 0,
  time: 0,
  costRatio: 0,
});

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * CMI (DRG: mean RW of the grouped DRG cases) or mean points per grouped DIP case (DIP) — cases of the carve-outs
 * (per-bed-day, single-disease) have no RW or DIP points and stay out — and the consumption indices against
 * the region's same groups in the run (时间/费用消耗指数 = Σ case los (cost) ÷ the region's mean los (cost) of its
 * group, over grouped cases), to four decimals.
 */
function indices(l: Line, method: 'dip' | 'drg') {
  const g = l.grouped;
  const w = l.weighted;
  return {
    cmi: method === 'drg' && w > 0 ? round(l.weight / w, 4) : null,
    averagePoints: method === 'dip' && w > 0 ? round(l.weight / w / 10_000, 4) : null,
    timeIndex: g > 0 ? round(l.time / g, 4) : null,
    costIndex: g > 0 ? round(l.costRatio / g, 4) : null,
  };
}

const DIMENSION = {
  group: ['病种/病组', 'group', '按病种/病组的盈亏', 'Profit and loss by group'],
  department: ['出院科别', 'department', '按出院科别的盈亏', 'Profit and loss by department'],
  doctor: ['主诊医师', 'attending doctor', '按主诊医师的盈亏', 'Profit and loss by attending doctor'],
} as const;

export function profitRoutes(ctx: ApiContext) {
  return [
    route({
      method: 'get',
      path: '/api/runs/:runId/institutions/:code/profit',
      tag: 'statements',
      zh: '医院盈亏：按病种/病组、出院科别或主诊医师，病例按年度点值计算的支付与医疗费用总额之差，CMI（DRG）或例均点数（DIP）与时间、费用消耗指数（住院）',
      en: "a hospital's profit and loss by group, discharge department or attending doctor: payment at the year-end point value minus total medical cost, CMI (DRG) or points per case (DIP) and the time and cost consumption indices (inpatient)",
      exportable: true,
      params: z.object({ runId: z.string().min(1).max(64), code: z.string().min(1).max(64) }),
      query: z.object({
        by: z.enum(['group', 'department', 'doctor']).default('group'),
        lang: z.enum(['zh', 'en']).optional(),
      }),
      handler: async ({ principal, params, query }) => {
        requireInstitution(principal, params.code);
        const run = await ctx.findRun(params.runId);
        if (!run) throw notFound(`没有结算运行 ${params.runId}`, `no settlement run ${params.runId}`);
        requireRunReader(principal, run);
        const method = run.caseMethod === 'drg' ? 'drg' : 'dip';
        const [pool] = await ctx.db.query(
          'SELECT pool_id, point_value_num, point_value_den FROM run_pools WHERE run_id = $r ORDER BY pool_id LIMIT 1',
          { r: run.id },
        );
        if (!pool) throw notFound(`结算运行 ${run.id} 没有基金池`, `run ${run.id} has no pool`);
        const pv = ratioOf({ num: String(pool.point_value_num), den: String(pool.point_value_den) });
        const p = { r: run.id, p: String(pool.pool_id) };
        const grouped = `u.grp IS NOT NULL AND u.status NOT IN ('excluded', 'ungrouped')`;
        const region = await ctx.db.query(
          `SELECT u.method, u.grp, avg(c.act_ipt_days) AS los, avg(u.billed_fen) AS cost
           FROM run_units u JOIN cases c ON c.setl_id = u.unit_id
           WHERE u.run_id = $r AND u.pool_id = $p AND ${grouped} GROUP BY 1, 2`,
          p,
        );
        const ref = new Map(region.map((r) => [`${r.method}\u0000${r.grp}`, { los: num(r.los), cost: num(r.cost) }]));
        const rw = new Map<string, number>();
        if (method === 'drg') {
          const [w] = await ctx.db.use((s) => s.runResults(run.id).derived('drg-weights'));
          if (w) {
            for (const [g, x] of fromJson<{ weights: [string, DrgWeight][] }>(w.content).weights) {
              rw.set(g, ratioToNumber(x.rw));
            }
          }
        }
        // Each case's 病例结算金额 as the run stored it (run_unit_amounts: the institution's 点数金额+定额 split to the
        // fen, R-DIP-6), so the P&L adds up to the statement and to hospital reconcile; a run without them (stored
        // before, or caseAmountRounding: none) values points half-up case by case as before.
        const rows = await ctx.db.query(
          `SELECT u.method AS method, u.grp AS grp, c.dscg_caty AS dscg_caty, c.chfpdr_code AS chfpdr_code,
                  c.chfpdr_name AS chfpdr_name, c.act_ipt_days AS act_ipt_days, u.status AS status, u.points AS points,
                  u.amount_fen AS amount_fen, u.billed_fen AS billed_fen, a.settled_fen AS settled_fen,
                  ${grouped} AS grouped
           FROM run_units u LEFT JOIN cases c ON c.setl_id = u.unit_id
           LEFT JOIN (
             SELECT unit_id, settled_fen FROM run_unit_amounts WHERE run_id = $r AND pool_id = $p
           ) AS a ON a.unit_id = u.unit_id
           WHERE u.run_id = $r AND u.pool_id = $p AND u.institution = $i AND u.status <> 'excluded'`,
          { ...p, i: params.code },
        );
        // A group by its code and name (a carve-out's from the run's policy: PSY 精神病; a DIP group's codes in words).
        const lang = query.lang ?? 'zh';
        const carveOuts =
          query.by === 'group'
            ? await ctx.db.use((s) => methodGroupNames(s.runResults(run.id), run, lang))
            : new Map<string, string>();
        const groupName = (code: string) =>
          carveOuts.has(code) ? (carveOuts.get(code) ?? '') : code === '—' ? '' : groupLabel(code, lang);
        const lines = new Map<string, Line>();
        const whole = line(params.code, '');
        for (const r of rows) {
          const key =
            (query.by === 'group'
              ? text(r.grp)
              : query.by === 'department'
                ? text(r.dscg_caty)
                : text(r.chfpdr_code)) ?? '—';
          // A doctor by the list's name; a department by its name in the reader's language (codes only before); a
          // group by its name.
          const name =
            query.by === 'doctor'
              ? (text(r.chfpdr_name) ?? '')
              : query.by === 'department'
                ? departmentName(key, query.lang ?? 'zh')
                : query.by === 'group'
                  ? groupName(key)
                  : '';
          const l = lines.get(key) ?? line(key, name);
          lines.set(key, l);
          const cost = num(r.billed_fen);
          const payment =
            r.settled_fen !== null && r.settled_fen !== undefined
              ? num(r.settled_fen)
              : r.points !== null
                ? valueOfPoints(num(r.points), pv)
                : num(r.amount_fen);
          const g = bool(r.grouped) ? String(r.grp) : null;
          const m = g !== null ? ref.get(`${r.method}\u0000${g}`) : undefined;
          for (const x of [l, whole]) {
            x.cases++;
            if (r.status === 'low-cost' || r.status === 'high-cost') x.deviating++;
            x.cost += cost;
            x.payment += payment;
            if (g !== null && m) {
              x.grouped++;
              if (r.method === method) {
                x.weighted++;
                // A low-cost DIP case paid its cost (costPaidCases: year-end) claims no points: it counts with the
                // points its cost is worth at the run's year-end point value, not as 0 (002 四(二), R-DIP-3).
                x.weight +=
                  method === 'drg'
                    ? (rw.get(g) ?? 0)
                    : r.points !== null
                      ? num(r.points)
                      : r.status === 'low-cost' && pv.num > 0n
                        ? costPoints(num(r.amount_fen), pv)
                        : 0;
              }
              x.time += m.los > 0 ? num(r.act_ipt_days) / m.los : 1;
              x.costRatio += m.cost > 0 ? cost / m.cost : 1;
            }
          }
        }
        const sorted = [...lines.values()].sort(
          (a, b) => a.payment - a.cost - (b.payment - b.cost) || (a.key < b.key ? -1 : 1),
        );
        const [zhKey, enKey, zhTitle, enTitle] = DIMENSION[query.by];
        const table: ApiTable = {
          kind: 'table',
          name: `profit-${params.code}-${query.by}`,
          zh: zhTitle,
          en: enTitle,
          columns: [
            col('key', 'text', zhKey, enKey),
            ...(query.by === 'doctor' ? [col('name', 'text', '医师姓名', 'name')] : []),
            ...(query.by === 'group' ? [col('name', 'text', '病种/病组名称', 'group name')] : []),
            ...(query.by === 'department' ? [col('name', 'text', '科室名称', 'department name')] : []),
            col('cases', 'int', '病例数', 'cases'),
            col('deviating', 'int', '偏差病例', 'deviating cases'),
            method === 'drg'
              ? col('cmi', 'decimal', 'CMI（病例组合指数）', 'CMI (case-mix index)')
              : col('averagePoints', 'decimal', '例均点数', 'points per case'),
            col('timeIndex', 'decimal', '时间消耗指数', 'time consumption index'),
            col('costIndex', 'decimal', '费用消耗指数', 'cost consumption index'),
            col('cost', 'money', '医疗费用总额', 'total medical cost'),
            col('payment', 'money', '按年度点值计算的支付', 'payment at the year-end point value'),
            col('profit', 'money', '盈亏', 'profit / loss'),
          ],
          rows: sorted.map((l) => ({
            key: l.key,
            name: l.name,
            cases: l.cases,
            deviating: l.deviating,
            ...indices(l, method),
            cost: l.cost,
            payment: l.payment,
            profit: l.payment - l.cost,
          })),
        };
        return {
          method,
          summary: {
            cases: whole.cases,
            deviating: whole.deviating,
            ...indices(whole, method),
            cost: whole.cost,
            payment: whole.payment,
            profit: whole.payment - whole.cost,
          },
          table,
        };
      },
    }),
  ];
}
