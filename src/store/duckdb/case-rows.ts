/**
 * Reading settlement-list rows of the `cases` table into `InpatientCase` objects. The SELECT does the type
 * work in DuckDB (money → integer fen as BIGINT, dates → ISO text) and packs each row into one JSON text
 * (`packedSelect`): one string per row crosses into JS and JSON.parse builds it, which is several times
 * faster than reading ~45 values one by one through the client's value conversion.
 */
import {
  type CostByCategory,
  type DischargeWay,
  FEE_FIELDS,
  type FeeItem,
  type InpatientCase,
  type InsuranceType,
  type Sex,
} from '../../model/case.ts';
import { type CaseAttributes, codedDiagnosis } from '../../model/case-columns.ts';
import { toSafeNumber } from './sql.ts';

/** insutype codes (险种类型) the model knows: 310 职工基本医疗保险, 390 城乡居民基本医疗保险. */
export const INSUTYPE_TO_MODEL: Readonly<Record<string, InsuranceType>> = { '310': 'employee', '390': 'resident' };

/**
 * The case-column dictionaries' entries from the distinct values a back-end reads (both back-ends, the same
 * columns in the same order): attributes from (fixmedins_code, insutype, gend, dscg_way), a diagnosis list from
 * (diag_codes, adm_cond_types).
 */
export const CASE_ATTRIBUTE_COLUMNS = ['fixmedins_code', 'insutype', 'gend', 'dscg_way'] as const;
export const CASE_DIAGNOSIS_COLUMNS = ['diag_codes', 'adm_cond_types'] as const;
export const caseAttributesOf = (r: readonly unknown[]): CaseAttributes => ({
  institutionCode: r[0] as string,
  insuranceType: INSUTYPE_TO_MODEL[r[1] as string] ?? 'resident',
  sex: r[2] as Sex,
  dischargeWay: r[3] as DischargeWay,
});
/** A diagnosis list from its codes and admission conditions (each back-end reads its own list values). */
export const diagnosesOf = (codes: readonly string[], conditions: readonly string[]) =>
  codes.map((code, k) => codedDiagnosis(code, conditions[k]));

const fen = (col: string) => `CAST(${col} * 100 AS BIGINT) AS ${col}`;

/** Select list, in the order `rowToCase` reads it. */
const CASE_EXPRS = [
  'setl_id',
  'mdtrt_id',
  'psn_no',
  'fixmedins_code',
  'insutype',
  'gend',
  "strftime(brdy, '%Y-%m-%d') AS brdy",
  'age',
  'nwb_age',
  'nwb_bir_wt',
  'nwb_adm_wt',
  "strftime(adm_time, '%Y-%m-%dT%H:%M:%S') AS adm_time",
  "strftime(dscg_time, '%Y-%m-%dT%H:%M:%S') AS dscg_time",
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

/** One JSON text per row: an object whose keys "0", "1", … are the positions of `exprs`. */
export function packedSelect(exprs: readonly string[]): string {
  return `to_json(struct_pack(${exprs.map((e, i) => `"${i}" := ${e.replace(/ AS \w+$/, '')}`).join(', ')}))`;
}

export const CASE_SELECT = packedSelect(CASE_EXPRS);

type Cell = unknown;
/** A packed row as parsed: position → value. */
export type PackedRow = Readonly<Record<number, Cell>>;

function items(v: Cell): string[] {
  if (v === null || v === undefined) return [];
  return (v as readonly (string | null)[]).map((x) => x ?? '');
}

const opt = (v: Cell): string | undefined => (v === null || v === undefined ? undefined : (v as string));
const optInt = (v: Cell): number | undefined => (v === null || v === undefined ? undefined : (v as number));
const money = (v: Cell, what: string): number => (v === null || v === undefined ? 0 : toSafeNumber(v, what));

/** Build a case from its packed row (as read with `CASE_SELECT`). */
export function rowToCase(row: PackedRow): InpatientCase {
  const g = (k: number) => row[k];
  const setlId = g(0) as string;
  const diagCodes = items(g(17));
  const diagNames = items(g(18));
  const admConds = items(g(19));
  const procCodes = items(g(20));
  const procNames = items(g(21));
  const procDates = items(g(22));
  const c: InpatientCase = {
    setlId,
    mdtrtId: g(1) as string,
    psnNo: g(2) as string,
    institutionCode: g(3) as string,
    insuranceType: INSUTYPE_TO_MODEL[g(4) as string] ?? 'resident',
    sex: g(5) as Sex,
    ageYears: g(7) as number,
    admissionTime: g(11) as string,
    dischargeTime: g(12) as string,
    losDays: g(13) as number,
    dischargeWay: g(15) as DischargeWay,
    diagnoses: diagCodes.map((code, k) => {
      const d: InpatientCase['diagnoses'][number] = { code };
      if (diagNames[k]) d.name = diagNames[k];
      if (admConds[k]) d.admissionCondition = admConds[k];
      return d;
    }),
    procedures: procCodes.map((code, k) => {
      const p: InpatientCase['procedures'][number] = { code };
      if (procNames[k]) p.name = procNames[k];
      if (procDates[k]) p.date = procDates[k];
      return p;
    }),
    icuDays: optInt(g(23)) ?? 0,
    readmit31: g(24) === true,
    totalCost: money(g(25), `${setlId} medfee_sumamt`),
    fundPay: money(g(26), `${setlId} hifp_pay`),
    selfPay: money(g(27), `${setlId} psn_selfpay`),
    ownPay: money(g(28), `${setlId} psn_ownpay`),
    accountPay: money(g(29), `${setlId} acct_pay`),
    cashPay: money(g(30), `${setlId} psn_cashpay`),
  };
  const brdy = opt(g(6));
  if (brdy) c.birthDate = brdy;
  const nwbAge = optInt(g(8));
  if (nwbAge !== undefined) c.ageDays = nwbAge;
  const bw = optInt(g(9));
  if (bw !== undefined) c.newbornBirthWeightG = bw;
  const aw = optInt(g(10));
  if (aw !== undefined) c.newbornAdmissionWeightG = aw;
  const route = opt(g(14));
  if (route) c.admissionRoute = route;
  const dept = opt(g(16));
  if (dept) c.department = dept;
  let costs: CostByCategory | undefined;
  FEE_FIELDS.forEach(([col, field], k) => {
    const v = g(31 + k);
    if (v === null || v === undefined) return;
    costs ??= {};
    costs[field] = toSafeNumber(v, `${setlId} ${col}`);
  });
  if (costs) c.costs = costs;
  const doctorCode = opt(g(31 + FEE_FIELDS.length));
  if (doctorCode) c.doctorCode = doctorCode;
  const doctorName = opt(g(32 + FEE_FIELDS.length));
  if (doctorName) c.doctorName = doctorName;
  return c;
}

const CLASS: Readonly<Record<string, FeeItem['catalogClass']>> = { '01': 'A', '02': 'B', '03': 'C' };

export const FEE_ITEM_SELECT = packedSelect([
  'setl_id',
  'med_list_codg',
  'med_list_name',
  'chrgitm_lv',
  'med_chrgitm_type',
  'CAST(cnt AS VARCHAR) AS cnt',
  fen('pric'),
  fen('det_item_fee_sumamt'),
  "strftime(fee_ocur_time, '%Y-%m-%dT%H:%M:%S') AS fee_ocur_time",
]);

/** "2.5000" → "2.5", "3.0000" → "3". */
export function trimDecimal(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

export function rowToFeeItem(row: PackedRow): FeeItem {
  const g = (k: number) => row[k];
  const setlId = g(0) as string;
  const item: FeeItem = {
    setlId,
    itemCode: g(1) as string,
    itemName: (g(2) as string | null) ?? '',
    catalogClass: CLASS[g(3) as string] ?? 'C',
    quantity: trimDecimal(g(5) as string),
    unitPrice: toSafeNumber(g(6), `${setlId} pric`),
    amount: toSafeNumber(g(7), `${setlId} det_item_fee_sumamt`),
  };
  const cat = opt(g(4));
  if (cat) item.chargeCategory = cat;
  const chargeTime = opt(g(8));
  if (chargeTime) item.chargeTime = chargeTime;
  return item;
}
