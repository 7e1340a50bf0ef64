/**
 * glossary.md, one word for one thing: the workbench and the API name a payment method as the statements and the
 * CLI do (the workbench said 按病组付费（DRG） where every statement says 按疾病诊断相关分组付费（DRG）).
 */
import { describe, expect, it } from 'vitest';
import { METHOD_ZH } from '../model/method-names.ts';
import type { MethodId } from '../model/unit-result.ts';
import { label, METHOD } from './labels.ts';

describe('payment methods in the API’s zh labels', () => {
  it('each method reads as in the statements: DIP 按病种分值付费（DIP）, DRG 按疾病诊断相关分组付费（DRG）, …', () => {
    expect(label(METHOD, 'drg')).toBe('按疾病诊断相关分组付费（DRG）');
    expect(label(METHOD, 'dip')).toBe('按病种分值付费（DIP）');
    for (const m of Object.keys(METHOD_ZH) as MethodId[]) expect(label(METHOD, m), m).toBe(METHOD_ZH[m]);
    expect(label(METHOD, 'drg', 'en')).toBe('DRG');
  });
});
