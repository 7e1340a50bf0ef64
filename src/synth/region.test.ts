/**
 * The demo region has one name: 示范市, the name its policies, the tokens file and the run headings use (a new user saw
 * 样例市 in the demo data and run headings beside 示范市 in the policies). The synthetic region, its districts and its
 * institutions, the demo policies and the examples all say 示范市.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildInstitutions, COUNTIES, REGION } from './region.ts';

const REPO = new URL('../..', import.meta.url).pathname;
const OTHER_NAMES = /样例|示范区/;

describe('the demo region is 示范市 everywhere', () => {
  it('the synthetic region, its districts and its institutions', () => {
    expect([REGION.name, REGION.nameEn]).toEqual(['示范市', 'Demo City']);
    expect(COUNTIES.filter((c) => c.urban).map((c) => c.name)).toEqual(['示范市城东区', '示范市城西区']);
    const names = buildInstitutions().map((i) => i.name);
    expect(names).toContain('示范市第一人民医院');
    expect(names.filter((n) => OTHER_NAMES.test(n))).toEqual([]);
  });
  it('the demo policies, the tokens file and the hospital examples name no other region', () => {
    const files = [
      ...readdirSync(join(REPO, 'policies/demo'))
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => join('policies/demo', f)),
      'examples/tokens.demo.yaml',
      'examples/hospital/dip/published.yaml',
      'examples/hospital/drg/published.yaml',
    ];
    const other = files.filter((f) => OTHER_NAMES.test(readFileSync(join(REPO, f), 'utf8')));
    expect(other).toEqual([]);
    expect(readFileSync(join(REPO, 'examples/tokens.demo.yaml'), 'utf8')).toContain('name: 示范市第一人民医院医保办');
  });
});
