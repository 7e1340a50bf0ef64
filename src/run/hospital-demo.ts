/**
 * The hospital side of the demo: the institution with the most case-method cases looks at its own year with the
 * agency's parameters (hospital mode), prints its most loss-making groups and departments and writes its workbook.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DrgKernel } from '../grouping/drg/index.ts';
import { mostLoss, type ProfitLine } from '../hospital/profit.ts';
import { hospitalYear } from '../hospital/year.ts';
import type { InpatientCase } from '../model/case.ts';
import type { Fen } from '../model/money.ts';
import { pricingFromPolicy } from '../payment/drg/index.ts';
import { drgKind } from '../policy/kinds/drg.ts';
import type { PolicySet } from '../policy/registry.ts';
import { hospitalTables } from '../report/hospital-rows.ts';
import { writeXlsx } from '../report/xlsx.ts';
import type { RunResultsReader, RunUnitRow } from '../store/settlement-runs.ts';
import type { Store } from '../store/store.ts';
import { hospitalParamsFromDipRun, hospitalParamsFromDrgRun } from './hospital-params.ts';
import type { InpatientYear } from './inpatient-year.ts';

export interface DemoHospital {
  institutionCode: string;
  name: string;
  cases: number;
  payment: Fen;
  cost: Fen;
  profit: Fen;
  lossGroups: ProfitLine[];
  lossDepartments: ProfitLine[];
  file: string;
}

export async function demoHospital(
  y: InpatientYear,
  o: {
    region: string;
    year: number;
    policies: PolicySet;
    out: string;
    lang: 'zh' | 'en';
    kernel?: DrgKernel;
    /** The store and the stored run of the year: which cases the case method priced is read from its units. */
    store: Store;
    run: RunResultsReader;
  },
): Promise<DemoHospital | undefined> {
  // Priced by the case method: DIP units not excluded, every DRG unit (carved-out cases are not stored as such).
  const priced = (u: RunUnitRow) => u.method === y.method && (y.method === 'drg' || u.status !== 'excluded');
  const counts = new Map<string, number>();
  for await (const rows of o.run.units({ method: y.method })) {
    for (const u of rows) if (priced(u)) counts.set(u.institution, (counts.get(u.institution) ?? 0) + 1);
  }
  const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
  if (!top) return undefined;
  const [code] = top;
  const ids = new Set<string>();
  for await (const rows of o.run.units({ method: y.method, institution: code })) {
    for (const u of rows) if (priced(u)) ids.add(u.unitId);
  }
  const cases: InpatientCase[] = [];
  for await (const batch of o.store.iterateCases({ year: o.year, institution: code })) {
    for (const c of batch) if (ids.has(c.setlId)) cases.push(c);
  }
  const params = y.dip
    ? hospitalParamsFromDipRun(y.dip, y.institutions)
    : hospitalParamsFromDrgRun(
        o.kernel!,
        y.drg!,
        pricingFromPolicy(o.policies.resolve(drgKind, o.region, `${o.year}-12-31`).values),
        y.institutions,
      );
  const hy = hospitalYear(cases, params);
  const dir = join(o.out, 'hospital');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `hospital-${code}.xlsx`);
  await writeXlsx(file, hospitalTables(hy, o.lang, 10), o.lang);
  const inst = hy.book.institutions[0]!;
  return {
    institutionCode: code,
    name: inst.name,
    cases: inst.cases,
    payment: inst.payment,
    cost: inst.cost,
    profit: inst.profit,
    lossGroups: mostLoss(hy.book.groups, 5),
    lossDepartments: mostLoss(hy.book.departments, 5),
    file,
  };
}
