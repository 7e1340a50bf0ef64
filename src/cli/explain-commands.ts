/**
 * `yibao explain case ID` and `yibao explain settlement INSTITUTION --period YYYY|YYYY-MM`: every step behind a
 * case's group, points and payment, or an institution's settlement lines, with inputs, parameter values and clause
 * IDs. The engines are pure and deterministic, so the year is recomputed from the store and the policies in force:
 * the explanation is exactly the computation that produced the statements.
 */

import type { Command } from 'commander';
import { explainDipCase } from '../dip/run.ts';
import { drgTraceToExplanation } from '../grouping/drg/explain.ts';
import { drgInputFromCase, groupCase } from '../grouping/drg/index.ts';
import type { Explanation } from '../model/explain.ts';
import { renderExplanation } from '../model/explain.ts';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { policiesDir } from '../policy/paths.ts';
import { loadPolicyDir } from '../policy/registry.ts';
import { demoKernel } from '../run/demo.ts';
import { type CaseMethod, caseMethodFor, type InpatientYear, runInpatientYear } from '../run/inpatient-year.ts';
import { explainSettlement } from '../settlement/explain.ts';
import { openStore } from '../store/index.ts';
import type { Store } from '../store/store.ts';
import { CliError, EXIT, t } from './context.ts';
import type { GetContext } from './main.ts';

interface Flags {
  method?: string;
  year?: string;
  region: string;
  policies?: string;
  pack?: string;
}

/** The latest discharge year present in the store (looked up downwards from this calendar year). */
async function latestYear(store: Store): Promise<number> {
  const now = new Date().getUTCFullYear();
  for (let y = now; y > now - 50; y--) if ((await store.countCases({ year: y })) > 0) return y;
  throw new CliError('存储中没有病例 / the store holds no cases', EXIT.badInput);
}

async function year(store: Store, f: Flags, period?: string): Promise<InpatientYear> {
  const y = period ? Number(period.slice(0, 4)) : f.year ? Number(f.year) : await latestYear(store);
  const policies = loadPolicyDir(policiesDir(f.policies), POLICY_KINDS);
  let method: CaseMethod;
  try {
    method = caseMethodFor(policies, f.region, y, f.method);
  } catch (e) {
    throw new CliError((e as Error).message, EXIT.usage);
  }
  return runInpatientYear(store, {
    region: f.region,
    year: y,
    policies,
    method,
    ...(method === 'drg' ? { kernel: await demoKernel(f.pack) } : {}),
  });
}

function print(e: Explanation, json: boolean, lang: 'zh' | 'en'): void {
  process.stdout.write(json ? `${JSON.stringify(e, null, 2)}\n` : `${renderExplanation(e, lang)}\n`);
}

function common(cmd: Command): Command {
  return cmd
    .option(
      '--method <m>',
      '住院病例付费方式 dip|drg（默认按支付方式组合政策）/ inpatient case method (default: the payment-mix policy)',
    )
    .option('--year <yyyy>', '结算年度（默认存储中最新年度）/ settlement year (default: latest in the store)')
    .option('--region <code>', '政策地区 / policy region', 'demo')
    .option(
      '--policies <dir>',
      '政策文件目录（默认：yibao 自带的 policies/）/ policy folder (default: the policies/ shipped with yibao)',
    )
    .option('--pack <path>', 'DRG 分组方案数据包 / CHS-DRG pack');
}

export function registerExplainCommands(program: Command, getContext: GetContext): void {
  const explain = program.command('explain').description('逐步解释病例或结算 / explain a case or a settlement');
  common(explain.command('case').argument('<setl_id>', '结算ID / settlement id'))
    .description('病例的分组、点数与支付 / a case: group, points, payment')
    .action(async (id: string, f: Flags) => {
      const ctx = getContext();
      const store = await openStore(ctx.db, { readOnly: true });
      try {
        const y = await year(store, f);
        const unit = [...y.perDiemUnits, ...y.singleDiseaseUnits].find((u) => u.unitId === id);
        let e: Explanation;
        if (unit) {
          e = { subject: `${t(ctx, '病例', 'case')} ${id} (${unit.method})`, steps: unit.explanation };
        } else if (y.dip) {
          e = explainDipCase(y.dip, id);
        } else {
          const u = y.drg!.units.find((x) => x.unitId === id);
          if (!u) throw new CliError(t(ctx, `没有结算ID为 ${id} 的病例`, `no case ${id}`), EXIT.badInput);
          const c = y.current.find((x) => x.setlId === id)!;
          const grouping = drgTraceToExplanation(
            id,
            groupCase(await demoKernel(f.pack), drgInputFromCase(c), { trace: true }),
          );
          e = { subject: `${t(ctx, '病例', 'case')} ${id} (DRG)`, steps: [...grouping.steps, ...u.explanation] };
        }
        print(e, ctx.json, ctx.lang);
      } finally {
        await store.close();
      }
    });
  common(explain.command('settlement').argument('<institution>', '机构编码 / institution code'))
    .description('机构的月度预结算与年度清算 / an institution: monthly and year-end settlement')
    .option('--period <p>', '期间 YYYY 或 YYYY-MM / period')
    .action(async (code: string, f: Flags & { period?: string }) => {
      const ctx = getContext();
      const store = await openStore(ctx.db, { readOnly: true });
      try {
        const y = await year(store, f, f.period);
        print(explainSettlement(y.settlement, code, f.period), ctx.json, ctx.lang);
      } finally {
        await store.close();
      }
    });
}
