/**
 * The inpatient settlement-list case (医保结算清单, national interface 4101), as the engines see it.
 * Flat files use the 4101 field names as columns; `CASE_COLUMNS` maps each one to the field here.
 */
import type { Fen } from './money.ts';

/** 险种: employee basic insurance (职工, insutype 310) or resident (居民, 390). */
export type InsuranceType = 'employee' | 'resident';

/** gend: 1 male, 2 female, 9 unknown (GB/T 2261.1). */
export type Sex = '1' | '2' | '9';

/** 离院方式 dscg_way codes (4101): 1 医嘱离院, 2 医嘱转院, 3 医嘱转社区/乡镇卫生院, 4 非医嘱离院, 5 死亡, 9 其他. */
export const DISCHARGE_WAYS = ['1', '2', '3', '4', '5', '9'] as const;

export type DischargeWay = (typeof DISCHARGE_WAYS)[number];

/** 离院方式 5 死亡: the patient died in hospital. The one place the code is written; SQL quotes this constant too. */
export const DISCHARGE_WAY_DEATH = '5' satisfies DischargeWay;

/** Whether a 离院方式 code is 死亡 (died in hospital); takes the raw code, so stored and generated rows ask it too. */
export function isDeathDischarge(way: string): boolean {
  return way === DISCHARGE_WAY_DEATH;
}

export interface Diagnosis {
  /** ICD-10 医保版 code; the first diagnosis of a case is the principal (主要诊断). */
  code: string;
  name?: string;
  /** 入院病情: 1 有, 2 临床未确定, 3 情况不明, 4 无. */
  admissionCondition?: string;
}

export interface Procedure {
  /** ICD-9-CM-3 医保版 code; the first procedure is the main one (主要手术). */
  code: string;
  name?: string;
  /** ISO date of the operation. */
  date?: string;
}

/** Charge categories of the settlement list (医疗收费项目类别), amounts in fen. */
export interface CostByCategory {
  bed?: Fen; // 床位费
  diagnosis?: Fen; // 诊察费
  examination?: Fen; // 检查费
  laboratory?: Fen; // 化验费
  treatment?: Fen; // 治疗费
  surgery?: Fen; // 手术费
  nursing?: Fen; // 护理费
  materials?: Fen; // 卫生材料费
  westernDrugs?: Fen; // 西药费
  herbalPieces?: Fen; // 中药饮片费
  chinesePatentDrugs?: Fen; // 中成药费
  generalService?: Fen; // 一般诊疗费
  registration?: Fen; // 挂号费
  other?: Fen; // 其他费
}

export interface InpatientCase {
  setlId: string; // setl_id 结算ID
  mdtrtId: string; // mdtrt_id 就诊ID
  psnNo: string; // psn_no 人员编号
  institutionCode: string; // fixmedins_code 定点医药机构编号
  insuranceType: InsuranceType; // insutype
  sex: Sex; // gend
  birthDate?: string; // brdy (ISO date)
  ageYears: number; // age
  /** nwb_age 新生儿入院年龄(天), for patients under one year. */
  ageDays?: number;
  newbornBirthWeightG?: number; // nwb_bir_wt
  newbornAdmissionWeightG?: number; // nwb_adm_wt
  admissionTime: string; // adm_time (ISO date-time)
  dischargeTime: string; // dscg_time (ISO date-time)
  losDays: number; // act_ipt_days 实际住院天数
  admissionRoute?: string; // adm_way 入院途径
  dischargeWay: DischargeWay; // dscg_way 离院方式
  department?: string; // dscg_caty 出院科别
  doctorCode?: string; // chfpdr_code 主诊医师代码
  doctorName?: string; // chfpdr_name 主诊医师姓名
  diagnoses: Diagnosis[];
  procedures: Procedure[];
  icuDays: number; // sum of ICU stays (重症监护)
  readmit31: boolean; // days_rinp_flag_31 出院31天内再住院计划 (1 = planned readmission)
  totalCost: Fen; // medfee_sumamt 医疗费总额
  fundPay: Fen; // hifp_pay 统筹基金支出
  selfPay: Fen; // psn_selfpay 个人自付
  ownPay: Fen; // psn_ownpay 个人自费
  accountPay: Fen; // acct_pay 个人账户支出
  cashPay: Fen; // psn_cashpay 个人现金支付
  costs?: CostByCategory;
}

/**
 * What the settlement year's methods read of a case — DIP, DRG, per-bed-day, single-disease and the item-billing
 * reference — and what a row of typed columns carries (model/case-columns.ts): no names, no procedure dates, no
 * fee breakdown, no payer split beyond the fund's. Only the month of `dischargeTime` is read (`YYYY-MM` will do).
 */
export type SettledCase = Pick<
  InpatientCase,
  | 'setlId'
  | 'institutionCode'
  | 'insuranceType'
  | 'sex'
  | 'ageYears'
  | 'ageDays'
  | 'newbornBirthWeightG'
  | 'dischargeTime'
  | 'losDays'
  | 'dischargeWay'
  | 'department'
  | 'diagnoses'
  | 'procedures'
  | 'icuDays'
  | 'totalCost'
  | 'fundPay'
>;

/** One fee line item (费用明细, 4101 iteminfo / 2301), amounts in fen. */
export interface FeeItem {
  setlId: string;
  itemCode: string; // med_list_codg 医保目录编码
  itemName: string;
  /** 甲/乙/丙 catalog class (目录类别): A fully covered, B partly (自付比例), C not covered (自费). */
  catalogClass: 'A' | 'B' | 'C';
  /** 收费类别, e.g. '09' 西药费. */
  chargeCategory?: string;
  quantity: string; // decimal text, exact
  unitPrice: Fen;
  amount: Fen;
  /** 费用发生时间 (fee_ocur_time of the 2301 fee-detail upload), ISO date-time; absent when the source has none. */
  chargeTime?: string;
}

/** The fee_* columns and the CostByCategory field each fills (医疗收费项目类别 01–14). */
export const FEE_FIELDS: readonly (readonly [string, keyof CostByCategory])[] = [
  ['fee_bed', 'bed'],
  ['fee_diag', 'diagnosis'],
  ['fee_exam', 'examination'],
  ['fee_lab', 'laboratory'],
  ['fee_treat', 'treatment'],
  ['fee_oprn', 'surgery'],
  ['fee_nurs', 'nursing'],
  ['fee_mcs', 'materials'],
  ['fee_wm', 'westernDrugs'],
  ['fee_tcmherb', 'herbalPieces'],
  ['fee_tcmpat', 'chinesePatentDrugs'],
  ['fee_gen', 'generalService'],
  ['fee_reg', 'registration'],
  ['fee_oth', 'other'],
];
