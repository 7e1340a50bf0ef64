/**
 * Knowledge tables (知识库) of the rule base, as a region edits them (CSV files under policies/<region>/monitor/):
 * item limits by sex, age, department and units (限性别/年龄/科室、限数量), code pairs (bundled and mutually
 * exclusive items: 分解收费、互斥项目), the item catalog with its charge category and price (串换 checks), and
 * diagnosis lists (outpatient-manageable conditions, chemotherapy, MCC/CC). Parsed and checked here from rows of
 * text; reading the files is the adapter's job (`adapters/knowledge-files.ts`).
 */
import { type Fen, yuanToFen } from '../model/money.ts';

export type Row = Readonly<Record<string, string>>;

/** Quantities are exact decimals with at most 4 places (DECIMAL(18,4) in the store), kept as integer 1/10000. */
export const QTY_SCALE = 10_000;

export interface ItemLimit {
  itemCode: string;
  itemName: string;
  /** Only for this sex (gend 1/2). */
  sex?: '1' | '2';
  minAge?: number;
  maxAge?: number;
  /** Only in these departments (科室 codes). */
  departments?: readonly string[];
  /** Most units per day of stay (1/10000 units). */
  maxPerDay?: number;
  /** Most units per stay (1/10000 units). */
  maxPerStay?: number;
  source: string;
}

export interface CodePair {
  itemCode: string;
  pairCode: string;
  /** `bundle`: itemCode includes pairCode (charging both is unbundling, 分解收费); `exclusive`: not both (互斥). */
  relation: 'bundle' | 'exclusive';
  source: string;
}

export interface CatalogEntry {
  itemCode: string;
  itemName: string;
  chargeCategory: string;
  /** Catalog price per unit; absent = price not checked (e.g. prices set per institution). */
  price?: Fen;
  source: string;
}

export interface DiagnosisListEntry {
  list: string;
  codePrefix: string;
  name: string;
  source: string;
}

export interface Knowledge {
  itemLimits: ReadonlyMap<string, ItemLimit>;
  codePairs: readonly CodePair[];
  itemCatalog: ReadonlyMap<string, CatalogEntry>;
  /** list name → code prefixes. */
  diagnosisLists: ReadonlyMap<string, readonly DiagnosisListEntry[]>;
}

export class KnowledgeError extends Error {
  constructor(
    readonly file: string,
    readonly row: number,
    readonly field: string,
    readonly zh: string,
    readonly en: string,
  ) {
    super(`${file} 第 ${row} 行 ${field}: ${zh} / ${en}`);
    this.name = 'KnowledgeError';
  }
}

/** Decimal text → integer 1/10000 units, exactly; more than 4 decimals is an error. */
export function parseQuantity(text: string): number {
  const m = /^(\d+)(?:\.(\d{0,4})0*)?$/.exec(text.trim());
  if (!m) throw new RangeError(`not a non-negative quantity with at most 4 decimals: "${text}"`);
  return Number(m[1]) * QTY_SCALE + Number((m[2] ?? '').padEnd(4, '0'));
}

export interface KnowledgeRows {
  itemLimits: { file: string; rows: readonly Row[] };
  codePairs: { file: string; rows: readonly Row[] };
  itemCatalog: { file: string; rows: readonly Row[] };
  diagnosisLists: { file: string; rows: readonly Row[] };
}

function reader(file: string, rows: readonly Row[], columns: readonly string[]) {
  const first = rows[0];
  for (const c of columns) {
    if (first && !(c in first)) throw new KnowledgeError(file, 1, c, '缺少列', 'missing column');
  }
  return rows.map((r, i) => {
    const line = i + 2; // header is line 1
    const text = (f: string) => (r[f] ?? '').trim();
    const fail = (f: string, zh: string, en: string): never => {
      throw new KnowledgeError(file, line, f, zh, en);
    };
    const required = (f: string) => text(f) || fail(f, '必填', 'required');
    const int = (f: string): number | undefined => {
      const v = text(f);
      if (!v) return undefined;
      if (!/^\d+$/.test(v)) fail(f, `应为非负整数: ${v}`, `expected a non-negative integer: ${v}`);
      return Number(v);
    };
    const qty = (f: string): number | undefined => {
      const v = text(f);
      if (!v) return undefined;
      try {
        return parseQuantity(v);
      } catch {
        return fail(f, `应为数量(最多4位小数): ${v}`, `expected a quantity (≤ 4 decimals): ${v}`);
      }
    };
    return { text, required, int, qty, fail };
  });
}

/** Check and index the four tables; every error names the file, the line and the column. */
export function buildKnowledge(k: KnowledgeRows): Knowledge {
  const itemLimits = new Map<string, ItemLimit>();
  for (const r of reader(k.itemLimits.file, k.itemLimits.rows, ['item_code', 'source'])) {
    const code = r.required('item_code');
    if (itemLimits.has(code)) r.fail('item_code', `重复: ${code}`, `duplicate: ${code}`);
    const sex = r.text('sex');
    if (sex && sex !== '1' && sex !== '2') r.fail('sex', '应为 1 或 2', 'expected 1 or 2');
    const limit: ItemLimit = {
      itemCode: code,
      itemName: r.text('item_name'),
      ...(sex ? { sex: sex as '1' | '2' } : {}),
      ...optional('minAge', r.int('min_age')),
      ...optional('maxAge', r.int('max_age')),
      ...(r.text('departments') ? { departments: r.text('departments').split('|') } : {}),
      ...optional('maxPerDay', r.qty('max_per_day')),
      ...optional('maxPerStay', r.qty('max_per_stay')),
      source: r.required('source'),
    };
    itemLimits.set(code, limit);
  }
  const codePairs: CodePair[] = [];
  for (const r of reader(k.codePairs.file, k.codePairs.rows, ['item_code', 'pair_code', 'relation', 'source'])) {
    const relation = r.required('relation');
    if (relation !== 'bundle' && relation !== 'exclusive') {
      r.fail('relation', '应为 bundle 或 exclusive', 'expected bundle or exclusive');
    }
    const itemCode = r.required('item_code');
    const pairCode = r.required('pair_code');
    if (itemCode === pairCode) r.fail('pair_code', '不能与 item_code 相同', 'must differ from item_code');
    codePairs.push({ itemCode, pairCode, relation: relation as CodePair['relation'], source: r.required('source') });
  }
  const itemCatalog = new Map<string, CatalogEntry>();
  for (const r of reader(k.itemCatalog.file, k.itemCatalog.rows, ['item_code', 'charge_category', 'price_yuan'])) {
    const code = r.required('item_code');
    if (itemCatalog.has(code)) r.fail('item_code', `重复: ${code}`, `duplicate: ${code}`);
    let price: Fen | undefined;
    if (r.text('price_yuan')) {
      try {
        price = yuanToFen(r.text('price_yuan'));
      } catch {
        r.fail('price_yuan', '应为金额(元)', 'expected an amount in yuan');
      }
    }
    itemCatalog.set(code, {
      itemCode: code,
      itemName: r.text('item_name'),
      chargeCategory: r.required('charge_category'),
      ...(price === undefined ? {} : { price }),
      source: r.required('source'),
    });
  }
  const diagnosisLists = new Map<string, DiagnosisListEntry[]>();
  for (const r of reader(k.diagnosisLists.file, k.diagnosisLists.rows, ['list', 'code_prefix', 'source'])) {
    const e = { list: r.required('list'), codePrefix: r.required('code_prefix'), name: r.text('name') };
    const list = diagnosisLists.get(e.list) ?? [];
    list.push({ ...e, source: r.required('source') });
    diagnosisLists.set(e.list, list);
  }
  return { itemLimits, codePairs, itemCatalog, diagnosisLists };
}

function optional<K extends string>(key: K, v: number | undefined): Partial<Record<K, number>> {
  return v === undefined ? {} : ({ [key]: v } as Record<K, number>);
}

/** Prefixes of a diagnosis list; an unknown list name is an error (a typo in the rule base). */
export function listPrefixes(k: Knowledge, list: string): readonly string[] {
  const l = k.diagnosisLists.get(list);
  if (!l) throw new RangeError(`diagnosis list "${list}" is not in the knowledge tables`);
  return l.map((e) => e.codePrefix);
}

export function inList(prefixes: readonly string[], code: string): boolean {
  for (const p of prefixes) if (code.startsWith(p)) return true;
  return false;
}
