/** Row-level QC error codes (R-DATA-1): what each means, for summaries and the README. */
export const QC_ERROR_CODES: Readonly<Record<string, { zh: string; en: string }>> = {
  E_CSV_SHAPE: { zh: '字段数与表头不符', en: 'wrong number of fields' },
  E_CSV_SYNTAX: { zh: 'CSV 行无法读取', en: 'unreadable CSV row' },
  E_JSON_SHAPE: { zh: '4101 消息结构不符', en: 'not a 4101 message' },
  E_MAIN_DIAGNOSIS: { zh: '主要诊断标志不唯一', en: 'more than one principal diagnosis' },
  E_ENCODING: { zh: '文字无法解码（编码错误）', en: 'undecodable text (encoding)' },
  E_CONTROL_CHAR: { zh: '编号中含控制字符', en: 'control character in an identifier' },
  E_CODE_QUOTE: { zh: '编码中含引号', en: 'quote character in a code' },
  E_DATE_FUTURE: { zh: '日期晚于运行日期（未来日期）', en: 'date after the as-of date (future)' },
  E_AGE_BIRTH: { zh: '年龄与出生日期不符', en: 'age does not match the birth date' },
  E_ID_ROUNDED: { zh: '编号已被表格软件按数字舍入', en: 'identifier already rounded as a number' },
  E_XLSX_FORMULA: { zh: '单元格公式出错', en: 'cell formula error' },
  E_JSON_TYPE: { zh: '4101 字段类型不符', en: '4101 field of the wrong type' },
  E_REQUIRED: { zh: '必填项为空', en: 'required field empty' },
  E_FORMAT: { zh: '格式错误（数字、金额、日期等）', en: 'malformed value (number, amount, date …)' },
  E_CODE_INVALID: { zh: '代码取值不合规', en: 'code value not allowed' },
  E_CODE_UNKNOWN: { zh: '编码不在编码库或机构名单中', en: 'code not in the code list / institutions' },
  E_SEX_DIAGNOSIS: { zh: '性别与诊断不符', en: 'diagnosis does not fit the sex' },
  E_AGE_DIAGNOSIS: { zh: '年龄与诊断不符', en: 'diagnosis does not fit the age' },
  E_PRINCIPAL_DIAGNOSIS: { zh: '该编码不能作为主要诊断', en: 'a code that may not be the principal diagnosis' },
  E_DATE_ORDER: { zh: '日期先后顺序错误', en: 'dates out of order' },
  E_LOS_MISMATCH: { zh: '住院天数与出入院日期不符', en: 'length of stay does not match the dates' },
  E_RANGE: { zh: '数值超出合理范围', en: 'value out of range' },
  E_NEGATIVE_AMOUNT: { zh: '金额为负数', en: 'negative amount' },
  E_COMPONENTS_EXCEED_TOTAL: { zh: '基金与个人支付超过医疗费总额', en: 'payments exceed the total cost' },
  E_FEE_SUM_MISMATCH: { zh: '费用分类合计不等于总额', en: 'cost categories do not add up to the total' },
  E_CASE_UNKNOWN: { zh: '明细所属结算不存在', en: 'settlement of the line not stored' },
  E_DUPLICATE_VISIT: { zh: '同一就诊ID已结算（重复结算）', en: 'the visit is already settled (duplicate settlement)' },
  W_DUPLICATE_VISIT: {
    zh: '同一就诊ID已结算（重复结算，仅提示）',
    en: 'the visit is already settled (duplicate settlement, warning)',
  },
  E_DUPLICATE_IN_FILE: { zh: '文件内重复行', en: 'duplicate row in the file' },
  E_DUPLICATE_CONFLICT: { zh: '文件内同一编号内容不同', en: 'same key with different content in the file' },
  E_ALREADY_STORED_DIFFERENT: { zh: '已入库且内容不同', en: 'already stored with different content' },
  E_GROUP_REJECTED: { zh: '同组其他明细被拒收', en: 'another line of the group was refused' },
  E_CASE_NOT_STORED: { zh: '病例不在已入库的结算清单中', en: 'case not among the stored cases' },
};

/**
 * A row reject code with its count in the reader's words: zh the words alone (no English enum in zh output: the
 * reason is the rejects file's 拒收原因 column, in the same words), en the code, the count and the words — "金额为负数 2" /
 * "E_NEGATIVE_AMOUNT 2 (negative amount)". A code without words (none today) is shown as it is.
 */
export function rejectCodeText(code: string, n: number, lang: 'zh' | 'en'): string {
  const d = QC_ERROR_CODES[code];
  if (!d) return `${code} ${n}`;
  return lang === 'zh' ? `${d.zh} ${n}` : `${code} ${n} (${d.en})`;
}
