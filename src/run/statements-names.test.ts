/**
 * 病种名称 of a calibrated DIP catalog from the imported code lists (`yibao codes import`): a comprehensive group's
 * 类目 "J18" is not itself in the 医保版 list, which holds "J18.900 肺炎"; before, its name stayed empty.
 */
import { describe, expect, it } from 'vitest';
import { CATALOG_FORMAT, type Catalog, type CatalogGroup } from '../grouping/dip/catalog.ts';
import { catalogTable } from '../report/dip-rows.ts';
import { groupTable } from '../report/settlement-rows.ts';
import { cellText } from '../report/table.ts';
import type { PoolSettlement } from '../settlement/settle.ts';
import type { CodeEntry, CodeListKind } from '../store/store.ts';
import { catalogCodeNames } from './statements.ts';

const lists: Record<CodeListKind, Map<string, string>> = {
  icd10: new Map([
    ['J18.900', '肺炎'],
    ['K35.800', '急性阑尾炎，其他和未特指的'],
    ['K35.200', '急性阑尾炎伴弥漫性腹膜炎'],
    ['I63.900', '脑梗死'],
    ['I10.x00', '原发性高血压'],
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
  it("a 亚目 with X (I10.X, as the grouper shows it) takes the list's I10.x00", async () => {
    expect((await catalogCodeNames(store, catalog([group('I10.X|', 'I10.X')]))).get('I10.X')).toBe('原发性高血压');
  });
  it('the catalog sheet writes them; a published name wins; a group with no known name is named by its codes in words', async () => {
    const t = catalogTable(c, await catalogCodeNames(store, c));
    const [code, name] = ['code', 'name'].map((k) => t.columns.find((x) => x.key === k)!);
    const rows = (lang: 'zh' | 'en') =>
      [...t.rows].map((r) => [cellText(code!, r.code!, lang), cellText(name!, r.name!, lang)]);
    expect(rows('zh')).toEqual([
      ['J18#conservative', '肺炎'],
      ['K35#surgery', '急性阑尾炎'],
      ['K35.8|47.0901', '急性阑尾炎，其他和未特指的（腹腔镜下阑尾切除术）'],
      ['I63.9|', '脑梗死-保守治疗'],
      // walk6: a comprehensive group's name was blank; the code is the same in zh and en, the name in the reader's
      ['B01#conservative', 'B01 综合病种（保守治疗）'],
      ['Z99#conservative', 'Z99 综合病种（保守治疗）'],
      ['A09#conservative', '胃肠炎和结肠炎'],
    ]);
    expect(rows('en')[4]).toEqual(['B01#conservative', 'B01 comprehensive (conservative treatment)']);
  });
});

// The groups sheet of a statement named DIP core groups "J18.9|" (no name, nothing after the bar).
describe('R-DIP-1 the groups sheet labels a core group by its codes and their names', () => {
  const pool = {
    poolId: 'p',
    groups: [
      { method: 'dip', group: 'J18.9|', units: 3, points: 1, value: 1, billed: 1, difference: 0 },
      { method: 'dip', group: 'K35.8|47.0901', units: 2, points: 1, value: 1, billed: 1, difference: 0 },
      { method: 'dip', group: 'I10.X|', units: 1, points: 1, value: 1, billed: 1, difference: 0 },
    ],
  } as unknown as PoolSettlement;
  it('zh with the code lists’ names, 无手术操作 where none; en says no procedure; an unnamed code stays a code', async () => {
    const names = await catalogCodeNames(
      store,
      catalog([group('J18.9|', 'J18.9'), group('K35.8|47.0901', 'K35.8', ['47.0901']), group('I10.X|', 'I10.X')]),
    );
    const t = groupTable(pool, names);
    const code = t.columns.find((c) => c.key === 'group')!;
    const col = t.columns.find((c) => c.key === 'groupName')!;
    // the code as stored in every language (walk6), its name in words beside it
    expect([...t.rows].map((r) => cellText(code, r.group!, 'en'))).toEqual(['J18.9|', 'K35.8|47.0901', 'I10.X|']);
    const cells = (lang: 'zh' | 'en') => [...t.rows].map((r) => cellText(col, r.groupName!, lang));
    expect(cells('zh')).toEqual([
      'J18.9 肺炎（无手术操作）',
      'K35.8 急性阑尾炎，其他和未特指的 + 47.0901 腹腔镜下阑尾切除术',
      'I10.X 原发性高血压（无手术操作）',
    ]);
    expect(cells('en')[0]).toBe('J18.9 肺炎 (no procedure)');
    expect(cellText(col, 'Z99.9|', 'zh')).toBe('Z99.9（无手术操作）');
  });
});
