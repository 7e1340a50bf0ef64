/** R-MON-1 institution indicators as tables show them: 次均费用 is money (fen in the store), shown in yuan. */
import { describe, expect, it } from 'vitest';
import { INDICATORS, indicatorShown } from './indicators.ts';
import { evidenceText } from './labels.ts';

describe('R-MON-1 indicators shown in their unit', () => {
  it('次均费用 1,052,222.22 fen reads 10,522.22 yuan; a share or an index stays as it is', () => {
    expect(INDICATORS.costPerCase.zh).toBe('次均费用（元）');
    expect(INDICATORS.costPerCase.en).toBe('cost per case (yuan)');
    expect(indicatorShown('costPerCase', 1_052_222.2222)).toBe(10_522.22);
    expect(indicatorShown('costPerCase', undefined)).toBeUndefined();
    expect(indicatorShown('drugShare', 0.3125)).toBe(0.3125);
    expect(indicatorShown('cmi', 1.05)).toBe(1.05);
    expect(indicatorShown('costPerCaseGrowth', 0.12)).toBe(0.12);
  });
});

describe('R-MON-4 evidence in the words of the settlement list', () => {
  it('an overlapping stay’s times read 2025-04-05 08:00:00 as the list and QC write them, in zh and en', () => {
    const flag = {
      flagId: 'YB-CS-002:OV2',
      ruleId: 'YB-CS-002',
      result: 'violation' as const,
      severity: 'high' as const,
      scope: 'case' as const,
      setlId: 'OV2',
      institutionCode: 'A2',
      period: '2025-04',
      amount: 700_000,
      evidence: { otherSetlId: 'OV1', otherAdmission: '2025-04-01T08:00:00', otherDischarge: '2025-04-10T10:00:00' },
    };
    expect(evidenceText(flag, 'zh')).toBe(
      '重叠结算ID=OV1; 重叠入院时间=2025-04-01 08:00:00; 重叠出院时间=2025-04-10 10:00:00',
    );
    expect(evidenceText(flag, 'en')).toContain('overlapping admission=2025-04-01 08:00:00');
  });
});
