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

/** Append `value` to the list of `key` in a map of lists (a group keeps the order its values came in). */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
