/**
 * Interning of codes: every diagnosis or procedure code a pack mentions gets a small integer id, so the kernel
 * works on integers and bitsets instead of strings. Id 0 stands for every code the pack does not know (and for
 * the empty code); it is in no list.
 */

import { CodeLookup } from './code-lookup.ts';

export const UNKNOWN_CODE = 0;

export interface CodeDictionary {
  /** code → id (ids start at 1). */
  readonly ids: ReadonlyMap<string, number>;
  /** id → code; `codes[0]` is '' (unknown). */
  readonly codes: readonly string[];
  /** The same mapping, readable from a range of a longer text (used when interning cases). */
  readonly lookup: CodeLookup;
}

export function buildCodeDictionary(lists: Iterable<Iterable<string>>): CodeDictionary {
  const ids = new Map<string, number>();
  const codes: string[] = [''];
  for (const list of lists) {
    for (const code of list) {
      if (code === '' || ids.has(code)) continue;
      ids.set(code, codes.length);
      codes.push(code);
    }
  }
  return { ids, codes, lookup: new CodeLookup(codes) };
}

export function codeId(dict: CodeDictionary, code: string): number {
  return dict.ids.get(code) ?? UNKNOWN_CODE;
}

/**
 * A dictionary over codes already in id order (`codes[0]` is ''), whose map and text lookup are built on first
 * use: a kernel read back from a snapshot (kernel-snapshot.ts) often needs neither.
 */
export function lazyCodeDictionary(codes: readonly string[]): CodeDictionary {
  let built: CodeDictionary | null = null;
  const build = () => {
    built ??= buildCodeDictionary([codes]);
    return built;
  };
  return {
    codes,
    get ids() {
      return build().ids;
    },
    get lookup() {
      return build().lookup;
    },
  };
}
