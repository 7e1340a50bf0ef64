// walk4 #14: the workbench's flag explanation read 限同一机构 = true, 除外计划再入院 = true in zh (the CLI prints 是).
import { describe, expect, it, vi } from 'vitest';

vi.stubGlobal('localStorage', { getItem: () => 'zh', setItem: () => undefined });
vi.stubGlobal('sessionStorage', { getItem: () => null, setItem: () => undefined, removeItem: () => undefined });
// The workbench's own module, typed by web/tsconfig.json (DOM): imported by a path the root program does not follow.
const DOM = '../../web/src/dom.ts';
const { stepValueText } = (await import(DOM)) as {
  stepValueText: (v: string | number | boolean | null | undefined) => string;
};

describe('explanation values in the workbench (zh)', () => {
  it('a flag reads 是 / 否, as `yibao explain flag` prints it; other values as they are', () => {
    expect(stepValueText(true)).toBe('是');
    expect(stepValueText(false)).toBe('否');
    expect(stepValueText(null)).toBe('');
    expect(stepValueText(15)).toBe('15');
    expect(stepValueText('15.944937 元/点')).toBe('15.944937 元/点');
  });
});
