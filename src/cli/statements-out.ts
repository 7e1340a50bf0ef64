/**
 * What a settlement's statements folder (`settle --out`) already holds from an earlier run, and what an agency
 * expects of it. Statements are documents an agency has sent out: writing a run's statements over another run's
 * (DIP then DRG into the same folder, another year, another region) must not delete them silently. So:
 * - the same region, method and year settled again (a rerun after a correction) replaces its own statements, and
 *   the output names the files replaced (the earlier run stays in the store: `yibao runs --settlements`);
 * - statements of another run that the new set would not write again (a DIP folder when settling DRG, another
 *   year's workbooks) are refused without `--force`, naming them; with `--force` they go, and are named.
 */
import { previousSetFiles } from '../report/atomic.ts';
import { type CliContext, CliError, EXIT, t } from './context.ts';

export interface StatementsPool {
  region: string;
  /** The inpatient method's folder: dip or drg. */
  method: string;
  year: number;
}

/**
 * The files of the previous set in `out` that belong to another settlement than `pool`: what a settlement of `pool`
 * would delete or overwrite without writing its own again.
 */
export function otherRunFiles(previous: readonly string[], pool: StatementsPool): string[] {
  const prefix = `${pool.region}-${pool.method}-${pool.year}`;
  const inMethod = (f: string) => f.split('/')[0] === pool.method;
  const poolFile = (f: string) => inMethod(f) && f.slice(pool.method.length + 1).startsWith(prefix);
  const institutionFile = (f: string) => inMethod(f) && f.slice(pool.method.length + 1).startsWith('institutions/');
  // The per-institution workbooks (institutions/H1.xlsx), the capitation statements and the folder published for
  // the hospitals (published/) carry no region or year in their names: they are this pool's when the folder's pool
  // statements are — else another year's H1.xlsx would be overwritten as if it were this one's.
  const companion = (f: string) => institutionFile(f) || f.startsWith('capitation/') || f.startsWith('published/');
  const samePool = previous.some(poolFile) && previous.every((f) => poolFile(f) || companion(f));
  return previous.filter((f) => !poolFile(f) && !(samePool && companion(f)));
}

/** Up to `n` file names and how many more, for one line of output. */
function someOf(files: readonly string[], lang: 'zh' | 'en', n = 5): string {
  const shown = files.slice(0, n).join(lang === 'zh' ? '、' : ', ');
  if (files.length <= n) return shown;
  return lang === 'zh' ? `${shown} 等 ${files.length} 个文件` : `${shown} and ${files.length - n} more`;
}

/**
 * The settlements whose statements `files` are, as a reader names them (`city01 2025 年 DIP`), from the pool files'
 * names (`dip/city01-dip-2025.xlsx`); empty when no name says it (capitation statements only, an older layout).
 */
export function settlementsOf(files: readonly string[], lang: 'zh' | 'en'): string[] {
  const found = new Set<string>();
  for (const f of files) {
    const m = /^(dip|drg)\/(.+)-\1-(\d{4})(?=[-.])/.exec(f);
    if (m)
      found.add(lang === 'zh' ? `${m[2]} ${m[3]} 年 ${m[1]!.toUpperCase()}` : `${m[2]} ${m[3]} ${m[1]!.toUpperCase()}`);
  }
  return [...found].sort();
}

/**
 * Before settling: the files of `out` the run will replace. Refuses (exit 2) when some belong to another run and
 * `force` is not given — before the settlement, so nothing is stored or written. The message says what the folder
 * holds, why nothing was settled and the two ways on (another --out, or --force).
 */
export function checkStatementsOut(
  out: string,
  pool: StatementsPool,
  force: boolean,
  ctx: Pick<CliContext, 'lang'>,
): { previous: string[]; other: string[] } {
  const previous = previousSetFiles(out);
  const other = otherRunFiles(previous, pool);
  if (other.length > 0 && !force) {
    const method = pool.method.toUpperCase();
    const zhThose = settlementsOf(other, 'zh');
    const enThose = settlementsOf(other, 'en');
    throw new CliError(
      t(
        ctx,
        `报表目录 ${out} 中已有${zhThose.length > 0 ? ` ${zhThose.join('、')} 结算` : '另一次结算'}的报表：${someOf(other, 'zh')}。本次结算（${pool.region} ${pool.year} 年 ${method}）写入该目录会删除这些报表，因此未结算。请用 --out 另选一个目录；确需替换这些报表，请加 --force`,
        `the statements folder ${out} already holds the statements of ${enThose.length > 0 ? `the ${enThose.join(', ')} settlement` : 'another settlement'}: ${someOf(other, 'en')}. Settling ${pool.region} ${pool.year} ${method} into it would delete them, so nothing was settled. Give another --out, or add --force to replace them`,
      ),
      EXIT.usage,
    );
  }
  return { previous, other };
}

/**
 * After writing: one line naming what the run's statements replaced in `out` (its own earlier statements, by count)
 * and what of another settlement went (--force, by name); empty when nothing.
 */
export function replacedText(out: string, r: { previous: string[]; other: string[] }, lang: 'zh' | 'en'): string {
  const own = r.previous.length - r.other.length;
  const parts: string[] = [];
  if (own > 0)
    parts.push(
      lang === 'zh'
        ? `已替换 ${out} 中上一次结算写的 ${own} 个报表文件（上一次的结算运行仍在存储中，见 yibao runs --settlements）`
        : `replaced the ${own} statement files an earlier settlement wrote in ${out} (that run stays in the store: yibao runs --settlements)`,
    );
  if (r.other.length > 0)
    parts.push(
      lang === 'zh'
        ? `已删除 ${out} 中另一次结算的报表（--force）：${someOf(r.other, 'zh')}`
        : `removed the statements of another settlement from ${out} (--force): ${someOf(r.other, 'en')}`,
    );
  return parts.map((p) => `  ! ${p}\n`).join('');
}
