/**
 * Institution indicators against the same level (and type) (R-MON-1): each institution's value beside the mean and
 * spread of its peers — the other institutions of its group (leave-one-out, so one outlier cannot hide in its own
 * mean) — and the institution-level behaviour detectors that read them (R-MON-2: upcoding, cost shifting, point
 * inflation, capitation under-service, low-standard admissions). Indicators are statistics (doubles), never money.
 *
 * 002 四(五) "探索将各医院基本医疗保险指标与同级别医院管理指标平均水平对比" reads two ways, and both are shown:
 * the level's average with the institution in it (同级平均水平（含本机构）, `levelMean`: what a reader of the clause
 * computes by hand) and the mean of the others (同级均值（不含本机构）, `peerMean`), which the z and the detectors
 * use. A mean needs one other institution of the level; the spread and z need `MIN_PEERS` of them.
 */
import { ratioToNumber } from '../model/money.ts';
import type { Flag, MonitorRule } from './types.ts';

/** Indicators and which direction is worse (+1: higher is worse, −1: lower is worse). */
export const INDICATORS = {
  readmit14: { zh: '14日再入院率', en: '14-day readmission rate', worse: 1 },
  readmit15: { zh: '15日再入院率', en: '15-day readmission rate', worse: 1 },
  readmit31: { zh: '31日再入院率', en: '31-day readmission rate', worse: 1 },
  // Money: the value is in fen (the store's unit, kept in JSON); tables show it in yuan (indicatorShown).
  costPerCase: { zh: '次均费用（元）', en: 'cost per case (yuan)', worse: 1, fen: true },
  costPerCaseGrowth: { zh: '次均费用增长率', en: 'per-case cost growth', worse: 1 },
  groupCostGrowth: { zh: '病种（类目）费用增长率', en: 'group cost growth', worse: 1 },
  outOfCatalogShare: { zh: '目录外（自费）费用占比', en: 'out-of-catalog cost share', worse: 1 },
  outOfPocketShare: { zh: '个人负担占比', en: 'out-of-pocket share', worse: 1 },
  drugShare: { zh: '药占比', en: 'drug share', worse: 1 },
  consumableShare: { zh: '耗占比', en: 'consumable share', worse: 1 },
  referralRate: { zh: '转院率', en: 'referral rate', worse: 1 },
  mccShare: { zh: '严重合并症病例占比', en: 'MCC case share', worse: 1 },
  highWeightShare: { zh: '高权重病组病例占比', en: 'high-weight group share', worse: 1 },
  qcFailureRate: { zh: '结算清单质控不通过率', en: 'settlement-list QC failure rate', worse: 1 },
  lowStandardShare: { zh: '可门诊病种短期住院占比', en: 'outpatient-manageable short-stay share', worse: 1 },
  cmi: { zh: '病例组合指数', en: 'case-mix index', worse: 0 },
  cmiGrowth: { zh: '病例组合指数增长率', en: 'case-mix index growth', worse: 1 },
  visitsPerEnrollee: { zh: '人均就诊次数（门特）', en: 'visits per enrollee (special disease)', worse: -1 },
  visitsGrowth: { zh: '人均就诊次数增长率', en: 'visits per enrollee growth', worse: -1 },
  // 004 四(七)2 将……次均门诊费用增长……纳入协议范围重点监管: the 门特 settlements' mean total cost, fen, and its growth.
  costPerVisit: { zh: '门特次均费用（元）', en: 'special-disease cost per visit (yuan)', worse: 1, fen: true },
  costPerVisitGrowth: { zh: '门特次均费用增长率', en: 'special-disease per-visit cost growth', worse: 1 },
  referralGrowth: { zh: '转院率增长率', en: 'referral rate growth', worse: 1 },
} as const;
export type IndicatorName = keyof typeof INDICATORS;

/**
 * An indicator's value (or its peers' mean or spread) as a table shows it: a money indicator (次均费用, fen in the
 * store) in yuan to the fen, every other one as it is.
 */
export function indicatorShown(name: IndicatorName, v: number | undefined): number | undefined {
  return v !== undefined && 'fen' in INDICATORS[name] ? Math.round(v) / 100 : v;
}

/** One institution-year's indicator values (absent when not computable, e.g. no previous year). */
export interface InstitutionYear {
  institutionCode: string;
  level: string;
  type: string;
  year: number;
  cases: number;
  values: Partial<Record<IndicatorName, number>>;
}

export interface IndicatorRow {
  institutionCode: string;
  year: number;
  indicator: IndicatorName;
  value: number;
  /** Mean of the peers (the other institutions of its level or level × type); absent without a peer. */
  peerMean?: number;
  /** Population standard deviation of the peers; absent with fewer than `MIN_PEERS` peers (and then no z). */
  peerSd?: number;
  peers: number;
  z?: number;
}

/**
 * The same-level average with the institution in it (同级平均水平（含本机构）, 002 四(五) read literally): the mean of
 * the institution's value and its peers' values, derived from the stored peer mean, so a stored run needs no new
 * column. Absent without a peer (an average of the institution alone compares it with nothing).
 */
export function levelMean(r: Pick<IndicatorRow, 'value' | 'peerMean' | 'peers'>): number | undefined {
  if (r.peerMean === undefined || r.peers < 1) return undefined;
  return (r.peerMean * r.peers + r.value) / (r.peers + 1);
}

/** Fewest peers for a spread and a z (deviation in standard deviations) to be computed and compared. */
export const MIN_PEERS = 3;

export function peerKey(i: InstitutionYear, by: 'level' | 'level-type'): string {
  return by === 'level' ? i.level : `${i.level}|${i.type}`;
}

/** Each indicator of each institution against its peers. */
export function compareWithPeers(rows: readonly InstitutionYear[], by: 'level' | 'level-type'): IndicatorRow[] {
  const out: IndicatorRow[] = [];
  for (const inst of rows) {
    const peers = rows.filter((p) => p !== inst && peerKey(p, by) === peerKey(inst, by));
    for (const name of Object.keys(INDICATORS) as IndicatorName[]) {
      const value = inst.values[name];
      if (value === undefined || !Number.isFinite(value)) continue;
      const vs = peers.map((p) => p.values[name]).filter((v): v is number => v !== undefined && Number.isFinite(v));
      const row: IndicatorRow = {
        institutionCode: inst.institutionCode,
        year: inst.year,
        indicator: name,
        value,
        peers: vs.length,
      };
      if (vs.length >= 1) {
        const mean = vs.reduce((s, v) => s + v, 0) / vs.length;
        row.peerMean = mean;
        if (vs.length >= MIN_PEERS) {
          const sd = Math.sqrt(vs.reduce((s, v) => s + (v - mean) ** 2, 0) / vs.length);
          row.peerSd = sd;
          if (sd > 0) row.z = (value - mean) / sd;
        }
      }
      out.push(row);
    }
  }
  return out;
}

type Logic<D extends string> = Extract<MonitorRule['logic'], { detector: D }>;

const fixed = (x: number | undefined, places = 2) => (x === undefined ? '' : x.toFixed(places));

function instFlag(rule: MonitorRule, inst: InstitutionYear, evidence: Flag['evidence'], high: boolean): Flag {
  return {
    flagId: `${rule.id}:${inst.institutionCode}:${inst.year}`,
    ruleId: rule.id,
    result: rule.result,
    severity: high ? 'high' : 'medium',
    scope: 'institution',
    setlId: '',
    institutionCode: inst.institutionCode,
    period: String(inst.year),
    amount: 0,
    evidence,
  };
}

/**
 * An indicator that is high against peers (z ≥ zMin); high severity when it has also risen against the institution's
 * own previous year (value / previous − 1 ≥ riseMin). A rise alone is not flagged: at the size of one institution's
 * year, shares of a few percent move by a third from noise alone (measured on the clean synthetic region).
 */
function peerOrHistory(
  rule: MonitorRule,
  name: IndicatorName,
  zMin: number,
  riseMin: number,
  cur: readonly InstitutionYear[],
  prev: ReadonlyMap<string, InstitutionYear>,
  table: readonly IndicatorRow[],
): Flag[] {
  const out: Flag[] = [];
  for (const inst of cur) {
    const row = table.find((r) => r.institutionCode === inst.institutionCode && r.indicator === name);
    if (!row) continue;
    const before = prev.get(inst.institutionCode)?.values[name];
    const rise = before !== undefined && before > 0 ? row.value / before - 1 : undefined;
    const byPeers = row.z !== undefined && row.z >= zMin;
    const byHistory = rise !== undefined && rise >= riseMin;
    if (!byPeers) continue;
    out.push(
      instFlag(
        rule,
        inst,
        {
          indicator: name,
          value: fixed(row.value, 4),
          peerMean: fixed(row.peerMean, 4),
          peerSd: fixed(row.peerSd, 4),
          z: fixed(row.z),
          peers: row.peers,
          previousYear: fixed(before, 4),
          rise: fixed(rise, 4),
          cases: inst.cases,
        },
        byPeers && byHistory,
      ),
    );
  }
  return out;
}

/** Flags of the institution-level detectors for the year `cur` (with the previous year for history). */
export function institutionFlags(
  rules: readonly MonitorRule[],
  cur: readonly InstitutionYear[],
  prevYear: readonly InstitutionYear[],
  table: readonly IndicatorRow[],
): Flag[] {
  const prev = new Map(prevYear.map((p) => [p.institutionCode, p]));
  const out: Flag[] = [];
  const n = (r: { num: bigint; den: bigint }) => ratioToNumber(r);
  for (const rule of rules) {
    if (!rule.enabled || !('detector' in rule.logic)) continue;
    const l = rule.logic;
    switch (l.detector) {
      case 'upcoding-share':
        out.push(...peerOrHistory(rule, 'mccShare', n(l.params.zMin), n(l.params.riseMin), cur, prev, table));
        break;
      case 'high-weight-share':
        out.push(
          ...peerOrHistory(rule, 'highWeightShare', n(l.params.zMin), Number.POSITIVE_INFINITY, cur, prev, table),
        );
        break;
      case 'cost-shifting-share':
        out.push(...peerOrHistory(rule, 'outOfCatalogShare', n(l.params.zMin), n(l.params.riseMin), cur, prev, table));
        break;
      case 'low-standard-share': {
        const p = (l as Logic<'low-standard-share'>).params;
        out.push(...peerOrHistory(rule, 'lowStandardShare', n(p.zMin), Number.POSITIVE_INFINITY, cur, prev, table));
        break;
      }
      case 'point-inflation': {
        // case-mix growth beyond riseMin AND beyond peers' growth by zMin
        for (const inst of cur) {
          const row = table.find((r) => r.institutionCode === inst.institutionCode && r.indicator === 'cmiGrowth');
          if (!row || row.value < n(l.params.riseMin) || row.z === undefined || row.z < n(l.params.zMin)) continue;
          out.push(
            instFlag(
              rule,
              inst,
              {
                indicator: 'cmiGrowth',
                value: fixed(row.value, 4),
                peerMean: fixed(row.peerMean, 4),
                z: fixed(row.z),
                cases: inst.cases,
              },
              false,
            ),
          );
        }
        break;
      }
      case 'under-service': {
        for (const inst of cur) {
          const visits = inst.values.visitsGrowth;
          const referral = inst.values.referralGrowth;
          if (visits === undefined || referral === undefined) continue;
          if (-visits < n(l.params.visitsDropMin) || referral < n(l.params.referralRiseMin)) continue;
          out.push(
            instFlag(
              rule,
              inst,
              { visitsGrowth: fixed(visits, 4), referralGrowth: fixed(referral, 4), cases: inst.cases },
              false,
            ),
          );
        }
        break;
      }
      default:
        break;
    }
  }
  return out;
}
