/**
 * The previous year's mean cost of each DIP group at each institution level (上一年度同级别病种次均费用) as a settlement's
 * published folder carries it: the deviating-case standard of the `dip` policy's `deviationStandard: group-mean-cost`
 * (DIP 技术规范 2.0 偏差病例). One row per group × level: the group's code (`K35.8|47.0100`, `K35#surgery`), the level
 * (`3`, `2`, `1`, `primary` or 三级/level 3 …), the mean in yuan for reading and exactly in fen (`num/den`), which is
 * what an estimate compares with — the agency judged its cases by the exact mean, not the rounded one.
 */
import { basename } from 'node:path';
import type { InstitutionLevel } from '../../model/institution.ts';
import { LEVEL_EN, LEVEL_ZH } from '../../model/institution.ts';
import { parseDecimal, type Ratio, ratio } from '../../model/money.ts';
import { groupMeanKey } from '../../payment/dip/engine.ts';
import { readCsvTable } from '../../tables/index.ts';
import { HospitalError } from '../types.ts';

/** The columns, zh and en headers: what the settlement writes and what `readGroupMeansFile` reads (either language). */
export const GROUP_MEANS_COLUMNS = {
  group: ['病种编码', 'group code'],
  level: ['医院等级', 'level'],
  yuan: ['上一年度同级别次均费用（元）', "previous year's same-level mean cost (yuan)"],
  exact: ['次均费用（分，精确值）', 'mean cost (fen, exact)'],
} as const;

const LEVELS = Object.keys(LEVEL_ZH) as InstitutionLevel[];

function levelOf(text: string): InstitutionLevel | undefined {
  const t = text.trim();
  return LEVELS.find((l) => l === t || LEVEL_ZH[l] === t || LEVEL_EN[l].toLowerCase() === t.toLowerCase());
}

/** Group × level → mean cost in fen, exact (`groupMeanKey`). Every unreadable cell names the file, row and column. */
export function readGroupMeansFile(path: string): Map<string, Ratio> {
  const { rows } = readCsvTable(path, basename(path));
  const [header, ...body] = rows;
  const col = (k: keyof typeof GROUP_MEANS_COLUMNS) =>
    (header ?? []).findIndex((h) => GROUP_MEANS_COLUMNS[k].some((n) => n.toLowerCase() === h.trim().toLowerCase()));
  const at = { group: col('group'), level: col('level'), yuan: col('yuan'), exact: col('exact') };
  const bad = (row: number, k: keyof typeof GROUP_MEANS_COLUMNS, zh: string, en: string): never => {
    const [hz, he] = GROUP_MEANS_COLUMNS[k];
    throw new HospitalError(
      'GROUP_MEANS_INVALID',
      `同级别病种次均费用 ${path} 第 ${row} 行「${hz}」：${zh}`,
      `the same-level group means ${path}, row ${row}, column "${he}": ${en}`,
    );
  };
  if (at.group < 0) bad(1, 'group', '缺少该列', 'the column is missing');
  if (at.level < 0) bad(1, 'level', '缺少该列', 'the column is missing');
  if (at.exact < 0 && at.yuan < 0)
    bad(1, 'exact', '缺少该列（或次均费用（元））', 'the column is missing (or the mean in yuan)');
  const means = new Map<string, Ratio>();
  body.forEach((r, i) => {
    const row = i + 2;
    if (r.every((c) => c.trim() === '')) return;
    const group = (r[at.group] ?? '').trim();
    if (group === '') bad(row, 'group', '应为病种编码（如 K35#surgery）', 'expected a group code (e.g. K35#surgery)');
    const level = levelOf(r[at.level] ?? '');
    if (!level) bad(row, 'level', '应为 3、2、1 或 primary（三级、二级、一级、基层）', 'expected 3, 2, 1 or primary');
    const exact = at.exact >= 0 ? (r[at.exact] ?? '').trim() : '';
    let mean: Ratio | undefined;
    const m = /^(\d+)\s*\/\s*([1-9]\d*)$/.exec(exact);
    if (m) mean = ratio(BigInt(m[1]!), BigInt(m[2]!));
    else if (exact !== '')
      bad(
        row,
        'exact',
        `应为分数 num/den（分），而该格为「${exact}」`,
        `expected a fraction num/den (fen), found "${exact}"`,
      );
    else {
      const yuan = at.yuan >= 0 ? (r[at.yuan] ?? '').trim() : '';
      try {
        const y = parseDecimal(yuan);
        mean = ratio(y.num * 100n, y.den);
      } catch {
        bad(row, 'yuan', `应为金额（元），而该格为「${yuan}」`, `expected an amount in yuan, found "${yuan}"`);
      }
    }
    means.set(groupMeanKey(group, level!), mean!);
  });
  return means;
}
