/**
 * What `settle --out` wrote, in a few lines (a region's run writes hundreds of files, one workbook per institution,
 * and the terminal listed each): how many of each kind, the folder, the workbooks a user opens first, the
 * institutions' own workbooks as their folder and count, and where the full list is (each method folder's
 * `.yibao-files`, or `--verbose`). zh in full-width punctuation.
 */
import { dirname } from 'node:path';
import { countOf } from '../report/labels.ts';

type Lang = 'zh' | 'en';

const KINDS: readonly [ext: string, zh: string, en: readonly [one: string, many: string]][] = [
  ['.xlsx', 'Excel 工作簿', ['workbook', 'workbooks']],
  ['.csv', 'CSV 文件', ['CSV file', 'CSV files']],
  ['.jsonl', 'JSON Lines 文件', ['JSON Lines file', 'JSON Lines files']],
  ['.json', 'JSON 文件', ['JSON file', 'JSON files']],
];

const PER_INSTITUTION = /^(.*[/\\]institutions[/\\])[^/\\]+\.xlsx$/;

export function writtenFilesText(out: string, files: readonly string[], lang: Lang, verbose = false): string {
  const zh = lang === 'zh';
  const counts = KINDS.map(([ext, zhWord, enWords]) => {
    const n = files.filter((f) => f.endsWith(ext)).length;
    return n === 0 ? '' : zh ? `${zhWord} ${n} 个` : countOf(n, enWords[0], enWords[1]);
  }).filter((x) => x !== '');
  const other = files.filter((f) => !KINDS.some(([ext]) => f.endsWith(ext))).length;
  if (other > 0) counts.push(zh ? `其他 ${other} 个` : countOf(other, 'other file', 'other files'));
  const total = zh ? `${files.length} 个文件` : countOf(files.length, 'file', 'files');
  const lines = [
    zh
      ? `报表写入 ${out}（${total}：${counts.join('，')}）`
      : `statements written to ${out} (${total}: ${counts.join(', ')})`,
  ];
  if (verbose) {
    for (const f of files) lines.push(`  → ${f}`);
    return `${lines.join('\n')}\n`;
  }
  const perInstitution = new Map<string, number>();
  const first: string[] = [];
  for (const f of files) {
    const m = PER_INSTITUTION.exec(f);
    if (m) perInstitution.set(m[1]!, (perInstitution.get(m[1]!) ?? 0) + 1);
    else if (f.endsWith('.xlsx')) first.push(f);
  }
  if (first.length > 0) lines.push(`  ${zh ? '先打开：' : 'open first: '}${first.join(zh ? '、' : ', ')}`);
  for (const [folder, n] of perInstitution)
    lines.push(
      zh
        ? `  各机构的工作簿：${folder}（${n} 家机构各一个）`
        : `  each institution's workbook: ${folder} (${countOf(n, 'institution', 'institutions')}, one each)`,
    );
  // The folder the agency sends its hospitals (run/published-folder.ts), and what a hospital runs over it.
  const published = files.find((f) => /[/\\]published[/\\]published\.yaml$/.test(f));
  if (published) {
    const folder = dirname(published);
    lines.push(
      zh
        ? `  发给定点医疗机构的公布参数：${folder}（医院测算：yibao estimate --published ${folder} --in 结算清单.csv）`
        : `  the published parameters for the designated institutions: ${folder} (a hospital estimates with yibao estimate --published ${folder} --in cases.csv)`,
    );
  }
  const lists = [...new Set(files.map((f) => `${dirname(PER_INSTITUTION.exec(f)?.[1] ?? f)}/.yibao-files`))];
  lines.push(
    zh
      ? `  完整清单：${lists.join('、')}（或加 --verbose 逐个列出）`
      : `  full list: ${lists.join(', ')} (or add --verbose to list each file)`,
  );
  return `${lines.join('\n')}\n`;
}
