/**
 * Importer from the CHS-DRG 1.1 reference folder: the counts stated in its README, the translated vocabulary,
 * and loud errors for what it cannot translate.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importChsDrg11 } from './import-chs-drg-11.ts';
import { DrgPackError } from './pack-error.ts';
import { loadDrgPack } from './pack-io.ts';
import { drgPackWarnings } from './pack-validate.ts';
import { requireChsDrg11Reference } from './reference-dir.ts';
import { referencePack } from './testing.ts';

const dir = requireChsDrg11Reference();

describe('importChsDrg11', () => {
  const pack = referencePack();

  it('carries the README counts: 26 MDCs in order A P Y Z M N B…X, 376 ADRGs, 628 DRGs', () => {
    expect(pack.mdcOrder.join('')).toBe('APYZMNBCDEFGHIJKLOQRSTUVWX');
    expect([pack.mdcs.length, pack.adrgs.length, pack.drgs.length]).toEqual([26, 376, 628]);
    const splits = { always: 0, mcc: 0, mccOrCc: 0 };
    for (const d of pack.drgs) splits[d.split]++;
    expect(splits).toEqual({ always: 376, mcc: 123, mccOrCc: 129 });
  });

  it('carries the README list sizes', () => {
    const n = (pairs: readonly unknown[]) => pairs.length;
    expect([n(pack.severity.mcc), n(pack.severity.cc), n(pack.severity.principalExclusionTable)]).toEqual([
      4678, 16568, 28302,
    ]);
    expect([pack.orProcedures.length, n(pack.diagnosisCodes), n(pack.procedureCodes)]).toEqual([10251, 33304, 13686]);
    expect(pack.mdcs.find((m) => m.mdc === 'G')!.principalDx).toHaveLength(1623);
  });

  it('translates the rule vocabulary (PS2 birth-weight band, JA1 procedure tables, Z regions)', () => {
    const ps2 = pack.adrgs.find((a) => a.adrg === 'PS2')!;
    expect(ps2.rule.all.find((t) => t.kind === 'birthWeightG')).toEqual({
      kind: 'birthWeightG',
      gt: 0,
      gte: 1500,
      lt: 2000,
    });
    const ja1 = pack.adrgs.find((a) => a.adrg === 'JA1')!.rule.all[1]!;
    expect(ja1.kind === 'procCategoryCombination' && ja1.anyOf).toEqual([
      ['1', '2'],
      ['1', '3', '4'],
    ]);
    const z = pack.mdcs.find((m) => m.mdc === 'Z')!.entry.all[1]!;
    expect(z.kind === 'minDistinctTraumaRegions' && Object.keys(z.regions)).toHaveLength(9);
    expect(pack.mdcs.every((m) => !m.ambiguityCheck.enabled)).toBe(true);
  });

  it('records the SHA-256 of every source file', () => {
    const sha = pack.source.sha256 as Record<string, string>;
    expect(sha['adrg.json']).toBe('b25585967407abd481f85c4029d4809aec01323ffcb76ca454fc9a870b2fe553');
    expect(Object.keys(sha)).toHaveLength(12);
  });

  it('warns about the data quirks the README lists (4 unknown list codes, 3 unknown cce keys, 252 unreachable)', () => {
    const w = drgPackWarnings(pack);
    const unreachable = w
      .filter((x) => x.code === 'UNREACHABLE_DX')
      .reduce((sum, x) => sum + Number(x.en.split(' ')[0]), 0);
    expect(unreachable).toBe(252);
    const unknown = w.filter((x) => x.code === 'UNKNOWN_DX_CODE').map((x) => `${x.where}: ${x.en.split(': ')[1]}`);
    expect(unknown).toEqual([
      'mdcs[1].principalDx: P78.300x004',
      'mdcs[11].principalDx: K43.900, K43.900x001, K43.902',
      'adrgs[18].rule.all[0]: P78.300x004',
      'adrgs[198].rule.all[0]: K43.900, K43.900x001, K43.902',
      'severity.principalExclusionTable: K43.900, K43.900x001, K43.902',
    ]);
  });

  it('loadDrgPack accepts the reference folder directly', () => {
    expect(loadDrgPack(dir).drgs).toHaveLength(628);
  });
});

describe('importChsDrg11 errors', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'yibao-drg-ref-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('an unknown rule term is an error naming the file and the term', () => {
    cpSync(dir, tmp, { recursive: true });
    const adrg = JSON.parse(readFileSync(join(tmp, 'adrg.json'), 'utf8'));
    adrg.adrgs[0].rule.all.push({ los_max: 3 });
    writeFileSync(join(tmp, 'adrg.json'), JSON.stringify(adrg));
    expect(() => importChsDrg11(tmp)).toThrow(DrgPackError);
    expect(() => importChsDrg11(tmp)).toThrow(/adrg\.json: adrgs\[0\]\.rule\.all\[1\].*unknown rule term "los_max"/);
  });

  it('a missing file is an error naming it', () => {
    rmSync(join(tmp, 'cce.csv'));
    expect(() => importChsDrg11(tmp)).toThrow(/cce\.csv.*reference file missing/);
  });
});
