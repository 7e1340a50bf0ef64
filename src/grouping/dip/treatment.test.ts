/** A group label copied from a statement reads back as the group's code (hospital reconcile, R-DIP-2). */
import { describe, expect, it } from 'vitest';
import { groupLabel } from '../../report/labels.ts';
import { dipGroupCodesIn, dipGroupText, groupCodeOf } from './treatment.ts';

describe('groupCodeOf: the statements’ group labels read back', () => {
  it('R-DIP-2: core groups with and without procedures, with names, zh and en; comprehensive groups; others as they are', () => {
    expect(groupCodeOf('K35.8 + 47.0901')).toBe('K35.8|47.0901');
    expect(groupCodeOf('K35.8 阑尾炎 + 47.0901 阑尾切除 + 47.0100 腹腔镜')).toBe('K35.8|47.0901+47.0100');
    expect(groupCodeOf('J18.9（无手术操作）')).toBe('J18.9|');
    expect(groupCodeOf('J18.9 肺炎（无手术操作）')).toBe('J18.9|');
    expect(groupCodeOf('J18.9 (no procedure)')).toBe('J18.9|');
    expect(groupCodeOf('C34 综合病种（保守治疗）')).toBe('C34#conservative');
    expect(groupCodeOf('C34 comprehensive (conservative treatment)')).toBe('C34#conservative');
    expect(groupCodeOf('GZ13')).toBe('GZ13');
    expect(groupCodeOf('K35.8|47.0901')).toBe('K35.8|47.0901');
    expect(groupCodeOf('J18.9|')).toBe('J18.9|');
    // Procedures separated by | too, or with spaces: the same group (it was 分组不同 at 0.00 in reconcile).
    expect(groupCodeOf('S52.5|79.0201|93.5401')).toBe('S52.5|79.0201+93.5401');
    expect(groupCodeOf('S52.5 | 79.0201 + 93.5401')).toBe('S52.5|79.0201+93.5401');
    expect(groupCodeOf('S52.5|79.0201+93.5401')).toBe('S52.5|79.0201+93.5401');
    // Every label the statements print reads back as its code, in both languages.
    const names = new Map([
      ['K35.8', '急性阑尾炎'],
      ['47.0901', '阑尾切除术'],
    ]);
    for (const code of ['K35.8|47.0901', 'J18.9|', 'K35.8|47.0901+47.0100', 'C34#surgery', 'I48#therapeutic'])
      for (const lang of ['zh', 'en'] as const) {
        expect(groupCodeOf(groupLabel(code, lang))).toBe(code);
        expect(groupCodeOf(groupLabel(code, lang, names))).toBe(code);
      }
  });
  it('dipGroupCodesIn: every group code in a text as the statements spell it (estimate and reconcile write one spelling)', () => {
    expect(dipGroupCodesIn('同核心病种 S52.5|79.0201+93.5401 完全一致', 'zh')).toBe(
      '同核心病种 S52.5 + 79.0201 + 93.5401 完全一致',
    );
    expect(dipGroupCodesIn('经办 J18.9|  医院 K35.8|47.0901', 'zh')).toBe(
      '经办 J18.9（无手术操作）  医院 K35.8 + 47.0901',
    );
    expect(dipGroupCodesIn('core group J18.9| and C34#surgery', 'en')).toBe(
      'core group J18.9 (no procedure) and C34 comprehensive (related surgery)',
    );
    expect(dipGroupCodesIn('N18.5|39.9500X001', 'zh')).toBe('N18.5 + 39.9500X001');
    // the same spelling as the statements' groupLabel
    for (const code of ['K35.8|47.0901', 'J18.9|', 'S52.5|79.0201+93.5401', 'C34#surgery', 'I48#therapeutic', 'GZ13'])
      for (const lang of ['zh', 'en'] as const) expect(dipGroupText(code, lang)).toBe(groupLabel(code, lang));
    // DRG codes and other text stay as they are.
    expect(dipGroupCodesIn('GZ13 BR11 a|b', 'zh')).toBe('GZ13 BR11 a|b');
  });
});
