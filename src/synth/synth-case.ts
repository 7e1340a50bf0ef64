/**
 * One generated stay before it is written, and its text in the flat-file contract (`CASE_COLUMNS`, national
 * 4101 field names). Injected bad rows change a case through `overrides` (column → raw text, or null for empty),
 * so the clean values stay available for the ground truth.
 */
import { CASE_COLUMNS } from '../model/columns.ts';
import type { DateTexts } from './calendar.ts';
import { fenText } from './costs.ts';
import { FEE_CATEGORIES } from './params.ts';
import type { Person } from './population.ts';
import type { ClinicalProfile, TreatmentOption } from './profiles/types.ts';
import type { SynthInstitution } from './region.ts';
import type { SampleCodes } from './sample-codes.ts';

export interface SynthCase {
  year: number;
  /** 1-based row number in the year's case file. */
  row: number;
  setlId: string;
  mdtrtId: string;
  person: Person;
  insutype: '310' | '390';
  age: number;
  /** Age in days, under one year only. */
  ageDays: number | null;
  birthWeightG: number | null;
  admissionWeightG: number | null;
  inst: SynthInstitution;
  profile: ClinicalProfile;
  option: TreatmentOption;
  admDay: number;
  admMinute: number;
  dscgDay: number;
  dscgMinute: number;
  los: number;
  admWay: string;
  dscgWay: string;
  dept: string;
  /** Attending doctor (主诊医师) of the department. */
  doctor: { code: string; name: string };
  diagnoses: string[];
  admConds: string[];
  procedures: string[];
  procDays: number[];
  icuDays: number;
  readmitFlag: '0' | '1';
  total: number;
  fund: number;
  selfPay: number;
  ownPay: number;
  account: number;
  cash: number;
  fees: number[];
  /** Injected bad-row changes: column → text written instead (null = empty). */
  overrides: Map<string, string | null> | null;
  /** 0 none, 1 with a CC, 2 with an MCC (cost severity; an upcoded MCC does not count). */
  severity: 0 | 1 | 2;
  /** Had an operation or intervention (手术/介入). */
  operated: boolean;
  /** Injected misbehaviour: a low-standard admission. */
  lowStandard: boolean;
  /** Injected misbehaviour: the second half of this split stay. */
  splitOf: SynthCase | null;
  /** Injected misbehaviour: the MCC code added by upcoding. */
  upcoded: string | null;
}

type Getter = (c: SynthCase, cal: DateTexts, codes: SampleCodes) => string;

const fee =
  (i: number): Getter =>
  (c) =>
    fenText(c.fees[i]!);

function csvText(s: string): string {
  return s.includes(',') || s.includes('"') || s.includes('\n') ? `"${s.replaceAll('"', '""')}"` : s;
}

const GETTERS: Readonly<Record<string, Getter>> = {
  setl_id: (c) => c.setlId,
  mdtrt_id: (c) => c.mdtrtId,
  psn_no: (c) => c.person.psnNo,
  fixmedins_code: (c) => c.inst.code,
  insutype: (c) => c.insutype,
  gend: (c) => c.person.sex,
  brdy: (c, cal) => cal.date(c.person.birthDay),
  age: (c) => String(c.age),
  nwb_age: (c) => (c.ageDays === null ? '' : String(c.ageDays)),
  nwb_bir_wt: (c) => (c.birthWeightG === null ? '' : String(c.birthWeightG)),
  nwb_adm_wt: (c) => (c.admissionWeightG === null ? '' : String(c.admissionWeightG)),
  adm_time: (c, cal) => cal.dateTime(c.admDay, c.admMinute),
  dscg_time: (c, cal) => cal.dateTime(c.dscgDay, c.dscgMinute),
  act_ipt_days: (c) => String(c.los),
  adm_way: (c) => c.admWay,
  dscg_way: (c) => c.dscgWay,
  dscg_caty: (c) => c.dept,
  chfpdr_code: (c) => c.doctor.code,
  chfpdr_name: (c) => c.doctor.name,
  diag_codes: (c) => c.diagnoses.join('|'),
  diag_names: (c, _cal, codes) => csvText(c.diagnoses.map((d) => codes.diagnoses.get(d) ?? '').join('|')),
  adm_cond_types: (c) => c.admConds.join('|'),
  oprn_oprt_codes: (c) => c.procedures.join('|'),
  oprn_oprt_names: (c, _cal, codes) => csvText(c.procedures.map((p) => codes.procedures.get(p)?.name ?? '').join('|')),
  oprn_oprt_dates: (c, cal) => c.procDays.map((d) => cal.date(d)).join('|'),
  icu_days: (c) => String(c.icuDays),
  days_rinp_flag_31: (c) => c.readmitFlag,
  medfee_sumamt: (c) => fenText(c.total),
  hifp_pay: (c) => fenText(c.fund),
  psn_selfpay: (c) => fenText(c.selfPay),
  psn_ownpay: (c) => fenText(c.ownPay),
  acct_pay: (c) => fenText(c.account),
  psn_cashpay: (c) => fenText(c.cash),
  ...Object.fromEntries(FEE_CATEGORIES.map((f, i) => [f.column, fee(i)])),
};

/** Column order of the case files, checked against the contract when this module loads. */
const ORDER: readonly { name: string; get: Getter }[] = CASE_COLUMNS.map((col) => {
  const get = GETTERS[col.name];
  if (!get) throw new Error(`synth: no value for case column ${col.name}`);
  return { name: col.name, get };
});
{
  const extra = Object.keys(GETTERS).filter((k) => !CASE_COLUMNS.some((col) => col.name === k));
  if (extra.length > 0) throw new Error(`synth: values for unknown case columns ${extra.join(', ')}`);
}

export const CASE_HEADER = CASE_COLUMNS.map((col) => col.name).join(',');

const cells: string[] = new Array(ORDER.length).fill('');

/** The case as one CSV line (no line break). */
export function caseCsvLine(c: SynthCase, cal: DateTexts, codes: SampleCodes): string {
  const overrides = c.overrides;
  if (overrides === null) return fastLine(c, cal, codes);
  for (let i = 0; i < ORDER.length; i++) {
    const col = ORDER[i]!;
    if (overrides.has(col.name)) {
      const o = overrides.get(col.name);
      cells[i] = o === null || o === undefined ? '' : csvText(o);
    } else cells[i] = col.get(c, cal, codes);
  }
  return cells.join(',');
}

/** Columns in the order `fastLine` writes them; must equal the contract (checked when this module loads). */
const FAST_COLUMNS = [
  'setl_id',
  'mdtrt_id',
  'psn_no',
  'fixmedins_code',
  'insutype',
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
  'diag_codes',
  'diag_names',
  'adm_cond_types',
  'oprn_oprt_codes',
  'oprn_oprt_names',
  'oprn_oprt_dates',
  'icu_days',
  'days_rinp_flag_31',
  'medfee_sumamt',
  'hifp_pay',
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
];
if (FAST_COLUMNS.join(',') !== CASE_HEADER) throw new Error('synth: fastLine columns differ from CASE_COLUMNS');

const orEmpty = (n: number | null): string => (n === null ? '' : String(n));

/** The line of a case without overrides, as one template: the same text as the getters, several times faster. */
function fastLine(c: SynthCase, cal: DateTexts, codes: SampleCodes): string {
  const f = c.fees;
  const d = c.diagnoses;
  const p = c.procedures;
  let dNames = codes.diagnoses.get(d[0]!) ?? '';
  for (let i = 1; i < d.length; i++) dNames += `|${codes.diagnoses.get(d[i]!) ?? ''}`;
  let pNames = '';
  let pDates = '';
  for (let i = 0; i < p.length; i++) {
    pNames += `${i > 0 ? '|' : ''}${codes.procedures.get(p[i]!)?.name ?? ''}`;
    pDates += `${i > 0 ? '|' : ''}${cal.date(c.procDays[i]!)}`;
  }
  return (
    `${c.setlId},${c.mdtrtId},${c.person.psnNo},${c.inst.code},${c.insutype},${c.person.sex},` +
    `${cal.date(c.person.birthDay)},${c.age},${orEmpty(c.ageDays)},${orEmpty(c.birthWeightG)},` +
    `${orEmpty(c.admissionWeightG)},${cal.dateTime(c.admDay, c.admMinute)},${cal.dateTime(c.dscgDay, c.dscgMinute)},` +
    `${c.los},${c.admWay},${c.dscgWay},${c.dept},${c.doctor.code},${c.doctor.name},${d.join('|')},${csvText(dNames)},${c.admConds.join('|')},` +
    `${p.join('|')},${csvText(pNames)},${pDates},${c.icuDays},${c.readmitFlag},` +
    `${fenText(c.total)},${fenText(c.fund)},${fenText(c.selfPay)},${fenText(c.ownPay)},${fenText(c.account)},` +
    `${fenText(c.cash)},${fenText(f[0]!)},${fenText(f[1]!)},${fenText(f[2]!)},${fenText(f[3]!)},${fenText(f[4]!)},` +
    `${fenText(f[5]!)},${fenText(f[6]!)},${fenText(f[7]!)},${fenText(f[8]!)},${fenText(f[9]!)},${fenText(f[10]!)},` +
    `${fenText(f[11]!)},${fenText(f[12]!)},${fenText(f[13]!)}`
  );
}

/** The line through the per-column getters (used for rows with overrides, and by tests to check `fastLine`). */
export function caseCsvLineSlow(c: SynthCase, cal: DateTexts, codes: SampleCodes): string {
  return ORDER.map((col) => col.get(c, cal, codes)).join(',');
}
