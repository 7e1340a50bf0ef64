/** Test support: a tiny hand-written pack with made-up codes (no reference data needed). */
import type { DrgPack, DrgTerm } from './pack-schema.ts';
import { parseDrgPack } from './pack-validate.ts';

/** MDC A gated by an OR main procedure; MDC B by its principal list; one ADRG per rule under test. */
export function miniPack(over: (p: DrgPack) => void = () => {}, validate = true): DrgPack {
  const adrg = (code: string, mdc: string, all: DrgTerm[], drgs: string[]) => ({
    adrg: code,
    mdc,
    name: code,
    ruleLabel: '',
    rule: { all },
    drgOrder: drgs,
  });
  const drg = (code: string, split: 'always' | 'mcc' | 'mccOrCc') => ({
    drg: code,
    adrg: code.slice(0, 3),
    name: code,
    split,
  });
  const pack: DrgPack = {
    format: 'yibao.drg-pack',
    formatVersion: 1,
    scheme: 'TEST',
    version: '0',
    title: 'mini',
    source: {},
    codeEditions: { diagnosis: 'test', procedure: 'test' },
    inputChecks: [{ status: 'CHECK_FAILED', label: 'sex empty', when: { all: [{ kind: 'sexEmpty' }] } }],
    mdcOrder: ['A', 'B'],
    onNoAdrgMatch: 'nextMdc',
    mdcs: [
      {
        mdc: 'A',
        name: 'pre',
        entry: { all: [{ kind: 'mainProcIsOrProcedure' }] },
        principalDx: [],
        adrgOrder: ['AA1', 'AB1'],
        ambiguityCheck: { enabled: false, beforeAdrg: null, returns: 'AQY' },
      },
      {
        mdc: 'B',
        name: 'organ',
        entry: { all: [{ kind: 'principalDxInMdcList' }] },
        principalDx: ['d1', 'd2', 'd3'],
        adrgOrder: ['BB1', 'BJ1', 'BR1', 'BS1'],
        ambiguityCheck: { enabled: false, beforeAdrg: 'BR1', returns: 'BQY' },
      },
    ],
    adrgs: [
      adrg(
        'AA1',
        'A',
        [
          { kind: 'anyProcIn', codes: ['p1', 'p2'] },
          { kind: 'anyProcIn', codes: ['p2', 'p3'] },
        ],
        ['AA19'],
      ),
      adrg('AB1', 'A', [{ kind: 'mainProcIn', codes: ['p9'] }, { kind: 'birthWeightG' }], ['AB19']),
      adrg(
        'BB1',
        'B',
        [
          { kind: 'principalDxIn', codes: ['d1'] },
          { kind: 'mainProcIn', codes: ['p5'] },
        ],
        ['BB19'],
      ),
      adrg(
        'BJ1',
        'B',
        [
          { kind: 'principalDxIn', codes: ['d2'] },
          {
            kind: 'procCategoryCombination',
            categories: { '1': ['c1'], '2': ['c2'], '3': ['c3'] },
            anyOf: [['1'], ['2', '3']],
          },
        ],
        ['BJ19'],
      ),
      adrg('BR1', 'B', [{ kind: 'principalDxIn', codes: ['d1', 'd2'] }], ['BR11', 'BR13']),
      adrg('BS1', 'B', [{ kind: 'always' }], ['BS19']),
    ],
    drgs: [
      drg('AA19', 'always'),
      drg('AB19', 'always'),
      drg('BB19', 'always'),
      drg('BJ19', 'always'),
      drg('BR11', 'mcc'),
      drg('BR13', 'mccOrCc'),
      drg('BS19', 'always'),
    ],
    severity: {
      mcc: [
        ['m1', '1'],
        ['m2', '2'],
      ],
      cc: [['c9', '2']],
      principalExclusionTable: [['d1', '1']],
    },
    orProcedures: ['p1', 'p2', 'p3', 'p5', 'p9', 'c1', 'c2', 'c3', 'x1'],
    diagnosisCodes: ['d1', 'd2', 'd3', 'm1', 'm2', 'c9'].map((c) => [c, `name of ${c}`]),
    procedureCodes: ['p1', 'p2', 'p3', 'p5', 'p9', 'c1', 'c2', 'c3', 'x1'].map((c) => [c, '']),
    codeMaps: {
      diagnosis: [
        ['old1', 'd1'],
        ['m1', 'm1'],
      ],
      procedure: [['oldp', 'p5']],
    },
  };
  over(pack);
  return validate ? parseDrgPack(pack, 'mini') : pack;
}
