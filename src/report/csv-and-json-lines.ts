/**
 * A streamed table into its CSV file and its JSON Lines file in one pass: a stored run's per-case sheet is read
 * from the store once for both (each file written in chunks, atomically, exactly as `writeCsvStream` and
 * `writeJsonLinesStream` write it alone).
 */
import { writeFileAtomic } from './atomic.ts';
import { csvHeader, csvLine } from './csv.ts';
import { jsonLine } from './json.ts';
import { writeLinesAsync } from './line-sink.ts';
import type { AnyTable } from './table.ts';

/** Returns the number of records written to each file. */
export function writeCsvAndJsonLinesStream(
  csvPath: string,
  jsonLinesPath: string,
  t: AnyTable,
  lang: 'zh' | 'en' = 'zh',
): Promise<number> {
  return writeFileAtomic(csvPath, (csvTemp) =>
    writeFileAtomic(jsonLinesPath, (jsonTemp) =>
      writeLinesAsync(csvTemp, '\r\n', (csv) =>
        writeLinesAsync(jsonTemp, '\n', async (jsonl) => {
          csv.raw(csvHeader(t, lang));
          for await (const r of t.rows) {
            csv.line(csvLine(t, r, lang));
            jsonl.line(jsonLine(t, r));
          }
        }).then(() => undefined),
      ),
    ),
  );
}
