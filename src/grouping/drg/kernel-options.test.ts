/**
 * The scheme options and terms CHS-DRG 2.0 added to the pack format, on the tiny hand-written pack (made-up
 * codes, no reference data): each one is data the same kernel reads, and without it the kernel keeps CHS-DRG
 * 1.1's behaviour (R-PAY-DRG; issue 12). Expectations are worked out by hand from the mini pack.
 */
import { describe, expect, it } from 'vitest';
import type { DrgCaseInput } from './case-batch.ts';
import { compileDrgPack } from './compile.ts';
import { groupCase } from './group-case.ts';
import { miniPack } from './mini-pack.ts';
import type { DrgPack, DrgPackAdrg, DrgPackMdc } from './pack-schema.ts';

const base: DrgCaseInput = { sex: '1', age: 40, diagnoses: 'd1', procedures: '' };

function run(pack: DrgPack, c: Partial<DrgCaseInput>): string {
  const r = groupCase(compileDrgPack(pack), { ...base, ...c });
  return `${r.mdc} ${r.adrg} ${r.drg} ${r.status}`;
}

/** CHS-DRG 2.0's field reading: codes trimmed and empty ones dropped, so '' means "no procedure". */
const fields20 = (p: DrgPack) => {
  p.caseFields = { emptyNumbers: 'notGiven', truncateNumbers: true, sexWords: false, trimCodes: true };
};

const mdc = (p: DrgPack, l: string): DrgPackMdc => p.mdcs.find((m) => m.mdc === l)!;
const adrg = (p: DrgPack, code: string): DrgPackAdrg => p.adrgs.find((a) => a.adrg === code)!;

describe('scheme options of the pack (CHS-DRG 2.0 as data)', () => {
  it('onNoAdrgMatch: 1.1 falls through to 0000; "fail" stops in the MDC holding the principal dx', () => {
    const narrow = (p: DrgPack) => {
      adrg(p, 'BS1').rule = { all: [{ kind: 'principalDxIn', codes: ['d2'] }] };
    };
    expect(run(miniPack(narrow), { diagnoses: 'd3' })).toBe('0000 00 0000 FAIL');
    const stop = miniPack((p) => {
      narrow(p);
      mdc(p, 'B').onNoAdrgMatch = 'fail';
    });
    expect(run(stop, { diagnoses: 'd3' })).toBe('MDCB 00 0000 FAIL');
  });

  const medical = (p: DrgPack) => {
    fields20(p);
    adrg(p, 'BR1').medical = true;
    adrg(p, 'BS1').medical = true;
    mdc(p, 'B').medicalOnlyWithoutMainProc = true;
    mdc(p, 'B').ambiguityCheck = { enabled: true, beforeAdrg: null, returns: 'BQY', when: 'medicalAdrgWithMainProc' };
  };

  it('QY after a medical ADRG matched with a main procedure; none without one (medical-only filter)', () => {
    const p = miniPack(medical);
    // x1 is an OR procedure: MDC A is entered, none of its ADRGs holds, MDC B: BB1 needs p5, BR1 (medical) holds.
    expect(run(p, { procedures: 'x1' })).toBe('MDCB BQY BQY QY');
    expect(run(p, {})).toBe('MDCB BR1 BR1 SUCCESS');
    // The surgical BB1 (d1 + main p5) still wins with its procedure.
    expect(run(p, { procedures: 'p5' })).toBe('MDCB BB1 BB19 SUCCESS');
  });

  it('mainProcedureCleared empties the main slot without promoting the next procedure', () => {
    const p = miniPack((x) => {
      medical(x);
      x.mainProcedureCleared = ['x1'];
    });
    // x1 is cleared: p5 in slot 2 does not become the main procedure, so BB1 fails and BR1 holds without QY.
    expect(run(p, { procedures: 'x1|p5' })).toBe('MDCB BR1 BR1 SUCCESS');
  });

  it('caseFields: an empty number is 0 (1.1) or not given (2.0); text that is not a number is malformed (2.0)', () => {
    const checks = (p: DrgPack) => {
      p.inputChecks = [
        { status: 'CHECK_FAILED', label: 'age', when: { all: [{ kind: 'fieldMalformed', field: 'age', min: 0 }] } },
        {
          status: 'NEWBORN_ERROR',
          label: 'newborn',
          when: { all: [{ kind: 'numberIn', field: 'ageDays', lt: 29 }] },
        },
      ];
    };
    const zero = miniPack(checks);
    const notGiven = miniPack((p) => {
      checks(p);
      fields20(p);
    });
    expect(run(zero, { ageDays: '' })).toBe('0000 00 0000 NEWBORN_ERROR');
    expect(run(notGiven, { ageDays: '' })).toBe('MDCB BR1 BR1 SUCCESS');
    expect(run(notGiven, { ageDays: '28.9' })).toBe('0000 00 0000 NEWBORN_ERROR');
    expect(run(zero, { age: 'abc', ageDays: 40 })).not.toContain('CHECK_FAILED');
    expect(run(notGiven, { age: 'abc' })).toBe('0000 00 0000 CHECK_FAILED');
    expect(run(notGiven, { age: '-1' })).toBe('0000 00 0000 CHECK_FAILED');
  });

  it('anyOf nests alternatives; secondaryDxIn reads positions 2 onwards only', () => {
    const p = miniPack((x) => {
      fields20(x);
      adrg(x, 'BB1').rule = {
        all: [
          { kind: 'principalDxIn', codes: ['d1'] },
          {
            kind: 'anyOf',
            anyOf: [{ all: [{ kind: 'secondaryDxIn', codes: ['d2'] }] }, { all: [{ kind: 'hasMainProc' }] }],
          },
        ],
      };
    });
    expect(run(p, { diagnoses: 'd1|d2' })).toBe('MDCB BB1 BB19 SUCCESS');
    expect(run(p, { diagnoses: 'd1', procedures: 'zz' })).toBe('MDCB BB1 BB19 SUCCESS');
    // d1 alone, no procedure: neither alternative holds; BR1 takes it.
    expect(run(p, { diagnoses: 'd1' })).toBe('MDCB BR1 BR1 SUCCESS');
  });
});
