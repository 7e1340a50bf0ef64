/**
 * Money in terminal text carries its unit: 1234.56 元 in zh, 1234.56 yuan in en (a bare figure beside points and
 * coefficients reads as any of them). `yuanText` writes one; `moneyWithoutUnit` is the tests' check of a whole text.
 */
import { type Fen, fenToYuan } from '../model/money.ts';

/** Fen as yuan with its unit in the reader's language: 123456 → "1234.56 元" / "1234.56 yuan". */
export function yuanText(fen: Fen, lang: 'zh' | 'en'): string {
  return `${fenToYuan(fen)} ${lang === 'zh' ? '元' : 'yuan'}`;
}

/** A figure with exactly two decimals (how fenToYuan writes yuan), not part of a longer number or a percentage. */
const TWO_DECIMALS = /(?<![\d.])-?\d+\.\d{2}(?![\d%])/g;

/**
 * Two-decimal figures that are not money: coefficients and ratios (考核系数 0.60 / assessment coefficient 0.60), and
 * a list of case-mix indices (CMI：H1 1.15、H2 1.06 / CMI: H1 1.15, H2 1.06).
 */
const NOT_MONEY_BEFORE = /(系数|比例|coefficient|ratio)[ ：:≈]*$|CMI[：:][^；;\n]*$/;

/**
 * The money figures of `text` without their unit, each with the words before it (for a test's message): a
 * two-decimal figure not followed by 元 (zh) or yuan (en), unless it follows a coefficient's or ratio's name.
 */
export function moneyWithoutUnit(text: string, lang: 'zh' | 'en'): string[] {
  const unit = lang === 'zh' ? /^ ?元/ : /^ yuan/;
  const bare: string[] = [];
  for (const m of text.matchAll(TWO_DECIMALS)) {
    const at = m.index ?? 0;
    const before = text.slice(text.lastIndexOf('\n', at) + 1, at);
    if (unit.test(text.slice(at + m[0].length)) || NOT_MONEY_BEFORE.test(before)) continue;
    bare.push(`${before.slice(-16)}${m[0]}`);
  }
  return bare;
}
