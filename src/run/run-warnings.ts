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
export function inpatientYearWarnings(
  y: Pick<InpatientYear, 'dip' | 'budgetWarning' | 'unknownAdvanceInstitutions'>,
): RunWarning[] {
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
  return [...budget, ...history, ...unknownAdvanceWarnings(y.unknownAdvanceInstitutions)];
}

/**
 * R-BUD-5 (000 §4 视医院级别及信誉情况，年初预付 0-2 个月): an institution the policy's `advanceMonths.byInstitution` names
 * that the store does not hold. Its number applies to no one; the institution meant (if a typo) keeps its level's.
 */
function unknownAdvanceWarnings(u: InpatientYear['unknownAdvanceInstitutions']): RunWarning[] {
  if (!u || u.codes.length === 0) return [];
  const codes = u.codes.join('、');
  const codesEn = u.codes.join(', ');
  return [
    {
      code: 'ADVANCE_INSTITUTION_UNKNOWN',
      zh: `结算政策 advanceMonths.byInstitution 中的 ${codes} 不是本库的定点医疗机构：其年初预付月数未用于任何机构，未列名的机构按其级别的月数预付（${u.source}）`,
      en: `settlement policy advanceMonths.byInstitution names ${codesEn}, not ${u.codes.length === 1 ? 'an institution' : 'institutions'} of the store: ${u.codes.length === 1 ? 'its' : 'their'} start-of-year advance months apply to no one, and an institution not named there is advanced by its level's months (${u.source})`,
    },
  ];
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
