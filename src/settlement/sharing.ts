/**
 * Surplus retention and overspend sharing (结余留用、超支分担) by bands, reused by capitation (R-CAP-5), DIP/DRG
 * institution settlement and medical-community budgets (R-MC-3). The bands are policy data.
 *
 * Seed 004 四(六)2–3 as an example:
 *   "费用审核后不超过当年度总额控制费用的，结余额中的 80% 划拨给定点医疗机构。"
 *   "超出总额 10% 以内的部分由基金承担 40%，定点医疗机构承担 60%；超出总额 10% 及以上的，由定点医疗机构全部承担。"
 */
import { assertFen, divRound, type Fen, mulRatio, type Ratio } from '../model/money.ts';

export interface SurplusBand {
  /** Upper bound of the band as a share of the target (e.g. 0.1 = the first 10 %); absent = no bound. */
  upTo?: Ratio;
  /** Share of the surplus in this band that the institution keeps (the fund pays it out). */
  institutionShare: Ratio;
}

export interface OverspendBand {
  upTo?: Ratio;
  /** Share of the overspend in this band that the fund bears (pays on top of the target). */
  fundShare: Ratio;
}

export interface SharingBands {
  surplus: SurplusBand[];
  overspend: OverspendBand[];
  /** Clause the bands come from. */
  source: string;
}

export interface BandLine {
  from: Fen;
  to: Fen;
  amount: Fen;
  share: Ratio;
  /** For surplus bands what the institution keeps; for overspend bands what the fund bears. */
  shared: Fen;
}

export interface SharingResult {
  target: Fen;
  actual: Fen;
  /** target − actual when positive. */
  surplus: Fen;
  /** actual − target when positive. */
  overspend: Fen;
  lines: BandLine[];
  /** What the fund pays the institution in total. */
  fundPays: Fen;
  /** Surplus the fund keeps (target − fundPays when ≥ 0). */
  fundRetains: Fen;
  /** Overspend the institution bears itself. */
  institutionBears: Fen;
}

/**
 * Share the difference between `actual` spending and the `target` (budget/total) band by band. Band edges are
 * `target × upTo` rounded half-up to the fen; each band's share is rounded half-up; the fund's part follows by
 * subtraction so that fundPays + fundRetains = target (surplus) and fundPays + institutionBears = actual
 * (overspend) hold exactly.
 */
export function shareDifference(target: Fen, actual: Fen, bands: SharingBands): SharingResult {
  assertFen(target, 'target');
  assertFen(actual, 'actual');
  if (target < 0 || actual < 0) throw new RangeError('target and actual must be ≥ 0');
  const diff = Math.abs(target - actual);
  const isSurplus = actual <= target;
  const list = isSurplus
    ? bands.surplus.map((b) => ({ upTo: b.upTo, share: b.institutionShare }))
    : bands.overspend.map((b) => ({ upTo: b.upTo, share: b.fundShare }));
  const lines: BandLine[] = [];
  let from = 0;
  for (const band of list) {
    if (from >= diff) break;
    const edge = band.upTo ? Number(divRound(BigInt(target) * band.upTo.num, band.upTo.den, 'half-up')) : diff;
    const to = Math.min(Math.max(edge, from), diff);
    if (to <= from) continue;
    const amount = to - from;
    lines.push({ from, to, amount, share: band.share, shared: mulRatio(amount, band.share, 'half-up') });
    from = to;
  }
  if (from < diff) {
    // Beyond the last band nothing is shared: a surplus stays with the fund, an overspend with the institution.
    lines.push({ from, to: diff, amount: diff - from, share: { num: 0n, den: 1n }, shared: 0 });
  }
  const shared = lines.reduce((s, l) => s + l.shared, 0);
  if (isSurplus) {
    const fundPays = actual + shared;
    return {
      target,
      actual,
      surplus: diff,
      overspend: 0,
      lines,
      fundPays,
      fundRetains: target - fundPays,
      institutionBears: 0,
    };
  }
  const fundPays = target + shared;
  return {
    target,
    actual,
    surplus: 0,
    overspend: diff,
    lines,
    fundPays,
    fundRetains: 0,
    institutionBears: actual - fundPays,
  };
}
