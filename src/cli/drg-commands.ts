/**
 * `yibao drg …` commands (the imperative shell around the grouper):
 *   drg group  --pack DIR|FILE --in CASES.csv --out RESULTS.csv [--workers N] [--translate-codes]
 *   drg import --from REFDIR|WORKBOOK --out PACK.json
 *   drg export --pack P --out WORKBOOK.xlsx|DIR
 *   drg compare --from P1 --to P2 --in CASES.csv --out CHANGES.csv [--transitions T.csv]
 *   drg case   --pack DIR|FILE --dx CODES [--proc CODES] [--sex 1|2] [--age N] [--age-days N] [--weight G]
 * CASES.csv has the columns of the reference's cases_public.csv (extra columns ignored); RESULTS.csv has
 * `id,mdc,adrg,drg,status` with the reference's status words. `--pack` takes a yibao pack, the reference
 * folder itself, or a scheme workbook (src/grouping/drg/workbook: an .xlsx file or a folder of CSV sheets).
 */
import { once } from 'node:events';
import { closeSync, createWriteStream, existsSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { CaseBatchBuilder } from '../grouping/drg/case-batch.ts';
import { CASE_FIELDS, caseColumnIndexes } from '../grouping/drg/case-columns.ts';
import { DRG_CHANGE_LABELS, DRG_CHANGES, DrgComparisonTally } from '../grouping/drg/compare.ts';
import { csvLine, fieldCountError } from '../grouping/drg/csv.ts';
import { drgTraceToExplanation } from '../grouping/drg/explain.ts';
import { groupBatch, groupCase } from '../grouping/drg/group-case.ts';
import { openDrgKernel, openDrgPack } from '../grouping/drg/index.ts';
import { openDrgKernelCached } from '../grouping/drg/kernel-snapshot.ts';
import { type DrgKernel, type DrgResults, newResults } from '../grouping/drg/kernel-types.ts';
import { DrgPackError } from '../grouping/drg/pack-error.ts';
import { importReferenceFolder, PACK_FILE_NAME, writeDrgPackFile } from '../grouping/drg/pack-io.ts';
import { DEFAULT_DRG_PACK } from '../grouping/drg/pack-names.ts';
import type { DrgPack } from '../grouping/drg/pack-schema.ts';
import { drgPackWarnings } from '../grouping/drg/pack-validate.ts';
import { DrgWorkerPool } from '../grouping/drg/parallel.ts';
import { checkColumns, forEachCase } from '../grouping/drg/reference-cases.ts';
import { type DrgOutcome, outcomeAt } from '../grouping/drg/results.ts';
import { DRG_STATUSES, drgStatusText } from '../grouping/drg/status.ts';
import {
  type CaseTextLayout,
  type InternTablesData,
  readRange,
  TextGrouper,
  type TextGroupResult,
  textInterner,
} from '../grouping/drg/text-group.ts';
import { isSchemeWorkbook, readSchemeWorkbook, writeSchemeWorkbook } from '../grouping/drg/workbook/io.ts';
import { readableExplanationText } from '../report/readable-explanation.ts';
import { type CliContext, CliError, EXIT } from './context.ts';

type Ctx = Pick<CliContext, 'lang' | 'json'>;

const PACK_OPTION =
  '分组方案：chs-drg-2.0（默认）或 chs-drg-1.1，或数据包、CHS-DRG 参考目录、分组方案表格（.xlsx / CSV 文件夹）/ ' +
  'scheme: chs-drg-2.0 (default) or chs-drg-1.1 by name, or a pack, a CHS-DRG reference folder, or a scheme workbook (.xlsx / CSV folder)';

const defaultContext = (): Ctx => ({ lang: process.env.YIBAO_LANG === 'en' ? 'en' : 'zh', json: false });

function say(ctx: Ctx, zh: string, en: string): string {
  return ctx.lang === 'en' ? en : zh;
}

/** Run an action, turning pack and CSV errors into a user-facing CliError (exit code: bad input). */
async function guarded(ctx: () => Pick<CliContext, 'lang'>, action: () => Promise<void> | void): Promise<void> {
  try {
    await action();
  } catch (e) {
    // With its place, in the reader's language (it printed "… English / 中文" whatever --lang said).
    if (e instanceof DrgPackError)
      throw new CliError(
        `${e.file}${e.where ? `: ${e.where}` : ''}: ${ctx().lang === 'en' ? e.en : e.zh}`,
        EXIT.badInput,
      );
    throw e;
  }
}

export function registerDrgCommands(program: Command, getContext: () => Ctx = defaultContext): void {
  // Another module (DRG payment) may register `drg` subcommands too: share one `drg` command.
  const drg =
    program.commands.find((c) => c.name() === 'drg') ??
    program.command('drg').description('CHS-DRG 分组与付费 / CHS-DRG grouping and payment');

  drg
    .command('group')
    .description('批量分组 / group a case file')
    .option('--pack <path>', PACK_OPTION, DEFAULT_DRG_PACK)
    .requiredOption(
      '--in <file>',
      '病案 CSV 或 Parquet（cases_public.csv 列名，或结算清单 setl_id, gend, diag_codes …）/ cases CSV or Parquet (reference or settlement-list column names)',
    )
    .requiredOption('--out <file>', '结果 CSV 或 Parquet：id,mdc,adrg,drg,status / results CSV or Parquet')
    .option(
      '--workers <n>',
      '分组线程数，含主线程（默认 1 = 单线程）/ threads that group, this one included (default 1)',
      '1',
    )
    .option('--translate-codes', '按映射表转换编码（默认关闭）/ translate codes through the pack maps', false)
    .action((o: { pack: string; in: string; out: string; workers: string; translateCodes: boolean }) =>
      guarded(getContext, () => groupFile(getContext(), o)),
    );

  drg
    .command('import')
    .description(
      '导入分组方案为数据包：CHS-DRG 1.1 或 2.0 参考目录（自动识别），或分组方案表格（.xlsx 或 CSV 文件夹）/ ' +
        'import a scheme into a pack: a CHS-DRG 1.1 or 2.0 reference folder (detected), or a scheme workbook (.xlsx or CSV folder)',
    )
    .requiredOption('--from <path>', '参考目录或分组方案表格 / reference folder or scheme workbook')
    .requiredOption('--out <file>', '输出数据包 JSON（或目录，写入 pack.json）/ pack file (or folder) to write')
    .action((o: { from: string; out: string }) =>
      guarded(getContext, async () => {
        const ctx = getContext();
        if (!existsSync(o.from)) {
          throw new DrgPackError('DRG_PACK_READ', o.from, '', '文件或文件夹不存在', 'no such file or folder');
        }
        const pack = isSchemeWorkbook(o.from) ? await readSchemeWorkbook(o.from) : importReference(o.from);
        const out = existsSync(o.out) && statSync(o.out).isDirectory() ? join(o.out, PACK_FILE_NAME) : o.out;
        writeDrgPackFile(pack, out);
        const warnings = drgPackWarnings(pack);
        if (ctx.json) {
          const ignoredSheets = pack.source.ignoredSheets ?? [];
          process.stdout.write(
            `${JSON.stringify({ out, scheme: pack.scheme, version: pack.version, warnings, ignoredSheets })}\n`,
          );
          return;
        }
        process.stdout.write(
          `${say(ctx, '已写出', 'wrote')} ${out}: ${pack.scheme} ${pack.version}, ${pack.mdcs.length} MDC, ` +
            `${pack.adrgs.length} ADRG, ${pack.drgs.length} DRG\n`,
        );
        for (const w of warnings) process.stdout.write(`  ! ${w.where}: ${say(ctx, w.zh, w.en)}\n`);
        const ignored = pack.source.ignoredSheets;
        if (Array.isArray(ignored)) {
          process.stdout.write(
            `  ! ${say(ctx, '未读取的工作表（不属于分组方案表格）：', 'sheets not read (not part of the workbook layout): ')}${ignored.join(', ')}\n`,
          );
        }
      }),
    );

  drg
    .command('export')
    .description(
      '把分组方案导出为可编辑的分组方案表格（.xlsx 或 CSV 文件夹），改后可再用 drg import 导入 / ' +
        'export a scheme as an editable workbook (.xlsx or a CSV folder) that drg import reads back',
    )
    .requiredOption('--pack <path>', PACK_OPTION)
    .requiredOption('--out <path>', '.xlsx 文件，或 CSV 文件夹 / an .xlsx file, or a folder for CSV files')
    .action((o: { pack: string; out: string }) =>
      guarded(getContext, async () => {
        const ctx = getContext();
        const pack = await openDrgPack(o.pack);
        const written = await writeSchemeWorkbook(pack, o.out);
        if (ctx.json) {
          process.stdout.write(`${JSON.stringify({ out: o.out, ...written })}\n`);
          return;
        }
        process.stdout.write(
          `${say(ctx, '已写出', 'wrote')} ${o.out} (${written.format}): ${pack.scheme} ${pack.version}, ` +
            `${written.sheets} ${say(ctx, '张表', 'sheets')}, ${written.rows.toLocaleString('en')} ${say(ctx, '行', 'rows')}\n`,
        );
      }),
    );

  drg
    .command('compare')
    .description('两个分组方案对同一批病案的分组差异（方案切换影响分析）/ how the same cases group under two schemes')
    .requiredOption('--from <path>', '原方案 / the scheme in use (pack, reference folder or workbook)')
    .requiredOption('--to <path>', '新方案 / the scheme to compare with')
    .requiredOption('--in <file>', '病案 CSV 或 Parquet（参考列名或结算清单列名）/ cases CSV or Parquet')
    .requiredOption('--out <file>', '变化病案 CSV / CSV of the cases whose result changes')
    .option('--transitions <file>', 'DRG 变化汇总 CSV：from_drg,to_drg,cases / DRG transitions CSV')
    .action((o: CompareOptions) => guarded(getContext, () => compareFile(getContext(), o)));

  drg
    .command('case')
    .description('单病例预分组并给出分组过程 / pre-group one case and explain it')
    .option('--pack <path>', PACK_OPTION, DEFAULT_DRG_PACK)
    .requiredOption('--dx <codes>', '诊断编码，| 分隔，主要诊断在前 / diagnoses, |-separated, principal first')
    .option('--proc <codes>', '手术操作编码，| 分隔 / procedures, |-separated', '')
    .option('--sex <sex>', '性别 1 男 2 女 / sex', '')
    .option('--age <years>', '年龄（岁）/ age in years', '')
    .option('--age-days <days>', '年龄（天）/ age in days', '')
    .option('--weight <grams>', '新生儿出生体重（克）/ birth weight in grams', '')
    .action(
      (o: { pack: string; dx: string; proc: string; sex: string; age: string; ageDays: string; weight: string }) =>
        guarded(getContext, async () => {
          const ctx = getContext();
          const kernel = await openDrgKernel(o.pack);
          const input = {
            sex: o.sex,
            age: o.age,
            ageDays: o.ageDays,
            birthWeightG: o.weight,
            diagnoses: o.dx,
            procedures: o.proc,
          };
          const r = groupCase(kernel, input, { trace: true });
          if (ctx.json) {
            process.stdout.write(`${JSON.stringify(r)}\n`);
            return;
          }
          process.stdout.write(
            `${readableExplanationText(drgTraceToExplanation(`${r.drg} (${r.status})`, r), ctx.lang)}\n`,
          );
        }),
    );
}

/** A CHS-DRG reference folder (1.1 or 2.0, detected) as a pack, or an error naming what the folder lacks. */
function importReference(dir: string): DrgPack {
  const pack = importReferenceFolder(dir);
  if (pack) return pack;
  throw new DrgPackError(
    'DRG_PACK_READ',
    dir,
    '',
    '不是 CHS-DRG 参考目录（缺少 mdc.json, adrg.json …），也不是分组方案表格',
    'neither a CHS-DRG reference folder (mdc.json, adrg.json, …) nor a scheme workbook',
  );
}

interface GroupOptions {
  pack: string;
  in: string;
  out: string;
  workers: string;
  translateCodes: boolean;
}

async function groupFile(ctx: Ctx, o: GroupOptions): Promise<void> {
  const workers = Number(o.workers);
  if (!Number.isInteger(workers) || workers < 1) {
    throw new CliError(
      say(ctx, `--workers 须为正整数：${o.workers}`, `--workers must be a positive integer`),
      EXIT.usage,
    );
  }
  const t0 = performance.now();
  // N threads group: this one and N - 1 workers, which load their code while this thread loads the pack.
  const pool = workers > 1 ? DrgWorkerPool.spawn(workers - 1) : null;
  let kernel: DrgKernel;
  let tables: InternTablesData;
  let from: 'snapshot' | 'scheme';
  try {
    ({ kernel, tables, from } = await openDrgKernelCached(o.pack));
    await pool?.init(kernel, tables);
  } catch (e) {
    await pool?.close();
    throw e;
  }
  const t1 = performance.now();
  let tmp: string | null = null;
  const tmpFile = (name: string) => {
    tmp ??= mkdtempSync(join(tmpdir(), 'yibao-drg-group-'));
    return join(tmp, name);
  };
  let run: GroupRun;
  try {
    // Parquet in: DuckDB writes the grouper's columns as plain CSV, which the text path then reads.
    const input = isParquet(o.in) ? await parquetCasesToCsv(o.in, tmpFile('cases.csv')) : o.in;
    const outCsv = isParquet(o.out) ? tmpFile('results.csv') : o.out;
    const fast = o.translateCodes ? null : await groupTextFile(kernel, tables, input, outCsv, pool);
    run = fast ?? (await groupRecordsFile(kernel, input, outCsv, pool, o.translateCodes));
    if (isParquet(o.out)) await csvToParquet(outCsv, o.out);
  } finally {
    await pool?.close();
    if (tmp !== null) rmSync(tmp, { recursive: true, force: true });
  }
  const t4 = performance.now();

  const n = run.cases;
  const perSecond = (ms: number) => Math.round(n / Math.max(ms / 1000, 1e-9));
  const summary = {
    cases: n,
    statuses: run.counts,
    ms: { loadPack: t1 - t0, readGroupWrite: t4 - t1 },
    endToEndCasesPerSecond: perSecond(t4 - t0),
    workers,
    path: run.path,
    /** Where the kernel came from: its snapshot in the cache, or the scheme (compiled). */
    kernel: from,
    /** CPU time of the whole process so far (every thread, start-up included) and its peak memory. */
    cpuSeconds: cpuSecondsOfProcess(),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  if (ctx.json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return;
  }
  const fmt = (x: number) => x.toLocaleString('en');
  // The grouper's statuses in words (SUCCESS read as such in zh), zh in full-width punctuation.
  const byStatus = Object.entries(run.counts)
    .map(([s, k]) => `${drgStatusText(s, ctx.lang) ?? s} ${fmt(k)}`)
    .join(say(ctx, '，', ', '));
  const paren = (x: string) => say(ctx, `（${x}）`, ` (${x})`);
  process.stdout.write(
    `${say(ctx, '已分组', 'grouped')} ${fmt(n)} ${say(ctx, '例', n === 1 ? 'case' : 'cases')} → ${o.out}${paren(byStatus)}\n` +
      `${say(ctx, '含读写：', 'end to end: ')}${fmt(summary.endToEndCasesPerSecond)} ${say(ctx, '例/秒', 'cases/s')}` +
      `${paren(`${workers} ${say(ctx, '线程', workers > 1 ? 'threads' : 'thread')}`)} ` +
      `[${say(ctx, '载入方案', 'load pack')} ${(t1 - t0).toFixed(0)} ms, ` +
      `${say(ctx, '读取、分组、写出', 'read, group, write')} ${(t4 - t1).toFixed(0)} ms]\n`,
  );
}

function cpuSecondsOfProcess(): number {
  const u = process.cpuUsage();
  return Math.round((u.user + u.system) / 1000) / 1000;
}

interface GroupRun {
  cases: number;
  counts: Record<string, number>;
  /** `text`: the fast path (text-group.ts); `records`: csv-parse (quoted files, code translation). */
  path: 'text' | 'records';
}

const isParquet = (file: string) => file.toLowerCase().endsWith('.parquet');

/**
 * Bytes per range of the text path: a worker reads, groups and formats one range at a time, in buffers it keeps,
 * and the ranges are written out in order as they come back (a few MB each: the workers balance among themselves,
 * and memory stays small whatever the file's size).
 */
const RANGE_BYTES = 4 << 20;

/**
 * The fast path: the file is cut into ranges of whole lines; each range is read, interned, grouped and written
 * back as result lines by a worker of `pool` (or this thread without one). Null when the file holds a `"`.
 */
async function groupTextFile(
  kernel: DrgKernel,
  tables: InternTablesData,
  file: string,
  out: string,
  pool: DrgWorkerPool | null,
): Promise<GroupRun | null> {
  const workers = (pool?.size ?? 0) + 1;
  let size: number;
  try {
    size = statSync(file).size;
  } catch (e) {
    const m = (e as Error).message;
    throw new DrgPackError('DRG_CSV_READ', file, '', `无法读取文件：${m}`, `cannot read: ${m}`);
  }
  const head = readRange(file, 0, Math.min(size, 1 << 20));
  let bodyStart = head.indexOf(0x0a) + 1;
  if (bodyStart === 0) bodyStart = head.length;
  const headerText = head
    .toString('utf8', 0, bodyStart)
    .replace(/^\uFEFF/, '')
    .replace(/\r?\n$/, '');
  if (headerText.includes('"')) return null;
  const header = headerText === '' ? [] : headerText.split(',');
  checkColumns(file, header);
  const layout: CaseTextLayout = { index: caseColumnIndexes(header).index, columns: header.length };
  const pieces = Math.max(workers, Math.ceil((size - bodyStart) / RANGE_BYTES));
  const ranges = lineRanges(file, bodyStart, size, pieces);

  // Ranges come back in any order; each is written as soon as those before it are.
  const fd = openSync(out, 'w');
  let cases = 0;
  const byIndex: number[] = [];
  const waiting = new Map<number, TextGroupResult>();
  let nextToWrite = 0;
  // A quoted range sends the whole file to the csv-parse path; else the file's first bad line is the lowest of
  // the ranges' first bad lines (ranges finish in any order; every range before a failed one has been taken).
  const failed: { quoted: boolean; badLine: Extract<TextGroupResult, { kind: 'badLine' }> | null } = {
    quoted: false,
    badLine: null,
  };
  const onResult = (index: number, r: TextGroupResult): boolean => {
    if (r.kind === 'quoted') failed.quoted = true;
    else if (r.kind === 'badLine') {
      if (failed.badLine === null || r.offset < failed.badLine.offset) failed.badLine = r;
    }
    if (r.kind !== 'done') return false;
    waiting.set(index, r);
    for (let w = waiting.get(nextToWrite); w?.kind === 'done'; w = waiting.get(nextToWrite)) {
      waiting.delete(nextToWrite++);
      writeAll(fd, w.lines);
      cases += w.cases;
      w.statusCounts.forEach((k, s) => {
        byIndex[s] = (byIndex[s] ?? 0) + (k ?? 0);
      });
    }
    return true;
  };
  try {
    writeSync(fd, csvLine(['id', 'mdc', 'adrg', 'drg', 'status']));
    const grouper = new TextGrouper(kernel.core, textInterner(tables));
    if (pool === null) {
      for (let r = 0; r < ranges.length; r++) {
        const [a, b] = ranges[r]!;
        if (!onResult(r, grouper.group(file, a, b, layout))) break;
      }
    } else {
      await pool.groupText(file, ranges, layout, onResult, grouper);
    }
  } finally {
    closeSync(fd);
  }
  if (failed.quoted) return null;
  const failure = failed.badLine;
  if (failure !== null) {
    rmSync(out, { force: true });
    throw fieldCountError(file, lineNumberAt(file, failure.offset), failure.fields, header.length);
  }
  const counts: Record<string, number> = {};
  byIndex.forEach((k, s) => {
    if (k) counts[DRG_STATUSES[s]!] = k;
  });
  return { cases, counts, path: 'text' };
}

/** The 1-based number of the line holding byte `offset` of a file (read 1 MB at a time, whatever its size). */
function lineNumberAt(file: string, offset: number): number {
  let line = 1;
  for (let at = 0; at < offset; at += 1 << 20) {
    const bytes = readRange(file, at, Math.min(offset, at + (1 << 20)));
    for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) line++;
  }
  return line;
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
}

/** `pieces` byte ranges of whole lines covering `[from, size)`. */
function lineRanges(file: string, from: number, size: number, pieces: number): [number, number][] {
  const cuts = [from];
  for (let k = 1; k < pieces; k++) {
    let at = Math.max(cuts[cuts.length - 1]!, from + Math.floor(((size - from) * k) / pieces));
    // Move the cut just past the next line break.
    for (;;) {
      if (at >= size) break;
      const probe = readRange(file, at, Math.min(size, at + (1 << 16)));
      const nl = probe.indexOf(0x0a);
      if (nl >= 0) {
        at += nl + 1;
        break;
      }
      at += probe.length;
    }
    if (at > cuts[cuts.length - 1]! && at < size) cuts.push(at);
  }
  cuts.push(size);
  const out: [number, number][] = [];
  for (let k = 0; k + 1 < cuts.length; k++) if (cuts[k + 1]! > cuts[k]!) out.push([cuts[k]!, cuts[k + 1]!]);
  return out;
}

/** The csv-parse path: any CSV (quoted fields), and code translation. */
async function groupRecordsFile(
  kernel: DrgKernel,
  file: string,
  out: string,
  pool: DrgWorkerPool | null,
  translateCodes: boolean,
): Promise<GroupRun> {
  const builder = new CaseBatchBuilder(kernel, 4096, { translateCodes });
  const ids: string[] = [];
  await forEachCase(file, (c) => {
    ids.push(c.id);
    builder.add(c);
  });
  const batch = builder.finish(pool !== null);
  let results: DrgResults;
  if (pool) {
    results = newResults(batch.size, true);
    await pool.group(batch, results);
  } else {
    results = groupBatch(kernel, batch, newResults(batch.size));
  }
  const counts = await writeResults(out, kernel, results, ids);
  return { cases: ids.length, counts, path: 'records' };
}

/** Open DuckDB (loaded only when a Parquet file is read or written). */
async function duckdb() {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  return instance.connect();
}

const sqlText = (s: string) => `'${s.replaceAll("'", "''")}'`;
const sqlName = (s: string) => `"${s.replaceAll('"', '""')}"`;

/** The grouper's columns of a Parquet case file (reference or settlement-list names) → a plain CSV file. */
async function parquetCasesToCsv(file: string, csv: string): Promise<string> {
  if (!existsSync(file)) throw new DrgPackError('DRG_CSV_READ', file, '', '文件不存在', 'no such file');
  const conn = await duckdb();
  try {
    const described = await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${sqlText(file)})`);
    const header = described.getRows().map((r) => String(r[0]));
    checkColumns(file, header);
    const { index } = caseColumnIndexes(header);
    const select = CASE_FIELDS.map((f, k) => {
      const i = index[k]!;
      // Empty values as NULL: DuckDB writes NULL as an empty field and an empty text as "", which would send
      // the whole file to the csv-parse path.
      return i < 0 ? `NULL AS ${f}` : `NULLIF(CAST(${sqlName(header[i]!)} AS VARCHAR), '') AS ${f}`;
    }).join(', ');
    await conn.run(
      `COPY (SELECT ${select} FROM read_parquet(${sqlText(file)})) TO ${sqlText(csv)} (FORMAT csv, HEADER true)`,
    );
  } finally {
    conn.closeSync();
  }
  return csv;
}

/** Results CSV → Parquet (every column text). */
async function csvToParquet(csv: string, file: string): Promise<void> {
  const conn = await duckdb();
  try {
    await conn.run(
      `COPY (SELECT * FROM read_csv(${sqlText(csv)}, header = true, all_varchar = true)) TO ${sqlText(file)} (FORMAT parquet)`,
    );
  } finally {
    conn.closeSync();
  }
}

interface CompareOptions {
  from: string;
  to: string;
  in: string;
  out: string;
  transitions?: string;
}

async function compareFile(ctx: Ctx, o: CompareOptions): Promise<void> {
  const [a, b] = await Promise.all([openDrgKernel(o.from), openDrgKernel(o.to)]);
  const builders = [new CaseBatchBuilder(a, 4096), new CaseBatchBuilder(b, 4096)] as const;
  const ids: string[] = [];
  const tmp = isParquet(o.in) ? mkdtempSync(join(tmpdir(), 'yibao-drg-compare-')) : null;
  try {
    const input = tmp === null ? o.in : await parquetCasesToCsv(o.in, join(tmp, 'cases.csv'));
    await forEachCase(input, (c) => {
      ids.push(c.id);
      builders[0].add(c);
      builders[1].add(c);
    });
  } finally {
    if (tmp !== null) rmSync(tmp, { recursive: true, force: true });
  }
  const ra = groupBatch(a, builders[0].finish());
  const rb = groupBatch(b, builders[1].finish());
  const tally = new DrgComparisonTally();
  const side = (x: DrgOutcome) => [x.mdc, x.adrg, x.drg, x.status];
  await writeCsvLines(
    o.out,
    ['id', 'from_mdc', 'from_adrg', 'from_drg', 'from_status', 'to_mdc', 'to_adrg', 'to_drg', 'to_status', 'change'],
    function* () {
      for (let i = 0; i < ids.length; i++) {
        const x = outcomeAt(a, ra, i);
        const y = outcomeAt(b, rb, i);
        const change = tally.add(x, y);
        if (change !== 'same') yield [ids[i]!, ...side(x), ...side(y), change];
      }
    },
  );
  const transitions = tally.transitions();
  if (o.transitions) {
    await writeCsvLines(o.transitions, ['from_drg', 'to_drg', 'cases'], function* () {
      for (const t of transitions) yield [t.from, t.to, String(t.cases)];
    });
  }
  if (ctx.json) {
    process.stdout.write(
      `${JSON.stringify({ cases: tally.cases, changes: tally.counts, transitions: transitions.slice(0, 20) })}\n`,
    );
    return;
  }
  const fmt = (x: number) => x.toLocaleString('en');
  const pct = (x: number) => (tally.cases === 0 ? '0.0' : ((100 * x) / tally.cases).toFixed(1));
  let text = `${say(ctx, '比较', 'compared')} ${fmt(tally.cases)} ${say(ctx, '例：', 'cases: ')}${o.from} → ${o.to}\n`;
  for (const k of DRG_CHANGES) {
    const label = DRG_CHANGE_LABELS[k];
    text += `  ${say(ctx, label.zh, label.en)}: ${fmt(tally.counts[k])} (${pct(tally.counts[k])} %)\n`;
  }
  if (transitions.length > 0) {
    text += `${say(ctx, '变化最多的 DRG：', 'most frequent moves: ')}`;
    text += `${transitions
      .slice(0, 5)
      .map((t) => `${t.from} → ${t.to} ${fmt(t.cases)}`)
      .join(', ')}\n`;
  }
  text += `${say(ctx, '变化病案已写出', 'changed cases written to')} ${o.out}\n`;
  process.stdout.write(text);
}

/** Write a CSV file from a header and generated rows, in chunks. */
async function writeCsvLines(
  file: string,
  header: readonly string[],
  rows: () => Iterable<readonly string[]>,
): Promise<void> {
  const out = createWriteStream(file);
  const failed = new Promise<never>((_, reject) => out.on('error', reject));
  failed.catch(() => {}); // observed through the races below
  let chunk = csvLine(header);
  for (const r of rows()) {
    chunk += csvLine(r);
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await Promise.race([once(out, 'drain'), failed]);
      chunk = '';
    }
  }
  out.end(chunk);
  await Promise.race([once(out, 'finish'), failed]);
}

/** Write `id,mdc,adrg,drg,status` in chunks; returns the count of each status. */
async function writeResults(
  file: string,
  kernel: DrgKernel,
  results: DrgResults,
  ids: readonly string[],
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  await writeCsvLines(file, ['id', 'mdc', 'adrg', 'drg', 'status'], function* () {
    for (let i = 0; i < ids.length; i++) {
      const r = outcomeAt(kernel, results, i);
      counts[r.status] = (counts[r.status] ?? 0) + 1;
      yield [ids[i]!, r.mdc, r.adrg, r.drg, r.status];
    }
  });
  return counts;
}
