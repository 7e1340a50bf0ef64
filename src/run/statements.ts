/**
 * Statements of a stored settlement run (结算报表): the pool statements (region summary, institution year-end,
 * institution-month, groups) are rebuilt from the run's result tables, the per-unit sheet reads `run_units`, the
 * catalog and DRG indicators come from what the run derived. Nothing is settled again: re-issuing a run's
 * statements gives the same figures as when it was issued, whatever today's policy files say.
 */
import type { Catalog } from '../dip/catalog.ts';
import type { DrgIndicators } from '../payment/drg/indicators.ts';
import { catalogTable } from '../report/dip-rows.ts';
import { drgIndicatorTable } from '../report/pool-reports.ts';
import { type ReportFormat, writeReportSet } from '../report/report-set.ts';
import { annualTable, groupTable, monthlyTable, regionTable } from '../report/settlement-rows.ts';
import { col, type Row, type Table } from '../report/table.ts';
import type { PoolSettlement } from '../settlement/settle.ts';
import type { RunResultsReader, RunUnitRow } from '../store/settlement-runs.ts';
import { fromJson, readPoolSettlement } from './results.ts';

/** The per-unit sheet over stored unit rows (the same columns as the pool writer's unit table). */
export function storedUnitTable(name: string, units: readonly RunUnitRow[]): Table {
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
    rows: (function* (): Generator<Row> {
      for (const u of units) {
        yield {
          unitId: u.unitId,
          institution: u.institution,
          month: u.month,
          method: u.method,
          group: u.group ?? '',
          status: u.status,
          points: u.points,
          amount: u.amountFen,
          billed: u.billedFen,
          patientPaid: u.patientPaidFen,
          basis: u.basis ?? '',
        };
      }
    })(),
  };
}

export interface RunStatements {
  settlement: PoolSettlement;
  files: string[];
}

/** Write the inpatient pool's statements of a stored run to `dir`. */
export async function writeRunStatements(
  reader: RunResultsReader,
  dir: string,
  o: { formats?: readonly ReportFormat[]; lang?: 'zh' | 'en' } = {},
): Promise<RunStatements> {
  const rec = await reader.record();
  const pool = (await reader.pools())[0];
  if (!pool) throw new RangeError(`run ${rec.id} has no pool`);
  const s = await readPoolSettlement(reader, rec.region, rec.year, pool.poolId);
  const units: RunUnitRow[] = [];
  for await (const batch of reader.units({ poolId: pool.poolId })) for (const u of batch) units.push(u);
  const extra: Table[] = [];
  for (const d of await reader.derived('dip-catalog')) extra.push(catalogTable(fromJson<Catalog>(d.content)));
  for (const d of await reader.derived('drg-indicators')) {
    const name = d.name === 'department' ? `${s.poolId}-department-indicators` : `${s.poolId}-indicators`;
    extra.push(drgIndicatorTable(name, fromJson<DrgIndicators[]>(d.content)));
  }
  const statements = (): Table[] => [regionTable(s), annualTable(s), monthlyTable(s), groupTable(s)];
  const unitSheet = () => storedUnitTable(`${s.poolId}-cases`, units);
  const files = await writeReportSet(
    {
      name: s.poolId,
      units: unitSheet,
      tables: () => [...statements(), ...extra],
      json: { poolId: s.poolId, run: rec.id, steps: s.steps },
      xlsx: () => [...statements(), unitSheet(), ...extra],
    },
    dir,
    o,
  );
  return { settlement: s, files };
}
