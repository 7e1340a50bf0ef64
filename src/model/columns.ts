/**
 * Flat-file columns (CSV / Parquet / XLSX). Names are the national settlement-list interface (4101) field names
 * wherever one exists; lists (diagnoses, procedures) are `|`-separated, first = principal / main. Money columns
 * are yuan with at most two decimals (as HIS exports write them) and are stored as DECIMAL(18,2).
 * This table is the contract between the synthetic generator, the ingest, the store and the README.
 */

export type ColumnType = 'text' | 'int' | 'money' | 'date' | 'datetime' | 'code' | 'code-list' | 'text-list' | 'flag';

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  required: boolean;
  zh: string;
  en: string;
  /** Other header names taken as this column in this kind of file only (e.g. 原因 for a deduction's reason). */
  aliases?: readonly string[];
}

const c = (
  name: string,
  type: ColumnType,
  required: boolean,
  zh: string,
  en: string,
  aliases?: readonly string[],
): ColumnSpec => ({
  name,
  type,
  required,
  zh,
  en,
  ...(aliases ? { aliases } : {}),
});

/** Inpatient settlement list, one row per settlement (setlinfo + diseinfo + oprninfo + icuinfo flattened). */
export const CASE_COLUMNS: readonly ColumnSpec[] = [
  c('setl_id', 'text', true, '结算ID', 'settlement id (unique)'),
  c('mdtrt_id', 'text', true, '就诊ID', 'admission (treatment) id'),
  c('psn_no', 'text', true, '人员编号', 'insured person number'),
  c('fixmedins_code', 'code', true, '定点医药机构编号', 'institution code'),
  c('insutype', 'code', true, '险种类型 310职工/390居民', 'insurance type: 310 employee, 390 resident'),
  c('gend', 'code', true, '性别 1男 2女 9未说明', 'sex: 1 male, 2 female, 9 unknown'),
  c('brdy', 'date', false, '出生日期', 'birth date'),
  c('age', 'int', true, '年龄(岁)', 'age in years'),
  c('nwb_age', 'int', false, '新生儿入院年龄(天)', 'age in days (under one year)'),
  c('nwb_bir_wt', 'int', false, '新生儿出生体重(克)', 'newborn birth weight (g)'),
  c('nwb_adm_wt', 'int', false, '新生儿入院体重(克)', 'newborn admission weight (g)'),
  c('adm_time', 'datetime', true, '入院时间', 'admission date-time'),
  c('dscg_time', 'datetime', true, '出院时间', 'discharge date-time'),
  c('act_ipt_days', 'int', true, '实际住院天数', 'length of stay (days)'),
  c('adm_way', 'code', false, '入院途径', 'admission route'),
  c('dscg_way', 'code', true, '离院方式 1医嘱离院 2转院 3转社区 4非医嘱 5死亡 9其他', 'discharge way (5 = death)'),
  c('dscg_caty', 'code', false, '出院科别', 'discharge department'),
  c('chfpdr_code', 'code', false, '主诊医师代码', 'attending doctor code'),
  c('chfpdr_name', 'text', false, '主诊医师姓名', 'attending doctor name'),
  c('diag_codes', 'code-list', true, '诊断编码(首个为主要诊断)', 'diagnosis codes, principal first'),
  c('diag_names', 'text-list', false, '诊断名称', 'diagnosis names'),
  c('adm_cond_types', 'text-list', false, '入院病情', 'admission condition per diagnosis'),
  c('oprn_oprt_codes', 'code-list', false, '手术操作编码(首个为主要手术)', 'procedure codes, main first'),
  c('oprn_oprt_names', 'text-list', false, '手术操作名称', 'procedure names'),
  c('oprn_oprt_dates', 'text-list', false, '手术操作日期', 'procedure dates'),
  c('icu_days', 'int', false, '重症监护天数合计', 'ICU days in total'),
  c('days_rinp_flag_31', 'flag', false, '出院31天内再住院计划 0无 1有', 'planned readmission within 31 days'),
  c('medfee_sumamt', 'money', true, '医疗费总额', 'total medical cost'),
  c('hifp_pay', 'money', true, '统筹基金支出', 'pooled-fund payment'),
  c('psn_selfpay', 'money', false, '个人自付', 'patient co-payment (自付)'),
  c('psn_ownpay', 'money', false, '个人自费', 'patient own payment for uncovered items (自费)'),
  c('acct_pay', 'money', false, '个人账户支出', 'personal account payment'),
  c('psn_cashpay', 'money', false, '个人现金支付', 'patient cash payment'),
  c('fee_bed', 'money', false, '床位费(01)', 'bed (01)'),
  c('fee_diag', 'money', false, '诊察费(02)', 'consultation (02)'),
  c('fee_exam', 'money', false, '检查费(03)', 'examination (03)'),
  c('fee_lab', 'money', false, '化验费(04)', 'laboratory (04)'),
  c('fee_treat', 'money', false, '治疗费(05)', 'treatment (05)'),
  c('fee_oprn', 'money', false, '手术费(06)', 'surgery (06)'),
  c('fee_nurs', 'money', false, '护理费(07)', 'nursing (07)'),
  c('fee_mcs', 'money', false, '卫生材料费(08)', 'medical consumables (08)'),
  c('fee_wm', 'money', false, '西药费(09)', 'western drugs (09)'),
  c('fee_tcmherb', 'money', false, '中药饮片费(10)', 'herbal pieces (10)'),
  c('fee_tcmpat', 'money', false, '中成药费(11)', 'Chinese patent drugs (11)'),
  c('fee_gen', 'money', false, '一般诊疗费(12)', 'general service (12)'),
  c('fee_reg', 'money', false, '挂号费(13)', 'registration (13)'),
  c('fee_oth', 'money', false, '其他费(14)', 'other (14)'),
];

export const FEE_COLUMNS = CASE_COLUMNS.filter((col) => col.name.startsWith('fee_')).map((col) => col.name);

/** Fee line items (费用明细, iteminfo). */
export const FEE_ITEM_COLUMNS: readonly ColumnSpec[] = [
  c('setl_id', 'text', true, '结算ID', 'settlement id'),
  c('med_list_codg', 'code', true, '医保目录编码', 'catalog item code'),
  c('med_list_name', 'text', false, '项目名称', 'item name'),
  c('chrgitm_lv', 'code', true, '收费项目等级 01甲类 02乙类 03丙类', 'catalog class: 01 A, 02 B, 03 C'),
  c('med_chrgitm_type', 'code', false, '医疗收费项目类别', 'charge category (01–14)'),
  c('cnt', 'text', true, '数量', 'quantity (decimal)'),
  c('pric', 'money', true, '单价', 'unit price'),
  c('det_item_fee_sumamt', 'money', true, '明细项目费用总额', 'line amount'),
  c('fee_ocur_time', 'datetime', false, '费用发生时间', 'charge date-time'),
];

/** Designated institutions. */
export const INSTITUTION_COLUMNS: readonly ColumnSpec[] = [
  c('fixmedins_code', 'code', true, '定点医药机构编号', 'institution code'),
  c('fixmedins_name', 'text', true, '机构名称', 'name'),
  c('hosp_lv', 'code', true, '医院等级 三级/二级/一级/基层', 'level: 3, 2, 1 or primary (or level 3, …)'),
  c(
    'inst_type',
    'code',
    true,
    '机构类型 综合医院/中医医院/精神专科医院/康复医院/基层医疗机构/妇幼保健院',
    'type: general, tcm, psychiatric, rehabilitation, primary or maternal-child (or general hospital, …)',
  ),
  c('admdvs', 'code', true, '所属区县', 'county code'),
  c('mc_id', 'code', false, '医共体编号', 'medical community id'),
  c('mc_lead', 'flag', false, '是否牵头医院', 'lead hospital of its community'),
];

/** Insured persons. */
export const PERSON_COLUMNS: readonly ColumnSpec[] = [
  c('psn_no', 'text', true, '人员编号', 'person number'),
  c('gend', 'code', true, '性别', 'sex'),
  c('brdy', 'date', true, '出生日期', 'birth date'),
  c('insutype', 'code', true, '险种类型', 'insurance type'),
  c('admdvs', 'code', true, '参保地区县', 'county'),
];

/** Outpatient special-disease entitlements and enrolments (门特待遇与定点). */
export const ENROLMENT_COLUMNS: readonly ColumnSpec[] = [
  c('psn_no', 'text', true, '人员编号', 'person number'),
  c('opsp_dise_code', 'code', true, '门特病种编码', 'special-disease code'),
  c('dise_class', 'int', true, '门特类别 1一类 2二类', 'class 1 or 2'),
  c('insutype', 'code', true, '险种类型', 'insurance type'),
  c('treat_fixmedins_code', 'code', true, '治疗定点机构', 'treating institution'),
  c('fd_fixmedins_code', 'code', false, '家庭医生签约机构', 'family-doctor institution'),
  c('begndate', 'date', true, '开始日期', 'from (inclusive)'),
  c('enddate', 'date', true, '结束日期', 'to (inclusive)'),
];

/**
 * Outpatient special-disease settlements (门特结算记录), one row per settled visit. `outp_adj_fee` (门诊调增费用) has
 * no national field name; it is a fund amount on top of hifp_pay (see src/model/outpatient.ts).
 */
export const OUTPATIENT_COLUMNS: readonly ColumnSpec[] = [
  c('setl_id', 'text', true, '结算ID', 'settlement id (unique)'),
  c('mdtrt_id', 'text', false, '就诊ID', 'visit (treatment) id'),
  c('psn_no', 'text', true, '人员编号', 'insured person number'),
  c('fixmedins_code', 'code', true, '定点医药机构编号', 'institution code'),
  c('insutype', 'code', true, '险种类型 310职工/390居民', 'insurance type: 310 employee, 390 resident'),
  c('opsp_dise_code', 'code', true, '门特病种编码', 'special-disease code'),
  c('opsp_dise_name', 'text', false, '门特病种名称', 'special-disease name'),
  c('setl_time', 'datetime', true, '结算时间', 'settlement date-time'),
  c('medfee_sumamt', 'money', true, '医疗费总额', 'total medical cost'),
  c('hifp_pay', 'money', true, '统筹基金支出', 'pooled-fund payment'),
  c('outp_adj_fee', 'money', false, '门诊调增费用', 'outpatient adjustment fee (fund, on top of hifp_pay)'),
  c('psn_selfpay', 'money', false, '个人自付', 'patient co-payment (自付)'),
  c('psn_ownpay', 'money', false, '个人自费', 'patient own payment for uncovered items (自费)'),
  c('acct_pay', 'money', false, '个人账户支出', 'personal account payment'),
  c('psn_cashpay', 'money', false, '个人现金支付', 'patient cash payment'),
];

/**
 * Year-end inputs of a settlement (年度清算输入, R-DIP-6 / R-DIP-3): audit deductions (审核扣款), assessment results
 * (考核结果 → 考核系数) and special-review decisions (特例单议结果). They have no national interface field names; the
 * names here are yibao's, with the Chinese labels and the English header words of the earlier `--year-end` files as
 * aliases. `coefficient` and `points` are exact decimals (the ingest reads them as `decimal`, never DOUBLE).
 */
export const DEDUCTION_COLUMNS: readonly ColumnSpec[] = [
  c('fixmedins_code', 'code', true, '定点医药机构编号', 'institution code', ['institution']),
  c('period', 'text', true, '期间 YYYY 或 YYYY-MM', 'period: YYYY (year end) or YYYY-MM (that month)', ['扣款期间']),
  c('deduction_amt', 'money', true, '扣款金额', 'amount deducted (yuan)', ['amount', '金额']),
  c('reason', 'text', true, '扣款原因', 'reason', ['原因']),
  c('source', 'text', true, '依据', 'source: the audit decision or document', ['扣款依据']),
];

export const ASSESSMENT_COLUMNS: readonly ColumnSpec[] = [
  c('fixmedins_code', 'code', true, '定点医药机构编号', 'institution code', ['institution']),
  c('year', 'int', true, '考核年度', 'year assessed', ['年度']),
  c('coefficient', 'text', true, '考核系数', 'assessment coefficient (0 < c ≤ 2)'),
  c('source', 'text', true, '依据', 'source: the assessment document', ['考核依据']),
];

export const SPECIAL_REVIEW_COLUMNS: readonly ColumnSpec[] = [
  c('setl_id', 'text', true, '结算ID', 'settlement id of the case'),
  c('decision', 'code', true, '评审结果 通过/不通过', 'decision: approved or rejected', ['结果']),
  c('payment', 'code', false, '支付方式 按项目/按点数', 'payment of an approved case: items or points', ['付费方式']),
  c('points', 'text', false, '点数', 'points the panel set (with 按点数/points)', ['评审点数']),
  c('source', 'text', true, '依据', 'source: the panel decision', ['评审依据']),
];

/**
 * Other names of a column in the files regions send (one table, documented in the README).
 * - `accepted`: header names taken as the column without asking — the short Chinese names HIS exports and
 *   hand-made sheets use (性别, 年龄, 主要诊断 …). A column's Chinese label (`zh`) and its short form (the label
 *   up to the first space or bracket, e.g. 年龄 for 年龄(岁)) are always accepted as well.
 * - `resembles`: names that likely mean the column but could mean something else (oprn_codes); a file that has
 *   one stops with "did you mean", and `--columns NAME=COLUMN` (or `NAME=-` to ignore it) decides.
 */
export const COLUMN_ALIASES: Readonly<Record<string, { accepted?: readonly string[]; resembles?: readonly string[] }>> =
  {
    setl_id: { accepted: ['结算编号', '结算流水号'], resembles: ['setlid', 'settle_id', 'settlement_id'] },
    mdtrt_id: { accepted: ['就诊编号', '就诊流水号'], resembles: ['mdtrtid', 'visit_id'] },
    psn_no: { accepted: ['个人编号', '人员编码'], resembles: ['hi_no', 'psn_id', 'person_no'] },
    fixmedins_code: {
      accepted: ['机构编码', '定点机构编码', '医疗机构编码'],
      resembles: ['fixmedins_no', 'hosp_code'],
    },
    insutype: { accepted: ['险种', '险种类型'], resembles: ['hi_type', 'insu_type'] },
    gend: { accepted: ['性别'], resembles: ['gender', 'sex'] },
    brdy: { accepted: ['出生日期'], resembles: ['birthday', 'birth_date'] },
    age: { accepted: ['年龄', '年龄(岁)', '年龄（岁）'] },
    nwb_age: { accepted: ['新生儿年龄', '年龄(天)', '年龄（天）', '新生儿入院年龄'] },
    nwb_bir_wt: { accepted: ['新生儿出生体重'] },
    nwb_adm_wt: { accepted: ['新生儿入院体重'] },
    adm_time: { accepted: ['入院日期'], resembles: ['adm_date', 'admission_time'] },
    dscg_time: { accepted: ['出院日期'], resembles: ['dscg_date', 'discharge_time'] },
    act_ipt_days: { accepted: ['住院天数'], resembles: ['ipt_days', 'los'] },
    adm_way: { accepted: ['入院途径'] },
    dscg_way: { accepted: ['离院方式'] },
    dscg_caty: { accepted: ['出院科别', '出院科室'] },
    diag_codes: {
      accepted: ['主要诊断', '主要诊断编码', '诊断编码'],
      resembles: ['diag_code', 'dise_codes', 'dise_code', 'diagnosis_codes'],
    },
    diag_names: { accepted: ['诊断名称'], resembles: ['diag_name', 'dise_names'] },
    adm_cond_types: { accepted: ['入院病情'], resembles: ['adm_cond_type', 'adm_cond'] },
    oprn_oprt_codes: {
      accepted: ['主要手术', '主要手术编码', '手术操作编码', '手术编码'],
      resembles: ['oprn_codes', 'oprn_code', 'oprn_oprt_code', 'procedure_codes'],
    },
    oprn_oprt_names: { accepted: ['手术操作名称', '手术名称'], resembles: ['oprn_names', 'oprn_oprt_name'] },
    oprn_oprt_dates: { accepted: ['手术操作日期', '手术日期'], resembles: ['oprn_dates', 'oprn_oprt_date'] },
    icu_days: { accepted: ['重症监护天数'], resembles: ['icu_day'] },
    days_rinp_flag_31: { accepted: ['31天内再住院计划'] },
    medfee_sumamt: { accepted: ['医疗总费用', '总费用', '费用总额'], resembles: ['medfee_sum', 'total_fee'] },
    hifp_pay: { accepted: ['统筹支付', '统筹基金支付'], resembles: ['fund_pay', 'hifp_payamt'] },
    psn_selfpay: { accepted: ['自付'] },
    psn_ownpay: { accepted: ['自费'] },
    acct_pay: { accepted: ['个人账户支付', '账户支付'] },
    psn_cashpay: { accepted: ['现金支付'] },
    fixmedins_name: { accepted: ['医疗机构名称', '定点机构名称'] },
    // The labels before the words were accepted (templates and rejects files written by earlier versions).
    hosp_lv: { accepted: ['医院等级', '医院等级 3/2/1/primary'] },
    inst_type: { accepted: ['机构类型', '机构类型 general/tcm/psychiatric/rehabilitation/primary/maternal-child'] },
    admdvs: { accepted: ['区县', '医保区划'] },
    opsp_dise_code: { accepted: ['门特病种', '门慢门特病种编码'] },
    setl_time: { accepted: ['结算日期'], resembles: ['setl_date'] },
  };

/**
 * The units a header may carry after a column's name, in brackets (医疗总费用(元), 统筹基金支付（元）, 住院天数(天)),
 * by the unit the column is in: money in yuan; the other units from the column's label (年龄(岁), 新生儿出生体重(克))
 * or, for a count of days, 天. A unit of another size (医疗总费用(万元)) is not this column: amounts are in yuan.
 */
const UNIT_SPELLINGS: Readonly<Record<string, readonly string[]>> = {
  元: ['元', '人民币元', 'yuan', 'cny', 'rmb'],
  天: ['天', '日', 'day', 'days', 'd'],
  岁: ['岁', '周岁', 'year', 'years'],
  克: ['克', 'g', 'gram', 'grams'],
};

/** The unit of column `col` (a key of UNIT_SPELLINGS), or undefined when it has none. */
function unitOf(col: ColumnSpec): string | undefined {
  if (col.type === 'money') return '元';
  const inLabel = /[(（]\s*(天|岁|克)\s*[)）]/.exec(col.zh)?.[1];
  if (inLabel) return inLabel;
  return col.type === 'int' && /天数/.test(col.zh) ? '天' : undefined;
}

/** A header cell's name and unit when it ends in a bracketed unit: "医疗总费用(元)" → 医疗总费用, 元. */
export function splitUnit(cell: string): { base: string; unit: string } | undefined {
  const m = /^(.+?)\s*[(（[【]\s*([^()（）[\]【】]{1,6}?)\s*[)）\]】]$/u.exec(
    cell
      .replace(/^\uFEFF/, '')
      .trim()
      .toLowerCase(),
  );
  return m ? { base: m[1]!, unit: m[2]! } : undefined;
}

/** Whether `unit` (as a header writes it: 元, yuan, 天, …) is the unit column `col` is in. */
export function isColumnUnit(col: ColumnSpec, unit: string): boolean {
  const own = unitOf(col);
  return own !== undefined && UNIT_SPELLINGS[own]!.includes(unit);
}

/** The short form of a Chinese label: up to the first space or bracket (年龄(岁) → 年龄, 性别 1男 2女 → 性别). */
export function shortLabel(zh: string): string {
  return zh.split(/[\s(（]/)[0] ?? zh;
}

/** Every accepted header name of a column: its name, its Chinese label, the label's short form, its aliases. */
export function acceptedNames(col: ColumnSpec): string[] {
  return [
    ...new Set([
      col.name,
      col.zh,
      shortLabel(col.zh),
      ...(COLUMN_ALIASES[col.name]?.accepted ?? []),
      ...(col.aliases ?? []),
    ]),
  ];
}
