/** Read whole years of cases from the store for the engines that take arrays (DIP, DRG runs). */
import type { InpatientCase } from '../model/case.ts';
import type { Store } from '../store/store.ts';

export async function readYears(store: Store, years: readonly number[]): Promise<InpatientCase[]> {
  const out: InpatientCase[] = [];
  for (const year of years) {
    for await (const batch of store.iterateCases({ year }, 50_000)) for (const c of batch) out.push(c);
  }
  return out;
}
