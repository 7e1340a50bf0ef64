/**
 * Text encodings of input files. HIS exports are often GBK/GB18030; DuckDB reads UTF-8 only, so a non-UTF-8
 * file is decoded in Node (iconv-lite, streaming) into a temporary UTF-8 file first. Bytes that cannot be
 * decoded become U+FFFD, and the QC rejects every row that contains one (E_ENCODING) instead of guessing.
 */
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import iconv from 'iconv-lite';

/** What `--encoding` accepts. GBK is read as GB18030, its superset. */
export type EncodingOption = 'auto' | 'utf8' | 'gbk' | 'gb18030';
export type Encoding = 'utf8' | 'gb18030';

export const REPLACEMENT_CHAR = '\uFFFD';

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

/** One streaming pass: SHA-256, size, and whether the file is valid UTF-8. */
export async function scanFile(path: string): Promise<FileScan> {
  const hash = createHash('sha256');
  let bytes = 0;
  let valid = true;
  let carry: Buffer = Buffer.alloc(0);
  let first = true;
  let bom = false;
  for await (const raw of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const chunk = raw as Buffer;
    hash.update(chunk);
    bytes += chunk.length;
    if (first) {
      bom = chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf;
      first = false;
    }
    if (!valid) continue;
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const tail = incompleteTail(buf);
    if (!isUtf8(buf.subarray(0, buf.length - tail))) valid = false;
    carry = Buffer.from(buf.subarray(buf.length - tail));
  }
  if (carry.length > 0) valid = false;
  return { sha256: hash.digest('hex'), bytes, validUtf8: valid, utf8Bom: bom };
}

/**
 * Decide the encoding of a file that is not valid UTF-8: decode a sample as UTF-8; if only a few of its
 * non-ASCII characters are undecodable it is damaged UTF-8 (the bad rows will be rejected), otherwise GB18030.
 */
export async function detectEncoding(path: string, scan: FileScan, sampleBytes = 8 << 20): Promise<Encoding> {
  if (scan.validUtf8 || scan.utf8Bom) return 'utf8';
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(Math.min(sampleBytes, scan.bytes));
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const text = new TextDecoder('utf-8', { fatal: false }).decode(buf.subarray(0, bytesRead));
    let bad = 0;
    let nonAscii = 0;
    for (const ch of text) {
      if (ch.charCodeAt(0) < 0x80) continue;
      nonAscii++;
      if (ch === REPLACEMENT_CHAR) bad++;
    }
    return nonAscii > 0 && bad / nonAscii < 0.05 ? 'utf8' : 'gb18030';
  } finally {
    await fh.close();
  }
}

/** Decode `src` from `encoding` into UTF-8 `dst` (streaming, BOM dropped, undecodable bytes → U+FFFD). */
export async function transcodeToUtf8(src: string, dst: string, encoding: Encoding): Promise<void> {
  if (encoding === 'gb18030') {
    await pipeline(
      createReadStream(src, { highWaterMark: 1 << 20 }),
      iconv.decodeStream('gb18030'),
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
