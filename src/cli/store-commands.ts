/**
 * `yibao store push`: hand the embedded store's data over to ClickHouse (a server or chDB) as Parquet, checked in
 * SQL on arrival (rows, money totals, unique keys); afterwards `--store clickhouse://…` points settle, explain,
 * runs, dip and community at it.
 */
import { tmpdir } from 'node:os';
import type { Command } from 'commander';
import { ClickHouseStore } from '../store/clickhouse/clickhouse-store.ts';
import { isClickHouseLocation } from '../store/clickhouse/client.ts';
import { handOff } from '../store/clickhouse/handoff.ts';
import { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import { CORE_TABLES } from '../store/duckdb/schema.ts';
import { storeMissing } from '../store/location.ts';
import { CliError, EXIT, noStoreError, t } from './context.ts';
import type { GetContext } from './main.ts';
import { pushSummaryLine, unknownTablesText } from './store-tables.ts';

export function registerStoreCommands(program: Command, getContext: GetContext): void {
  const store = program.command('store').description('存储的迁移与交接 / store hand-off');
  store
    .command('push')
    .description(
      '把 --db 的 DuckDB 存储交接到 ClickHouse（Parquet，到达后用 SQL 核对行数、金额合计与主键）/ hand the DuckDB store over to ClickHouse',
    )
    .requiredOption('--to <location>', 'clickhouse://主机:端口/数据库 或 chdb://文件夹 / ClickHouse location')
    .option('--tables <list>', '只交接这些表（逗号分隔）/ only these tables (comma-separated)')
    .option('--replace', '替换目标中已有的数据 / replace rows already in the target', false)
    .option('--work <dir>', 'Parquet 临时文件夹 / folder for the temporary Parquet files', tmpdir())
    .action(async (o: { to: string; tables?: string; replace: boolean; work: string }) => {
      const ctx = getContext();
      if (!isClickHouseLocation(o.to)) {
        throw new CliError(
          t(ctx, '--to 应为 clickhouse://… 或 chdb://…', '--to must be clickhouse://… or chdb://…'),
          EXIT.usage,
        );
      }
      const tables = o.tables?.split(',').map((x) => x.trim());
      const valid = [...CORE_TABLES].filter((x) => x !== 'schema_version');
      const unknown = tables?.filter((x) => !valid.includes(x)) ?? [];
      if (unknown.length > 0) throw new CliError(unknownTablesText(unknown, valid, ctx.lang), EXIT.usage);
      if (storeMissing(ctx.db))
        throw noStoreError(ctx, {
          zh: 'store push 交接 --db 的 DuckDB 存储，请先用 yibao ingest 导入（或运行 yibao demo）',
          en: 'store push hands over the DuckDB store at --db: yibao ingest your data (or run yibao demo) first',
        });
      const duck = await DuckDbStore.open(ctx.db, { readOnly: true });
      try {
        const ch = await ClickHouseStore.open(o.to);
        try {
          const moved = await handOff(duck, ch, {
            workDir: o.work,
            replace: o.replace,
            ...(tables ? { tables } : {}),
          });
          if (ctx.json) {
            process.stdout.write(`${JSON.stringify({ to: ch.location, tables: moved }, null, 2)}\n`);
            return;
          }
          // In the reader's words (glossary), not the tables' and columns' names (walk5 #9).
          for (const m of moved) process.stdout.write(`${pushSummaryLine(m, ctx.lang)}\n`);
          process.stdout.write(
            t(
              ctx,
              `已交接到 ${ch.location}，行数与金额合计已核对一致\n`,
              `handed over to ${ch.location}; row counts and money totals checked equal\n`,
            ),
          );
        } finally {
          await ch.close();
        }
      } finally {
        await duck.close();
      }
    });
}
