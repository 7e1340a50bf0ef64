import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DRG_STATUS_TEXT, DRG_STATUSES, drgStatusText, isDrgStatus } from './status.ts';

describe('drgStatusText: a grouper status in the reader’s words (glossary)', () => {
  it('a known status gives its zh and en text', () => {
    expect(drgStatusText('QY', 'zh')).toBe('歧义病例');
    expect(drgStatusText('FAIL', 'en')).toBe('not groupable');
    expect(drgStatusText('SUCCESS', 'zh')).toBe('分组成功');
  });

  it('a string that is no status (a unit status, an inherited object key) gives undefined', () => {
    for (const s of ['settled', 'toString', 'constructor', '__proto__', '', 'success']) {
      expect(isDrgStatus(s)).toBe(false);
      expect(drgStatusText(s, 'zh')).toBeUndefined();
    }
  });

  it('every status of the kernel has a word in both languages', () => {
    for (const s of DRG_STATUSES) {
      expect(isDrgStatus(s)).toBe(true);
      expect(drgStatusText(s, 'zh')).toBe(DRG_STATUS_TEXT[s].zh);
      expect(drgStatusText(s, 'en')).toBe(DRG_STATUS_TEXT[s].en);
    }
  });

  it('property: a word exactly when the string is one of DRG_STATUSES', () => {
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...DRG_STATUSES), fc.string()), (s) => {
        const known = (DRG_STATUSES as readonly string[]).includes(s);
        expect(drgStatusText(s, 'en') !== undefined).toBe(known);
      }),
    );
  });
});
