/** `yibao policy check FILE|DIR…`: validate policy files and show what they hold. */
import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { END_OF_TIME } from '../policy/dates.ts';
import { PolicyError } from '../policy/errors.ts';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { loadPolicyFile, type PolicyFile } from '../policy/loader.ts';
import { PolicySet, policyFilesIn } from '../policy/registry.ts';
import {
  TEMPLATE_NAME_MARK,
  TEMPLATE_SOURCE_MARK,
  templateExampleNotes,
  templateNamedFields,
  templateSourcedValues,
} from '../policy/template-source.ts';
import { EXIT, t } from './context.ts';
import type { GetContext } from './main.ts';

/**
 * One valid file as `policy check` lists it: its file name and its kind by the kind's title in the reader's language
 * (DIP 按病种分值付费 / DIP (diagnosis-intervention packet) payment, not `dip` — en listed the kind word, walk6 #2), an
 * open end as 起 / from (not 9999-12-31), the number of values with its noun in the reader's language.
 */
export function checkedLine(
  f: Pick<PolicyFile, 'file' | 'kind' | 'region' | 'id' | 'version' | 'effective' | 'values'>,
  lang: 'zh' | 'en',
): string {
  const n = Object.keys(f.values as object).length;
  const zh = lang === 'zh';
  const kind = POLICY_KINDS.get(f.kind)?.[lang] ?? f.kind;
  const { from, to } = f.effective;
  const period = to === END_OF_TIME ? (zh ? `${from} 起` : `from ${from}`) : `${from}..${to}`;
  const count = zh ? `${n} 项参数` : `${n} ${n === 1 ? 'value' : 'values'}`;
  return `✓ ${f.file}  ${kind} · ${f.region} · ${f.id} v${f.version} · ${period} · ${count}`;
}

/**
 * The warning of a valid file whose values still cite the template written by `yibao init` (their source starts with
 * TEMPLATE_SOURCE_MARK): the file loads and settles, but `explain` would show a citation that is not the region's.
 */
export function templateSourceWarning(f: Pick<PolicyFile, 'file' | 'values'>, lang: 'zh' | 'en'): string | undefined {
  const names = templateSourcedValues(f.values as object);
  if (names.length === 0) return undefined;
  return lang === 'zh'
    ? `! ${f.file}：${names.length} 项参数的 source 仍是模板条款（${names.join('、')}）：请改为本地区文件及条款，并删去「${TEMPLATE_SOURCE_MARK}」（不影响校验与结算）`
    : `! ${f.file}: ${names.length} ${names.length === 1 ? "value's" : "values'"} source still cites the template (${names.join(', ')}): replace it with your own document and clause and delete "${TEMPLATE_SOURCE_MARK}" (this does not stop the check or settlement)`;
}

/**
 * The warning of a valid file whose values' sources lost TEMPLATE_SOURCE_MARK but still say the value is the
 * template's example (（金额为模板示例）): the value is the region's own now, the note is to go (walk6 #5).
 */
export function templateExampleWarning(f: Pick<PolicyFile, 'file' | 'values'>, lang: 'zh' | 'en'): string | undefined {
  const left = templateExampleNotes(f.values as object);
  if (left.length === 0) return undefined;
  const names = left.map((l) => `${l.name}「${l.notes.join('」「')}」`);
  return lang === 'zh'
    ? `! ${f.file}：${left.length} 项参数的 source 仍说取值是模板示例（${names.join('、')}）：取值已改为本地区的，请删去这句说明；仍用模板的取值，请改为本地区的取值（不影响校验与结算）`
    : `! ${f.file}: ${left.length} ${left.length === 1 ? "value's" : "values'"} source still says the value is the template's example (${left.map((l) => `${l.name} "${l.notes.join('", "')}"`).join(', ')}): if the value is your region's now, delete that note; if not, write your region's value (this does not stop the check or settlement)`;
}

/**
 * The warning of a valid file whose `title` or `document` still names the demo's or a template's documents (marked
 * TEMPLATE_NAME_MARK by `yibao init`): the API's policy list and a run's policy snapshot would show that name.
 */
export function templateNameWarning(
  f: Pick<PolicyFile, 'file' | 'title' | 'document'>,
  lang: 'zh' | 'en',
): string | undefined {
  const fields = templateNamedFields(f);
  if (fields.length === 0) return undefined;
  return lang === 'zh'
    ? `! ${f.file}：${fields.join('、')} 仍是模板的文件名称：请改为本地区的文件名称，并删去「${TEMPLATE_NAME_MARK}」（不影响校验与结算）`
    : `! ${f.file}: ${fields.join(' and ')} still ${fields.length === 1 ? 'names' : 'name'} the template's document: write your own document's name and delete "${TEMPLATE_NAME_MARK}" (this does not stop the check or settlement)`;
}

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
      // Every file on its own, and every error of a file (not only the first).
      const one = (p: string) => {
        try {
          files.push(loadPolicyFile(p, POLICY_KINDS));
        } catch (e) {
          if (e instanceof PolicyError) errors.push(...e.all);
          else errors.push(new PolicyError('POLICY_READ', p, '', `无法读取：${String(e)}`, String(e)));
        }
      };
      for (const p of paths) {
        let dir = false;
        try {
          dir = statSync(p).isDirectory();
        } catch {
          errors.push(new PolicyError('POLICY_READ', p, '', '文件或文件夹不存在', 'no such file or folder'));
          continue;
        }
        if (!dir) one(p);
        else {
          try {
            for (const f of policyFilesIn(p)) one(f);
          } catch (e) {
            if (e instanceof PolicyError) errors.push(e);
            else throw e;
          }
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
            templateSources: templateSourcedValues(f.values as object),
            templateExamples: templateExampleNotes(f.values as object).map((l) => l.name),
            templateNames: templateNamedFields(f),
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
        for (const f of files) process.stdout.write(`${checkedLine(f, ctx.lang)}\n`);
        for (const f of files)
          for (const warning of [
            templateNameWarning(f, ctx.lang),
            templateSourceWarning(f, ctx.lang),
            templateExampleWarning(f, ctx.lang),
          ])
            if (warning) process.stdout.write(`${warning}\n`);
        for (const e of errors) {
          // A syntax error names its line in the text and shows the file's own lines there instead of an example.
          const where = `${e.file}${e.field && !e.context ? `: ${e.field}` : ''}`;
          process.stderr.write(`✗ ${where}: ${t(ctx, e.zh, e.en)}\n`);
          if (e.context) process.stderr.write(`${indent(e.context)}\n`);
          else if (e.example)
            process.stderr.write(`  ${t(ctx, '正确示例：', 'valid example:')}\n${indent(e.example)}\n`);
        }
        if (errors.length > 1)
          process.stderr.write(t(ctx, `共 ${errors.length} 处错误\n`, `${errors.length} errors\n`));
      }
      process.exitCode = errors.length === 0 ? EXIT.ok : EXIT.badInput;
    });
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}
