// Fault: the estimate's point-value line read （预测：本院预测：…） — and （预测：预测：…） for a source starting with 预测：
// — because the basis word was put before a published source that already says it.
import { describe, expect, it } from 'vitest';
import { ratio } from '../model/money.ts';
import { pointValueBasis } from './render.ts';

const pv = (basis: 'published' | 'forecast', source: string) => ({ value: ratio(950n), basis, source });

describe('the estimate point-value line says its basis once (R-DIP-6 point value, published or forecast)', () => {
  it('a source that says 预测 itself is not prefixed again (examples/hospital/dip/published.yaml)', () => {
    const text = pointValueBasis(pv('forecast', '本院预测：上年度清算点值 9.62 元/点，按今年点数增长下调'), 'zh');
    expect(text).toBe('（本院预测：上年度清算点值 9.62 元/点，按今年点数增长下调）');
    expect(pointValueBasis(pv('forecast', '预测：按上年度清算点值'), 'zh')).toBe('（预测：按上年度清算点值）');
    expect(pointValueBasis(pv('forecast', '预测：x'), 'zh')).not.toContain('预测：预测');
  });
  it('a source that does not say its basis gets it: 公布 / 预测 in zh, published / forecast in en', () => {
    expect(pointValueBasis(pv('published', '2025 年度清算点值通报'), 'zh')).toBe('（公布：2025 年度清算点值通报）');
    expect(pointValueBasis(pv('forecast', '上年度清算点值'), 'zh')).toBe('（预测：上年度清算点值）');
    expect(pointValueBasis(pv('forecast', '本院预测：上年度清算点值'), 'en')).toBe(
      '(forecast: 本院预测：上年度清算点值)',
    );
    expect(pointValueBasis(pv('forecast', 'forecast from last year'), 'en')).toBe('(forecast from last year)');
    expect(pointValueBasis(pv('published', 'notice 2025/3'), 'en')).toBe('(published: notice 2025/3)');
  });
});
