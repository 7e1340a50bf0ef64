import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CASE_COLUMNS,
  COLUMN_ALIASES,
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

  it('documents every other header name of COLUMN_ALIASES (issue 10 / 11: aliases and did-you-mean variants)', () => {
    const section = readme.split('<!-- columns:start')[1]?.split('<!-- columns:end -->')[0] ?? '';
    for (const [name, a] of Object.entries(COLUMN_ALIASES)) {
      const line = section
        .split('\n')
        .find(
          (l) =>
            l.startsWith(`| \`${name}\` | `) &&
            !/\| (text|code|int|money|date|datetime|code-list|text-list|flag) \|/.test(l),
        );
      expect(line, `README lacks the aliases of ${name}`).toBeDefined();
      for (const x of [...(a.accepted ?? []), ...(a.resembles ?? []).map((r) => `\`${r}\``)]) {
        if (x !== undefined) expect(line, `${name}: ${x}`).toContain(x);
      }
    }
  });

  it('gives the two set-up commands, and .ci/run runs the same test command', () => {
    expect(readme).toContain('npm ci && npm run demo');
    expect(readme).toContain('npm test');
    expect(readFileSync(new URL('../.ci/run', import.meta.url), 'utf8')).toMatch(/^npm test$/m);
  });
});
