import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { POLICY_KINDS } from '../src/policy/kinds/index.ts';
import { loadPolicyDir } from '../src/policy/registry.ts';

describe('shipped policy files', () => {
  it('every file under policies/ passes the strict loader, and no two overlap', () => {
    const set = loadPolicyDir(fileURLToPath(new URL('../policies', import.meta.url)), POLICY_KINDS);
    expect(set.files.length).toBeGreaterThan(0);
    for (const f of set.files) expect(f.region.length).toBeGreaterThan(0);
  });
});

// en output showed the policies' Chinese labels (急诊, 精神病 …): every label a shipped policy writes in Chinese has its
// English name beside it (`en`), which en output shows; and a budget item (`item`) too.
describe('shipped policy files name every label in English too', () => {
  it('each object with a Chinese label (zh, or a budget item) carries en', () => {
    const set = loadPolicyDir(fileURLToPath(new URL('../policies', import.meta.url)), POLICY_KINDS);
    const missing: string[] = [];
    const walk = (v: unknown, where: string) => {
      if (Array.isArray(v)) {
        for (const [i, x] of v.entries()) walk(x, `${where}[${i}]`);
      } else if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        const label = typeof o.zh === 'string' ? o.zh : typeof o.item === 'string' && 'amount' in o ? o.item : null;
        if (label !== null && /\p{Script=Han}/u.test(label) && typeof o.en !== 'string')
          missing.push(`${where}: ${label}`);
        for (const [k, x] of Object.entries(o)) walk(x, `${where}.${k}`);
      }
    };
    for (const f of set.files) walk(f.values, f.file);
    expect(missing).toEqual([]);
  });
});
