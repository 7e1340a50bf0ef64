/**
 * Lines into an open file in chunks of 10,000 (so millions of rows stream without one giant string): the one
 * writing loop behind the CSV and JSON Lines writers, for rows in memory and rows streamed from a stored run.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

const CHUNK = 10_000;

export class LineSink {
  private buf: string[] = [];
  /** Lines added (a header written with `raw` does not count). */
  lines = 0;

  constructor(
    private readonly fd: number,
    private readonly eol: string,
  ) {}

  raw(text: string): void {
    writeSync(this.fd, text);
  }

  line(text: string): void {
    this.buf.push(text);
    this.lines++;
    if (this.buf.length >= CHUNK) this.flush();
  }

  flush(): void {
    if (this.buf.length === 0) return;
    writeSync(this.fd, `${this.buf.join(this.eol)}${this.eol}`);
    this.buf = [];
  }
}

/** Open `path`, let `fill` add lines, flush, close; returns the number of lines. */
export function writeLines(path: string, eol: string, fill: (sink: LineSink) => void): number {
  const fd = openSync(path, 'w');
  try {
    const sink = new LineSink(fd, eol);
    fill(sink);
    sink.flush();
    return sink.lines;
  } finally {
    closeSync(fd);
  }
}

/** `writeLines` for rows that arrive asynchronously. */
export async function writeLinesAsync(
  path: string,
  eol: string,
  fill: (sink: LineSink) => Promise<void>,
): Promise<number> {
  const fd = openSync(path, 'w');
  try {
    const sink = new LineSink(fd, eol);
    await fill(sink);
    sink.flush();
    return sink.lines;
  } finally {
    closeSync(fd);
  }
}
