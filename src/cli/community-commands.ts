/**
 * `yibao community settle --year Y [--run ID]`: the county medical communities' year from the store (R-MC-1…5,
 * R-BUD-4/5, R-DIP-8, R-BEN): the stored settlement run's unit results (default: the latest run of the region-year),
 * each community's budget by fund,
 * its members' monthly settlement with the lead hospital, the year-end reconciliation with the indicators, the
 * region's points and the patient burden by level, written as the community workbook.
 */
import type { Command } from 'commander';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { defaultPolicyDir, loadPolicyDir } from '../policy/registry.ts';
import { communityExplanation, communitySummaryText, writeCommunityWorkbook } from '../report/community-reports.ts';
import { readableExplanationText } from '../report/readable-explanation.ts';
import { recordCommunityBudgets, runCommunityYear } from '../run/community-year.ts';
import { openStore, storeMissing } from '../store/index.ts';
import { CliError, EXIT, inMemoryStoreError, noStoreError, t } from './context.ts';
import type { GetContext } from './main.ts';
import { regionFor } from './region.ts';
import { settlementRunFor } from './settlement-run.ts';

export function registerCommunityCommands(program: Command, getContext: GetContext): void {
  const community = program.command('community').description('县域医共体总额付费 / county medical communities');
  community
    .command('settle')
    .description('医共体年度结算：预算、月度结算、年终对账、考核指标、患者负担 / a communities’ year from the store')
    .requiredOption('--year <yyyy>', '结算年度 / settlement year')
    .option('--run <id>', '结算运行编号（默认该年度最近一次）/ settlement run (default: the latest of the year)')
    .option(
      '--region <code>',
      '政策地区（默认：政策文件目录中唯一的地区，否则 demo）/ policy region (default: the only region of the policy folder, else demo)',
    )
    .option(
      '--policies <dir>',
      '政策文件目录（默认：当前目录下的 policies/，没有则用 yibao 自带的）/ policy folder (default: ./policies when present, else the one shipped with yibao)',
      defaultPolicyDir(),
    )
    .option('--out <dir>', '工作簿目录 / workbook folder', 'out/community')
    .option('--explain <id>', '打印该医共体每一步计算 / print every step of one community')
    .action(
      async (f: { year: string; run?: string; region?: string; policies: string; out: string; explain?: string }) => {
        const ctx = getContext();
        const year = Number(f.year);
        if (!Number.isInteger(year)) throw new CliError('--year: YYYY', EXIT.usage);
        // A store in memory starts empty: said so, not "no settlement run of the year".
        const inMemory = inMemoryStoreError(ctx);
        if (inMemory) throw inMemory;
        if (storeMissing(ctx.db))
          throw noStoreError(ctx, {
            zh: `医共体年度结算要读取经办的结算运行，请先运行 yibao settle --year ${year}（或 yibao demo）`,
            en: `A communities' year reads the agency's settlement run: run yibao settle --year ${year} (or yibao demo) first`,
          });
        const store = await openStore(ctx.db);
        try {
          const policies = loadPolicyDir(f.policies, POLICY_KINDS);
          const region = regionFor(policies, f.region, ctx.lang);
          const run = await settlementRunFor(store, ctx, { run: f.run, region, year });
          const r = await runCommunityYear(store, { region, year, policies, run });
          await recordCommunityBudgets(store, r);
          const file = await writeCommunityWorkbook(r, f.out, ctx.lang);
          if (ctx.json) {
            const json = {
              run: r.runId,
              policies: r.policies,
              communities: r.communities.map((c) => ({
                id: c.community.id,
                eligible: c.eligibility.eligible,
                reasons: c.eligibility.reasons.map((x) => x.code),
                score: c.performance.score,
                total: c.result?.total ?? null,
              })),
              referrals: r.referrals,
              pricedBills: r.pricedBills,
              file,
            };
            process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
            return;
          }
          if (f.explain) {
            const e = communityExplanation(r, f.explain);
            if (!e) throw new CliError(t(ctx, `没有医共体 ${f.explain}`, `no community ${f.explain}`), EXIT.usage);
            process.stdout.write(`${readableExplanationText(e, ctx.lang)}\n`);
          }
          process.stdout.write(`${communitySummaryText(r, ctx.lang)}\n`);
          process.stdout.write(
            `${t(ctx, `医共体内转诊连续计算起付线 ${r.referrals} 人次`, `${r.referrals} referrals inside a community with the deductible continued`)}\n`,
          );
          process.stdout.write(`${t(ctx, `结算运行 ${r.runId}`, `settlement run ${r.runId}`)}  → ${file}\n`);
        } finally {
          await store.close();
        }
      },
    );
}
