/**
 * `yibao settle`: the compound inpatient year of a region from the store — per-bed-day, single-disease and DIP or
 * DRG cases in one budget — with monthly and year-end statements (R-PAY-*, R-DIP-6). `dip settle` is the same
 * for DIP alone.
 */

import type { Command } from 'commander';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { policiesDir } from '../policy/paths.ts';
import { loadPolicyDir } from '../policy/registry.ts';
import { capitationSummaryText, writeCapitationReports } from '../report/capitation-reports.ts';
import { writeDipReports } from '../report/dip-reports.ts';
import { drgIndicatorTable, writePoolReports } from '../report/pool-reports.ts';
import { poolSummaryText } from '../report/summary.ts';
import { runCapitationYear } from '../run/capitation-year.ts';
import { demoKernel } from '../run/demo.ts';
import { type CaseMethod, caseMethodFor, runInpatientYear } from '../run/inpatient-year.ts';
import { recordSettlementRun } from '../run/record.ts';
import { openStore } from '../store/index.ts';
import { CliError, EXIT, t } from './context.ts';
import type { GetContext } from './main.ts';

export function registerSettleCommand(program: Command, getContext: GetContext): void {
  program
    .command('settle')
    .description(
      '年度结算：住院（按床日 + 按病种 + DIP/DRG 同一预算）与门特人头付费 / settle a region-year: inpatient pool and capitation',
    )
    .requiredOption('--year <yyyy>', '结算年度 / settlement year')
    .option(
      '--inpatient <m>',
      '住院病例付费方式 dip|drg（默认按支付方式组合政策）/ inpatient case method (default: the payment-mix policy)',
    )
    .option('--region <code>', '政策地区 / policy region', 'demo')
    .option(
      '--policies <dir>',
      '政策文件目录（默认：yibao 自带的 policies/）/ policy folder (default: the policies/ shipped with yibao)',
    )
    .option('--pack <path>', 'DRG 分组方案数据包 / CHS-DRG pack')
    .option('--out <dir>', '报表目录 / statements folder', 'out/settle')
    .action(
      async (f: { year: string; inpatient?: string; region: string; policies: string; pack?: string; out: string }) => {
        const ctx = getContext();
        const store = await openStore(ctx.db);
        const started = new Date();
        try {
          const policies = loadPolicyDir(policiesDir(f.policies), POLICY_KINDS);
          let method: CaseMethod;
          try {
            method = caseMethodFor(policies, f.region, Number(f.year), f.inpatient);
          } catch (e) {
            throw new CliError((e as Error).message, EXIT.usage);
          }
          const y = await runInpatientYear(store, {
            region: f.region,
            year: Number(f.year),
            policies,
            method,
            ...(method === 'drg' ? { kernel: await demoKernel(f.pack) } : {}),
          });
          const dir = `${f.out}/${y.method}`;
          const files: string[] = y.dip
            ? await writeDipReports(y.dip, dir, { lang: ctx.lang })
            : await writePoolReports(y.settlement, [...y.drg!.units, ...y.perDiemUnits, ...y.singleDiseaseUnits], dir, {
                lang: ctx.lang,
                extra: [
                  drgIndicatorTable(`${y.settlement.poolId}-indicators`, y.drg!.indicators),
                  drgIndicatorTable(`${y.settlement.poolId}-department-indicators`, y.drg!.departmentIndicators),
                ],
              });
          // Capitation (门特按病种结合人头付费) and the family-doctor fee settle by their own year end.
          const capitation = policies.files.some((p) => p.kind === 'capitation' && p.region === f.region)
            ? await runCapitationYear(store, { region: f.region, year: Number(f.year), policies })
            : undefined;
          if (capitation)
            files.push(...(await writeCapitationReports(capitation, `${f.out}/capitation`, { lang: ctx.lang })));
          await recordSettlementRun(store, {
            command: `settle ${method} ${f.year}`,
            policies,
            applied: [...Object.values(y.policies), ...(capitation ? [capitation.policy.id] : [])],
            counts: { ...y.counts, ...(capitation ? { capitationHeads: capitation.heads.enrolled } : {}) },
            started,
          });
          if (ctx.json) {
            const json = {
              policies: y.policies,
              counts: y.counts,
              summary: y.settlement.summary,
              ...(capitation ? { capitation: { heads: capitation.heads, caps: capitation.caps } } : {}),
              files,
            };
            process.stdout.write(`${JSON.stringify(json, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`);
            return;
          }
          const c = y.counts;
          process.stdout.write(
            `${t(ctx, `住院病例 ${c.current} = 按床日 ${c.perDiem} + 按病种 ${c.singleDisease} + ${y.method.toUpperCase()} ${c.caseMethod}`, `${c.current} cases = per-bed-day ${c.perDiem} + single-disease ${c.singleDisease} + ${y.method.toUpperCase()} ${c.caseMethod}`)}\n`,
          );
          process.stdout.write(`${poolSummaryText(y.settlement, ctx.lang)}\n`);
          if (capitation) process.stdout.write(`${capitationSummaryText(capitation, ctx.lang)}\n`);
          for (const file of files) process.stdout.write(`  → ${file}\n`);
        } finally {
          await store.close();
        }
      },
    );
}
