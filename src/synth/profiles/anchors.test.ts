// The cost anchors (anchors.ts) are generated data: this regroups every option's typical case with the CHS-DRG 1.1
// reference kernel and checks the group and its Harbin 2024 weight, so a profile change cannot leave a stale anchor.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { groupCase } from '../../grouping/drg/index.ts';
import { REPO_ROOT } from '../../grouping/drg/reference-dir.ts';
import { referenceKernel } from '../../grouping/drg/testing.ts';
import { ANCHORS, anchorKey, PROFILES, SEVERITY, type Weighted } from './index.ts';

/** Anchors set by hand where CHS-DRG 1.1 does not group the typical case (O80 without an OR procedure). */
const HAND_SET: Readonly<Record<string, string>> = { 'vaginal-delivery/spontaneous': 'OR19' };

const commonest = (items: readonly Weighted[]): string => [...items].sort((a, b) => b[1] - a[1])[0]![0];

describe('cost anchors', () => {
  const kernel = referenceKernel();
  const harbin = new Map(
    readFileSync(resolve(REPO_ROOT, '../shared/reference/harbin-drg-weights/weights_2024.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',') as [string, string])
      .map(([drg, rw]) => [drg, Number(rw)]),
  );

  it('name the CHS-DRG 1.1 group of each option’s typical case, with its Harbin 2024 weight', () => {
    const wrong: string[] = [];
    for (const p of PROFILES) {
      const principal = commonest(p.principal);
      const diagnoses = [principal];
      if (p.companion) diagnoses.push(commonest(p.companion));
      for (const [code, prob] of p.secondary) if (prob >= 0.7 && !SEVERITY[`${p.id}|${code}`]) diagnoses.push(code);
      for (const o of p.options) {
        const key = anchorKey(p.id, o.key);
        const anchor = ANCHORS[key]!;
        const r = groupCase(kernel, {
          sex: p.male >= 0.5 ? '1' : '2',
          age: p.ages[1],
          ageDays: p.newborn ? p.newborn.days[1] : null,
          birthWeightG: p.newborn ? p.newborn.weightG[1] : null,
          diagnoses,
          procedures: o.procs,
        });
        const expected = HAND_SET[key] ?? r.drg;
        if (anchor.drg !== expected) wrong.push(`${key}: anchor ${anchor.drg}, grouped ${r.drg}`);
        // Harbin splits some national groups: the weight is the group's own or its family's "without CC" member.
        const family = [anchor.drg, ...['5', '9', '3', '1'].map((s) => anchor.drg.slice(0, 3) + s)];
        const rw = family.map((d) => harbin.get(d)).find((x) => x !== undefined);
        if (rw !== anchor.rw) wrong.push(`${key}: rw ${anchor.rw}, Harbin ${rw}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
