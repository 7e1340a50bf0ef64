/**
 * `yibao dip calibrate` and `yibao dip settle`: the DIP year of a region from the store, with the catalog and the
 * statements written to files (CSV / JSON / XLSX, Chinese headers). (R-PAY-DIP)
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import type { Catalog } from '../grouping/dip/catalog.ts';
import { DipError } from '../payment/dip/errors.ts';
import { readCatalogFile } from '../payment/dip/io/catalog-file.ts';
import { dipKind } from '../policy/kinds/dip.ts';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { defaultPolicyDir, loadPolicyDir, policiesDir } from '../policy/registry.ts';
import { writeCsv } from '../report/csv.ts';
import type { ReportFormat } from '../report/dip-reports.ts';
import { catalogTable } from '../report/dip-rows.ts';
import { writeJson } from '../report/json.ts';
import { readableExplanationText } from '../report/readable-explanation.ts';
import { poolSummaryText } from '../report/summary.ts';
import { writeXlsx } from '../report/xlsx.ts';
import { communityMembersOfYear } from '../run/community-members.ts';
import { runDipFromStore } from '../run/dip-year.ts';
import { explainRunSettlement } from '../run/explain-run.ts';
import { settleRegionYear } from '../run/settle-region-year.ts';
import { catalogCodeNames, institutionNames, writeRunStatements } from '../run/statements.ts';
import { SettlementError } from '../settlement/errors.ts';
import { openStore } from '../store/index.ts';
import type { Store } from '../store/store.ts';
import { CliError, EXIT, inMemoryStoreError, t } from './context.ts';
import type { GetContext } from './main.ts';
import { policyFolderNote, policyFolderText } from './policy-folder.ts';

interface CommonOptions {
  region: string;
  year: string;
  policies?: string;
}

function year(ctx: { lang: 'zh' | 'en' }, text: string): number {
  const y = Number(text);
  if (!Number.isInteger(y) || y < 1990 || y > 2100)
    throw new CliError(t(ctx, '--year 应为年份', '--year must be a year'), EXIT.usage);
  return y;
}

async function withStore<T>(db: string, fn: (s: Store) => Promise<T>): Promise<T> {
  const store = await openStore(db, { readOnly: true });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** A DIP or settlement error as the user's one sentence in their language (en showed `en / zh`, the error's message). */
export function asCli(e: unknown, lang: 'zh' | 'en'): never {
  if (e instanceof DipError || e instanceof SettlementError) {
    throw new CliError(`${e.subject ? `${e.subject}: ` : ''}${lang === 'zh' ? e.zh : e.en}`, EXIT.badInput);
  }
  throw e;
}

export function registerDipCommands(program: Command, getContext: GetContext): void {
  const dip = program.command('dip').description('按病种分值付费（DIP）/ DIP payment');
  dip
    .command('calibrate')
    .description('由历史数据测算本地病种分值目录 / calibrate the catalog from history')
    .requiredOption('--region <code>', '统筹区 / pooling region')
    .requiredOption('--year <yyyy>', '付费年度 / payment year')
    .option(
      '--policies <dir>',
      '政策文件目录（默认：当前目录下的 policies/，没有则用 yibao 自带的）/ policy folder (default: ./policies when present, else the one shipped with yibao)',
      defaultPolicyDir(),
    )
    .option('--out <file>', '目录 JSON 输出 / catalog JSON file', 'out/dip/catalog.json')
    .action(async (o: CommonOptions & { out: string }) => {
      const ctx = getContext();
      // A store in memory starts empty: said so, not "no usable history cases".
      const inMemory = inMemoryStoreError(ctx);
      if (inMemory) throw inMemory;
      try {
        const { run, counts, codeNames } = await withStore(ctx.db, async (s) => {
          const r = await runDipFromStore(s, {
            region: o.region,
            year: year(ctx, o.year),
            policies: o.policies,
            perDiem: false,
          });
          // 病种名称 of a calibrated group from the imported code lists (`codes import`), when they hold its codes.
          return { ...r, codeNames: await catalogCodeNames(s, r.run.catalog) };
        });
        const c = run.catalog;
        mkdirSync(dirname(o.out), { recursive: true });
        writeJson(o.out, c);
        const base = o.out.replace(/\.json$/i, '');
        writeCsv(`${base}.csv`, catalogTable(c, codeNames), ctx.lang);
        await writeXlsx(`${base}.xlsx`, [catalogTable(c, codeNames)], ctx.lang);
        if (ctx.json) {
          process.stdout.write(
            `${JSON.stringify({ id: c.id, version: c.version, hash: c.hash, groups: c.groups.length, warnings: c.warnings, file: o.out })}\n`,
          );
          return;
        }
        process.stdout.write(
          `${t(ctx, '目录', 'catalog')} ${c.id} ${c.version}: ${c.groups.length} ${t(ctx, '个病种', 'groups')} (${t(ctx, '历史病例', 'history cases')} ${counts.history}) → ${o.out}\n`,
        );
        for (const s of run.calibration?.steps ?? []) {
          process.stdout.write(`  ${t(ctx, s.zh, s.en)}${s.result !== undefined ? ` → ${s.result}` : ''}\n`);
          const values = Object.entries(s.values ?? {}).map(([k, v]) => `${k}=${v}`);
          if (values.length > 0 && values.length <= 12) process.stdout.write(`      ${values.join('  ')}\n`);
        }
        for (const w of c.warnings) process.stdout.write(`  ! ${t(ctx, w.zh, w.en)}\n`);
      } catch (e) {
        asCli(e, ctx.lang);
      }
    });
  dip
    .command('settle')
    .description('DIP 年度结算：入组、分值、月预结算、年度清算，输出报表 / settle a DIP year and write statements')
    .requiredOption('--region <code>', '统筹区 / pooling region')
    .requiredOption('--year <yyyy>', '结算年度 / settlement year')
    .option(
      '--policies <dir>',
      '政策文件目录（默认：当前目录下的 policies/，没有则用 yibao 自带的）/ policy folder (default: ./policies when present, else the one shipped with yibao)',
      defaultPolicyDir(),
    )
    .option('--catalog <file>', '导入的目录（JSON/CSV/XLSX），不测算 / an imported catalog instead of calibrating')
    .option('--out <dir>', '输出目录 / output directory', 'out/dip')
    .option('--format <list>', 'csv,json,xlsx', 'csv,json,xlsx')
    .option(
      '--no-per-institution',
      '不写每家机构的工作簿（默认写 institutions/机构编码.xlsx）/ no workbook per institution (default: institutions/CODE.xlsx)',
    )
    .option('--no-per-diem', '不纳入按床日付费病例 / leave per-bed-day units out')
    .option('--explain <institution>', '打印该机构的结算说明 / print one institution’s settlement explanation')
    .action(
      async (
        o: CommonOptions & {
          catalog?: string;
          out: string;
          format: string;
          perDiem: boolean;
          perInstitution: boolean;
          explain?: string;
        },
      ) => {
        const ctx = getContext();
        const inMemory = inMemoryStoreError(ctx);
        if (inMemory) throw inMemory;
        const formats = o.format.split(',').map((f) => f.trim()) as ReportFormat[];
        for (const f of formats) {
          if (!['csv', 'json', 'xlsx'].includes(f)) throw new CliError(`--format: ${f}?`, EXIT.usage);
        }
        try {
          let catalog: Catalog | undefined;
          const policySet = loadPolicyDir(policiesDir(o.policies), POLICY_KINDS);
          // As `settle` says it: the policy folder used, and a folder `yibao init` wrote that is not.
          if (!ctx.json)
            process.stdout.write(
              policyFolderText(
                policyFolderNote({ used: policiesDir(o.policies), region: o.region, cwd: process.cwd(), db: ctx.db }),
                year(ctx, o.year),
                ctx.lang,
              ),
            );
          if (o.catalog) {
            catalog = /\.json$/i.test(o.catalog)
              ? (JSON.parse((await import('node:fs')).readFileSync(o.catalog, 'utf8')) as Catalog)
              : await readCatalogFile(o.catalog, {
                  id: `${o.region}-imported`,
                  version: o.catalog,
                  region: o.region,
                  // 分值基准 of the region's DIP policy (RW × 100 or × 1000), never a fixed number
                  scale: policySet.resolveYear(dipKind, o.region, year(ctx, o.year)).values.scoreScale.value,
                });
          }
          // A thin alias of `yibao settle --inpatient dip`: the same pipeline, stored as a run.
          const store = await openStore(ctx.db);
          try {
            const run = await settleRegionYear(store, {
              region: o.region,
              year: year(ctx, o.year),
              policies: policySet,
              method: 'dip',
              command: 'dip settle',
              skip: o.perDiem ? [] : ['per-diem'],
              ...(catalog ? { catalog } : {}),
            });
            const reader = store.runResults(run.record.id);
            // Members of communities settled under a global budget: their clearing not paid separately (R-MC-3).
            const communityMembers = communityMembersOfYear(policySet, o.region, year(ctx, o.year));
            const r = await writeRunStatements(reader, join(o.out), {
              communityMembers,
              formats,
              lang: ctx.lang,
              names: await institutionNames(store),
              codes: store,
              perInstitution: o.perInstitution !== false,
            });
            if (ctx.json) {
              const s = r.settlement;
              process.stdout.write(
                `${JSON.stringify({ run: run.record.id, poolId: s.poolId, policies: run.inpatient.policies, counts: run.inpatient.counts, summary: s.summary, files: r.files }, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}\n`,
              );
              return;
            }
            process.stdout.write(`${poolSummaryText(r.settlement, ctx.lang, communityMembers)}\n`);
            // As `settle` says it: a history year without cases and the weights actually applied.
            for (const w of run.inpatient.dip?.catalog.warnings ?? [])
              if (w.code === 'HISTORY_YEAR_MISSING') process.stdout.write(`  ! ${t(ctx, w.zh, w.en)}\n`);
            for (const f of r.files) process.stdout.write(`  → ${f}\n`);
            if (o.explain) {
              const e = await explainRunSettlement(reader, run.record, o.explain);
              process.stdout.write(`${readableExplanationText(e, ctx.lang)}\n`);
            }
          } finally {
            await store.close();
          }
        } catch (e) {
          asCli(e, ctx.lang);
        }
      },
    );
}
