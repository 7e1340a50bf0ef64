/**
 * Compile a pack into a kernel: intern every code, turn every code list into a bitset, every per-code fact
 * (MCC/CC exclusion table, MDC lists, trauma region, procedure table) into an array indexed by code id, and
 * every rule into compiled terms. Done once per pack; grouping then never touches a string.
 */
import { bitsetOf } from './bitset.ts';
import { buildCodeDictionary, type CodeDictionary } from './code-dictionary.ts';
import { describeTerm } from './describe-term.ts';
import {
  type CompiledAdrg,
  type CompiledMdc,
  type CompiledTerm,
  type DrgKernel,
  FIELD_AGE,
  FIELD_AGE_DAYS,
  FIELD_BIRTH_WEIGHT,
  FIELD_LOS,
  type KernelCore,
  OP,
  QY_BEFORE_ADRG,
  QY_MEDICAL_WITH_MAIN_PROC,
  SPLIT_ALWAYS,
  SPLIT_MCC,
  SPLIT_MCC_OR_CC,
} from './kernel-types.ts';
import type { DrgCaseField, DrgCaseFields, DrgCondition, DrgPack, DrgTerm } from './pack-schema.ts';
import { conditionTerms, termCodes } from './pack-validate.ts';
import { DRG_STATUSES, statusIndex } from './status.ts';

const EMPTY_SET = new Int32Array(0);
const EMPTY_MASKS = new Int32Array(0);

/** CHS-DRG 1.1's reading of case fields, for packs that do not say. */
export const DEFAULT_CASE_FIELDS: DrgCaseFields = {
  emptyNumbers: 'zero',
  truncateNumbers: false,
  sexWords: true,
  trimCodes: false,
};

const FIELDS: Record<DrgCaseField, number> = {
  age: FIELD_AGE,
  ageDays: FIELD_AGE_DAYS,
  birthWeightG: FIELD_BIRTH_WEIGHT,
  los: FIELD_LOS,
};

export function compileDrgPack(pack: DrgPack): DrgKernel {
  const conditions = [
    ...pack.inputChecks.map((c) => c.when),
    ...pack.mdcs.map((m) => m.entry),
    ...pack.adrgs.map((a) => a.rule),
  ];
  const terms = conditions.flatMap(conditionTerms);
  const dx = buildCodeDictionary([
    pack.diagnosisCodes.map(([c]) => c),
    ...pack.mdcs.map((m) => m.principalDx),
    ...terms.map((t) => termCodes(t).dx),
    pack.severity.mcc.map(([c]) => c),
    pack.severity.cc.map(([c]) => c),
    pack.severity.principalExclusionTable.map(([c]) => c),
  ]);
  const proc = buildCodeDictionary([
    pack.procedureCodes.map(([c]) => c),
    pack.orProcedures,
    pack.mainProcedureCleared ?? [],
    ...terms.map((t) => termCodes(t).proc),
  ]);
  const dxCount = dx.codes.length;
  const procCount = proc.codes.length;

  const mdcByLetter = new Map(pack.mdcs.map((m) => [m.mdc, m]));
  const orderedMdcs = pack.mdcOrder.map((l) => mdcByLetter.get(l)!);
  const mdcMaskByDx = new Int32Array(dxCount);
  orderedMdcs.forEach((m, bit) => {
    for (const c of m.principalDx) mdcMaskByDx[dx.ids.get(c)!]! |= 1 << bit;
  });

  const compileCondition = (c: DrgCondition, mdcBit: number): CompiledTerm[] =>
    c.all.map((t) => {
      const out = compileTerm(t, dx, proc, mdcBit);
      if (t.kind === 'anyOf') out.subs = t.anyOf.map((alt) => compileCondition(alt, mdcBit));
      return out;
    });

  const adrgIndex = new Map(pack.adrgs.map((a, i) => [a.adrg, i]));
  const drgByCode = new Map(pack.drgs.map((d) => [d.drg, d]));
  const drgCodes: string[] = [];
  const drgNames: string[] = [];
  const splits: number[] = [];
  const adrgs: CompiledAdrg[] = pack.adrgs.map((a) => {
    const drgFrom = drgCodes.length;
    for (const code of a.drgOrder) {
      const d = drgByCode.get(code)!;
      drgCodes.push(d.drg);
      drgNames.push(d.name);
      splits.push(d.split === 'always' ? SPLIT_ALWAYS : d.split === 'mcc' ? SPLIT_MCC : SPLIT_MCC_OR_CC);
    }
    const rule = compileCondition(a.rule, 0);
    return {
      code: a.adrg,
      rule,
      principalDxSet: rule.find((t) => t.op === OP.principalDxIn)?.set ?? EMPTY_SET,
      mainProcSet: rule.find((t) => t.op === OP.mainProcIn)?.set ?? EMPTY_SET,
      drgFrom,
      drgTo: drgCodes.length,
      medical: a.medical ?? false,
    };
  });

  const mdcs: CompiledMdc[] = orderedMdcs.map((m, bit) => {
    const qy = m.ambiguityCheck;
    return {
      code: `MDC${m.mdc}`,
      letter: m.mdc,
      entry: compileCondition(m.entry, 1 << bit),
      dxListBit: m.entry.all.some((t) => t.kind === 'principalDxInMdcList') ? 1 << bit : 0,
      adrgs: Int32Array.from(m.adrgOrder, (code) => adrgIndex.get(code)!),
      ambiguityAt:
        qy.enabled && (qy.when ?? 'beforeAdrg') === 'beforeAdrg' && qy.beforeAdrg !== null
          ? m.adrgOrder.indexOf(qy.beforeAdrg)
          : -1,
      ambiguityCode: qy.returns,
      ambiguityWhen: !qy.enabled
        ? -1
        : (qy.when ?? 'beforeAdrg') === 'beforeAdrg'
          ? QY_BEFORE_ADRG
          : QY_MEDICAL_WITH_MAIN_PROC,
      nextMdcOnNoAdrg: (m.onNoAdrgMatch ?? pack.onNoAdrgMatch) === 'nextMdc',
      medicalOnlyWithoutMainProc: m.medicalOnlyWithoutMainProc ?? false,
    };
  });

  const tables = new Map<string, number>();
  const tableNames = [''];
  const tableNumber = (id: string) => {
    let n = tables.get(id);
    if (n === undefined) {
      n = tableNames.length;
      tables.set(id, n);
      tableNames.push(id);
    }
    return n;
  };
  const tableArray = (pairs: readonly [string, string][]) => {
    const out = new Int32Array(dxCount);
    for (const [code, table] of pairs) out[dx.ids.get(code)!] = tableNumber(table);
    return out;
  };
  const namesOf = (dict: CodeDictionary, pairs: readonly [string, string][]) => {
    const names = new Array<string>(dict.codes.length).fill('');
    for (const [code, name] of pairs) names[dict.ids.get(code)!] = name;
    return names;
  };

  const orProcedure = new Uint8Array(procCount);
  for (const c of pack.orProcedures) orProcedure[proc.ids.get(c)!] = 1;
  const clearedMainProc = new Uint8Array(procCount);
  for (const c of pack.mainProcedureCleared ?? []) clearedMainProc[proc.ids.get(c)!] = 1;

  const core: KernelCore = {
    dxCount,
    procCount,
    inputChecks: pack.inputChecks.map((c) => ({ status: statusIndex(c.status), when: compileCondition(c.when, 0) })),
    mdcs,
    adrgs,
    drgCodes,
    drgSplit: Uint8Array.from(splits),
    ungatedMdcs: mdcs.reduce((mask, m, bit) => (m.dxListBit === 0 ? mask | (1 << bit) : mask), 0),
    mdcMaskByDx,
    mccTable: tableArray(pack.severity.mcc),
    ccTable: tableArray(pack.severity.cc),
    principalTable: tableArray(pack.severity.principalExclusionTable),
    orProcedure,
    clearedMainProc,
  };
  const describe = (c: DrgCondition) => c.all.map(describeTerm);
  return {
    scheme: pack.scheme,
    version: pack.version,
    core,
    dx,
    proc,
    names: {
      mdc: orderedMdcs.map((m) => m.name),
      adrg: pack.adrgs.map((a) => a.name),
      adrgRuleLabel: pack.adrgs.map((a) => a.ruleLabel),
      drg: drgNames,
      dx: namesOf(dx, pack.diagnosisCodes),
      proc: namesOf(proc, pack.procedureCodes),
      table: tableNames,
      inputCheck: pack.inputChecks.map((c) => c.label),
    },
    termText: {
      inputChecks: pack.inputChecks.map((c) => describe(c.when)),
      mdcEntry: orderedMdcs.map((m) => describe(m.entry)),
      adrgRule: pack.adrgs.map((a) => describe(a.rule)),
    },
    codeMaps: pack.codeMaps
      ? { diagnosis: new Map(pack.codeMaps.diagnosis), procedure: new Map(pack.codeMaps.procedure) }
      : null,
    statusWords: DRG_STATUSES,
    caseFields: pack.caseFields ?? DEFAULT_CASE_FIELDS,
  };
}

function term(op: number): CompiledTerm {
  return {
    op,
    subs: [],
    field: 0,
    set: EMPTY_SET,
    masks: EMPTY_MASKS,
    alts: EMPTY_MASKS,
    num0: Number.NaN,
    num1: Number.NaN,
    num2: Number.NaN,
    num3: Number.NaN,
    num4: Number.NaN,
  };
}

function idsOf(dict: CodeDictionary, codes: readonly string[]): number[] {
  return codes.map((c) => dict.ids.get(c)!);
}

function compileTerm(t: DrgTerm, dx: CodeDictionary, proc: CodeDictionary, mdcBit: number): CompiledTerm {
  const out = term(OP[t.kind]);
  switch (t.kind) {
    case 'principalDxIn':
    case 'anyDxIn':
    case 'secondaryDxIn':
      out.set = bitsetOf(idsOf(dx, t.codes), dx.codes.length);
      break;
    case 'numberIn':
      out.field = FIELDS[t.field];
      out.num0 = t.gt ?? Number.NaN;
      out.num1 = t.gte ?? Number.NaN;
      out.num2 = t.lt ?? Number.NaN;
      out.num3 = t.lte ?? Number.NaN;
      out.num4 = t.eq ?? Number.NaN;
      break;
    case 'fieldMalformed':
      out.field = FIELDS[t.field];
      out.num0 = t.min;
      break;
    case 'fieldGiven':
      out.field = FIELDS[t.field];
      break;
    case 'sexIsNot':
      out.num0 = Number(t.sex);
      break;
    case 'mainProcIn':
    case 'anyProcIn':
      out.set = bitsetOf(idsOf(proc, t.codes), proc.codes.length);
      break;
    case 'principalDxInMdcList':
      out.num0 = mdcBit;
      break;
    case 'ageYearsEq':
    case 'ageDaysMax':
      out.num0 = t.value;
      break;
    case 'birthWeightG':
      out.num0 = t.gt ?? Number.NaN;
      out.num1 = t.gte ?? Number.NaN;
      out.num2 = t.lt ?? Number.NaN;
      out.num3 = t.lte ?? Number.NaN;
      out.num4 = t.eq ?? Number.NaN;
      break;
    case 'sexIs':
      out.num0 = Number(t.sex);
      break;
    case 'minDistinctTraumaRegions': {
      out.num0 = t.min;
      out.masks = new Int32Array(dx.codes.length);
      Object.values(t.regions).forEach((codes, bit) => {
        for (const id of idsOf(dx, codes)) out.masks[id]! |= 1 << bit;
      });
      break;
    }
    case 'procCategoryCombination': {
      const names = Object.keys(t.categories);
      out.masks = new Int32Array(proc.codes.length);
      names.forEach((name, bit) => {
        for (const id of idsOf(proc, t.categories[name]!)) out.masks[id]! |= 1 << bit;
      });
      out.alts = Int32Array.from(t.anyOf, (alt) => alt.reduce((m, name) => m | (1 << names.indexOf(name)), 0));
      break;
    }
    default:
      break;
  }
  return out;
}
