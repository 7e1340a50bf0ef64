/**
 * Statements of a policy what-if run (政策模拟测算): the same sheets as an issued run's, each saying it is a simulation
 * that was not issued — a what-if's workbook passed on without its folder must not be read as the agency's
 * statement. Every sheet's title starts with 模拟测算（未发布） (en "simulation"), every CSV's name ends in
 * `-simulation`, and each workbook opens on a sheet saying what it is, the run, and the issued run it was compared
 * with (which stays in force). Pure.
 */
import { type AnyTable, col, type Table } from './table.ts';

export const SIMULATION: readonly [zh: string, en: string] = ['模拟测算（未发布）', 'simulation, not issued'];

/** The what-if run whose statements these are. */
export interface SimulationOf {
  runId: string;
  /** The issued run it was compared with (the run in force). */
  baseRunId: string;
  region: string;
  year: number;
  /** The changes it made, in words (`区域总额预算与结算 · 基金预算 · 增长率：0.05 → 0.1`), each with its clause. */
  changes?: readonly { zh: string; en: string; source?: string }[];
}

/** Excel's longest sheet name. */
const SHEET_NAME_MAX = 31;

/** A what-if's file stem: the issued run's stem with `-simulation` after it (CSV and JSON Lines files alike). */
export function simulationFileStem(stem: string): string {
  return `${stem}-simulation`;
}

/** The en mark before a what-if sheet's title. */
const EN_MARK = 'simulated ';

/** Shorter en titles for sheets whose title would not fit beside the mark in Excel's 31 characters. */
const SHORT_EN: Readonly<Record<string, string>> = {
  'pooling region summary': 'region summary',
  'annual totals and prepayment': 'totals and prepayment',
  'group surplus and overspend': 'surplus by group',
  'monthly pre-settlement': 'month pre-settlement',
  'visits fitting no head': 'visits with no head',
};

/**
 * A what-if's en sheet title: `simulated <title>` within Excel's 31 characters — a long title by its shorter name,
 * else cut after a whole word with … (never mid-word; walk7 #12 found `simulation - year-end settleme…`).
 */
export function simulationSheetTitleEn(title: string): string {
  const room = SHEET_NAME_MAX - EN_MARK.length;
  const t = title.length > room ? (SHORT_EN[title] ?? title) : title;
  if (t.length <= room) return `${EN_MARK}${t}`;
  const words = t.split(' ');
  let cut = '';
  for (const w of words) {
    const next = cut ? `${cut} ${w}` : w;
    if (next.length + 1 > room) break;
    cut = next;
  }
  return `${EN_MARK}${cut || t.slice(0, room - 1)}…`;
}

/**
 * A table of a what-if's statements: its title (sheet name) begins with the mark — 模拟测算（未发布）, en "simulated"
 * (the first sheet says "not issued"; Excel allows 31 characters in a sheet name, so a long en title goes by a shorter
 * name rather than losing the mark) — and its file name ends with `-simulation`.
 */
export function simulationTable<T extends AnyTable>(t: T): T {
  return {
    ...t,
    name: simulationFileStem(t.name),
    zh: `${SIMULATION[0]}${t.zh}`,
    en: simulationSheetTitleEn(t.en ?? t.zh),
  };
}

/** The first sheet of a what-if's workbook: what it is, in words, with the two runs. */
export function simulationNoticeTable(s: SimulationOf): Table {
  const words = new Map<string, string>();
  const item = (zh: string, en: string, text: string, textEn = text) => {
    words.set(zh, en);
    if (text !== textEn) words.set(text, textEn);
    return { item: zh, text };
  };
  return {
    name: 'simulation',
    zh: SIMULATION[0],
    en: SIMULATION[1],
    columns: [
      col('item', 'text', '项目', 'item', { label: (v, lang) => (lang === 'zh' ? v : (words.get(v) ?? v)) }),
      col('text', 'text', '内容', 'text', { label: (v, lang) => (lang === 'zh' ? v : (words.get(v) ?? v)) }),
    ],
    rows: [
      item(
        '说明',
        'what this is',
        '政策模拟测算（未发布）：按改动后的政策重新测算的结果，不是经办机构发出的结算单，不作为结算、拨付依据',
        'a policy simulation, not issued: the year settled again under changed policy values — not a statement the agency issued, and no basis for any payment',
      ),
      ...(s.changes ?? []).flatMap((c, i) => {
        const n = (s.changes ?? []).length > 1 ? ` ${i + 1}` : '';
        return [
          item(`政策改动${n}`, `policy change${n}`, c.zh, c.en),
          ...(c.source ? [item(`改动${n}的条款（现行）`, `clause of change${n} (in force)`, c.source)] : []),
        ];
      }),
      item('模拟运行', 'simulation run', s.runId),
      item('对比的已发布结算运行（仍在用）', 'compared with the issued run (still in force)', s.baseRunId),
      item('统筹区', 'pooling region', s.region),
      item('年度', 'year', String(s.year)),
    ],
  };
}

/** One institution's year end in the issued run and the what-if (fen). */
export interface ComparisonLine {
  code: string;
  name: string;
  level: string | null;
  baseYearEndFen: number;
  whatIfYearEndFen: number;
  baseClearingFen: number;
  whatIfClearingFen: number;
}

/**
 * `num / den` as exact decimal text, half away from zero, with 4 places (a percentage with 2: 0.0455 = 4.55%) — more
 * places (up to 8) while a non-zero change would read 0 (a fen of the split on 50,000 yuan: walk7 #14).
 */
export function changeFraction(num: number, den: number): string {
  if (den === 0) return '';
  const n = BigInt(Math.abs(num));
  const d = BigInt(Math.abs(den));
  const sign = num < 0 !== den < 0 && num !== 0 ? '-' : '';
  for (let places = 4; ; places++) {
    const unit = 10n ** BigInt(places);
    const scaled = (n * unit * 2n + d) / (2n * d);
    if (scaled !== 0n || n === 0n || places === 8) {
      const whole = (scaled / unit).toString();
      const part = (scaled % unit).toString().padStart(places, '0');
      return `${scaled === 0n ? '' : sign}${whole}.${part}`;
    }
  }
}

/**
 * Each institution's year-end amount and clearing payment in the issued run beside the what-if, with the difference
 * and the change in percent — the table `settle --what-if` writes (`<pool>-comparison-simulation.csv` and a sheet)
 * and the workbench's what-if screen exports; a 合计 row sums the money.
 */
export function comparisonTable(
  name: string,
  lines: readonly ComparisonLine[],
  levelLabel: (level: string, lang: 'zh' | 'en') => string,
): Table {
  return {
    name,
    zh: '各机构对比（已发布与模拟）',
    en: 'vs issued',
    total: 'name',
    columns: [
      col('code', 'text', '机构编码', 'code'),
      col('name', 'text', '机构名称', 'name'),
      col('level', 'text', '医院等级', 'level', { label: levelLabel }),
      col('base', 'money', '年度清算额（已发布）', 'year-end amount (issued)'),
      col('whatIf', 'money', '年度清算额（模拟）', 'year-end amount (simulated)'),
      col('difference', 'money', '差额', 'difference'),
      col('percent', 'decimal', '变化率', 'change', { percent: true, digits: 2, sum: false }),
      col('baseClearing', 'money', '清算支付额（已发布）', 'clearing payment (issued)'),
      col('whatIfClearing', 'money', '清算支付额（模拟）', 'clearing payment (simulated)'),
      col('clearingDifference', 'money', '清算支付额差额', 'clearing payment difference'),
    ],
    rows: lines.map((l) => ({
      code: l.code,
      name: l.name,
      level: l.level ?? '',
      base: l.baseYearEndFen,
      whatIf: l.whatIfYearEndFen,
      difference: l.whatIfYearEndFen - l.baseYearEndFen,
      percent: changeFraction(l.whatIfYearEndFen - l.baseYearEndFen, l.baseYearEndFen),
      baseClearing: l.baseClearingFen,
      whatIfClearing: l.whatIfClearingFen,
      clearingDifference: l.whatIfClearingFen - l.baseClearingFen,
    })),
  };
}
