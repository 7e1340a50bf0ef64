/**
 * A settlement run's statements folder — `settle --out`, and the demo's out folder: the inpatient pool's statements
 * in `<method>/` (dip or drg), the capitation year's in `capitation/` and what the agency sends its hospitals in
 * `published/` (a DIP run: run/published-folder.ts), written as one set (report/atomic.ts), so
 * the folder lists them in `.yibao-files`. A later settlement into the same folder therefore finds them: the same
 * region, method and year replaces them (and says how many), another one is refused unless `--force`
 * (cli/statements-out.ts). Entries the set does not write (the demo's region files and rejects, a user's own file)
 * stay in the folder.
 */
import { writeDirAtomic } from '../report/atomic.ts';
import { type CapBudgetPolicy, writeCapitationReports } from '../report/capitation-reports.ts';
import type { CommunityMembers } from '../report/community-members.ts';
import type { PoolSettlement } from '../settlement/settle.ts';
import type { Store } from '../store/store.ts';
import { capBudgetPolicyOfRun } from './cap-budget-basis.ts';
import { capitationPoolId, storedCapitationHeads } from './capitation-heads.ts';
import type { CapitationYearSummary } from './capitation-year.ts';
import { writePublishedFolder } from './published-folder.ts';
import { institutionNames, writeRunStatements } from './statements.ts';
import { simulationOfStoredRun } from './whatif-simulation.ts';

export interface StatementsFolderOptions {
  runId: string;
  region: string;
  year: number;
  /** The inpatient case method: the name of the pool's sub-folder. */
  method: 'dip' | 'drg';
  /** The run's capitation year, when it has one (its statements go to `capitation/`). */
  capitation?: CapitationYearSummary;
  lang: 'zh' | 'en';
  /** One workbook per institution (default true). */
  perInstitution?: boolean;
  /** Members of communities settled under a global budget (statements.ts `communityMembers`). */
  communityMembers?: CommunityMembers;
}

/** Write a stored run's statements into the folder `out` as one set; the files under their final paths. */
export async function writeRunStatementsFolder(
  store: Store,
  out: string,
  o: StatementsFolderOptions,
): Promise<{ files: string[]; settlement: PoolSettlement; capBudgetPolicy?: CapBudgetPolicy }> {
  let settlement!: PoolSettlement;
  // The cap's policy as the run applied it (its snapshot): the capitation statements name the cap's budget basis.
  const capBudgetPolicy = o.capitation
    ? await capBudgetPolicyOfRun(store.runResults(o.runId), { region: o.region, year: o.year })
    : undefined;
  // A policy what-if's statements say they are a simulation, not issued (report/simulation.ts).
  const simulation = await simulationOfStoredRun(store, await store.runResults(o.runId).record());
  const files = await writeDirAtomic(out, async (dir) => {
    const statements = await writeRunStatements(store.runResults(o.runId), `${dir}/${o.method}`, {
      lang: o.lang,
      names: await institutionNames(store),
      codes: store,
      perInstitution: o.perInstitution !== false,
      ...(simulation ? { simulation, issued: store.runResults(simulation.baseRunId) } : {}),
      ...(o.communityMembers ? { communityMembers: o.communityMembers } : {}),
    });
    settlement = statements.settlement;
    const written = [...statements.files];
    // What the agency sends its hospitals (`published/`): the parameters to estimate a case as this run paid it. A
    // what-if is not issued: it publishes nothing.
    if (!simulation)
      written.push(...(await writePublishedFolder(store, store.runResults(o.runId), `${dir}/published`, o.lang)));
    if (o.capitation)
      written.push(
        ...(await writeCapitationReports(
          o.capitation,
          storedCapitationHeads(store.runResults(o.runId), capitationPoolId(o.region, o.year)),
          `${dir}/capitation`,
          {
            lang: o.lang,
            ...(capBudgetPolicy ? { budgetPolicy: capBudgetPolicy } : {}),
            ...(simulation ? { simulation } : {}),
          },
        )),
      );
    return written;
  });
  return { files, settlement, ...(capBudgetPolicy ? { capBudgetPolicy } : {}) };
}
