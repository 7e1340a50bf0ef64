/** `yibao runs`: the recorded runs (运行记录) of the store, most recent first. */
import type { Command } from 'commander';
import { isIngestKind } from '../ingest/kinds/index.ts';
import { replacedLines, replacedOfMessage } from '../ingest/pipeline.ts';
import { methodLabel } from '../report/labels.ts';
import {
  commandLabel,
  inputName,
  inputSize,
  policyListText,
  runPolicies,
  runStatusLabel,
} from '../run/command-label.ts';
import { type RunWarning, storedRunWarnings } from '../run/run-warnings.ts';
import { StoreError } from '../store/errors.ts';
import { openStore, type Store, storeMissing } from '../store/index.ts';
import { runMessageIn } from '../store/run-message.ts';
import type { SettlementRunRecord } from '../store/settlement-runs.ts';
import type { RunRecord } from '../store/store.ts';
import { CliError, EXIT, noStoreError, t } from './context.ts';
import type { GetContext } from './main.ts';

/** The counts a run records, in the reader's language (glossary.md); a key not listed is shown as it is. */
const COUNTS: Record<string, [zh: string, en: string]> = {
  read: ['读取', 'read'],
  accepted: ['入库', 'accepted'],
  rejected: ['拒收', 'rejected'],
  alreadyPresent: ['已存在', 'already present'],
  replaced: ['替换', 'replaced'],
  notImported: ['未导入（编码库未更改）', 'not imported (list unchanged)'],
  history: ['历史病例', 'history cases'],
  current: ['本年病例', 'cases of the year'],
  perDiem: ['按床日付费', 'per-bed-day'],
  singleDisease: ['按病种付费', 'single-disease'],
  caseMethod: ['按病种分值或病组付费', 'DIP or DRG'],
  ffsSettlements: ['按项目付费结算', 'fee-for-service settlements'],
  capitationHeads: ['按人头付费人头', 'capitation heads'],
  cases: ['病例', 'cases'],
  flags: ['监控提示', 'flags'],
  institutions: ['医疗机构', 'institutions'],
};

/** `key=value` pairs of a run's counts in the reader's language. */
export function countsText(counts: Record<string, number>, lang: 'zh' | 'en'): string {
  return Object.entries(counts)
    .map(([k, v]) => `${COUNTS[k]?.[lang === 'zh' ? 0 : 1] ?? k} ${v}`)
    .join(lang === 'zh' ? '，' : ', ');
}

/**
 * A run's note: the replaced rows of an ingest with --replace (each key with old → new values, in the reader's
 * language), else the note as stored.
 */
function runMessageText(r: RunRecord, lang: 'zh' | 'en'): string {
  const replaced = replacedOfMessage(r.message);
  const kind = r.command.replace(/^ingest /, '');
  if (replaced && isIngestKind(kind)) {
    const head = lang === 'zh' ? '替换的已入库行（旧值 → 新值）：' : 'stored rows replaced (old → new):';
    return `    ${head}\n${replacedLines(kind, replaced, lang)
      .map((l) => `      ${l}\n`)
      .join('')}`;
  }
  // A failed ingest keeps its error in both languages: the reader's only.
  return `    ${runMessageIn(r, lang)}\n`;
}

export function registerRunsCommands(program: Command, getContext: GetContext): void {
  program
    .command('runs')
    .description('列出运行记录（输入文件哈希、政策版本、计数、耗时）/ list recorded runs')
    .option('--limit <n>', '最多显示几条 / how many', '20')
    .option('--command <command>', '只看某个命令，如 "ingest cases" / only this command')
    .option('--settlements', '只列结算运行（可用 --run 查看与解释）/ settlement runs only (for explain --run)')
    .option('--region <code>', '结算运行的地区 / region of settlement runs')
    .option('--year <yyyy>', '结算运行的年度 / year of settlement runs')
    .action(async (o: { limit: string; command?: string; settlements?: boolean; region?: string; year?: string }) => {
      const ctx = getContext();
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1)
        throw new CliError(t(ctx, '--limit 应为正整数', '--limit must be a positive integer'), EXIT.usage);
      if (o.settlements || o.region || o.year) {
        await listSettlements(ctx, {
          limit,
          ...(o.region ? { region: o.region } : {}),
          ...(o.year ? { year: Number(o.year) } : {}),
        });
        return;
      }
      let runs: RunRecord[];
      let warnings: RunWarning[][];
      if (storeMissing(ctx.db)) throw noStoreError(ctx, NEW_STORE);
      let store: Store | undefined;
      try {
        store = await openStore(ctx.db, { readOnly: true });
        runs = await store.listRuns({ limit, ...(o.command ? { command: o.command } : {}) });
        // A settlement run's warnings are kept with its results (run-warnings.ts); other runs have none there.
        warnings = await Promise.all(runs.map((r) => storedRunWarnings(store!.runResults(r.id), { pointValue: true })));
      } catch (e) {
        if (e instanceof StoreError) throw new CliError(e.text(ctx.lang), EXIT.badInput);
        throw e;
      } finally {
        await store?.close();
      }
      if (ctx.json) {
        const json = runs.map((r, i) => ({
          ...runJson(r),
          ...(warnings[i]!.length > 0 ? { warnings: warnings[i] } : {}),
        }));
        process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
        return;
      }
      if (runs.length === 0) {
        process.stdout.write(t(ctx, `${ctx.db} 中没有运行记录\n`, `no runs recorded in ${ctx.db}\n`));
        return;
      }
      // A policy edited between two listed runs keeps its version: its content's hash tells them apart (walk7 #14:
      // both runs read v2025.1), as `runs --settlements` does.
      const policies = settlementPolicies(runs, ctx.lang);
      runs.forEach((r, i) => {
        process.stdout.write(runText(r, ctx.lang, warnings[i], policies[i]));
      });
    });
}

/**
 * A recorded run in `runs --json`: the record as stored, and a failed run's note in each language apart
 * (`messages`), so a program needs not split the stored `【zh】…【en】…` (or an old log's `English / 中文`).
 */
export function runJson(r: RunRecord): RunRecord & { messages?: { zh: string; en: string } } {
  if (r.status !== 'failed' || r.message === undefined) return r;
  return { ...r, messages: { zh: runMessageIn(r, 'zh') ?? '', en: runMessageIn(r, 'en') ?? '' } };
}

/**
 * One recorded run as `yibao runs` prints it: its line, its inputs, the policy files it applied (once), its note, and
 * the warnings a settlement run gave (`! …`, as settle printed them).
 */
export function runText(
  r: RunRecord,
  lang: 'zh' | 'en',
  warnings: readonly RunWarning[] = [],
  /** The policy list told apart from the other listed runs' (`settlementPolicies`), for a run that lists its files. */
  policiesAmongRuns?: string,
): string {
  const zh = lang === 'zh';
  const lines = [
    // A run that counted nothing (a failed ingest) leaves no blank field between its status and its time.
    `${[r.startedAt, r.id, commandLabel(r.command, lang), runStatusLabel(r.status, lang), countsText(r.counts, lang), `${(r.durationMs / 1000).toFixed(1)}s`].filter((x) => x !== '').join('  ')}\n`,
  ];
  for (const i of r.inputs) {
    // Rows read from the store are named in words (已入库的 2025 年病例), as settle names them; files by their path.
    // A policy file a what-if changed by the base run's path, marked (the what-if's own copy is gone).
    const name = inputName(i, lang);
    // A stored input's recorded size is its row count, a file's its bytes.
    const size = inputSize(i);
    const sized =
      'rows' in size
        ? `${size.rows.toLocaleString('en-US')} ${zh ? '行' : size.rows === 1 ? 'row' : 'rows'}`
        : `${size.bytes} B`;
    // A run that failed before reading its file recorded no hash nor size: its path alone (it read "sha256:…  0 B").
    lines.push(i.sha256 === '' ? `    ${name}\n` : `    ${name}  sha256:${i.sha256.slice(0, 16)}…  ${sized}\n`);
  }
  const { policies: own, note } = runPolicies(r, lang);
  const policies = own && !note && policiesAmongRuns ? policiesAmongRuns : own;
  if (policies) lines.push(`    ${zh ? '政策：' : 'policy: '}${policies}\n`);
  if (note) lines.push(runMessageText({ ...r, message: note }, lang));
  lines.push(...warningLines(warnings, lang));
  return lines.join('');
}

/**
 * One settlement run as `yibao runs --settlements` lists it: when, its id, region and year, its methods in words, its
 * command, its cases; a policy what-if says so and names the run it is compared with. The inpatient case method is
 * among the methods: it was also printed before them in capitals (`DIP  按病种分值付费（DIP）`).
 */
export function settlementRunLine(
  r: Pick<
    SettlementRunRecord,
    'startedAt' | 'id' | 'region' | 'year' | 'methods' | 'command' | 'counts' | 'kind' | 'baseRunId'
  >,
  lang: 'zh' | 'en',
): string {
  const zh = lang === 'zh';
  const whatIf =
    r.kind === 'what-if'
      ? zh
        ? `  政策模拟（对比 ${r.baseRunId ?? ''}）`
        : `  policy what-if (of ${r.baseRunId ?? ''})`
      : '';
  const methods = r.methods.map((m) => methodLabel(m, lang)).join(' + ');
  return `${r.startedAt}  ${r.id}  ${r.region} ${r.year}${whatIf}  ${methods}  ${commandLabel(r.command, lang)}  ${zh ? '病例' : 'cases'} ${r.counts.current ?? 0}`;
}

/**
 * The policy files each listed run applied (its note, `id vVERSION, …`). One id and version applied with different
 * content by two listed runs (a copy of the policy folder with a value changed, a what-if) carries its content's hash,
 * so the two runs do not read alike; the note's files are the run's policy inputs, in the same order.
 */
export function settlementPolicies(
  runs: readonly Pick<SettlementRunRecord, 'message' | 'inputs'>[],
  lang: 'zh' | 'en',
): string[] {
  const listed = runs.map((r) => {
    const names = r.message ? r.message.split(', ') : [];
    const shas = r.inputs.filter((i) => i.role?.startsWith('policy ')).map((i) => i.sha256);
    return { names, shas: shas.length === names.length ? shas : undefined };
  });
  const contents = new Map<string, Set<string>>();
  for (const l of listed)
    l.names.forEach((n, i) => {
      const sha = l.shas?.[i];
      if (sha) contents.set(n, (contents.get(n) ?? new Set()).add(sha));
    });
  return runs.map((r, k) => {
    if (!r.message) return '';
    const { names, shas } = listed[k]!;
    // zh joins the files with 、 when every entry is a policy file (policyListText), the hash in zh brackets.
    const zh = policyListText(r.message, lang) !== r.message;
    const named = names.map((n, i) => {
      if ((contents.get(n)?.size ?? 0) < 2 || !shas) return n;
      const sha = shas[i]!.slice(0, 12);
      return zh ? `${n}（sha256 ${sha}）` : `${n} (sha256 ${sha})`;
    });
    return named.join(zh ? '、' : ', ');
  });
}

/** A run's warnings, one line each under the run, in the reader's language. */
function warningLines(warnings: readonly RunWarning[], lang: 'zh' | 'en'): string[] {
  return warnings.map((w) => `    ! ${lang === 'zh' ? w.zh : w.en}\n`);
}

/** What makes a store, for a user who has none yet. */
const NEW_STORE = {
  zh: '请先运行 yibao demo（示范统筹区）或用 yibao ingest 导入本地数据',
  en: 'Run yibao demo (the demo region) or yibao ingest your own data first',
};

async function listSettlements(
  ctx: ReturnType<GetContext>,
  filter: { limit: number; region?: string; year?: number },
): Promise<void> {
  let runs: SettlementRunRecord[];
  let warnings: RunWarning[][];
  if (storeMissing(ctx.db)) throw noStoreError(ctx, NEW_STORE);
  let store: Store | undefined;
  try {
    store = await openStore(ctx.db, { readOnly: true });
    // What-if runs too, each marked as one and naming its base run (settlementRunLine).
    runs = await store.listSettlementRuns({ ...filter, kind: 'all' });
    warnings = await Promise.all(runs.map((r) => storedRunWarnings(store!.runResults(r.id), { pointValue: true })));
  } catch (e) {
    if (e instanceof StoreError) throw new CliError(e.text(ctx.lang), EXIT.badInput);
    throw e;
  } finally {
    await store?.close();
  }
  if (ctx.json) {
    const json = runs.map((r, i) => ({ ...r, ...(warnings[i]!.length > 0 ? { warnings: warnings[i] } : {}) }));
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return;
  }
  if (runs.length === 0) {
    process.stdout.write(t(ctx, `${ctx.db} 中没有结算运行\n`, `no settlement runs in ${ctx.db}\n`));
    return;
  }
  const policies = settlementPolicies(runs, ctx.lang);
  runs.forEach((r, i) => {
    process.stdout.write(`${settlementRunLine(r, ctx.lang)}\n`);
    // A settlement run's note is the list of the policy files it applied.
    if (r.message) process.stdout.write(`    ${t(ctx, '政策：', 'policy: ')}${policies[i]}\n`);
    process.stdout.write(warningLines(warnings[i]!, ctx.lang).join(''));
  });
}
