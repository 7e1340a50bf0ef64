/**
 * Reading rows of `outpatient_settlements` (门特结算记录) into `OutpatientSettlement` objects: packed JSON rows as
 * for cases (case-rows.ts), money as integer fen cast in DuckDB.
 */
import type { OutpatientSettlement } from '../../model/outpatient.ts';
import { INSUTYPE_TO_MODEL, type PackedRow, packedSelect } from './case-rows.ts';
import { toSafeNumber } from './sql.ts';

const fen = (col: string) => `CAST(${col} * 100 AS BIGINT) AS ${col}`;

export const OUTPATIENT_SELECT = packedSelect([
  'setl_id',
  'mdtrt_id',
  'psn_no',
  'fixmedins_code',
  'insutype',
  'opsp_dise_code',
  'opsp_dise_name',
  "strftime(setl_time, '%Y-%m-%dT%H:%M:%S') AS setl_time",
  fen('medfee_sumamt'),
  fen('hifp_pay'),
  fen('outp_adj_fee'),
  fen('psn_selfpay'),
  fen('psn_ownpay'),
  fen('acct_pay'),
  fen('psn_cashpay'),
]);

export function rowToOutpatient(row: PackedRow): OutpatientSettlement {
  const g = (k: number) => row[k];
  const setlId = g(0) as string;
  const money = (k: number, what: string) => {
    const v = g(k);
    return v === null || v === undefined ? 0 : toSafeNumber(v, `${setlId} ${what}`);
  };
  const o: OutpatientSettlement = {
    setlId,
    psnNo: g(2) as string,
    institutionCode: g(3) as string,
    insuranceType: INSUTYPE_TO_MODEL[g(4) as string] ?? 'resident',
    diseaseCode: g(5) as string,
    settleTime: g(7) as string,
    totalCost: money(8, 'medfee_sumamt'),
    fundPay: money(9, 'hifp_pay'),
    outpatientAdjustment: money(10, 'outp_adj_fee'),
    selfPay: money(11, 'psn_selfpay'),
    ownPay: money(12, 'psn_ownpay'),
    accountPay: money(13, 'acct_pay'),
    cashPay: money(14, 'psn_cashpay'),
  };
  const mdtrt = g(1);
  if (mdtrt !== null && mdtrt !== undefined) o.mdtrtId = mdtrt as string;
  const name = g(6);
  if (name !== null && name !== undefined) o.diseaseName = name as string;
  return o;
}
