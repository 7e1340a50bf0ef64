/**
 * Importer: a CHS-DRG scheme workbook (分组方案表格, the layout in layout.ts) → a yibao DRG pack. Pure: the sheets
 * come in as text tables (src/tables reads XLSX and CSV folders). Every error names the file, the sheet, the row
 * and the column, and says what was expected; nothing is skipped silently.
 */
import type { TextTable } from '../../../tables/index.ts';
import { DrgPackError } from '../pack-error.ts';
import {
  type DrgCondition,
  type DrgPack,
  type DrgPackAdrg,
  type DrgPackDrg,
  type DrgPackMdc,
  type DrgSplit,
  type DrgStatus,
  drgStatusSchema,
  PACK_FORMAT,
  PACK_FORMAT_VERSION,
} from '../pack-schema.ts';
import { parseDrgPack } from '../pack-validate.ts';
import { INPUT_CHECK_LABELS } from '../status.ts';
import { ExpressionError, type ExpressionScope, parseCondition } from './expression.ts';
import {
  type ColumnSpec,
  EMPTY_NUMBER_WORDS,
  NO,
  NO_MATCH_WORDS,
  normaliseName,
  QY_WHEN_WORDS,
  SCHEME_ITEMS,
  SHEETS,
  type SheetKey,
  type SheetSpec,
  SPLIT_OF_SUFFIX,
  SPLIT_WORDS,
  YES,
} from './layout.ts';

export interface SchemeWorkbookInput {
  /** The workbook file or CSV folder (named in errors and kept in the pack's source). */
  origin: string;
  tables: readonly TextTable[];
  /** Provenance to keep in the pack (file hashes …). */
  source?: Record<string, unknown>;
}

/** The CHS-DRG input checks, used when the workbook has no 输入校验 sheet. */
export const DEFAULT_INPUT_CHECKS: readonly { status: DrgStatus; condition: string; label: string }[] = [
  { status: 'CHECK_FAILED', condition: '性别为空', label: INPUT_CHECK_LABELS.sexEmpty },
  {
    status: 'CHECK_FAILED',
    condition: '年龄=0 且 日龄<=28 且 出生体重=0',
    label: INPUT_CHECK_LABELS.newbornWithoutWeight,
  },
];

/** How many rows from the top of a sheet may hold its header (titles and notes can stand above it). */
const HEADER_SEARCH_ROWS = 10;

/** One data row of a sheet, with its columns by key. */
interface Row {
  sheet: Sheet;
  /** Row number in the file (1-based, header included). */
  n: number;
  get(key: string): string;
}

class Sheet {
  readonly rows: Row[] = [];
  private readonly index = new Map<string, number>();

  constructor(
    readonly spec: SheetSpec,
    readonly table: TextTable | undefined,
    readonly origin: string,
  ) {
    if (!table || table.rows.length === 0) return;
    // Official workbooks often put a title (附件… / 表…) above the header: the header is the first of the first
    // rows that holds every required column.
    const found = (row: readonly string[], c: ColumnSpec) => {
      const header = row.map(normaliseName);
      return c.names.map((n) => header.indexOf(normaliseName(n))).find((i) => i >= 0);
    };
    const top = table.rows.slice(0, HEADER_SEARCH_ROWS);
    const h = Math.max(
      0,
      top.findIndex((row) => spec.columns.every((c) => !c.required || found(row, c) !== undefined)),
    );
    for (const c of spec.columns) {
      const at = found(table.rows[h]!, c);
      if (at !== undefined) this.index.set(c.key, at);
      else if (c.required) {
        throw this.error(
          table.rowNumbers[h]!,
          null,
          `缺少列“${c.names[0]}”（也可写作：${c.names.slice(1).join('、') || '无'}）；现有列：${table.rows[h]!.join('、')}`,
          `missing column "${c.names[0]}" (also accepted: ${c.names.slice(1).join(', ') || 'none'}); found: ${table.rows[h]!.join(', ')}`,
        );
      }
    }
    for (let r = h + 1; r < table.rows.length; r++) {
      const cells = table.rows[r]!.map((c) => c.trim());
      const n = table.rowNumbers[r]!;
      for (const c of spec.columns) {
        const i = this.index.get(c.key);
        if (i === undefined) continue;
        if (c.code && table.numericCells.has(`${r}:${i}`)) {
          throw this.error(
            n,
            c,
            `编码是数字单元格（${cells[i]}），Excel 会丢掉末尾的 0（如 51.2100 变成 51.21）；请把该列设为文本后重新录入`,
            `the code is a number cell (${cells[i]}); Excel drops trailing zeros (51.2100 becomes 51.21): make the column text and re-enter it`,
          );
        }
        if (c.required && (cells[i] ?? '') === '') {
          throw this.error(n, c, '此处不能为空', 'must not be empty');
        }
      }
      this.rows.push({ sheet: this, n, get: (key) => cells[this.index.get(key) ?? -1] ?? '' });
    }
  }

  has(key: string): boolean {
    return this.index.has(key);
  }

  column(key: string): ColumnSpec {
    return this.spec.columns.find((c) => c.key === key)!;
  }

  error(n: number, column: ColumnSpec | null, zh: string, en: string): DrgPackError {
    const name = this.table?.name ?? this.spec.names[0]!;
    const where = `${name}, row ${n}${column ? `, ${column.names[0]}` : ''}`;
    return new DrgPackError('DRG_WORKBOOK_INVALID', this.origin, where, zh, en);
  }
}

const fail = (row: Row, key: string | null, zh: string, en: string): DrgPackError =>
  row.sheet.error(row.n, key ? row.sheet.column(key) : null, zh, en);

/** A word of `words` (by any of its spellings) → its key; blank → undefined; anything else is an error naming them. */
function wordOf<K extends string>(row: Row, key: string, words: Readonly<Record<K, readonly string[]>>): K | undefined {
  const v = normaliseName(row.get(key));
  if (v === '') return undefined;
  for (const [k, ws] of Object.entries(words) as [K, readonly string[]][]) {
    if (ws.some((w) => normaliseName(w) === v)) return k;
  }
  const all = (Object.values(words) as readonly string[][]).flat().join('、');
  throw fail(
    row,
    key,
    `无法识别“${row.get(key)}”；可用：${all}`,
    `unknown value "${row.get(key)}"; use one of: ${all}`,
  );
}

const YES_NO = { yes: YES, no: NO } as const;
const flagOf = (row: Row, key: string): boolean | undefined => {
  const w = wordOf(row, key, YES_NO);
  return w === undefined ? undefined : w === 'yes';
};

/** Find each sheet of the layout among the tables (by any of its names); a missing required sheet is an error. */
function sheetsOf(input: SchemeWorkbookInput): { sheets: Record<SheetKey, Sheet>; ignored: string[] } {
  const byName = new Map(input.tables.map((t) => [normaliseName(t.name), t]));
  const out = {} as Record<SheetKey, Sheet>;
  const read = new Set<TextTable>();
  for (const spec of SHEETS) {
    const table = spec.names.map((n) => byName.get(normaliseName(n))).find((t) => t !== undefined);
    if (!table && spec.required) {
      throw new DrgPackError(
        'DRG_WORKBOOK_INVALID',
        input.origin,
        spec.names[0]!,
        `缺少工作表“${spec.names[0]}”（${spec.zh}）；现有：${input.tables.map((t) => t.name).join('、') || '无'}`,
        `missing sheet "${spec.names[0]}" (${spec.en}); found: ${input.tables.map((t) => t.name).join(', ') || 'none'}`,
      );
    }
    if (table) read.add(table);
    out[spec.key] = new Sheet(spec, table, input.origin);
  }
  return { sheets: out, ignored: input.tables.filter((t) => !read.has(t)).map((t) => t.name) };
}

/** Parse an expression cell, turning its error into one that names the sheet, row and column. */
function conditionAt(row: Row, key: string, text: string, scope: ExpressionScope): DrgCondition {
  try {
    return parseCondition(text, scope);
  } catch (e) {
    if (e instanceof ExpressionError) throw fail(row, key, e.zh, e.en);
    throw e;
  }
}

/** An MDC written as `A` or `MDCA`. */
function mdcLetter(row: Row, key: string): string {
  const v = row.get(key).toUpperCase();
  const m = /^(?:MDC)?([A-Z])$/.exec(v);
  if (!m)
    throw fail(row, key, `MDC 应为一个字母或 MDC+字母（如 A、MDCA）：${v}`, `an MDC is a letter or MDC+letter: ${v}`);
  return m[1]!;
}

/** `[code, value]` pairs from rows; the same code twice with another value is an error. */
function pairs(sheet: Sheet, key: string, value: string, what: { zh: string; en: string }): [string, string][] {
  const seen = new Map<string, string>();
  const out: [string, string][] = [];
  for (const row of sheet.rows) {
    const k = row.get(key);
    const v = row.get(value);
    const before = seen.get(k);
    if (before === undefined) {
      seen.set(k, v);
      out.push([k, v]);
    } else if (before !== v) {
      throw fail(
        row,
        value,
        `${k} 已有${what.zh}“${before}”，此处又为“${v}”`,
        `${k} already has ${what.en} "${before}", here "${v}"`,
      );
    }
  }
  return out;
}

function splitOf(row: Row): DrgSplit {
  const word = normaliseName(row.get('split'));
  if (word !== '') {
    for (const [split, words] of Object.entries(SPLIT_WORDS) as [DrgSplit, readonly string[]][]) {
      if (words.some((w) => normaliseName(w) === word)) return split;
    }
    const all = Object.values(SPLIT_WORDS).flat().join('、');
    throw fail(
      row,
      'split',
      `无法识别的细分条件“${row.get('split')}”；可用：${all}`,
      `unknown split "${row.get('split')}"; use one of: ${all}`,
    );
  }
  const drg = row.get('drg');
  const bySuffix = SPLIT_OF_SUFFIX[drg.slice(3, 4)];
  if (!bySuffix) {
    throw fail(
      row,
      'split',
      `${drg} 的第 4 位不是 1/3/5/9，请填写细分条件`,
      `the fourth character of ${drg} is not 1/3/5/9: fill in 细分条件`,
    );
  }
  return bySuffix;
}

/** Read a scheme workbook's tables into a validated pack. */
export function packFromSchemeTables(input: SchemeWorkbookInput): DrgPack {
  const { sheets: s, ignored } = sheetsOf(input);
  const item = schemeItems(s.scheme);
  const dxNames = new Map<string, string>();
  const conditionLists = readConditionLists(s.conditionLists);
  const mdcs = readMdcs(s.mdc, readMdcLists(s.mdcDx, dxNames), conditionLists);
  const lists = readAdrgLists(s);
  const { adrgs, rowOf } = readAdrgs(s.adrg, mdcs, lists);
  const drgs = readDrgs(s.drg, adrgs, rowOf);

  const tableId = { zh: '排除表', en: 'exclusion table' };
  const mcc = pairs(s.mcc, 'code', 'table', tableId);
  const cc = pairs(s.cc, 'code', 'table', tableId);
  const principalExclusionTable = pairs(s.exclusion, 'code', 'table', tableId);
  const orProcedures = [...new Set(s.orProcedures.rows.map((r) => r.get('code')))];
  for (const sheet of [s.mcc, s.cc, s.exclusion]) namesOf(sheet, dxNames);
  const procNames = namesOf(s.orProcedures, new Map());
  namesOf(s.clearedMainProc, procNames);
  const inputChecks = readInputChecks(s.checks, conditionLists);
  for (const [owner, byName] of conditionLists.byOwner) {
    for (const [name, l] of byName) {
      if (!l.used) {
        throw fail(
          l.row,
          'list',
          `列表“${name}”未被 ${owner} 的条件使用（拼写错误？或 ${owner} 不存在）`,
          `list "${name}" is not used by a condition of ${owner} (a typo, or no such ${owner}?)`,
        );
      }
    }
  }
  const mainProcedureCleared = s.clearedMainProc.table
    ? [...new Set(s.clearedMainProc.rows.map((r) => r.get('code')))]
    : undefined;

  const name = { zh: '名称', en: 'name' };
  const diagnosisCodes = s.dxCodes.table
    ? pairs(s.dxCodes, 'code', 'name', name)
    : derivedDictionary(
        [
          ...mdcs.flatMap((m) => m.principalDx),
          ...codesOf(adrgs, 'dx'),
          ...mcc.map(([c]) => c),
          ...cc.map(([c]) => c),
          ...principalExclusionTable.map(([c]) => c),
          ...conditionCodes(mdcs, inputChecks, 'dx'),
        ],
        dxNames,
        new Map([...lists.names, ...conditionLists.names]),
      );
  const procedureCodes = s.procCodes.table
    ? pairs(s.procCodes, 'code', 'name', name)
    : derivedDictionary(
        [
          ...codesOf(adrgs, 'proc'),
          ...orProcedures,
          ...conditionCodes(mdcs, inputChecks, 'proc'),
          ...(mainProcedureCleared ?? []),
        ],
        procNames,
        new Map([...lists.names, ...conditionLists.names]),
      );
  const mapOf = (sheet: Sheet) => pairs(sheet, 'from', 'to', { zh: '分组器编码', en: 'grouper code' });
  const codeMaps =
    s.dxMap.table || s.procMap.table ? { diagnosis: mapOf(s.dxMap), procedure: mapOf(s.procMap) } : undefined;

  const pack: DrgPack = {
    format: PACK_FORMAT,
    formatVersion: PACK_FORMAT_VERSION,
    scheme: item(SCHEME_ITEMS.scheme) || 'CHS-DRG',
    version: item(SCHEME_ITEMS.version),
    title: item(SCHEME_ITEMS.title),
    source: {
      importedFrom: 'CHS-DRG scheme workbook (yibao packFromSchemeTables)',
      workbook: input.origin,
      ...(item(SCHEME_ITEMS.source) ? { statedSource: item(SCHEME_ITEMS.source) } : {}),
      // Sheets of the workbook that are not part of the layout (e.g. 不作为主诊): kept out of the pack, reported.
      ...(ignored.length > 0 ? { ignoredSheets: ignored } : {}),
      ...input.source,
    },
    codeEditions: { diagnosis: item(SCHEME_ITEMS.dxEdition), procedure: item(SCHEME_ITEMS.procEdition) },
    inputChecks,
    mdcOrder: mdcs.map((m) => m.mdc),
    onNoAdrgMatch: schemeWord(s.scheme, SCHEME_ITEMS.onNoAdrgMatch, NO_MATCH_WORDS) ?? 'nextMdc',
    ...caseFieldsOf(s.scheme),
    ...(mainProcedureCleared ? { mainProcedureCleared } : {}),
    mdcs,
    adrgs,
    drgs,
    severity: { mcc, cc, principalExclusionTable },
    orProcedures,
    diagnosisCodes,
    procedureCodes,
    ...(codeMaps ? { codeMaps } : {}),
  };
  return parseDrgPack(pack, input.origin);
}

/** The 方案 sheet as item → value; 版本 is required. */
function schemeItems(sheet: Sheet): (name: string) => string {
  const items = new Map<string, string>();
  for (const row of sheet.rows) items.set(row.get('item'), row.get('value'));
  if ((items.get(SCHEME_ITEMS.version) ?? '') === '') {
    throw sheet.error(
      sheet.table?.rowNumbers[0] ?? 1,
      null,
      `须有一行 项目=“${SCHEME_ITEMS.version}”（如 2.0）`,
      `needs a row with 项目 "${SCHEME_ITEMS.version}" (e.g. 2.0)`,
    );
  }
  return (name) => items.get(name) ?? '';
}

/** The row of a 方案 item, if any. */
const itemRow = (sheet: Sheet, name: string): Row | undefined => sheet.rows.find((r) => r.get('item') === name);

/** A 方案 item read as a word of `words` (absent or blank → undefined). */
function schemeWord<K extends string>(
  sheet: Sheet,
  name: string,
  words: Readonly<Record<K, readonly string[]>>,
): K | undefined {
  const row = itemRow(sheet, name);
  return row ? wordOf(row, 'value', words) : undefined;
}

/** The four 方案 items of the case-field reading: all or none (none: CHS-DRG 1.1's reading). */
function caseFieldsOf(sheet: Sheet): Pick<DrgPack, 'caseFields'> {
  const names = [
    SCHEME_ITEMS.emptyNumbers,
    SCHEME_ITEMS.truncateNumbers,
    SCHEME_ITEMS.sexWords,
    SCHEME_ITEMS.trimCodes,
  ];
  const rows = names.map((n) => itemRow(sheet, n));
  if (rows.every((r) => r === undefined || r.get('value') === '')) return {};
  const missing = names.filter((_, i) => rows[i] === undefined || rows[i]!.get('value') === '');
  if (missing.length > 0) {
    const at = rows.find((r) => r !== undefined)!;
    throw fail(
      at,
      'value',
      `病例字段读法须四项齐全，缺少：${missing.join('、')}`,
      `the case-field reading needs all four items; missing: ${missing.join(', ')}`,
    );
  }
  const [empty, trunc, sex, trim] = rows as Row[];
  return {
    caseFields: {
      emptyNumbers: wordOf(empty!, 'value', EMPTY_NUMBER_WORDS)!,
      truncateNumbers: flagOf(trunc!, 'value')!,
      sexWords: flagOf(sex!, 'value')!,
      trimCodes: flagOf(trim!, 'value')!,
    },
  };
}

/** Codes → names from a sheet's name column (added to `into`). */
function namesOf(sheet: Sheet, into: Map<string, string>): Map<string, string> {
  for (const r of sheet.rows) if (r.get('name')) into.set(r.get('code'), r.get('name'));
  return into;
}

/** One MDC's principal-diagnosis list, and its body regions where given. */
interface MdcList {
  codes: string[];
  regionOf: Map<string, string>;
  regions: Record<string, string[]>;
  row: Row;
}

/** MDC主诊表: each MDC's list (names go to `dxNames`). */
function readMdcLists(sheet: Sheet, dxNames: Map<string, string>): Map<string, MdcList> {
  const out = new Map<string, MdcList>();
  for (const row of sheet.rows) {
    const mdc = mdcLetter(row, 'mdc');
    const code = row.get('code');
    const region = row.get('region');
    const entry = out.get(mdc) ?? { codes: [], regionOf: new Map<string, string>(), regions: {}, row };
    out.set(mdc, entry);
    if (row.get('name')) dxNames.set(code, row.get('name'));
    const before = entry.regionOf.get(code);
    if (before !== undefined) {
      if (before !== region) {
        throw fail(
          row,
          'region',
          `${code} 在 MDC ${mdc} 中已属部位“${before}”`,
          `${code} is already in region "${before}" of MDC ${mdc}`,
        );
      }
      continue;
    }
    entry.regionOf.set(code, region);
    entry.codes.push(code);
    if (region !== '') {
      entry.regions[region] ??= [];
      entry.regions[region].push(code);
    }
  }
  return out;
}

/** MDC: the MDCs in the order they are tried, with their entry conditions and lists. */
function readMdcs(sheet: Sheet, lists: ReadonlyMap<string, MdcList>, own: ConditionLists): DrgPackMdc[] {
  const mdcs: DrgPackMdc[] = [];
  for (const row of sheet.rows) {
    const mdc = mdcLetter(row, 'mdc');
    if (mdcs.some((m) => m.mdc === mdc)) throw fail(row, 'mdc', `MDC ${mdc} 出现两次`, `MDC ${mdc} is listed twice`);
    const list = lists.get(mdc);
    const entry = conditionAt(row, 'condition', row.get('condition') || '主要诊断', {
      kind: 'mdc',
      list: own.lookup(`MDC${mdc}`),
      traumaRegions: (name) => (name === undefined ? list?.regions : own.regions(`MDC${mdc}`, name)),
    });
    const qy = row.get('qyEnabled');
    if (!['', '是', '否', '1', '0'].includes(qy)) {
      throw fail(row, 'qyEnabled', `歧义检查应为“是”或“否”：${qy}`, `歧义检查 must be 是 or 否: ${qy}`);
    }
    const when = wordOf(row, 'qyWhen', QY_WHEN_WORDS);
    const onNoAdrgMatch = wordOf(row, 'onNoMatch', NO_MATCH_WORDS);
    const medicalOnlyWithoutMainProc = flagOf(row, 'medicalOnly');
    mdcs.push({
      mdc,
      name: row.get('name'),
      entry,
      principalDx: list?.codes ?? [],
      adrgOrder: [],
      ambiguityCheck: {
        enabled: qy === '是' || qy === '1',
        beforeAdrg: row.get('qyBefore') || null,
        returns: row.get('qyReturns') || `${mdc}QY`,
        ...(when ? { when } : {}),
      },
      ...(onNoAdrgMatch ? { onNoAdrgMatch } : {}),
      ...(medicalOnlyWithoutMainProc !== undefined ? { medicalOnlyWithoutMainProc } : {}),
    });
  }
  for (const [mdc, list] of lists) {
    if (!mdcs.some((m) => m.mdc === mdc)) {
      throw fail(
        list.row,
        'mdc',
        `MDC 表中没有 ${list.row.get('mdc')}`,
        `${list.row.get('mdc')} is not in the MDC sheet`,
      );
    }
  }
  return mdcs;
}

/** A code list of an ADRG, by name; `used` is set when a condition reads it. */
interface AdrgList {
  codes: string[];
  seen: Set<string>;
  row: Row;
  used: boolean;
}

interface AdrgLists {
  /** ADRG → list name → list. */
  byAdrg: Map<string, Map<string, AdrgList>>;
  /** Names given to the listed codes. */
  names: Map<string, string>;
}

/** ADRG入组条件 (with a 列表 column, or in sections) and the separate 诊断ADRG / 手术ADRG sheets. */
function readAdrgLists(s: Record<SheetKey, Sheet>): AdrgLists {
  const out: AdrgLists = { byAdrg: new Map(), names: new Map() };
  const add = (row: Row, listName: string, adrg = row.get('adrg').toUpperCase()) => {
    const byName = out.byAdrg.get(adrg) ?? new Map<string, AdrgList>();
    out.byAdrg.set(adrg, byName);
    const list = byName.get(listName) ?? { codes: [], seen: new Set<string>(), row, used: false };
    byName.set(listName, list);
    const code = row.get('code');
    if (!list.seen.has(code)) {
      list.seen.add(code);
      list.codes.push(code);
    }
    if (row.get('name')) out.names.set(code, row.get('name'));
  };
  if (s.adrgLists.has('list')) {
    for (const row of s.adrgLists.rows) {
      for (const key of ['adrg', 'list']) {
        if (row.get(key) === '') throw fail(row, key, '此处不能为空', 'must not be empty');
      }
      add(row, row.get('list'));
    }
  } else {
    readSectionedLists(s.adrgLists, add);
  }
  for (const row of s.adrgDxList.rows) add(row, '主要诊断');
  for (const row of s.adrgProcList.rows) add(row, '主要手术');
  return out;
}

/**
 * ADRG: each ADRG's rule from its 入组条件 and lists, in order within its MDC; every list must be used. Also
 * returns the row each ADRG was read from, for errors found later (an ADRG without DRGs).
 */
function readAdrgs(
  sheet: Sheet,
  mdcs: readonly DrgPackMdc[],
  lists: AdrgLists,
): { adrgs: DrgPackAdrg[]; rowOf: Map<string, Row> } {
  const adrgs: DrgPackAdrg[] = [];
  const adrgRow = new Map<string, Row>();
  const mdcOf = new Map(mdcs.map((m) => [m.mdc, m]));
  for (const row of sheet.rows) {
    const adrg = row.get('adrg').toUpperCase();
    if (!/^[A-Z][A-Z0-9]{2}$/.test(adrg)) {
      throw fail(
        row,
        'adrg',
        `ADRG 编码应为 1 个字母加 2 位（如 BR2）：${adrg}`,
        `an ADRG code is a letter and two characters (e.g. BR2): ${adrg}`,
      );
    }
    if (adrgRow.has(adrg)) throw fail(row, 'adrg', `ADRG ${adrg} 出现两次`, `ADRG ${adrg} is listed twice`);
    // CHS-DRG codes an ADRG under its MDC's letter, so a missing MDC column means the first letter.
    const letter = row.get('mdc') === '' ? adrg[0]! : mdcLetter(row, 'mdc');
    const mdc = mdcOf.get(letter);
    if (!mdc) throw fail(row, 'mdc', `MDC 表中没有 ${letter}`, `MDC ${letter} is not in the MDC sheet`);
    const own = lists.byAdrg.get(adrg) ?? new Map<string, AdrgList>();
    const text = row.get('condition') || defaultAdrgCondition(row, own);
    const rule = conditionAt(row, 'condition', text, {
      kind: 'adrg',
      list: (name) => {
        const l = own.get(name);
        if (l) l.used = true;
        return l?.codes;
      },
    });
    mdc.adrgOrder.push(adrg);
    adrgRow.set(adrg, row);
    const medical = flagOf(row, 'medical');
    adrgs.push({
      adrg,
      mdc: mdc.mdc,
      name: row.get('name'),
      ruleLabel: row.get('label'),
      rule,
      drgOrder: [],
      ...(medical !== undefined ? { medical } : {}),
    });
  }
  for (const [adrg, byName] of lists.byAdrg) {
    for (const [name, l] of byName) {
      if (!adrgRow.has(adrg)) throw fail(l.row, 'adrg', `ADRG 表中没有 ${adrg}`, `${adrg} is not in the ADRG sheet`);
      if (!l.used) {
        throw fail(
          l.row,
          l.row.sheet.has('list') ? 'list' : 'adrg',
          `列表“${name}”未被 ${adrg} 的入组条件使用（拼写错误？）`,
          `list "${name}" is not used by the condition of ${adrg} (a typo?)`,
        );
      }
    }
  }
  return { adrgs, rowOf: adrgRow };
}

/** DRG: each ADRG's DRGs in the order they are tried; every ADRG needs at least one. */
function readDrgs(sheet: Sheet, adrgs: readonly DrgPackAdrg[], rowOf: ReadonlyMap<string, Row>): DrgPackDrg[] {
  const drgs: DrgPackDrg[] = [];
  const adrgOf = new Map(adrgs.map((a) => [a.adrg, a]));
  const seen = new Set<string>();
  for (const row of sheet.rows) {
    const drg = row.get('drg').toUpperCase();
    if (!/^[A-Z][A-Z0-9]{3}$/.test(drg)) {
      throw fail(
        row,
        'drg',
        `DRG 编码应为 4 位（如 BR21）：${drg}`,
        `a DRG code has four characters (e.g. BR21): ${drg}`,
      );
    }
    if (seen.has(drg)) throw fail(row, 'drg', `DRG ${drg} 出现两次`, `DRG ${drg} is listed twice`);
    seen.add(drg);
    const adrg = adrgOf.get(row.get('adrg').toUpperCase());
    if (!adrg) {
      throw fail(row, 'adrg', `ADRG 表中没有 ${row.get('adrg')}`, `${row.get('adrg')} is not in the ADRG sheet`);
    }
    adrg.drgOrder.push(drg);
    drgs.push({ drg, adrg: adrg.adrg, name: row.get('name'), split: splitOf(row) });
  }
  for (const a of adrgs) {
    if (a.drgOrder.length === 0) {
      throw fail(
        rowOf.get(a.adrg)!,
        'adrg',
        `DRG 表中没有属于 ${a.adrg} 的 DRG`,
        `the DRG sheet has no DRG of ${a.adrg}`,
      );
    }
  }
  return drgs;
}

/** 输入校验, or the CHS-DRG default checks when the workbook has no such sheet. Check N reads the lists of 校验N. */
function readInputChecks(sheet: Sheet, own: ConditionLists): DrgPack['inputChecks'] {
  if (!sheet.table) {
    return DEFAULT_INPUT_CHECKS.map((c) => ({
      status: c.status,
      label: c.label,
      when: parseCondition(c.condition, { kind: 'check' }),
    }));
  }
  return sheet.rows.map((row, i) => {
    const status = drgStatusSchema.safeParse(row.get('status'));
    if (!status.success) {
      throw fail(
        row,
        'status',
        `未知状态：${row.get('status')}；可用：${drgStatusSchema.options.join('、')}`,
        `unknown status ${row.get('status')}; use one of ${drgStatusSchema.options.join(', ')}`,
      );
    }
    return {
      status: status.data,
      label: row.get('label'),
      when: conditionAt(row, 'condition', row.get('condition'), { kind: 'check', list: own.lookup(`校验${i + 1}`) }),
    };
  });
}
/**
 * The sectioned form of the ADRG入组条件 sheet (no 列表 column): an ADRG code starts its block and may be left
 * blank on the rows below; a row whose 编码 cell is a heading (it holds Chinese text, which no code does) names
 * the list the codes under it belong to.
 */
function readSectionedLists(sheet: Sheet, add: (row: Row, list: string, adrg: string) => void): void {
  let adrg = '';
  let list: string | null = null;
  for (const row of sheet.rows) {
    if (row.get('adrg') !== '') {
      adrg = row.get('adrg').toUpperCase();
      list = null;
    }
    const cell = row.get('code');
    if (/\p{Script=Han}/u.test(cell)) {
      list = listOfHeading(cell);
      if (list === null) {
        throw fail(
          row,
          'code',
          `无法从标题“${cell}”判断列表；标题应含 主要诊断、主要手术、任一诊断、任一手术 或 手术表N，或写作“列表:名称”`,
          `cannot tell the list from the heading "${cell}": it should mention 主要诊断, 主要手术, 任一诊断, 任一手术 or 手术表N, or read "列表:name"`,
        );
      }
      continue;
    }
    if (adrg === '') throw fail(row, 'adrg', '第一组编码前须写明 ADRG', 'the first codes need an ADRG');
    if (list === null) {
      throw fail(
        row,
        'code',
        `编码之前须有标题行说明它属于哪个列表（如“包含以下主要诊断”）`,
        `a heading row must say which list this code belongs to (e.g. 包含以下主要诊断)`,
      );
    }
    add(row, list, adrg);
  }
}

/** The list a section heading names, or null. */
function listOfHeading(text: string): string | null {
  const t = text.replace(/\s+/g, '');
  const named = /^列表[:：](.+)$/.exec(t);
  if (named) return named[1]!;
  const table = /手术表(\d+)/.exec(t);
  if (table) return `手术表${table[1]}`;
  for (const [words, list] of [
    [['主要诊断'], '主要诊断'],
    [['主要手术'], '主要手术'],
    [['任一诊断', '任意诊断'], '任一诊断'],
    [['任一手术', '任意手术'], '任一手术'],
  ] as const) {
    if (words.some((w) => t.includes(w))) return list;
  }
  return null;
}

/** With no 入组条件 text: 主要诊断 and/or 主要手术 when those are the ADRG's only lists; otherwise it must be written. */
function defaultAdrgCondition(row: Row, own: ReadonlyMap<string, unknown>): string {
  const names = [...own.keys()].sort();
  if (names.join() === '主要诊断') return '主要诊断';
  if (names.join() === '主要手术') return '主要手术';
  if (names.join() === '主要手术,主要诊断') return '主要诊断 且 主要手术';
  throw fail(
    row,
    'condition',
    `请填写入组条件（本 ADRG 的列表为：${names.join('、') || '无'}；只有“主要诊断”和/或“主要手术”列表时才可留空）`,
    `fill in 入组条件 (this ADRG's lists: ${names.join(', ') || 'none'}; it may be blank only with lists 主要诊断 and/or 主要手术)`,
  );
}

/** Codes a condition tests (nested alternatives included), on the diagnosis or the procedure side. */
function conditionCodesInto(c: DrgCondition, side: 'dx' | 'proc', out: string[]): void {
  for (const t of c.all) {
    if (side === 'dx' && (t.kind === 'principalDxIn' || t.kind === 'anyDxIn' || t.kind === 'secondaryDxIn'))
      out.push(...t.codes);
    if (side === 'proc' && (t.kind === 'mainProcIn' || t.kind === 'anyProcIn')) out.push(...t.codes);
    if (side === 'proc' && t.kind === 'procCategoryCombination') out.push(...Object.values(t.categories).flat());
    if (side === 'dx' && t.kind === 'minDistinctTraumaRegions') out.push(...Object.values(t.regions).flat());
    if (t.kind === 'anyOf') for (const alt of t.anyOf) conditionCodesInto(alt, side, out);
  }
}

/** Codes the ADRG rules test, on the diagnosis or the procedure side. */
function codesOf(adrgs: readonly DrgPackAdrg[], side: 'dx' | 'proc'): string[] {
  const out: string[] = [];
  for (const a of adrgs) conditionCodesInto(a.rule, side, out);
  return out;
}

/** Codes the MDC entries and input checks test. */
function conditionCodes(mdcs: readonly DrgPackMdc[], checks: DrgPack['inputChecks'], side: 'dx' | 'proc'): string[] {
  const out: string[] = [];
  for (const m of mdcs) conditionCodesInto(m.entry, side, out);
  for (const c of checks) conditionCodesInto(c.when, side, out);
  return out;
}

/** A list of 条件编码表, of one owner (MDCY, 校验8), by name. */
interface ConditionList {
  codes: string[];
  regions: Record<string, string[]>;
  row: Row;
  used: boolean;
}

interface ConditionLists {
  byOwner: Map<string, Map<string, ConditionList>>;
  names: Map<string, string>;
  /** The list lookup of an owner's conditions (marks a list used). */
  lookup(owner: string): (name: string) => readonly string[] | undefined;
  /** The body regions of an owner's list (from its 部位 column; marks it used). */
  regions(owner: string, name: string): Record<string, string[]> | undefined;
}

/** 条件编码表: lists of MDC rows (owner MDCY or Y) and input checks (owner 校验N, the N-th check row). */
function readConditionLists(sheet: Sheet): ConditionLists {
  const byOwner = new Map<string, Map<string, ConditionList>>();
  const names = new Map<string, string>();
  for (const row of sheet.rows) {
    const raw = row.get('owner').toUpperCase();
    const m = /^(?:MDC)?([A-Z])$/.exec(raw);
    const owner = m ? `MDC${m[1]}` : /^校验\d+$/.test(raw) ? raw : null;
    if (owner === null) {
      throw fail(
        row,
        'owner',
        `对象应为 MDC（如 MDCY）或输入校验的序号（如 校验8）：${row.get('owner')}`,
        `the owner is an MDC (e.g. MDCY) or an input check by its row order (e.g. 校验8): ${row.get('owner')}`,
      );
    }
    const byName = byOwner.get(owner) ?? new Map<string, ConditionList>();
    byOwner.set(owner, byName);
    const name = row.get('list');
    const list = byName.get(name) ?? { codes: [], regions: {}, row, used: false };
    byName.set(name, list);
    const code = row.get('code');
    list.codes.push(code);
    const region = row.get('region');
    if (region !== '') {
      list.regions[region] ??= [];
      list.regions[region].push(code);
    }
    if (row.get('name')) names.set(code, row.get('name'));
  }
  const get = (owner: string, name: string) => {
    const l = byOwner.get(owner)?.get(name);
    if (l) l.used = true;
    return l;
  };
  return {
    byOwner,
    names,
    lookup: (owner) => (name) => get(owner, name)?.codes,
    regions: (owner, name) => get(owner, name)?.regions,
  };
}

function derivedDictionary(
  codes: readonly string[],
  names: ReadonlyMap<string, string>,
  more: ReadonlyMap<string, string>,
): [string, string][] {
  return [...new Set(codes)].map((c) => [c, names.get(c) ?? more.get(c) ?? '']);
}
