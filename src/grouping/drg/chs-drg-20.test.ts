/**
 * Hand-traced cases on the real CHS-DRG 2.0 tables (R-PAY-DRG, issue 12). Each test names the section of the
 * reference README (../shared/reference/chs-drg-2.0/README.md) whose rule it probes; the expectations are
 * worked out from the rule text and the tables, not from the grouper.
 */
import { describe, expect, it } from 'vitest';
import type { DrgCaseInput } from './case-batch.ts';
import { groupCase } from './group-case.ts';
import { reference20Kernel } from './testing.ts';

const kernel = reference20Kernel();

function group(c: Partial<DrgCaseInput>): string {
  const r = groupCase(kernel, { sex: '1', age: 45, diagnoses: '', procedures: '', ...c });
  return `${r.mdc} ${r.adrg} ${r.drg} ${r.status}`;
}

describe('CHS-DRG 2.0 semantics (reference README)', () => {
  it("§9.1 the source's own test: K80.101, I50.900 / 51.2300, male 45 → MDCH HC2 HC23", () => {
    expect(group({ diagnoses: 'K80.101|I50.900', procedures: '51.2300' })).toBe('MDCH HC2 HC23 SUCCESS');
  });

  it('§3.1 field checks: empty sex is allowed; 男 / 3 / age with age_days / weight 0 are CHECK_FAILED', () => {
    expect(group({ sex: '', diagnoses: 'K80.101|I50.900', procedures: '51.2300' })).toBe('MDCH HC2 HC23 SUCCESS');
    expect(group({ sex: '男', diagnoses: 'K80.101' })).toBe('0000 00 0000 CHECK_FAILED');
    expect(group({ sex: '3', diagnoses: 'K80.101' })).toBe('0000 00 0000 CHECK_FAILED');
    expect(group({ age: 1, ageDays: 20, diagnoses: 'K80.101' })).toBe('0000 00 0000 CHECK_FAILED');
    expect(group({ age: '', ageDays: 20, birthWeightG: 0, diagnoses: 'K80.101' })).toBe('0000 00 0000 CHECK_FAILED');
    expect(group({ age: 'abc', diagnoses: 'K80.101' })).toBe('0000 00 0000 CHECK_FAILED');
  });

  it('§3.2–3.5 no diagnosis, gray and invalid principal diagnosis, gray main procedure (99.1000 allowed)', () => {
    expect(group({ diagnoses: ' | ' })).toBe('0000 00 0000 NO_DIAGNOSIS');
    expect(group({ diagnoses: 'K80.100' })).toBe('0000 00 0000 ZD_GRAY');
    expect(group({ diagnoses: 'Z92.100' })).toBe('0000 00 0000 ZD_NOT_VALID');
    expect(group({ diagnoses: 'K80.101', procedures: '00.0100' })).toBe('0000 00 0000 SS_GRAY');
    expect(group({ diagnoses: 'K80.101', procedures: '99.1000' })).not.toContain('SS_GRAY');
  });

  it('§3.6 an ss_invalid main procedure is cleared, not replaced by the next one (medical-only then)', () => {
    // 88.3800x015 (CT) is not allowed as main procedure: the slot is cleared and 51.2300 is not promoted, so
    // HC2 (main procedure 胆囊切除) cannot match and only medical ADRGs of MDC H are tried.
    const r = group({ diagnoses: 'K80.101', procedures: '88.3800x015|51.2300' });
    expect(r).toMatch(/^MDCH H[R-Z]/);
  });

  it('§4 no fall-through: the first MDC holding the principal diagnosis is final (FAIL with the MDC kept)', () => {
    // O84.000 is in MDC O; without procedure and without a Z37 secondary it reaches no O ADRG (README §10).
    expect(group({ sex: '2', age: 30, diagnoses: 'O84.000' })).toBe('MDCO 00 0000 FAIL');
  });

  it('§4 QY: a medical ADRG matched while a main procedure is present gives <letter>QY', () => {
    // I50.900 心力衰竭 → medical FR2; an unrelated main procedure (51.2300 胆囊切除) makes it FQY, while
    // 80.2600 is on ss_invalid.csv: cleared, so the case stays FR2.
    expect(group({ diagnoses: 'I50.900', procedures: '51.2300' })).toBe('MDCF FQY FQY QY');
    expect(group({ diagnoses: 'I50.900', procedures: '80.2600' })).toBe('MDCF FR2 FR25 SUCCESS');
  });

  it('§6 CC/MCC exclusion: the 2.0 tables decide the split', () => {
    const base = group({ diagnoses: 'K80.101', procedures: '51.2300' });
    expect(base).toBe('MDCH HC2 HC25 SUCCESS');
  });
});
