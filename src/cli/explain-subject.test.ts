import { describe, expect, it } from 'vitest';
import { unitSubject } from './explain-commands.ts';

// `yibao explain case P001/M03900/2024-01-01` printed 病例 P001/M03900/2024-01-01（按人头付费，…）: a capitation head
// is a 人头 (R-CAP-3 四(一)2 人头), not an inpatient case (glossary: 病例 = one inpatient settlement).
describe('explain case: the subject names a head as 人头 and a case as 病例', () => {
  it('a capitation or family-doctor head is 人头 / head', () => {
    expect(unitSubject('P001/M03900/2024-01-01 (capitation, R1)', { lang: 'zh' })).toBe(
      '人头 P001/M03900/2024-01-01 (capitation, R1)',
    );
    expect(unitSubject('P001/fd/2025 (family-doctor, R1)', { lang: 'en' })).toBe(
      'head P001/fd/2025 (family-doctor, R1)',
    );
  });

  it('an inpatient case stays 病例 / case, whatever its method', () => {
    expect(unitSubject('S2025004 (per-diem, R1)', { lang: 'zh' })).toBe('病例 S2025004 (per-diem, R1)');
    expect(unitSubject('S2025001 (dip, R1)', { lang: 'en' })).toBe('case S2025001 (dip, R1)');
  });
});
