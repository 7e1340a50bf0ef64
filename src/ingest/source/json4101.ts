/**
 * The national settlement-list upload (医疗保障基金结算清单信息上传, interface 4101) as JSON → the flat
 * case columns of the staging table. Read and flattened by DuckDB in SQL (no JS object per case).
 *
 * Accepted shape — a file holds one or more 4101 messages, as a JSON array, as JSON Lines (one message per
 * line), or as a single message; each message may be wrapped in `{"input": …}` as sent to the interface:
 *
 *   { "setlinfo": { setl_id, mdtrt_id, fixmedins_code, hi_no | psn_no, hi_type | insutype, gend, brdy, age,
 *                   nwb_age, nwb_bir_wt, nwb_adm_wt, adm_way, adm_time, dscg_time, act_ipt_days, dscg_caty,
 *                   chfpdr_code, chfpdr_name, dscg_way, days_rinp_flag_31, psn_selfpay, psn_ownpay, acct_pay, psn_cashpay,
 *                   [medfee_sumamt, hifp_pay] },
 *     "payinfo":  [ { fund_pay_type, fund_payamt } ],          // hifp_pay = Σ fund_payamt of 310100 + 390100
 *     "diseinfo": [ { diag_type, diag_code, diag_name, adm_cond_type, maindiag_flag } ],
 *     "oprninfo": [ { oprn_oprt_code, oprn_oprt_name, oprn_oprt_date, main_oprn_flag } ],
 *     "iteminfo": [ { med_chrgitm, amt, … } ],                // 收费项目 01–14 → fee_*; medfee_sumamt = Σ amt
 *     "icuinfo":  [ { scs_cutd_inpool_time, scs_cutd_exit_time, scs_cutd_sum_dura } ] }
 *
 * Rules: only Western-medicine diagnoses (diag_type 1 or absent) are ICD-10 diagnoses; the one with
 * maindiag_flag = 1 goes first, else file order (more than one flagged is a reject). The procedure with
 * main_oprn_flag = 1 goes first, else file order. `setlinfo.medfee_sumamt` / `hifp_pay`, where a province adds
 * them, win over the sums. ICU days = ⌈total ICU minutes ÷ 1440⌉, from scs_cutd_sum_dura ("天/时/分", e.g.
 * 1/13/24) or else from the entry and exit times. Numbers may be JSON numbers or strings; money keeps its
 * decimal text (a value like 0.30000000000000004 is rejected, not rounded).
 */
import { join } from 'node:path';
import { lit } from '../../store/duckdb/sql.ts';
import { IngestFileError } from '../errors.ts';
import { detectEncoding, type Encoding, scanFile, transcodeToUtf8 } from './encoding.ts';
import { type StageResult, type StageTarget, stagingSelect } from './stage.ts';

/** Money text as the flat contract writes it (also used to decide whether a sum can be taken). */
const MONEY_RE = "'[+-]?[0-9]{1,16}([.][0-9]{0,2}0*)?'";

const MACROS = `
CREATE OR REPLACE TEMP MACRO yb_is_money(x) AS regexp_full_match(trim(x), ${MONEY_RE});
CREATE OR REPLACE TEMP MACRO yb_amt_sum(amts) AS (
  CASE WHEN len(amts) = 0 THEN NULL
       WHEN len(amts) = 1 THEN amts[1]
       WHEN list_bool_and(list_transform(amts, lambda a: coalesce(yb_is_money(a), false)))
         THEN CAST(list_sum(list_transform(amts, lambda a: CAST(trim(a) AS DECIMAL(18,2)))) AS VARCHAR)
       ELSE array_to_string(list_transform(amts, lambda a: coalesce(a, '')), '+') END);
CREATE OR REPLACE TEMP MACRO yb_fee(items, cat) AS
  yb_amt_sum(list_transform(list_filter(items, lambda i: i->>'med_chrgitm' = cat), lambda i: i->>'amt'));
CREATE OR REPLACE TEMP MACRO yb_icu_minutes(u) AS (
  CASE WHEN regexp_full_match(coalesce(u->>'scs_cutd_sum_dura', ''), '[0-9]+/[0-9]+/[0-9]+')
         THEN CAST(string_split(u->>'scs_cutd_sum_dura', '/')[1] AS BIGINT) * 1440
            + CAST(string_split(u->>'scs_cutd_sum_dura', '/')[2] AS BIGINT) * 60
            + CAST(string_split(u->>'scs_cutd_sum_dura', '/')[3] AS BIGINT)
       ELSE date_diff('minute', TRY_CAST(u->>'scs_cutd_inpool_time' AS TIMESTAMP),
                      TRY_CAST(u->>'scs_cutd_exit_time' AS TIMESTAMP)) END);
`;

/** Category code (医疗收费项目类别) → fee column of the flat contract. */
const FEE_BY_CATEGORY: readonly (readonly [string, string])[] = [
  ['01', 'fee_bed'],
  ['02', 'fee_diag'],
  ['03', 'fee_exam'],
  ['04', 'fee_lab'],
  ['05', 'fee_treat'],
  ['06', 'fee_oprn'],
  ['07', 'fee_nurs'],
  ['08', 'fee_mcs'],
  ['09', 'fee_wm'],
  ['10', 'fee_tcmherb'],
  ['11', 'fee_tcmpat'],
  ['12', 'fee_gen'],
  ['13', 'fee_reg'],
  ['14', 'fee_oth'],
];

const listOf = (d: string, key: string) =>
  `array_to_string(list_transform(${d}, lambda x: coalesce(x->>'${key}', '')), '|')`;
const nonEmpty = (expr: string) => `nullif(${expr}, '')`;

function expressions(): Record<string, string> {
  const s = (k: string) => `s->>'${k}'`;
  const e: Record<string, string> = {
    setl_id: s('setl_id'),
    mdtrt_id: s('mdtrt_id'),
    psn_no: `coalesce(${s('psn_no')}, ${s('hi_no')})`,
    fixmedins_code: s('fixmedins_code'),
    insutype: `coalesce(${s('insutype')}, ${s('hi_type')})`,
    diag_codes: nonEmpty(listOf('dxo', 'diag_code')),
    diag_names: nonEmpty(listOf('dxo', 'diag_name')),
    adm_cond_types: nonEmpty(listOf('dxo', 'adm_cond_type')),
    oprn_oprt_codes: nonEmpty(listOf('pxo', 'oprn_oprt_code')),
    oprn_oprt_names: nonEmpty(listOf('pxo', 'oprn_oprt_name')),
    oprn_oprt_dates: nonEmpty(listOf('pxo', 'oprn_oprt_date')),
    icu_days: `CASE WHEN len(icu) = 0 THEN NULL
      WHEN list_bool_and(list_transform(icu, lambda u: yb_icu_minutes(u) IS NOT NULL))
        THEN CAST(CAST(ceil(list_sum(list_transform(icu, lambda u: yb_icu_minutes(u))) / 1440) AS BIGINT) AS VARCHAR)
      ELSE 'ICU:' || array_to_string(list_transform(icu, lambda u: coalesce(u->>'scs_cutd_sum_dura', '?')), ',') END`,
    medfee_sumamt: `coalesce(${s('medfee_sumamt')}, yb_amt_sum(list_transform(it, lambda i: i->>'amt')))`,
    hifp_pay: `coalesce(${s('hifp_pay')}, CASE WHEN pay IS NULL THEN NULL ELSE coalesce(yb_amt_sum(list_transform(
      list_filter(pay, lambda p: p->>'fund_pay_type' IN ('310100', '390100')), lambda p: p->>'fund_payamt')), '0') END)`,
  };
  for (const k of [
    'gend',
    'brdy',
    'age',
    'nwb_age',
    'nwb_bir_wt',
    'nwb_adm_wt',
    'adm_time',
    'dscg_time',
    'act_ipt_days',
    'adm_way',
    'dscg_way',
    'dscg_caty',
    'chfpdr_code',
    'chfpdr_name',
    'days_rinp_flag_31',
    'psn_selfpay',
    'psn_ownpay',
    'acct_pay',
    'psn_cashpay',
  ]) {
    e[k] = s(k);
  }
  for (const [cat, col] of FEE_BY_CATEGORY) e[col] = `yb_fee(it, '${cat}')`;
  return e;
}

export async function stageJson4101(t: StageTarget): Promise<StageResult> {
  const scan = await scanFile(t.file);
  const option = t.encoding ?? 'auto';
  const encoding: Encoding =
    option === 'auto' ? await detectEncoding(t.file, scan) : option === 'utf8' ? 'utf8' : 'gb18030';
  let path = t.file;
  if (encoding !== 'utf8' || !scan.validUtf8) {
    path = join(t.tmpDir, 'decoded.json');
    await transcodeToUtf8(t.file, path, encoding);
  }
  const raw = `${t.table}_json`;
  try {
    await t.conn.run(
      `CREATE TEMP TABLE ${raw} AS SELECT row_number() OVER () AS _row, coalesce(json->'input', json) AS m
       FROM read_json(${lit(path)}, format = 'auto', records = false, columns = {'json': 'JSON'},
                      maximum_object_size = 268435456)`,
    );
  } catch (e) {
    throw new IngestFileError(
      'E_JSON',
      t.file,
      `无法按 JSON 读取：${(e as Error).message}`,
      `cannot read the file as JSON: ${(e as Error).message}`,
    );
  }
  await t.conn.run(MACROS);
  const e = expressions();
  const mainDx = "list_filter(dx, lambda d: d->>'maindiag_flag' = '1')";
  const select = stagingSelect(t.columns, (name) => e[name], '_row', [
    `CASE WHEN s IS NULL OR json_type(s) <> 'OBJECT' THEN 'E_JSON_SHAPE' WHEN len(${mainDx}) > 1 THEN 'E_MAIN_DIAGNOSIS' END`,
    `CASE WHEN s IS NULL OR json_type(s) <> 'OBJECT' THEN 'setlinfo' WHEN len(${mainDx}) > 1 THEN 'diag_codes' END`,
    `CASE WHEN s IS NULL OR json_type(s) <> 'OBJECT' THEN '4101 消息缺少 setlinfo 对象'
          WHEN len(${mainDx}) > 1 THEN '多个诊断标为主要诊断（maindiag_flag = 1）' END`,
    `CASE WHEN s IS NULL OR json_type(s) <> 'OBJECT' THEN 'the 4101 message has no setlinfo object'
          WHEN len(${mainDx}) > 1 THEN 'more than one diagnosis is flagged principal (maindiag_flag = 1)' END`,
  ]);
  await t.conn.run(`
    CREATE TEMP TABLE ${t.table} AS
    WITH src AS (
      SELECT _row, m->'setlinfo' AS s,
        list_filter(coalesce(TRY_CAST(m->'diseinfo' AS JSON[]), []), lambda d: coalesce(d->>'diag_type', '1') = '1') AS dx,
        coalesce(TRY_CAST(m->'oprninfo' AS JSON[]), []) AS px,
        coalesce(TRY_CAST(m->'iteminfo' AS JSON[]), []) AS it,
        TRY_CAST(m->'payinfo' AS JSON[]) AS pay,
        coalesce(TRY_CAST(m->'icuinfo' AS JSON[]), []) AS icu
      FROM ${raw}
    ), ord AS (
      SELECT *,
        list_concat(${mainDx}, list_filter(dx, lambda d: coalesce(d->>'maindiag_flag', '0') <> '1')) AS dxo,
        list_concat(list_filter(px, lambda p: p->>'main_oprn_flag' = '1'),
                    list_filter(px, lambda p: coalesce(p->>'main_oprn_flag', '0') <> '1')) AS pxo
      FROM src
    )
    SELECT ${select} FROM ord`);
  await t.conn.run(`DROP TABLE ${raw}`);
  const r = await t.conn.runAndReadAll(`SELECT count(*) FROM ${t.table}`);
  return {
    rows: Number(r.getRows()[0]![0]),
    format: 'json',
    encoding,
    present: t.columns.map((c) => c.name),
    ignored: [],
    reader: 'duckdb',
    sha256: scan.sha256,
    bytes: scan.bytes,
  };
}
