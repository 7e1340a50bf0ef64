import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CASE_COLUMNS,
  ENROLMENT_COLUMNS,
  FEE_ITEM_COLUMNS,
  INSTITUTION_COLUMNS,
  OUTPATIENT_COLUMNS,
  PERSON_COLUMNS,
} from '../src/model/columns.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README stays true', () => {
  it('documents every input column of src/model/columns.ts (R-DATA-1)', () => {
    const section = readme.split('<!-- columns:start')[1]?.split('<!-- columns:end -->')[0] ?? '';
    for (const col of [
      ...CASE_COLUMNS,
      ...FEE_ITEM_COLUMNS,
      ...INSTITUTION_COLUMNS,
      ...PERSON_COLUMNS,
      ...ENROLMENT_COLUMNS,
      ...OUTPATIENT_COLUMNS,
    ]) {
      expect(section, `README lacks column ${col.name}`).toContain(`| \`${col.name}\` | ${col.type} |`);
    }
  });

  it('gives the two set-up commands, and .ci/run runs the same test command', () => {
    expect(readme).toContain('npm ci && npm run demo');
    expect(readme).toContain('npm test');
    expect(readFileSync(new URL('../.ci/run', import.meta.url), 'utf8')).toMatch(/^npm test$/m);
  });
});
