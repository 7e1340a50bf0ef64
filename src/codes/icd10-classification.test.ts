// R-DATA-1 sex- and age-specific diagnoses (性别与诊断、年龄与诊断): the classification facts as data, checked
// at their boundaries, the same way the ingest QC applies them in SQL.
import { describe, expect, it } from 'vitest';
import {
  AGE_SPECIFIC_RANGES,
  ageConflict,
  normaliseCode,
  SEX_SPECIFIC_RANGES,
  sexConflict,
} from './icd10-classification.ts';

describe('R-DATA-1 ICD-10 sex-specific ranges', () => {
  it('every range is well formed, cites its source and names itself in Chinese and English', () => {
    for (const r of [...SEX_SPECIFIC_RANGES, ...AGE_SPECIFIC_RANGES]) {
      expect(normaliseCode(r.from) <= normaliseCode(r.to)).toBe(true);
      expect(r.source.length).toBeGreaterThan(10);
      expect(r.zh && r.en).toBeTruthy();
    }
  });

  it('O00–O99, N70–N98 and C51–C58 are female only; N40–N51 and C60–C63 male only (block boundaries)', () => {
    expect(sexConflict('O00.000', '1')?.from).toBe('O00');
    expect(sexConflict('O99.800', '1')?.from).toBe('O00');
    expect(sexConflict('O80.000', '2')).toBeUndefined();
    expect(sexConflict('N70.000', '1')?.from).toBe('N70');
    expect(sexConflict('N98.900', '1')?.from).toBe('N80');
    expect(sexConflict('N99.000', '1')).toBeUndefined(); // N99 is not sex-specific
    expect(sexConflict('C58.x00', '1')?.from).toBe('C51');
    expect(sexConflict('C59', '1')).toBeUndefined();
    expect(sexConflict('N40.x00', '2')?.from).toBe('N40');
    expect(sexConflict('N51.000', '2')?.from).toBe('N40');
    expect(sexConflict('N52.000', '2')).toBeUndefined();
    expect(sexConflict('C63.900', '2')?.from).toBe('C60');
    expect(sexConflict('C64.x00', '2')).toBeUndefined();
  });

  it('splits a category at four characters: D07.0–D07.3 female, D07.4–D07.6 male', () => {
    expect(sexConflict('D07.300', '1')?.from).toBe('D07.0');
    expect(sexConflict('D07.300', '2')).toBeUndefined();
    expect(sexConflict('D07.400', '2')?.from).toBe('D07.4');
    expect(sexConflict('d07.4', '1')).toBeUndefined();
  });

  it('unknown sex (9) never conflicts', () => {
    expect(sexConflict('O80.000', '9')).toBeUndefined();
  });
});

describe('R-DATA-1 ICD-10 age-specific ranges', () => {
  it('P00–P96 only under one year: age 0 passes, 1 fails', () => {
    expect(ageConflict('P07.300', 0)).toBeUndefined();
    expect(ageConflict('P96.900', 1)?.from).toBe('P00');
    expect(ageConflict('Q21.000', 30)).toBeUndefined();
  });

  it('O00–O99 at ages 10–55: 10 and 55 pass, 9 and 56 fail', () => {
    expect(ageConflict('O80.000', 10)).toBeUndefined();
    expect(ageConflict('O80.000', 55)).toBeUndefined();
    expect(ageConflict('O80.000', 9)?.from).toBe('O00');
    expect(ageConflict('O80.000', 56)?.from).toBe('O00');
  });
});
