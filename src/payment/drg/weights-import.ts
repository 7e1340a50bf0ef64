/**
 * Import published relative weights (e.g. a city's `drg,rw` table) instead of calibrating them. The reference cost
 * of each DRG (for outlier thresholds) is RW × a reference base rate, as a region publishes them together
 * (e.g. Harbin 2024: GZ13 RW 0.5418 × 12,252.70 元 = 6,638.51 元).
 */
import { divRound, type Fen, parseDecimal, type Ratio, ratio } from '../../model/money.ts';
import type { DrgWeight, DrgWeightTable } from './types.ts';

export interface WeightImport {
  table: DrgWeightTable;
  /** Codes in the file that the grouping scheme does not know (reported, not dropped silently). */
  unknownCodes: string[];
  /** Rows that could not be read: line number and reason. */
  rejected: { line: number; reason: string }[];
}

function rowProblem(
  code: string | undefined,
  rwText: string | undefined,
  extra: number,
  seen: ReadonlyMap<string, DrgWeight>,
): string | null {
  if (!code || !rwText || extra > 0) return 'expected two columns drg,rw';
  let rw: Ratio;
  try {
    rw = parseDecimal(rwText);
  } catch {
    return `rw "${rwText}" is not a decimal number`;
  }
  if (rw.num <= 0n) return 'rw must be > 0';
  if (seen.has(code)) return `duplicate DRG ${code}`;
  return null;
}

/** Parse `drg,rw` text (header required). `referenceBaseRate` is in fen per RW. */
export function importWeights(
  text: string,
  referenceBaseRate: Fen,
  source: string,
  knownDrgs?: ReadonlySet<string>,
): WeightImport {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '')
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase();
  if (header !== 'drg,rw') throw new SyntaxError(`${source}: expected the header "drg,rw", got "${header}"`);
  const weights = new Map<string, DrgWeight>();
  const rejected: { line: number; reason: string }[] = [];
  const unknownCodes: string[] = [];
  for (const [i, line] of lines.slice(1).entries()) {
    if (line.trim() === '') continue;
    const [code, rwText, ...rest] = line.split(',').map((s) => s.trim());
    const lineNo = i + 2;
    const reason = rowProblem(code, rwText, rest.length, weights);
    if (reason) {
      rejected.push({ line: lineNo, reason });
      continue;
    }
    const rw = parseDecimal(rwText!);
    if (knownDrgs && !knownDrgs.has(code!)) unknownCodes.push(code!);
    const meanCost = Number(divRound(BigInt(referenceBaseRate) * rw.num, rw.den, 'half-up'));
    const meanCostExact = ratio(BigInt(referenceBaseRate) * rw.num, rw.den);
    weights.set(code!, { drg: code!, rw, meanCost, meanCostExact, cases: 0, cv: 0 });
  }
  return { table: { source, weights, overallMean: referenceBaseRate }, unknownCodes, rejected };
}
