/**
 * Importer: the public CHS-DRG 1.1 reference folder (国家医疗保障局 CHS-DRG 分组方案 1.1 版, as carried by
 * ../shared/reference/chs-drg-1.1, see its README.md) → a yibao DRG pack. Every rule term of the reference is
 * translated one to one; a term, file or field the importer does not know is an error, never skipped.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCsvRecords } from './csv.ts';
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
import { INPUT_CHECK_LABELS } from './status.ts';

/** The files of the reference folder, all required. */
export const CHS_DRG_11_FILES = [
  'mdc.json',
  'adrg.json',
  'drg_split.json',
  'drg.csv',
  'mcc.csv',
  'cc.csv',
  'cce.csv',
  'or_procedures.csv',
  'icd10.csv',
  'icd9.csv',
  'icd10_map.csv',
  'icd9_map.csv',
] as const;

/** Does `dir` look like a CHS-DRG reference folder (1.1 or 2.0, rather than a yibao pack)? */
export function isChsDrg11Folder(dir: string): boolean {
  return existsSync(join(dir, 'mdc.json')) && existsSync(join(dir, 'adrg.json'));
}

type Json = Record<string, unknown>;

/** Read the reference folder and return a validated pack. */
export function importChsDrg11(dir: string): DrgPack {
  for (const f of CHS_DRG_11_FILES) {
    if (!existsSync(join(dir, f))) {
      throw new DrgPackError('DRG_REF_MISSING_FILE', join(dir, f), '', '参考数据缺少此文件', 'reference file missing');
    }
  }
  const hashes: Record<string, string> = {};
  const readJson = (name: string): Json => {
    const buf = readFileSync(join(dir, name));
    hashes[name] = createHash('sha256').update(buf).digest('hex');
    try {
      return JSON.parse(buf.toString('utf8')) as Json;
    } catch (e) {
      const m = (e as Error).message;
      throw new DrgPackError('DRG_REF_SYNTAX', join(dir, name), '', `JSON 语法错误：${m}`, `bad JSON: ${m}`);
    }
  };
  const readCsv = (name: string, cols: readonly string[]) => {
    hashes[name] = createHash('sha256')
      .update(readFileSync(join(dir, name)))
      .digest('hex');
    return readCsvRecords(join(dir, name), cols);
  };

  const mdcDoc = readJson('mdc.json');
  const adrgDoc = readJson('adrg.json');
  const splitDoc = readJson('drg_split.json');
  const where = (file: string) => join(dir, file);

  if (mdcDoc.on_no_adrg_match_in_mdc !== 'continue_with_next_mdc') {
    throw bad(where('mdc.json'), 'on_no_adrg_match_in_mdc', 'only continue_with_next_mdc is supported');
  }
  const inputChecks = array(mdcDoc.input_checks, where('mdc.json'), 'input_checks').map((c, i) => {
    const check = c as Json;
    const at = `input_checks[${i}]`;
    return {
      status: String(check.status) as DrgStatus,
      label: describeCheck(check.when, where('mdc.json'), `${at}.when`),
      when: condition(check.when, where('mdc.json'), `${at}.when`),
    };
  });
  const mdcs: DrgPackMdc[] = array(mdcDoc.mdcs, where('mdc.json'), 'mdcs').map((m, i) => {
    const x = m as Json;
    const at = `mdcs[${i}]`;
    const qy = x.qy_check as Json;
    return {
      mdc: String(x.mdc),
      name: String(x.name),
      entry: condition(x.condition, where('mdc.json'), `${at}.condition`),
      principalDx: strings(x.principal_dx, where('mdc.json'), `${at}.principal_dx`),
      adrgOrder: strings(x.adrg_order, where('mdc.json'), `${at}.adrg_order`),
      ambiguityCheck: {
        enabled: qy.enabled === true,
        beforeAdrg: qy.position_before_adrg == null ? null : String(qy.position_before_adrg),
        returns: String(qy.would_return),
      },
    };
  });

  const adrgs: DrgPackAdrg[] = array(adrgDoc.adrgs, where('adrg.json'), 'adrgs').map((a, i) => {
    const x = a as Json;
    const at = `adrgs[${i}]`;
    if (x.fallback_if_no_drg_matches !== x.adrg) {
      throw bad(where('adrg.json'), `${at}.fallback_if_no_drg_matches`, 'the fallback must be the ADRG code itself');
    }
    return {
      adrg: String(x.adrg),
      mdc: String(x.mdc),
      name: String(x.name),
      ruleLabel: String(x.rule_label ?? ''),
      rule: condition(x.rule, where('adrg.json'), `${at}.rule`),
      drgOrder: strings(x.drg_order, where('adrg.json'), `${at}.drg_order`),
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

  const pack: DrgPack = {
    format: PACK_FORMAT,
    formatVersion: PACK_FORMAT_VERSION,
    scheme: 'CHS-DRG',
    version: '1.1',
    title: 'CHS-DRG 1.1 国家医疗保障疾病诊断相关分组（ICD-10 / ICD-9-CM-3 医保版 2.0）',
    source: {
      importedFrom: 'chs-drg-1.1 reference pack (yibao importChsDrg11)',
      reference: mdcDoc.source ?? null,
      sha256: hashes,
    },
    codeEditions: { diagnosis: 'ICD-10 医保版 2.0', procedure: 'ICD-9-CM-3 医保版 2.0' },
    inputChecks,
    mdcOrder: strings(mdcDoc.mdc_order, where('mdc.json'), 'mdc_order'),
    onNoAdrgMatch: 'nextMdc',
    mdcs,
    adrgs,
    drgs,
    severity: {
      mcc: codeTable(readCsv('mcc.csv', ['code', 'exclusion_table']), 'code', 'exclusion_table', where('mcc.csv')),
      cc: codeTable(readCsv('cc.csv', ['code', 'exclusion_table']), 'code', 'exclusion_table', where('cc.csv')),
      principalExclusionTable: codeTable(
        readCsv('cce.csv', ['principal_code', 'exclusion_table']),
        'principal_code',
        'exclusion_table',
        where('cce.csv'),
      ),
    },
    orProcedures: readCsv('or_procedures.csv', ['code']).map((r) => r.code!),
    diagnosisCodes: codeTable(readCsv('icd10.csv', ['code', 'name']), 'code', 'name', where('icd10.csv')),
    procedureCodes: codeTable(readCsv('icd9.csv', ['code', 'name']), 'code', 'name', where('icd9.csv')),
    codeMaps: {
      diagnosis: codeTable(
        readCsv('icd10_map.csv', ['source_code', 'grouper_code']),
        'source_code',
        'grouper_code',
        where('icd10_map.csv'),
      ),
      procedure: codeTable(
        readCsv('icd9_map.csv', ['source_code', 'grouper_code']),
        'source_code',
        'grouper_code',
        where('icd9_map.csv'),
      ),
    },
  };
  return parseDrgPack(pack, dir);
}

export function bad(file: string, at: string, en: string): DrgPackError {
  return new DrgPackError('DRG_REF_UNSUPPORTED', file, at, `参考数据无法导入：${en}`, `cannot import: ${en}`);
}

export function array(v: unknown, file: string, at: string): unknown[] {
  if (!Array.isArray(v)) throw bad(file, at, 'expected an array');
  return v;
}

export function strings(v: unknown, file: string, at: string): string[] {
  const a = array(v, file, at);
  if (a.some((s) => typeof s !== 'string')) throw bad(file, at, 'expected an array of strings');
  return a as string[];
}

/** `[code, value]` pairs from two columns; a code given twice is an error (same value: kept once). */
export function codeTable(
  rows: Record<string, string>[],
  key: string,
  value: string,
  file: string,
): [string, string][] {
  const seen = new Map<string, string>();
  const out: [string, string][] = [];
  rows.forEach((r, i) => {
    const k = r[key]!;
    const v = r[value]!;
    const before = seen.get(k);
    if (before !== undefined && before !== v) throw bad(file, `row ${i + 2}`, `${k} has two values`);
    if (before !== undefined) return;
    seen.set(k, v);
    out.push([k, v]);
  });
  return out;
}

export function checkDrgOrder(splitDoc: Json, adrgs: DrgPackAdrg[], file: string): void {
  const byAdrg = new Map<string, { drg: string; order: number }[]>();
  for (const d of array(splitDoc.drgs, file, 'drgs') as Json[]) {
    const list = byAdrg.get(String(d.adrg)) ?? [];
    list.push({ drg: String(d.drg), order: Number(d.order_within_adrg) });
    byAdrg.set(String(d.adrg), list);
  }
  for (const a of adrgs) {
    const listed = (byAdrg.get(a.adrg) ?? []).sort((x, y) => x.order - y.order).map((d) => d.drg);
    if (listed.join() !== a.drgOrder.join()) throw bad(file, a.adrg, 'order_within_adrg disagrees with drg_order');
  }
}

/** Translate a reference condition `{all: [...]}` term by term. */
function condition(v: unknown, file: string, at: string): DrgCondition {
  const all = array((v as Json | null)?.all, file, `${at}.all`);
  return {
    all: all.map((t, i) => {
      const x = t as Json;
      const keys = Object.keys(x);
      if (keys.length !== 1) throw bad(file, `${at}.all[${i}]`, 'a term must have exactly one key');
      return term(keys[0]!, x[keys[0]!], file, `${at}.all[${i}]`);
    }),
  };
}

function term(key: string, v: unknown, file: string, at: string): DrgTerm {
  const flag = (kind: 'principalDxInMdcList' | 'mainProcIsOrProcedure' | 'noOrProcedure' | 'always' | 'sexEmpty') => {
    if (v !== true) throw bad(file, at, `${key} must be true`);
    return { kind };
  };
  const num = () => {
    if (typeof v !== 'number') throw bad(file, at, `${key} must be a number`);
    return v;
  };
  switch (key) {
    case 'principal_dx_in':
      return { kind: 'principalDxIn', codes: strings(v, file, at) };
    case 'any_dx_in':
      return { kind: 'anyDxIn', codes: strings(v, file, at) };
    case 'main_proc_in':
      return { kind: 'mainProcIn', codes: strings(v, file, at) };
    case 'any_proc_in':
      return { kind: 'anyProcIn', codes: strings(v, file, at) };
    case 'principal_dx_in_mdc_list':
      return flag('principalDxInMdcList');
    case 'main_proc_is_or_procedure':
      return flag('mainProcIsOrProcedure');
    case 'no_or_procedure':
      return flag('noOrProcedure');
    case 'always':
      return flag('always');
    case 'sex_empty':
      return flag('sexEmpty');
    case 'age_years_eq':
      return { kind: 'ageYearsEq', value: num() };
    case 'age_days_max':
      return { kind: 'ageDaysMax', value: num() };
    case 'sex':
      if (v !== '1' && v !== '2') throw bad(file, at, 'sex must be "1" or "2"');
      return { kind: 'sexIs', sex: v };
    case 'birth_weight_g': {
      const b = v as Json;
      const out: DrgTerm = { kind: 'birthWeightG' };
      for (const [k, n] of Object.entries(b)) {
        if (!['gt', 'gte', 'lt', 'lte', 'eq'].includes(k) || typeof n !== 'number') {
          throw bad(file, `${at}.${k}`, `unknown bound ${k}`);
        }
        out[k as 'gt'] = n;
      }
      return out;
    }
    case 'min_distinct_trauma_regions': {
      const x = v as Json;
      const regions: Record<string, string[]> = {};
      for (const [name, list] of Object.entries((x.regions ?? {}) as Json)) {
        regions[name] = strings(list, file, `${at}.regions.${name}`);
      }
      return { kind: 'minDistinctTraumaRegions', min: Number(x.min), regions };
    }
    case 'proc_category_combination': {
      const x = v as Json;
      const categories: Record<string, string[]> = {};
      for (const [name, list] of Object.entries((x.categories ?? {}) as Json)) {
        categories[name] = strings(list, file, `${at}.categories.${name}`);
      }
      const anyOf = array(x.any_of, file, `${at}.any_of`).map((alt, i) => strings(alt, file, `${at}.any_of[${i}]`));
      return { kind: 'procCategoryCombination', categories, anyOf };
    }
    default:
      throw bad(file, at, `unknown rule term "${key}"`);
  }
}

/** A readable label for an input check, from its terms. */
function describeCheck(v: unknown, file: string, at: string): string {
  const c = condition(v, file, at);
  if (c.all.length === 1 && c.all[0]!.kind === 'sexEmpty') return INPUT_CHECK_LABELS.sexEmpty;
  if (c.all.some((t) => t.kind === 'birthWeightG')) return INPUT_CHECK_LABELS.newbornWithoutWeight;
  return c.all.map((t) => t.kind).join(' & ');
}
