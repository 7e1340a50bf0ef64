/**
 * Outpatient special-disease settlements (门特结算记录, seed 004 四(五)2): one row per visit settled at the front
 * desk. Checks of meaning: the institution is registered, amounts are not negative, the fund's payment (统筹
 * 基金支出 + 门诊调增费用) and the patient's parts stay within the total, the settlement is not dated in the future.
 * Duplicate setl_id (in the file, or already stored with other content) is the pipeline's key rule.
 */
import { INSURANCE_TYPE } from '../../model/code-words.ts';
import { OUTPATIENT_COLUMNS } from '../../model/columns.ts';
import { componentsWithinTotal, institutionRegistered, msg, nonNegative, type QcCheck } from '../qc/check.ts';
import type { KindSpec } from './kind.ts';

const MONEY = OUTPATIENT_COLUMNS.filter((c) => c.type === 'money');

function outpatientChecks(): QcCheck[] {
  return [
    institutionRegistered(),
    {
      rule: 'date-range',
      code: 'E_RANGE',
      field: 'setl_time',
      title: { zh: '结算时间不晚于今天', en: 'settlement not dated in the future' },
      where: 'CAST(setl_time AS DATE) > current_date',
      zh: msg('结算时间 {setl_time} 晚于今天'),
      en: msg('settlement time {setl_time} is in the future'),
    },
    ...nonNegative(MONEY),
    componentsWithinTotal(
      'hifp_pay',
      { zh: '基金与个人账户、现金支付之和不超过总额', en: 'fund + account + cash within the total' },
      [
        { col: 'hifp_pay', zh: '统筹基金', en: 'fund' },
        { col: 'outp_adj_fee', zh: '门诊调增', en: 'adjustment', optional: true },
        { col: 'acct_pay', zh: '个人账户', en: 'account', optional: true },
        { col: 'psn_cashpay', zh: '个人现金', en: 'cash', optional: true },
      ],
    ),
    componentsWithinTotal(
      'psn_selfpay',
      { zh: '基金与个人自付、自费之和不超过总额', en: 'fund + co-pay + own-pay within the total' },
      [
        { col: 'hifp_pay', zh: '统筹基金', en: 'fund' },
        { col: 'outp_adj_fee', zh: '门诊调增', en: 'adjustment', optional: true },
        { col: 'psn_selfpay', zh: '个人自付', en: 'co-pay', optional: true },
        { col: 'psn_ownpay', zh: '个人自费', en: 'own-pay', optional: true },
      ],
    ),
  ];
}

export const OUTPATIENT: KindSpec = {
  kind: 'outpatient',
  zh: '门特结算记录',
  en: 'outpatient special-disease settlements',
  table: 'outpatient_settlements',
  columns: OUTPATIENT_COLUMNS,
  key: ['setl_id'],
  keyLabel: 'setl_id',
  codeSets: { insutype: INSURANCE_TYPE },
  checks: outpatientChecks,
  formats: ['csv', 'parquet', 'xlsx'],
};
