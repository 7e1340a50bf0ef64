/**
 * Importer: the CHS-DRG 2.0 reference folder (国家医疗保障局 按病组（DRG）付费 2.0 版分组方案, July 2024, as
 * carried by ../shared/reference/chs-drg-2.0, see its README.md) → a yibao DRG pack.
 *
 * Every 2.0 semantic is written into the pack as data: the field checks and the gray / invalid principal-code
 * checks become input checks; `ss_invalid.csv` becomes `mainProcedureCleared`; the pre-MDCs go on to the next
 * MDC while the others stop (`onNoAdrgMatch`); medical ADRGs (2nd letter R–Z, README §4) are flagged
 * `medical` for the medical-only filter and the QY rule; nested `all` / `any` trees become `anyOf` terms. A
 * rule term, validation step or file the importer does not know is an error, never skipped.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCsvRecords } from './csv.ts';
import { array, bad, checkDrgOrder, codeTable, strings } from './import-chs-drg-11.ts';
import { DrgPackError } from './pack-error.ts';
import {
  type DrgCondition,
  type DrgPack,
  type DrgPackAdrg,
  type DrgPackDrg,
  type DrgPackMdc,
  type DrgSplit,
  type DrgStatus,
  type DrgTerm,
  PACK_FORMAT,
  PACK_FORMAT_VERSION,
} from './pack-schema.ts';
import { parseDrgPack } from './pack-validate.ts';

/** The files of the 2.0 reference folder, all required. */
export const CHS_DRG_20_FILES = [
  'mdc.json',
  'adrg.json',
  'drg_split.json',
  'drg.csv',
  'mcc.csv',
  'cc.csv',
  'cce.csv',
  'zd_invalid.csv',
  'ss_invalid.csv',
  'icd10_gray.csv',
  'icd9_gray.csv',
] as const;

/** Does `dir` hold a CHS-DRG 2.0 reference folder (the 1.1 layout plus the gray / invalid code lists)? */
export function isChsDrg20Folder(dir: string): boolean {
  return (
    existsSync(join(dir, 'mdc.json')) &&
    existsSync(join(dir, 'adrg.json')) &&
    existsSync(join(dir, 'zd_invalid.csv')) &&
    existsSync(join(dir, 'icd10_gray.csv'))
  );
}

/** The validation steps of 2.0 (`mdc.json → validations`), in order, that this importer reproduces. */
const VALIDATION_STATUSES = ['CHECK_FAILED', 'NO_DIAGNOSIS', 'ZD_GRAY', 'ZD_NOT_VALID', 'SS_GRAY'] as const;

/** Medical (内科) ADRGs: the 2nd letter of the code is R–Z (README §4, 内科组). */
const MEDICAL_ADRG = /^[A-Z][R-Z]/;

type Json = Record<string, unknown>;

export function importChsDrg20(dir: string): DrgPack {
  for (const f of CHS_DRG_20_FILES) {
    if (!existsSync(join(dir, f))) {
      throw new DrgPackError('DRG_REF_MISSING_FILE', join(dir, f), '', '参考数据缺少此文件', 'reference file missing');
    }
  }
  const where = (file: string) => join(dir, file);
  const hashes: Record<string, string> = {};
  const hash = (name: string, buf: Buffer) => {
    hashes[name] = createHash('sha256').update(buf).digest('hex');
  };
  const readJson = (name: string): Json => {
    const buf = readFileSync(where(name));
    hash(name, buf);
    try {
      return JSON.parse(buf.toString('utf8')) as Json;
    } catch (e) {
      const m = (e as Error).message;
      throw new DrgPackError('DRG_REF_SYNTAX', where(name), '', `JSON 语法错误：${m}`, `bad JSON: ${m}`);
    }
  };
  const readCsv = (name: string, cols: readonly string[]) => {
    hash(name, readFileSync(where(name)));
    return readCsvRecords(where(name), cols);
  };
  const codeList = (name: string) => [...new Set(readCsv(name, ['code']).map((r) => r.code!))];

  const mdcDoc = readJson('mdc.json');
  const adrgDoc = readJson('adrg.json');
  const splitDoc = readJson('drg_split.json');

  // Validation steps: the five statuses in this order, then the clearing of an invalid main procedure.
  const steps = array(mdcDoc.validations, where('mdc.json'), 'validations') as Json[];
  const statuses = steps.filter((v) => v.status !== undefined).map((v) => String(v.status));
  if (statuses.join() !== VALIDATION_STATUSES.join() || steps.length !== VALIDATION_STATUSES.length + 1) {
    throw bad(where('mdc.json'), 'validations', `expected the steps ${VALIDATION_STATUSES.join(', ')} + clearing`);
  }
  const allowedGray = new Set(
    strings(mdcDoc.allowed_gray_main_procedures ?? [], where('mdc.json'), 'allowed_gray_main_procedures'),
  );
  const grayDx = codeList('icd10_gray.csv');
  const grayProc = codeList('icd9_gray.csv').filter((c) => !allowedGray.has(c));
  const invalidDx = codeList('zd_invalid.csv');
  const invalidProc = codeList('ss_invalid.csv');

  const check = (status: DrgStatus, label: string, ...all: DrgTerm[]) => ({ status, label, when: { all } });
  const inputChecks: DrgPack['inputChecks'] = [
    check('CHECK_FAILED', '年龄不是不小于 0 的数字 / age is not a number ≥ 0', {
      kind: 'fieldMalformed',
      field: 'age',
      min: 0,
    }),
    check('CHECK_FAILED', '年龄（天）不是不小于 0 的数字 / age in days is not a number ≥ 0', {
      kind: 'fieldMalformed',
      field: 'ageDays',
      min: 0,
    }),
    check('CHECK_FAILED', '出生体重不是不小于 1 的数字 / birth weight is not a number ≥ 1', {
      kind: 'fieldMalformed',
      field: 'birthWeightG',
      min: 1,
    }),
    check('CHECK_FAILED', '住院天数不是不小于 0 的数字 / length of stay is not a number ≥ 0', {
      kind: 'fieldMalformed',
      field: 'los',
      min: 0,
    }),
    check(
      'CHECK_FAILED',
      '填写了年龄（天）时年龄须为空或 0 / with age in days, age must be empty or 0',
      { kind: 'fieldGiven', field: 'ageDays' },
      { kind: 'numberIn', field: 'age', gt: 0 },
    ),
    check('CHECK_FAILED', '性别只能为 1、2 或空 / sex must be 1, 2 or empty', { kind: 'sexInvalid' }),
    check('NO_DIAGNOSIS', '无诊断 / no diagnosis', { kind: 'noDiagnosis' }),
    check('ZD_GRAY', '主要诊断为灰码 / principal diagnosis is a gray code', { kind: 'principalDxIn', codes: grayDx }),
    check('ZD_NOT_VALID', '主要诊断不能作为主要诊断 / principal diagnosis not allowed as principal', {
      kind: 'principalDxIn',
      codes: invalidDx,
    }),
    check('SS_GRAY', '主要手术操作为灰码 / main procedure is a gray code', { kind: 'mainProcIn', codes: grayProc }),
  ];

  const preMdcs = new Set(strings(mdcDoc.pre_mdc_order, where('mdc.json'), 'pre_mdc_order'));
  const mdcOrder = strings(mdcDoc.mdc_order, where('mdc.json'), 'mdc_order');
  if (mdcOrder.slice(0, preMdcs.size).join() !== [...preMdcs].join()) {
    throw bad(where('mdc.json'), 'mdc_order', 'the pre-MDCs must come first, in pre_mdc_order');
  }
  const noMatch: Record<string, 'nextMdc' | 'fail'> = { continue_with_next_mdc: 'nextMdc', stop_fail: 'fail' };
  const mdcs: DrgPackMdc[] = array(mdcDoc.mdcs, where('mdc.json'), 'mdcs').map((m, i) => {
    const x = m as Json;
    const at = `mdcs[${i}]`;
    const letter = String(x.mdc);
    const onNoAdrgMatch = noMatch[String(x.on_no_adrg_match)];
    if (!onNoAdrgMatch) throw bad(where('mdc.json'), `${at}.on_no_adrg_match`, 'unknown value');
    const pre = x.pre_mdc === true;
    if (pre !== preMdcs.has(letter)) throw bad(where('mdc.json'), `${at}.pre_mdc`, 'disagrees with pre_mdc_order');
    return {
      mdc: letter,
      name: String(x.name),
      entry: mdcEntry(x, where('mdc.json'), at),
      principalDx: strings(x.principal_dx, where('mdc.json'), `${at}.principal_dx`),
      adrgOrder: strings(x.adrg_order, where('mdc.json'), `${at}.adrg_order`),
      ambiguityCheck: { enabled: true, beforeAdrg: null, returns: `${letter}QY`, when: 'medicalAdrgWithMainProc' },
      onNoAdrgMatch,
      medicalOnlyWithoutMainProc: !pre,
    };
  });

  const adrgs: DrgPackAdrg[] = array(adrgDoc.adrgs, where('adrg.json'), 'adrgs').map((a, i) => {
    const x = a as Json;
    const at = `adrgs[${i}]`;
    if (x.fallback_if_no_drg_matches !== null || x.last_drg_is_unconditional !== true) {
      throw bad(where('adrg.json'), at, 'expected no fallback and an unconditional last DRG');
    }
    const code = String(x.adrg);
    return {
      adrg: code,
      mdc: String(x.mdc),
      name: String(x.name),
      ruleLabel: String(x.rule_label ?? ''),
      rule: topCondition(x.rule, where('adrg.json'), `${at}.rule`),
      drgOrder: strings(x.drg_order, where('adrg.json'), `${at}.drg_order`),
      medical: MEDICAL_ADRG.test(code),
    };
  });

  const splitKinds: Record<string, DrgSplit> = { always: 'always', mcc: 'mcc', mcc_or_cc: 'mccOrCc' };
  const drgs: DrgPackDrg[] = array(splitDoc.drgs, where('drg_split.json'), 'drgs').map((d, i) => {
    const x = d as Json;
    const split = splitKinds[String(x.split)];
    if (!split) throw bad(where('drg_split.json'), `drgs[${i}].split`, `unknown split "${String(x.split)}"`);
    return { drg: String(x.drg), adrg: String(x.adrg), name: String(x.name), split };
  });
  checkDrgOrder(splitDoc, adrgs, where('drg_split.json'));
  const drgNames = new Set(readCsv('drg.csv', ['drg', 'name']).map((r) => r.drg!));
  if (drgNames.size !== drgs.length || drgs.some((d) => !drgNames.has(d.drg))) {
    throw bad(where('drg.csv'), '', 'the DRGs of drg.csv and drg_split.json differ');
  }

  const severity = {
    mcc: codeTable(readCsv('mcc.csv', ['code', 'exclusion_table']), 'code', 'exclusion_table', where('mcc.csv')),
    cc: codeTable(readCsv('cc.csv', ['code', 'exclusion_table']), 'code', 'exclusion_table', where('cc.csv')),
    principalExclusionTable: codeTable(
      readCsv('cce.csv', ['principal_code', 'exclusion_table']),
      'principal_code',
      'exclusion_table',
      where('cce.csv'),
    ),
  };

  // The folder has no code dictionaries (README §2): the codes the scheme uses, without names.
  const pack: DrgPack = {
    format: PACK_FORMAT,
    formatVersion: PACK_FORMAT_VERSION,
    scheme: 'CHS-DRG',
    version: '2.0',
    title: 'CHS-DRG 2.0 国家医疗保障疾病诊断相关分组（医保办发〔2024〕9号；ICD-10 / ICD-9-CM-3 医保版 2.0）',
    source: {
      importedFrom: 'chs-drg-2.0 reference pack (yibao importChsDrg20)',
      reference: mdcDoc.source ?? null,
      sha256: hashes,
    },
    codeEditions: { diagnosis: 'ICD-10 医保版 2.0', procedure: 'ICD-9-CM-3 医保版 2.0' },
    inputChecks,
    mdcOrder,
    onNoAdrgMatch: 'fail',
    caseFields: { emptyNumbers: 'notGiven', truncateNumbers: true, sexWords: false, trimCodes: true },
    mainProcedureCleared: invalidProc,
    mdcs,
    adrgs,
    drgs,
    severity,
    orProcedures: [],
    diagnosisCodes: [],
    procedureCodes: [],
  };
  const known = usedCodes(pack);
  pack.diagnosisCodes = known.dx.map((c) => [c, '']);
  pack.procedureCodes = known.proc.map((c) => [c, '']);
  return parseDrgPack(pack, dir);
}

/** Every code the pack's lists use, diagnoses and procedures, in first-seen order. */
function usedCodes(pack: DrgPack): { dx: string[]; proc: string[] } {
  const dx = new Set<string>();
  const proc = new Set<string>();
  const walk = (c: DrgCondition) => {
    for (const t of c.all) {
      if (t.kind === 'principalDxIn' || t.kind === 'anyDxIn' || t.kind === 'secondaryDxIn') {
        for (const x of t.codes) dx.add(x);
      } else if (t.kind === 'mainProcIn' || t.kind === 'anyProcIn') {
        for (const x of t.codes) proc.add(x);
      } else if (t.kind === 'minDistinctTraumaRegions') {
        for (const list of Object.values(t.regions)) for (const x of list) dx.add(x);
      } else if (t.kind === 'anyOf') t.anyOf.forEach(walk);
    }
  };
  for (const m of pack.mdcs) {
    for (const x of m.principalDx) dx.add(x);
    walk(m.entry);
  }
  for (const a of pack.adrgs) walk(a.rule);
  for (const c of pack.inputChecks) walk(c.when);
  for (const [c] of [...pack.severity.mcc, ...pack.severity.cc, ...pack.severity.principalExclusionTable]) dx.add(c);
  for (const c of pack.mainProcedureCleared ?? []) proc.add(c);
  return { dx: [...dx], proc: [...proc] };
}

/** An MDC's `condition` (`{all: [...]}` of MDC-level terms). */
function mdcEntry(x: Json, file: string, at: string): DrgCondition {
  const all = array((x.condition as Json | null)?.all, file, `${at}.condition.all`);
  const regions = x.trauma_regions as Record<string, unknown> | undefined;
  const regionLists = (): Record<string, string[]> => {
    if (!regions) throw bad(file, `${at}.trauma_regions`, 'trauma terms need trauma_regions');
    const out: Record<string, string[]> = {};
    for (const [name, list] of Object.entries(regions)) out[name] = strings(list, file, `${at}.trauma_regions.${name}`);
    return out;
  };
  return {
    all: all.map((t, i): DrgTerm => {
      const here = `${at}.condition.all[${i}]`;
      const [key, v] = onlyEntry(t, file, here);
      switch (key) {
        case 'always':
          return { kind: 'always' };
        case 'principal_dx_in_mdc_list':
          return { kind: 'principalDxInMdcList' };
        case 'any_dx_in_mdc_list':
          return { kind: 'anyDxIn', codes: strings(x.identifying_dx, file, `${at}.identifying_dx`) };
        case 'age_days_lt':
          return { kind: 'numberIn', field: 'ageDays', lt: number(v, file, here) };
        case 'principal_dx_in_trauma_regions':
          return { kind: 'principalDxIn', codes: [...new Set(Object.values(regionLists()).flat())] };
        case 'min_distinct_trauma_regions':
          return { kind: 'minDistinctTraumaRegions', min: number(v, file, here), regions: regionLists() };
        case 'sex_not':
          if (v !== '1' && v !== '2') throw bad(file, here, 'sex_not must be "1" or "2"');
          return { kind: 'sexIsNot', sex: v };
        default:
          throw bad(file, here, `unknown MDC condition term "${key}"`);
      }
    }),
  };
}

function onlyEntry(t: unknown, file: string, at: string): [string, unknown] {
  if (t === null || typeof t !== 'object' || Array.isArray(t)) throw bad(file, at, 'expected an object');
  const entries = Object.entries(t as Json);
  if (entries.length !== 1) throw bad(file, at, 'a node must have exactly one key');
  return entries[0]!;
}

function number(v: unknown, file: string, at: string): number {
  if (typeof v !== 'number') throw bad(file, at, 'expected a number');
  return v;
}

/** An ADRG rule tree → a condition: `all` stays, `any` becomes one `anyOf` term. */
function topCondition(v: unknown, file: string, at: string): DrgCondition {
  const [key] = onlyEntry(v, file, at);
  if (key === 'all') return allOf(v, file, at);
  return { all: [node(v, file, at)] };
}

function allOf(v: unknown, file: string, at: string): DrgCondition {
  const [key, list] = onlyEntry(v, file, at);
  if (key !== 'all') return { all: [node(v, file, at)] };
  return { all: array(list, file, `${at}.all`).map((n, i) => node(n, file, `${at}.all[${i}]`)) };
}

/** One node of a rule tree as a term (`all` inside `any` becomes an alternative; `all` inside `all` flattens). */
function node(v: unknown, file: string, at: string): DrgTerm {
  const [key, x] = onlyEntry(v, file, at);
  const list = (kind: 'principalDxIn' | 'secondaryDxIn' | 'anyDxIn' | 'mainProcIn' | 'anyProcIn'): DrgTerm => ({
    kind,
    codes: strings(x, file, at),
  });
  const flag = (kind: 'hasMainProc' | 'noMainProc' | 'always'): DrgTerm => {
    if (x !== true) throw bad(file, at, `${key} must be true`);
    return { kind };
  };
  switch (key) {
    case 'any':
      return {
        kind: 'anyOf',
        anyOf: array(x, file, `${at}.any`).map((n, i) => allOf(n, file, `${at}.any[${i}]`)),
      };
    case 'all': {
      // An `all` directly inside an `all` (never in 2.0): one alternative.
      return { kind: 'anyOf', anyOf: [allOf(v, file, at)] };
    }
    case 'principal_dx_in':
      return list('principalDxIn');
    case 'secondary_dx_in':
      return list('secondaryDxIn');
    case 'any_dx_in':
      return list('anyDxIn');
    case 'main_proc_in':
      return list('mainProcIn');
    case 'any_proc_in':
      return list('anyProcIn');
    case 'has_main_proc':
      return flag('hasMainProc');
    case 'no_main_proc':
      return flag('noMainProc');
    case 'always':
      return flag('always');
    case 'age_days_lt':
      return { kind: 'numberIn', field: 'ageDays', lt: number(x, file, at) };
    case 'age_days_gte':
      return { kind: 'numberIn', field: 'ageDays', gte: number(x, file, at) };
    case 'birth_weight_g': {
      const out: DrgTerm = { kind: 'birthWeightG' };
      for (const [k, n] of Object.entries((x ?? {}) as Json)) {
        if (!['gt', 'gte', 'lt', 'lte', 'eq'].includes(k) || typeof n !== 'number') {
          throw bad(file, `${at}.${k}`, `unknown bound ${k}`);
        }
        out[k as 'gt'] = n;
      }
      return out;
    }
    default:
      throw bad(file, at, `unknown rule term "${key}"`);
  }
}
