/**
 * `yibao community settle --year Y`: the county medical communities' year from the store (R-MC-1…5, R-BUD-4/5,
 * R-DIP-8, R-BEN): the inpatient pool and capitation year of the current pipeline, each community's budget by fund,
 * its members' monthly settlement with the lead hospital, the year-end reconciliation with the indicators, the
 * region's points and the patient burden by level, written as the community workbook.
 */
import type { Command } from 'commander';
import { renderExplanation } from '../model/explain.ts';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { loadPolicyDir } from '../policy/registry.ts';
import { communityExplanation, communitySummaryText, writeCommunityWorkbook } from '../report/community-reports.ts';
import { runCapitationYear } from '../run/capitation-year.ts';
import { runCommunityYear } from '../run/community-year.ts';
import { demoKernel } from '../run/demo.ts';
import { type CaseMethod, caseMethodFor, runInpatientYear } from '../run/inpatient-year.ts';
import { openStore } from '../store/index.ts';
import { CliError, EXIT, t } from './context.ts';
import type { GetContext } from './main.ts';

export function registerCommunityCommands(program: Command, getContext: GetContext): void {
  const community = program.command('community').description('县域医共体总额付费 / county medical communities');
  community
    .command('settle')
    .description('医共体年度结算：预算、月度结算、年终对账、考核指标、患者负担 / a communities’ year from the store')
    .requiredOption('--year <yyyy>', '结算年度 / settlement year')
    .option('--inpatient <m>', '住院病例付费方式 dip|drg / inpatient case method')
    .option('--region <code>', '政策地区 / policy region', 'demo')
    .option('--policies <dir>', '政策文件目录 / policy folder', 'policies')
    .option('--pack <path>', 'DRG 分组方案数据包 / CHS-DRG pack')
    .option('--out <dir>', '工作簿目录 / workbook folder', 'out/community')
    .option('--explain <id>', '打印该医共体每一步计算 / print every step of one community')
    .action(
      async (f: {
        year: string;
        inpatient?: string;
        region: string;
        policies: string;
        pack?: string;
        out: string;
        explain?: string;
      }) => {
        const ctx = getContext();
        const year = Number(f.year);
        if (!Number.isInteger(year)) throw new CliError('--year: YYYY', EXIT.usage);
        const store = await openStore(ctx.db);
        try {
          const policies = loadPolicyDir(f.policies, POLICY_KINDS);
          let method: CaseMethod;
          try {
            method = caseMethodFor(policies, f.region, year, f.inpatient);
          } catch (e) {
            throw new CliError((e as Error).message, EXIT.usage);
          }
          const inpatient = await runInpatientYear(store, {
            region: f.region,
            year,
            policies,
            method,
            ...(method === 'drg' ? { kernel: await demoKernel(f.pack) } : {}),
          });
          const capitation = policies.files.some((p) => p.kind === 'capitation' && p.region === f.region)
            ? await runCapitationYear(store, { region: f.region, year, policies })
            : undefined;
          const r = await runCommunityYear(store, {
            region: f.region,
            year,
            policies,
            inpatient,
            ...(capitation ? { capitation } : {}),
          });
          const file = await writeCommunityWorkbook(r, f.out, ctx.lang);
          if (ctx.json) {
            const json = {
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
            process.stdout.write(`${renderExplanation(e, ctx.lang)}\n`);
          }
          process.stdout.write(`${communitySummaryText(r, ctx.lang)}\n`);
          process.stdout.write(
            `${t(ctx, `患者负担：${r.pricedBills} 例按费用明细分段（其余按结算清单自费金额）；医共体内转诊连续计算起付线 ${r.referrals} 人次`, `patient burden: ${r.pricedBills} bills split from priced fee items (the others from the settlement list's own pay); ${r.referrals} referrals inside a community with the deductible continued`)}\n`,
          );
          process.stdout.write(`  → ${file}\n`);
        } finally {
          await store.close();
        }
      },
    );
}
