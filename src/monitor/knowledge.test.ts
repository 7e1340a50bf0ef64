import { describe, expect, it } from 'vitest';
import { buildKnowledge, KnowledgeError, parseQuantity } from './knowledge.ts';

const empty = (file: string) => ({ file, rows: [] });
const tables = (over: Partial<Parameters<typeof buildKnowledge>[0]>) =>
  buildKnowledge({
    itemLimits: empty('l.csv'),
    codePairs: empty('p.csv'),
    itemCatalog: empty('c.csv'),
    diagnosisLists: empty('d.csv'),
    ...over,
  });

describe('knowledge tables (知识库)', () => {
  it('quantities are exact 1/10000 units', () => {
    expect(parseQuantity('2.5')).toBe(25_000);
    expect(parseQuantity('3')).toBe(30_000);
    expect(parseQuantity('0.0001')).toBe(1);
    expect(() => parseQuantity('0.00001')).toThrow();
    expect(() => parseQuantity('-1')).toThrow();
  });

  it('errors name the file, the line and the column', () => {
    const bad = () => tables({ itemLimits: { file: 'l.csv', rows: [{ item_code: 'X', sex: '3', source: 's' }] } });
    expect(bad).toThrow(KnowledgeError);
    expect(bad).toThrow(/l\.csv 第 2 行 sex/);
    expect(() =>
      tables({
        codePairs: { file: 'p.csv', rows: [{ item_code: 'A', pair_code: 'A', relation: 'bundle', source: 's' }] },
      }),
    ).toThrow(/pair_code/);
    expect(() =>
      tables({
        itemCatalog: { file: 'c.csv', rows: [{ item_code: 'A', charge_category: '05', price_yuan: 'x', source: 's' }] },
      }),
    ).toThrow(/price_yuan/);
    expect(() =>
      tables({
        itemLimits: {
          file: 'l.csv',
          rows: [
            { item_code: 'A', source: 's' },
            { item_code: 'A', source: 's' },
          ],
        },
      }),
    ).toThrow(/第 3 行 item_code/);
  });

  it('limits, prices and lists are read as given', () => {
    const k = tables({
      itemLimits: {
        file: 'l.csv',
        rows: [{ item_code: 'A', departments: '07|08', max_per_day: '1.5', min_age: '0', max_age: '14', source: 's' }],
      },
      itemCatalog: {
        file: 'c.csv',
        rows: [
          { item_code: 'A', charge_category: '05', price_yuan: '150.00', source: 's' },
          { item_code: 'B', charge_category: '05', price_yuan: '', source: 's' },
        ],
      },
    });
    expect(k.itemLimits.get('A')).toMatchObject({
      departments: ['07', '08'],
      maxPerDay: 15_000,
      minAge: 0,
      maxAge: 14,
    });
    expect(k.itemCatalog.get('A')?.price).toBe(15_000);
    expect(k.itemCatalog.get('B')?.price).toBeUndefined();
  });
});
