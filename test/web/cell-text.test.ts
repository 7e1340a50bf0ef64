// The workbench's run list showed the year 2025 as "2,025": every int cell took thousands separators.
import { describe, expect, it, vi } from 'vitest';

vi.stubGlobal('localStorage', { getItem: () => 'zh', setItem: () => undefined });
vi.stubGlobal('sessionStorage', { getItem: () => null, setItem: () => undefined, removeItem: () => undefined });
type Column = {
  key: string;
  kind: 'text' | 'int' | 'money' | 'points' | 'decimal';
  zh: string;
  en: string;
  sum?: boolean;
};
// The workbench's own module, typed by web/tsconfig.json (DOM): imported by a path the root program does not follow.
const DOM = '../../web/src/dom.ts';
const { cellText } = (await import(DOM)) as { cellText: (c: Column, v: string | number | null) => string };

describe('workbench cells', () => {
  it('a count takes thousands separators; a number that names something (a year, sum: false) stays as it is', () => {
    expect(cellText({ key: 'cases', kind: 'int', zh: '病例数', en: 'cases' }, 12345)).toBe('12,345');
    expect(cellText({ key: 'year', kind: 'int', zh: '年度', en: 'year', sum: false }, 2025)).toBe('2025');
  });
});

// The overview showed a month's points as 6099466.3916 beside yuan with separators (3,012,345.67).
describe('workbench points', () => {
  const pts: Column = { key: 'points', kind: 'points', zh: '点数', en: 'points' };
  it('points (integers of 0.0001 point) with thousands separators and four decimals, as money', () => {
    expect(cellText(pts, 60_994_663_916)).toBe('6,099,466.3916');
    expect(cellText(pts, 3_500)).toBe('0.3500');
    expect(cellText(pts, -12_345_678)).toBe('-1,234.5678');
    expect(cellText(pts, 0)).toBe('0.0000');
  });
});
