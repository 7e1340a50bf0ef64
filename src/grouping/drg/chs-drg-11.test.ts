/**
 * Hand-made cases on the real CHS-DRG 1.1 tables (R-PAY-DRG). Each test names the rule of the reference
 * README (../shared/reference/chs-drg-1.1/README.md, "Grouping semantics" §2–§6) and the boundary it probes.
 * Codes: I63.900 脑梗死 (BR2, exclusion table 96); I60.000 蛛网膜下出血 (MCC, table 96); A01.100 副伤寒甲
 * (MCC, table 1); I64.x00 脑卒中 (CC, table 96); A00.100 霍乱 (CC, table 1); S06.000 脑震荡 (Z 头颈部, table 196);
 * S22.200 胸骨骨折 (Z 胸部); S06.100 创伤性大脑水肿 (Z 头颈部; MCC, table 196); P07.200 极度早产;
 * P22.000 新生儿呼吸窘迫综合征; C61.x00 前列腺恶性肿瘤 (MDC M only); Q56.000 两性畸形 (MDC M and N).
 */
import { describe, expect, it } from 'vitest';
import type { DrgCaseInput } from './case-batch.ts';
import { drgTraceToExplanation } from './explain.ts';
import { groupCase } from './group-case.ts';
import type { DrgOutcome } from './results.ts';
import { referenceKernel } from './testing.ts';
import type { DrgTraceStep } from './trace.ts';

const kernel = referenceKernel();

function group(c: Partial<DrgCaseInput>): string {
  const r: DrgOutcome = groupCase(kernel, { sex: '1', age: 60, diagnoses: '', procedures: '', ...c });
  return `${r.mdc} ${r.adrg} ${r.drg} ${r.status}`;
}

function traced(c: Partial<DrgCaseInput>) {
  return groupCase(kernel, { sex: '1', age: 60, diagnoses: '', procedures: '', ...c }, { trace: true });
}

describe('§5 CC/MCC and the exclusion table (排除表)', () => {
  it('no secondary diagnosis: BR2 without CC/MCC → BR25', () => {
    expect(group({ diagnoses: 'I63.900' })).toBe('MDCB BR2 BR25 SUCCESS');
  });
  it('an MCC from another table counts → BR21', () => {
    expect(group({ diagnoses: 'I63.900|A01.100' })).toBe('MDCB BR2 BR21 SUCCESS');
  });
  it("an MCC in the principal's own table 96 is excluded → BR25", () => {
    expect(group({ diagnoses: 'I63.900|I60.000' })).toBe('MDCB BR2 BR25 SUCCESS');
  });
  it('a CC from another table counts → BR23; a CC in table 96 is excluded → BR25', () => {
    expect(group({ diagnoses: 'I63.900|A00.100' })).toBe('MDCB BR2 BR23 SUCCESS');
    expect(group({ diagnoses: 'I63.900|I64.x00' })).toBe('MDCB BR2 BR25 SUCCESS');
  });
  it('an excluded MCC is not retried as a CC; another CC still gives BR23', () => {
    expect(group({ diagnoses: 'I63.900|I60.000|I64.x00' })).toBe('MDCB BR2 BR25 SUCCESS');
    expect(group({ diagnoses: 'I63.900|I60.000|A00.100' })).toBe('MDCB BR2 BR23 SUCCESS');
  });
  it('the trace names each MCC/CC, its table and why it was excluded', () => {
    const r = traced({ diagnoses: 'I63.900|I60.000|A00.100|E11.900' });
    const secondary = r.trace!.steps.filter(
      (s): s is Extract<DrgTraceStep, { step: 'secondary' }> => s.step === 'secondary',
    );
    expect(secondary.map((s) => [s.position, s.code, s.list, s.table, s.principalTable, s.counted])).toEqual([
      [2, 'I60.000', 'MCC', '96', '96', false],
      [3, 'A00.100', 'CC', '1', '96', true],
    ]);
    const text = drgTraceToExplanation('case T1', r).steps.map((s) => s.zh);
    expect(text.some((t) => t.includes('I60.000') && t.includes('被排除'))).toBe(true);
    expect(text.at(-1)).toContain('分组成功');
  });
});

describe('§3 MDC A (先期分组) gate and fall-through', () => {
  it('a transplant as main procedure groups in MDC A whatever the diagnosis → AA19', () => {
    expect(group({ diagnoses: 'I63.900', procedures: '37.5100' })).toBe('MDCA AA1 AA19 SUCCESS');
  });
  it('the same transplant as a second procedure does not (main procedure only) → BR25', () => {
    expect(group({ diagnoses: 'I63.900', procedures: '47.0901|37.5100' })).toBe('MDCB BR2 BR25 SUCCESS');
  });
  it('an OR procedure enters MDC A, no A rule holds, grouping goes on to MDC B (QY disabled) → BR25', () => {
    const r = traced({ diagnoses: 'I63.900', procedures: '47.0901' });
    expect(`${r.mdc} ${r.adrg} ${r.drg}`).toBe('MDCB BR2 BR25');
    const entered = r.trace!.steps.filter((s) => s.step === 'mdc' && s.entered).map((s) => (s as { mdc: string }).mdc);
    expect(entered).toEqual(['MDCA', 'MDCB']);
  });
});

describe('§3 MDC Z (多发严重创伤): at least two body regions over all diagnoses', () => {
  it('head + chest regions → MDC Z, no OR procedure → ZZ15', () => {
    expect(group({ diagnoses: 'S06.000|S22.200' })).toBe('MDCZ ZZ1 ZZ15 SUCCESS');
  });
  it('the principal and a secondary may come in either order (all diagnoses count)', () => {
    expect(group({ diagnoses: 'S22.200|S06.000' })).toBe('MDCZ ZZ1 ZZ15 SUCCESS');
  });
  it('two head diagnoses are one region: Z fails and the case groups in its organ MDC B', () => {
    expect(group({ diagnoses: 'S06.000|S06.100' })).toBe('MDCB BY1 BY15 SUCCESS');
  });
  it('an MCC from another table splits ZZ1 → ZZ11; S06.100 (table 196 = principal) does not', () => {
    expect(group({ diagnoses: 'S06.000|S22.200|A01.100' })).toBe('MDCZ ZZ1 ZZ11 SUCCESS');
    expect(group({ diagnoses: 'S06.000|S22.200|S06.100' })).toBe('MDCZ ZZ1 ZZ15 SUCCESS');
  });
  it('an OR procedure outside the Z lists fails ZZ1 (no OR procedure) and falls through to MDC B', () => {
    expect(group({ diagnoses: 'S06.000|S22.200', procedures: '47.0900' })).toMatch(/^MDCB /);
  });
});

describe('§2 newborn input check and §3/§4 MDC P age boundaries', () => {
  const newborn = (ageDays: string | number, birthWeightG: string | number, diagnoses = 'P07.200') =>
    group({ sex: '2', age: 0, ageDays, birthWeightG, diagnoses });
  it('age 0, ≤ 28 days, no birth weight → CHECK_FAILED (empty or 0 weight alike)', () => {
    expect(newborn(10, '')).toBe('0000 00 0000 CHECK_FAILED');
    expect(newborn(10, 0)).toBe('0000 00 0000 CHECK_FAILED');
    expect(newborn(28, '')).toBe('0000 00 0000 CHECK_FAILED');
  });
  it('an empty age and empty age in days count as 0 → CHECK_FAILED without weight', () => {
    expect(newborn('', '')).toBe('0000 00 0000 CHECK_FAILED');
    expect(group({ sex: '1', age: '', ageDays: '', birthWeightG: '', diagnoses: 'I63.900' })).toBe(
      '0000 00 0000 CHECK_FAILED',
    );
  });
  it('29 days without weight passes the check and reaches PV1 (infant 29 days – 1 year)', () => {
    expect(newborn(29, '')).toBe('MDCP PV1 PV15 SUCCESS');
  });
  it('age_days 28 is a newborn (PR1, ≤ 28), 29 is not (PV1)', () => {
    expect(newborn(28, 3000, 'P22.000')).toBe('MDCP PR1 PR15 SUCCESS');
    expect(newborn(29, 3000, 'P22.000')).toBe('MDCP PV1 PV15 SUCCESS');
    expect(newborn(28, 1400)).toBe('MDCP PS1 PS15 SUCCESS');
    expect(newborn(29, 1400)).toBe('MDCP PV1 PV15 SUCCESS');
  });
  it('birth-weight bands PS1 < 1500 ≤ PS2 < 2000 ≤ PS3 < 2500 ≤ PS4', () => {
    expect([1499, 1500, 1999, 2000, 2499, 2500].map((w) => newborn(10, w).split(' ')[1])).toEqual([
      'PS1',
      'PS2',
      'PS2',
      'PS3',
      'PS3',
      'PS4',
    ]);
  });
  it('MDC P needs age 0 in years: a one-year-old with a newborn diagnosis fits no MDC → FAIL', () => {
    expect(group({ sex: '1', age: 1, diagnoses: 'P22.000' })).toBe('0000 00 0000 FAIL');
  });
});

describe('§1/§3 sex: MDC M needs sex 1, MDC N sex 2', () => {
  it('C61.x00 with prostatectomy: male → MA19; 男 is read as 1', () => {
    expect(group({ sex: '1', age: 70, diagnoses: 'C61.x00', procedures: '60.5x02' })).toBe('MDCM MA1 MA19 SUCCESS');
    expect(group({ sex: '男', age: 70, diagnoses: 'C61.x00', procedures: '60.5x02' })).toBe('MDCM MA1 MA19 SUCCESS');
  });
  it('the same case with sex 2, 女 or 9 fits no other MDC → FAIL (not a sex-mismatch status, as in the reference)', () => {
    for (const sex of ['2', '女', '9']) {
      expect(group({ sex, age: 70, diagnoses: 'C61.x00', procedures: '60.5x02' })).toBe('0000 00 0000 FAIL');
    }
  });
  it('an empty sex fails the input check', () => {
    expect(group({ sex: '', age: 70, diagnoses: 'C61.x00' })).toBe('0000 00 0000 CHECK_FAILED');
  });
  it('Q56.000 is in both the M and N lists: sex decides', () => {
    expect(group({ sex: '1', age: 30, diagnoses: 'Q56.000' })).toBe('MDCM MZ1 MZ19 SUCCESS');
    expect(group({ sex: '2', age: 30, diagnoses: 'Q56.000' })).toBe('MDCN NZ1 NZ19 SUCCESS');
  });
});

describe('§1 empty and unknown codes', () => {
  it('an empty diagnosis field is one empty code in no list → FAIL, with or without an OR procedure', () => {
    expect(group({ diagnoses: '' })).toBe('0000 00 0000 FAIL');
    expect(group({ diagnoses: '', procedures: '47.0901' })).toBe('0000 00 0000 FAIL');
    expect(group({ diagnoses: [], procedures: [] })).toBe('0000 00 0000 FAIL');
  });
  it('an unknown code is not an error: it matches nothing and the trace notes it', () => {
    const r = traced({ diagnoses: 'I63.900|XYZ.999', procedures: 'QQ.01' });
    expect(r.drg).toBe('BR25');
    expect(r.trace!.codeNotes).toEqual([
      { kind: 'diagnosis', position: 2, code: 'XYZ.999', unknown: true },
      { kind: 'procedure', position: 1, code: 'QQ.01', unknown: true },
    ]);
  });
});
