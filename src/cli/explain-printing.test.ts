/**
 * One explanation, one reading (glossary.md): every command that prints an explanation — `explain case`,
 * `explain settlement`, `dip settle --explain`, `community settle --explain`, `drg case` — prints it through the
 * readable layer, so `dip settle --explain` reads as `explain settlement` (it printed `医院等级 = 3`, `(demo-dip-2025)`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Explanation } from '../model/explain.ts';
import { readableExplanationText } from '../report/readable-explanation.ts';

const SETTLEMENT: Explanation = {
  subject: 'settlement H1 2025 (demo-dip-2025)',
  steps: [
    {
      rule: 'R-BUD-5',
      zh: '年初预付 = 上年度基金支付额 ÷ 12 × 预付月数（四舍五入到分）',
      en: 'advance = last year fund paid ÷ 12 × months (rounded to fen)',
      values: { 上年度基金支付: '1200.00', 医院等级: '3', 预付月数: 1 },
      result: '100.00',
    },
  ],
};

describe('an institution’s settlement explanation as a CLI command prints it', () => {
  it('zh: the point pool and the hospital level in words', () => {
    const zh = readableExplanationText(SETTLEMENT, 'zh');
    expect(zh).toContain('机构结算 H1 2025（点数池 demo-dip-2025）');
    expect(zh).toContain('医院等级 = 三级');
  });
  it('en: the same in English', () => {
    const en = readableExplanationText(SETTLEMENT, 'en');
    expect(en).toContain('settlement H1 2025 (point pool demo-dip-2025)');
    expect(en).toContain('hospital level = level 3');
  });
  it('no command prints an explanation without the readable layer', () => {
    const dir = join(import.meta.dirname, '.');
    const raw = readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .filter((f) => /renderExplanation\(/.test(readFileSync(join(dir, f), 'utf8')));
    expect(raw).toEqual([]);
  });
});
