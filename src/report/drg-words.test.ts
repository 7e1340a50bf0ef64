/**
 * A DRG region's statements say 病组, DRG's word (glossary: 病种 is DIP's). The groups sheet of a DRG region was
 * titled 病种结余超支 with the columns 病种/分组 and 病种付费额, and its per-case sheet's group columns 病种/分组 and
 * 病种/分组名称 (R-PAY-DRG, R-DIP-6: one settlement layer for both, each in its own words).
 */
import { describe, expect, it } from 'vitest';
import type { PoolSettlement } from '../settlement/settle.ts';
import { toCsv } from './csv.ts';
import { groupTable, poolCaseMethod } from './settlement-rows.ts';
import { unitRowsTable } from './unit-rows.ts';

const line = (method: string, group: string) => ({
  method,
  group,
  units: 2,
  points: 2_000_000,
  value: 200_000,
  billed: 210_000,
  difference: -10_000,
});

/** A pool of two groups of its case method and a per-diem carve-out (the sheets need only its groups). */
const pool = (method: 'dip' | 'drg') =>
  ({
    poolId: 'p-2025',
    groups: [line(method, method === 'drg' ? 'ES31' : 'J18.9'), line('per-diem', 'PSY')],
  }) as unknown as PoolSettlement;

const head = (csv: string) =>
  csv
    .split('\r\n')[0]!
    .replace(/^\uFEFF/, '')
    .split(',');

describe('R-PAY-DRG a DRG region’s sheets say 病组', () => {
  it('the pool’s case method: drg when DRG paid its cases, else dip', () => {
    expect([poolCaseMethod(pool('drg')), poolCaseMethod(pool('dip'))]).toEqual(['drg', 'dip']);
  });

  it('the groups sheet: 病组结余超支, 病组/分组, 病组付费额 (DRG); DIP keeps 病种; en alike for both', () => {
    const drg = groupTable(pool('drg'));
    expect([drg.zh, ...head(toCsv(drg)).slice(1, 6)]).toEqual([
      '病组结余超支',
      '病组/分组',
      '病组/分组名称',
      '病例数',
      '点数',
      '病组付费额（点数×点值+定额）',
    ]);
    const dip = groupTable(pool('dip'));
    expect([dip.zh, head(toCsv(dip))[1], head(toCsv(dip))[2], head(toCsv(dip))[5]]).toEqual([
      '病种结余超支',
      '病种/分组',
      '病种/分组名称',
      '病种付费额（点数×点值+定额）',
    ]);
    expect([drg.en, head(toCsv(drg, 'en'))[1]]).toEqual(['group surplus and overspend', 'group']);
  });

  it('the per-case sheet’s group columns: 病组/分组, 病组/分组名称 (DRG); 病种/… otherwise', () => {
    const names = new Map([['ES31', '呼吸系统感染/炎症']]);
    const cols = (o: Parameters<typeof unitRowsTable>[3]) =>
      unitRowsTable('cases', [], new Map(), o)
        .columns.filter((c) => c.key === 'group' || c.key === 'groupName')
        .map((c) => c.zh);
    expect(cols({ groupNames: names, caseMethod: 'drg' })).toEqual(['病组/分组', '病组/分组名称']);
    expect(cols({ groupNames: names, caseMethod: 'dip' })).toEqual(['病种/分组', '病种/分组名称']);
    expect(cols({ groupNames: names })).toEqual(['病种/分组', '病种/分组名称']);
  });
});
