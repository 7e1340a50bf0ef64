/**
 * The versioned schema of the ClickHouse back-end: the same tables and column names as the DuckDB store
 * (`../duckdb/schema.ts`), in ClickHouse types — money Decimal(18,2) yuan, exact ratios as text with a
 * Decimal(38,12) copy, dates Date32 (birth dates before 1970), date-times DateTime64(3, 'UTC'), lists
 * Array(String) (a missing list is an empty array), NULL-able columns Nullable(…). Migrations are literal SQL,
 * append only, numbered like the DuckDB store's so one `schemaVersion()` means the same tables on both:
 * migration 6 creates the DuckDB schema of version 6 at once (there are no ClickHouse stores of older versions).
 * `clickhouse-store.test.ts` checks every core table has the DuckDB store's columns in the mapped types.
 *
 * Table engines: MergeTree, sorted by the key the store reads in order (setl_id for cases, (setl_id, line_no) for
 * fee lines, run and pool for run results), case and visit tables partitioned by year, so a year's run reads
 * its partition only. A cluster uses the Replicated / Distributed forms of the same tables (docs/clickhouse.md).
 * `{db}` is replaced by the database name.
 */
import type { Migration } from '../duckdb/schema.ts';

const money = (names: string[]) => names.map((n) => `  ${n} Nullable(Decimal(18,2))`).join(',\n');
const MT = (order: string, partition?: string) =>
  `ENGINE = MergeTree${partition ? ` PARTITION BY ${partition}` : ''} ORDER BY ${order}`;

const V6 = `
CREATE TABLE {db}.cases (
  setl_id String,
  mdtrt_id String,
  psn_no String,
  fixmedins_code String,
  insutype String,
  gend String,
  brdy Nullable(Date32),
  age Int32,
  nwb_age Nullable(Int32),
  nwb_bir_wt Nullable(Int32),
  nwb_adm_wt Nullable(Int32),
  adm_time DateTime64(3, 'UTC'),
  dscg_time DateTime64(3, 'UTC'),
  act_ipt_days Int32,
  adm_way Nullable(String),
  dscg_way String,
  dscg_caty Nullable(String),
  diag_codes Array(String),
  diag_names Array(String),
  adm_cond_types Array(String),
  oprn_oprt_codes Array(String),
  oprn_oprt_names Array(String),
  oprn_oprt_dates Array(String),
  icu_days Nullable(Int32),
  days_rinp_flag_31 Nullable(Bool),
  medfee_sumamt Decimal(18,2),
  hifp_pay Decimal(18,2),
${money([
  'psn_selfpay',
  'psn_ownpay',
  'acct_pay',
  'psn_cashpay',
  'fee_bed',
  'fee_diag',
  'fee_exam',
  'fee_lab',
  'fee_treat',
  'fee_oprn',
  'fee_nurs',
  'fee_mcs',
  'fee_wm',
  'fee_tcmherb',
  'fee_tcmpat',
  'fee_gen',
  'fee_reg',
  'fee_oth',
])},
  run_id String,
  chfpdr_code Nullable(String),
  chfpdr_name Nullable(String)
) ${MT('setl_id', 'toYear(dscg_time)')};

CREATE TABLE {db}.fee_items (
  setl_id String,
  line_no Int32,
  med_list_codg String,
  med_list_name Nullable(String),
  chrgitm_lv String,
  med_chrgitm_type Nullable(String),
  cnt Decimal(18,4),
  pric Decimal(18,2),
  det_item_fee_sumamt Decimal(18,2),
  run_id String
) ${MT('(setl_id, line_no)')};

CREATE TABLE {db}.institutions (
  fixmedins_code String,
  fixmedins_name String,
  hosp_lv String,
  inst_type String,
  admdvs String,
  mc_id Nullable(String),
  mc_lead Nullable(Bool),
  run_id String
) ${MT('fixmedins_code')};

CREATE TABLE {db}.persons (
  psn_no String,
  gend String,
  brdy Date32,
  insutype String,
  admdvs String,
  run_id String
) ${MT('psn_no')};

CREATE TABLE {db}.enrolments (
  psn_no String,
  opsp_dise_code String,
  dise_class Int32,
  insutype String,
  treat_fixmedins_code String,
  fd_fixmedins_code Nullable(String),
  begndate Date32,
  enddate Date32,
  run_id String
) ${MT('(psn_no, begndate, opsp_dise_code)')};

CREATE TABLE {db}.codes (
  kind String,
  code String,
  name String,
  proc_type Nullable(String),
  list_version Nullable(String),
  run_id String
) ${MT('(kind, code)')};

CREATE TABLE {db}.rejects (
  run_id String,
  kind String,
  source String,
  row_no Int64,
  record_key Nullable(String),
  field Nullable(String),
  code String,
  message_zh String,
  message_en String,
  raw Nullable(String)
) ${MT('(run_id, row_no)')};

CREATE TABLE {db}.runs (
  run_id String,
  command String,
  inputs String,
  policy Nullable(String),
  counts String,
  started_at DateTime64(3, 'UTC'),
  finished_at DateTime64(3, 'UTC'),
  duration_ms Int64,
  status String,
  message Nullable(String)
) ${MT('run_id')};

CREATE TABLE {db}.outpatient_settlements (
  setl_id String,
  mdtrt_id Nullable(String),
  psn_no String,
  fixmedins_code String,
  insutype String,
  opsp_dise_code String,
  opsp_dise_name Nullable(String),
  setl_time DateTime64(3, 'UTC'),
  medfee_sumamt Decimal(18,2),
  hifp_pay Decimal(18,2),
${money(['outp_adj_fee', 'psn_selfpay', 'psn_ownpay', 'acct_pay', 'psn_cashpay'])},
  run_id String
) ${MT('setl_id', 'toYear(setl_time)')};

CREATE TABLE {db}.code_maps (
  kind String,
  source_code String,
  code String,
  map_version Nullable(String),
  run_id String
) ${MT('(kind, source_code)')};

CREATE TABLE {db}.code_translations (
  run_id String,
  kind String,
  setl_id String,
  field String,
  position Int32,
  source_code String,
  code String
) ${MT('(run_id, setl_id, field, position)')};

CREATE TABLE {db}.settlement_runs (
  run_id String,
  region String,
  year Int32,
  command String,
  case_method String,
  methods Array(String),
  inputs String,
  counts String,
  started_at DateTime64(3, 'UTC'),
  finished_at DateTime64(3, 'UTC'),
  status String,
  message Nullable(String)
) ${MT('run_id')};

CREATE TABLE {db}.run_policies (
  run_id String,
  policy_id String,
  kind String,
  region String,
  version String,
  file String,
  sha256 String,
  content String
) ${MT('(run_id, policy_id)')};

CREATE TABLE {db}.run_derived (
  run_id String,
  kind String,
  name String,
  content String
) ${MT('(run_id, kind, name)')};

CREATE TABLE {db}.run_units (
  run_id String,
  pool_id String,
  unit_id String,
  method String,
  institution String,
  month String,
  grp Nullable(String),
  status String,
  points Nullable(Int64),
  amount_fen Nullable(Int64),
  billed_fen Int64,
  patient_paid_fen Int64,
  basis Nullable(String),
  trace Nullable(String)
) ${MT('(run_id, pool_id, unit_id)')};

CREATE TABLE {db}.run_pools (
  run_id String,
  pool_id String,
  fund_fen Int64,
  point_value_rule String,
  point_value_num String,
  point_value_den String,
  point_value Decimal(38,12),
  point_value_text String,
  floating_point_value_num Nullable(String),
  floating_point_value_den Nullable(String),
  fund_payment_ratio_num String,
  fund_payment_ratio_den String,
  opening_point_value_num String,
  opening_point_value_den String,
  summary String,
  point_value_steps String,
  steps String
) ${MT('(run_id, pool_id)')};

CREATE TABLE {db}.run_pool_months (
  run_id String,
  pool_id String,
  month String,
  point_value_num String,
  point_value_den String,
  point_value Decimal(38,12),
  point_value_text String,
  quota_fen Nullable(Int64),
  steps String
) ${MT('(run_id, pool_id, month)')};

CREATE TABLE {db}.run_institution_months (
  run_id String,
  pool_id String,
  institution String,
  month String,
  units Int32,
  points Int64,
  amount_fen Int64,
  point_value_num String,
  point_value_den String,
  value_fen Int64,
  patient_paid_fen Int64,
  gross_fen Int64,
  prepay_ratio_num String,
  prepay_ratio_den String,
  prepay_fen Int64,
  deposit_fen Int64,
  deductions_fen Int64,
  payment_fen Int64,
  steps String
) ${MT('(run_id, pool_id, institution, month)')};

CREATE TABLE {db}.run_institution_year (
  run_id String,
  pool_id String,
  institution String,
  level Nullable(String),
  units Int32,
  points Int64,
  amount_fen Int64,
  billed_fen Int64,
  patient_paid_fen Int64,
  by_status String,
  advance_fen Int64,
  monthly_paid_fen Int64,
  deposit_held_fen Int64,
  value_fen Int64,
  gross_fen Int64,
  ffs_fund_fen Int64,
  sharing Nullable(String),
  after_sharing_fen Int64,
  assessment_num String,
  assessment_den String,
  after_assessment_fen Int64,
  deductions_fen Int64,
  year_end_fen Int64,
  clearing_fen Int64,
  steps String
) ${MT('(run_id, pool_id, institution)')};

CREATE TABLE {db}.run_groups (
  run_id String,
  pool_id String,
  method String,
  grp String,
  units Int32,
  points Int64,
  amount_fen Int64,
  value_fen Int64,
  billed_fen Int64,
  difference_fen Int64
) ${MT('(run_id, pool_id, method, grp)')};
`;

/** Medical communities' budgets by year and fund (R-BUD-4); one row per key, replaced by delete + insert. */
const V7 = `
CREATE TABLE {db}.community_budgets (
  region String,
  year Int32,
  community_id String,
  fund String,
  budget_fen Int64,
  actual_fen Nullable(Int64),
  saved_by_control Bool,
  run_id String,
  stored_at DateTime64(3, 'UTC')
) ${MT('(region, year, community_id, fund)')};
`;

/** What-if runs beside issued runs; the API audit log and the monitoring tables (as DuckDB migration 8). */
const V8 = `
ALTER TABLE {db}.settlement_runs ADD COLUMN kind Nullable(String) DEFAULT 'issued';
ALTER TABLE {db}.settlement_runs ADD COLUMN base_run_id Nullable(String);

CREATE TABLE IF NOT EXISTS {db}.api_audit (logged_at DateTime64(3, 'UTC'), actor String, role String, action String,
  target Nullable(String), detail Nullable(String)) ${MT('logged_at')};

CREATE TABLE IF NOT EXISTS {db}.monitor_runs (monitor_run_id String, run_id Nullable(String), region String,
  year Int32, policy_id String, policy_version String, cases Int64,
  flags Int64, started_at DateTime64(3, 'UTC'), duration_ms Int64) ${MT('monitor_run_id')};
CREATE TABLE IF NOT EXISTS {db}.monitor_flags (monitor_run_id String, run_id Nullable(String), flag_id String,
  rule_id String, result String, severity String, scope String,
  setl_id String, fixmedins_code String, period String, amount Decimal(18,2),
  evidence String) ${MT('(monitor_run_id, flag_id)')};
CREATE TABLE IF NOT EXISTS {db}.monitor_indicators (monitor_run_id String, run_id Nullable(String),
  fixmedins_code String, year Int32, indicator String, value Float64,
  peer_mean Nullable(Float64), peer_sd Nullable(Float64), peers Int32, z Nullable(Float64))
  ${MT('(monitor_run_id, fixmedins_code, indicator)')};
CREATE TABLE IF NOT EXISTS {db}.monitor_scores (monitor_run_id String, run_id Nullable(String),
  fixmedins_code String, cases Int64, violations Int64, suspicious Int64,
  deviating String, score_num Int128, score_den Int128, coefficient String) ${MT('(monitor_run_id, fixmedins_code)')};
CREATE TABLE IF NOT EXISTS {db}.monitor_reviews (flag_id String, decision String,
  reason String, reviewer String, reviewed_at DateTime64(3, 'UTC'), amount Nullable(Decimal(18,2))) ${MT('flag_id')};
`;

/** Year-end inputs: audit deductions, assessment results, special-review decisions (as DuckDB migration 9). */
const V9 = `
CREATE TABLE {db}.year_end_deductions (
  fixmedins_code String,
  period String,
  deduction_amt Decimal(18,2),
  reason String,
  source String,
  run_id String
) ${MT('(fixmedins_code, period, reason)')};

CREATE TABLE {db}.year_end_assessments (
  fixmedins_code String,
  year Int32,
  coefficient Decimal(18,6),
  source String,
  run_id String
) ${MT('(fixmedins_code, year)')};

CREATE TABLE {db}.year_end_special_reviews (
  setl_id String,
  decision String,
  payment Nullable(String),
  points Nullable(Decimal(18,6)),
  source String,
  run_id String
) ${MT('setl_id')};
`;
/** The charge date-time of a fee line (as DuckDB migration 10). */
const V10 = "ALTER TABLE {db}.fee_items ADD COLUMN fee_ocur_time Nullable(DateTime64(3, 'UTC'))";
/** What a reject's row number counts (as DuckDB migration 11). */
const V11 = 'ALTER TABLE {db}.rejects ADD COLUMN row_unit Nullable(String)';

/** Each case's settled amount (as DuckDB migration 12), keyed as run_units. */
const V12 = `CREATE TABLE {db}.run_unit_amounts (
  run_id String,
  pool_id String,
  unit_id String,
  settled_fen Int64
) ${MT('(run_id, pool_id, unit_id)')}`;

/** Every ClickHouse migration, in order. Append only. */
export const CH_MIGRATIONS: readonly Migration[] = [
  {
    version: 6,
    description: 'the store schema of version 6 (cases … settlement runs, attending doctor) in ClickHouse types',
    sql: V6,
  },
  { version: 7, description: 'medical communities’ budgets by year and fund (上年预算, R-BUD-4)', sql: V7 },
  {
    version: 8,
    description: 'what-if runs beside issued runs; the API audit log; the monitoring tables',
    sql: V8,
  },
  {
    version: 9,
    description: 'year-end inputs: audit deductions, assessment results, special-review decisions (年度清算输入)',
    sql: V9,
  },
  { version: 10, description: 'charge date-time of a fee line (费用发生时间 fee_ocur_time)', sql: V10 },
  {
    version: 11,
    description: 'what a reject’s row number counts (row_unit: the editor’s or spreadsheet’s row, or the record)',
    sql: V11,
  },
  {
    version: 12,
    description:
      'each case’s settled amount (病例结算金额: run_unit_amounts, the institution’s amount split to the fen)',
    sql: V12,
  },
];

export const CH_SCHEMA_VERSION = CH_MIGRATIONS[CH_MIGRATIONS.length - 1]!.version;

export const CH_SCHEMA_VERSION_DDL = `CREATE TABLE IF NOT EXISTS {db}.schema_version (
  version Int32,
  description String,
  applied_at DateTime64(3, 'UTC')
) ENGINE = MergeTree ORDER BY version`;

/** Split a migration into statements (ClickHouse runs one statement per request). */
export function statements(sql: string, database: string): string[] {
  return sql
    .replaceAll('{db}', database)
    .split(/;\s*\n/)
    .map((s) => s.trim().replace(/;$/, ''))
    .filter((s) => s.length > 0);
}
