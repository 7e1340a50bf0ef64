/** What the ingest needs to know about one kind of input file (cases, fee items, institutions, …). */
import { type CodeSet, codesOf } from '../../model/code-words.ts';
import { type ColumnSpec, shortLabel } from '../../model/columns.ts';
import type { QcCheck } from '../qc/check.ts';
import type { QcSettings } from '../qc/settings.ts';
import type { TypedKind } from '../qc/typed.ts';
import type { SourceFormat } from '../source/stage.ts';

export type IngestKind =
  | 'cases'
  | 'fee-items'
  | 'institutions'
  | 'persons'
  | 'enrolments'
  | 'outpatient'
  | 'deductions'
  | 'assessments'
  | 'special-review';

export interface KindSpec {
  kind: IngestKind;
  zh: string;
  en: string;
  /** The store table the accepted rows go to (same column names). */
  table: string;
  columns: readonly ColumnSpec[];
  /** Parse a column as another type than its contract type (e.g. a quantity). */
  typeOverrides?: Readonly<Record<string, TypedKind>>;
  /** The natural key: one stored row per key. */
  key: readonly string[];
  /** Name of the key column in the rejects file (qc_<label>). */
  keyLabel: string;
  /**
   * Rows form groups by the first key column and are stored or refused as a whole (fee items: all lines of
   * one settlement), each row numbered `line_no` within its group in file order.
   */
  grouped?: boolean;
  /**
   * A stored row may be corrected: `ingest --replace` replaces the stored row of a key with the file's version (the
   * year-end inputs an agency corrects before the year is settled). Kinds without it never replace stored rows.
   */
  replaceable?: boolean;
  /** Allowed code values per column (代码取值) that have no words (e.g. charge categories 01–14). */
  allowed?: Readonly<Record<string, readonly string[]>>;
  /**
   * Enumerated columns with their words (src/model/code-words.ts): a value may be the code or any of its words in
   * zh or en (综合医院, general hospital, general), stored as the code; messages list the words.
   */
  codeSets?: Readonly<Record<string, CodeSet>>;
  /**
   * Code-list columns translated through the store's local → national map of their code kind (编码对照) before
   * the checks of meaning.
   */
  mappedCodes?: readonly { column: string; kind: 'icd10' | 'icd9' }[];
  /** Checks of meaning on the typed table. */
  checks: (qc: QcSettings) => QcCheck[];
  formats: readonly SourceFormat[];
}

export function typeOf(spec: KindSpec, col: ColumnSpec): TypedKind {
  return spec.typeOverrides?.[col.name] ?? col.type;
}

/** Every allowed code per column: the plain lists and the codes of the code sets. */
export function allowedCodes(spec: KindSpec): Record<string, readonly string[]> {
  const out: Record<string, readonly string[]> = { ...(spec.allowed ?? {}) };
  for (const [col, set] of Object.entries(spec.codeSets ?? {})) out[col] = codesOf(set);
  return out;
}

/**
 * A column of a kind in the reader's words: its short Chinese label in zh (出院时间, 结算ID), the head of its English
 * label in en (discharge date-time); a name the kind does not have is returned as it is.
 */
export function columnLabel(spec: Pick<KindSpec, 'columns'>, column: string, lang: 'zh' | 'en'): string {
  const col = spec.columns.find((x) => x.name === column);
  if (!col) return column;
  return lang === 'zh' ? shortLabel(col.zh) : (col.en.split(/[:(]/)[0] ?? col.en).trim();
}
