/**
 * The ClickHouse SELECT lists of the case, fee-line and outpatient readers: the same positions as the DuckDB
 * store's packed rows (`../duckdb/case-rows.ts`, `../duckdb/outpatient-rows.ts`), so one row → model mapping
 * (`rowToCase`, `rowToFeeItem`, `rowToOutpatient`) serves both back-ends. Money leaves as integer fen (Int64,
 * read as Native: a safe number or a bigint, which the row mappings turn into a safe number or refuse), dates as
 * ISO text.
 */
import { FEE_FIELDS } from '../../model/case.ts';
import { CLICKHOUSE_DIALECT as D } from '../dialect.ts';

const fen = (col: string) => D.fen(col);

export const CH_CASE_EXPRS = [
  'setl_id',
  'mdtrt_id',
  'psn_no',
  'fixmedins_code',
  'insutype',
  'gend',
  D.dateText('brdy'),
  'age',
  'nwb_age',
  'nwb_bir_wt',
  'nwb_adm_wt',
  D.dateTimeText('adm_time'),
  D.dateTimeText('dscg_time'),
  'act_ipt_days',
  'adm_way',
  'dscg_way',
  'dscg_caty',
  'diag_codes',
  'diag_names',
  'adm_cond_types',
  'oprn_oprt_codes',
  'oprn_oprt_names',
  'oprn_oprt_dates',
  'icu_days',
  'days_rinp_flag_31',
  fen('medfee_sumamt'),
  fen('hifp_pay'),
  fen('psn_selfpay'),
  fen('psn_ownpay'),
  fen('acct_pay'),
  fen('psn_cashpay'),
  ...FEE_FIELDS.map(([c]) => fen(c)),
  'chfpdr_code',
  'chfpdr_name',
];

export const CH_FEE_ITEM_EXPRS = [
  'setl_id',
  'med_list_codg',
  'med_list_name',
  'chrgitm_lv',
  'med_chrgitm_type',
  D.decimalText('cnt'),
  fen('pric'),
  fen('det_item_fee_sumamt'),
  D.dateTimeText('fee_ocur_time'),
  'line_no',
];

export const CH_OUTPATIENT_EXPRS = [
  'setl_id',
  'mdtrt_id',
  'psn_no',
  'fixmedins_code',
  'insutype',
  'opsp_dise_code',
  'opsp_dise_name',
  D.dateTimeText('setl_time'),
  fen('medfee_sumamt'),
  fen('hifp_pay'),
  fen('outp_adj_fee'),
  fen('psn_selfpay'),
  fen('psn_ownpay'),
  fen('acct_pay'),
  fen('psn_cashpay'),
];
