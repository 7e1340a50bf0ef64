/**
 * The DIP catalog (病种分值目录库): core and comprehensive groups with their scores, auxiliary coefficients and the
 * institution coefficients, versioned and hashed so that every case result names the catalog that scored it.
 * Plain JSON: coefficients are decimal texts, exact ratios are "num/den" texts.
 *
 * 002 四(二): "形成本地病种分值目录核心病种与综合病种库……建立分值浮动机制，根据运行监测情况，对病种、分值等进行动态调整。" (R-DIP-1, R-DIP-7)
 */
import { createHash } from 'node:crypto';
import type { Fen, Ratio } from '../model/money.ts';
import { ratio } from '../model/money.ts';
import type { Points } from '../model/points.ts';
import type { TreatmentType } from './treatment.ts';

export const CATALOG_FORMAT = 'yibao-dip-catalog/1';

export interface AuxiliaryCoefficient {
  /** e.g. "age:A65", "icu:I2", "cci:C3", "death". */
  subtype: string;
  /** Decimal text, e.g. "1.2345". */
  coefficient: string;
  cases: number;
  /** With a CV trigger: how much splitting the subtype off lowered the group's CV (share, 4 decimals). */
  cvReduction?: string;
}

export interface CatalogGroup {
  /** Core "K35.8|47.0901+54.2100" (no procedure: "J18.9|"); comprehensive "K35#surgery". */
  code: string;
  kind: 'core' | 'comprehensive';
  /** Shown diagnosis: 亚目 "K35.8" for core groups, 类目 "K35" for comprehensive groups. */
  dx: string;
  /** Shown procedure codes of a core group, sorted; empty for comprehensive groups. */
  procedures: string[];
  treatment: TreatmentType;
  name?: string;
  /** The publisher's own code of an imported group (e.g. "DIP0001"). */
  officialCode?: string;
  /** 病种分值 (0.0001 points). */
  score: Points;
  /** History cases (before trimming). */
  cases: number;
  /** Cases left after trimming, on which the mean and CV are computed. */
  trimmedCases: number;
  /** Year-weighted mean cost, fen (half-up), for reports. */
  meanCost: Fen;
  /** Coefficient of variation of cost (4 decimals), null when unknown (imported). */
  cv: number | null;
  /** 基层病种: no institution coefficient. */
  primaryCare: boolean;
  auxiliary: AuxiliaryCoefficient[];
  /** "high-cv", "low-volume", "primary-care-high-cv". */
  flags: string[];
}

export interface InstitutionCoefficientEntry {
  scope: 'level' | 'institution';
  /** Level ("3", "2", "1", "primary") or institution code. */
  key: string;
  coefficient: string;
}

export interface CatalogWarning {
  code: string;
  zh: string;
  en: string;
  subject?: string;
}

export interface Catalog {
  format: typeof CATALOG_FORMAT;
  id: string;
  /** `${policy version}+${hash prefix}` for a calibrated catalog; as given for an imported one. */
  version: string;
  region: string;
  origin: 'calibrated' | 'imported';
  policyId?: string;
  years: number[];
  weights: string[];
  scale: number;
  /** M of the score (mean cost of all cases, a benchmark group's mean, or fixed), fen; null when imported. */
  basisMeanCost: Fen | null;
  coefficientDecimals: number;
  /** Reference point value for deviating cases, fen per point as "num/den", when known. */
  referencePointValue: string | null;
  institutionCoefficients: InstitutionCoefficientEntry[];
  groups: CatalogGroup[];
  warnings: CatalogWarning[];
  /** sha256 of the catalog's content (see `catalogHash`). */
  hash: string;
}

export function ratioToText(r: Ratio): string {
  return `${r.num}/${r.den}`;
}

export function ratioFromText(text: string): Ratio {
  const m = /^(-?\d+)\/(\d+)$/.exec(text);
  if (!m) throw new SyntaxError(`not a ratio "num/den": ${text}`);
  return ratio(BigInt(m[1]!), BigInt(m[2]!));
}

/** A ratio rounded half-up to `decimals` places as decimal text ("1.2345"). */
export function ratioToDecimal(r: Ratio, decimals: number): string {
  const scale = 10n ** BigInt(decimals);
  const num = r.num * scale;
  let q = num / r.den;
  const rem = num % r.den;
  if (rem * 2n >= r.den) q += 1n;
  const s = q.toString().padStart(decimals + 1, '0');
  return decimals > 0 ? `${s.slice(0, -decimals)}.${s.slice(-decimals)}` : s;
}

/**
 * sha256 of the catalog's content: its JSON (keys in the fixed order the builders write) without `version` and
 * `hash`, so that the version can carry a prefix of the hash.
 */
export function catalogHash(c: Omit<Catalog, 'hash' | 'version'> & { hash?: string; version?: string }): string {
  const { hash: _h, version: _v, ...rest } = c;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex');
}

export function coreGroupCode(dxShown: string, proceduresShown: readonly string[]): string {
  return `${dxShown}|${proceduresShown.join('+')}`;
}

export function comprehensiveGroupCode(dx3: string, treatment: TreatmentType): string {
  return `${dx3}#${treatment}`;
}
