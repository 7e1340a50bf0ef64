/**
 * The DIP engine a stored run priced its cases with, rebuilt from what the run kept (its catalog, reference point
 * value and — under the group-mean deviation standard — the previous year's group × level means), so that
 * `explain case`, the single-case estimate and the hospital reconciliation judge a case exactly as the run did.
 */
import type { Catalog } from '../grouping/dip/index.ts';
import type { Institution } from '../model/institution.ts';
import { DipEngine, type DipPolicy } from '../payment/dip/index.ts';
import type { RunResultsReader } from '../store/settlement-runs.ts';
import type { Store } from '../store/store.ts';
import { procedureClassifier } from './procedure-classifier.ts';
import { fromJson, type RatioText, ratioOf } from './results.ts';

/** The run's DIP engine; undefined when the run kept no catalog (not a DIP run). */
export async function dipEngineOfRun(
  store: Store,
  reader: RunResultsReader,
  policy: DipPolicy,
  institutions: readonly Institution[],
): Promise<DipEngine | undefined> {
  const [cat] = await reader.derived('dip-catalog');
  if (!cat) return undefined;
  const [ref] = await reader.derived('dip-reference-point-value');
  const [means] = await reader.derived('dip-group-means');
  return new DipEngine({
    catalog: fromJson<Catalog>(cat.content),
    policy,
    institutions,
    ...(ref ? { referencePointValue: ratioOf(fromJson<RatioText>(ref.content)) } : {}),
    ...(means
      ? { groupMeans: new Map(fromJson<[string, RatioText][]>(means.content).map(([k, v]) => [k, ratioOf(v)])) }
      : {}),
    classify: await procedureClassifier(store),
  });
}
