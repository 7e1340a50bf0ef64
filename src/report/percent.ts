/**
 * A share as a percentage for the reader, e.g. DRG 入组率 (R-PAY-DRG) or a DIP grouped share (R-PAY-DIP): half-up to
 * `digits` decimals, but never 100% while a part is missing nor 0% while a part is there — more decimals until the
 * text differs (5,971 of 5,972 grouped is 99.98%, not 100.0%; walk3 #10). Display only; no ledger reads it.
 */
export function shareText(share: number, digits = 1): string {
  const pct = share * 100;
  let d = digits;
  let text = pct.toFixed(d);
  while (d < 6 && ((share < 1 && Number(text) >= 100) || (share > 0 && Number(text) <= 0))) {
    d++;
    text = pct.toFixed(d);
  }
  return `${text}%`;
}
