/**
 * Auxiliary subtypes (辅助目录) of a case: age band, ICU days, comorbidity severity (CCI) and death.
 *
 * DIP 技术规范: "辅助目录……包括疾病严重程度（CCI 指数、死亡）、年龄特征（0–28 天、29 天–1 岁、1–6 岁、7–17 岁、≥65 岁）、
 * 重症监护天数（2–7、8–14、15–30、≥31 天）……同时满足多个的取最高系数". Coefficient = subtype mean cost ÷ group mean
 * cost, used only when triggered (enough cases, coefficient high enough). (R-DIP-5)
 */
import { DISCHARGE_WAY_DEATH, type InpatientCase, isDeathDischarge } from '../../model/case.ts';
import type { HistoryBit } from '../../model/history-keys.ts';
import { charlsonOfDiagnoses } from './cci.ts';
import type { AuxiliaryConfig } from './policy.ts';

export const DEATH = 'death';

/** What the subtypes of a case are read from. */
export type AuxCase = Pick<InpatientCase, 'ageYears' | 'ageDays' | 'icuDays' | 'dischargeWay' | 'diagnoses'>;

/** Age in days when known: the newborn age in days, or whole years × 365 from one year on. */
function ageInDays(c: Pick<InpatientCase, 'ageYears' | 'ageDays'>): number | undefined {
  if (c.ageDays !== undefined && c.ageDays !== null) return c.ageDays;
  return c.ageYears >= 1 ? c.ageYears * 365 : undefined;
}

/** A case's auxiliary subtypes, e.g. ["age:A65", "icu:I2", "cci:C3", "death"]. */
export function auxiliarySubtypes(c: AuxCase, cfg: AuxiliaryConfig, cci?: number): string[] {
  return matcherFor(cfg).subtypes(c, cci);
}

interface CompiledBand {
  key: string;
  from: number;
  to: number;
  days: boolean;
}

/** The bands of a config compiled once (subtype keys built once, not per case). */
export class AuxMatcher {
  /** Subtype keys in bit order: age bands, ICU bands, CCI bands, then death. */
  readonly keys: string[];
  private readonly age: CompiledBand[];
  private readonly icu: CompiledBand[];
  private readonly cci: CompiledBand[];
  private readonly deathBit: number;
  constructor(cfg: AuxiliaryConfig) {
    const compile = (prefix: string, list: readonly { code: string; from: number; to?: number | undefined }[]) =>
      list.map((b) => ({
        key: `${prefix}:${b.code}`,
        from: b.from,
        to: b.to ?? Number.POSITIVE_INFINITY,
        days: false,
      }));
    this.age = cfg.age.map((b) => ({ ...compile('age', [b])[0]!, days: b.unit === 'days' }));
    this.icu = compile('icu', cfg.icuDays);
    this.cci = compile('cci', cfg.cci);
    this.keys = [...this.age, ...this.icu, ...this.cci].map((b) => b.key);
    this.deathBit = cfg.death ? this.keys.push(DEATH) - 1 : -1;
    if (this.keys.length > 31) throw new RangeError('at most 31 auxiliary subtypes');
  }

  /** Bit i set when the case meets subtype keys[i]. */
  mask(c: AuxCase, cci?: number): number {
    let m = 0;
    let bit = 0;
    for (const b of this.age) {
      const v = b.days ? ageInDays(c) : c.ageYears;
      if (v !== undefined && v >= b.from && v <= b.to) m |= 1 << bit;
      bit++;
    }
    if (c.icuDays > 0) {
      for (const b of this.icu) {
        if (c.icuDays >= b.from && c.icuDays <= b.to) m |= 1 << bit;
        bit++;
      }
    } else bit += this.icu.length;
    if (this.cci.length > 0) {
      const score = cci ?? caseCharlson(c);
      for (const b of this.cci) {
        if (score >= b.from && score <= b.to) m |= 1 << bit;
        bit++;
      }
    }
    if (this.deathBit >= 0 && isDeathDischarge(c.dischargeWay)) m |= 1 << this.deathBit;
    return m;
  }

  /**
   * The bits a store sets from a case's own columns (age, ICU days, death: model/history-keys.ts), as `mask` sets
   * them; the CCI bits come from the diagnosis list (`cciMask`).
   */
  storeBits(): HistoryBit[] {
    const out: HistoryBit[] = [];
    const bound = (b: CompiledBand) => (b.to === Number.POSITIVE_INFINITY ? {} : { to: b.to });
    let bit = 0;
    for (const b of this.age)
      out.push({ value: 1 << bit++, of: b.days ? 'age-days' : 'age-years', from: b.from, ...bound(b) });
    for (const b of this.icu) out.push({ value: 1 << bit++, of: 'icu-days', from: b.from, ...bound(b) });
    if (this.deathBit >= 0) out.push({ value: 1 << this.deathBit, of: 'death', way: DISCHARGE_WAY_DEATH });
    return out;
  }

  /** The CCI bits of a Charlson score (the rest of `mask`). */
  cciMask(score: number): number {
    let m = 0;
    let bit = this.age.length + this.icu.length;
    for (const b of this.cci) {
      if (score >= b.from && score <= b.to) m |= 1 << bit;
      bit++;
    }
    return m;
  }

  /** Whether the mask reads the diagnoses (CCI bands). */
  get readsDiagnoses(): boolean {
    return this.cci.length > 0;
  }

  subtypes(c: AuxCase, cci?: number): string[] {
    const m = this.mask(c, cci);
    const out: string[] = [];
    for (let b = 0; b < this.keys.length; b++) if (m & (1 << b)) out.push(this.keys[b]!);
    return out;
  }
}

const MATCHERS = new WeakMap<AuxiliaryConfig, AuxMatcher>();

/** The compiled matcher of a config (cached per config object). */
export function matcherFor(cfg: AuxiliaryConfig): AuxMatcher {
  let m = MATCHERS.get(cfg);
  if (!m) {
    m = new AuxMatcher(cfg);
    MATCHERS.set(cfg, m);
  }
  return m;
}

/** CCI of a case's secondary diagnoses (all but the first). */
export function caseCharlson(c: Pick<InpatientCase, 'diagnoses'>): number {
  if (c.diagnoses.length < 2) return 0;
  return charlsonOfDiagnoses(c.diagnoses, 1);
}

/** Chinese label of a subtype for explanations and reports. */
export function subtypeLabel(subtype: string, cfg: AuxiliaryConfig): string {
  return subtypeWords(subtype, cfg).zh;
}

/**
 * A subtype in both languages: the band's policy names (`zh`, and `en` when the policy gives one, else its Chinese).
 * The English words each start with a lowercase word (`age 65 years and over`, `days in ICU 2–7 days`, `comorbidity
 * index CCI 1–2`, `died in hospital`), so a list of them reads as the English half of a `中文 / English` value.
 */
export function subtypeWords(subtype: string, cfg: AuxiliaryConfig): { zh: string; en: string } {
  if (subtype === DEATH) return { zh: '死亡病例', en: 'died in hospital' };
  const [kind, code] = subtype.split(':') as [string, string];
  const list = kind === 'age' ? cfg.age : kind === 'icu' ? cfg.icuDays : cfg.cci;
  const band = list.find((b) => b.code === code);
  const prefix = kind === 'age' ? '年龄' : kind === 'icu' ? 'ICU 天数' : 'CCI';
  const prefixEn = kind === 'age' ? 'age' : kind === 'icu' ? 'days in ICU' : 'comorbidity index';
  return { zh: `${prefix} ${band?.zh ?? code}`, en: `${prefixEn} ${band?.en ?? band?.zh ?? code}` };
}

/**
 * Subtypes listed in both languages (`年龄 ≥65岁、死亡病例 / age 65 years and over, died in hospital`), shown in the
 * reader's language (`languagePart`); none is 无.
 */
export function subtypesText(items: readonly { subtype: string; suffix?: string }[], cfg: AuxiliaryConfig): string {
  if (items.length === 0) return '无';
  const words = items.map((i) => ({ ...subtypeWords(i.subtype, cfg), suffix: i.suffix ?? '' }));
  return `${words.map((w) => `${w.zh}${w.suffix}`).join('、')} / ${words.map((w) => `${w.en}${w.suffix}`).join(', ')}`;
}
