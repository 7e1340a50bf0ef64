/**
 * The rejects file's own columns in the reader's language (`--lang`): where the row is (行号 as the editor or
 * spreadsheet shows it, 记录序号 for Parquet and JSON), the record's key, the field, the reason in words (the words
 * of its error code, so rows filter by reason), the row's own message, and the raw text of a record the reader could
 * not split. None of them is a name or alias of an input column, so a corrected rejects file is ingested as it is
 * (`isRejectsColumn`). Without a language (programs calling the pipeline) the columns keep their qc_* names and the
 * error code.
 */
export const REJECTS_COLUMNS = {
  row: { zh: '行号', en: 'row' },
  record: { zh: '记录序号', en: 'record' },
  key: { zh: '记录编号', en: 'record key' },
  field: { zh: '字段', en: 'field' },
  reason: { zh: '拒收原因', en: 'rejection reason' },
  message: { zh: '说明', en: 'detail' },
  raw: { zh: '原文', en: 'raw text' },
} as const;

const REJECTS_NAMES = new Set(Object.values(REJECTS_COLUMNS).flatMap((c) => [c.zh, c.en.toLowerCase()]));

/** A column of a rejects file (qc_* or its zh / en headers), which the ingest of a corrected file ignores. */
export function isRejectsColumn(cell: string): boolean {
  const n = cell
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase();
  return n.startsWith('qc_') || REJECTS_NAMES.has(n);
}
