/**
 * The warnings a settlement run gave (运行警示), kept with the run so that `yibao runs`, the statements' summary
 * (统筹区汇总) and the terminal read the same words as when it was settled: a DIP history year without cases, whose
 * weight the others took (`HISTORY_YEAR_MISSING`, the weights renormalised — DIP settles from the years it has), and
 * a fund budget implausible against last year's payment (`BUDGET_ZERO|LOW|HIGH`, settlement policy
 * `budgetPlausibility`). Stored as one derived entry of the run (`run-warnings`, like the catalog and the point
 * values it derived); a run stored before reads its history-year warning from its stored DIP catalog.
 */
import type { Catalog } from '../grouping/dip/index.ts';
import { budgetWarningText, pointValueWarningText } from '../report/summary.ts';
import type { RegionSummary } from '../settlement/settle.ts';
import type { RunDerived, RunResultsReader } from '../store/settlement-runs.ts';
import type { InpatientYear } from './inpatient-year.ts';
import { fromJson, toJson } from './results.ts';

export const RUN_WARNINGS_KIND = 'run-warnings';

/** One warning of a run, in both languages. */
export interface RunWarning {
  code: string;
  zh: string;
  en: string;
}

/** The warnings of an inpatient year as the run keeps them: the budget first, then the history years (as settle prints them). */
export function inpatientYearWarnings(y: Pick<InpatientYear, 'dip' | 'budgetWarning'>): RunWarning[] {
  const history = (y.dip?.catalog.warnings ?? [])
    .filter((w) => w.code === 'HISTORY_YEAR_MISSING')
    .map(({ code, zh, en }) => ({ code, zh, en }));
  const b = y.budgetWarning;
  // The budget's line as settle printed it, without its mark ("  ! "): the reader of the run adds its own.
  const unmarked = (text: string) => text.replace(/^\s*!\s*/, '');
  const budget = b
    ? [
        {
          code: `BUDGET_${b.kind.toUpperCase()}`,
          zh: unmarked(budgetWarningText(b, 'zh')),
          en: unmarked(budgetWarningText(b, 'en')),
        },
      ]
    : [];
  return [...budget, ...history];
}

/** The run's derived entry of its warnings (none when it gave none). */
export function runWarningsDerived(name: string, warnings: readonly RunWarning[]): RunDerived[] {
  return warnings.length > 0 ? [{ kind: RUN_WARNINGS_KIND, name, content: toJson(warnings) }] : [];
}

/**
 * The warnings a stored run gave, in the order it gave them; with `pointValue`, then each pool's year-end point value
 * far from its opening one (stored in the pool's region summary, settlement policy `pointValueChange`: the statements
 * and settle's summary already show it beside the two values, `yibao runs` lists it from here). A run stored before they
 * were kept has its history-year warning in its stored DIP catalog (`Catalog.warnings`), read from there; its budget
 * warning was not kept.
 */
export async function storedRunWarnings(
  reader: Pick<RunResultsReader, 'derived'> & Partial<Pick<RunResultsReader, 'pools'>>,
  o: { pointValue?: boolean } = {},
): Promise<RunWarning[]> {
  const kept = await reader.derived(RUN_WARNINGS_KIND);
  const given =
    kept.length > 0
      ? kept.flatMap((d) => fromJson<RunWarning[]>(d.content))
      : (await reader.derived('dip-catalog')).flatMap((d) =>
          (fromJson<Catalog>(d.content).warnings ?? [])
            .filter((w) => w.code === 'HISTORY_YEAR_MISSING')
            .map(({ code, zh, en }) => ({ code, zh, en })),
        );
  const pools = o.pointValue && reader.pools ? await reader.pools() : [];
  const pointValue = pools.flatMap((p) => {
    const w = fromJson<RegionSummary>(p.summary).pointValueWarning;
    return w
      ? [
          {
            code: 'POINT_VALUE_CHANGE',
            zh: `${p.poolId}：${pointValueWarningText(w, 'zh')}`,
            en: `${p.poolId}: ${pointValueWarningText(w, 'en')}`,
          },
        ]
      : [];
  });
  return [...given, ...pointValue];
}
