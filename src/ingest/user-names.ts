/**
 * The fields as the user's file names them (walk7 9). A reject said `hifp_pay（统筹基金支出）` for a column the user's
 * file calls 统筹基金支付, and the rejects file showed the row under setl_id, mdtrt_id, …: the user had to translate
 * both back. Where the file's header is not the 4101 name, messages and the rejects file's 字段 / field say the
 * user's header with the standard field in brackets — 统筹基金支付（hifp_pay） — and the row as read keeps the file's
 * own headers (so a corrected rejects file is ingested again with the same headers and the same --columns).
 */
import type { ColumnSpec } from '../model/columns.ts';
import { lit } from '../store/duckdb/sql.ts';

/** A present column whose header in the file is not its 4101 name (SETL_ID is the name: case does not matter). */
export interface RenamedColumn {
  col: Pick<ColumnSpec, 'name' | 'zh' | 'en'>;
  /** The header as the file writes it. */
  header: string;
}

export function renamedColumns(
  columns: readonly Pick<ColumnSpec, 'name' | 'zh' | 'en'>[],
  names: Readonly<Record<string, string>> | undefined,
): RenamedColumn[] {
  if (!names) return [];
  return columns.flatMap((col) => {
    const header = names[col.name];
    return header !== undefined && header.toLowerCase() !== col.name.toLowerCase() ? [{ col, header }] : [];
  });
}

/** The field in a reject: the user's header with the standard field in brackets. */
export function userFieldText(r: RenamedColumn, lang: 'zh' | 'en'): string {
  return lang === 'zh' ? `${r.header}（${r.col.name}）` : `${r.header} (${r.col.name})`;
}

/**
 * One UPDATE of the findings table `table` (yb_rej, yb_warn) that names each renamed field the user's way in both
 * messages: zh `hifp_pay（统筹基金支出）` → `统筹基金支付（hifp_pay）`; en `hifp_pay (pooled-fund payment)` and a message
 * that begins with the bare name (`hifp_pay should be …`, `adm_time: date …`) → `"统筹基金支付" (hifp_pay)`. Run once
 * after the checks, on the few rows they found; undefined when nothing is renamed.
 */
export function userNamesUpdate(table: string, renamed: readonly RenamedColumn[]): string | undefined {
  if (renamed.length === 0) return undefined;
  let zh = 'message_zh';
  let en = 'message_en';
  for (const r of renamed) {
    const { name } = r.col;
    zh = `replace(${zh}, ${lit(`${name}（${r.col.zh}）`)}, ${lit(userFieldText(r, 'zh'))})`;
    const quoted = `"${r.header}" (${name})`;
    en = `replace(${en}, ${lit(`${name} (${r.col.en})`)}, ${lit(quoted)})`;
    // RE2 replacement text: a backslash in the header is written \\.
    en = `regexp_replace(${en}, ${lit(`^${name}([ :])`)}, ${lit(`${quoted.replaceAll('\\', '\\\\')}\\1`)})`;
  }
  return `UPDATE ${table} SET message_zh = ${zh}, message_en = ${en}`;
}
