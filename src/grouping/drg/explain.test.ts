/**
 * R-PAY-DRG: a failed input check of a scheme (CHS-DRG 2.0 ZD_GRAY: a gray principal diagnosis) is explained in the
 * reader's language only — the scheme keeps its check labels as "中文 / English", and zh showed both halves.
 */
import { describe, expect, it } from 'vitest';
import { renderExplanation } from '../../model/explain.ts';
import { drgTraceToExplanation } from './explain.ts';
import type { DrgGroupResult } from './group-case.ts';

const grayPrincipal: DrgGroupResult = {
  mdc: '0000',
  adrg: '00',
  drg: '0000',
  status: 'ZD_GRAY',
  trace: {
    scheme: 'CHS-DRG',
    version: '2.0',
    codeNotes: [],
    steps: [
      { step: 'inputCheck', check: 7, label: '主要诊断为灰码 / principal diagnosis is a gray code', triggered: true },
    ],
  },
};

describe('R-PAY-DRG an input check that failed', () => {
  it('reads 信息校验不通过：主要诊断为灰码 in zh and input check failed: principal diagnosis is a gray code in en', () => {
    const e = drgTraceToExplanation('C1', grayPrincipal);
    expect(e.steps[0]!.zh).toBe('信息校验不通过：主要诊断为灰码');
    expect(e.steps[0]!.en).toBe('input check failed: principal diagnosis is a gray code');
    expect(renderExplanation(e, 'zh')).not.toContain('gray code');
  });
});
