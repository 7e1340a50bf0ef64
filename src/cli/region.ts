/**
 * The region a command works on when `--region` is left out: the only region of the policy folder (a folder
 * written by `yibao init city01` holds city01 alone), else the demo region when the folder has it (the policies
 * shipped with yibao), else a usage error naming the regions to choose from. `--region` always wins.
 */
import type { PolicySet } from '../policy/registry.ts';
import { CliError, EXIT } from './context.ts';

export const DEMO_REGION = 'demo';

export function regionFor(policies: PolicySet, asked: string | undefined, lang: 'zh' | 'en'): string {
  if (asked !== undefined && asked !== '') return asked;
  const regions = policies.regions();
  if (regions.length === 1) return regions[0]!;
  if (regions.length === 0 || regions.includes(DEMO_REGION)) return DEMO_REGION;
  throw new CliError(
    lang === 'en'
      ? `the policy folder holds several regions (${regions.join(', ')}): choose one with --region`
      : `政策文件目录中有多个地区（${regions.join('、')}）：用 --region 选择`,
    EXIT.usage,
  );
}
