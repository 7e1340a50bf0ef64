/** The audit log's targets in the reader's words, as `runs` names a run's command (walk6 #3: en read `settle`). */
import { describe, expect, it } from 'vitest';
import { auditRow } from './audit.ts';

const entry = (target: string) => ({ at: 't', actor: 'a', role: 'agency', action: 'run', target, detail: null });

describe('audit log targets in words', () => {
  it('settle / monitor / what-if read as settlement / smart monitoring / policy what-if in en, 结算 … in zh', () => {
    expect(auditRow(entry('settle demo 2025'), 'en').targetText).toBe('settlement demo 2025');
    expect(auditRow(entry('monitor demo 2025'), 'en').targetText).toBe('smart monitoring demo 2025');
    expect(auditRow(entry('what-if R1'), 'en').targetText).toBe('policy what-if R1');
    expect(auditRow(entry('settle demo 2025'), 'zh').targetText).toBe('结算 demo 2025');
  });
});
