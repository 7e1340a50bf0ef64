import { describe, expect, it } from 'vitest';
import { joinClauses } from './explain.ts';

describe('R-DIP-3 a basis cites each clause once', () => {
  it('a part an earlier source already cites is left out; distinct sources read `a; b` as before', () => {
    // The demo's lowCost and costPaidCases sources both begin with 002 四(二) (walk6: the low-cost basis quoted it twice).
    expect(
      joinClauses(
        '002 四(二) 对于异常低值的病例，按实际费用确定病种分值；DIP 技术规范 2.0 低于同级别标准 50%',
        '002 四(二) 对于异常低值的病例，按实际费用确定病种分值；DIP 技术规范 2.0 低倍率病例按实际费用折算分值',
      ),
    ).toBe(
      '002 四(二) 对于异常低值的病例，按实际费用确定病种分值；DIP 技术规范 2.0 低于同级别标准 50%; DIP 技术规范 2.0 低倍率病例按实际费用折算分值',
    );
    expect(joinClauses('002 四(二)', '002 四(三)')).toBe('002 四(二); 002 四(三)');
    expect(joinClauses('002 四(二)', '002 四(二)')).toBe('002 四(二)');
  });
});
