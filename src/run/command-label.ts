/**
 * A recorded run's command (`settle dip 2025`, `ingest cases`, `codes import icd10 map`, `monitor 2025`, `what-if …`)
 * and status (`ok`, `data-problems`, `failed`) in the reader's language (glossary.md): zh output shows 结算 DIP 2025,
 * 导入 结算清单, en settlement DIP 2025, ingest settlement lists (cases) — never the recorded command word or an enum.
 * The stored command stays as recorded (JSON keeps it, `runs --command` filters by it).
 */
import { isIngestKind, KINDS } from '../ingest/kinds/index.ts';
import { POLICY_KINDS } from '../policy/kinds/index.ts';

type Lang = 'zh' | 'en';

/** A recorded command's first words and how each language names them (glossary words, never the command word). */
const WORDS: readonly [prefix: string, zh: string, en: string][] = [
  ['dip settle', 'DIP 结算', 'DIP settlement'],
  ['settle', '结算', 'settlement'],
  ['demo settle', '示范 结算', 'demo settlement'],
  ['demo', '示范', 'demo'],
  ['api settle', '工作台发起 结算', 'workbench settlement'],
  ['api', '工作台发起', 'started in the workbench'],
  ['what-if', '政策模拟', 'policy what-if'],
  ['monitor', '智能监控', 'smart monitoring'],
  ['codes import', '导入编码', 'code import'],
];

/** The words after the command (a code list, the case method) in each language. */
const CODE_KIND: Readonly<Record<string, readonly [zh: string, en: string]>> = {
  icd10: ['ICD-10 诊断', 'ICD-10 diagnoses'],
  icd9: ['ICD-9-CM-3 手术操作', 'ICD-9-CM-3 procedures'],
  map: ['编码对照', 'code map'],
  dip: ['DIP', 'DIP'],
  drg: ['DRG', 'DRG'],
};

/**
 * The command of a run as the reader reads it, in words of the reader's language: `settle dip 2025` is 结算 DIP 2025
 * and settlement DIP 2025 (walk6 #3: en showed the recorded `settle dip`); an unknown command is shown as recorded.
 */
export function commandLabel(command: string, lang: Lang): string {
  const i = lang === 'zh' ? 0 : 1;
  const ingest = /^ingest (\S+)(.*)$/.exec(command);
  if (ingest) {
    const kind = ingest[1]!;
    return `${lang === 'zh' ? '导入' : 'ingest'} ${isIngestKind(kind) ? KINDS[kind][lang] : kind}${ingest[2]}`;
  }
  for (const [prefix, zh, en] of WORDS) {
    if (command !== prefix && !command.startsWith(`${prefix} `)) continue;
    const rest = command
      .slice(prefix.length)
      .trim()
      .split(' ')
      .filter((w) => w !== '')
      .map((w) => CODE_KIND[w]?.[i] ?? w);
    return [lang === 'zh' ? zh : en, ...rest].join(' ');
  }
  return command;
}

const STATUS: Readonly<Record<string, [zh: string, en: string]>> = {
  ok: ['成功', 'ok'],
  'data-problems': ['有数据问题', 'data problems'],
  failed: ['失败', 'failed'],
  running: ['进行中', 'running'],
};

/** A run's status in the reader's language; an unknown one is shown as recorded. */
export function runStatusLabel(status: string, lang: Lang): string {
  const w = STATUS[status];
  return w ? w[lang === 'zh' ? 0 : 1] : status;
}

/**
 * What an input of a run is (its recorded role: `cases`, `policy dip`, `year-end deductions`, `drg pack`), in the
 * reader's language (glossary words); an unknown role is shown as recorded.
 */
export function inputRoleLabel(role: string, lang: Lang): string {
  const yearEnd = /^year-end (.+)$/.exec(role)?.[1];
  if (yearEnd && isIngestKind(yearEnd)) return KINDS[yearEnd][lang];
  if (role === 'cases') return lang === 'zh' ? '结算清单' : 'settlement lists';
  if (role === 'drg pack') return lang === 'zh' ? 'DRG 分组方案' : 'DRG scheme';
  const policy = /^policy (.+)$/.exec(role)?.[1];
  if (policy) {
    // The kind's own name (区域点数法总额预算与结算), not its `kind:` word, in zh.
    const kind = POLICY_KINDS.get(policy);
    const name = kind ? kind[lang] : policy;
    return lang === 'zh' ? `政策文件（${name}）` : `policy file (${name})`;
  }
  return role;
}

/**
 * An input of a run as a reader names it: a file by its role and path (`政策文件（…） policies/x.yaml`); rows read
 * from the store (`store:year-end/special-review/2025`, `store:cases/2025`) by what they are and their year
 * (`已入库的 2025 年特例单议结果`), not by the store's internal name.
 */
export function inputLabel(input: { path: string; role: string }, lang: Lang): string {
  const label = inputRoleLabel(input.role, lang);
  const year = /^store:(?:cases|year-end\/[a-z-]+)\/(\d{4})$/.exec(input.path)?.[1];
  if (!year) return `${label} ${inputName({ path: input.path }, lang)}`;
  return lang === 'zh' ? `已入库的 ${year} 年${label}` : `the stored ${year} ${label}`;
}

/** The mark of a policy file a what-if changed, before the base run's path (`what-if:policies/demo/dip-2025.yaml`). */
export const WHAT_IF_FILE = 'what-if:';

/**
 * A run input as a reader sees it: rows read from the store in words (已入库的 2025 年结算清单), a policy file a what-if
 * changed by the base run's path with the change said (…/dip-settlement-2025.yaml（政策模拟修改）), a file by its path.
 */
export function inputName(input: { path: string; role?: string | undefined }, lang: Lang): string {
  if (input.path.startsWith('store:') && input.role !== undefined)
    return inputLabel({ path: input.path, role: input.role }, lang);
  if (input.path.startsWith(WHAT_IF_FILE)) {
    const path = input.path.slice(WHAT_IF_FILE.length);
    return lang === 'zh' ? `${path}（政策模拟修改）` : `${path} (changed by the what-if)`;
  }
  return input.path;
}

/**
 * What a run input's recorded `bytes` counts: rows read from the store (`store:cases/2025`, `store:year-end/…`) keep
 * their row count there (the store has no file to measure), a file its size in bytes.
 */
export function inputSize(input: { path: string; bytes: number }): { rows: number } | { bytes: number } {
  return input.path.startsWith('store:') ? { rows: input.bytes } : { bytes: input.bytes };
}

/** What a settlement run derived and kept (run_derived.kind), in the reader's words. */
const DERIVED: Record<string, readonly [zh: string, en: string]> = {
  'opening-point-value': ['年初点值', 'opening point value'],
  'last-year-fund-paid': ['上年度各机构基金支付', "last year's pooled-fund payment by institution"],
  classification: ['手术操作分类', 'procedure classification'],
  'dip-catalog': ['病种分值目录', 'DIP catalog'],
  'dip-group-means': ['上一年度同级别病种次均费用', "previous year's same-level group mean costs"],
  'special-review-decisions': ['特例单议结果', 'special-review decisions'],
  'dip-reference-point-value': ['参考点值', 'reference point value'],
  'drg-weights': ['DRG 权重', 'DRG weights'],
  'drg-indicators': ['DRG 指标（CMI 等）', 'DRG indicators (CMI and others)'],
  'capitation-heads': ['按人头付费测算依据', 'capitation basis'],
  // walk4 #14: the run page listed these three by their stored kind (case-amount-rounding, per-diem-rates, …).
  'case-amount-rounding': ['病例结算金额分配取整规则', 'rounding of the case amounts'],
  'per-diem-rates': ['按床日付费定额', 'per-bed-day fixed standards'],
  'single-disease-standards': ['按病种付费定额', 'single-disease fixed standards'],
  // Stored by explall so that `explain settlement` reads capitation's year end instead of settling it again.
  'capitation-year-end': ['按人头付费年度清算', 'capitation year end'],
};

/** Whether a derived kind has words in both languages (a test keeps every kind a run stores labelled). */
export const hasDerivedWords = (kind: string): boolean => kind in DERIVED;

/** Names of derived items that are words, not identifiers (the DRG indicators' level, the classified codes). */
const DERIVED_NAME: Record<string, readonly [zh: string, en: string]> = {
  institution: ['按机构', 'by institution'],
  department: ['按科室', 'by department'],
  procedures: ['手术操作', 'procedures'],
};

/**
 * One item a settlement run derived, as the workbench lists it: what it is and its name in the reader's words
 * (`病种分值目录 · demo-dip-2025-catalog（2,629 字节）`), not the stored kind (`dip-catalog · … (2629 B)`).
 */
export function derivedText(d: { kind: string; name: string; bytes: number }, lang: Lang): string {
  const i = lang === 'zh' ? 0 : 1;
  const kind = DERIVED[d.kind]?.[i] ?? d.kind;
  const name = DERIVED_NAME[d.name]?.[i] ?? d.name;
  const size = d.bytes.toLocaleString('en-US');
  return lang === 'zh' ? `${kind} · ${name}（${size} 字节）` : `${kind} · ${name} (${size} bytes)`;
}

/** A policy file as a run names it: `demo-dip-2025 v2025.1`. */
const POLICY_NAMED = /^\S+ v\S+$/;

/**
 * The policy files a recorded run applied, as one text, and its note when the note says something else. A
 * settlement's run log entry keeps every policy file it applied in its note (`demo-capitation-2025 v2025.1,
 * demo-dip-2025 v2025.1, …`) and one of them (the last) as its `policy`; shown each on its own, `yibao runs` named
 * that policy twice, once unlabelled. An ingest keeps its QC policy alone, and a note of its own (replaced rows).
 */
export function runPolicies(
  r: { policy?: { id: string; version: string }; message?: string },
  lang: 'zh' | 'en' = 'en',
): {
  policies?: string;
  note?: string;
} {
  const one = r.policy ? `${r.policy.id} v${r.policy.version}` : undefined;
  const listed = r.message?.split(', ') ?? [];
  if (one !== undefined && listed.includes(one) && listed.every((p) => POLICY_NAMED.test(p)))
    return { policies: policyListText(r.message!, lang) };
  return { ...(one ? { policies: one } : {}), ...(r.message ? { note: r.message } : {}) };
}

/**
 * A run's list of policy files (stored as `a v1, b v2`) in the reader's language: separated by 、 in zh (a list of
 * names in Chinese text), by a comma in en. A note that is not such a list is returned as it is.
 */
export function policyListText(message: string, lang: 'zh' | 'en'): string {
  const listed = message.split(', ');
  if (lang !== 'zh' || !listed.every((p) => POLICY_NAMED.test(p))) return message;
  return listed.join('、');
}
