/**
 * The capitation cap's policy as a stored run applied it (攀枝花 二类门特按病种结合人头付费试行办法 四(三)1: "总控额度从当年
 * 基本医保基金支出总预算中提取"): the share of each fund's spending budget and the clauses, read from the run's policy
 * snapshot (never today's files), so the statements name the cap's budget basis without settling again.
 */
import { capitationKind } from '../policy/kinds/capitation.ts';
import type { CapBudgetPolicy } from '../report/capitation-reports.ts';
import type { RunResultsReader, SettlementRunRecord } from '../store/settlement-runs.ts';
import { snapshotPolicies } from './explain-run.ts';

/** The cap's policy of the run; undefined when the run applied no capitation policy. */
export async function capBudgetPolicyOfRun(
  reader: Pick<RunResultsReader, 'policies'>,
  rec: Pick<SettlementRunRecord, 'region' | 'year'>,
): Promise<CapBudgetPolicy | undefined> {
  const snapshots = (await reader.policies()).filter((p) => p.kind === capitationKind.kind);
  if (snapshots.length === 0) return undefined;
  const v = snapshotPolicies(snapshots).resolveYear(capitationKind, rec.region, rec.year).values;
  const s = v.capShareOfBudget.value;
  const share =
    s === null ? null : 'num' in s ? { employee: s, resident: s } : { employee: s.employee, resident: s.resident };
  return { share, shareSource: v.capShareOfBudget.source, amountSource: v.capAmount.source };
}
