import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { groupCase } from '../../grouping/drg/index.ts';
import { requireChsDrg11Reference, requireChsDrg20Reference } from '../../grouping/drg/reference-dir.ts';
import { reference20Kernel } from '../../grouping/drg/testing.ts';
import { LOW_STANDARD_PROFILE } from '../anomalies.ts';
import { SPECIAL_DISEASES } from '../enrolments.ts';
import { loadSampleCodes, SYNTH_CODE_LISTS } from '../sample-codes.ts';
import {
  ANCHORS,
  anchorKey,
  BAD_DIAGNOSIS_CODES,
  LOW_STANDARD_DIAGNOSES,
  PROFILES,
  SEVERITY,
  UPCODING_MCC_CODES,
} from './index.ts';

const codes = loadSampleCodes();

/** Every diagnosis and procedure code a profile can put on a case. */
function codesOf(): { dx: Set<string>; proc: Set<string> } {
  const dx = new Set<string>();
  const proc = new Set<string>();
  for (const p of [...PROFILES, LOW_STANDARD_PROFILE]) {
    for (const [c] of [...p.principal, ...p.secondary, ...(p.companion ?? [])]) dx.add(c);
    for (const [, c] of p.newborn?.principalByWeight ?? []) dx.add(c);
    for (const o of p.options) {
      for (const c of o.procs) proc.add(c);
      for (const [c] of o.extra ?? []) proc.add(c);
    }
  }
  for (const c of UPCODING_MCC_CODES) dx.add(c);
  for (const [c] of LOW_STANDARD_DIAGNOSES) dx.add(c);
  for (const c of ['O80.000', 'N40.x00', 'P07.101', 'J96.900x001']) dx.add(c); // used by bad rows and ICU
  return { dx, proc };
}

describe('clinical profiles', () => {
  it('use only codes of the sample code list', () => {
    const { dx, proc } = codesOf();
    expect([...dx].filter((c) => !codes.diagnoses.has(c))).toEqual([]);
    expect([...proc].filter((c) => !codes.procedures.has(c))).toEqual([]);
    for (const key of Object.keys(SEVERITY)) expect(codes.diagnoses.has(key.split('|')[1]!)).toBe(true);
  });

  it('keep the bad-row codes out of the sample list', () => {
    for (const c of BAD_DIAGNOSIS_CODES) expect(codes.diagnoses.has(c)).toBe(false);
  });

  it('have unique ids, positive weights, ordered ages and stays, and a cost anchor for every option', () => {
    const ids = new Set<string>();
    for (const p of PROFILES) {
      expect(ids.has(p.id)).toBe(false);
      ids.add(p.id);
      expect(p.weight).toBeGreaterThan(0);
      expect(p.male).toBeGreaterThanOrEqual(0);
      expect(p.male).toBeLessThanOrEqual(1);
      const [a0, a1, a2] = p.ages;
      expect(a0 <= a1 && a1 <= a2).toBe(true);
      for (const los of [p.los, ...p.options.map((o) => o.los ?? p.los)]) {
        expect(los[0] >= 1 && los[0] <= los[1] && los[1] <= los[2]).toBe(true);
      }
      const keys = new Set(p.options.map((o) => o.key));
      expect(keys.size).toBe(p.options.length);
      for (const o of p.options) {
        const anchor = ANCHORS[anchorKey(p.id, o.key)];
        expect(anchor, `${p.id}/${o.key}`).toBeDefined();
        expect(anchor!.rw).toBeGreaterThan(0);
        expect(anchor!.mcc).toBeGreaterThanOrEqual(anchor!.cc);
      }
    }
  });

  it('include sex-specific, newborn, bed-day and single-disease profiles', () => {
    const byId = new Map(PROFILES.map((p) => [p.id, p]));
    const principal = (id: string) => byId.get(id)!.principal.map(([c]) => c);
    expect(principal('vaginal-delivery')).toContain('O80.000');
    expect(principal('caesarean-delivery')).toContain('O82.000');
    for (const id of ['vaginal-delivery', 'caesarean-delivery', 'uterine-fibroid']) expect(byId.get(id)!.male).toBe(0);
    expect(principal('prostatic-hyperplasia')).toEqual(['N40.x00']);
    expect(byId.get('prostatic-hyperplasia')!.male).toBe(1);
    const newborn = PROFILES.filter((p) => p.newborn);
    expect(newborn.some((p) => p.principal.some(([c]) => c.startsWith('P07')))).toBe(true);
    expect(newborn.some((p) => p.principal.some(([c]) => c.startsWith('P59')))).toBe(true);
    for (const p of newborn) expect(p.ages).toEqual([0, 0, 0]);
    const bedDay = PROFILES.filter((p) => p.perDiemYuan).map((p) => p.line);
    expect(new Set(bedDay)).toEqual(new Set(['psychiatric', 'rehabilitation', 'hospice']));
    expect(principal('schizophrenia').some((c) => c.startsWith('F20'))).toBe(true);
    expect(principal('depression').some((c) => c.startsWith('F32'))).toBe(true);
    const single = PROFILES.filter((p) => p.singleDisease).map((p) => p.id);
    for (const id of ['cataract', 'appendicitis', 'inguinal-hernia', 'vaginal-delivery', 'caesarean-delivery']) {
      expect(single).toContain(id);
    }
    expect(PROFILES.some((p) => p.options.some((o) => o.day))).toBe(true);
  });

  it('carry MCC and CC comorbidities such as E11.900, I10.x00, J96.900x001 and N18.500', () => {
    const secondary = new Set(PROFILES.flatMap((p) => p.secondary.map(([c]) => c)));
    for (const c of ['E11.900', 'I10.x00', 'J96.900x001']) expect(secondary).toContain(c);
    expect(PROFILES.some((p) => p.principal.some(([c]) => c === 'N18.500'))).toBe(true);
    expect(Object.values(SEVERITY)).toContain('mcc');
    expect(Object.values(SEVERITY)).toContain('cc');
  });

  it('describe special diseases of both classes with unique codes', () => {
    expect(new Set(SPECIAL_DISEASES.map((d) => d.code)).size).toBe(SPECIAL_DISEASES.length);
    expect(SPECIAL_DISEASES.some((d) => d.diseaseClass === 1)).toBe(true);
    expect(SPECIAL_DISEASES.some((d) => d.diseaseClass === 2)).toBe(true);
  });
});

describe('sample code list (src/codes/sample)', () => {
  it('holds 150–250 diagnoses and 80–150 procedures with a procedure type each', () => {
    expect(codes.diagnoses.size).toBeGreaterThanOrEqual(150);
    expect(codes.diagnoses.size).toBeLessThanOrEqual(250);
    expect(codes.procedures.size).toBeGreaterThanOrEqual(80);
    expect(codes.procedures.size).toBeLessThanOrEqual(150);
    const types = new Set([...codes.procedures.values()].map((p) => p.type));
    expect(types).toEqual(new Set(['surgery', 'interventional', 'therapeutic', 'diagnostic']));
  });

  it('contains every code of the smaller demo lists beside it (icd10.csv, icd9.csv)', () => {
    for (const [file, map] of [
      ['icd10.csv', codes.diagnoses],
      ['icd9.csv', codes.procedures],
    ] as const) {
      const path = join(SYNTH_CODE_LISTS.icd10, '..', file);
      if (!existsSync(path)) continue;
      const listed = readFileSync(path, 'utf8')
        .split('\n')
        .slice(1)
        .filter(Boolean)
        .map((l) => l.split(',')[0]!);
      expect(listed.filter((c) => !map.has(c))).toEqual([]);
    }
  });

  it('uses only codes of the national 医保版 2.0 lists (needs ../shared; fails without it)', () => {
    const reference = requireChsDrg11Reference();
    const national = (file: string) =>
      new Set(
        readFileSync(join(reference, file), 'utf8')
          .split('\n')
          .slice(1)
          .map((l) => l.split(',')[0]!),
      );
    const icd10 = national('icd10.csv');
    const icd9 = national('icd9.csv');
    expect([...codes.diagnoses.keys()].filter((c) => !icd10.has(c))).toEqual([]);
    expect([...codes.procedures.keys()].filter((c) => !icd9.has(c))).toEqual([]);
  });
});

/**
 * CHS-DRG 2.0 readiness (issue 12): the generator codes cases as a 2.0 region would, so that the demo settles by
 * 2.0. 2.0 refuses a gray (non-leaf) or invalid principal diagnosis and a gray main procedure
 * (../shared/reference/chs-drg-2.0/README.md §3), so no profile may put one there.
 */
describe('clinical profiles under CHS-DRG 2.0 (needs ../shared; fails without it)', () => {
  const reference = requireChsDrg20Reference();
  const list = (file: string) =>
    new Set(readFileSync(join(reference, file), 'utf8').split('\n').slice(1).filter(Boolean));
  const commonest = (items: readonly (readonly [string, number])[]): string =>
    [...items].sort((a, b) => b[1] - a[1])[0]![0];

  it('put no 2.0 gray or invalid principal diagnosis and no gray main procedure (99.1000, which 2.0 allows, aside)', () => {
    const grayDx = list('icd10_gray.csv');
    const invalidDx = list('zd_invalid.csv');
    const allowed = new Set(
      (JSON.parse(readFileSync(join(reference, 'mdc.json'), 'utf8')) as { allowed_gray_main_procedures: string[] })
        .allowed_gray_main_procedures,
    );
    const grayProc = new Set([...list('icd9_gray.csv')].filter((c) => !allowed.has(c)));
    const bad: string[] = [];
    for (const p of PROFILES) {
      const principals = [...p.principal.map(([c]) => c), ...(p.newborn?.principalByWeight ?? []).map(([, c]) => c)];
      for (const c of principals) {
        if (grayDx.has(c)) bad.push(`${p.id}: principal ${c} is a gray code (ZD_GRAY)`);
        if (invalidDx.has(c)) bad.push(`${p.id}: principal ${c} is not allowed as principal (ZD_NOT_VALID)`);
      }
      for (const o of p.options) {
        // The main procedure: the option's first, or (conservative options) any extra that can come first.
        const mains = o.procs.length > 0 ? [o.procs[0]!] : (o.extra ?? []).map(([c]) => c);
        for (const c of mains)
          if (grayProc.has(c)) bad.push(`${p.id}/${o.key}: main procedure ${c} is a gray code (SS_GRAY)`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('group every option’s typical case under 2.0; only COPD + NIV is QY', () => {
    const kernel = reference20Kernel();
    const notGrouped: string[] = [];
    // Profiles paid per bed-day (psychiatric, rehabilitation, hospice) are left out: their therapy codes make a
    // short stay that misses the per-bed-day rule QY under 2.0, as a real one would be.
    for (const p of PROFILES.filter((x) => !x.perDiemYuan)) {
      const secondary = p.secondary.filter(([, prob]) => prob >= 0.7).map(([c]) => c);
      for (const o of p.options) {
        const r = groupCase(kernel, {
          sex: p.male >= 0.5 ? '1' : '2',
          age: p.newborn ? 0 : p.ages[1],
          ageDays: p.newborn ? p.newborn.days[1] : null,
          birthWeightG: p.newborn ? p.newborn.weightG[1] : null,
          diagnoses: [commonest(p.principal), ...(p.companion ? [commonest(p.companion)] : []), ...secondary],
          procedures: o.procs,
        });
        if (r.status !== 'SUCCESS') notGrouped.push(`${p.id}/${o.key}: ${r.status}`);
      }
    }
    // COPD with non-invasive ventilation: 2.0 puts NIV under EK2 only with a respiratory-failure principal
    // diagnosis; with J44.1 as principal the NIV main procedure makes the medical ADRG ET2 ambiguous (QY).
    expect(notGrouped).toEqual(['copd-exacerbation/niv: QY']);
  });
});
