/**
 * A synthetic region in a store, for the monitoring tests and `npm run bench`: the generator's region (with its
 * planted misbehaviour and truth.csv) ingested like any data, plus fee-line misbehaviour planted here (the generator
 * plants none) with its own ground truth. Each planted line breaks exactly one kind of fee-line rule.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { SAMPLE_CODE_LISTS } from '../codes/index.ts';
import { importCodes } from '../ingest/codes-import.ts';
import type { IngestKind } from '../ingest/kinds/kind.ts';
import { ingestFile } from '../ingest/pipeline.ts';
import type { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import { generateRegion } from '../synth/generate.ts';
import type { Manifest } from '../synth/manifest.ts';

const ORDER: { kind: IngestKind; stem: string }[] = [
  { kind: 'institutions', stem: 'institutions' },
  { kind: 'persons', stem: 'persons' },
  { kind: 'enrolments', stem: 'enrolments' },
  { kind: 'outpatient', stem: 'outpatient' },
  { kind: 'cases', stem: 'cases' },
  { kind: 'fee-items', stem: 'fee-items' },
];

export interface RegionOptions {
  dir: string;
  cases: number;
  seed: number;
  misbehaviour: boolean;
  years?: number[];
}

/** Generate a region into `dir` and ingest it into `store` with the sample code lists. */
export async function loadRegion(store: DuckDbStore, o: RegionOptions): Promise<Manifest> {
  const manifest = await generateRegion({
    out: o.dir,
    cases: o.cases,
    seed: o.seed,
    feeItems: true,
    misbehaviour: o.misbehaviour,
    format: 'parquet',
    ...(o.years ? { years: o.years } : {}),
  });
  for (const kind of ['icd10', 'icd9'] as const) {
    await importCodes(store, { kind, file: SAMPLE_CODE_LISTS[kind], listVersion: 'sample' });
  }
  for (const step of ORDER) {
    const re = new RegExp(`^${step.stem}(-\\d{4})?\\.(parquet|csv)$`);
    for (const f of manifest.files
      .map((x) => x.path)
      .filter((p) => re.test(p.split('/').pop()!))
      .sort()) {
      await ingestFile(store, { kind: step.kind, file: join(o.dir, f) });
    }
  }
  return manifest;
}

export interface TruthCase {
  kind: string;
  setlId: string;
  institutionCode: string;
}

/** Case and institution rows of the generator's truth.csv (misbehaviour only). */
export function readTruth(dir: string): { cases: TruthCase[]; institutions: TruthCase[] } {
  const rows = parse(readFileSync(join(dir, 'truth.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
  const mis = rows.filter((r) => r.category === 'misbehaviour');
  const map = (r: Record<string, string>): TruthCase => ({
    kind: r.kind!,
    setlId: r.setl_id!,
    institutionCode: r.fixmedins_code!,
  });
  return {
    cases: mis.filter((r) => r.scope === 'case').map(map),
    institutions: mis.filter((r) => r.scope === 'institution').map(map),
  };
}

/** Items of the synthetic catalog with a bed-day or per-day limit in the demo knowledge tables. */
const LIMITED = ['YB01001', 'YB02001', 'YB12001', 'YB07001', 'YB07002'];
const UNLIMITED = (t: string) => `${t}.med_list_codg NOT IN (${LIMITED.map((c) => `'${c}'`).join(', ')})`;

/** Planted fee-line kinds, each breaking one rule of the demo rule base. */
export const PLANTED_LINE_KINDS = [
  'duplicate-charge',
  'unbundling',
  'exclusive-items',
  'over-quantity',
  'substitution',
  'sex-restricted',
  'age-restricted',
  'department-restricted',
  'phantom-bed-days',
  'surgery-fee-without-procedure',
  'charge-outside-stay',
] as const;
export type PlantedLineKind = (typeof PLANTED_LINE_KINDS)[number];

/**
 * Plant what the generator does not: `n` of the year's cases settled a second time under another settlement id
 * (`<setl_id>D`: same 就诊ID, person, institution and dates — 重复结算) and `n` stays at another institution one day
 * later than a case of the year (`<setl_id>O`, its own 就诊ID — 同期在两家机构住院), by SQL in the store (no fee lines).
 */
export async function plantStayMisbehaviour(store: DuckDbStore, year: number, n: number): Promise<void> {
  await store.connection.run(`
INSERT INTO cases SELECT * REPLACE (setl_id || 'D' AS setl_id) FROM cases
WHERE year(dscg_time) = ${year} AND month(dscg_time) < 12 ORDER BY setl_id LIMIT ${n};
INSERT INTO cases SELECT * REPLACE (setl_id || 'O' AS setl_id, mdtrt_id || 'O' AS mdtrt_id,
  (SELECT min(i.fixmedins_code) FROM institutions i WHERE i.fixmedins_code <> c.fixmedins_code) AS fixmedins_code,
  adm_time + INTERVAL 1 DAY AS adm_time, dscg_time + INTERVAL 1 DAY AS dscg_time)
FROM cases c WHERE year(dscg_time) = ${year} AND month(dscg_time) < 12 AND setl_id NOT LIKE '%D'
ORDER BY setl_id DESC LIMIT ${n};`);
}

/**
 * Plant fee-line misbehaviour in about `rate` of the year's cases (chosen by a hash of the settlement id, one kind
 * each, only cases the kind fits), by SQL in the store. Returns the truth.
 */
export async function plantLineMisbehaviour(
  store: DuckDbStore,
  year: number,
  rate: number,
): Promise<{ kind: PlantedLineKind; setlId: string }[]> {
  const conn = store.connection;
  const per = Math.max(1, Math.round(1 / rate));
  const n = PLANTED_LINE_KINDS.length;
  await conn.run(`CREATE OR REPLACE TEMP TABLE plant_c AS
SELECT c.setl_id, c.gend, c.age, c.act_ipt_days AS los, coalesce(c.dscg_caty, '') AS dept, c.adm_time, c.dscg_time,
  len(coalesce(c.oprn_oprt_codes, [])) AS n_proc, hash(c.setl_id) AS h,
  (SELECT max(line_no) FROM fee_items f WHERE f.setl_id = c.setl_id) AS last_line
FROM cases c WHERE year(c.dscg_time) = ${year} AND hash(c.setl_id) % ${per} = 0
  AND EXISTS (SELECT 1 FROM fee_items f WHERE f.setl_id = c.setl_id)`);
  // kind k goes to cases with (h // per) % n = k, when the case fits the kind
  const pick = (k: number, fits: string) => `SELECT * FROM plant_c WHERE (h // ${per}) % ${n} = ${k} AND (${fits})`;
  const has = (code: string) =>
    `EXISTS (SELECT 1 FROM fee_items f WHERE f.setl_id = plant_c.setl_id AND f.med_list_codg = '${code}')`;
  const add = (
    k: number,
    fits: string,
    code: string,
    name: string,
    cls: string,
    cat: string,
    qty: string,
    price: string,
    when = 'dscg_time',
  ) =>
    `INSERT INTO fee_items (setl_id, line_no, med_list_codg, med_list_name, chrgitm_lv, med_chrgitm_type, cnt, pric, det_item_fee_sumamt, fee_ocur_time, run_id)
     SELECT setl_id, last_line + 1, '${code}', '${name}', '${cls}', '${cat}', ${qty}, ${price}, (${qty}) * (${price}), ${when}, 'plant'
     FROM (${pick(k, fits)})`;
  const steps = [
    // 0 duplicate: copy the case's first line of an item without unit limits (a copied bed or per-day line would
    //   also break the bed-day and quantity rules)
    `INSERT INTO fee_items (setl_id, line_no, med_list_codg, med_list_name, chrgitm_lv, med_chrgitm_type, cnt, pric,
       det_item_fee_sumamt, fee_ocur_time, run_id)
     SELECT f.setl_id, p.last_line + 1, f.med_list_codg, f.med_list_name, f.chrgitm_lv,
       f.med_chrgitm_type, f.cnt, f.pric, f.det_item_fee_sumamt, f.fee_ocur_time, 'plant'
     FROM fee_items f JOIN (${pick(0, `EXISTS (SELECT 1 FROM fee_items g WHERE g.setl_id = plant_c.setl_id AND ${UNLIMITED('g')})`)}) p
       ON p.setl_id = f.setl_id
     WHERE f.line_no = (SELECT min(g.line_no) FROM fee_items g WHERE g.setl_id = f.setl_id AND ${UNLIMITED('g')})`,
    add(1, has('YB05001'), 'YB05905', '输液观察费', '01', '05', '1', '20.00'),
    add(2, has('YB01001'), 'YB01901', '特需病房床位费', '03', '01', '1', '300.00'),
    add(3, 'true', 'YB05904', '高压氧舱治疗', '02', '05', 'greatest(los, 1) + 2', '150.00'),
    add(4, 'true', 'YB03001', '彩色多普勒超声检查', '01', '14', '1', '180.00'),
    add(5, "gend = '2'", 'YB04901', '前列腺特异性抗原测定', '02', '04', '1', '60.00'),
    add(6, 'age > 14', 'YB05903', '小儿推拿', '02', '05', '1', '35.00'),
    add(7, "dept NOT IN ('07', '08')", 'YB05902', '新生儿蓝光治疗', '02', '05', '1', '50.00'),
    add(8, 'true', 'YB01001', '普通病房床位费', '01', '01', 'los + 2', '45.00'),
    add(9, 'n_proc = 0', 'YB06001', '手术费', '01', '06', '1', '2000.00'),
    // 10 a follow-up blood count charged 3 days after discharge, or an examination 2 days before admission
    add(
      10,
      'true',
      'YB04906',
      '复查血细胞分析',
      '01',
      '04',
      '1',
      '25.00',
      `CASE WHEN (h // ${per * n}) % 2 = 0 THEN dscg_time + INTERVAL 3 DAY ELSE adm_time - INTERVAL 2 DAY END`,
    ),
  ];
  const truth: { kind: PlantedLineKind; setlId: string }[] = [];
  const fits = [
    `EXISTS (SELECT 1 FROM fee_items g WHERE g.setl_id = plant_c.setl_id AND ${UNLIMITED('g')})`,
    has('YB05001'),
    has('YB01001'),
    'true',
    'true',
    "gend = '2'",
    'age > 14',
    "dept NOT IN ('07', '08')",
    'true',
    'n_proc = 0',
    'true',
  ];
  for (let k = 0; k < n; k++) {
    const r = await conn.runAndReadAll(`SELECT setl_id FROM (${pick(k, fits[k]!)}) ORDER BY setl_id`);
    for (const row of r.getRows()) truth.push({ kind: PLANTED_LINE_KINDS[k]!, setlId: String(row[0]) });
    await conn.run(steps[k]!);
  }
  await conn.run('DROP TABLE plant_c');
  return truth;
}

/**
 * The same region loaded straight from its Parquet files into the store tables (no QC: the generator's rows are
 * clean when no bad rows are asked for), for the large benches where ingest time would dominate.
 */
export async function loadRegionFast(store: DuckDbStore, o: RegionOptions): Promise<Manifest> {
  const manifest = await generateRegion({
    out: o.dir,
    cases: o.cases,
    seed: o.seed,
    feeItems: true,
    misbehaviour: o.misbehaviour,
    format: 'parquet',
    ...(o.years ? { years: o.years } : {}),
  });
  for (const kind of ['institutions', 'enrolments'] as const) {
    await ingestFile(store, { kind, file: join(o.dir, `${kind}.csv`) });
  }
  const list = (c: string) => `CASE WHEN coalesce(${c}, '') = '' THEN [] ELSE string_split(${c}, '|') END AS ${c}`;
  const conn = store.connection;
  const glob = (stem: string) => `read_parquet('${join(o.dir, `${stem}-*.parquet`)}'`;
  await conn.run(`INSERT INTO cases BY NAME SELECT * REPLACE (${['diag_codes', 'diag_names', 'adm_cond_types', 'oprn_oprt_codes', 'oprn_oprt_names', 'oprn_oprt_dates'].map(list).join(', ')},
      days_rinp_flag_31 = '1' AS days_rinp_flag_31), 'bench' AS run_id FROM ${glob('cases')})`);
  await conn.run(`INSERT INTO fee_items BY NAME SELECT setl_id,
      CAST(row_number() OVER (PARTITION BY setl_id ORDER BY filename, file_row_number) AS INTEGER) AS line_no,
      med_list_codg, med_list_name, chrgitm_lv, med_chrgitm_type, CAST(cnt AS DECIMAL(18,4)) AS cnt, pric,
      det_item_fee_sumamt, fee_ocur_time, 'bench' AS run_id
    FROM ${glob('fee-items')}, filename = true, file_row_number = true)`);
  await conn.run(`INSERT INTO outpatient_settlements BY NAME SELECT *, 'bench' AS run_id FROM ${glob('outpatient')})`);
  return manifest;
}
