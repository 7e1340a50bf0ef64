/**
 * Institution coefficients (医院等级系数 / 医疗机构系数), calibrated by level from history or given by policy.
 *
 * DIP 技术规范: "医疗机构等级系数 = 同级别（类别）医疗机构前三年加权次均费用 ÷ 全市前三年加权次均费用"; 基层病种不设系数
 * ("同城同病同价"). 002 四(二): "引入分值系数，综合考虑医院级别、病种结构、医院功能定位等因素，确定医院等级系数". (R-DIP-5)
 * Variant `case-mix`: the level's cost per base point ÷ the city's (the same ratio with the case mix taken out).
 */

import type { Catalog, InstitutionCoefficientEntry } from '../../grouping/dip/catalog.ts';
import { type Institution, type InstitutionLevel, LEVEL_EN, LEVEL_ZH } from '../../model/institution.ts';
import { parseDecimal, type Ratio } from '../../model/money.ts';
import { DipError } from './errors.ts';
import type { DipPolicy } from './policy.ts';

export const LEVELS: readonly InstitutionLevel[] = ['3', '2', '1', 'primary'];

/** A ratio as an integer of 1/10^decimals; an error when it has more decimals (never a silent rounding). */
export function toScaled(r: Ratio, decimals: number, what: string): number {
  const scale = 10n ** BigInt(decimals);
  const n = r.num * scale;
  if (n % r.den !== 0n) {
    throw new DipError(
      'COEFFICIENT_DECIMALS',
      `${what} 的小数位超过 ${decimals} 位`,
      `${what} has more than ${decimals} decimals`,
      what,
    );
  }
  return Number(n / r.den);
}

export interface CoefficientTable {
  decimals: number;
  scale: number;
  byLevel: Map<InstitutionLevel, number>;
  byInstitution: Map<string, number>;
  /** Clause the coefficients come from. */
  source: string;
  origin: 'calibrated' | 'given';
}

/** The table in force: the policy's when given, else the catalog's calibrated entries. */
export function coefficientTable(policy: DipPolicy, catalog: Catalog): CoefficientTable {
  const decimals = policy.coefficientDecimals.value;
  const scale = 10 ** decimals;
  const ic = policy.institutionCoefficient;
  const table: CoefficientTable = {
    decimals,
    scale,
    byLevel: new Map(),
    byInstitution: new Map(),
    source: ic.source,
    origin: ic.value.method === 'given' ? 'given' : 'calibrated',
  };
  if (ic.value.method === 'given') {
    for (const l of LEVELS) table.byLevel.set(l, toScaled(ic.value.byLevel[l], decimals, `等级系数 ${l}`));
    for (const [code, r] of Object.entries(ic.value.byInstitution ?? {})) {
      table.byInstitution.set(code, toScaled(r, decimals, `机构系数 ${code}`));
    }
  } else {
    for (const e of catalog.institutionCoefficients) {
      const v = toScaled(parseDecimal(e.coefficient), decimals, `目录系数 ${e.key}`);
      if (e.scope === 'level') table.byLevel.set(e.key as InstitutionLevel, v);
      else table.byInstitution.set(e.key, v);
    }
  }
  return table;
}

/** The coefficient of an institution: its own when listed, else its level's. */
export function institutionCoefficient(
  table: CoefficientTable,
  inst: Institution,
): { value: number; scope: 'institution' | 'level' } {
  const own = table.byInstitution.get(inst.code);
  if (own !== undefined) return { value: own, scope: 'institution' };
  const lv = table.byLevel.get(inst.level);
  if (lv === undefined) {
    // A published folder (hospital side) cannot calibrate: the coefficients are the agency's, written as given.
    throw new DipError(
      'NO_LEVEL_COEFFICIENT',
      `没有${LEVEL_ZH[inst.level] ?? `${inst.level} 级`}医疗机构的等级系数：在 DIP 政策的 institutionCoefficient 中写明各等级的系数（如 { method: given, byLevel: { "3": 1, "2": 0.9, "1": 0.8, primary: 0.7 } }，取经办机构公布或结算运行测算的值），或在病种目录中给出`,
      `no coefficient for ${LEVEL_EN[inst.level] ?? `level ${inst.level}`} institutions: give each level's coefficient in the DIP policy's institutionCoefficient (e.g. { method: given, byLevel: { "3": 1, "2": 0.9, "1": 0.8, primary: 0.7 } }, the values the agency published or its settlement run derived), or in the catalog`,
      inst.code,
    );
  }
  return { value: lv, scope: 'level' };
}

export function coefficientEntries(table: CoefficientTable): InstitutionCoefficientEntry[] {
  const fmt = (v: number) => (v / table.scale).toFixed(table.decimals);
  return [
    ...LEVELS.filter((l) => table.byLevel.has(l)).map((l) => ({
      scope: 'level' as const,
      key: l,
      coefficient: fmt(table.byLevel.get(l)!),
    })),
    ...[...table.byInstitution.keys()].sort().map((k) => ({
      scope: 'institution' as const,
      key: k,
      coefficient: fmt(table.byInstitution.get(k)!),
    })),
  ];
}
