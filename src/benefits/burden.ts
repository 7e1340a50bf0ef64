/**
 * Patient burden by institution level (患者负担, R-BEN-1, R-DATA-2): after the one-stop split, what the patients paid
 * as a share of the total, by level — the figure that shows whether the level differences steer patients to
 * primary care.
 *
 * The split is what the region's benefits policy gives each bill (a model of the patient side), not the amounts the
 * settlement lists record: beside it each row keeps the lists' own pooled-fund payment (hifp_pay) of the same bills,
 * so a reader sees both and how far apart they are (walk3 found 78,491,461.16 here and 78,505,507.08 in the store,
 * with nothing saying why). The statements' 患者负担 per case is the lists' total − pooled-fund payment.
 */
import { type Fen, type Ratio, ratio } from '../model/money.ts';
import type { Level, OneStopResult } from './types.ts';

export interface BurdenRow {
  level: Level;
  bills: number;
  total: Fen;
  basicFund: Fen;
  criticalIllness: Fen;
  assistance: Fen;
  patient: Fen;
  /** The settlement lists' recorded pooled-fund payment (hifp_pay) of the same bills, for comparison with basicFund. */
  recordedFund: Fen;
  /** patient ÷ total (null when total is 0). */
  burden: Ratio | null;
}

const ORDER: Level[] = ['3', '2', '1', 'primary'];

export function burdenByLevel(
  bills: Iterable<{ level: Level; total: Fen; recordedFund: Fen; result: OneStopResult }>,
): BurdenRow[] {
  const rows = new Map<Level, BurdenRow>();
  for (const b of bills) {
    let r = rows.get(b.level);
    if (!r) {
      r = {
        level: b.level,
        bills: 0,
        total: 0,
        basicFund: 0,
        criticalIllness: 0,
        assistance: 0,
        patient: 0,
        recordedFund: 0,
        burden: null,
      };
      rows.set(b.level, r);
    }
    r.bills += 1;
    r.total += b.total;
    r.basicFund += b.result.basicFund;
    r.criticalIllness += b.result.criticalIllness;
    r.assistance += b.result.assistance;
    r.patient += b.result.patient;
    r.recordedFund += b.recordedFund;
  }
  return ORDER.filter((l) => rows.has(l)).map((l) => {
    const r = rows.get(l)!;
    return { ...r, burden: r.total === 0 ? null : ratio(BigInt(r.patient), BigInt(r.total)) };
  });
}
