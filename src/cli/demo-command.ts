/** `yibao demo`: the main job on the embedded default, with a readable summary (src/run/demo.ts). */

import type { Command } from 'commander';
import { departmentName } from '../codes/departments.ts';
import { rejectCodeText } from '../ingest/error-codes.ts';
import { isIngestKind, KINDS } from '../ingest/kinds/index.ts';
import { formatPoints } from '../model/points.ts';
import { defaultPolicyDir } from '../policy/registry.ts';
import { capitationSummaryText } from '../report/capitation-reports.ts';
import { type CommunityMembers, memberMark } from '../report/community-members.ts';
import { communitySummaryText } from '../report/community-reports.ts';
import { countOf, groupLabel } from '../report/labels.ts';
import { yuanText } from '../report/money-units.ts';
import { shareText } from '../report/percent.ts';
import { poolSummaryText } from '../report/summary.ts';
import { type DemoResult, runDemo } from '../run/demo.ts';
import type { DemoHospital } from '../run/hospital-demo.ts';
import { type CliContext, CliError, EXIT, t } from './context.ts';
import type { GetContext } from './main.ts';

/** The demo's stages as a reader knows them (progress lines and the time summary). */
const STAGE_WORDS: Record<string, [zh: string, en: string]> = {
  synth: ['生成合成统筹区', 'synthetic region'],
  codes: ['编码库', 'code lists'],
  ingest: ['质控入库', 'QC ingest'],
  dip: ['DIP 结算', 'DIP'],
  drg: ['DRG 结算', 'DRG'],
  ffs: ['按项目计价', 'fee-for-service'],
  capitation: ['按人头付费', 'capitation'],
  record: ['存储结算运行', 'store the run'],
  reports: ['报表', 'statements'],
  hospital: ['医院端测算', 'hospital side'],
  community: ['县域医共体', 'medical communities'],
  monitor: ['智能监控', 'smart monitoring'],
};

/** A stage in the user's language; an unknown stage as it is. */
export function stageWord(stage: string, lang: 'zh' | 'en'): string {
  const w = STAGE_WORDS[stage];
  return w ? w[lang === 'en' ? 1 : 0] : stage;
}

/**
 * The demo's time line: each stage in the user's language. A stage's parts (`capitation match`, timed inside
 * `capitation` for the pipeline bench) are left out: they are in their stage's time already, and they have no
 * words for a reader (the zh line showed `capitation enrolments 0.0s` beside 按人头付费).
 */
export function timeLine(seconds: Readonly<Record<string, number>>, ctx: Pick<CliContext, 'lang'>): string {
  const isPart = (k: string) => {
    const i = k.indexOf(' ');
    return i > 0 && k.slice(0, i) in seconds;
  };
  const stages = Object.entries(seconds).filter(([k]) => !isPart(k));
  return `${t(ctx, '用时：', 'time: ')}${stages
    .map(([k, v]) => `${stageWord(k, ctx.lang)} ${v.toFixed(1)}s`)
    .join(t(ctx, '，', ', '))}`;
}

/** Display width of a text in a terminal: CJK and full-width characters take two columns. */
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s)
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch)
      ? 2
      : 1;
  return w;
}

const padEnd = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - displayWidth(s)));
const padStart = (s: string, n: number) => ' '.repeat(Math.max(0, n - displayWidth(s))) + s;

interface DemoFlags {
  out: string;
  cases: string;
  seed: string;
  inpatient?: string;
  region: string;
  policies?: string;
  pack?: string;
}

export function registerDemoCommand(program: Command, getContext: GetContext): void {
  program
    .command('demo')
    .description(
      '示范：生成合成统筹区 → 质控入库 → 复合支付结算 → 报表 / demo: synthetic region → QC ingest → settlement',
    )
    .option('--out <dir>', '输出目录 / output folder', 'out/demo')
    .option('--cases <n>', '病例数（4 个年度合计）/ cases over all years', '40000')
    .option('--seed <s>', '随机种子 / seed', '2025')
    .option(
      '--inpatient <method>',
      '住院病例付费方式 dip|drg（默认按支付方式组合政策）/ inpatient case method (default: the payment-mix policy)',
    )
    .option('--region <code>', '政策地区 / policy region', 'demo')
    .option(
      '--policies <dir>',
      '政策文件目录（默认：当前目录下的 policies/，没有则用 yibao 自带的）/ policy folder (default: ./policies when present, else the one shipped with yibao)',
      defaultPolicyDir(),
    )
    .option(
      '--pack <path>',
      'DRG 分组方案：默认按 DRG 政策文件的 scheme（示范市为 chs-drg-2.0），或 chs-drg-1.1、路径 / CHS-DRG scheme: default the scheme of the DRG policy file (chs-drg-2.0 for the demo region), or chs-drg-1.1, a path',
    )
    .action(async (f: DemoFlags) => {
      const ctx = getContext();
      const db = ctx.db === 'data/yibao.duckdb' ? 'data/demo.duckdb' : ctx.db;
      const cases = Number(f.cases);
      if (!Number.isInteger(cases) || cases < 1000) throw new CliError('--cases: ≥ 1000', EXIT.usage);
      if (f.inpatient !== undefined && f.inpatient !== 'dip' && f.inpatient !== 'drg') {
        throw new CliError('--inpatient: dip | drg', EXIT.usage);
      }
      const say = (s: string) => {
        if (!ctx.json) process.stderr.write(`… ${stageWord(s, ctx.lang)}\n`);
      };
      const r = await runDemo({
        out: f.out,
        db,
        cases,
        seed: f.seed,
        ...(f.inpatient ? { method: f.inpatient as 'dip' | 'drg' } : {}),
        region: f.region,
        policies: f.policies,
        ...(f.pack ? { pack: f.pack } : {}),
        lang: ctx.lang,
        onStage: say,
      });
      if (ctx.json) {
        process.stdout.write(
          `${JSON.stringify(demoJson(r, db), (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`,
        );
      } else {
        process.stdout.write(`${demoText(r, db, ctx)}\n`);
      }
      process.exitCode = EXIT.ok;
    });
}

function demoJson(r: DemoResult, db: string) {
  const s = r.year.settlement;
  return {
    db,
    region: r.manifest.region,
    cases: r.manifest.counts,
    ingest: r.ingest.map((i) => ({
      kind: i.kind,
      read: i.read,
      accepted: i.accepted,
      rejected: i.rejected,
      alreadyPresent: i.alreadyPresent,
      rejectsByCode: i.rejectsByCode,
      rejectsFile: i.rejectsFile,
    })),
    method: r.year.method,
    policies: r.year.policies,
    counts: r.year.counts,
    summary: s.summary,
    pointValue: s.pointValue,
    files: r.files,
    ...(r.community ? { communities: communitiesJson(r.community.result) } : {}),
    ...(r.monitor ? { monitor: r.monitor } : {}),
    seconds: r.seconds,
  };
}

/** Each community's year in figures (fen): budget, what the methods paid, actual, clearing, score. */
function communitiesJson(r: NonNullable<DemoResult['community']>['result']) {
  return r.communities.map((c) => ({
    id: c.community.id,
    eligible: c.eligibility.eligible,
    budget: c.budgets.reduce((s, b) => s + b.budget, 0),
    ...(c.result ? c.result.total : {}),
    score: c.performance.score,
    coefficient: c.performance.coefficient,
  }));
}

/** The QC ingest table of the demo: one line per kind (files of several years summed), rejects under it. */
/** A list in the summary: 、 between the items in zh (E_REQUIRED 2、E_CODE_UNKNOWN 1), a comma in en. */
export function listText(items: readonly string[], ctx: Pick<CliContext, 'lang'>): string {
  return items.join(t(ctx, '、', ', '));
}

export function qcTableLines(ingest: DemoResult['ingest'], ctx: Pick<CliContext, 'lang'>): string[] {
  const lines: string[] = [];
  const heads: [string, string][] = [
    ['读取', 'read'],
    ['入库', 'accepted'],
    ['拒收', 'rejected'],
    ['已存在', 'present'],
  ];
  lines.push(
    `  ${padEnd(t(ctx, '数据类型', 'kind'), 18)}${heads.map(([zh, en]) => padStart(t(ctx, zh, en), 10)).join('')}`,
  );
  // One line per kind (a kind may come in several files, e.g. one per year); rejects files listed under it.
  const kinds = new Map<
    string,
    {
      read: number;
      accepted: number;
      rejected: number;
      present: number;
      files: number;
      codes: Map<string, number>;
      rejects: string[];
    }
  >();
  for (const i of ingest) {
    let k = kinds.get(i.kind);
    if (!k) {
      k = { read: 0, accepted: 0, rejected: 0, present: 0, files: 0, codes: new Map(), rejects: [] };
      kinds.set(i.kind, k);
    }
    k.read += i.read;
    k.accepted += i.accepted;
    k.rejected += i.rejected;
    k.present += i.alreadyPresent;
    k.files++;
    for (const [code, n] of Object.entries(i.rejectsByCode)) k.codes.set(code, (k.codes.get(code) ?? 0) + n);
    if (i.rejectsFile) k.rejects.push(i.rejectsFile);
  }
  for (const [kind, k] of kinds) {
    const spec = isIngestKind(kind) ? KINDS[kind] : undefined;
    const word = spec ? t(ctx, spec.zh, kind) : kind;
    const label = k.files > 1 ? `${word} ×${k.files}` : word;
    lines.push(
      `  ${padEnd(label, 18)}${[k.read, k.accepted, k.rejected, k.present].map((n) => padStart(String(n), 10)).join('')}`,
    );
    const codes = [...k.codes]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([c, n]) => rejectCodeText(c, n, ctx.lang));
    if (codes.length > 0) lines.push(`      ${t(ctx, '拒收原因：', 'rejected for: ')}${listText(codes, ctx)}`);
    if (k.rejects.length > 0) lines.push(`      ${t(ctx, '拒收明细：', 'rejects: ')}${listText(k.rejects, ctx)}`);
  }
  return lines;
}

/**
 * The demo's statements on one line: each workbook by name, but the institutions' own workbooks (one per
 * institution, 29 in the demo) as their folder and count — the line named every one of them.
 */
export function statementsLine(files: readonly string[], ctx: Pick<CliContext, 'lang'>): string {
  const workbooks = files.filter((f) => f.endsWith('.xlsx'));
  const perInstitution = new Map<string, number>();
  const named: string[] = [];
  for (const f of workbooks) {
    const m = /^(.*\/institutions\/)[^/]+\.xlsx$/.exec(f);
    if (m) perInstitution.set(m[1]!, (perInstitution.get(m[1]!) ?? 0) + 1);
    else named.push(f);
  }
  for (const [folder, n] of perInstitution)
    named.push(t(ctx, `${folder}（${n} 家机构各一个工作簿）`, `${folder} (one workbook per institution, ${n})`));
  const others = files.length - workbooks.length;
  return `${t(ctx, '报表：', 'statements: ')}${named.join(t(ctx, '、', ', '))}${others > 0 ? t(ctx, `（另有 ${others} 个 CSV/JSON 文件）`, ` (+${others} CSV/JSON ${others === 1 ? 'file' : 'files'})`) : ''}`;
}

/** The five institutions with the largest year-end amount, every money figure with its unit (元 / yuan). */
export function yearEndTopLines(
  institutions: DemoResult['year']['settlement']['institutions'],
  ctx: Pick<CliContext, 'lang'>,
  /** A member of a community settled under a global budget is marked: its clearing is not paid separately. */
  members: CommunityMembers = new Map(),
): string[] {
  const top = [...institutions].sort((a, b) => b.yearEnd - a.yearEnd).slice(0, 5);
  return [
    t(ctx, '年度清算（前 5 家）', 'Year-end (top 5)'),
    ...top.map(
      (i) =>
        `  ${i.institutionCode}  ${t(ctx, '点数', 'points')} ${formatPoints(i.points)}  ${t(ctx, '年度清算额', 'year-end amount')} ${yuanText(i.yearEnd, ctx.lang)}  ${t(ctx, '已支付', 'paid')} ${yuanText(i.monthlyPaid + i.advance, ctx.lang)}  ${t(ctx, '清算支付额', 'clearing payment')} ${yuanText(i.clearing, ctx.lang)}${memberMark(members.get(i.institutionCode), ctx.lang)}`,
    ),
  ];
}

/** The hospital side of the demo: its expected payment and profit, the groups and departments that lose most. */
export function hospitalLines(h: DemoHospital, method: 'dip' | 'drg', ctx: Pick<CliContext, 'lang'>): string[] {
  const lines = [
    t(
      ctx,
      `医院端（${h.institutionCode} ${h.name}，${h.cases} 例，按年度点值测算）：预测支付 ${yuanText(h.payment, 'zh')}，医疗费用总额 ${yuanText(h.cost, 'zh')}，预测盈亏 ${yuanText(h.profit, 'zh')}`,
      `Hospital side (${h.institutionCode} ${h.name}, ${countOf(h.cases, 'case', 'cases')} at the year-end point value): expected payment ${yuanText(h.payment, 'en')}, total medical cost ${yuanText(h.cost, 'en')}, profit/loss ${yuanText(h.profit, 'en')}`,
    ),
  ];
  const loss = (label: string, ls: DemoHospital['lossGroups']) => {
    lines.push(`  ${label}${t(ctx, '：', ':')}`);
    for (const l of ls) {
      // A department by its code and its name in the asked language (en showed 28 重症医学科).
      const department = l.dimension === 'department';
      const code = department
        ? l.code || t(ctx, '（未填）', '(blank)')
        : l.code
          ? groupLabel(l.code, ctx.lang)
          : t(ctx, '（未入组）', '(none)');
      const name = department ? departmentName(l.code, ctx.lang) || l.name : l.name;
      lines.push(
        `    ${code} ${name}  ${t(ctx, '病例', 'cases')} ${l.cases}  ${t(ctx, '预测盈亏', 'profit/loss')} ${yuanText(l.profit, ctx.lang)}`,
      );
    }
  };
  loss(
    t(
      ctx,
      `亏损最多的 5 个${method === 'dip' ? '病种' : '病组'}`,
      `the 5 ${method === 'dip' ? 'DIP groups' : 'DRGs'} that lose most`,
    ),
    h.lossGroups,
  );
  loss(t(ctx, '亏损最多的 5 个科室', 'the 5 departments that lose most'), h.lossDepartments);
  lines.push(`  ${t(ctx, '医院工作簿：', 'hospital workbook: ')}${h.file}`);
  return lines;
}

/**
 * The item pricing's line. Its patient figure is own pay (丙类, excluded services) + the 乙类 self-pay share of the
 * priced items — the pricing is given no deductible or coinsurance — so it is named so (walk3: it read 患者负担
 * 19,127,903.76 beside the statements' 55,138,695.64 and the community sheet's 52,808,865.39, nothing saying why).
 */
export function ffsLine(
  f: Pick<
    NonNullable<DemoResult['ffs']>,
    'settlements' | 'items' | 'billed' | 'patientPaid' | 'excludedSettlements' | 'listedDiffers'
  >,
  ctx: Pick<CliContext, 'lang'>,
): string {
  return t(
    ctx,
    `按项目计价（费用明细，R-PAY-FFS）：${f.settlements} 例 ${f.items} 项，合计 ${yuanText(f.billed, 'zh')}，其中自费及乙类先行自付 ${yuanText(f.patientPaid, 'zh')}（按目录类别，不含起付线与共付）；全部为除外项目的 ${f.excludedSettlements} 例；明细金额与单价×数量不符 ${f.listedDiffers} 项`,
    `Fee-for-service pricing (R-PAY-FFS): ${f.settlements} settlements, ${f.items} items, billed ${yuanText(f.billed, 'en')}, of which own pay and class-B self-pay ${yuanText(f.patientPaid, 'en')} (by catalog class; deductible and coinsurance not included); ${f.excludedSettlements} wholly excluded; ${f.listedDiffers} lines whose amount differs from price × quantity`,
  );
}

function demoText(r: DemoResult, db: string, ctx: CliContext): string {
  const m = r.manifest;
  const y = r.year;
  const lines: string[] = [];
  lines.push(
    t(
      ctx,
      `示范统筹区 ${m.region.name}（${m.region.counties.length} 个区县、${m.counts.institutions} 家定点医疗机构、${m.region.communities.length} 个医共体），${m.years.join('/')} 年共 ${m.counts.cases} 例住院结算清单`,
      `Demo region ${m.region.name} (${m.region.counties.length} counties, ${m.counts.institutions} institutions, ${m.region.communities.length} medical communities), ${m.counts.cases} inpatient settlements in ${m.years.join('/')}`,
    ),
  );
  lines.push('', t(ctx, '质控入库（R-DATA-1）', 'QC ingest (R-DATA-1)'));
  lines.push(...qcTableLines(r.ingest, ctx));
  const c = y.counts;
  lines.push(
    '',
    t(
      ctx,
      `复合支付 ${m.currentYear} 年：住院病例 ${c.current} 例 = 按床日 ${c.perDiem} + 按病种 ${c.singleDisease} + ${y.method.toUpperCase()} ${c.caseMethod}（同一预算、同一点数池）`,
      `Compound payment ${m.currentYear}: ${c.current} inpatient cases = per-bed-day ${c.perDiem} + single-disease ${c.singleDisease} + ${y.method.toUpperCase()} ${c.caseMethod} (one budget, one point pool)`,
    ),
  );
  lines.push(`  ${t(ctx, '政策文件：', 'policies: ')}${listText(Object.values(y.policies), ctx)}`);
  lines.push(poolSummaryText(y.settlement, ctx.lang, r.communityMembers));
  if (y.drg) {
    const cmi = y.drg.indicators.map((i) => `${i.key} ${i.cmi.toFixed(2)}`).slice(0, 6);
    // never 100% while a case is ungrouped (it said 100.0% with 5,971 of 5,972 grouped)
    const share = shareText(y.drg.groupedShare);
    const weighted = y.drg.weights.weights.size;
    // zh in full-width punctuation and a list with 、 (it read "DRG 入组率：98.9%; 权重：94 DRG; CMI: H1 1.15, …").
    lines.push(
      t(
        ctx,
        `  DRG 入组率：${share}；权重：${weighted} 个病组；CMI：${listText(cmi, ctx)} …`,
        `  DRG grouped: ${share}; weights: ${countOf(weighted, 'DRG', 'DRGs')}; CMI: ${listText(cmi, ctx)} …`,
      ),
    );
  }
  if (r.ffs) lines.push(ffsLine(r.ffs, ctx));
  if (r.capitation) lines.push('', capitationSummaryText(r.capitation, ctx.lang, r.capBudgetPolicy));
  lines.push('', ...yearEndTopLines(y.settlement.institutions, ctx, r.communityMembers));
  if (r.hospital) lines.push('', ...hospitalLines(r.hospital, y.method, ctx));
  if (r.community) {
    const c = r.community;
    lines.push(
      '',
      t(
        ctx,
        `县域医共体 ${c.result.year}（读取结算运行 ${c.result.runId}）`,
        `County medical communities ${c.result.year} (from settlement run ${c.result.runId})`,
      ),
    );
    lines.push(communitySummaryText(c.result, ctx.lang));
    lines.push(`  ${t(ctx, '医共体工作簿：', 'community workbook: ')}${c.file}`);
  }
  if (r.monitor) {
    const mo = r.monitor;
    const top = Object.entries(mo.byRule)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 6)
      .map(([id, n]) => `${id} ${n}`);
    lines.push(
      '',
      t(
        ctx,
        `智能监控 ${m.currentYear}（全年全量审核，运行 ${mo.monitorRunId}，随结算运行 ${r.run.id} 存储）：病例 ${mo.cases}，疑点 ${mo.flags}`,
        `Smart monitoring ${m.currentYear} (whole year, run ${mo.monitorRunId}, stored with settlement run ${r.run.id}): ${countOf(mo.cases, 'case', 'cases')}, ${countOf(mo.flags, 'flag', 'flags')}`,
      ),
    );
    if (top.length > 0) lines.push(`  ${t(ctx, '疑点最多的规则：', 'rules with most flags: ')}${listText(top, ctx)}`);
    lines.push(
      `  ${t(ctx, '疑点清单：', 'flag queue: ')}GET /api/monitor/flags · ${t(ctx, '工作台“监控疑点”', 'workbench "Monitoring queue"')} · yibao explain flag <${t(ctx, '疑点编号', 'flag id')}> --db ${db}`,
    );
  }
  lines.push('', `${t(ctx, '存储：', 'store: ')}${db}`);
  lines.push(statementsLine(r.files, ctx));
  lines.push(timeLine(r.seconds, ctx));
  lines.push(
    t(
      ctx,
      `解释任一病例或机构：yibao explain case <结算ID> / yibao explain settlement <机构编码>（--db ${db}）`,
      `Explain any case or institution: yibao explain case <setl_id> / yibao explain settlement <institution> (--db ${db})`,
    ),
  );
  return lines.join('\n');
}
