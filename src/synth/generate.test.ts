import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASE_COLUMNS, ENROLMENT_COLUMNS, FEE_ITEM_COLUMNS, INSTITUTION_COLUMNS } from '../model/columns.ts';
import { casesByYear, generateRegion } from './generate.ts';
import type { Manifest } from './manifest.ts';
import { sexOfDiagnosis } from './profiles/index.ts';
import { loadSampleCodes } from './sample-codes.ts';
import { TRUTH_COLUMNS } from './truth.ts';

const root = mkdtempSync(join(tmpdir(), 'yibao-synth-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

const num = (v: unknown): number => Number(v);
const CASES = 3000;
const YEARS = [2022, 2023, 2024, 2025];

describe('generateRegion: a clean region in Parquet', () => {
  const out = join(root, 'clean');
  let m: Manifest;
  const cases = `read_parquet('${out}/cases-*.parquet')`;
  beforeAll(async () => {
    m = await generateRegion({ out, cases: CASES, seed: 'test-1', years: YEARS });
  });

  it('writes exactly the requested cases, spread over the years with growth', async () => {
    expect(m.counts.cases).toBe(CASES);
    expect(Object.values(m.counts.casesByYear).reduce((a, b) => a + b, 0)).toBe(CASES);
    expect(m.counts.casesByYear).toEqual(
      Object.fromEntries(YEARS.map((y, i) => [String(y), casesByYear(CASES, YEARS)[i]])),
    );
    const rows = await query(
      `SELECT year(dscg_time) AS y, count(*) AS n, count(DISTINCT setl_id) AS ids FROM ${cases} GROUP BY 1 ORDER BY 1`,
    );
    expect(rows.map((r) => [num(r.y), num(r.n)])).toEqual(YEARS.map((y) => [y, m.counts.casesByYear[String(y)]]));
    for (const r of rows) expect(num(r.ids)).toBe(num(r.n));
    expect(m.currentYear).toBe(2025);
  });

  it('uses the contract columns and types (4101 names; money as DECIMAL(18,2))', async () => {
    const cols = await query(`DESCRIBE SELECT * FROM read_parquet('${out}/cases-2025.parquet')`);
    expect(cols.map((c) => c.column_name)).toEqual(CASE_COLUMNS.map((c) => c.name));
    for (const c of CASE_COLUMNS.filter((col) => col.type === 'money')) {
      expect(cols.find((x) => x.column_name === c.name)?.column_type).toBe('DECIMAL(18,2)');
    }
    const inst = readFileSync(join(out, 'institutions.csv'), 'utf8').split('\n')[0];
    expect(inst).toBe(INSTITUTION_COLUMNS.map((c) => c.name).join(','));
    expect(readFileSync(join(out, 'enrolments.csv'), 'utf8').split('\n')[0]).toBe(
      ENROLMENT_COLUMNS.map((c) => c.name).join(','),
    );
    expect(readFileSync(join(out, 'truth.csv'), 'utf8').split('\n')[0]).toBe(TRUTH_COLUMNS.join(','));
  });

  it('adds up to the fen: charge categories = total, fund + self + own = total, account + cash = self + own', async () => {
    const fees = CASE_COLUMNS.filter((c) => c.name.startsWith('fee_'))
      .map((c) => c.name)
      .join(' + ');
    const [r] = await query(`SELECT
        count(*) FILTER (WHERE ${fees} <> medfee_sumamt) AS fee_mismatch,
        count(*) FILTER (WHERE hifp_pay + psn_selfpay + psn_ownpay <> medfee_sumamt) AS share_mismatch,
        count(*) FILTER (WHERE acct_pay + psn_cashpay <> psn_selfpay + psn_ownpay) AS cash_mismatch,
        count(*) FILTER (WHERE least(hifp_pay, psn_selfpay, psn_ownpay, acct_pay, psn_cashpay) < 0) AS negative,
        count(*) FILTER (WHERE medfee_sumamt * 100 <> floor(medfee_sumamt * 100)) AS sub_fen
      FROM ${cases}`);
    expect(r).toEqual({ fee_mismatch: 0n, share_mismatch: 0n, cash_mismatch: 0n, negative: 0n, sub_fen: 0n });
  });

  it('costs more at higher levels and grows year on year', async () => {
    const rows = await query(`SELECT i.hosp_lv AS lv, avg(c.medfee_sumamt::DOUBLE) AS mean FROM ${cases} c
      JOIN read_csv('${out}/institutions.csv', all_varchar = true) i USING (fixmedins_code) GROUP BY 1`);
    const mean = Object.fromEntries(rows.map((r) => [r.lv, num(r.mean)]));
    expect(mean['3']!).toBeGreaterThan(mean['2']!);
    expect(mean['2']!).toBeGreaterThan(mean.primary!);
    const years = await query(
      `SELECT year(dscg_time) AS y, avg(medfee_sumamt::DOUBLE) AS mean FROM ${cases} GROUP BY 1 ORDER BY 1`,
    );
    expect(num(years[3]!.mean)).toBeGreaterThan(num(years[0]!.mean));
  });

  it('uses only sample-list codes and keeps the dates, stays and patients consistent', async () => {
    const codes = loadSampleCodes();
    const dx = await query(`SELECT DISTINCT unnest(string_split(diag_codes, '|')) AS c FROM ${cases}`);
    expect(dx.map((r) => r.c as string).filter((c) => !codes.diagnoses.has(c))).toEqual([]);
    const px = await query(
      `SELECT DISTINCT unnest(string_split(oprn_oprt_codes, '|')) AS c FROM ${cases} WHERE oprn_oprt_codes <> ''`,
    );
    expect(px.map((r) => r.c as string).filter((c) => !codes.procedures.has(c))).toEqual([]);
    const [r] = await query(`SELECT
        count(*) FILTER (WHERE dscg_time < adm_time) AS backwards,
        count(*) FILTER (WHERE act_ipt_days <> greatest(1, date_diff('day', adm_time::DATE, dscg_time::DATE))) AS los,
        count(*) FILTER (WHERE gend = '1' AND diag_codes SIMILAR TO 'O.*') AS male_obstetric,
        count(*) FILTER (WHERE gend = '2' AND diag_codes LIKE 'N40%') AS female_prostate,
        count(*) FILTER (WHERE age <> date_diff('year', brdy, adm_time::DATE)
          - CASE WHEN strftime(adm_time, '%m-%d') < strftime(brdy, '%m-%d') THEN 1 ELSE 0 END) AS age,
        count(*) FILTER (WHERE age = 0 AND nwb_age IS NULL) AS infant_days,
        count(*) FILTER (WHERE age = 0 AND nwb_age <= 28 AND nwb_bir_wt IS NULL) AS newborn_weight,
        count(*) FILTER (WHERE icu_days > act_ipt_days) AS icu,
        count(*) FILTER (WHERE len(string_split(diag_codes, '|')) <> len(string_split(adm_cond_types, '|'))) AS conds
      FROM ${cases}`);
    expect(r).toEqual({
      backwards: 0n,
      los: 0n,
      male_obstetric: 0n,
      female_prostate: 0n,
      age: 0n,
      infant_days: 0n,
      newborn_weight: 0n,
      icu: 0n,
      conds: 0n,
    });
  });

  it('gives sex-specific diagnoses (obstetric, cervix, prostate …) only to patients of that sex', async () => {
    const rows = await query(`SELECT gend, diag_codes FROM ${cases}`);
    const wrong = rows.filter((r) =>
      (r.diag_codes as string).split('|').some((c) => (sexOfDiagnosis(c) ?? r.gend) !== r.gend),
    );
    expect(wrong).toEqual([]);
  });

  it('never admits a patient who is still in hospital or has died', async () => {
    const [r] = await query(`WITH s AS (
        SELECT psn_no, adm_time, dscg_time, dscg_way,
          lag(dscg_time) OVER (PARTITION BY psn_no ORDER BY adm_time, dscg_time) AS prev_dscg,
          lag(dscg_way) OVER (PARTITION BY psn_no ORDER BY adm_time, dscg_time) AS prev_way
        FROM ${cases})
      SELECT count(*) FILTER (WHERE adm_time::DATE < prev_dscg::DATE) AS overlaps,
             count(*) FILTER (WHERE prev_way = '5') AS after_death FROM s`);
    expect(r).toEqual({ overlaps: 0n, after_death: 0n });
  });

  it('has deaths, ICU stays, newborns, day surgery, planned and unplanned 31-day readmissions', async () => {
    const [r] = await query(`WITH s AS (
        SELECT *, date_diff('day', lag(dscg_time) OVER (PARTITION BY psn_no ORDER BY adm_time)::DATE, adm_time::DATE) AS gap
        FROM ${cases})
      SELECT count(*) FILTER (WHERE dscg_way = '5') AS deaths, count(*) FILTER (WHERE icu_days > 0) AS icu,
        count(*) FILTER (WHERE age = 0 AND nwb_age <= 28) AS newborns,
        count(*) FILTER (WHERE adm_time::DATE = dscg_time::DATE) AS day_cases,
        count(*) FILTER (WHERE days_rinp_flag_31 = '1') AS planned,
        count(*) FILTER (WHERE gap BETWEEN 0 AND 31) AS readmitted,
        count(DISTINCT fixmedins_code) AS institutions
      FROM s`);
    for (const k of ['deaths', 'icu', 'newborns', 'day_cases', 'planned', 'readmitted']) {
      expect(num(r![k]), k).toBeGreaterThan(0);
    }
    expect(num(r!.deaths)).toBe(m.counts.deaths);
    expect(num(r!.institutions)).toBe(30);
  });

  it('builds a region of every level and type with two medical communities, each with one lead', () => {
    const lines = readFileSync(join(out, 'institutions.csv'), 'utf8').trim().split('\n').slice(1);
    const rows = lines.map((l) => l.split(','));
    expect(rows).toHaveLength(30);
    expect(new Set(rows.map((r) => r[2]))).toEqual(new Set(['3', '2', '1', 'primary']));
    expect(new Set(rows.map((r) => r[3]))).toEqual(
      new Set(['general', 'tcm', 'psychiatric', 'rehabilitation', 'primary', 'maternal-child']),
    );
    expect(new Set(rows.map((r) => r[4])).size).toBeGreaterThanOrEqual(3);
    const communities = new Set(rows.map((r) => r[5]).filter(Boolean));
    expect(communities.size).toBe(2);
    for (const mc of communities) {
      const members = rows.filter((r) => r[5] === mc);
      expect(members.filter((r) => r[6] === '1')).toHaveLength(1);
      expect(members.length).toBeGreaterThan(2);
    }
    expect(m.region.communities).toHaveLength(2);
  });

  it('writes persons and special-disease enrolments of both classes, with mid-year entries and switches', async () => {
    const [p] = await query(
      `SELECT count(*) AS n, count(DISTINCT psn_no) AS ids FROM read_parquet('${out}/persons.parquet')`,
    );
    expect(num(p!.n)).toBe(m.counts.persons);
    expect(num(p!.ids)).toBe(m.counts.persons);
    const [missing] = await query(`SELECT count(*) AS n FROM ${cases} c
      ANTI JOIN read_parquet('${out}/persons.parquet') p USING (psn_no)`);
    expect(num(missing!.n)).toBe(0);
    const e = `read_csv('${out}/enrolments.csv', all_varchar = true)`;
    const [r] = await query(`SELECT count(*) AS n,
        count(*) FILTER (WHERE dise_class = '1') AS class1, count(*) FILTER (WHERE dise_class = '2') AS class2,
        count(*) FILTER (WHERE begndate > enddate) AS backwards,
        count(*) FILTER (WHERE begndate NOT LIKE '%-01-01') AS mid_year,
        count(*) FILTER (WHERE treat_fixmedins_code <> fd_fixmedins_code) AS different_fd
      FROM ${e}`);
    expect(num(r!.n)).toBe(m.counts.enrolments);
    expect(num(r!.backwards)).toBe(0);
    for (const k of ['class1', 'class2', 'mid_year', 'different_fd']) expect(num(r![k]), k).toBeGreaterThan(0);
    const [overlap] = await query(`SELECT count(*) AS n FROM ${e} a JOIN ${e} b
      ON a.psn_no = b.psn_no AND a.opsp_dise_code = b.opsp_dise_code AND a.begndate < b.begndate
      AND b.begndate <= a.enddate`);
    expect(num(overlap!.n)).toBe(0);
  });

  it('lists every file in the manifest with its rows and SHA-256', () => {
    const written = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
    expect(written).toEqual(m);
    const paths = m.files.map((f) => f.path);
    expect(paths).toEqual(
      [
        ...YEARS.map((y) => `cases-${y}.parquet`),
        'enrolments.csv',
        'institutions.csv',
        ...YEARS.map((y) => `outpatient-${y}.parquet`),
        'persons.parquet',
        'truth.csv',
      ].sort(),
    );
    for (const f of m.files) expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('generateRegion: determinism', () => {
  it('gives byte-identical files for the same seed and different files for another seed', async () => {
    const opts = { cases: 2000, years: [2024, 2025], feeItems: true, badRowRate: 0.02, misbehaviour: true };
    const a = await generateRegion({ ...opts, out: join(root, 'det-a'), seed: 7 });
    const b = await generateRegion({ ...opts, out: join(root, 'det-b'), seed: '7' });
    const c = await generateRegion({ ...opts, out: join(root, 'det-c'), seed: 8 });
    expect(b).toEqual(a);
    expect(readFileSync(join(root, 'det-b', 'manifest.json'))).toEqual(
      readFileSync(join(root, 'det-a', 'manifest.json')),
    );
    // Only the institution list (the same region for every seed) may coincide.
    const hashes = (x: Manifest) => x.files.filter((f) => f.path !== 'institutions.csv').map((f) => f.sha256);
    expect(hashes(c).filter((h) => hashes(a).includes(h))).toEqual([]);
  });

  it('regenerates into its own folder, and refuses a folder it did not write', async () => {
    const out = join(root, 'again');
    const first = await generateRegion({ out, cases: 500, seed: 1, years: [2025] });
    const second = await generateRegion({ out, cases: 500, seed: 1, years: [2025] });
    expect(second).toEqual(first);
    const foreign = join(root, 'foreign');
    await generateRegion({ out: foreign, cases: 10, seed: 1, years: [2025] });
    rmSync(join(foreign, 'manifest.json'));
    await expect(generateRegion({ out: foreign, cases: 10, seed: 1, years: [2025] })).rejects.toThrow(/not empty/);
  });

  it('rejects impossible options', async () => {
    const out = join(root, 'bad');
    await expect(generateRegion({ out, cases: 0, seed: 1 })).rejects.toThrow(RangeError);
    await expect(generateRegion({ out, cases: 10, seed: 1, years: [2025, 2024] })).rejects.toThrow(/ascending/);
    await expect(generateRegion({ out, cases: 10, seed: 1, badRowRate: 0.9 })).rejects.toThrow(/badRowRate/);
  });
});

describe('generateRegion: injected bad rows, misbehaviour and fee items', () => {
  const out = join(root, 'dirty');
  let m: Manifest;
  let truth: Record<string, unknown>[];
  const cases = `read_parquet('${out}/cases-*.parquet', filename = true)`;
  beforeAll(async () => {
    m = await generateRegion({
      out,
      cases: 4000,
      seed: 'dirty',
      years: [2024, 2025],
      feeItems: true,
      badRowRate: 0.05,
      misbehaviour: true,
    });
    truth = await query(`SELECT * FROM read_csv('${out}/truth.csv', all_varchar = true)`);
  });

  it('records every bad row in truth.csv, by file and row, with each kind present', async () => {
    const bad = truth.filter((t) => t.category === 'bad-row');
    expect(bad.length).toBe(m.counts.badRows);
    expect(bad.length).toBeGreaterThan(4000 * 0.03);
    expect(new Set(bad.map((t) => t.kind))).toEqual(
      new Set([
        'missing-required',
        'sex-diagnosis-conflict',
        'age-diagnosis-conflict',
        'discharge-before-admission',
        'los-mismatch',
        'negative-amount',
        'duplicate-setl-id',
        'components-exceed-total',
        'bad-code',
      ]),
    );
    const rows = await query(`SELECT filename.split('/')[-1] AS file,
        row_number() OVER (PARTITION BY filename ORDER BY file_row_number) AS row, setl_id, psn_no, gend, diag_codes,
        adm_time, dscg_time, medfee_sumamt, hifp_pay, fee_wm
      FROM read_parquet('${out}/cases-*.parquet', filename = true, file_row_number = true)`);
    const byRow = new Map(rows.map((r) => [`${r.file}#${r.row}`, r]));
    for (const t of bad) {
      const r = byRow.get(`${t.file}#${t.row}`);
      expect(r, `${t.file}#${t.row}`).toBeDefined();
      if (t.kind === 'missing-required') expect(r![t.field as string]).toBeOneOf([null, undefined]);
      if (t.kind === 'discharge-before-admission') expect(r!.dscg_time! < r!.adm_time!).toBe(true);
      if (t.kind === 'sex-diagnosis-conflict') {
        expect(/^O/.test(r!.diag_codes as string) ? r!.gend : '1').toBe('1');
      }
      if (t.kind === 'duplicate-setl-id') expect(rows.filter((x) => x.setl_id === t.setl_id).length).toBe(2);
    }
  });

  it('injects each misbehaviour at its own institution, with institution and case rows in truth.csv', async () => {
    const inst = truth.filter((t) => t.scope === 'institution');
    expect(inst.map((t) => t.kind).sort()).toEqual(
      ['cost-shifting', 'low-standard-admission', 'split-admission', 'upcoding'].sort(),
    );
    expect(new Set(inst.map((t) => t.fixmedins_code)).size).toBe(4);
    const kinds = new Set(truth.filter((t) => t.scope === 'case' && t.category === 'misbehaviour').map((t) => t.kind));
    // charges outside the stay are planted on fee lines of any institution (one case in 500)
    expect(kinds).toEqual(
      new Set(['charge-outside-stay', 'cost-shifting', 'low-standard-admission', 'split-admission', 'upcoding']),
    );
    for (const t of truth.filter(
      (x) =>
        x.kind !== 'cost-shifting' &&
        x.kind !== 'charge-outside-stay' &&
        x.category === 'misbehaviour' &&
        x.scope === 'case',
    )) {
      expect(t.fixmedins_code).toBe(m.misbehavingInstitutions[t.kind as 'upcoding']);
    }
    // The cost-shifting hospital charges patients far more outside the catalogs than its peers.
    const shifter = m.misbehavingInstitutions['cost-shifting']!;
    const [r] = await query(`SELECT
        sum(psn_ownpay) FILTER (WHERE fixmedins_code = '${shifter}') / sum(medfee_sumamt) FILTER (WHERE fixmedins_code = '${shifter}') AS own,
        sum(psn_ownpay) FILTER (WHERE fixmedins_code <> '${shifter}') / sum(medfee_sumamt) FILTER (WHERE fixmedins_code <> '${shifter}') AS peers
      FROM ${cases}`);
    expect(num(r!.own)).toBeGreaterThan(2 * num(r!.peers));
  });

  it('writes fee items that add up to each clean case, by category, and class C = own pay', async () => {
    const cols = await query(`DESCRIBE SELECT * FROM read_parquet('${out}/fee-items-2025.parquet')`);
    expect(cols.map((c) => c.column_name)).toEqual(FEE_ITEM_COLUMNS.map((c) => c.name));
    const [r] = await query(`WITH items AS (
        SELECT setl_id, sum(det_item_fee_sumamt) AS total, sum(det_item_fee_sumamt) FILTER (WHERE chrgitm_lv = '03') AS own,
          count(*) FILTER (WHERE cnt::DECIMAL(18,2) * pric <> det_item_fee_sumamt) AS bad_lines,
          sum(det_item_fee_sumamt) FILTER (WHERE med_chrgitm_type = '09') AS wm
        FROM read_parquet('${out}/fee-items-*.parquet') GROUP BY 1),
      clean AS (SELECT * FROM ${cases} c WHERE NOT EXISTS (
        SELECT 1 FROM read_csv('${out}/truth.csv', all_varchar = true) t
        WHERE t.category = 'bad-row' AND t.file = string_split(c.filename, '/')[-1] AND t.setl_id = c.setl_id))
      SELECT count(*) AS n,
        count(*) FILTER (WHERE i.total IS DISTINCT FROM c.medfee_sumamt) AS total_mismatch,
        count(*) FILTER (WHERE coalesce(i.own, 0) <> c.psn_ownpay) AS own_mismatch,
        count(*) FILTER (WHERE coalesce(i.wm, 0) <> c.fee_wm) AS wm_mismatch,
        sum(i.bad_lines) AS bad_lines
      FROM clean c LEFT JOIN items i USING (setl_id)`);
    expect(num(r!.n)).toBeGreaterThan(3000);
    expect([num(r!.total_mismatch), num(r!.own_mismatch), num(r!.wm_mismatch), num(r!.bad_lines)]).toEqual([
      0, 0, 0, 0,
    ]);
    expect(m.counts.feeItems).toBeGreaterThan(m.counts.cases * 5);
    // every line is charged within its stay (费用发生时间 between admission and discharge)
    const [d] = await query(`SELECT count(*) AS n, count(*) FILTER (WHERE f.fee_ocur_time IS NULL
        OR f.fee_ocur_time < c.adm_time OR f.fee_ocur_time > c.dscg_time) AS outside
      FROM read_parquet('${out}/fee-items-*.parquet') f JOIN ${cases} c USING (setl_id)
      WHERE NOT EXISTS (SELECT 1 FROM read_csv('${out}/truth.csv', all_varchar = true) t
        WHERE t.category = 'bad-row' AND t.setl_id = c.setl_id)`);
    expect(num(d!.n)).toBeGreaterThan(3000);
    // … except the planted charges outside the stay, one line each, all in truth.csv
    const planted = truth.filter((t) => t.kind === 'charge-outside-stay');
    expect(planted.length).toBeGreaterThan(0);
    expect(num(d!.outside)).toBe(planted.length);
    const [o] = await query(`SELECT count(*) AS n FROM read_parquet('${out}/fee-items-*.parquet') f
      JOIN ${cases} c USING (setl_id)
      WHERE (CAST(f.fee_ocur_time AS DATE) > CAST(c.dscg_time AS DATE) OR CAST(f.fee_ocur_time AS DATE) < CAST(c.adm_time AS DATE))
        AND f.setl_id IN (${planted.map((t) => `'${t.setl_id}'`).join(',')})`);
    expect(num(o!.n)).toBe(planted.length);
  });
});

describe('generateRegion: CSV output, UTF-8 and GBK', () => {
  it('writes the same text in GBK as in UTF-8, with the same Parquet-free layout', async () => {
    const opts = { cases: 800, seed: 'csv', years: [2025], format: 'csv' as const, badRowRate: 0.05 };
    const utf8 = await generateRegion({ ...opts, out: join(root, 'csv-utf8') });
    const gbk = await generateRegion({ ...opts, out: join(root, 'csv-gbk'), encoding: 'gbk' });
    expect(utf8.files.map((f) => f.path)).toEqual(
      [
        'cases-2025.csv',
        'enrolments.csv',
        'institutions.csv',
        'outpatient-2025.csv',
        'persons.csv',
        'truth.csv',
      ].sort(),
    );
    expect(gbk.files.map((f) => [f.path, f.rows])).toEqual(utf8.files.map((f) => [f.path, f.rows]));
    for (const f of utf8.files) {
      const a = readFileSync(join(root, 'csv-utf8', f.path), 'utf8');
      const b = iconv.decode(readFileSync(join(root, 'csv-gbk', f.path)), 'gbk');
      expect(b).toBe(a);
    }
    const header = readFileSync(join(root, 'csv-utf8', 'cases-2025.csv'), 'utf8').split('\n')[0];
    expect(header).toBe(CASE_COLUMNS.map((c) => c.name).join(','));
  });

  for (const shards of [1, 3]) {
    it(`writes the same rows, in the same order, as the typed Parquet output: cases (bad rows and misbehaviour included), fee items, outpatient visits and persons (${shards} shard${shards > 1 ? 's, 2 workers' : ''})`, async () => {
      const opts = {
        cases: 1500,
        seed: 'same',
        years: [2024, 2025],
        badRowRate: 0.05,
        misbehaviour: true,
        feeItems: true,
        shards,
        workers: 2,
      };
      const csv = await generateRegion({ ...opts, out: join(root, `same-csv-${shards}`), format: 'csv' });
      const parquet = await generateRegion({ ...opts, out: join(root, `same-parquet-${shards}`) });
      expect(parquet.counts).toEqual(csv.counts);
      for (const file of [
        'persons',
        ...opts.years.flatMap((y) => [`cases-${y}`, `fee-items-${y}`, `outpatient-${y}`]),
      ]) {
        const csvPath = join(root, `same-csv-${shards}`, `${file}.csv`);
        const parquetPath = join(root, `same-parquet-${shards}`, `${file}.parquet`);
        const text = await query(`SELECT * FROM read_csv('${csvPath}', header = true, all_varchar = true)`);
        const typed = await query(`SELECT COLUMNS(*)::VARCHAR FROM read_parquet('${parquetPath}')`);
        expect(typed.length).toBe(csv.files.find((f) => f.path === `${file}.csv`)!.rows);
        expect(typed.length).toBeGreaterThan(100);
        // Row by row: text cells as the CSV reader reads them (empty = NULL), typed cells cast back to text.
        expect(typed).toEqual(text);
      }
      const truth = (dir: string) =>
        readFileSync(join(root, dir, 'truth.csv'), 'utf8').replaceAll('.csv,', '.parquet,');
      expect(truth(`same-parquet-${shards}`)).toBe(truth(`same-csv-${shards}`));
    });
  }
});
