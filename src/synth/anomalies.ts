/**
 * Injected problems, kept as ground truth (`truth.ts`):
 * - bad rows that settlement-list QC must catch (R-DATA-1): missing fields, sex/age–diagnosis conflicts, date
 *   errors, negative amounts, duplicate settlement ids, components above the total, unknown codes;
 * - misbehaviour that monitoring should find (R-MON-2), each at one institution chosen from the seed:
 *   upcoding (高套编码), split admissions (分解住院), low-standard admissions (低标入院), cost shifting to
 *   patients (转嫁费用).
 */
import type { DateTexts } from './calendar.ts';
import { fenText } from './costs.ts';
import { FEE_CATEGORIES } from './params.ts';
import type { Rng } from './prng.ts';
import { BAD_DIAGNOSIS_CODES, type ClinicalProfile, L, LOW_STANDARD_DIAGNOSES } from './profiles/index.ts';
import type { SynthInstitution } from './region.ts';
import type { SynthCase } from './synth-case.ts';
import type { BadRowKind, MisbehaviourKind, TruthRow } from './truth.ts';

/** Which institution misbehaves how (one each, all different). */
export type MisbehaviourRoles = Readonly<Record<MisbehaviourKind, SynthInstitution>>;

/** How much of an institution's eligible cases each misbehaviour touches. */
export const MISBEHAVIOUR_RATES = {
  /** Cases without an MCC that get one added. */
  upcoding: 0.4,
  /** Stays of 6 days or more that are split in two. */
  splitAdmission: 0.4,
  /** Admissions replaced by a minor condition. */
  lowStandard: 0.35,
  /** Multiplier of the uncovered share (自费) of every case. */
  costShiftingFactor: 5,
} as const;

/** Candidate institutions for each misbehaviour, by code; the seed picks one of each, all different. */
const CANDIDATES: Readonly<Record<MisbehaviourKind, (i: SynthInstitution) => boolean>> = {
  upcoding: (i) => i.facility === 'general' && (i.level === '2' || i.level === '3') && !i.isLead,
  'split-admission': (i) => (i.facility === 'general' && i.level !== '3' && !i.isLead) || i.facility === 'psychiatric',
  'low-standard-admission': (i) => i.level === 'primary' || i.level === '1',
  'cost-shifting': (i) => i.private || (i.facility === 'general' && i.level === '3'),
};

export function chooseMisbehaviourRoles(rng: Rng, institutions: readonly SynthInstitution[]): MisbehaviourRoles {
  const taken = new Set<string>();
  const pick = (kind: MisbehaviourKind): SynthInstitution => {
    const pool = institutions.filter((i) => CANDIDATES[kind](i) && !taken.has(i.code));
    const chosen = rng.pick(pool);
    taken.add(chosen.code);
    return chosen;
  };
  return {
    upcoding: pick('upcoding'),
    'split-admission': pick('split-admission'),
    'low-standard-admission': pick('low-standard-admission'),
    'cost-shifting': pick('cost-shifting'),
  };
}

/** What a low-standard admission looks like: a minor condition, a short stay, no procedure. */
export const LOW_STANDARD_PROFILE: ClinicalProfile = {
  id: 'low-standard-admission',
  zh: '低标准入院',
  en: 'low-standard admission',
  line: 'medical',
  weight: 0,
  principal: LOW_STANDARD_DIAGNOSES,
  options: [{ key: 'observation', w: 1, procs: [] }],
  secondary: [['E78.500', 0.2]],
  male: 0.45,
  ages: [20, 62, 88],
  los: [1, 2, 4],
  levels: L(0, 0, 1, 1),
  fees: 'medical',
  dept: '03',
  sigma: 0.3,
};

const BAD_KINDS: readonly BadRowKind[] = [
  'missing-required',
  'sex-diagnosis-conflict',
  'age-diagnosis-conflict',
  'discharge-before-admission',
  'los-mismatch',
  'negative-amount',
  'duplicate-setl-id',
  'components-exceed-total',
  'bad-code',
];

const REQUIRED_TO_BLANK = ['psn_no', 'fixmedins_code', 'gend', 'insutype', 'adm_time', 'diag_codes', 'medfee_sumamt'];

/**
 * Turn a clean case into a bad row of a random kind, recording how in `overrides`. `previous` is the case
 * written just before in the same file (for duplicate settlement ids). Returns the truth row.
 */
export function injectBadRow(
  c: SynthCase,
  previous: SynthCase | null,
  file: string,
  rng: Rng,
  cal: DateTexts,
): TruthRow {
  let kind = rng.pick(BAD_KINDS);
  if (kind === 'duplicate-setl-id' && previous === null) kind = 'missing-required';
  const o = new Map<string, string | null>();
  let field = '';
  let detail = '';
  switch (kind) {
    case 'missing-required':
      field = rng.pick(REQUIRED_TO_BLANK);
      o.set(field, null);
      detail = '必填项为空 / required field empty';
      break;
    case 'sex-diagnosis-conflict':
      field = 'diag_codes';
      if (c.person.sex === '1') {
        o.set('diag_codes', ['O80.000', ...c.diagnoses.slice(1)].join('|'));
        detail = '男性患者产科诊断 O80.000 / male patient with obstetric diagnosis';
      } else {
        o.set('diag_codes', ['N40.x00', ...c.diagnoses.slice(1)].join('|'));
        detail = '女性患者前列腺诊断 N40.x00 / female patient with prostate diagnosis';
      }
      break;
    case 'age-diagnosis-conflict':
      field = 'diag_codes';
      if (c.age >= 1) {
        o.set('diag_codes', ['P07.101', ...c.diagnoses.slice(1)].join('|'));
        detail = `${c.age}岁患者新生儿诊断 P07.101 / newborn diagnosis at age ${c.age}`;
      } else {
        o.set('diag_codes', ['N40.x00', ...c.diagnoses.slice(1)].join('|'));
        o.set('gend', '1');
        detail = '婴儿前列腺增生诊断 / prostate diagnosis in an infant';
      }
      break;
    case 'discharge-before-admission': {
      field = 'dscg_time';
      const early = c.admDay - 1 - rng.int(0, 5);
      o.set('dscg_time', cal.dateTime(early, c.dscgMinute));
      detail = '出院时间早于入院时间 / discharge before admission';
      break;
    }
    case 'los-mismatch': {
      field = 'act_ipt_days';
      const wrong = c.los + rng.int(5, 20);
      o.set('act_ipt_days', String(wrong));
      detail = `住院天数 ${wrong} 与出入院日期不符(应为 ${c.los}) / LOS ${wrong} does not match the dates (${c.los})`;
      break;
    }
    case 'negative-amount':
      field = rng.pick(['medfee_sumamt', 'hifp_pay', 'fee_wm']);
      o.set(
        field,
        fenText(-Math.max(1, field === 'medfee_sumamt' ? c.total : field === 'hifp_pay' ? c.fund : c.fees[8]!)),
      );
      detail = '金额为负 / negative amount';
      break;
    case 'duplicate-setl-id':
      field = 'setl_id';
      o.set('setl_id', previous!.setlId);
      detail = `结算ID与第 ${previous!.row} 行重复 / settlement id repeats row ${previous!.row}`;
      break;
    case 'components-exceed-total':
      if (rng.chance(0.5)) {
        field = 'hifp_pay';
        o.set('hifp_pay', fenText(c.total + rng.int(100, 50_000)));
        detail = '统筹支付超过医疗费总额 / fund payment exceeds the total';
      } else {
        const i = rng.int(0, FEE_CATEGORIES.length - 1);
        field = FEE_CATEGORIES[i]!.column;
        o.set(field, fenText(c.fees[i]! + Math.max(100, Math.round(c.total * 0.2))));
        detail = '分项费用之和大于总额 / charge categories add up to more than the total';
      }
      break;
    case 'bad-code':
      if (c.procedures.length > 0 && rng.chance(0.3)) {
        field = 'oprn_oprt_codes';
        o.set(field, ['99.9999x999', ...c.procedures.slice(1)].join('|'));
        detail = '手术操作编码不在编码库 99.9999x999 / unknown procedure code';
      } else {
        field = 'diag_codes';
        const bad = rng.pick(BAD_DIAGNOSIS_CODES);
        o.set(field, [bad, ...c.diagnoses.slice(1)].join('|'));
        detail = `诊断编码不在编码库 ${bad} / unknown diagnosis code`;
      }
      break;
  }
  c.overrides = o;
  return {
    scope: 'case',
    category: 'bad-row',
    kind,
    file,
    row: c.row,
    setlId: o.has('setl_id') ? (o.get('setl_id') ?? '') : c.setlId,
    fixmedinsCode: c.inst.code,
    field,
    detail,
  };
}
