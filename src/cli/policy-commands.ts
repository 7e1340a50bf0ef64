/** `yibao policy check FILE|DIR…`: validate policy files and show what they hold. */
import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { PolicyError } from '../policy/errors.ts';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { loadPolicyFile, type PolicyFile } from '../policy/loader.ts';
import { loadPolicyDir, PolicySet } from '../policy/registry.ts';
import { EXIT, t } from './context.ts';
import type { GetContext } from './main.ts';

export function registerPolicyCommands(program: Command, getContext: GetContext): void {
  const policy = program.command('policy').description('政策参数文件 / policy files');
  policy
    .command('check')
    .description('校验政策文件（未知键、重复键、日期、条款引用、生效期重叠）/ validate policy files')
    .argument('<paths...>', '文件或目录 / files or folders')
    .action((paths: string[]) => {
      const ctx = getContext();
      const files: PolicyFile[] = [];
      const errors: PolicyError[] = [];
      for (const p of paths) {
        try {
          if (statSync(p).isDirectory()) files.push(...loadPolicyDir(p, POLICY_KINDS).files);
          else files.push(loadPolicyFile(p, POLICY_KINDS));
        } catch (e) {
          if (e instanceof PolicyError) errors.push(e);
          else errors.push(new PolicyError('POLICY_READ', p, '', String(e), String(e)));
        }
      }
      if (errors.length === 0) {
        try {
          new PolicySet(files);
        } catch (e) {
          if (e instanceof PolicyError) errors.push(e);
          else throw e;
        }
      }
      if (ctx.json) {
        const out = {
          ok: errors.length === 0,
          files: files.map((f) => ({
            file: f.file,
            kind: f.kind,
            region: f.region,
            id: f.id,
            version: f.version,
            effective: f.effective,
            values: Object.keys(f.values as object).length,
          })),
          errors: errors.map((e) => ({
            code: e.code,
            file: e.file,
            field: e.field,
            zh: e.zh,
            en: e.en,
            example: e.example,
          })),
        };
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      } else {
        for (const f of files) {
          const n = Object.keys(f.values as object).length;
          process.stdout.write(
            `✓ ${f.file}  ${f.kind} · ${f.region} · ${f.id} v${f.version} · ${f.effective.from}..${f.effective.to} · ${t(ctx, `${n} 项参数`, `${n} values`)}\n`,
          );
        }
        for (const e of errors) process.stderr.write(`✗ ${e.message}\n`);
      }
      process.exitCode = errors.length === 0 ? EXIT.ok : EXIT.badInput;
    });
}
