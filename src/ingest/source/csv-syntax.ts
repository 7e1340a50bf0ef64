/**
 * What the CSV parser (csv-parse) could not read, in the reader's words: each of its error kinds (`err.code`) as a
 * zh and an en sentence naming the field (its position and its header, as the file writes it) and what to do — the
 * parser's own English ("Quote Not Closed: the parsing is finished with an opening quote at line 4") stood inside the
 * zh text (walk6 #7). The row is the reject's own (its 行号); a file-level error names it in the text.
 */

/** The parts of a csv-parse error used here: its kind and the field (0-based) it stopped in. */
export interface CsvParseErrorLike {
  code?: unknown;
  index?: unknown;
  message?: unknown;
}

export interface CsvSyntaxText {
  /** The field as the file names it (its header cell), '' when the parser gave none. */
  field: string;
  zh: string;
  en: string;
}

/**
 * A csv-parse error as a sentence: `header` the file's header cells (to name the field the parser stopped in).
 * An error kind not known here still names the field, and keeps the parser's words in the en text only.
 */
export function csvSyntaxText(err: CsvParseErrorLike | undefined, header: readonly string[]): CsvSyntaxText {
  const code = typeof err?.code === 'string' ? err.code : '';
  const i = typeof err?.index === 'number' && Number.isInteger(err.index) && err.index >= 0 ? err.index : undefined;
  const name = i === undefined ? '' : (header[i] ?? '');
  const where =
    i === undefined
      ? { zh: '', en: '' }
      : {
          zh: `第 ${i + 1} 个字段${name ? `（${name}）` : ''}`,
          en: `field ${i + 1}${name ? ` (${name})` : ''}`,
        };
  const zhAt = where.zh || '该行';
  const enAt = where.en || 'the row';
  const quoteHint = {
    zh: '字段内的引号须写成两个引号（""），含逗号的字段整个放在一对引号中',
    en: 'a quote inside a field is written twice (""), and a field holding a comma is put inside one pair of quotes',
  };
  switch (code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return {
        field: name,
        zh: `${zhAt}以引号开头，但引号到文件末尾都没有闭合，该行未能读取：请补上右引号，或删去多余的引号`,
        en: `${enAt} opens a quote that is never closed before the end of the file, so the row cannot be read: add the closing quote or remove the stray one`,
      };
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return {
        field: name,
        zh: `${zhAt}的右引号后面还有其他字符，该行未能读取：${quoteHint.zh}`,
        en: `${enAt} has characters after its closing quote, so the row cannot be read: ${quoteHint.en}`,
      };
    case 'INVALID_OPENING_QUOTE':
      return {
        field: name,
        zh: `${zhAt}中间出现引号，该行未能读取：${quoteHint.zh}`,
        en: `${enAt} has a quote in the middle of the field, so the row cannot be read: ${quoteHint.en}`,
      };
    case 'CSV_MAX_RECORD_SIZE':
      return {
        field: name,
        zh: `该行超过单行长度上限（常见原因是${where.zh ? `${where.zh}的` : ''}引号不成对，把后面的行并入了该行），未能读取`,
        en: `the row is longer than a row may be (often an unbalanced quote${where.en ? ` in ${where.en}` : ''} joined the lines after it), so it cannot be read`,
      };
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH':
    case 'CSV_RECORD_INCONSISTENT_COLUMNS':
      return {
        field: name,
        zh: '该行的字段数与表头不同，未能读取（常见原因是引号不成对）',
        en: 'the row has another number of fields than the header, so it cannot be read (often an unbalanced quote)',
      };
    default: {
      const said = typeof err?.message === 'string' && err.message !== '' ? `: ${err.message}` : '';
      return {
        field: name,
        zh: `${where.zh ? `${where.zh}：` : ''}该行无法按 CSV 读取；请核对该行的引号与分隔符`,
        en: `${where.en ? `${where.en}: ` : ''}the row cannot be read as CSV${said}; check its quotes and delimiters`,
      };
    }
  }
}
