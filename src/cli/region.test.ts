import { describe, expect, it } from 'vitest';
import { PolicySet } from '../policy/registry.ts';
import { CliError, EXIT } from './context.ts';
import { regionFor } from './region.ts';

/** A policy set whose files belong to these regions (regionFor reads only their regions). */
const setOf = (...regions: string[]) =>
  new PolicySet(
    regions.map(
      (region, i) =>
        ({
          file: `p${i}.yaml`,
          id: `${region}-${i}`,
          region,
          kind: `k${i}`,
          effective: { from: '2025-01-01', to: '2025-12-31' },
        }) as never,
    ),
  );

describe('the region of a command without --region', () => {
  it('is the only region of a folder written by yibao init', () => {
    expect(regionFor(setOf('city01', 'city01'), undefined, 'zh')).toBe('city01');
  });
  it('is demo in the shipped folder (several regions, demo among them) and in an empty one', () => {
    expect(regionFor(setOf('panzhihua', 'demo', 'harbin'), undefined, 'zh')).toBe('demo');
    expect(regionFor(setOf(), undefined, 'zh')).toBe('demo');
  });
  it('--region wins', () => {
    expect(regionFor(setOf('city01'), 'demo', 'zh')).toBe('demo');
  });
  it('several regions without demo: a usage error naming them, in the language asked', () => {
    const f = () => regionFor(setOf('b', 'a'), undefined, 'zh');
    expect(f).toThrow(CliError);
    expect(f).toThrow('政策文件目录中有多个地区（a、b）：用 --region 选择');
    try {
      regionFor(setOf('b', 'a'), undefined, 'en');
    } catch (e) {
      expect((e as CliError).exitCode).toBe(EXIT.usage);
      expect((e as CliError).message).toBe('the policy folder holds several regions (a, b): choose one with --region');
    }
  });
});
