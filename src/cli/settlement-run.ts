/**
 * The settlement run a command reads — `--run ID` (or `latest`), else the latest run of the region-year — in one
 * place for every command that reads a stored run (explain, community settle, hospital reconcile, monitor run),
 * with one error in the user's language when there is none: what to run, and where the stored runs are listed.
 */
import { findRun } from '../run/results.ts';
import { StoreError } from '../store/errors.ts';
import type { RunResultsReader, SettlementRunRecord } from '../store/settlement-runs.ts';
import type { Store } from '../store/store.ts';
import { type CliContext, CliError, EXIT, t } from './context.ts';

export interface RunChoice {
  /** `--run`: a run id, or `latest` (the same as none). */
  run?: string | undefined;
  region?: string | undefined;
  year?: number | undefined;
}

/** The latest settlement run of the region-year (either may be left out), or undefined when the store has none. */
export async function latestSettlementRun(
  store: Store,
  o: Omit<RunChoice, 'run'> = {},
): Promise<SettlementRunRecord | undefined> {
  return findRun(store, {
    ...(o.region !== undefined ? { region: o.region } : {}),
    ...(o.year !== undefined ? { year: o.year } : {}),
  });
}

/**
 * The run named by `--run`, else the latest of the region-year, with its results reader. No such run: a CliError
 * (exit 3) in the user's language saying what to run (`yibao settle` with the region and year asked for) or, for a
 * named run, that `yibao runs --settlements` lists the stored ones.
 */
export async function settlementRunFor(
  store: Store,
  ctx: Pick<CliContext, 'lang' | 'db'>,
  o: RunChoice,
): Promise<{ record: SettlementRunRecord; reader: RunResultsReader }> {
  const named = o.run !== undefined && o.run !== 'latest' ? o.run : undefined;
  let record: SettlementRunRecord | undefined;
  try {
    record = named ? await store.runResults(named).record() : await latestSettlementRun(store, o);
  } catch (e) {
    if (!(e instanceof StoreError && e.code === 'STORE_NO_RUN')) throw e;
  }
  if (record) return { record, reader: store.runResults(record.id) };
  if (named)
    throw new CliError(
      t(
        ctx,
        `${ctx.db} 中没有结算运行 ${named}；用 yibao runs --settlements 查看已有的结算运行`,
        `${ctx.db} has no settlement run ${named}; yibao runs --settlements lists the runs it has`,
      ),
      EXIT.badInput,
    );
  const of = {
    zh: `${o.region !== undefined ? `地区 ${o.region} ` : ''}${o.year !== undefined ? `${o.year} 年的` : ''}`,
    en: `${o.region !== undefined ? ` of region ${o.region}` : ''}${o.year !== undefined ? ` for ${o.year}` : ''}`,
  };
  const settle = `yibao settle${o.region !== undefined ? ` --region ${o.region}` : ''} --year ${o.year ?? t(ctx, '年度', 'YYYY')}`;
  throw new CliError(
    t(
      ctx,
      `${ctx.db} 中没有${of.zh}结算运行；请先运行 ${settle}（或 yibao demo），已有的结算运行见 yibao runs --settlements`,
      `${ctx.db} has no settlement run${of.en}; run ${settle} (or yibao demo) first; yibao runs --settlements lists the stored runs`,
    ),
    EXIT.badInput,
  );
}
