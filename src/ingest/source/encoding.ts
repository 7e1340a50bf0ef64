/**
 * Text encodings of input files. HIS exports are often GBK/GB18030; DuckDB reads UTF-8 only, so a non-UTF-8
 * file is decoded in Node (iconv-lite, streaming) into a temporary UTF-8 file first. Bytes that cannot be
 * decoded become U+FFFD, and the QC rejects every row that contains one (E_ENCODING) instead of guessing.
 *
 * A file is one encoding, decided for the whole file, never row by row. GBK bytes can also be valid UTF-8: 女 is
 * C5 AE in GBK, which UTF-8 reads as Ů (U+016E). So a line that is valid UTF-8 proves UTF-8 only when it holds a
 * character of three or more UTF-8 bytes (U+0800 and up: every Chinese character); a line whose non-ASCII bytes
 * are all two-byte UTF-8 sequences (Latin, Greek, Cyrillic letters) is *ambiguous* and follows the file. A line
 * that is not valid UTF-8 is GB18030 evidence. Then:
 * - UTF-16 byte-order mark: UTF-16. UTF-8 byte-order mark: UTF-8.
 * - no GB18030 evidence: UTF-8 — except a file with ambiguous lines only (no Chinese character in its UTF-8
 *   reading) whose GB18030 reading is clean Chinese text and whose UTF-8 reading is not plausible (letters beyond
 *   Latin-1 and Greek, such as Ů; `gbReading`): GB18030. The summary says such a file read both ways
 *   (`ambiguous`) and which encoding it took, so a user can force the other with `--encoding`.
 * - GB18030 evidence and no UTF-8 evidence: GB18030 (ambiguous lines too).
 * - both: the file mixes encodings. It is read in the encoding of the majority of the evidence lines (UTF-8 on a
 *   tie) and every line of the other encoding is rejected (E_ENCODING) with its row number: valid UTF-8 is never
 *   decoded as GB18030, and no row is stored as mojibake. An ambiguous line in a mixed file read as UTF-8 is
 *   rejected too when its GB18030 reading is Chinese (it cannot be told which it is).
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import iconv from 'iconv-lite';

/** What `--encoding` accepts. GBK is read as GB18030, its superset. */
export type EncodingOption = 'auto' | 'utf8' | 'gbk' | 'gb18030';
export type Encoding = 'utf8' | 'gb18030' | 'utf16le' | 'utf16be';

export const REPLACEMENT_CHAR = '\uFFFD';
/**
 * Appended to a line of a mixed file that is not in the file's encoding (a noncharacter, never in real text): the
 * CSV reader strips it and rejects the row (E_ENCODING), saying the row's encoding differs from the file's.
 */
export const OTHER_ENCODING_MARK = '\uFFFE';

export function parseEncodingOption(text: string | undefined): EncodingOption {
  const t = (text ?? 'auto').toLowerCase().replace(/[-_]/g, '');
  if (t === 'auto') return 'auto';
  if (t === 'utf8') return 'utf8';
  if (t === 'gbk' || t === 'cp936') return 'gbk';
  if (t === 'gb18030') return 'gb18030';
  throw new RangeError(`unknown encoding "${text}"; use auto, utf8, gbk or gb18030`);
}

export interface FileScan {
  sha256: string;
  bytes: number;
  /** The whole file is valid UTF-8. */
  validUtf8: boolean;
  /** Starts with the UTF-8 byte-order mark. */
  utf8Bom: boolean;
  /** Starts with a UTF-16 byte-order mark. */
  utf16?: 'utf16le' | 'utf16be';
  /**
   * The number (1-based) of the last line that holds more than a line break, counting LF-ended lines as an editor
   * does (0: none). Counted on the bytes, which is right for every encoding whose line feed is the byte 0x0A and
   * never part of another character (UTF-8, GBK, GB18030); undefined for UTF-16, and unless asked (`lines`).
   */
  lastContentLine?: number;
  /** Valid UTF-8 holding a byte ≥ 0x80 (not plain ASCII). */
  nonAscii?: boolean;
  /** Valid UTF-8 holding a character of three or more bytes (U+0800 and up; every Chinese character). */
  utf8Wide?: boolean;
}

/** Lines with non-ASCII bytes, by what they prove about the file's encoding (see the module comment). */
export interface LineCounts {
  /** Valid UTF-8 with a character of three or more bytes: UTF-8 evidence. */
  utf8: number;
  /** Not valid UTF-8: GB18030 evidence. */
  other: number;
  /** Valid UTF-8 with two-byte characters only: either encoding. */
  ambiguous: number;
  /** Ambiguous lines whose GB18030 reading is Chinese and whose UTF-8 reading is not plausible text. */
  ambiguousGbLike: number;
  /** Ambiguous lines that GB18030 cannot decode cleanly. */
  ambiguousGbBad: number;
}

export type LineKind = 'ascii' | 'utf8' | 'other' | 'ambiguous';

/** What one line (without its line break) proves about the encoding. */
export function lineKind(line: Buffer): LineKind {
  if (!hasNonAscii(line)) return 'ascii';
  if (!isUtf8(line)) return 'other';
  for (let i = 0; i < line.length; i++) if (line[i]! >= 0xe0) return 'utf8';
  return 'ambiguous';
}

/**
 * Characters a UTF-8 reading of two-byte sequences plausibly holds in this data: Latin-1 symbols and letters
 * (° ± · × µ é) and Greek (α β γ μ in drug and test names). Anything else of U+0080–U+07FF (Ů, Cyrillic, Hebrew,
 * Arabic…) in a Chinese settlement file is GBK read as UTF-8.
 */
const PLAUSIBLE_UTF8_TWO_BYTE = /^[\u0000-\u007f\u00a0-\u00ff\u0370-\u03ff]*$/;
/** Characters of a Chinese text: CJK ideographs, CJK and full-width punctuation, general punctuation, Roman numerals, circled numbers. */
const CHINESE_TEXT =
  /^[\u0000-\u007f\u00b7\u2000-\u206f\u2150-\u218f\u2460-\u24ff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]*$/;
const CJK_IDEOGRAPH = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;

/** The GB18030 reading of an ambiguous line: `chinese` (clean Chinese text, and the UTF-8 reading is not plausible), `clean` or `bad`. */
export function gbReading(line: Buffer): 'chinese' | 'clean' | 'bad' {
  const gb = iconv.decode(line, 'gb18030');
  if (gb.includes(REPLACEMENT_CHAR) || /[\ue000-\uf8ff]/.test(gb)) return 'bad';
  if (CHINESE_TEXT.test(gb) && CJK_IDEOGRAPH.test(gb) && !PLAUSIBLE_UTF8_TWO_BYTE.test(line.toString('utf8')))
    return 'chinese';
  return 'clean';
}

/** Count the lines of `buf` (complete lines only) by kind. */
function classifyLines(buf: Buffer, counts: LineCounts): void {
  let start = 0;
  while (start < buf.length) {
    let end = buf.indexOf(0x0a, start);
    if (end < 0) end = buf.length;
    const line = buf.subarray(start, end);
    const kind = lineKind(line);
    if (kind === 'utf8') counts.utf8++;
    else if (kind === 'other') counts.other++;
    else if (kind === 'ambiguous') {
      counts.ambiguous++;
      const gb = gbReading(line);
      if (gb === 'chinese') counts.ambiguousGbLike++;
      else if (gb === 'bad') counts.ambiguousGbBad++;
    }
    start = end + 1;
  }
}

function hasNonAscii(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) if (b[i]! >= 0x80) return true;
  return false;
}

/** Length of an incomplete UTF-8 sequence at the end of `buf` (0–3 bytes), to carry into the next chunk. */
function incompleteTail(buf: Buffer): number {
  const n = buf.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const b = buf[n - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

/**
 * One streaming pass: SHA-256, size, whether the file is valid UTF-8, and with `lines` (text files: CSV) the last
 * line holding more than a line break.
 */
export async function scanFile(path: string, options: { lines?: boolean } = {}): Promise<FileScan> {
  const hash = createHash('sha256');
  let bytes = 0;
  let valid = true;
  let carry: Buffer = Buffer.alloc(0);
  let first = true;
  let bom = false;
  let utf16: FileScan['utf16'];
  let nonAscii = false;
  let wide = false;
  const lines = { line: 1, content: false, last: 0 };
  for await (const raw of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const chunk = raw as Buffer;
    hash.update(chunk);
    bytes += chunk.length;
    if (first) {
      bom = chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf;
      if (chunk.length >= 2 && chunk[0] === 0xff && chunk[1] === 0xfe) utf16 = 'utf16le';
      if (chunk.length >= 2 && chunk[0] === 0xfe && chunk[1] === 0xff) utf16 = 'utf16be';
      first = false;
    }
    if (utf16) continue;
    if (options.lines) advanceLines(chunk, lines);
    if (!valid) continue;
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const tail = incompleteTail(buf);
    if (!isUtf8(buf.subarray(0, buf.length - tail))) valid = false;
    carry = Buffer.from(buf.subarray(buf.length - tail));
    if (valid && !wide && !isAscii(chunk)) {
      // In valid UTF-8 a byte ≥ 0xE0 only leads a character of three or four bytes. A Chinese UTF-8 file has one
      // in its first chunk; an ASCII chunk is skipped natively.
      nonAscii = true;
      wide = /[\u00e0-\u00ff]/.test(chunk.toString('latin1'));
    }
  }
  if (carry.length > 0) valid = false;
  return {
    sha256: hash.digest('hex'),
    bytes,
    validUtf8: valid && !utf16,
    utf8Bom: bom,
    ...(valid && !utf16 ? { nonAscii, utf8Wide: wide } : {}),
    ...(utf16 ? { utf16 } : {}),
    ...(options.lines && !utf16 ? { lastContentLine: lines.content ? lines.line : lines.last } : {}),
  };
}

/**
 * Advance the line count over `chunk`: `line` is the current line's number, `content` whether it holds a byte
 * other than CR so far, `last` the last finished line that did. A line of CRs alone counts as content (never
 * fewer lines than an editor shows: the reader checks its records against this count, see csv.ts).
 */
function advanceLines(chunk: Buffer, s: { line: number; content: boolean; last: number }): void {
  let start = 0;
  for (;;) {
    const nl = chunk.indexOf(0x0a, start);
    const end = nl < 0 ? chunk.length : nl;
    if (end - start > 1 || (end - start === 1 && chunk[start] !== 0x0d)) s.content = true;
    if (nl < 0) return;
    if (s.content) s.last = s.line;
    s.line++;
    s.content = false;
    start = nl + 1;
  }
}

/**
 * Count the lines with non-ASCII bytes that are valid UTF-8 and those that are not (a second pass, made only for
 * files that are not valid UTF-8 as a whole). A newline byte never occurs inside a UTF-8 or GB18030 character.
 */
export async function countLines(path: string): Promise<LineCounts> {
  const lines: LineCounts = { utf8: 0, other: 0, ambiguous: 0, ambiguousGbLike: 0, ambiguousGbBad: 0 };
  let partial: Buffer = Buffer.alloc(0);
  for await (const raw of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const joined = partial.length ? Buffer.concat([partial, raw as Buffer]) : (raw as Buffer);
    const lastNl = joined.lastIndexOf(0x0a);
    if (lastNl >= 0) {
      classifyLines(joined.subarray(0, lastNl), lines);
      partial = Buffer.from(joined.subarray(lastNl + 1));
    } else {
      partial = Buffer.from(joined);
    }
  }
  if (partial.length > 0) classifyLines(partial, lines);
  return lines;
}

export interface DetectedEncoding {
  encoding: Encoding;
  /** Lines of both encodings: the lines not in `encoding` are marked undecodable and rejected. */
  mixed: boolean;
  /** The whole file reads cleanly in UTF-8 and in GB18030 (no Chinese character in its UTF-8 reading). */
  ambiguous?: boolean;
}

/** The encoding of a whole file (see the module comment). */
export async function detectEncoding(path: string, scan: FileScan): Promise<DetectedEncoding> {
  if (scan.utf16) return { encoding: scan.utf16, mixed: false };
  if (scan.validUtf8) {
    if (scan.utf8Bom || scan.utf8Wide || !scan.nonAscii) return { encoding: 'utf8', mixed: false };
    const lines = await countLines(path);
    const gb = lines.ambiguousGbLike > 0 && lines.ambiguousGbBad === 0;
    return { encoding: gb ? 'gb18030' : 'utf8', mixed: false, ambiguous: lines.ambiguousGbBad === 0 };
  }
  const lines = await countLines(path);
  if (lines.utf8 === 0 && !scan.utf8Bom) return { encoding: 'gb18030', mixed: false };
  return { encoding: lines.utf8 >= lines.other || scan.utf8Bom ? 'utf8' : 'gb18030', mixed: true };
}

/**
 * Decode a mixed file line by line into UTF-8 `dst`: lines in `encoding` are decoded; a line in the other
 * encoding keeps its text where it decodes as UTF-8 (in a UTF-8 file U+FFFD where its bytes fail) and gets
 * `OTHER_ENCODING_MARK` appended, so the CSV reader rejects it (E_ENCODING) with its text readable. An ambiguous
 * line follows `encoding`, but in a file read as UTF-8 it is rejected when its GB18030 reading is Chinese.
 */
export async function transcodeMixedToUtf8(src: string, dst: string, encoding: 'utf8' | 'gb18030'): Promise<void> {
  const out = createWriteStream(dst);
  let partial: Buffer = Buffer.alloc(0);
  let first = true;
  const emit = async (line: Buffer, newline: boolean) => {
    let body = line;
    if (first) {
      if (body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) body = body.subarray(3);
      first = false;
    }
    const cr = body.length > 0 && body[body.length - 1] === 0x0d;
    if (cr) body = body.subarray(0, body.length - 1);
    let text: string;
    const kind = lineKind(body);
    if (kind === 'ascii') text = body.toString('latin1');
    else if (kind === 'utf8')
      text = encoding === 'utf8' ? body.toString('utf8') : `${body.toString('utf8')}${OTHER_ENCODING_MARK}`;
    else if (kind === 'ambiguous' && encoding === 'utf8')
      text = gbReading(body) === 'chinese' ? `${body.toString('utf8')}${OTHER_ENCODING_MARK}` : body.toString('utf8');
    else if (encoding === 'gb18030') text = iconv.decode(body, 'gb18030');
    else text = `${new TextDecoder('utf-8').decode(body)}${OTHER_ENCODING_MARK}`;
    if (!out.write(`${text}${cr ? '\r' : ''}${newline ? '\n' : ''}`, 'utf8')) await once(out, 'drain');
  };
  for await (const raw of createReadStream(src, { highWaterMark: 1 << 20 })) {
    const joined = partial.length ? Buffer.concat([partial, raw as Buffer]) : (raw as Buffer);
    let start = 0;
    for (let nl = joined.indexOf(0x0a, start); nl >= 0; nl = joined.indexOf(0x0a, start)) {
      await emit(joined.subarray(start, nl), true);
      start = nl + 1;
    }
    partial = Buffer.from(joined.subarray(start));
  }
  if (partial.length > 0) await emit(partial, false);
  out.end();
  await once(out, 'finish');
}

/** Decode `src` from `encoding` into UTF-8 `dst` (streaming, BOM dropped, undecodable bytes → U+FFFD). */
export async function transcodeToUtf8(src: string, dst: string, encoding: Encoding): Promise<void> {
  if (encoding !== 'utf8') {
    await pipeline(
      createReadStream(src, { highWaterMark: 1 << 20 }),
      iconv.decodeStream(encoding),
      iconv.encodeStream('utf8'),
      createWriteStream(dst),
    );
    return;
  }
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });
  const toUtf8 = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      cb(null, Buffer.from(decoder.decode(chunk, { stream: true }), 'utf8'));
    },
    flush(cb) {
      cb(null, Buffer.from(decoder.decode(), 'utf8'));
    },
  });
  await pipeline(createReadStream(src, { highWaterMark: 1 << 20 }), toUtf8, createWriteStream(dst));
}

/**
 * Decode `file` into UTF-8 for DuckDB as `--encoding` says (auto: detected, see above). Returns the path to read
 * (the file itself when it is valid UTF-8) and the encoding.
 */
export async function decodeInput(
  file: string,
  tmpPath: string,
  option: EncodingOption,
  scan: FileScan,
): Promise<{ path: string } & DetectedEncoding> {
  const chosen: DetectedEncoding =
    option === 'auto'
      ? await detectEncoding(file, scan)
      : { encoding: (scan.utf16 ?? (option === 'utf8' ? 'utf8' : 'gb18030')) as Encoding, mixed: false };
  if (chosen.mixed && (chosen.encoding === 'utf8' || chosen.encoding === 'gb18030')) {
    await transcodeMixedToUtf8(file, tmpPath, chosen.encoding);
    return { path: tmpPath, ...chosen };
  }
  if (chosen.encoding === 'utf8' && scan.validUtf8) return { path: file, ...chosen };
  await transcodeToUtf8(file, tmpPath, chosen.encoding);
  return { path: tmpPath, ...chosen };
}
