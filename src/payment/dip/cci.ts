/**
 * Charlson comorbidity index (CCI) from secondary diagnoses, for the auxiliary severity subtypes (辅助目录 疾病严重程度).
 * Code data, not policy: the ICD-10 coding of Quan et al. (Med Care 2005;43:1130) with the Charlson weights; the
 * bands that turn a score into a subtype are policy (`auxiliary.cci`).
 *
 * DIP 技术规范: "以 CCI 指数……将病例分为不同严重程度，辅助目录系数 = 该类病例次均费用 ÷ 病种次均费用". (R-DIP-5)
 */
import { normalizeCode } from '../../grouping/dip/codes.ts';

interface Category {
  name: string;
  weight: number;
  /** Normalised ICD-10 prefixes (no dot). */
  prefixes: string[];
}

const r = (letter: string, from: number, to: number, width = 2): string[] => {
  const out: string[] = [];
  for (let i = from; i <= to; i++) out.push(`${letter}${String(i).padStart(width, '0')}`);
  return out;
};
const sub = (base: string, digits: number[]): string[] => digits.map((d) => `${base}${d}`);
const diabetes = (digits: number[]): string[] => ['E10', 'E11', 'E12', 'E13', 'E14'].flatMap((b) => sub(b, digits));

const CATEGORIES: Category[] = [
  { name: 'mi', weight: 1, prefixes: ['I21', 'I22', 'I252'] },
  {
    name: 'chf',
    weight: 1,
    prefixes: ['I099', 'I110', 'I130', 'I132', 'I255', 'I420', ...sub('I42', [5, 6, 7, 8, 9]), 'I43', 'I50', 'P290'],
  },
  {
    name: 'pvd',
    weight: 1,
    prefixes: ['I70', 'I71', 'I731', 'I738', 'I739', 'I771', 'I790', 'I792', 'K551', 'K558', 'K559', 'Z958', 'Z959'],
  },
  { name: 'cvd', weight: 1, prefixes: ['G45', 'G46', 'H340', ...r('I', 60, 69)] },
  { name: 'dementia', weight: 1, prefixes: [...r('F', 0, 3), 'F051', 'G30', 'G311'] },
  { name: 'copd', weight: 1, prefixes: ['I278', 'I279', ...r('J', 40, 47), ...r('J', 60, 67), 'J684', 'J701', 'J703'] },
  { name: 'rheum', weight: 1, prefixes: ['M05', 'M06', 'M315', 'M32', 'M33', 'M34', 'M351', 'M353', 'M360'] },
  { name: 'pud', weight: 1, prefixes: ['K25', 'K26', 'K27', 'K28'] },
  {
    name: 'mild-liver',
    weight: 1,
    prefixes: [
      'B18',
      ...sub('K70', [0, 1, 2, 3, 9]),
      ...sub('K71', [3, 4, 5, 7]),
      'K73',
      'K74',
      ...sub('K76', [0, 2, 3, 4, 8, 9]),
      'Z944',
    ],
  },
  { name: 'diabetes', weight: 1, prefixes: diabetes([0, 1, 6, 8, 9]) },
  { name: 'diabetes-complicated', weight: 2, prefixes: diabetes([2, 3, 4, 5, 7]) },
  {
    name: 'plegia',
    weight: 2,
    prefixes: ['G041', 'G114', 'G801', 'G802', 'G81', 'G82', ...sub('G83', [0, 1, 2, 3, 4, 9])],
  },
  {
    name: 'renal',
    weight: 2,
    prefixes: [
      'I120',
      'I131',
      ...sub('N03', [2, 3, 4, 5, 6, 7]),
      ...sub('N05', [2, 3, 4, 5, 6, 7]),
      'N18',
      'N19',
      'N250',
      ...sub('Z49', [0, 1, 2]),
      'Z940',
      'Z992',
    ],
  },
  {
    name: 'cancer',
    weight: 2,
    prefixes: [
      ...r('C', 0, 26),
      ...r('C', 30, 34),
      ...r('C', 37, 41),
      'C43',
      ...r('C', 45, 58),
      ...r('C', 60, 76),
      ...r('C', 81, 85),
      'C88',
      ...r('C', 90, 97),
    ],
  },
  {
    name: 'severe-liver',
    weight: 3,
    prefixes: ['I850', 'I859', 'I864', 'I982', 'K704', 'K711', 'K721', 'K729', 'K765', 'K766', 'K767'],
  },
  { name: 'metastatic', weight: 6, prefixes: ['C77', 'C78', 'C79', 'C80'] },
  { name: 'hiv', weight: 6, prefixes: ['B20', 'B21', 'B22', 'B24'] },
];

/** When both are present only the more severe counts (Quan 2005 hierarchy). */
const HIERARCHY: [string, string][] = [
  ['mild-liver', 'severe-liver'],
  ['diabetes', 'diabetes-complicated'],
  ['cancer', 'metastatic'],
];

const BY_PREFIX = new Map<string, number>();
CATEGORIES.forEach((c, i) => {
  for (const p of c.prefixes) BY_PREFIX.set(p, i);
});

/** Category index of a normalised diagnosis key, or -1. Prefixes are 3 or 4 characters long. */
function categoryOf(key: string): number {
  return BY_PREFIX.get(key.slice(0, 4)) ?? BY_PREFIX.get(key.slice(0, 3)) ?? -1;
}

/** Charlson score of a list of normalised secondary-diagnosis keys. */
export function charlsonScore(secondaryKeys: readonly string[]): number {
  let mask = 0;
  for (const k of secondaryKeys) {
    const c = categoryOf(k);
    if (c >= 0) mask |= 1 << c;
  }
  return scoreOfMask(mask);
}

const RAW_CACHE = new Map<string, number>();

/** Charlson score of the diagnoses from index `from` on (raw codes, memoised per code). */
export function charlsonOfDiagnoses(diagnoses: readonly { code: string }[], from = 1): number {
  let mask = 0;
  for (let i = from; i < diagnoses.length; i++) {
    const code = diagnoses[i]!.code;
    let c = RAW_CACHE.get(code);
    if (c === undefined) {
      c = categoryOf(normalizeCode(code));
      if (RAW_CACHE.size < 1_000_000) RAW_CACHE.set(code, c);
    }
    if (c >= 0) mask |= 1 << c;
  }
  return scoreOfMask(mask);
}

function scoreOfMask(mask: number): number {
  if (mask === 0) return 0;
  for (const [lower, higher] of HIERARCHY) {
    const li = CATEGORIES.findIndex((c) => c.name === lower);
    const hi = CATEGORIES.findIndex((c) => c.name === higher);
    if (mask & (1 << hi)) mask &= ~(1 << li);
  }
  let score = 0;
  CATEGORIES.forEach((c, i) => {
    if (mask & (1 << i)) score += c.weight;
  });
  return score;
}

/** The Charlson categories found, for explanations. */
export function charlsonCategories(secondaryKeys: readonly string[]): string[] {
  const found = new Set<string>();
  for (const k of secondaryKeys) {
    const c = categoryOf(k);
    if (c >= 0) found.add(CATEGORIES[c]!.name);
  }
  return [...found].sort();
}
