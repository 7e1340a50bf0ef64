// The policy folder a command uses by default, and the error for a folder that is not there (a new user running
// `yibao settle` from an empty folder got a stack trace).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PolicyError } from './errors.ts';
import { POLICY_KINDS } from './kinds/index.ts';
import { BUNDLED_POLICY_DIR, defaultPolicyDir, loadPolicyDir, policyFilesIn } from './registry.ts';

const tmp = mkdtempSync(join(tmpdir(), 'yibao-policy-dir-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('policy folder', () => {
  it('defaults to the bundled policies when the working folder has no policies/', () => {
    expect(defaultPolicyDir(tmp)).toBe(BUNDLED_POLICY_DIR);
    const set = loadPolicyDir(BUNDLED_POLICY_DIR, POLICY_KINDS);
    expect(set.files.some((f) => f.region === 'demo')).toBe(true);
  });

  it("defaults to the working folder's policies/ when there is one", () => {
    const cwd = join(tmp, 'region');
    mkdirSync(join(cwd, 'policies'), { recursive: true });
    expect(defaultPolicyDir(cwd)).toBe('policies');
  });

  it('a missing folder is a PolicyError naming --policies, not a file-system stack trace', () => {
    const missing = join(tmp, 'nowhere');
    let err: unknown;
    try {
      loadPolicyDir(missing, POLICY_KINDS);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PolicyError);
    expect((err as PolicyError).code).toBe('POLICY_DIR_MISSING');
    expect((err as PolicyError).zh).toContain('--policies');
    expect((err as PolicyError).message).toContain(missing);
  });

  it('a DIP catalog yibao wrote (catalog.json of a published folder) is data, not a policy file; other JSON is read', () => {
    // walk6: `yibao policy check out/published` failed on catalog.json ("unknown key format").
    const dir = join(tmp, 'published');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'catalog.json'), '{\n  "format": "yibao-dip-catalog/1",\n  "groups": []\n}\n');
    writeFileSync(join(dir, 'dip.json'), '{ "kind": "dip" }');
    writeFileSync(join(dir, 'published.yaml'), 'kind: published\n');
    expect(policyFilesIn(dir).map((p) => p.slice(dir.length + 1))).toEqual(['dip.json', 'published.yaml']);
  });
});
