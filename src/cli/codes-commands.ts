/**
 * `yibao codes import --kind icd10|icd9 FILE [--map]`: load a code list into the store (replaces the list of that
 * kind), or with `--map` a local → national code map that ingest applies; on the DuckDB store or ClickHouse.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { CODE_LIST_COLUMNS, CODE_MAP_COLUMNS, type CodeImportReport, importCodes } from '../ingest/codes-import.ts';
import { rejectCodeText } from '../ingest/error-codes.ts';
import { parseColumnMap } from '../ingest/source/header.ts';
import { formatOf, parseEncodingOption } from '../ingest/source/index.ts';
import { isClickHouseLocation } from '../store/clickhouse/client.ts';
import { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import type { CodeListKind } from '../store/store.ts';
import { importCodesIntoClickHouse } from './codes-clickhouse.ts';
import { CliError, EXIT, t } from './context.ts';
import { asCliError, headerLines, reasonsHeading, sheetLines } from './ingest-commands.ts';
import type { GetContext } from './main.ts';

interface CodesImportOptions {
  kind: string;
  format?: string;
  encoding?: string;
  sheet?: string;
  listVersion?: string;
  rejects?: string;
  map?: boolean;
  columns?: string;
  force?: boolean;
}

/** A code list's name as the ingest names it (未导入 ICD-10 编码库), not its `--kind` word. */
const LIST_NAME: Record<string, string> = { icd10: 'ICD-10', icd9: 'ICD-9-CM-3' };

/**
 * The import's count line: the list by its name (ICD-10 编码库, not "编码库 icd10"), read = imported + rejected, and
 * how many entries of the earlier list it replaced.
 */
export function codesImportLine(
  r: {
    kind: string;
    map?: boolean;
    read: number;
    accepted: number;
    rejected: number;
    replaced: number;
    unchanged?: boolean;
    held?: number;
    /** XLSX: the sheet read (named always, as ingest names it; the sheets not read are `sheetLines`). */
    sheet?: { name: string };
  },
  lang: 'zh' | 'en',
): string {
  const name = LIST_NAME[r.kind] ?? r.kind;
  const list = lang === 'zh' ? (r.map ? '编码对照' : '编码库') : r.map ? 'code map' : 'code list';
  // The sheet read, beside the list's name: ICD-10 编码库（工作表“诊断编码”）：读取 …
  const sheet = r.sheet ? (lang === 'zh' ? `（工作表“${r.sheet.name}”）` : ` (sheet "${r.sheet.name}")`) : '';
  if (r.unchanged) {
    const held = r.held ?? 0;
    return lang === 'zh'
      ? `${name} ${list}${sheet}：读取 ${r.read} 行 = 可导入 ${r.accepted} + 拒收 ${r.rejected}；${list}未更改（保留原有 ${held} 条）`
      : `${name} ${list}${sheet}: read ${r.read} ${r.read === 1 ? 'row' : 'rows'} = importable ${r.accepted} + rejected ${r.rejected}; the ${r.map ? 'map' : 'list'} is unchanged (keeping ${held} earlier ${held === 1 ? 'entry' : 'entries'})`;
  }
  return lang === 'zh'
    ? `${name} ${list}${sheet}：读取 ${r.read} 行 = 导入 ${r.accepted} + 拒收 ${r.rejected}（替换原有 ${r.replaced} 条）`
    : `${name} ${list}${sheet}: read ${r.read} ${r.read === 1 ? 'row' : 'rows'} = imported ${r.accepted} + rejected ${r.rejected} (replacing ${r.replaced} earlier ${r.replaced === 1 ? 'entry' : 'entries'})`;
}

/** What to do when a file with rejected rows left the stored list as it was (`--force` imports what passes). */
export function unchangedAdvice(r: { map?: boolean; accepted: number; held?: number }, lang: 'zh' | 'en'): string {
  const held = r.held ?? 0;
  return lang === 'zh'
    ? `有行被拒收，已导入的${r.map ? '编码对照' : '编码库'}未替换：请按拒收明细更正后重新导入，或加 --force 只导入通过的 ${r.accepted} 行（替换原有 ${held} 条）`
    : `rows were rejected, so the stored ${r.map ? 'map' : 'list'} was not replaced: correct them (see the rejects file) and import again, or add --force to import only the ${r.accepted} ${r.accepted === 1 ? 'row that passes' : 'rows that pass'} (replacing ${held} ${held === 1 ? 'entry' : 'entries'})`;
}

export function registerCodesCommands(program: Command, getContext: GetContext): void {
  const codes = program.command('codes').description('编码库 ICD-10 医保版 / ICD-9-CM-3 医保版 / code lists');
  codes
    .command('import')
    .description(
      '导入编码库（CSV/XLSX），替换同类编码库；有行被拒收时保留已导入的编码库（--force 仍替换）/ import a code list, replacing the list of its kind; a file with rejected rows keeps the stored list (--force replaces it)',
    )
    .argument(
      '<file>',
      '编码库文件：编码、名称[、手术操作类别]；--map 时为编码对照：本地编码、医保版编码 / code list, or with --map a local → national map',
    )
    .requiredOption('--kind <kind>', 'icd10（诊断）| icd9（手术操作）')
    .option('--format <format>', 'csv|xlsx（默认按扩展名）')
    .option('--encoding <enc>', 'auto|utf8|gbk|gb18030', 'auto')
    .option('--sheet <name>', 'XLSX 工作表 / worksheet')
    .option('--list-version <label>', '编码库版本，如 "医保版2.0" / version label of the list')
    .option('--rejects <file>', '拒收明细 CSV / rejects file')
    .option(
      '--columns <map>',
      '列名对应：文件列名=列名（code 编码、name 名称、proc_type 手术操作类别；--map 时 source_code 本地编码、code 医保版编码），逗号分隔，或对应文件（每行一对；=- 表示忽略该列）/ header mapping NAME=COLUMN,… (code, name, proc_type; with --map source_code, code) or a mapping file (NAME=- ignores a column)',
    )
    .option(
      '--force',
      '有行被拒收时仍替换已导入的编码库（只导入通过的行）/ replace the stored list even when rows are rejected (with the rows that pass)',
      false,
    )
    .option(
      '--map',
      '导入本地→医保版编码对照（入库时自动转换）/ import a local → national code map, applied at ingest',
      false,
    )
    .action(async (file: string, o: CodesImportOptions) => {
      const ctx = getContext();
      if (o.kind !== 'icd10' && o.kind !== 'icd9') {
        throw new CliError(t(ctx, '--kind 应为 icd10 或 icd9', '--kind must be icd10 or icd9'), EXIT.usage);
      }
      let store: DuckDbStore | undefined;
      try {
        const format = formatOf(file, o.format);
        const columns =
          o.columns === undefined
            ? undefined
            : parseColumnMap(
                o.columns,
                o.map ? CODE_MAP_COLUMNS : CODE_LIST_COLUMNS,
                existsSync(o.columns) && statSync(o.columns).isFile() ? (p) => readFileSync(p, 'utf8') : undefined,
              );
        const opts = {
          kind: o.kind as CodeListKind,
          file,
          format,
          encoding: parseEncodingOption(o.encoding),
          ...(o.sheet ? { sheet: o.sheet } : {}),
          ...(o.listVersion ? { listVersion: o.listVersion } : {}),
          map: o.map ?? false,
          ...(columns ? { columns } : {}),
          ...(o.force ? { force: true } : {}),
          rejectsFile: o.rejects ?? join('out', 'rejects', `${basename(file)}.rejects.csv`),
          ...(ctx.json ? {} : { lang: ctx.lang }),
        };
        // On ClickHouse the list is checked in a staging DuckDB store and swapped in whole (codes-clickhouse.ts).
        let r: CodeImportReport;
        if (isClickHouseLocation(ctx.db)) r = await importCodesIntoClickHouse(ctx.db, opts, { workDir: tmpdir() });
        else {
          store = await DuckDbStore.open(ctx.db);
          r = await importCodes(store, opts);
        }
        if (ctx.json) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
        else {
          process.stdout.write(`${codesImportLine(r, ctx.lang)}\n`);
          if (r.unchanged) process.stdout.write(`  ${unchangedAdvice(r, ctx.lang)}\n`);
          for (const line of [...sheetLines(r, ctx), ...headerLines(r, ctx)]) process.stdout.write(`${line}\n`);
          // A row may have several reasons: the heading then gives rows and reasons, so the counts reconcile.
          if (Object.values(r.rejectsByCode).reduce((a, b) => a + b, 0) > r.rejected)
            process.stdout.write(`  ${reasonsHeading('row', r.rejected, r.rejectsByCode, ctx)}\n`);
          for (const [code, n] of Object.entries(r.rejectsByCode))
            process.stdout.write(`  ${rejectCodeText(code, n, ctx.lang)}\n`);
          if (r.rejectsFile) process.stdout.write(`  ${t(ctx, '拒收明细：', 'rejects file: ')}${r.rejectsFile}\n`);
        }
        process.exitCode = r.rejected > 0 ? EXIT.dataProblems : EXIT.ok;
      } catch (e) {
        throw asCliError(e, ctx);
      } finally {
        await store?.close();
      }
    });
}
