/**
 * Outpatient special-disease settlements (门诊特殊疾病结算记录, 门特结算): one row per settled visit at the front
 * desk (前台按项目结算, seed 004 四(五)2). Capitation by disease (src/payment/capitation) reads them twice: the
 * base years' rows become per-head history (结算人数、统筹支付、门诊调增费用, 四(四)1(1)), the settlement year's rows
 * the audited fund spending of the year end (四(六)1–3).
 *
 * Flat files use national settlement field names where one exists (`OUTPATIENT_COLUMNS` in columns.ts).
 */
import type { InsuranceType } from './case.ts';
import type { Fen } from './money.ts';

export interface OutpatientSettlement {
  setlId: string; // setl_id 结算ID
  mdtrtId?: string; // mdtrt_id 就诊ID
  psnNo: string; // psn_no 人员编号
  institutionCode: string; // fixmedins_code 定点医药机构编号
  insuranceType: InsuranceType; // insutype
  diseaseCode: string; // opsp_dise_code 门特病种编码
  diseaseName?: string; // opsp_dise_name 门特病种名称
  /** setl_time 结算时间 (ISO date-time). The visit belongs to the period of this date. */
  settleTime: string;
  totalCost: Fen; // medfee_sumamt 医疗费总额
  /** hifp_pay 统筹基金支出. */
  fundPay: Fen;
  /**
   * outp_adj_fee 门诊调增费用: what the fund pays on top of `fundPay` for outpatient price adjustments
   * (门诊调增), part of the total; seed 004 四(四)1(1) counts it with 统筹支付 in the per-head standards.
   */
  outpatientAdjustment: Fen;
  selfPay: Fen; // psn_selfpay 个人自付
  ownPay: Fen; // psn_ownpay 个人自费
  accountPay: Fen; // acct_pay 个人账户支出
  cashPay: Fen; // psn_cashpay 个人现金支付
}
