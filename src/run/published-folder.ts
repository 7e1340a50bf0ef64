/**
 * The folder an agency sends its hospitals after a DIP settlement run (公布的付费参数, `settle --out DIR` writes it as
 * `DIR/published/`): everything `yibao estimate` / `yibao hospital settle --published` need to price a case exactly
 * as the run paid it — the run's year-end point value and fund payment ratio (exact), its reference point value, the
 * designated institutions with their levels, the DIP policy as the run applied it (its snapshot), the catalog the run
 * derived (with the level coefficients it calibrated, `catalog.json`; `catalog.csv` to read), and the previous
 * year's same-level group means the deviating cases were judged by. (R-DIP-2…6; 002 四(二)(三))
 *
 * Written from the stored run only (never by settling again): a hospital's estimate of a case of the year equals the
 * case's stored 病例结算金额 to the fen, except the fen the institution's amount split moves (分配尾差, reconcile).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Catalog } from '../grouping/dip/index.ts';
import { GROUP_MEANS_COLUMNS } from '../hospital/io/group-means-file.ts';
import { LEVEL_EN, LEVEL_ZH } from '../model/institution.ts';
import { fenToYuan, type Ratio, ratio } from '../model/money.ts';
import { writeCsv } from '../report/csv.ts';
import { catalogTable } from '../report/dip-rows.ts';
import { col, type Table } from '../report/table.ts';
import type { RunResultsReader } from '../store/settlement-runs.ts';
import type { Store } from '../store/store.ts';
import { fromJson, type RatioText, ratioOf } from './results.ts';
import { catalogCodeNames } from './statements.ts';

/** An exact value as a decimal when one holds it (≤ 12 places), else as the fraction "num/den". */
export function exactText(r: Ratio): string {
  const x = ratio(r.num, r.den);
  for (let k = 0; k <= 12; k++) {
    const scale = 10n ** BigInt(k);
    if ((x.num * scale) % x.den === 0n) {
      const digits = ((x.num * scale) / x.den).toString().padStart(k + 1, '0');
      return k === 0 ? digits : `${digits.slice(0, -k)}.${digits.slice(-k)}`;
    }
  }
  return `${x.num}/${x.den}`;
}

/** A fen-per-point ratio in 元/点, exact. */
const yuanPerPoint = (fenPerPoint: Ratio) => exactText(ratio(fenPerPoint.num, fenPerPoint.den * 100n));
/** A fen-per-point ratio in 元/点 to 6 places, for reading (as the statements print it). */
function sixPlaces(fenPerPoint: Ratio): string {
  const scaled = (fenPerPoint.num * 10_000n * 2n + fenPerPoint.den) / (fenPerPoint.den * 2n);
  const s = scaled.toString().padStart(7, '0');
  return `${s.slice(0, -6)}.${s.slice(-6)}`;
}

const q = (s: string) => JSON.stringify(s);

/**
 * Write the published folder of a stored DIP run into `dir` (created); the paths of the files written. A DRG
 * run (or a run without its catalog) writes nothing: [].
 */
export async function writePublishedFolder(
  store: Pick<Store, 'readInstitutions' | 'lookupCodes'>,
  reader: RunResultsReader,
  dir: string,
  lang: 'zh' | 'en',
): Promise<string[]> {
  const rec = await reader.record();
  const pool = (await reader.pools())[0];
  const [cat] = await reader.derived('dip-catalog');
  if (rec.caseMethod !== 'dip' || !pool || !cat) return [];
  const snapshots = await reader.policies();
  const dip = snapshots.find((p) => p.kind === 'dip' && p.region === rec.region);
  if (!dip) return [];
  const catalog = fromJson<Catalog>(cat.content);
  const [ref] = await reader.derived('dip-reference-point-value');
  const [means] = await reader.derived('dip-group-means');
  const pointValue = ratioOf(pool.pointValue);
  const fundRatio = ratioOf(pool.fundPaymentRatio);
  const zh = lang === 'zh';
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    files.push(join(dir, name));
  };

  // The DIP policy as the run applied it, byte for byte (its snapshot), and the other kinds a case of the pool is
  // priced by when the run read them (single-disease; a per-bed-day policy whose rates are a table).
  const policyFiles: string[] = [];
  for (const s of snapshots) {
    if (s.region !== rec.region) continue;
    const wanted =
      s.kind === 'dip' ||
      s.kind === 'qc' ||
      s.kind === 'single-disease' ||
      (s.kind === 'per-diem' && /method:\s*table/.test(s.content));
    if (!wanted) continue;
    const name = basename(s.file) || `${s.kind}-${rec.year}.yaml`;
    write(name, s.content);
    policyFiles.push(name);
  }
  write('catalog.json', `${JSON.stringify(catalog, null, 2)}\n`);
  writeCsv(join(dir, 'catalog.csv'), catalogTable(catalog, await catalogCodeNames(store, catalog)), lang);
  files.push(join(dir, 'catalog.csv'));
  let meansFile: string | undefined;
  if (means) {
    const h = (k: keyof typeof GROUP_MEANS_COLUMNS): [string, string] => [...GROUP_MEANS_COLUMNS[k]];
    const rows = fromJson<[string, RatioText][]>(means.content).map(([key, v]) => {
      const cut = key.lastIndexOf('|');
      const r = ratioOf(v);
      const fen = (r.num * 2n + r.den) / (r.den * 2n);
      return {
        group: key.slice(0, cut),
        level: key.slice(cut + 1),
        yuan: fenToYuan(Number(fen)),
        exact: `${r.num}/${r.den}`,
      };
    });
    const table: Table = {
      name: 'group-means',
      zh: '上一年度同级别病种次均费用',
      en: "previous year's same-level group mean costs",
      columns: [
        col('group', 'text', ...h('group')),
        col('level', 'text', ...h('level')),
        col('yuan', 'text', ...h('yuan')),
        col('exact', 'text', ...h('exact')),
      ],
      rows,
    };
    meansFile = 'group-means.csv';
    writeCsv(join(dir, meansFile), table, lang);
    files.push(join(dir, meansFile));
  }

  const institutions = (await store.readInstitutions())
    .slice()
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
    .map((i) => `      - { code: ${q(i.code)}, name: ${q(i.name)}, level: ${q(i.level)}, type: ${q(i.type)} }`);
  const refValue = ref ? ratioOf(fromJson<RatioText>(ref.content)) : undefined;
  const source = (zhText: string, enText: string) => q(zh ? zhText : enText);
  const runOf = zh ? `结算运行 ${rec.id}` : `settlement run ${rec.id}`;
  const yaml = [
    zh
      ? `# ${rec.region} ${rec.year} 年 DIP 公布参数：经办机构由结算运行 ${rec.id} 写出，发给定点医疗机构。与同目录的 DIP 政策（${policyFiles.join('、')}）、`
      : `# ${rec.region} ${rec.year} DIP published parameters, written by the agency from settlement run ${rec.id} for its designated institutions; with`,
    zh
      ? '# catalog.json（本次结算的病种分值目录，含测算的等级系数）一起使用：yibao estimate / yibao hospital settle --published 本目录。'
      : `# the DIP policy beside it (${policyFiles.join(', ')}) and catalog.json (the run's catalog, with the level coefficients it derived): yibao estimate / yibao hospital settle --published THIS-FOLDER.`,
    zh
      ? '# 点值与基金支付比例按本次结算的精确值写出（分数 num/den 即精确值），测算结果与经办的病例结算金额一致到分。'
      : "# The point value and fund payment ratio are the run's exact values (a fraction num/den is exact), so an estimate equals the agency's case amount to the fen.",
    'kind: published',
    `region: ${q(rec.region)}`,
    `id: ${q(`${rec.region}-published-dip-${rec.year}`)}`,
    `version: ${q(rec.id)}`,
    `title: ${q(zh ? `${rec.region} ${rec.year} 年 DIP 公布参数（${runOf}）` : `${rec.region} ${rec.year} DIP published parameters (${runOf})`)}`,
    `effective: { from: ${rec.year}-01-01, to: ${rec.year}-12-31 }`,
    'values:',
    '  method:',
    '    value: dip',
    `    source: ${source(`${runOf}（按病种分值付费）`, `${runOf} (DIP)`)}`,
    '  pointValue:',
    `    value: { yuanPerPoint: ${q(yuanPerPoint(pointValue))}, basis: published }`,
    `    source: ${source(`${runOf} 年度点值 ${sixPlaces(pointValue)} 元/点（002 四(三)）`, `${runOf} year-end point value ${sixPlaces(pointValue)} yuan/point (002 四(三))`)}`,
    '  fundPaymentRatio:',
    `    value: ${q(exactText(fundRatio))}`,
    `    source: ${source(`${runOf} 基金支付比例`, `${runOf} fund payment ratio`)}`,
    ...(refValue
      ? [
          '  referencePointValue:',
          `    value: ${q(yuanPerPoint(refValue))}`,
          `    source: ${source(`${runOf} 参考点值 ${sixPlaces(refValue)} 元/点（偏差病例判定与按实际费用计分）`, `${runOf} reference point value ${sixPlaces(refValue)} yuan/point (deviating cases, cost-paid cases)`)}`,
        ]
      : []),
    '  institutions:',
    '    value:',
    ...institutions,
    `    source: ${source(`${runOf} 的定点医疗机构及医院等级`, `the designated institutions of ${runOf} and their levels`)}`,
    '  tables:',
    `    value: { catalog: catalog.json${meansFile ? `, groupMeans: ${meansFile}` : ''} }`,
    `    source: ${source(`${runOf} 的病种分值目录${meansFile ? '与上一年度同级别病种次均费用' : ''}`, `the catalog of ${runOf}${meansFile ? " and the previous year's same-level group means" : ''}`)}`,
    '  lowRiskGroups:',
    '    value: computed',
    `    source: ${source('未公布：按本院病例计算', 'not published: computed from the hospital’s cases')}`,
    '',
  ].join('\n');
  write('published.yaml', yaml);
  const levels = catalog.institutionCoefficients
    .map((e) =>
      e.scope === 'level'
        ? `${(zh ? LEVEL_ZH : LEVEL_EN)[e.key as keyof typeof LEVEL_ZH] ?? e.key} ${e.coefficient}`
        : `${e.key} ${e.coefficient}`,
    )
    .join(zh ? '、' : ', ');
  write(
    'README.md',
    zh
      ? [
          `# ${rec.region} ${rec.year} 年 DIP 公布参数（${runOf}）`,
          '',
          '经办机构发给定点医疗机构（医院医保办）的文件夹，医院用它按经办的结算口径测算本院病例：',
          '',
          '    yibao estimate --published 本目录 --in 结算清单.csv --id 结算ID',
          '    yibao hospital settle --published 本目录 --in 结算清单.csv --out out/hospital',
          '',
          `- published.yaml：年度点值 ${sixPlaces(pointValue)} 元/点（精确值 ${yuanPerPoint(pointValue)}）、基金支付比例 ${exactText(fundRatio)}${refValue ? `、参考点值 ${sixPlaces(refValue)} 元/点` : ''}、定点医疗机构及医院等级；`,
          `- ${policyFiles.join('、')}：本次结算所用的政策文件（原样）；`,
          `- catalog.json：本次结算的病种分值目录（测算所用），含等级系数：${levels || '（政策给定）'}；catalog.csv 为同一目录的表格（阅读用；读回的是病种与分值，等级系数只在 catalog.json 中）；`,
          ...(meansFile
            ? [`- ${meansFile}：上一年度同级别病种次均费用（偏差病例判定标准，精确值以“分”的分数表示）；`]
            : []),
          '',
          '按它测算的病例支付额与经办结算单的病例结算金额一致到分（同一机构的金额按分配尾差分摊时可差 1 分）。预测下一年度时，可把 pointValue 改为本院预测值（basis: forecast）。',
          '',
        ].join('\n')
      : [
          `# ${rec.region} ${rec.year} DIP published parameters (${runOf})`,
          '',
          "The folder the agency sends its designated institutions (the hospital's insurance office), to estimate its cases as the agency settles them:",
          '',
          '    yibao --lang en estimate --published THIS-FOLDER --in cases.csv --id SETL_ID',
          '    yibao --lang en hospital settle --published THIS-FOLDER --in cases.csv --out out/hospital',
          '',
          `- published.yaml: the year-end point value ${sixPlaces(pointValue)} yuan/point (exactly ${yuanPerPoint(pointValue)}), the fund payment ratio ${exactText(fundRatio)}${refValue ? `, the reference point value ${sixPlaces(refValue)} yuan/point` : ''}, the designated institutions and their levels;`,
          `- ${policyFiles.join(', ')}: the policy files the run applied, as they were;`,
          `- catalog.json: the run's DIP catalog, with the level coefficients: ${levels || '(given by the policy)'}; catalog.csv is the same catalog to read (its groups and scores read back; the level coefficients are in catalog.json only);`,
          ...(meansFile
            ? [
                `- ${meansFile}: the previous year's same-level group mean costs (the deviating-case standard; the exact value as a fraction of fen);`,
              ]
            : []),
          '',
          "A case estimated with it is paid what the agency's statement gives as its settled amount, to the fen (a fen apart where the institution's amount is split among its cases). To forecast the next year, set pointValue to your own forecast (basis: forecast).",
          '',
        ].join('\n'),
  );
  return files;
}
