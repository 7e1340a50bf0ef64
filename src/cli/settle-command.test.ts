import { describe, expect, it } from 'vitest';
import { changedInputsText } from './settle-command.ts';

describe("yibao settle names the inputs changed since the previous run in the reader's words", () => {
  const previous = {
    runId: 'r1',
    changedInputs: [
      {
        path: 'store:year-end/special-review/2025',
        role: 'year-end special-review',
        change: 'added' as const,
        after: { sha256: '662675334dac'.padEnd(64, '0'), bytes: 1 },
      },
    ],
  };
  it('zh: 已入库的 2025 年特例单议结果, with the hashes; no store:… name', () => {
    const text = changedInputsText(previous, { lang: 'zh' });
    expect(text).toContain('  已入库的 2025 年特例单议结果：新增（sha256 — → 662675334dac）');
    expect(text).not.toContain('store:');
  });
  it('en: the stored 2025 special-review decisions, with the hashes', () => {
    const text = changedInputsText(previous, { lang: 'en' });
    expect(text).toContain('  the stored 2025 special-review decisions: added (sha256 — → 662675334dac)');
    expect(text).not.toContain('store:');
  });
});
