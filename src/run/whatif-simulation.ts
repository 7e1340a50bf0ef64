/**
 * What a stored what-if run's statements and explanations say of it (report/simulation.ts): the run, the issued run
 * it was compared with, and each change it made in words with the value in force and its clause — read from the two
 * runs' policy snapshots (whatif.ts), so a workbook passed on alone still says what was changed (walk7 #11).
 */
import type { SimulationOf } from '../report/simulation.ts';
import type { SettlementRunRecord } from '../store/settlement-runs.ts';
import type { Store } from '../store/store.ts';
import { whatIfChangesOfRun } from './whatif.ts';
import { changeText } from './whatif-labels.ts';

/** The simulation a stored run is, with its changes; undefined for an issued run. */
export async function simulationOfStoredRun(
  store: Pick<Store, 'runResults'>,
  rec: Pick<SettlementRunRecord, 'id' | 'kind' | 'baseRunId' | 'region' | 'year' | 'command'>,
): Promise<SimulationOf | undefined> {
  if (rec.kind !== 'what-if') return undefined;
  const base = rec.baseRunId ?? '';
  const changes = base
    ? whatIfChangesOfRun(
        await store.runResults(base).policies(),
        await store.runResults(rec.id).policies(),
        rec.command,
      )
    : [];
  return {
    runId: rec.id,
    baseRunId: base,
    region: rec.region,
    year: rec.year,
    changes: changes.map((c) => ({ zh: changeText(c, 'zh'), en: changeText(c, 'en'), source: c.source })),
  };
}
