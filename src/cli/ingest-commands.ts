/**
 * `yibao ingest FILE` (check and store) and `yibao qc FILE` (check only, store nothing): settlement lists and
 * master data with quality control (R-DATA-1). Exit code 1 when rows were rejected, 3 when the file itself is
 * unusable (see cli/context.ts).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { QC_ERROR_CODES } from '../ingest/error-codes.ts';
import { IngestFileError } from '../ingest/errors.ts';
import { isIngestKind, KINDS } from '../ingest/kinds/index.ts';
import { INGEST_STAGES, type IngestReport, type IngestStage, ingestFile, replacedLines } from '../ingest/pipeline.ts';
import { defaultQcPolicyFile, loadQcSettings } from '../ingest/qc/settings.ts';
import { isRejectsColumn, REJECTS_COLUMNS } from '../ingest/rejects-columns.ts';
import { type RowUnit, rowPlaceEn, rowPlaceZh } from '../ingest/row-place.ts';
import { parseColumnMap } from '../ingest/source/header.ts';
import { formatOf, parseEncodingOption } from '../ingest/source/index.ts';
import { countOf } from '../report/labels.ts';
import { isClickHouseLocation } from '../store/clickhouse/client.ts';
import { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import { StoreError } from '../store/errors.ts';
import { type CliContext, CliError, EXIT, t } from './context.ts';
import { ingestIntoClickHouse } from './ingest-clickhouse.ts';
import type { GetContext } from './main.ts';

interface IngestCliOptions {
  kind: string;
  year?: string;
  format?: string;
  encoding?: string;
  sheet?: string;
  rejects?: string;
  policy?: string;
  asOf?: string;
  columns?: string;
  replace?: boolean;
}

/** Rethrow file and store problems as CLI errors with the user's language and the "bad input" exit code. */
export function asCliError(e: unknown, ctx: Pick<CliContext, 'lang'>): unknown {
  if (e instanceof IngestFileError || e instanceof StoreError) return new CliError(e.text(ctx.lang), EXIT.badInput);
  if (e instanceof RangeError) return new CliError(e.message, EXIT.usage);
  return e;
}

/** A stage progress bar on stderr when stdout is a terminal and the output is text. */
export function stageProgress(ctx: CliContext, label: string): { onStage: (s: IngestStage) => void; stop: () => void } {
  if (ctx.json || !process.stdout.isTTY) return { onStage: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { format: `${label} |{bar}| {stage}`, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(INGEST_STAGES.length - 1, 0, { stage: '' });
  return {
    onStage: (s) => bar.update(INGEST_STAGES.indexOf(s), { stage: s }),
    stop: () => bar.stop(),
  };
}

/** A file format as people write it (CSV, XLSX, Parquet, JSON), not the reader's id. */
export const formatName = (f: string): string => (f === 'parquet' ? 'Parquet' : f.toUpperCase());
/** An encoding as people write it: UTF-8, GB18030, UTF-16LE. */
export const encodingName = (e: string): string =>
  ({ utf8: 'UTF-8', gb18030: 'GB18030', utf16le: 'UTF-16LE', utf16be: 'UTF-16BE' })[e] ?? e;

/** How many skipped rows above the header the summary shows, and how much of each. */
const SKIPPED_SHOWN = 5;
const SKIPPED_TEXT = 40;

/**
 * Where the header was found when title rows were above it: 表头在第 3 行，其上的行已跳过：第 1 行“2025年住院结算清单”
 * (blank rows are not listed: they hold nothing). Nothing when the header is the first row.
 */
export function headerLines(r: Pick<IngestReport, 'header'>, ctx: CliContext): string[] {
  if (!r.header || r.header.row <= 1) return [];
  const { row, above, top } = r.header;
  // A two-row header (group cells merged over sub-headers): said as such, with the rows above it if any (walk7 8).
  const twoRows =
    top === undefined
      ? []
      : [
          t(
            ctx,
            `  表头占第 ${top}–${row} 行（两行表头）：合并的分组单元格下的列名取第 ${row} 行，其余列名取第 ${top} 行`,
            `  the header spans rows ${top}–${row} (a two-row header): columns under a merged group cell are named by row ${row}, the others by row ${top}`,
          ),
        ];
  if (top !== undefined && above.length === 0) return twoRows;
  if (above.length === 0)
    return [t(ctx, `  表头在第 ${row} 行（其上为空行）`, `  header on row ${row} (blank rows above it)`)];
  const cut = (s: string) => (s.length > SKIPPED_TEXT ? `${s.slice(0, SKIPPED_TEXT)}…` : s);
  const shown = above.slice(0, SKIPPED_SHOWN);
  const more = above.length - shown.length;
  return [
    ...twoRows,
    t(
      ctx,
      `  ${top === undefined ? `表头在第 ${row} 行，` : ''}其上的行已跳过：${shown.map((a) => `第 ${a.row} 行“${cut(a.text)}”`).join('、')}${more > 0 ? ` 等 ${above.length} 行` : ''}`,
      `  ${top === undefined ? `header on row ${row}; the rows` : 'the rows'} above it were skipped: ${shown.map((a) => `row ${a.row} "${cut(a.text)}"`).join(', ')}${more > 0 ? ` and ${more} more` : ''}`,
    ),
  ];
}

/** The workbook's sheets that were not read (the sheet read is in the summary's first line). */
export function sheetLines(r: Pick<IngestReport, 'sheet'>, ctx: CliContext): string[] {
  const others = r.sheet?.others ?? [];
  if (others.length === 0) return [];
  return [
    t(
      ctx,
      `  未读取的工作表：${others.map((n) => `“${n}”`).join('、')}（要读取其中一个，请用 --sheet 指定）`,
      `  sheets not read: ${others.map((n) => `"${n}"`).join(', ')} (to read one of them, name it with --sheet)`,
    ),
  ];
}

/**
 * The columns the ingest ignored. A corrected rejects file is ingested as it is (rejects.ts): its own columns are
 * said to be the rejects file's, in one line, not listed as unknown beside a column the user may have misnamed.
 * zh lists with 、.
 */
export function ignoredColumnLines(ignored: readonly string[], ctx: Pick<CliContext, 'lang'>): string[] {
  const qc = ignored.filter((c) => isRejectsColumn(c));
  const unknown = ignored.filter((c) => !isRejectsColumn(c));
  const lines: string[] = [];
  if (qc.length > 0)
    lines.push(
      t(ctx, `  拒收明细的说明列（${qc.length} 列）已忽略`, `  the rejects file's own columns (${qc.length}) ignored`),
    );
  if (unknown.length > 0)
    lines.push(
      `  ${t(ctx, '未识别的列（已忽略）：', 'unknown columns (ignored): ')}${unknown.join(t(ctx, '、', ', '))}`,
    );
  return lines;
}

/**
 * What a user can do when rows of a kind without --replace (cases, fee items, the register) differ from stored ones:
 * nothing removes or replaces stored rows of these kinds, so either the stored rows stand (settlement uses them), or
 * every file goes into a new store (`--db`), which leaves the old store and its runs as they are.
 */
function storedRowsAdvice(r: IngestReport, ctx: CliContext): string[] {
  const spec = KINDS[r.kind];
  const replaceable = Object.values(KINDS).filter((k) => k.replaceable);
  const lines =
    ctx.lang === 'zh'
      ? [
          `  已入库的${spec.zh}不会被覆盖，也不能删除（--replace 只用于${replaceable.map((k) => k.zh).join('、')}）：`,
          '    若已入库的内容是对的：无需处理，结算使用已入库的行；',
          '    若文件中的新内容才是对的：把全部文件（含机构等）导入一个新的存储，之后每条命令都加同一个 --db（或 --store）',
        ]
      : [
          `  stored ${spec.en} are not overwritten and cannot be removed (--replace is for ${replaceable.map((k) => k.en).join(', ')} only):`,
          '    if the stored content is right: nothing to do, settlement uses the stored rows;',
          "    if the file's new content is right: ingest all your files (institutions too) into a new store and give every",
          '    later command the same --db (or --store)',
        ];
  // A DuckDB store: the new one is a file beside it (a ClickHouse location is the user's own to choose).
  if (isClickHouseLocation(ctx.db)) return lines;
  const db = ctx.db.endsWith('.duckdb') ? ctx.db.replace(/\.duckdb$/, '-2.duckdb') : 'data/yibao-2.duckdb';
  const example = `yibao --db ${db} ingest ${r.kind} ${r.file}`;
  lines.push(
    t(
      ctx,
      `    如 ${example}（原存储及其中的运行记录保持不变）`,
      `    e.g. ${example} (the old store and its runs stay as they are)`,
    ),
  );
  return lines;
}

/** What the summary says when the encoding was not plain: a file that read both ways, or mixed encodings. */
function encodingLines(r: IngestReport, ctx: CliContext): string[] {
  const name = encodingName(r.encoding ?? '');
  if (r.encodingNote === 'ambiguous') {
    const other = r.encoding === 'utf8' ? 'gbk' : 'utf8';
    return [
      t(
        ctx,
        `  注意：本文件按 UTF-8 和 GB18030 都能读通，已按 ${name} 读取${r.encoding === 'utf8' ? '' : '（按 UTF-8 读不是中文）'}；如读错，请加 --encoding ${other} 重新导入`,
        `  note: this file reads cleanly both as UTF-8 and as GB18030; it was read as ${name}${r.encoding === 'utf8' ? '' : ' (its UTF-8 reading is not Chinese text)'}; if that is wrong, import it again with --encoding ${other}`,
      ),
    ];
  }
  if (r.encodingNote === 'mixed')
    return [
      t(
        ctx,
        `  注意：本文件按多数行的 ${name} 读取，有的行是另一种编码${r.encoding === 'utf8' ? '或字节已损坏' : ''}，这些行已拒收（见拒收明细）；请以统一编码（建议 UTF-8）重新导出`,
        `  note: this file was read as ${name} (most of its rows); some rows are in another encoding${r.encoding === 'utf8' ? ' or have damaged bytes' : ''} and are rejected (see the rejects file); export it again in one encoding (UTF-8 preferred)`,
      ),
    ];
  return [];
}

/**
 * The heading of the reason counts. Each count is of rows (or records) with that reason, and a row may have several
 * reasons, so the counts can add up to more than the rejected rows: the heading then says how many rows and how many
 * reasons, so the reader can reconcile them with 拒收 (walk5 item 7).
 */
export function reasonsHeading(
  unit: RowUnit,
  rejected: number,
  byCode: Readonly<Record<string, number>>,
  ctx: CliContext,
): string {
  const reasons = Object.values(byCode).reduce((a, b) => a + b, 0);
  const [zh, en, ens] = unit === 'row' ? ['行', 'row', 'rows'] : ['条记录', 'record', 'records'];
  const what = unit === 'row' ? '行数' : '记录数';
  if (reasons <= rejected) return t(ctx, `拒收原因（${what}）：`, `reasons (${ens}):`);
  return t(
    ctx,
    `拒收原因（${what}；一${unit === 'row' ? '行' : '条记录'}可有多个原因：拒收 ${rejected} ${zh}，共 ${reasons} 个原因）：`,
    `reasons (${ens}; a ${en} may have several: ${rejected} ${rejected === 1 ? en : ens} rejected for ${reasons} reasons):`,
  );
}

export function summarise(r: IngestReport, ctx: CliContext): string {
  const spec = KINDS[r.kind];
  const lines = [
    t(
      ctx,
      `${r.dryRun ? '质控' : '导入'}${spec.zh}：${r.file}（${formatName(r.format)}${r.encoding ? `，${encodingName(r.encoding)}` : ''}${r.sheet ? `，工作表“${r.sheet.name}”` : ''}）`,
      `${r.dryRun ? 'QC of' : 'Ingest'} ${spec.en}: ${r.file} (${formatName(r.format)}${r.encoding ? `, ${encodingName(r.encoding)}` : ''}${r.sheet ? `, sheet "${r.sheet.name}"` : ''})`,
    ),
    ...sheetLines(r, ctx),
    ...encodingLines(r, ctx),
    ...headerLines(r, ctx),
    // CSV and XLSX count rows, Parquet and JSON records (row-place.ts).
    t(
      ctx,
      `  读取 ${r.read} ${r.rowUnit === 'row' ? '行' : '条记录'} = ${r.dryRun ? '可入库' : '入库'} ${r.accepted} + 拒收 ${r.rejected} + 已存在 ${r.alreadyPresent}`,
      `  read ${r.read} ${r.rowUnit === 'row' ? 'row' : 'record'}${r.read === 1 ? '' : 's'} = ${r.dryRun ? 'acceptable' : 'accepted'} ${r.accepted} + rejected ${r.rejected} + already present ${r.alreadyPresent}`,
    ),
  ];
  if (r.replaced.length > 0) {
    lines.push(
      t(
        ctx,
        `  ${r.dryRun ? '将替换' : '已替换'}已入库的 ${r.replaced.length} 行（旧值 → 新值）：`,
        `  ${r.dryRun ? 'would replace' : 'replaced'} ${r.replaced.length} stored row(s) (old → new):`,
      ),
    );
    for (const line of replacedLines(r.kind, r.replaced, ctx.lang)) lines.push(`    ${line}`);
  }
  const codes = Object.entries(r.rejectsByCode);
  if (codes.length > 0) {
    lines.push(`  ${reasonsHeading(r.rowUnit, r.rejected, r.rejectsByCode, ctx)}`);
    for (const [code, n] of codes) {
      const d = QC_ERROR_CODES[code];
      // zh: the count and the words (the rejects file's 拒收原因); en: the code beside its words.
      lines.push(
        ctx.lang === 'zh'
          ? `    ${String(n).padStart(8)}  ${d ? d.zh : code}`
          : `    ${code.padEnd(28)} ${String(n).padStart(8)}  ${d ? d.en : ''}`,
      );
      // The first row of the code with its message, so the reason is read without opening the rejects file.
      const ex = r.rejectExamples?.[code];
      if (ex) {
        const [zh, en] = [rowPlaceZh(r.rowUnit, ex.row), rowPlaceEn(r.rowUnit, ex.row)];
        lines.push(`      ${t(ctx, `例：${zh} ${ex.zh}`, `e.g. ${en}: ${ex.en}`)}`);
      }
    }
  }
  // Rows accepted with a QC warning (the QC policy made the check warn-only): counted and shown like the rejects
  // (walk4 #8: a visit settled twice was accepted without a word).
  const warned = Object.entries(r.warningsByCode ?? {});
  if (warned.length > 0) {
    lines.push(t(ctx, '  提示（已入库，行数）：', '  warnings (accepted, rows):'));
    for (const [code, n] of warned) {
      const d = QC_ERROR_CODES[code];
      lines.push(
        ctx.lang === 'zh'
          ? `    ${String(n).padStart(8)}  ${d ? d.zh : code}`
          : `    ${code.padEnd(28)} ${String(n).padStart(8)}  ${d ? d.en : ''}`,
      );
      const ex = r.warningExamples?.[code];
      if (ex) {
        const [zh, en] = [rowPlaceZh(r.rowUnit, ex.row), rowPlaceEn(r.rowUnit, ex.row)];
        lines.push(`      ${t(ctx, `例：${zh} ${ex.zh}`, `e.g. ${en}: ${ex.en}`)}`);
      }
    }
  }
  if ((r.rejectsByCode.E_ALREADY_STORED_DIFFERENT ?? 0) > 0 && spec.replaceable)
    lines.push(
      t(
        ctx,
        `  已入库的行不会被覆盖；如需更正，请加 --replace 重新导入该文件（列出每个被替换的主键及旧值 → 新值）`,
        `  stored rows are not overwritten; to correct them, ingest the file again with --replace (each replaced key is listed with old → new values)`,
      ),
    );
  else if ((r.rejectsByCode.E_ALREADY_STORED_DIFFERENT ?? 0) > 0) lines.push(...storedRowsAdvice(r, ctx));
  const translated = Object.entries(r.translatedCodes).filter(([, n]) => n > 0);
  if (translated.length > 0) {
    const list = translated.map(([c, n]) => `${c} ${n}`).join(t(ctx, '、', ', '));
    lines.push(`  ${t(ctx, '按编码对照转换的编码：', 'codes translated through the code maps: ')}${list}`);
  }
  for (const s of r.skippedChecks) lines.push(`  ${t(ctx, '跳过的检查：', 'skipped check: ')}${t(ctx, s.zh, s.en)}`);
  lines.push(...ignoredColumnLines(r.ignoredColumns, ctx));
  if (r.rejectsFile) {
    // What the first column counts, so a row is found where the user looks (row-place.ts).
    const where =
      r.rowUnit === 'row'
        ? t(
            ctx,
            `（“${REJECTS_COLUMNS.row.zh}”即编辑器或表格软件中显示的行号）`,
            ` (its "${REJECTS_COLUMNS.row.en}" is the row number your editor or spreadsheet shows)`,
          )
        : t(
            ctx,
            `（“${REJECTS_COLUMNS.record.zh}”为文件中的第几条记录）`,
            ` (its "${REJECTS_COLUMNS.record.en}" is the record number in the file)`,
          );
    lines.push(`  ${t(ctx, '拒收明细：', 'rejects file: ')}${r.rejectsFile}${where}`);
  }
  lines.push(
    `  ${t(ctx, '质控参数：', 'QC policy: ')}${r.policy.id} v${r.policy.version}` +
      (r.dryRun ? '' : `  ${t(ctx, '运行：', 'run: ')}${r.runId}`) +
      `  ${(r.durationMs / 1000).toFixed(1)} s`,
  );
  return `${lines.join('\n')}\n`;
}

/**
 * Where the rejects file goes without --rejects: `ingest` writes `out/rejects/<file>.rejects.csv`; `qc` its own
 * `<file>.qc-rejects.csv` beside it, so checking a file again never overwrites what its ingest rejected.
 */
export function defaultRejectsFile(file: string, dryRun: boolean): string {
  return join('out', 'rejects', `${basename(file)}.${dryRun ? 'qc-rejects' : 'rejects'}.csv`);
}

function addOptions(cmd: Command, dryRun: boolean): Command {
  return cmd
    .argument(
      '<file>',
      '输入文件 CSV/Parquet/XLSX/4101 JSON（或数据类型，后跟文件）/ input file (or the kind, then the file)',
    )
    .argument('[file2]', '数据类型在前时的输入文件 / the file, when the kind comes first')
    .option('--kind <kind>', `数据类型 / what the file holds: ${Object.keys(KINDS).join('|')}`, 'cases')
    .option(
      '--year <yyyy>',
      '文件没有年度列时的年度（考核结果）/ the year of a file without a year column (assessments)',
    )
    .option('--format <format>', '文件格式（默认按扩展名）/ csv|parquet|xlsx|json (default: by extension)')
    .option('--encoding <enc>', 'CSV/JSON 编码 auto|utf8|gbk|gb18030 / text encoding', 'auto')
    .option('--sheet <name>', 'XLSX 工作表（默认含表头的那个）/ worksheet (default: the one holding the header)')
    .option(
      '--rejects <file>',
      dryRun
        ? '拒收明细 CSV（默认 out/rejects/<文件名>.qc-rejects.csv，不覆盖 ingest 写的拒收明细）/ rejects file (default: out/rejects/FILE.qc-rejects.csv, not the one ingest writes)'
        : '拒收明细 CSV（默认 out/rejects/<文件名>.rejects.csv）/ rejects file (default: out/rejects/FILE.rejects.csv)',
    )
    .option(
      '--policy <file>',
      '质控参数 qc 政策文件（默认：policies/ 目录中的 qc 文件，没有则用 yibao 自带的示范文件）/ qc policy file (default: the qc file of ./policies, else the demo file shipped with yibao)',
    )
    .option(
      '--columns <map>',
      '列名对应：文件列名=列名，逗号分隔，或对应文件（每行一对；=- 表示忽略该列）/ header mapping NAME=COLUMN,… or a mapping file (NAME=- ignores a column)',
    )
    .option('--as-of <date>', '按该日期取质控参数（默认今天）/ resolve the qc policy on this date')
    .option(
      '--replace',
      '更正已入库的行：同一主键的已入库行由文件中的行替换，并列出每个被替换的主键及旧值 → 新值（只用于审核扣款、考核结果、特例单议结果）/ correct stored rows: a stored row of the same key is replaced by the file’s row, each replaced key listed with old → new values (deductions, assessments, special-review only)',
    );
}

async function runIngest(
  getContext: GetContext,
  first: string,
  second: string | undefined,
  opts: IngestCliOptions,
  dryRun: boolean,
) {
  const ctx = getContext();
  // `yibao ingest deductions FILE` is `yibao ingest FILE --kind deductions`.
  const file = second ?? first;
  const o = second === undefined ? opts : { ...opts, kind: first };
  if (second !== undefined && opts.kind !== 'cases' && opts.kind !== first)
    throw new CliError(
      t(ctx, `数据类型给了两次：${first} 和 --kind ${opts.kind}`, `two kinds given: ${first} and --kind ${opts.kind}`),
      EXIT.usage,
    );
  if (o.year !== undefined && !/^(19|20)\d{2}$/.test(o.year))
    throw new CliError(
      t(ctx, `--year 应为四位年份，而不是 ${o.year}`, `--year must be a year such as 2025, not ${o.year}`),
      EXIT.usage,
    );
  if (!isIngestKind(o.kind)) {
    throw new CliError(
      t(ctx, `未知的 --kind ${o.kind}，应为 ${Object.keys(KINDS).join('/')}`, `unknown --kind ${o.kind}`),
      EXIT.usage,
    );
  }
  if (o.replace && !KINDS[o.kind].replaceable) {
    const kinds = Object.values(KINDS).filter((k) => k.replaceable);
    throw new CliError(
      t(
        ctx,
        `--replace 只用于${kinds.map((k) => k.zh).join('、')}（${kinds.map((k) => k.kind).join('|')}），不用于${KINDS[o.kind].zh}`,
        `--replace is for ${kinds.map((k) => k.en).join(', ')} (${kinds.map((k) => k.kind).join('|')}), not ${KINDS[o.kind].en}`,
      ),
      EXIT.usage,
    );
  }
  let store: DuckDbStore | undefined;
  const progress = stageProgress(ctx, t(ctx, dryRun ? '质控' : '导入', dryRun ? 'QC' : 'ingest'));
  try {
    const format = formatOf(file, o.format);
    const encoding = parseEncodingOption(o.encoding);
    const qc = loadQcSettings(o.policy ?? defaultQcPolicyFile(o.asOf), o.asOf);
    const columns =
      o.columns === undefined
        ? undefined
        : parseColumnMap(
            o.columns,
            KINDS[o.kind].columns,
            existsSync(o.columns) && statSync(o.columns).isFile() ? (p) => readFileSync(p, 'utf8') : undefined,
          );
    const spec = KINDS[o.kind];
    const ingestOptions = {
      kind: o.kind,
      file,
      format,
      encoding,
      ...(o.sheet ? { sheet: o.sheet } : {}),
      ...(columns ? { columns } : {}),
      rejectsFile: o.rejects ?? defaultRejectsFile(file, dryRun),
      // A person reads the rejects file in their language; a script (--json) gets the error codes (rejects.ts).
      ...(ctx.json ? {} : { lang: ctx.lang }),
      qc,
      dryRun,
      ...(o.replace ? { replace: true } : {}),
      ...(o.year && KINDS[o.kind].columns.some((c) => c.name === 'year') ? { defaults: { year: o.year } } : {}),
      onStage: progress.onStage,
    };
    let report: IngestReport;
    let appended = '';
    if (isClickHouseLocation(ctx.db)) {
      // Checked in a staging DuckDB store by the same pipeline, then appended to ClickHouse (ingest-clickhouse.ts).
      const r = await ingestIntoClickHouse(ctx.db, ingestOptions, { workDir: tmpdir() });
      report = r.report;
      const rows = r.appended.find((a) => a.table === spec.table)?.rows ?? 0;
      if (!dryRun)
        appended = t(
          ctx,
          `已追加到 ${r.location}：${rows} 行（行数与金额合计已核对）\n`,
          `appended to ${r.location}: ${countOf(rows, 'row', 'rows')} (row count and money totals checked)\n`,
        );
    } else {
      store = dryRun
        ? await DuckDbStore.open(existsSync(ctx.db) ? ctx.db : ':memory:', { readOnly: existsSync(ctx.db) })
        : await DuckDbStore.open(ctx.db);
      report = await ingestFile(store, ingestOptions);
    }
    progress.stop();
    process.stdout.write(ctx.json ? `${JSON.stringify(report, null, 2)}\n` : summarise(report, ctx) + appended);
    process.exitCode = report.rejected > 0 ? EXIT.dataProblems : EXIT.ok;
  } catch (e) {
    progress.stop();
    throw asCliError(e, ctx);
  } finally {
    await store?.close();
  }
}

export function registerIngestCommands(program: Command, getContext: GetContext): void {
  addOptions(
    program
      .command('ingest')
      .description('导入数据并做结算清单质控（R-DATA-1），通过的行入库 / ingest a file with QC into the store'),
    false,
  ).action((a: string, b: string | undefined, o: IngestCliOptions) => runIngest(getContext, a, b, o, false));
  addOptions(
    program.command('qc').description('只做质控、不入库，写出拒收明细 / check a file without storing anything'),
    true,
  ).action((a: string, b: string | undefined, o: IngestCliOptions) => runIngest(getContext, a, b, o, true));
}
