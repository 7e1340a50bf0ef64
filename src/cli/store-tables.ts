/**
 * The store's tables and money columns in the reader's words (glossary; the ingest kinds' own names for the tables
 * a file is ingested into), for `yibao store push`: its summary and its `--tables` errors.
 */

import { KINDS } from '../ingest/kinds/index.ts';
import { fenToYuan } from '../model/money.ts';
import { distance, nearest } from '../store/location.ts';

type Words = { zh: string; en: string };

/** Tables that no ingest kind names: records of runs, results, code lists, monitoring. */
const OTHER_TABLES: Readonly<Record<string, Words>> = {
  codes: { zh: '编码目录', en: 'code lists' },
  code_maps: { zh: '编码对照', en: 'code maps' },
  code_translations: { zh: '编码对照结果', en: 'code translations' },
  rejects: { zh: '拒收记录', en: 'rejected rows' },
  runs: { zh: '运行记录', en: 'run records' },
  settlement_runs: { zh: '结算运行', en: 'settlement runs' },
  run_policies: { zh: '结算运行的政策文件', en: 'policy files of the runs' },
  run_derived: { zh: '结算运行的测算结果', en: 'derived values of the runs' },
  run_units: { zh: '病例与人头结果', en: 'case and head results' },
  run_pools: { zh: '资金池结果', en: 'pool results' },
  run_pool_months: { zh: '资金池月度结果', en: 'pool months' },
  run_institution_months: { zh: '机构月度预结算', en: 'institution months' },
  run_institution_year: { zh: '机构年度清算', en: 'institution years' },
  run_groups: { zh: '病种与病组结果', en: 'group results' },
  run_unit_amounts: { zh: '病例结算金额', en: 'settled amounts of the cases' },
  community_budgets: { zh: '医共体预算', en: 'community budgets' },
  api_audit: { zh: '接口访问记录', en: 'API audit log' },
  monitor_runs: { zh: '智能监控运行', en: 'monitoring runs' },
  monitor_flags: { zh: '智能监控疑点', en: 'monitoring flags' },
  monitor_indicators: { zh: '智能监控指标', en: 'monitoring indicators' },
  monitor_scores: { zh: '智能监控评分', en: 'monitoring scores' },
  monitor_reviews: { zh: '疑点复核', en: 'flag reviews' },
};

/** The money columns the push summary shows (glossary: 医疗费用总额 = medfee_sumamt). */
const MONEY_COLUMNS: Readonly<Record<string, Words>> = {
  medfee_sumamt: { zh: '医疗费用总额', en: 'total medical cost' },
  det_item_fee_sumamt: { zh: '明细项目费用总额', en: 'line amount' },
};

/** A table of the store in the reader's words (the table's own name when it has none). */
export function tableWords(table: string, lang: 'zh' | 'en'): string {
  const kind = Object.values(KINDS).find((k) => k.table === table);
  const w = kind ? { zh: kind.zh, en: kind.en } : OTHER_TABLES[table];
  return w ? w[lang] : table;
}

/** A money column of the push summary in the reader's words, or undefined when the summary does not show it. */
export function moneyColumnWords(column: string, lang: 'zh' | 'en'): string | undefined {
  return MONEY_COLUMNS[column]?.[lang];
}

/**
 * The error text for `--tables` names the store does not have: each with the nearest valid name, then every valid
 * name with its words (the names are what --tables takes, so they stay as they are).
 */
export function unknownTablesText(unknown: readonly string[], valid: readonly string[], lang: 'zh' | 'en'): string {
  const one = (x: string) => {
    const near = nearest(x, valid);
    const close = distance(x, near) <= Math.max(2, Math.floor(x.length / 3));
    return close ? (lang === 'zh' ? `${x}（是否想写 ${near}？）` : `${x} (did you mean ${near}?)`) : x;
  };
  // A name in brackets after the words (settlement lists (cases)) is dropped: the name stands before them.
  const words = (v: string) => tableWords(v, lang).replace(/ \([^)]*\)$/, '');
  return lang === 'zh'
    ? `--tables：没有这些表：${unknown.map(one).join('、')}。可交接的表（逗号分隔）：${valid.map((v) => `${v}（${words(v)}）`).join('、')}`
    : `--tables: no such tables: ${unknown.map(one).join(', ')}. Tables that can be pushed (comma-separated): ${valid.map((v) => (words(v) === v ? v : `${v} (${words(v)})`)).join(', ')}`;
}

/**
 * One table of the push summary: its words, rows and the money totals it was checked by, e.g.
 * `结算清单：2993 行  医疗费用总额 35956060.94 元（0.2 秒）`.
 */
export function pushSummaryLine(
  m: { table: string; rows: number; moneyFen: Readonly<Record<string, number>>; seconds: number },
  lang: 'zh' | 'en',
): string {
  const money = Object.entries(m.moneyFen)
    .flatMap(([k, v]) => {
      const words = moneyColumnWords(k, lang);
      return words ? [`  ${words} ${fenToYuan(v)}${lang === 'zh' ? ' 元' : ''}`] : [];
    })
    .join('');
  const s = m.seconds.toFixed(1);
  return lang === 'zh'
    ? `${tableWords(m.table, 'zh')}：${m.rows} 行${money}（${s} 秒）`
    : `${tableWords(m.table, 'en')}: ${m.rows} rows${money} (${s} s)`;
}
