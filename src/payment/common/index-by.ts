/** Index a list by a key; a key given twice is a loud error (a silent "last one wins" would depend on order). */
export function indexBy<T>(list: readonly T[], key: (x: T) => string, what: string): Map<string, T> {
  const m = new Map<string, T>();
  for (const x of list) {
    const k = key(x);
    if (m.has(k)) throw new RangeError(`${what} "${k}" appears twice / ${what} 重复：${k}`);
    m.set(k, x);
  }
  return m;
}
