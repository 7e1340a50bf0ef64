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
}

/** Excel's longest sheet name. */
const SHEET_NAME_MAX = 31;

/** A what-if's file stem: the issued run's stem with `-simulation` after it (CSV and JSON Lines files alike). */
export function simulationFileStem(stem: string): string {
  return `${stem}-simulation`;
}

/**
 * A table of a what-if's statements: its title (sheet name) begins with the mark — 模拟测算（未发布）, en "simulation -"
 * (the first sheet says "not issued": Excel allows 31 characters in a sheet name, so a long en title is shortened
 * with "…" rather than losing the mark) — and its file name ends with `-simulation`.
 */
export function simulationTable<T extends AnyTable>(t: T): T {
  const mark = 'simulation - ';
  const title = t.en ?? t.zh;
  const room = SHEET_NAME_MAX - mark.length;
  return {
    ...t,
    name: simulationFileStem(t.name),
    zh: `${SIMULATION[0]}${t.zh}`,
    en: `${mark}${title.length > room ? `${title.slice(0, room - 1).trimEnd()}…` : title}`,
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
      item('模拟运行', 'simulation run', s.runId),
      item('对比的已发布结算运行（仍在用）', 'compared with the issued run (still in force)', s.baseRunId),
      item('统筹区', 'pooling region', s.region),
      item('年度', 'year', String(s.year)),
    ],
  };
}
