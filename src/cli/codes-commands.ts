/**
 * `yibao codes import --kind icd10|icd9 FILE [--map]`: load a code list into the store (replaces the list of that
 * kind), or with `--map` a local → national code map that ingest applies; on the DuckDB store or ClickHouse.
 */
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { type CodeImportReport, importCodes } from '../ingest/codes-import.ts';
import { rejectCodeText } from '../ingest/error-codes.ts';
import { formatOf, parseEncodingOption } from '../ingest/source/index.ts';
import { isClickHouseLocation } from '../store/clickhouse/client.ts';
import { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import type { CodeListKind } from '../store/store.ts';
import { importCodesIntoClickHouse } from './codes-clickhouse.ts';
import { CliError, EXIT, t } from './context.ts';
import { asCliError, headerLines } from './ingest-commands.ts';
import type { GetContext } from './main.ts';

interface CodesImportOptions {
  kind: string;
  format?: string;
  encoding?: string;
  sheet?: string;
  listVersion?: string;
  rejects?: string;
  map?: boolean;
}

/** A code list's name as the ingest names it (未导入 ICD-10 编码库), not its `--kind` word. */
const LIST_NAME: Record<string, string> = { icd10: 'ICD-10', icd9: 'ICD-9-CM-3' };

/**
 * The import's count line: the list by its name (ICD-10 编码库, not "编码库 icd10"), read = imported + rejected, and
 * how many entries of the earlier list it replaced.
 */
export function codesImportLine(
  r: { kind: string; map?: boolean; read: number; accepted: number; rejected: number; replaced: number },
  lang: 'zh' | 'en',
): string {
  const name = LIST_NAME[r.kind] ?? r.kind;
  return lang === 'zh'
    ? `${name} ${r.map ? '编码对照' : '编码库'}：读取 ${r.read} 行 = 导入 ${r.accepted} + 拒收 ${r.rejected}（替换原有 ${r.replaced} 条）`
    : `${name} ${r.map ? 'code map' : 'code list'}: read ${r.read} ${r.read === 1 ? 'row' : 'rows'} = imported ${r.accepted} + rejected ${r.rejected} (replacing ${r.replaced} earlier ${r.replaced === 1 ? 'entry' : 'entries'})`;
}

export function registerCodesCommands(program: Command, getContext: GetContext): void {
  const codes = program.command('codes').description('编码库 ICD-10 医保版 / ICD-9-CM-3 医保版 / code lists');
  codes
    .command('import')
    .description('导入编码库（CSV/XLSX），替换同类编码库 / import a code list, replacing the list of its kind')
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
        const opts = {
          kind: o.kind as CodeListKind,
          file,
          format,
          encoding: parseEncodingOption(o.encoding),
          ...(o.sheet ? { sheet: o.sheet } : {}),
          ...(o.listVersion ? { listVersion: o.listVersion } : {}),
          map: o.map ?? false,
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
          for (const line of headerLines(r, ctx)) process.stdout.write(`${line}\n`);
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
