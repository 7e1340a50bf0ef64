import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireChsDrg11Reference } from '../../grouping/drg/reference-dir.ts';
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
