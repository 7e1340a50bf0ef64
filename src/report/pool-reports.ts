/**
 * Write any settled point pool's outputs (a DRG year, or any mix of methods): per-unit results, per-institution
 * monthly and annual statements, the region summary and group lines, as CSV, JSON and XLSX with Chinese headers.
 * DIP has its own writer with the catalog (dip-reports.ts); this one is method-neutral.
 */

import type { UnitResult } from '../model/unit-result.ts';
import type { DrgIndicators } from '../payment/drg/indicators.ts';
import type { PoolSettlement } from '../settlement/settle.ts';
import { type ReportFormat, writeReportSet } from './report-set.ts';
import { annualTable, groupTable, monthlyTable, regionTable } from './settlement-rows.ts';
import { col, type Table } from './table.ts';

/** One row per unit: what it claimed and why (the explanation's last step). */
export function unitTable(name: string, units: readonly UnitResult[]): Table {
  return {
    name,
    zh: '病例结算明细',
    columns: [
      col('unitId', 'text', '结算ID', 'settlement id'),
      col('institution', 'text', '医疗机构', 'institution'),
      col('month', 'text', '月份', 'month'),
      col('method', 'text', '支付方式', 'method'),
      col('group', 'text', '分组', 'group'),
      col('status', 'text', '状态', 'status'),
      col('points', 'points', '点数', 'points'),
      col('amount', 'money', '定额金额', 'fixed amount'),
      col('billed', 'money', '按项目费用', 'item billing'),
      col('patientPaid', 'money', '患者负担', 'patient payments'),
      col('basis', 'text', '计算依据', 'basis'),
    ],
    rows: (function* () {
      for (const u of units) {
        const last = u.explanation.at(-1);
        yield {
          unitId: u.unitId,
          institution: u.institutionCode,
          month: u.month,
          method: u.method,
          group: u.group ?? '',
          status: u.status,
          points: u.claim.kind === 'points' ? u.claim.points : null,
          amount: u.claim.kind === 'amount' ? u.claim.amount : null,
          billed: u.billed,
          patientPaid: u.patientPaid,
          basis: last ? `${last.zh}${last.clause ? ` [${last.clause}]` : ''}` : '',
        };
      }
    })(),
  };
}

/** DRG hospital indicators (DRG 绩效评价): DRG count, CMI, time/cost consumption, low-risk mortality. */
export function drgIndicatorTable(name: string, rows: readonly DrgIndicators[]): Table {
  const r4 = (x: number) => x.toFixed(4);
  return {
    name,
    zh: 'DRG 医院指标',
    columns: [
      col('key', 'text', '医疗机构', 'institution'),
      col('cases', 'int', '病例数', 'cases'),
      col('groupedCases', 'int', '入组病例数', 'grouped cases'),
      col('drgCount', 'int', 'DRG 组数', 'DRGs'),
      col('cmi', 'decimal', 'CMI', 'CMI'),
      col('timeIndex', 'decimal', '时间消耗指数', 'time index'),
      col('costIndex', 'decimal', '费用消耗指数', 'cost index'),
      col('lowRiskCases', 'int', '低风险组病例', 'low-risk cases'),
      col('lowRiskDeaths', 'int', '低风险组死亡', 'low-risk deaths'),
      col('lowRiskMortality', 'decimal', '低风险组死亡率', 'low-risk mortality'),
    ],
    rows: rows.map((i) => ({
      key: i.key,
      cases: i.cases,
      groupedCases: i.groupedCases,
      drgCount: i.drgCount,
      cmi: r4(i.cmi),
      timeIndex: r4(i.timeIndex),
      costIndex: r4(i.costIndex),
      lowRiskCases: i.lowRiskCases,
      lowRiskDeaths: i.lowRiskDeaths,
      lowRiskMortality: i.lowRiskMortality === null ? null : r4(i.lowRiskMortality),
    })),
  };
}

export interface PoolReportOptions {
  formats?: readonly ReportFormat[];
  lang?: 'zh' | 'en';
  /** Extra small tables (e.g. DRG indicators) written beside the statements. */
  extra?: readonly Table[];
}

export async function writePoolReports(
  s: PoolSettlement,
  units: readonly UnitResult[],
  outDir: string,
  o: PoolReportOptions = {},
): Promise<string[]> {
  return writeReportSet(
    {
      name: s.poolId,
      units: () => unitTable(`${s.poolId}-cases`, units),
      tables: () => [regionTable(s), annualTable(s), monthlyTable(s), groupTable(s), ...(o.extra ?? [])],
      json: { poolId: s.poolId, steps: s.steps },
    },
    outDir,
    o,
  );
}
