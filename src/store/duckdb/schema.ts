/**
 * The versioned schema of the embedded store. Migrations are literal SQL and never edited once released:
 * a change of a table is a new migration at the end of the list. `schema_version` holds one row per applied
 * migration. Column names of the data tables are the flat-file contract of `model/columns.ts` (4101 names);
 * `schema.test.ts` checks that they still match, so a change of the contract forces a migration here.
 *
 * Money is DECIMAL(18,2) yuan (exact); lists of codes are VARCHAR[]; every data row keeps the run that
 * stored it (provenance).
 */

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

const money = (names: string[]) => names.map((n) => `  ${n} DECIMAL(18,2)`).join(',\n');

const V1 = `
CREATE TABLE cases (
  setl_id VARCHAR NOT NULL,
  mdtrt_id VARCHAR NOT NULL,
  psn_no VARCHAR NOT NULL,
  fixmedins_code VARCHAR NOT NULL,
  insutype VARCHAR NOT NULL,
  gend VARCHAR NOT NULL,
  brdy DATE,
  age INTEGER NOT NULL,
  nwb_age INTEGER,
  nwb_bir_wt INTEGER,
  nwb_adm_wt INTEGER,
  adm_time TIMESTAMP NOT NULL,
  dscg_time TIMESTAMP NOT NULL,
  act_ipt_days INTEGER NOT NULL,
  adm_way VARCHAR,
  dscg_way VARCHAR NOT NULL,
  dscg_caty VARCHAR,
  diag_codes VARCHAR[] NOT NULL,
  diag_names VARCHAR[],
  adm_cond_types VARCHAR[],
  oprn_oprt_codes VARCHAR[],
  oprn_oprt_names VARCHAR[],
  oprn_oprt_dates VARCHAR[],
  icu_days INTEGER,
  days_rinp_flag_31 BOOLEAN,
  medfee_sumamt DECIMAL(18,2) NOT NULL,
  hifp_pay DECIMAL(18,2) NOT NULL,
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
  content_hash VARCHAR NOT NULL,
  run_id VARCHAR NOT NULL
);

CREATE TABLE fee_items (
  setl_id VARCHAR NOT NULL,
  line_no INTEGER NOT NULL,
  med_list_codg VARCHAR NOT NULL,
  med_list_name VARCHAR,
  chrgitm_lv VARCHAR NOT NULL,
  med_chrgitm_type VARCHAR,
  cnt DECIMAL(18,4) NOT NULL,
  pric DECIMAL(18,2) NOT NULL,
  det_item_fee_sumamt DECIMAL(18,2) NOT NULL,
  content_hash VARCHAR NOT NULL,
  run_id VARCHAR NOT NULL
);

CREATE TABLE institutions (
  fixmedins_code VARCHAR NOT NULL,
  fixmedins_name VARCHAR NOT NULL,
  hosp_lv VARCHAR NOT NULL,
  inst_type VARCHAR NOT NULL,
  admdvs VARCHAR NOT NULL,
  mc_id VARCHAR,
  mc_lead BOOLEAN,
  content_hash VARCHAR NOT NULL,
  run_id VARCHAR NOT NULL
);

CREATE TABLE persons (
  psn_no VARCHAR NOT NULL,
  gend VARCHAR NOT NULL,
  brdy DATE NOT NULL,
  insutype VARCHAR NOT NULL,
  admdvs VARCHAR NOT NULL,
  content_hash VARCHAR NOT NULL,
  run_id VARCHAR NOT NULL
);

CREATE TABLE enrolments (
  psn_no VARCHAR NOT NULL,
  opsp_dise_code VARCHAR NOT NULL,
  dise_class INTEGER NOT NULL,
  insutype VARCHAR NOT NULL,
  treat_fixmedins_code VARCHAR NOT NULL,
  fd_fixmedins_code VARCHAR,
  begndate DATE NOT NULL,
  enddate DATE NOT NULL,
  content_hash VARCHAR NOT NULL,
  run_id VARCHAR NOT NULL
);

CREATE TABLE codes (
  kind VARCHAR NOT NULL,
  code VARCHAR NOT NULL,
  name VARCHAR NOT NULL,
  proc_type VARCHAR,
  list_version VARCHAR,
  run_id VARCHAR NOT NULL,
  PRIMARY KEY (kind, code)
);

CREATE TABLE rejects (
  run_id VARCHAR NOT NULL,
  kind VARCHAR NOT NULL,
  source VARCHAR NOT NULL,
  row_no BIGINT NOT NULL,
  record_key VARCHAR,
  field VARCHAR,
  code VARCHAR NOT NULL,
  message_zh VARCHAR NOT NULL,
  message_en VARCHAR NOT NULL,
  raw VARCHAR
);

CREATE TABLE runs (
  run_id VARCHAR PRIMARY KEY,
  command VARCHAR NOT NULL,
  inputs VARCHAR NOT NULL,
  policy VARCHAR,
  counts VARCHAR NOT NULL,
  started_at TIMESTAMP NOT NULL,
  finished_at TIMESTAMP NOT NULL,
  duration_ms BIGINT NOT NULL,
  status VARCHAR NOT NULL,
  message VARCHAR
);
`;

/**
 * Content is compared when a key meets a stored key (values compared directly), so no row needs a stored
 * hash: hashing every row cost about a third of typing it.
 */
const V2 = ['cases', 'fee_items', 'institutions', 'persons', 'enrolments']
  .map((t) => `ALTER TABLE ${t} DROP COLUMN content_hash;`)
  .join('\n');

/** Outpatient special-disease settlements (门特结算记录, OUTPATIENT_COLUMNS), one row per settled visit. */
const V3 = `
CREATE TABLE outpatient_settlements (
  setl_id VARCHAR NOT NULL,
  mdtrt_id VARCHAR,
  psn_no VARCHAR NOT NULL,
  fixmedins_code VARCHAR NOT NULL,
  insutype VARCHAR NOT NULL,
  opsp_dise_code VARCHAR NOT NULL,
  opsp_dise_name VARCHAR,
  setl_time TIMESTAMP NOT NULL,
  medfee_sumamt DECIMAL(18,2) NOT NULL,
  hifp_pay DECIMAL(18,2) NOT NULL,
${money(['outp_adj_fee', 'psn_selfpay', 'psn_ownpay', 'acct_pay', 'psn_cashpay'])},
  run_id VARCHAR NOT NULL
);
`;

/**
 * Local → national code mapping (R-DATA-1, 编码对照): `code_maps` holds one map per code kind (icd10, icd9);
 * ingest translates incoming codes through it before the code-list check and keeps each translation of an
 * accepted row in `code_translations` (the original code is never lost).
 */
const V4 = `
CREATE TABLE code_maps (
  kind VARCHAR NOT NULL,
  source_code VARCHAR NOT NULL,
  code VARCHAR NOT NULL,
  map_version VARCHAR,
  run_id VARCHAR NOT NULL,
  PRIMARY KEY (kind, source_code)
);

CREATE TABLE code_translations (
  run_id VARCHAR NOT NULL,
  kind VARCHAR NOT NULL,
  setl_id VARCHAR NOT NULL,
  field VARCHAR NOT NULL,
  position INTEGER NOT NULL,
  source_code VARCHAR NOT NULL,
  code VARCHAR NOT NULL
);
`;

/**
 * Settlement runs and their results (结算运行与结果): one row per run with its inputs' hashes, the content of every
 * policy file it applied (so a run can be explained from its own policy after today's files change), what it
 * derived (catalog, weights, opening point value, last year's fund payment), and its results per unit (case or
 * head), per institution-month, per institution year-end, per pool, per pool-month and per group. Money is integer
 * fen (BIGINT); points are integer 1/10000 points; point values and ratios are exact ratios (numerator and
 * denominator as text) with a DECIMAL(38,12) copy for SQL and their display text. Traces (steps) are JSON text.
 */
const V5 = `
CREATE TABLE settlement_runs (
  run_id VARCHAR PRIMARY KEY,
  region VARCHAR NOT NULL,
  year INTEGER NOT NULL,
  command VARCHAR NOT NULL,
  case_method VARCHAR NOT NULL,
  methods VARCHAR[] NOT NULL,
  inputs VARCHAR NOT NULL,
  counts VARCHAR NOT NULL,
  started_at TIMESTAMP NOT NULL,
  finished_at TIMESTAMP NOT NULL,
  status VARCHAR NOT NULL,
  message VARCHAR
);

CREATE TABLE run_policies (
  run_id VARCHAR NOT NULL,
  policy_id VARCHAR NOT NULL,
  kind VARCHAR NOT NULL,
  region VARCHAR NOT NULL,
  version VARCHAR NOT NULL,
  file VARCHAR NOT NULL,
  sha256 VARCHAR NOT NULL,
  content VARCHAR NOT NULL,
  PRIMARY KEY (run_id, policy_id)
);

CREATE TABLE run_derived (
  run_id VARCHAR NOT NULL,
  kind VARCHAR NOT NULL,
  name VARCHAR NOT NULL,
  content VARCHAR NOT NULL,
  PRIMARY KEY (run_id, kind, name)
);

CREATE TABLE run_units (
  run_id VARCHAR NOT NULL,
  pool_id VARCHAR NOT NULL,
  unit_id VARCHAR NOT NULL,
  method VARCHAR NOT NULL,
  institution VARCHAR NOT NULL,
  month VARCHAR NOT NULL,
  grp VARCHAR,
  status VARCHAR NOT NULL,
  points BIGINT,
  amount_fen BIGINT,
  billed_fen BIGINT NOT NULL,
  patient_paid_fen BIGINT NOT NULL,
  basis VARCHAR,
  trace VARCHAR
);

CREATE TABLE run_pools (
  run_id VARCHAR NOT NULL,
  pool_id VARCHAR NOT NULL,
  fund_fen BIGINT NOT NULL,
  point_value_rule VARCHAR NOT NULL,
  point_value_num VARCHAR NOT NULL,
  point_value_den VARCHAR NOT NULL,
  point_value DECIMAL(38,12) NOT NULL,
  point_value_text VARCHAR NOT NULL,
  floating_point_value_num VARCHAR,
  floating_point_value_den VARCHAR,
  fund_payment_ratio_num VARCHAR NOT NULL,
  fund_payment_ratio_den VARCHAR NOT NULL,
  opening_point_value_num VARCHAR NOT NULL,
  opening_point_value_den VARCHAR NOT NULL,
  summary VARCHAR NOT NULL,
  point_value_steps VARCHAR NOT NULL,
  steps VARCHAR NOT NULL,
  PRIMARY KEY (run_id, pool_id)
);

CREATE TABLE run_pool_months (
  run_id VARCHAR NOT NULL,
  pool_id VARCHAR NOT NULL,
  month VARCHAR NOT NULL,
  point_value_num VARCHAR NOT NULL,
  point_value_den VARCHAR NOT NULL,
  point_value DECIMAL(38,12) NOT NULL,
  point_value_text VARCHAR NOT NULL,
  quota_fen BIGINT,
  steps VARCHAR NOT NULL,
  PRIMARY KEY (run_id, pool_id, month)
);

CREATE TABLE run_institution_months (
  run_id VARCHAR NOT NULL,
  pool_id VARCHAR NOT NULL,
  institution VARCHAR NOT NULL,
  month VARCHAR NOT NULL,
  units INTEGER NOT NULL,
  points BIGINT NOT NULL,
  amount_fen BIGINT NOT NULL,
  point_value_num VARCHAR NOT NULL,
  point_value_den VARCHAR NOT NULL,
  value_fen BIGINT NOT NULL,
  patient_paid_fen BIGINT NOT NULL,
  gross_fen BIGINT NOT NULL,
  prepay_ratio_num VARCHAR NOT NULL,
  prepay_ratio_den VARCHAR NOT NULL,
  prepay_fen BIGINT NOT NULL,
  deposit_fen BIGINT NOT NULL,
  deductions_fen BIGINT NOT NULL,
  payment_fen BIGINT NOT NULL,
  steps VARCHAR NOT NULL,
  PRIMARY KEY (run_id, pool_id, institution, month)
);

CREATE TABLE run_institution_year (
  run_id VARCHAR NOT NULL,
  pool_id VARCHAR NOT NULL,
  institution VARCHAR NOT NULL,
  level VARCHAR,
  units INTEGER NOT NULL,
  points BIGINT NOT NULL,
  amount_fen BIGINT NOT NULL,
  billed_fen BIGINT NOT NULL,
  patient_paid_fen BIGINT NOT NULL,
  by_status VARCHAR NOT NULL,
  advance_fen BIGINT NOT NULL,
  monthly_paid_fen BIGINT NOT NULL,
  deposit_held_fen BIGINT NOT NULL,
  value_fen BIGINT NOT NULL,
  gross_fen BIGINT NOT NULL,
  ffs_fund_fen BIGINT NOT NULL,
  sharing VARCHAR,
  after_sharing_fen BIGINT NOT NULL,
  assessment_num VARCHAR NOT NULL,
  assessment_den VARCHAR NOT NULL,
  after_assessment_fen BIGINT NOT NULL,
  deductions_fen BIGINT NOT NULL,
  year_end_fen BIGINT NOT NULL,
  clearing_fen BIGINT NOT NULL,
  steps VARCHAR NOT NULL,
  PRIMARY KEY (run_id, pool_id, institution)
);

CREATE TABLE run_groups (
  run_id VARCHAR NOT NULL,
  pool_id VARCHAR NOT NULL,
  method VARCHAR NOT NULL,
  grp VARCHAR NOT NULL,
  units INTEGER NOT NULL,
  points BIGINT NOT NULL,
  amount_fen BIGINT NOT NULL,
  value_fen BIGINT NOT NULL,
  billed_fen BIGINT NOT NULL,
  difference_fen BIGINT NOT NULL
);
`;

/** The attending doctor of the settlement list (主诊医师代码/姓名, 4101 chfpdr_code / chfpdr_name). */
const V_DOCTOR = `ALTER TABLE cases ADD COLUMN chfpdr_code VARCHAR;
ALTER TABLE cases ADD COLUMN chfpdr_name VARCHAR;`;

/**
 * Each medical community's budget by year and fund as its year was reconciled (R-BUD-4): the next year's budget
 * reads it for the floor after saving (不降低下年度总额付费预算指标). One row per region, year, community and fund;
 * a later reconciliation of the same year replaces it.
 */
const V_COMMUNITY_BUDGETS = `CREATE TABLE community_budgets (
  region VARCHAR NOT NULL,
  year INTEGER NOT NULL,
  community_id VARCHAR NOT NULL,
  fund VARCHAR NOT NULL,
  budget_fen BIGINT NOT NULL,
  actual_fen BIGINT,
  saved_by_control BOOLEAN NOT NULL,
  run_id VARCHAR NOT NULL,
  stored_at TIMESTAMP NOT NULL,
  PRIMARY KEY (region, year, community_id, fund)
);`;

/**
 * What-if runs (政策模拟运行), the API's audit log (审计日志) and the smart-monitoring tables (智能监控).
 * A settlement run is `issued` (the one statements, `explain` and "latest" read) or a `what-if`: the same pipeline on
 * the same store with changed policy values, recorded beside the run it is compared with (`base_run_id`) and never
 * taken for the run in force. The audit and monitoring tables were created on first use before this migration;
 * `IF NOT EXISTS` keeps stores that already hold them.
 */
const V_WHATIF_AUDIT_MONITOR = `
ALTER TABLE settlement_runs ADD COLUMN kind VARCHAR DEFAULT 'issued';
ALTER TABLE settlement_runs ADD COLUMN base_run_id VARCHAR;
UPDATE settlement_runs SET kind = 'issued' WHERE kind IS NULL;

CREATE TABLE IF NOT EXISTS api_audit (
  logged_at TIMESTAMP NOT NULL, actor VARCHAR NOT NULL, role VARCHAR NOT NULL, action VARCHAR NOT NULL,
  target VARCHAR, detail VARCHAR);

CREATE TABLE IF NOT EXISTS monitor_runs (monitor_run_id VARCHAR PRIMARY KEY, run_id VARCHAR, region VARCHAR NOT NULL,
  year INTEGER NOT NULL, policy_id VARCHAR NOT NULL, policy_version VARCHAR NOT NULL, cases BIGINT NOT NULL,
  flags BIGINT NOT NULL, started_at TIMESTAMP NOT NULL, duration_ms BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS monitor_flags (monitor_run_id VARCHAR NOT NULL, run_id VARCHAR, flag_id VARCHAR NOT NULL,
  rule_id VARCHAR NOT NULL, result VARCHAR NOT NULL, severity VARCHAR NOT NULL, scope VARCHAR NOT NULL,
  setl_id VARCHAR NOT NULL, fixmedins_code VARCHAR NOT NULL, period VARCHAR NOT NULL, amount DECIMAL(18,2) NOT NULL,
  evidence VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS monitor_indicators (monitor_run_id VARCHAR NOT NULL, run_id VARCHAR,
  fixmedins_code VARCHAR NOT NULL, year INTEGER NOT NULL, indicator VARCHAR NOT NULL, value DOUBLE NOT NULL,
  peer_mean DOUBLE, peer_sd DOUBLE, peers INTEGER NOT NULL, z DOUBLE);
CREATE TABLE IF NOT EXISTS monitor_scores (monitor_run_id VARCHAR NOT NULL, run_id VARCHAR,
  fixmedins_code VARCHAR NOT NULL, cases BIGINT NOT NULL, violations BIGINT NOT NULL, suspicious BIGINT NOT NULL,
  deviating VARCHAR NOT NULL, score_num HUGEINT NOT NULL, score_den HUGEINT NOT NULL, coefficient VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS monitor_reviews (flag_id VARCHAR PRIMARY KEY, decision VARCHAR NOT NULL,
  reason VARCHAR NOT NULL, reviewer VARCHAR NOT NULL, reviewed_at TIMESTAMP NOT NULL, amount DECIMAL(18,2));
`;

/**
 * Year-end inputs of a settlement (年度清算输入, src/ingest/kinds/year-end.ts): audit deductions (审核扣款), assessment
 * results (考核系数) and special-review decisions (特例单议结果), ingested like every kind and read by `settle` for its
 * year. Coefficients and points are exact decimals.
 */
const V_YEAR_END = `
CREATE TABLE year_end_deductions (
  fixmedins_code VARCHAR NOT NULL,
  period VARCHAR NOT NULL,
  deduction_amt DECIMAL(18,2) NOT NULL,
  reason VARCHAR NOT NULL,
  source VARCHAR NOT NULL,
  run_id VARCHAR NOT NULL
);

CREATE TABLE year_end_assessments (
  fixmedins_code VARCHAR NOT NULL,
  year INTEGER NOT NULL,
  coefficient DECIMAL(18,6) NOT NULL,
  source VARCHAR NOT NULL,
  run_id VARCHAR NOT NULL
);

CREATE TABLE year_end_special_reviews (
  setl_id VARCHAR NOT NULL,
  decision VARCHAR NOT NULL,
  payment VARCHAR,
  points DECIMAL(18,6),
  source VARCHAR NOT NULL,
  run_id VARCHAR NOT NULL
);
`;

/**
 * The charge date-time of a fee line (费用发生时间, fee_ocur_time of the 2301 fee-detail upload): optional, NULL for
 * lines stored before it or sent without it. Number 10: 9 is taken by a parallel change.
 */
const V_FEE_OCCURRED = 'ALTER TABLE fee_items ADD COLUMN fee_ocur_time TIMESTAMP;';

/**
 * What a reject's `row_no` counts (StoredReject.unit): 'row' — the line of a CSV file or the row of a worksheet
 * as the user's editor or spreadsheet numbers it (the header is row 1); 'record' — the 1-based record number of a
 * file without header lines (Parquet, 4101 JSON). NULL for rejects stored before: those counted records (1 = the
 * first record under the header) in every format.
 */
const V_REJECT_ROW_UNIT = 'ALTER TABLE rejects ADD COLUMN row_unit VARCHAR;';

/**
 * 病例结算金额 (R-DIP-6): each unit's share of its institution's points × point value, in fen, as the run split it
 * (settlement policy `caseAmountRounding`). A table beside `run_units` (not a column of it) so that ClickHouse fills it
 * with one INSERT … SELECT after the pool is settled, as DuckDB does; a run stored before, or under `none`, has no
 * rows here and reads as "not stored".
 */
const V_UNIT_AMOUNTS = `CREATE TABLE run_unit_amounts (
  run_id VARCHAR NOT NULL,
  pool_id VARCHAR NOT NULL,
  unit_id VARCHAR NOT NULL,
  settled_fen BIGINT NOT NULL
);`;

/** Every migration, in order. Append only. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'cases, fee items, institutions, persons, enrolments, code lists, rejects, runs',
    sql: V1,
  },
  {
    version: 2,
    description: 'drop stored content hashes (content is compared on demand)',
    sql: V2,
  },
  {
    version: 3,
    description: 'outpatient special-disease settlements (门特结算记录)',
    sql: V3,
  },
  {
    version: 4,
    description: 'local → national code maps and the translations made at ingest (编码对照)',
    sql: V4,
  },
  {
    version: 5,
    description: 'settlement runs: inputs, policy snapshots, derived values and results per unit, institution, pool',
    sql: V5,
  },
  {
    version: 6,
    description: 'attending doctor of a case (主诊医师代码/姓名)',
    sql: V_DOCTOR,
  },
  {
    version: 7,
    description: 'medical communities’ budgets by year and fund (上年预算, R-BUD-4)',
    sql: V_COMMUNITY_BUDGETS,
  },
  {
    version: 8,
    description:
      'what-if runs beside issued runs; the API audit log; the monitoring tables (flags, indicators, scores, reviews)',
    sql: V_WHATIF_AUDIT_MONITOR,
  },
  {
    version: 9,
    description: 'year-end inputs: audit deductions, assessment results, special-review decisions (年度清算输入)',
    sql: V_YEAR_END,
  },
  {
    version: 10,
    description: 'charge date-time of a fee line (费用发生时间 fee_ocur_time)',
    sql: V_FEE_OCCURRED,
  },
  {
    version: 11,
    description: 'what a reject’s row number counts (row_unit: the editor’s or spreadsheet’s row, or the record)',
    sql: V_REJECT_ROW_UNIT,
  },
  {
    version: 12,
    description:
      'each case’s settled amount (病例结算金额: run_unit_amounts, the institution’s amount split to the fen)',
    sql: V_UNIT_AMOUNTS,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export const SCHEMA_VERSION_DDL = `CREATE TABLE IF NOT EXISTS schema_version (
  version INTEGER PRIMARY KEY,
  description VARCHAR NOT NULL,
  applied_at TIMESTAMP NOT NULL
)`;

/** Tables the store owns; result tables of engines may not take these names. */
export const CORE_TABLES: ReadonlySet<string> = new Set([
  'schema_version',
  'cases',
  'fee_items',
  'institutions',
  'persons',
  'enrolments',
  'outpatient_settlements',
  'codes',
  'code_maps',
  'code_translations',
  'rejects',
  'runs',
  'settlement_runs',
  'run_policies',
  'run_derived',
  'run_units',
  'run_pools',
  'run_pool_months',
  'run_institution_months',
  'run_institution_year',
  'run_groups',
  'run_unit_amounts',
  'community_budgets',
  'api_audit',
  'monitor_runs',
  'monitor_flags',
  'monitor_indicators',
  'monitor_scores',
  'monitor_reviews',
  'year_end_deductions',
  'year_end_assessments',
  'year_end_special_reviews',
]);
