/**
 * Money of a synthetic stay, all in integer fen: the total split into charge categories, and who pays what.
 *
 * Identities that hold for every clean case (tests check them to the fen):
 *   Σ fee_* = medfee_sumamt
 *   hifp_pay + psn_selfpay + psn_ownpay = medfee_sumamt   (the region has no supplementary funds)
 *   acct_pay + psn_cashpay = psn_selfpay + psn_ownpay
 */
import type { InsuranceType } from '../model/case.ts';
import type { InstitutionLevel } from '../model/institution.ts';
import { FEE_CATEGORIES, FEE_INDEX, SYNTH_PARAMS } from './params.ts';
import type { Rng } from './prng.ts';

const N_FEES = FEE_CATEGORIES.length;

const FRACTIONS = new Float64Array(32);

/**
 * Split `total` fen over weights (largest remainder: floors first, then one fen each to the largest fractions,
 * ties to the lower index), writing into `out`. The parts add up to `total` exactly.
 */
export function splitFen(total: number, weights: readonly number[], out: number[]): void {
  let sum = 0;
  for (const w of weights) sum += w;
  if (sum <= 0) throw new RangeError('fee weights sum to zero');
  let given = 0;
  const fractions = weights.length <= FRACTIONS.length ? FRACTIONS : new Float64Array(weights.length);
  for (let i = 0; i < weights.length; i++) {
    const exact = (total * weights[i]!) / sum;
    const part = Math.floor(exact);
    out[i] = part;
    fractions[i] = exact - part;
    given += part;
  }
  let left = total - given;
  while (left > 0) {
    let best = -1;
    for (let i = 0; i < weights.length; i++) {
      if (weights[i]! > 0 && (best < 0 || fractions[i]! > fractions[best]!)) best = i;
    }
    out[best]! += 1;
    fractions[best] = -1;
    left--;
  }
}

export interface FeeContext {
  /** Mean shares of the stay's cost structure (FEE_MIX_WEIGHTS). */
  mix: readonly number[];
  /** The stay had an operation (手术/介入): surgery and consumables fees. */
  operated: boolean;
  /** At a TCM hospital: more herbal and patent medicine, fewer western drugs. */
  tcmHospital: boolean;
  /** Primary care charges a general service fee (一般诊疗费). */
  primary: boolean;
}

const weightsScratch: number[] = new Array(N_FEES).fill(0);

/** The total split into the 14 charge categories, with per-case variation. */
export function splitIntoFees(total: number, ctx: FeeContext, rng: Rng, out: number[]): void {
  for (let i = 0; i < N_FEES; i++) {
    let w = ctx.mix[i]!;
    // Minor categories (mean share under 2%) are charged in half of the stays only.
    if (w > 0 && w < 2 && rng.chance(0.5)) w = 0;
    if (w > 0) w *= rng.lognormalFactor(0.35);
    weightsScratch[i] = w;
  }
  if (!ctx.operated) {
    weightsScratch[FEE_INDEX.oprn] = 0;
    weightsScratch[FEE_INDEX.mcs]! *= 0.3;
  }
  if (ctx.tcmHospital) {
    weightsScratch[FEE_INDEX.wm]! *= 0.6;
    weightsScratch[FEE_INDEX.tcmherb] = weightsScratch[FEE_INDEX.tcmherb]! * 3 + 4;
    weightsScratch[FEE_INDEX.tcmpat] = weightsScratch[FEE_INDEX.tcmpat]! * 1.5 + 3;
  }
  if (ctx.primary) weightsScratch[FEE_INDEX.gen] = weightsScratch[FEE_INDEX.gen]! + 2;
  splitFen(total, weightsScratch, out);
}

export interface PatientShares {
  fund: number; // hifp_pay 统筹基金支出
  selfPay: number; // psn_selfpay 个人自付
  ownPay: number; // psn_ownpay 个人自费
  account: number; // acct_pay 个人账户支出
  cash: number; // psn_cashpay 个人现金支付
}

/**
 * Who pays: the uncovered part (自费) first, then the deductible (起付线), then the fund's share of the rest
 * less the class-B first self-payment (乙类先行自付). Rounding: the fund's share is floored to the fen.
 * `ownPayFactor` multiplies the usual uncovered share (cost shifting, 转嫁费用).
 */
export function patientShares(
  total: number,
  fees: readonly number[],
  insurance: InsuranceType,
  level: InstitutionLevel,
  ownPayFactor: number,
  rng: Rng,
  out: PatientShares,
): void {
  const p = SYNTH_PARAMS;
  const shiftable = fees[FEE_INDEX.wm]! + fees[FEE_INDEX.mcs]! + fees[FEE_INDEX.exam]! + fees[FEE_INDEX.treat]!;
  let own = Math.round(total * p.ownPayShare[level] * ownPayFactor * rng.lognormalFactor(0.6));
  own = Math.min(own, Math.floor(shiftable * 0.8), Math.floor(total * 0.6));
  const covered = total - own;
  const deductible = Math.min(covered, p.deductibleFen[insurance][level]);
  const above = covered - deductible;
  const rate = p.fundRatePermille[insurance][level] - p.classBSelfPayPermille;
  const fund = Math.floor((above * rate) / 1000);
  const self = covered - fund;
  const patient = self + own;
  let account = 0;
  if (insurance === 'employee' && rng.chance(p.accountUseShare)) {
    account = Math.min(patient, Math.round(patient * (0.2 + 0.8 * rng.next())));
  }
  out.fund = fund;
  out.selfPay = self;
  out.ownPay = own;
  out.account = account;
  out.cash = patient - account;
}

/** Fen as yuan text with two decimals (exact for safe integers): 123456 → "1234.56", -5 → "-0.05". */
export function fenText(fen: number): string {
  const neg = fen < 0;
  const abs = neg ? -fen : fen;
  const yuan = Math.floor(abs / 100);
  const cents = abs - yuan * 100;
  return `${neg ? '-' : ''}${yuan}.${cents < 10 ? '0' : ''}${cents}`;
}
