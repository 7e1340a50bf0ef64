/**
 * Masking of personal identifiers (个人信息脱敏): person numbers, names and certificate numbers are shown only
 * in part wherever a view does not need them. Deterministic, so the same person reads the same masked text.
 */

/** psn_no / certificate numbers: keep the first 2 and last 2 characters, e.g. "P0000123" → "P0****23". */
export function maskId(id: string): string {
  if (id.length <= 4) return '*'.repeat(id.length);
  return `${id.slice(0, 2)}${'*'.repeat(id.length - 4)}${id.slice(-2)}`;
}

/** Person names: keep the first character (the family name), e.g. "张三丰" → "张**". */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return '*';
  return chars[0] + '*'.repeat(chars.length - 1);
}
