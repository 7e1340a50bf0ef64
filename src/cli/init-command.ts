/**
 * `yibao init REGION [--year Y] [--out DIR] [--inpatient dip|drg]`: a policy folder for one's own region, written
 * from the shipped templates (policies/templates, and the demo's payment-mix and QC files) with the region, ids
 * and periods set, every file checked by the strict loader, and a README saying what each file decides.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { parsePolicy } from '../policy/loader.ts';
import { BUNDLED_POLICY_DIR } from '../policy/registry.ts';
import { markTemplateHeader, markTemplateSources } from '../policy/template-source.ts';
import { CliError, EXIT, t } from './context.ts';
import type { GetContext } from './main.ts';

interface Source {
  /** Path below the package's policies/. */
  from: string;
  kind: string;
  zh: string;
  en: string;
  /** The file's name before `-<year>.yaml` (default: the kind). */
  file?: string;
}

const SOURCES: Record<'dip' | 'drg', Source[]> = {
  dip: [
    {
      from: 'demo/payment-mix-2025.yaml',
      kind: 'payment-mix',
      zh: '住院病例按 DIP 还是 DRG 付费',
      en: 'whether inpatient cases are paid by DIP or DRG',
    },
    {
      from: 'templates/inner-mongolia-dip.yaml',
      kind: 'dip',
      zh: 'DIP 病种目录怎样测算（历史年度及权重、临界值、等级系数、辅助目录）、偏差病例与未入组病例怎样计分',
      en: 'how the DIP catalog is calibrated (history years and weights, threshold, level coefficients, auxiliary list) and how deviating and ungrouped cases score',
    },
    {
      from: 'templates/inner-mongolia-dip-settlement.yaml',
      kind: 'dip-settlement',
      zh: '基金预算、基金支付比例、点值、月预结算比例与质量保证金、年初预付、结余留用超支分担、月度预结算为负时的处理',
      en: 'the fund budget, fund payment ratio, point value, monthly pre-settlement and deposit, start-of-year advance, surplus/overspend sharing, negative months',
    },
    {
      from: 'demo/qc.yaml',
      kind: 'qc',
      zh: '结算清单质控的界值（最长住院天数、最大年龄、新生儿体重、住院天数容差）',
      en: 'settlement-list QC bounds (longest stay, oldest age, newborn weight, stay tolerance)',
    },
  ],
  drg: [],
};
// The settlement policy (kind `dip-settlement`, the budget and the point pool) serves DRG as much as DIP: a DRG
// region's file is named without DIP (it wrote dip-settlement-2025.yaml into a DRG region, walk3 #9). The kind keeps
// its id (stored runs and what-if paths name it).
SOURCES.drg = [
  ...SOURCES.dip
    .filter((s) => s.kind !== 'dip')
    .map((s) =>
      s.kind === 'dip-settlement'
        ? {
            ...s,
            file: 'settlement',
            zh: `${s.zh}（DIP、DRG 共用的区域点数法结算政策）`,
            en: `${s.en} (the regional point-pool settlement policy DIP and DRG share)`,
          }
        : s,
    ),
  {
    from: 'templates/harbin-drg-2024.yaml',
    kind: 'drg',
    zh: 'DRG 权重（本地测算或公布的权重表）、费率或点数法、等级系数、高低倍率病例',
    en: 'DRG weights (calibrated or a published table), base rate or points, level coefficients, outlier rules',
  },
];

/**
 * A region of one's own has no published weights beside its file, so its DRG weights are calibrated from its own
 * history; a published base rate (the template's Harbin 12,252.70 元) does not go with weights calibrated
 * elsewhere (a case of mean cost would be paid RW 1 × 12,252.70 whatever the region's costs), so the base rate
 * comes from the region's budget: 费率 = 基金预算 ÷ Σ 权重 (domain.md CHS-DRG). The note on published weights goes.
 */
function calibratedDrg(text: string): string {
  return (
    text
      .replace(
        /value: \{ method: file, file: [^}]*\}(\n {4}source: )"[^"\n]*"/,
        'value: { method: calibrate }$1"DRG 付费技术规范 权重 = 病组次均费用 ÷ 全部病例次均费用（本地前三年历史，rwCalibration）"',
      )
      .replace(
        /( {2}baseRate:\n {4}value: )\{[^}]*\}\n( {4}source: )"[^"\n]*"/,
        '$1budget\n$2"DRG 付费技术规范 费率 = 基金预算 ÷ 总权重（权重按本地历史测算，不用外地公布的费率）"',
      )
      .replace(/\n {4}note: "权重不按本地历史测算[^"\n]*"/, '')
      // How a region with its own published rates sets them: in a comment, not inside the clause, which stayed cited
      // by every explanation after the value was changed (as the budget's example note did, walk6 #5).
      .replace(/^ {2}baseRate:$/m, `${BASE_RATE_COMMENT}\n  baseRate:`)
      // Harbin's published base rate is not used (the rate comes from the budget): the file no longer implements it.
      .replace(/^(document: )哈尔滨 I 级费率 2024；/m, '$1')
      // The calibration's own note said the template's weights are imported, not calibrated: here they are.
      .replace(/ ?[(（]本模板权重为导入，不测算[)）]/, '（本地区按历史病例测算权重）')
      // The template's 1.1 scheme goes with Harbin's weights published for 1.1 groups; weights calibrated from the
      // region's own history go with the national scheme in force (CHS-DRG 2.0, the default elsewhere).
      .replace(
        /scheme: \{ value: chs-drg-1\.1, source: "[^"\n]*" \}/,
        'scheme: { value: chs-drg-2.0, source: "医保办发〔2024〕9号 CHS-DRG 2.0 分组方案（本地区按历史病例测算权重）" }',
      )
  );
}

/**
 * The shared settlement template in a DRG region (walk5 #11: its title named 按病种分值付费 and nothing said why a
 * DRG region's file is of kind dip-settlement): a DRG title and a header that says the kind is the shared
 * settlement policy's type name and is kept, and what a fixed 费率 uses of it. The clauses (document, sources) stay:
 * they are the template's own, marked for the region to replace.
 */
function drgSettlement(text: string): string {
  return text
    .replace(/^title: .*$/m, 'title: 区域总额预算与 DRG 付费结算参数（模板）')
    .replace(
      /^kind: /m,
      '# DRG 地区：kind 仍写 dip-settlement（DIP、DRG 共用的区域总额预算与结算政策的类型名，已存的结算运行引用它），不要改。DRG 按费率法且费率固定（drg 政策 baseRate: { employee: 元, resident: 元 }）时，病例按 RW × 费率 × 等级系数 付定额，不计点数：年度点值各项（pointValue、pointValueChange）不起作用，预算、基金支付比例、月度预结算、年初预付与年度清算照用。\n' +
        "# DRG region: keep kind dip-settlement (the type name of the regional budget and settlement policy DIP and DRG share; stored runs refer to it). With a fixed DRG base rate (the drg policy's baseRate: { employee: yuan, resident: yuan }) cases are paid RW × base rate × level coefficient as fixed amounts without points: the year-end point-value items (pointValue, pointValueChange) do not apply; the budget, fund payment ratio, monthly pre-settlement, advance and year-end settlement do.\nkind: ",
    );
}

/**
 * How the budget is set: by editing the file (there is no flag). Its source says the template's amount is an example
 * （金额为模板示例）; that note stayed after a user wrote the region's own amount (walk6 #5), so the comment above the
 * value says to edit the value, then cite the region's clause and delete the note (`policy check` warns until then).
 */
export const BUDGET_COMMENT = [
  '  # 基金预算：在本文件中直接改 value（{ method: given, amount: 元 }，或按 items 填写本年基金收入与各项支出）；改为本地区的预算后，把 source 改为本地区文件的条款，并删去「【模板条款，请改为本地区文件及条款】」和「（金额为模板示例）」。',
  '  # Fund budget: edit value here (there is no option for it): { method: given, amount: yuan }, or the items\' revenue and spending; once it is your region\'s budget, cite your own clause in source and delete "【模板条款，请改为本地区文件及条款】" and "（金额为模板示例）".',
].join('\n');

/** How the DRG base rate is set (by editing; `budget` derives it), and that a published rate cites its own document. */
export const BASE_RATE_COMMENT = [
  '  # 费率：budget 则费率 = 基金预算 ÷ 总权重；公布了本地费率时，在本文件中把 value 改为 { employee: 元, resident: 元 }，并把 source 改为公布费率的文件及条款（否则结算说明仍引用「费率 = 基金预算 ÷ 总权重」）。',
  '  # Base rate: budget derives it as the fund budget ÷ the total weights; with your own published rates write value: { employee: yuan, resident: yuan } here and cite the document that publishes them in source (else the explanations still cite the budget formula).',
].join('\n');

function budgetComment(text: string): string {
  return text.replace(/^ {2}budget:$/m, `${BUDGET_COMMENT}\n  budget:`);
}

/** The template text with this region's header, periods and history years. */
export function regionPolicyText(text: string, s: Source, region: string, year: number): string {
  let out = text
    .replace(/^region: .*$/m, `region: ${region}`)
    // The file's id after its file name: a DRG region's shared settlement policy is `REGION-settlement-YEAR`, not
    // `…-dip-settlement-…` (walk5 #11); the kind stays.
    .replace(/^id: .*$/m, `id: ${region}-${s.file ?? s.kind}-${year}`)
    .replace(/^version: .*$/m, `version: "${year}.1"`)
    .replace(
      /^effective: .*$/m,
      s.kind === 'qc' ? `effective: { from: ${year}-01-01 }` : `effective: { from: ${year}-01-01, to: ${year}-12-31 }`,
    )
    .replace(/years: \[\d{4}, \d{4}, \d{4}\]/, `years: [${year - 3}, ${year - 2}, ${year - 1}]`);
  if (s.kind === 'drg') out = calibratedDrg(out);
  if (s.kind === 'dip-settlement') out = budgetComment(out);
  if (s.kind === 'dip-settlement' && s.file === 'settlement') out = drgSettlement(out);
  // A demo file's opening comment describes the demo region (示范市…, the default QC of yibao itself): not the user's.
  if (s.from.startsWith('demo/')) out = out.replace(/^(?:#.*\n)+/, '');
  out = markTemplateHeader(markTemplateSources(out));
  return `# 由 yibao init ${region} 从 policies/${s.from} 生成（${year} 年）：逐项核对取值，并把 source 改为本地区文件的条款。\n# Written by yibao init from policies/${s.from}: check every value and cite your own region's clauses in source.\n${out}`;
}

/** The payment mix with the asked inpatient method, and a comment saying how to change it to the other one. */
function inpatientMethodText(text: string, inpatient: 'dip' | 'drg'): string {
  const [method, other] = inpatient === 'dip' ? ['DIP', 'DRG'] : ['DRG', 'DIP'];
  return text
    .replace(/inpatientCaseMethod:\n(\s+)value: \w+/, `inpatientCaseMethod:\n$1value: ${inpatient}`)
    .replace(
      /^kind: /m,
      `# 住院病例（按床日、按病种付费以外）按 ${method} 付费；改为按 ${other} 付费：把 inpatientCaseMethod 的 value 改为 ${other.toLowerCase()}，并写 ${other.toLowerCase()} 类型的政策文件（yibao init --inpatient ${other.toLowerCase()} 可生成）。\n# Inpatient cases (other than per-bed-day and single-disease) are paid by ${method}; for ${other} set inpatientCaseMethod's value to ${other.toLowerCase()} and add a ${other.toLowerCase()} policy file (yibao init --inpatient ${other.toLowerCase()} writes one).\nkind: `,
    );
}

export function initRegion(o: { region: string; year: number; out: string; inpatient: 'dip' | 'drg' }): string[] {
  if (!/^[a-z0-9][a-z0-9-]*$/i.test(o.region))
    throw new CliError(
      `地区代码只用字母、数字和连字符 / region code: letters, digits and hyphens only: ${o.region}`,
      EXIT.usage,
    );
  if (existsSync(o.out) && readdirSync(o.out).length > 0)
    throw new CliError(
      `${o.out} 已存在且不为空，不覆盖 / ${o.out} exists and is not empty: not overwritten`,
      EXIT.usage,
    );
  mkdirSync(o.out, { recursive: true });
  const written: string[] = [];
  const rows: string[] = [];
  for (const s of SOURCES[o.inpatient]) {
    const name = `${s.file ?? s.kind}-${o.year}.yaml`;
    let text = regionPolicyText(readFileSync(join(BUNDLED_POLICY_DIR, s.from), 'utf8'), s, o.region, o.year);
    if (s.kind === 'payment-mix') text = inpatientMethodText(text, o.inpatient);
    parsePolicy(text, join(o.out, name), POLICY_KINDS); // a template that no longer loads is a bug: fail here
    writeFileSync(join(o.out, name), text);
    written.push(join(o.out, name));
    rows.push(`| \`${name}\` | ${s.kind} | ${s.zh} / ${s.en} |`);
  }
  writeFileSync(join(o.out, 'README.md'), readme(o.region, o.year, rows, o.inpatient));
  written.push(join(o.out, 'README.md'));
  return written;
}

/** The values to edit first, by the inpatient method's files (a DRG folder has no `dip` file to edit). */
function editFirst(year: number, inpatient: 'dip' | 'drg'): string {
  const settlement = inpatient === 'drg' ? `settlement-${year}.yaml` : `dip-settlement-${year}.yaml`;
  const method =
    inpatient === 'drg'
      ? [
          `- \`drg-${year}.yaml\` 的 \`rwCalibration\`：\`yearWeights\` 是 ${year - 3}、${year - 2}、${year - 1} 年的权重（没有结算清单的年度写 0），\`minCases\` 是病组测算权重所需的最少历史病例数 / the history years' weights (0 for a year without data) and the fewest history cases a DRG needs for a weight;`,
          `- \`baseRate\`：\`budget\` 则费率 = 基金预算 ÷ 总权重，公布了本地费率则写 \`{ employee: 元, resident: 元 }\` / \`budget\`, or your published base rates;`,
          `- \`ungrouped\`：未入组病例按项目付费（\`items\`）还是暂不支付（\`hold\`）/ ungrouped cases paid by items or held.`,
        ]
      : [
          '- `dip` 的 `historyYears`：有结算清单的历史年度 / the history years you have data for;',
          '- `referencePointValue`：写数字（元/点）则按该值判定偏差病例，写 `opening` 则由历史测算 / a number, or `opening`;',
          "- `deviationStandard`、`costPaidCases`、`coreMatch`、`specialReviewByItems`：本地办法的读法（模板注明了取值理由）/ your rules' readings.",
        ];
  return [
    `- \`${settlement}\` 的 \`budget\`：本年度住院可分配基金总额（或 \`{ method: given, amount: 元 }\`），在文件中直接改；改后把 source 改为本地区条款，删去「（金额为模板示例）」/ this year's inpatient fund, edited in the file; then cite your own clause and delete the example note;`,
    ...method,
    `- \`${settlement}\` 的 \`negativeMonth\`、\`negativeMonthDeposit\`：月度预结算为负时的处理与质量保证金（模板注明了取值理由）/ negative months.`,
    `- \`${settlement}\` 的 \`unpaidCases\`：未入组且不计点数的病例（基金不予支付）其患者负担是否冲抵月度预结算、计入基金支付比例（默认 \`outside\` 不冲抵；模板注明了理由）/ whether the patients' payments of ungrouped cases paid nothing are netted.`,
    `- \`${settlement}\` 的 \`pointValueChange\`：年度点值与年初点值相差超过该比例（默认 50%）时结算会提示核对 / the point-value change that is reported.`,
    `- \`${settlement}\` 的 \`budgetPlausibility\`：预算低于上年度基金支付的 10% 或高于其 10 倍时结算会提示核对（模板的 budget 是示例金额，请改为本地区的预算）/ the budget check bounds; the template's budget is an example.`,
  ].join('\n');
}

function readme(region: string, year: number, rows: string[], inpatient: 'dip' | 'drg'): string {
  return `# ${region} 政策文件 / policy files (${year})

由 \`yibao init ${region}\` 从 yibao 自带的模板生成。每个文件一种政策类型（kind），每个取值都带 \`source\`（所依据的条款）；
改完后用 \`yibao policy check <本文件夹>\` 校验；导入定点医疗机构和结算清单（\`yibao ingest institutions 文件\`、
\`yibao ingest cases 文件\`，结算清单含历史年度 ${year - 3}–${year - 1} 与 ${year} 年，加 \`--policy <本文件夹>/qc-${year}.yaml\`），
再用 \`yibao settle --year ${year} --policies <本文件夹>\` 结算。
Written by \`yibao init ${region}\` from the templates shipped with yibao. One policy kind per file, every value with
its \`source\` (the clause it comes from). After editing run \`yibao policy check <this folder>\`; ingest the
institutions and the settlement lists (\`yibao ingest institutions FILE\`, \`yibao ingest cases FILE\`: the history years
${year - 3}–${year - 1} and ${year}, with \`--policy <this folder>/qc-${year}.yaml\`), then settle with
\`yibao settle --year ${year} --policies <this folder>\`.

| file | kind | 决定什么 / what it decides |
|---|---|---|
${rows.join('\n')}

先改 / edit first:
${editFirst(year, inpatient)}

其他支付方式（按床日、按病种、按人头、按项目）可从 yibao 的 \`policies/demo/\` 与 \`policies/panzhihua/\` 复制后改写；
见 yibao 的 policies/README.md。/ Other methods: copy from yibao's policies/demo and policies/panzhihua (policies/README.md).
`;
}

/**
 * What to do after `init`, in order: edit and check the policies, ingest the institutions and the settlement lists
 * (the history years and the year), then settle. It said "edit, check, then settle", and a settlement of an empty
 * store stops with "no store".
 */
export function nextSteps(region: string, year: number, out: string, lang: 'zh' | 'en'): string {
  const qc = `--policy ${join(out, `qc-${year}.yaml`)}`;
  const settle = `yibao settle --region ${region} --year ${year} --policies ${out}`;
  return lang === 'zh'
    ? [
        '下一步：',
        `  1. 编辑这些文件（先改 ${join(out, 'README.md')} 中列出的取值），再校验：yibao policy check ${out}`,
        `  2. 导入定点医疗机构：yibao ingest institutions 机构.csv ${qc}`,
        `  3. 导入结算清单（历史年度 ${year - 3}–${year - 1} 与 ${year} 年）：yibao ingest cases 结算清单.csv ${qc}`,
        `  4. 结算：${settle}`,
      ].join('\n')
    : [
        'next:',
        `  1. edit them (first the values ${join(out, 'README.md')} lists), then check: yibao policy check ${out}`,
        `  2. ingest the institutions: yibao ingest institutions institutions.csv ${qc}`,
        `  3. ingest the settlement lists (history years ${year - 3}–${year - 1} and ${year}): yibao ingest cases cases.csv ${qc}`,
        `  4. settle: ${settle}`,
      ].join('\n');
}

export function registerInitCommand(program: Command, getContext: GetContext): void {
  program
    .command('init')
    .description('为本地区生成一套政策文件（来自模板）/ write a policy folder for your region from the templates')
    .argument('<region>', '统筹区代码，如 city01 / pooling region code')
    .option('--year <yyyy>', '结算年度 / settlement year', '2025')
    .option('--out <dir>', '输出文件夹（默认 policies-<地区>）/ output folder (default policies-REGION)')
    .option('--inpatient <method>', 'dip | drg', 'dip')
    .action((region: string, o: { year: string; out?: string; inpatient: string }) => {
      const ctx = getContext();
      const year = Number(o.year);
      if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new CliError(`--year: ${o.year}?`, EXIT.usage);
      if (o.inpatient !== 'dip' && o.inpatient !== 'drg')
        throw new CliError(`--inpatient: ${o.inpatient}?`, EXIT.usage);
      const out = o.out ?? `policies-${region}`;
      const files = initRegion({ region, year, out, inpatient: o.inpatient });
      if (ctx.json) {
        process.stdout.write(`${JSON.stringify({ region, year, files })}\n`);
        return;
      }
      process.stdout.write(
        `${t(ctx, `已为 ${region} 写出 ${files.length} 个文件：`, `wrote ${files.length} ${files.length === 1 ? 'file' : 'files'} for ${region}:`)}\n`,
      );
      for (const f of files) process.stdout.write(`  ${f}\n`);
      process.stdout.write(`${nextSteps(region, year, out, ctx.lang)}\n`);
    });
}
