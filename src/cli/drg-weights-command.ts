/**
 * `yibao drg weights import FILE --base-rate YUAN --out DIR`: check a published `drg,rw` weights table and copy it
 * into a policy folder, printing the `weights:` entry the DRG policy names it with (see policies/README.md).
 * A settlement then prices with these weights instead of calibrating local ones.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { yuanToFen } from '../model/money.ts';
import { importWeights } from '../payment/drg/weights-import.ts';
import { type CliContext, CliError, EXIT } from './context.ts';

export function registerDrgWeightsCommands(program: Command, getContext: () => CliContext): void {
  const drg =
    program.commands.find((c) => c.name() === 'drg') ??
    program.command('drg').description('CHS-DRG 分组与付费 / CHS-DRG grouping and payment');
  const weights = drg.command('weights').description('公布的 DRG 权重表 / published DRG weights');
  weights
    .command('import')
    .description(
      '检查公布的权重表（drg,rw）并放入政策文件目录 / check a published weights table and put it in a policy folder',
    )
    .argument('<file>', '权重表 CSV，两列 drg,rw / weights CSV with columns drg,rw')
    .requiredOption(
      '--base-rate <yuan>',
      '与权重一同公布的费率（元/RW），次均费用 = RW × 费率 / the base rate published with the weights',
    )
    .requiredOption('--out <dir>', '政策文件目录（DRG 政策所在）/ the policy folder of the DRG policy')
    .action((file: string, o: { baseRate: string; out: string }) => {
      const ctx = getContext();
      const zh = ctx.lang !== 'en';
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        throw new CliError(zh ? `读不到权重表 ${file}` : `cannot read the weights table ${file}`, EXIT.badInput);
      }
      let rate: number;
      try {
        rate = yuanToFen(o.baseRate);
      } catch {
        throw new CliError(
          zh ? `费率 "${o.baseRate}" 不是金额（元）` : `base rate "${o.baseRate}" is not an amount in yuan`,
          EXIT.usage,
        );
      }
      const r = importWeights(text, rate, file);
      if (r.rejected.length > 0) {
        const rows = r.rejected.map((x) => `  ${x.line}: ${x.reason}`).join('\n');
        throw new CliError(
          zh
            ? `权重表 ${file} 有 ${r.rejected.length} 行无法读取（行号: 原因）：\n${rows}`
            : `${file}: ${r.rejected.length} unreadable row(s) (line: reason):\n${rows}`,
          EXIT.badInput,
        );
      }
      mkdirSync(o.out, { recursive: true });
      const name = basename(file);
      copyFileSync(file, join(o.out, name));
      const entry = `  weights:\n    value: { method: file, file: ${name}, referenceBaseRate: "${o.baseRate}" }\n    source: "…（公布权重的文件与条款）"\n`;
      process.stdout.write(
        zh
          ? `已导入 ${r.table.weights.size} 个 DRG 的权重到 ${join(o.out, name)}。在该文件夹的 DRG 政策 values 中写：\n${entry}`
          : `imported the weights of ${r.table.weights.size} DRGs into ${join(o.out, name)}. In that folder's DRG policy, under values, write:\n${entry}`,
      );
    });
}
