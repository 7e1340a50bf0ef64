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
