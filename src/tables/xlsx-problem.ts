/**
 * Why an XLSX file cannot be read, in the user's words. exceljs reports a bad file in its own English
 * (`invalid signature: 0xa622c61`, `FILE_ENDED`), which said nothing to a reader of the zh text; the usual causes are
 * told apart by the file's bytes instead: an empty file, a file that is no zip at all (a CSV or an old .xls renamed),
 * an encrypted workbook (Office keeps it in an OLE container with an `EncryptionInfo` stream), a zip cut short (no
 * end-of-central-directory record), a zip that holds no workbook (`xl/workbook.xml`). The library's text is kept in en
 * and, for a cause not told apart, as a detail after the zh sentence. Pure but for reading the file's head and tail.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';

export type XlsxProblemKind = 'empty' | 'not-zip' | 'encrypted' | 'old-xls' | 'truncated' | 'not-xlsx' | 'unreadable';

export interface XlsxProblem {
  kind: XlsxProblemKind;
  zh: string;
  en: string;
}

const ZIP_LOCAL = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const ZIP_END = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ENCRYPTION_INFO = Buffer.from('EncryptionInfo', 'utf16le');
const WORKBOOK_PART = Buffer.from('xl/workbook.xml');
/** The end-of-central-directory record (22 bytes) with its longest comment; the central directory is read too. */
const TAIL = 1 << 20;

/** The head and tail bytes of a file (or of its bytes), without reading a large file whole. */
function headAndTail(source: string | Buffer): { head: Buffer; tail: Buffer; size: number } {
  if (typeof source !== 'string') {
    return {
      head: source.subarray(0, TAIL),
      tail: source.subarray(Math.max(0, source.length - TAIL)),
      size: source.length,
    };
  }
  const fd = openSync(source, 'r');
  try {
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(Math.min(size, TAIL));
    readSync(fd, head, 0, head.length, 0);
    const tail = Buffer.alloc(Math.min(size, TAIL));
    readSync(fd, tail, 0, tail.length, size - tail.length);
    return { head, tail, size };
  } finally {
    closeSync(fd);
  }
}

/** The kind of problem of a file that is not a readable XLSX workbook, from its bytes; undefined when none is seen. */
export function xlsxProblemKind(source: string | Buffer): Exclude<XlsxProblemKind, 'unreadable'> | undefined {
  let bytes: ReturnType<typeof headAndTail>;
  try {
    bytes = headAndTail(source);
  } catch {
    return undefined;
  }
  const { head, tail, size } = bytes;
  if (size === 0) return 'empty';
  if (head.subarray(0, OLE.length).equals(OLE)) return head.includes(ENCRYPTION_INFO) ? 'encrypted' : 'old-xls';
  if (!head.subarray(0, ZIP_LOCAL.length).equals(ZIP_LOCAL)) return 'not-zip';
  if (!tail.includes(ZIP_END)) return 'truncated';
  if (!tail.includes(WORKBOOK_PART)) return 'not-xlsx';
  return undefined;
}

/**
 * Why `file` cannot be read as an XLSX workbook: a sentence naming the file for each usual cause, the library's
 * message (`error`, when there is one) after the en sentence, and after the zh one only for a cause not told apart.
 */
export function xlsxProblem(file: string, error?: unknown, source: string | Buffer = file): XlsxProblem {
  const name = basename(file);
  const detail = error === undefined ? '' : error instanceof Error ? error.message : String(error);
  const enDetail = detail ? ` (${detail})` : '';
  const kind = xlsxProblemKind(source);
  switch (kind) {
    case 'empty':
      return {
        kind,
        zh: `文件 ${name} 是空文件（0 字节），不是 XLSX 工作簿`,
        en: `${name} is empty (0 bytes), not an XLSX workbook`,
      };
    case 'encrypted':
      return {
        kind,
        zh: `文件 ${name} 已加密（设置了打开密码），无法读取；请在 Excel 中取消密码后另存为 .xlsx 再导入`,
        en: `${name} is encrypted (it has an open password); remove the password in Excel, save it as .xlsx and try again${enDetail}`,
      };
    case 'old-xls':
      return {
        kind,
        zh: `文件 ${name} 是旧版 Excel 97-2003 工作簿（.xls），不是 XLSX；请在 Excel 中另存为 .xlsx 再导入`,
        en: `${name} is an old Excel 97-2003 workbook (.xls), not an XLSX; save it as .xlsx in Excel and try again${enDetail}`,
      };
    case 'not-zip':
      return {
        kind,
        zh: `文件 ${name} 不是 XLSX 工作簿（XLSX 是 zip 压缩包，此文件不是）；若它是 CSV 等文本文件，请改用 .csv 扩展名`,
        en: `${name} is not an XLSX workbook (an XLSX is a zip archive, this file is not); if it is a text file such as CSV, name it .csv${enDetail}`,
      };
    case 'truncated':
      return {
        kind,
        zh: `文件 ${name} 不完整（zip 压缩包缺少结尾），可能在下载或复制时中断；请重新取得完整的文件`,
        en: `${name} is truncated (its zip archive has no end), perhaps cut off while downloading or copying; get the whole file again${enDetail}`,
      };
    case 'not-xlsx':
      return {
        kind,
        zh: `文件 ${name} 是 zip 压缩包，但其中没有 Excel 工作簿（xl/workbook.xml），不是 XLSX 文件`,
        en: `${name} is a zip archive but holds no Excel workbook (xl/workbook.xml), so it is not an XLSX file${enDetail}`,
      };
    default:
      return {
        kind: 'unreadable',
        zh: `无法读取 XLSX 文件 ${name}：文件已损坏或格式不受支持；请在 Excel 中打开并另存为 .xlsx 再试${detail ? `（详情：${detail}）` : ''}`,
        en: `cannot read the XLSX file ${name}: it is damaged or in a format not supported; open it in Excel, save it as .xlsx and try again${enDetail}`,
      };
  }
}
