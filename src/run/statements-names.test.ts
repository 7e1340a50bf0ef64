/**
 * 病种名称 of a calibrated DIP catalog from the imported code lists (`yibao codes import`): a comprehensive group's
 * 类目 "J18" is not itself in the 医保版 list, which holds "J18.900 肺炎"; before, its name stayed empty.
 */
import { describe, expect, it } from 'vitest';
import { CATALOG_FORMAT, type Catalog, type CatalogGroup } from '../grouping/dip/catalog.ts';
import { catalogTable } from '../report/dip-rows.ts';
import type { CodeEntry, CodeListKind } from '../store/store.ts';
import { catalogCodeNames } from './statements.ts';

const lists: Record<CodeListKind, Map<string, string>> = {
  icd10: new Map([
    ['J18.900', '肺炎'],
    ['K35.800', '急性阑尾炎，其他和未特指的'],
    ['K35.200', '急性阑尾炎伴弥漫性腹膜炎'],
    ['I63.900', '脑梗死'],
    ['A09.000', '感染性腹泻'],
    ['A09.900', '胃肠炎和结肠炎'],
    ['B01.000', '水痘脑膜炎'],
    ['B01.800', '带状疱疹'],
  ]),
  icd9: new Map([['47.0901', '腹腔镜下阑尾切除术']]),
};
const store = {
  lookupCodes: async (kind: CodeListKind, codes: readonly string[]) =>
    new Map<string, CodeEntry>(
      codes.flatMap((c) => (lists[kind].has(c) ? [[c, { code: c, name: lists[kind].get(c)! }] as const] : [])),
    ),
};
const group = (code: string, dx: string, procedures: string[] = [], name?: string): CatalogGroup => ({
  code,
  kind: code.includes('#') ? 'comprehensive' : 'core',
  dx,
  procedures,
  treatment: procedures.length > 0 ? 'surgery' : 'conservative',
  ...(name ? { name } : {}),
  score: 10_000_000,
  cases: 1,
  trimmedCases: 1,
  meanCost: 100_000,
  cv: null,
  primaryCare: false,
  auxiliary: [],
  flags: [],
});
const catalog = (groups: CatalogGroup[]) => ({ format: CATALOG_FORMAT, id: 'c', groups }) as unknown as Catalog;

describe('R-DIP-1 catalog group names (病种名称) from the imported code lists', () => {
  const c = catalog([
    group('J18#conservative', 'J18'),
    group('K35#surgery', 'K35'),
    group('K35.8|47.0901', 'K35.8', ['47.0901']),
    group('I63.9|', 'I63.9', [], '脑梗死-保守治疗'),
    group('B01#conservative', 'B01'),
    group('Z99#conservative', 'Z99'),
    group('A09#conservative', 'A09'),
  ]);
  it('a 类目 takes its unspecified code .900, else the words its listed codes share; a 亚目 its .x00 code', async () => {
    const names = await catalogCodeNames(store, c);
    expect(names.get('J18')).toBe('肺炎');
    expect(names.get('A09')).toBe('胃肠炎和结肠炎');
    expect(names.get('K35')).toBe('急性阑尾炎');
    expect(names.get('K35.8')).toBe('急性阑尾炎，其他和未特指的');
    expect(names.get('47.0901')).toBe('腹腔镜下阑尾切除术');
    expect(names.has('B01')).toBe(false); // 水痘脑膜炎 / 带状疱疹 share no word
    expect(names.has('Z99')).toBe(false);
  });
  it('the catalog sheet writes them; a published name wins; a group with no known name stays empty', async () => {
    const rows = [...catalogTable(c, await catalogCodeNames(store, c)).rows].map((r) => [r.code, r.name]);
    expect(rows).toEqual([
      ['J18#conservative', '肺炎'],
      ['K35#surgery', '急性阑尾炎'],
      ['K35.8|47.0901', '急性阑尾炎，其他和未特指的（腹腔镜下阑尾切除术）'],
      ['I63.9|', '脑梗死-保守治疗'],
      ['B01#conservative', ''],
      ['Z99#conservative', ''],
      ['A09#conservative', '胃肠炎和结肠炎'],
    ]);
  });
});
