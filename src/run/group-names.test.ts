/**
 * The carve-outs' groups (按床日付费 PSY / REH / PAL, 按病种付费 SD001 …) by their names from the run's policy snapshot,
 * beside the code in the groups sheet (病种结余超支), which showed the bare code: zh names in zh, the policy's `en`
 * names in en, a zh name where the policy gives none (a group name is a proper name). (R-PAY-BEDDAY, R-DIP-4)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { groupTable } from '../report/settlement-rows.ts';
import { cellText } from '../report/table.ts';
import type { PoolSettlement } from '../settlement/settle.ts';
import type { RunPolicySnapshot, SettlementRunRecord } from '../store/settlement-runs.ts';
import { drgGroupNames, methodGroupNames } from './group-names.ts';

// `edit` makes a user's own policy from the shipped one (the shipped policies name every entry in English).
const snapshot = (kind: string, file: string, edit = (t: string) => t): RunPolicySnapshot => ({
  policyId: `demo-${kind}-2025`,
  kind,
  region: 'demo',
  version: '1',
  file,
  sha256: '',
  content: edit(readFileSync(file, 'utf8')),
});
const reader = {
  policies: async () => [
    snapshot('per-diem', 'policies/demo/per-diem-2025.yaml'),
    snapshot('single-disease', 'policies/demo/single-disease-2025.yaml', (t) =>
      t.replace(', en: "acute appendicitis, appendectomy"', ''),
    ),
  ],
};
const rec = { region: 'demo', year: 2025 };

describe('R-PAY-BEDDAY: the carve-outs’ group names of a stored run', () => {
  it('zh names in zh; the policy’s en names in en; a zh name where the policy has no en one', async () => {
    const zh = await methodGroupNames(reader, rec, 'zh');
    expect([zh.get('PSY'), zh.get('REH'), zh.get('PAL')]).toEqual(['精神病', '医疗康复', '安宁疗护']);
    expect(zh.get('SD001')).toBe('急性阑尾炎 阑尾切除术');
    const en = await methodGroupNames(reader, rec, 'en');
    expect([en.get('PSY'), en.get('REH'), en.get('PAL')]).toEqual([
      'mental illness',
      'medical rehabilitation',
      'hospice care',
    ]);
    expect(en.get('SD001')).toBe('急性阑尾炎 阑尾切除术');
  });

  it('the groups sheet shows the name beside the code (it read PSY alone)', async () => {
    const pool = {
      poolId: 'p',
      groups: [
        { method: 'per-diem', group: 'PSY', units: 1, points: 1, value: 1, billed: 1, difference: 0 },
        { method: 'single-disease', group: 'SD001', units: 1, points: 0, value: 1, billed: 1, difference: 0 },
        { method: 'dip', group: 'J18#conservative', units: 1, points: 1, value: 1, billed: 1, difference: 0 },
      ],
    } as unknown as PoolSettlement;
    const cells = async (lang: 'zh' | 'en') => {
      const t = groupTable(pool, new Map(), await methodGroupNames(reader, rec, lang));
      const code = t.columns.find((c) => c.key === 'group')!;
      const name = t.columns.find((c) => c.key === 'groupName')!;
      return [...t.rows].map((r) => [cellText(code, r.group!, lang), cellText(name, r.groupName!, lang)]);
    };
    // walk6: one stable code in every file and language, the name beside it in the reader's language.
    expect(await cells('zh')).toEqual([
      ['PSY', '精神病'],
      ['SD001', '急性阑尾炎 阑尾切除术'],
      ['J18#conservative', 'J18 综合病种（保守治疗）'],
    ]);
    expect(await cells('en')).toEqual([
      ['PSY', 'mental illness'],
      ['SD001', '急性阑尾炎 阑尾切除术'],
      ['J18#conservative', 'J18 comprehensive (conservative treatment)'],
    ]);
  });
});

describe('R-PAY-DRG: the DRG names of a stored DRG run, from the scheme it grouped by (walk3 #7)', () => {
  const drgRec = { region: 'demo', year: 2025, inputs: [] } as unknown as SettlementRunRecord;
  const kernel = {
    core: { drgCodes: ['ES35', 'GE29', 'XX99'] },
    names: { drg: ['呼吸系统感染/炎症，不伴并发症或合并症', '阑尾切除术，伴一般并发症或合并症', ''] },
  } as never;
  const drgReader = (weights: boolean) => ({
    policies: async () => [snapshot('drg', 'policies/demo/drg-2025.yaml')],
    derived: async (kind: string) => (weights && kind === 'drg-weights' ? [{ content: '{}' }] : []),
  });

  it('each DRG of the scheme named by the run’s snapshot (chs-drg-2.0) by its name; a DRG without a name left out', async () => {
    const asked: string[] = [];
    const names = await drgGroupNames(drgReader(true) as never, drgRec, async (scheme) => {
      asked.push(scheme);
      return kernel;
    });
    expect(asked).toEqual(['chs-drg-2.0']);
    expect([...names]).toEqual([
      ['ES35', '呼吸系统感染/炎症，不伴并发症或合并症'],
      ['GE29', '阑尾切除术，伴一般并发症或合并症'],
    ]);
  });

  it('a run without DRG weights (DIP) opens no scheme and names nothing; a pack that is gone leaves the codes alone', async () => {
    const open = async () => {
      throw new Error('must not open');
    };
    expect((await drgGroupNames(drgReader(false) as never, drgRec, open)).size).toBe(0);
    expect((await drgGroupNames(drgReader(true) as never, drgRec, open)).size).toBe(0);
  });
});
