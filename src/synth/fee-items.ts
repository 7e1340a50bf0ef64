/**
 * Fee line items (费用明细, 4101 iteminfo) of a clean case, from a small synthetic catalog. Per case they add up
 * exactly: Σ det_item_fee_sumamt = medfee_sumamt, per charge category Σ lines = fee_*, every line
 * cnt × pric = det_item_fee_sumamt, and the class-C lines (丙类, 03) add up to psn_ownpay. Every line's charge
 * date-time (费用发生时间) lies within the stay: per-day items on the discharge day (billed for the stay), the others
 * spread over the days of the stay by their position, without drawing from the random stream.
 */
import type { DateTexts } from './calendar.ts';
import { fenText, splitFen } from './costs.ts';
import { FEE_CATEGORIES, FEE_INDEX } from './params.ts';
import type { Rng } from './prng.ts';
import type { SynthCase } from './synth-case.ts';

/** chrgitm_lv: 01 甲类, 02 乙类, 03 丙类. */
type CatalogClass = '01' | '02' | '03';

export interface CatalogItem {
  code: string;
  name: string;
  cls: CatalogClass;
  /** Typical unit price, fen. */
  unitFen: number;
  /** Quantity follows the length of stay (per day items). */
  perDay?: boolean;
}

const item = (code: string, name: string, cls: CatalogClass, unitFen: number, perDay = false): CatalogItem => ({
  code,
  name,
  cls,
  unitFen,
  perDay,
});

/** Catalog items (covered: 甲/乙) per charge category, in FEE_CATEGORIES order. Codes are synthetic (YB…). */
const COVERED: readonly (readonly CatalogItem[])[] = [
  [item('YB01001', '普通病房床位费', '01', 4500, true), item('YB01002', '监护病房床位费', '01', 12000, true)],
  [item('YB02001', '住院诊查费', '01', 1500, true)],
  [
    item('YB03001', '彩色多普勒超声检查', '01', 18000),
    item('YB03002', 'X线计算机体层(CT)扫描', '02', 25000),
    item('YB03003', '磁共振成像(MRI)', '02', 60000),
    item('YB03004', '常规心电图检查', '01', 2500),
  ],
  [
    item('YB04001', '血细胞分析', '01', 2000),
    item('YB04002', '肝功能检测', '01', 6000),
    item('YB04003', '肾功能检测', '01', 4000),
    item('YB04004', '电解质测定', '01', 3000),
    item('YB04005', 'C反应蛋白测定', '02', 4000),
  ],
  [
    item('YB05001', '静脉输液', '01', 800),
    item('YB05002', '雾化吸入', '01', 1000),
    item('YB05003', '换药', '01', 2000),
    item('YB05004', '康复训练', '02', 5000),
    item('YB05005', '普通针刺', '02', 3500),
  ],
  [item('YB06001', '手术费', '01', 200000), item('YB06002', '麻醉费', '01', 80000)],
  [item('YB07001', '一级护理', '01', 3500, true), item('YB07002', '二级护理', '01', 2000, true)],
  [
    item('YB08001', '一次性输液器', '01', 500),
    item('YB08002', '手术用一次性耗材', '02', 50000),
    item('YB08003', '医用导管', '02', 15000),
  ],
  [
    item('YB09001', '注射用头孢曲松钠', '01', 1500),
    item('YB09002', '氯化钠注射液', '01', 300),
    item('YB09003', '阿托伐他汀钙片', '02', 200),
    item('YB09004', '注射用奥美拉唑钠', '02', 2500),
    item('YB09005', '人血白蛋白', '02', 40000),
  ],
  [item('YB10001', '中药饮片', '02', 6000)],
  [item('YB11001', '中成药注射剂', '02', 5000), item('YB11002', '中成药口服制剂', '01', 3000)],
  [item('YB12001', '一般诊疗费', '01', 1000, true)],
  [item('YB13001', '挂号费', '01', 500)],
  [item('YB14001', '其他医疗服务费', '01', 5000)],
];

/** Uncovered (丙类, 自费) items, for the categories the uncovered share is spread over. */
const UNCOVERED: Readonly<Partial<Record<number, CatalogItem>>> = {
  [FEE_INDEX.exam]: item('YB03901', '特需检查项目(自费)', '03', 30000),
  [FEE_INDEX.treat]: item('YB05901', '特需治疗项目(自费)', '03', 20000),
  [FEE_INDEX.mcs]: item('YB08901', '进口高值耗材(自费)', '03', 300000),
  [FEE_INDEX.wm]: item('YB09901', '目录外药品(自费)', '03', 30000),
};

const OWN_PAY_CATEGORIES = [FEE_INDEX.wm, FEE_INDEX.mcs, FEE_INDEX.exam, FEE_INDEX.treat] as const;
/** Position of each charge category in OWN_PAY_CATEGORIES, or −1. */
const OWN_INDEX = FEE_CATEGORIES.map((_, k) => OWN_PAY_CATEGORIES.indexOf(k as (typeof OWN_PAY_CATEGORIES)[number]));

/** Primes up to the largest quantity (99). */
const PRIMES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97];
/** Scratch for `quantityFor`: the primes dividing the amount (at most 25) and their multiplicities (capped). */
const factorPrime = new Int32Array(PRIMES.length);
const factorCount = new Int32Array(PRIMES.length);

/**
 * Quantity near `target` that divides `amount` exactly, so that cnt × pric = amount to the fen: the largest
 * divisor of `amount` from 2 to min(99, target), else 1 (`quantityForByScan`, from the amount's prime factors
 * below the limit instead of up to 98 trial divisions).
 */
export function quantityFor(amount: number, target: number): number {
  const limit = Math.max(1, Math.min(99, target));
  if (limit < 2) return 1;
  if (!(amount >= 0 && amount <= 0x7fffffff && Number.isInteger(amount))) return quantityForByScan(amount, target);
  const a = amount | 0;
  if (a === 0) return limit;
  let n = 0;
  for (let i = 0; i < PRIMES.length; i++) {
    const p = PRIMES[i]!;
    if (p > limit) break;
    if (a % p !== 0) continue;
    let k = 1;
    let q = a / p;
    for (let pp = p * p; pp <= limit && q % p === 0; pp *= p) {
      k++;
      q /= p;
    }
    factorPrime[n] = p;
    factorCount[n++] = k;
  }
  return n === 0 ? 1 : largestDivisor(0, n, 1, limit);
}

/** The largest product `acc` × (powers of the factors from `i` on) ≤ `limit`. */
function largestDivisor(i: number, n: number, acc: number, limit: number): number {
  if (i === n) return acc;
  let best = largestDivisor(i + 1, n, acc, limit);
  const p = factorPrime[i]!;
  let x = acc;
  for (let k = 0; k < factorCount[i]!; k++) {
    x *= p;
    if (x > limit) break;
    const d = largestDivisor(i + 1, n, x, limit);
    if (d > best) best = d;
  }
  return best;
}

/** The same by trial division, from the largest quantity down (reference, and amounts beyond 32 bits). */
export function quantityForByScan(amount: number, target: number): number {
  for (let d = Math.max(1, Math.min(99, target)); d > 1; d--) if (amount % d === 0) return d;
  return 1;
}

const ownShares: number[] = [0, 0, 0, 0];
/** Scratch weights by number of parts (1–3) and their split, reused from case to case. */
const WEIGHTS: number[][] = [[], [0], [0, 0], [0, 0, 0]];
const SPLIT: number[] = [0, 0, 0];
const order: number[] = [0, 1, 2, 3];

/**
 * Spread the uncovered amount over the shiftable categories, largest first, at most 90% of each (psn_ownpay is
 * at most 80% of their sum, so it always fits): usually one or two categories carry class-C lines.
 */
function spreadOwnPay(c: SynthCase): void {
  // Largest fee first, ties by position: an insertion sort of four (no comparator closure per case).
  const fee = (j: number): number => c.fees[OWN_PAY_CATEGORIES[j]!]!;
  for (let i = 0; i < 4; i++) order[i] = i;
  for (let i = 1; i < 4; i++) {
    const x = order[i]!;
    let j = i - 1;
    while (j >= 0 && (fee(order[j]!) < fee(x) || (fee(order[j]!) === fee(x) && order[j]! > x))) {
      order[j + 1] = order[j]!;
      j--;
    }
    order[j + 1] = x;
  }
  let left = c.ownPay;
  for (const j of order) {
    const share = Math.min(left, Math.floor(c.fees[OWN_PAY_CATEGORIES[j]!]! * 0.9));
    ownShares[j] = share;
    left -= share;
  }
  if (left > 0) throw new Error(`synth: uncovered amount of ${c.setlId} does not fit its categories`);
}

/**
 * With misbehaviour asked for, one case in `OUT_OF_STAY_EVERY` (chosen by its row, no random draw) has its last line
 * charged outside the stay (入院前、出院后收费): 3 days after the discharge day (even rows) or 2 days before the
 * admission day (odd rows). Returns the planted charge time, for the ground truth.
 */
export const OUT_OF_STAY_EVERY = 500;

export function plantChargeOutsideStay(c: SynthCase, cal: DateTexts, lines: FeeLines): string | null {
  if (c.row % OUT_OF_STAY_EVERY !== OUT_OF_STAY_EVERY >> 1 || lines.length === 0) return null;
  const last = lines.length - 1;
  if (c.row % 2 === 0) {
    lines.day[last] = c.dscgDay + 3;
    lines.minute[last] = 540;
  } else {
    lines.day[last] = c.admDay - 2;
    lines.minute[last] = 960;
  }
  return cal.dateTime(lines.day[last]!, lines.minute[last]!);
}

/** Every catalog item, covered then uncovered; an item's position here is its `index`. */
export const FEE_CATALOG: readonly CatalogItem[] = [
  ...COVERED.flat(),
  ...Object.values(UNCOVERED).filter((x) => x !== undefined),
];
const ITEM_INDEX = new Map(FEE_CATALOG.map((x, i) => [x, i]));

/** Most lines a case can have: up to three per category, plus an uncovered line in four of them. */
const MAX_LINES = FEE_CATEGORIES.length * 3 + OWN_PAY_CATEGORIES.length;

/** The fee lines of one case, as parallel columns (reused from case to case). */
export class FeeLines {
  length = 0;
  /** Index into FEE_CATALOG. */
  readonly item = new Int32Array(MAX_LINES);
  /** Index into FEE_CATEGORIES (med_chrgitm_type). */
  readonly category = new Int32Array(MAX_LINES);
  readonly cnt = new Int32Array(MAX_LINES);
  /** det_item_fee_sumamt in fen; pric = amount / cnt exactly. */
  readonly amount = new Float64Array(MAX_LINES);
  /** fee_ocur_time: day number and minute. */
  readonly day = new Int32Array(MAX_LINES);
  readonly minute = new Int32Array(MAX_LINES);
}

/** The lines of one case (FEE_ITEM_COLUMNS order when written), into `out` (cleared first). */
export function feeItems(c: SynthCase, rng: Rng, out: FeeLines): void {
  out.length = 0;
  spreadOwnPay(c);
  for (let k = 0; k < FEE_CATEGORIES.length; k++) {
    const amount = c.fees[k]!;
    if (amount <= 0) continue;
    const ownIndex = OWN_INDEX[k]!;
    const own = ownIndex >= 0 ? ownShares[ownIndex]! : 0;
    const covered = amount - own;
    const items = COVERED[k]!;
    if (covered > 0) {
      // One line per category for small amounts, two or three for large drug, lab and exam bills.
      // never more lines than the category has items: a catalog item is billed on one line per case
      const drawn = items.length === 1 || covered < 50_000 ? 1 : covered < 300_000 ? rng.int(1, 2) : rng.int(2, 3);
      const parts = Math.min(drawn, items.length);
      const weights = WEIGHTS[parts]!;
      for (let j = 0; j < parts; j++) weights[j] = 0.3 + rng.next();
      const split = SPLIT;
      splitFen(covered, weights, split);
      const first = rng.int(0, items.length - 1);
      for (let j = 0; j < parts; j++) {
        if (split[j]! > 0) line(c, items[(first + j) % items.length]!, split[j]!, k, out);
      }
    }
    if (own > 0) line(c, UNCOVERED[k]!, own, k, out);
  }
}

/** One line: its quantity divides the amount, its charge time lies within the stay (by its position). */
function line(c: SynthCase, it: CatalogItem, amount: number, category: number, out: FeeLines): void {
  const n = out.length++;
  const target = it.perDay ? c.los : Math.round(amount / it.unitFen);
  out.item[n] = ITEM_INDEX.get(it)!;
  out.category[n] = category;
  out.cnt[n] = quantityFor(amount, target);
  out.amount[n] = amount;
  // Per-day items on the discharge day (billed for the stay), the others spread over the days of the stay.
  const days = c.dscgDay - c.admDay + 1;
  const day = it.perDay ? c.dscgDay : c.admDay + ((n * 7) % days);
  out.day[n] = day;
  out.minute[n] = day === c.admDay ? c.admMinute : day === c.dscgDay ? c.dscgMinute : 600;
}

/** The lines as CSV lines (FEE_ITEM_COLUMNS order), appended to `out`. */
export function feeItemCsvLines(c: SynthCase, lines: FeeLines, cal: DateTexts, out: string[]): void {
  for (let n = 0; n < lines.length; n++) {
    const it = FEE_CATALOG[lines.item[n]!]!;
    const cnt = lines.cnt[n]!;
    const amount = lines.amount[n]!;
    out.push(
      `${c.setlId},${it.code},${it.name},${it.cls},${FEE_CATEGORIES[lines.category[n]!]!.code},${cnt},` +
        `${fenText(amount / cnt)},${fenText(amount)},${cal.dateTime(lines.day[n]!, lines.minute[n]!)}`,
    );
  }
}
