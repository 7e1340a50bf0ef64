import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { parsePolicy } from '../policy/loader.ts';
import { loadPolicyDir, PolicySet } from '../policy/registry.ts';
import { drgSchemeFor, openSchemeKernel } from './drg-scheme.ts';

const demoDrg = readFileSync(new URL('../../policies/demo/drg-2025.yaml', import.meta.url), 'utf8');
const withoutScheme = demoDrg.replace(/\n {2}scheme:\n(?: {4}.*\n)+/, '\n');

describe('the CHS-DRG scheme of a region-year is policy (issue 12)', () => {
  it('the demo region names CHS-DRG 2.0 in its DRG policy, with the clause that adopts it', () => {
    const c = drgSchemeFor(loadPolicyDir('policies', POLICY_KINDS), 'demo', 2025);
    expect(c.scheme).toBe('chs-drg-2.0');
    expect(c.source).toContain('医保办发〔2024〕9号');
  });

  it('a --pack overrides the policy (1.1 stays available by name)', () => {
    expect(drgSchemeFor(loadPolicyDir('policies', POLICY_KINDS), 'demo', 2025, 'chs-drg-1.1')).toEqual({
      scheme: 'chs-drg-1.1',
      source: '--pack',
    });
  });

  it('a DRG policy without scheme, or a region without a DRG policy, gets the national scheme in force (2.0)', () => {
    expect(withoutScheme).not.toContain('scheme:');
    const set = new PolicySet([parsePolicy(withoutScheme, 'policies/demo/drg-2025.yaml', POLICY_KINDS)]);
    expect(drgSchemeFor(set, 'demo', 2025).scheme).toBe('chs-drg-2.0');
    expect(drgSchemeFor(set, 'elsewhere', 2025).scheme).toBe('chs-drg-2.0');
  });

  it('a scheme that names no folder or file is a user error naming the path', async () => {
    await expect(openSchemeKernel('/nonexistent/pack.json')).rejects.toThrow(/\/nonexistent\/pack\.json/);
  });
});
