import { describe, expect, it } from 'vitest';
import { formatPoints } from '../model/points.ts';
import { importCatalogRows } from './catalog-import.ts';
import { DipEngine } from './engine.ts';
import { dipCase, testDipPolicy, testInstitution } from './testing.ts';

const meta = {
  id: 'nm-2025',
  version: '2025.1',
  region: 'nm',
  scale: 1000,
  referencePointValue: '1000/1',
  file: 'catalog.csv',
};

describe('catalog import (R-DIP-1)', () => {
  it('builds a catalog from Chinese headers; codes, kinds and scores are exact', () => {
    const c = importCatalogRows(
      [
        ['病种编码', '主要诊断编码', '病种名称', '手术操作编码', '病种类型', '治疗方式', '分值', '基层病种'],
        ['DIP0001', 'K35.800', '急性阑尾炎', '47.0901', '核心', '', '1234.5678', '否'],
        ['', 'K35.8', '急性阑尾炎', '54.5100+47.0901', '核心', '', '1500', ''],
        ['', 'J18.9', '肺炎', '', '核心', '', '600.5', '是'],
        ['', 'K35', '阑尾炎', '', '综合', '手术', '900', ''],
      ],
      meta,
    );
    expect(c.groups.map((g) => g.code)).toEqual(['J18.9|', 'K35#surgery', 'K35.8|47.0901', 'K35.8|47.0901+54.5100']);
    expect(formatPoints(c.groups[2]!.score)).toBe('1234.5678');
    expect(c.groups[2]!.officialCode).toBe('DIP0001');
    expect(c.groups[0]!.primaryCare).toBe(true);
    // the imported catalog groups cases like a calibrated one
    const e = new DipEngine({ catalog: c, policy: testDipPolicy(), institutions: [testInstitution('H1')] });
    const r = e.evaluate([dipCase('a', { procs: ['47.0901', '54.5100'] })]).results[0]!;
    expect(r.group).toBe('K35.8|47.0901+54.5100');
  });

  it('names the row and column of a bad score, a missing treatment type and a duplicate', () => {
    const h = ['主要诊断编码', '手术操作编码', '病种类型', '治疗方式', '分值'];
    expect(() => importCatalogRows([h, ['K35.8', '', '', '', '12.34567']], meta)).toThrow(/catalog.csv:2:分值/);
    expect(() => importCatalogRows([h, ['K35', '', '综合', '', '1']], meta)).toThrow(/catalog.csv:2:治疗方式/);
    expect(() => importCatalogRows([h, ['K35.8', '', '', '', '1'], ['K35.80', '', '', '', '2']], meta)).toThrow(
      /第 2 行重复/,
    );
    expect(() => importCatalogRows([['诊断', '分值']], meta)).toThrow(/主要诊断编码/);
  });
});
