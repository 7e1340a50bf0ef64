/**
 * Inpatient cases as typed columns (issue 9, the history pass): what calibration from history reads of a case —
 * year, institution, cost, fund payment, stay, age, ICU days, discharge way and the coded lists — one typed array
 * per field, with the text fields interned into dictionaries (the distinct diagnosis lists, procedure lists and
 * institution × insurance × sex × discharge-way tuples are far fewer than the cases). Consumers reduce per distinct
 * key, never per case object. Names, dates of procedures, the fee breakdown and the payer split are not carried.
 *
 * The dictionaries of one iteration grow across its batches: an id in a batch indexes the dictionary as it stands
 * when that batch is yielded. Rows come in the order of `iterateCases` (setl_id); the settlement id itself is given
 * only for cases whose principal diagnosis starts with one of `idsFor` (the few a consumer reads whole).
 */
import type { Diagnosis, DischargeWay, InpatientCase, InsuranceType, Procedure, Sex } from './case.ts';

/** An institution × insurance type × sex × discharge way tuple (低基数属性). */
export interface CaseAttributes {
  institutionCode: string;
  insuranceType: InsuranceType;
  sex: Sex;
  dischargeWay: DischargeWay;
}

export interface CaseColumnDictionaries {
  attributes: CaseAttributes[];
  /** Diagnosis lists (code and admission condition, as `iterateCases` gives them; no names). */
  diagnoses: Diagnosis[][];
  /** Procedure code lists. */
  procedures: string[][];
  /** Discharge departments (出院科别, dscg_caty; '' when none): filled only when the settlement fields are asked. */
  departments: string[];
}

/**
 * What the settlement year reads of a case besides the history fields (`CaseColumnOptions.settlement`): the unit's
 * id, its month and its department. Everything else a method needs of a case it takes from the shared columns; a
 * case a carve-out may take is read whole by its id.
 */
export interface SettlementColumns {
  /** setl_id of every row. */
  setlIds: string[];
  /** Discharge month 1–12 (the unit's month with `year`). */
  month: Uint8Array;
  /** Ids into `dict.departments`. */
  department: Int32Array;
}

export interface CaseColumns {
  n: number;
  /** Calendar year of discharge. */
  year: Int16Array;
  losDays: Int32Array;
  icuDays: Int32Array;
  ageYears: Int32Array;
  /** nwb_age (days); −1 when absent. */
  ageDays: Int32Array;
  /** nwb_bir_wt (g); −1 when absent. */
  birthWeightG: Int32Array;
  /** medfee_sumamt and hifp_pay, exact fen. */
  totalCost: Float64Array;
  fundPay: Float64Array;
  /** Ids into `dict.attributes`, `dict.diagnoses`, `dict.procedures`. */
  attributes: Int32Array;
  diagnoses: Int32Array;
  procedures: Int32Array;
  /** setl_id of the cases whose principal diagnosis starts with one of `idsFor`; null for the others. */
  setlId: (string | null)[];
  /** The settlement year's fields, when asked (`CaseColumnOptions.settlement`). */
  settlement?: SettlementColumns;
  dict: CaseColumnDictionaries;
}

export interface CaseColumnOptions {
  batchSize?: number;
  /** Principal-diagnosis prefixes whose cases carry their setl_id. */
  idsFor?: readonly string[];
  /** Also every row's setl_id, discharge month and department (the settlement year). */
  settlement?: boolean;
}

/** Empty dictionaries of one iteration. */
export function caseColumnDictionaries(): CaseColumnDictionaries {
  return { attributes: [], diagnoses: [], procedures: [], departments: [] };
}

/** The unit month `YYYY-MM` of row `r` (the discharge month, as `dischargeTime.slice(0, 7)`). */
export function monthOf(c: CaseColumns, r: number): string {
  const m = c.settlement!.month[r]!;
  return `${c.year[r]}-${m < 10 ? '0' : ''}${m}`;
}

/** Empty columns of `n` rows (with the settlement fields when `settlement`). */
export function caseColumns(n: number, dict: CaseColumnDictionaries, settlement = false): CaseColumns {
  return {
    ...(settlement
      ? {
          settlement: {
            setlIds: new Array<string>(n).fill(''),
            month: new Uint8Array(n),
            department: new Int32Array(n),
          },
        }
      : {}),
    n,
    year: new Int16Array(n),
    losDays: new Int32Array(n),
    icuDays: new Int32Array(n),
    ageYears: new Int32Array(n),
    ageDays: new Int32Array(n),
    birthWeightG: new Int32Array(n),
    totalCost: new Float64Array(n),
    fundPay: new Float64Array(n),
    attributes: new Int32Array(n),
    diagnoses: new Int32Array(n),
    procedures: new Int32Array(n),
    setlId: new Array<string | null>(n).fill(null),
    dict,
  };
}

/** The first `n` rows of `c` (views, no copy). */
export function sliceColumns(c: CaseColumns, n: number): CaseColumns {
  const s = c.settlement;
  return {
    ...(s
      ? {
          settlement: {
            setlIds: s.setlIds.slice(0, n),
            month: s.month.subarray(0, n),
            department: s.department.subarray(0, n),
          },
        }
      : {}),
    n,
    year: c.year.subarray(0, n),
    losDays: c.losDays.subarray(0, n),
    icuDays: c.icuDays.subarray(0, n),
    ageYears: c.ageYears.subarray(0, n),
    ageDays: c.ageDays.subarray(0, n),
    birthWeightG: c.birthWeightG.subarray(0, n),
    totalCost: c.totalCost.subarray(0, n),
    fundPay: c.fundPay.subarray(0, n),
    attributes: c.attributes.subarray(0, n),
    diagnoses: c.diagnoses.subarray(0, n),
    procedures: c.procedures.subarray(0, n),
    setlId: c.setlId.slice(0, n),
    dict: c.dict,
  };
}

/**
 * `make(dict, id)` kept by id for the dictionaries of one iteration, and made again when the columns come from
 * another iteration (another dictionary): the per-distinct-list work of a consumer, done once per list.
 */
export function memoById<T>(
  make: (dict: CaseColumnDictionaries, id: number) => T,
): (dict: CaseColumnDictionaries, id: number) => T {
  let of: CaseColumnDictionaries | undefined;
  const memo: T[] = [];
  const known: boolean[] = [];
  return (dict, id) => {
    if (dict !== of) {
      of = dict;
      memo.length = 0;
      known.length = 0;
    }
    if (known[id]) return memo[id]!;
    const v = make(dict, id);
    memo[id] = v;
    known[id] = true;
    return v;
  };
}

/** Procedure lists as the engines read them (`Procedure[]`, codes only), one per distinct list. */
export const procedureListsById = () =>
  memoById((dict, id): Procedure[] => dict.procedures[id]!.map((code) => ({ code })));

/** Diagnosis code lists (codes only, principal first: the DRG grouper's input), one per distinct list. */
export const diagnosisCodesById = () => memoById((dict, id): string[] => dict.diagnoses[id]!.map((d) => d.code));

/** Room for the procedure-list id in `listPairKey`: 2^26 lists (the diagnosis-list id then up to 2^27). */
const PAIR_SPAN = 2 ** 26;

/**
 * One exact number for a (diagnosis-list id, procedure-list id) pair, a Map key: exact while the procedure-list id
 * is below 2^26 and the diagnosis-list id below 2^27 (the product stays within 2^53); beyond that it throws rather
 * than let two pairs share a key.
 */
export function listPairKey(diagnoses: number, procedures: number): number {
  if (procedures >= PAIR_SPAN || diagnoses >= 2 * PAIR_SPAN)
    throw new Error(`list ids ${diagnoses} × ${procedures} beyond the pair key's room`);
  return diagnoses * PAIR_SPAN + procedures;
}

/**
 * `make(dict, diagnoses, procedures)` kept per (diagnosis-list id, procedure-list id) pair, as `memoById`: one small
 * map per diagnosis list, keyed by the procedure-list id (small integer keys: no number is boxed per lookup, which
 * a pair key above 2^30 would be — measured: the per-row lookup of the history pass).
 */
export function memoByListPair<T>(
  make: (dict: CaseColumnDictionaries, diagnoses: number, procedures: number) => T,
): (dict: CaseColumnDictionaries, diagnoses: number, procedures: number) => T {
  let of: CaseColumnDictionaries | undefined;
  const memo: (Map<number, T> | undefined)[] = [];
  return (dict, d, p) => {
    if (dict !== of) {
      of = dict;
      memo.length = 0;
    }
    let byP = memo[d];
    if (byP === undefined) {
      byP = new Map();
      memo[d] = byP;
    }
    const known = byP.get(p);
    if (known !== undefined || byP.has(p)) return known as T;
    const v = make(dict, d, p);
    byP.set(p, v);
    return v;
  };
}

/** The principal diagnosis starts with one of the prefixes. */
export function principalStartsWith(diagnoses: readonly Diagnosis[], prefixes: readonly string[]): boolean {
  const dx = diagnoses[0]?.code;
  return dx !== undefined && prefixes.some((p) => dx.startsWith(p));
}

/**
 * Typed columns from case objects (a back-end without a columnar reader, the pure settlement year of the tests, and
 * the reference the contract suite compares a columnar reader with): the same rows, fields and dictionaries.
 */
export async function* caseColumnsFromCases(
  batches: AsyncIterable<readonly InpatientCase[]>,
  idsFor: readonly string[] = [],
  settlement = false,
): AsyncGenerator<CaseColumns> {
  const b = new CaseColumnBuilder(idsFor, settlement);
  for await (const batch of batches) yield b.columns(batch);
}

/** Builds typed columns batch after batch, the dictionaries shared across the batches of one builder. */
export class CaseColumnBuilder {
  readonly dict: CaseColumnDictionaries = caseColumnDictionaries();
  private readonly attrIds = new Map<string, number>();
  private readonly dxIds = new Map<string, number>();
  private readonly pxIds = new Map<string, number>();
  private readonly deptIds = new Map<string, number>();

  constructor(
    private readonly idsFor: readonly string[] = [],
    private readonly settlement = false,
  ) {}

  columns(batch: readonly InpatientCase[]): CaseColumns {
    const { dict, idsFor } = this;
    const intern = <T>(ids: Map<string, number>, list: T[], key: string, make: () => T): number => {
      let id = ids.get(key);
      if (id === undefined) {
        id = list.length;
        list.push(make());
        ids.set(key, id);
      }
      return id;
    };
    const cols = caseColumns(batch.length, dict, this.settlement);
    const s = cols.settlement;
    batch.forEach((c, i) => {
      cols.year[i] = Number(c.dischargeTime.slice(0, 4));
      cols.losDays[i] = c.losDays;
      cols.icuDays[i] = c.icuDays;
      cols.ageYears[i] = c.ageYears;
      cols.ageDays[i] = c.ageDays ?? -1;
      cols.birthWeightG[i] = c.newbornBirthWeightG ?? -1;
      cols.totalCost[i] = c.totalCost;
      cols.fundPay[i] = c.fundPay;
      cols.attributes[i] = intern(
        this.attrIds,
        dict.attributes,
        `${c.institutionCode}\u0001${c.insuranceType}\u0001${c.sex}\u0001${c.dischargeWay}`,
        () => ({
          institutionCode: c.institutionCode,
          insuranceType: c.insuranceType,
          sex: c.sex,
          dischargeWay: c.dischargeWay,
        }),
      );
      const diagnoses = c.diagnoses.map((d) => codedDiagnosis(d.code, d.admissionCondition));
      cols.diagnoses[i] = intern(this.dxIds, dict.diagnoses, diagnosisKey(diagnoses), () => diagnoses);
      const procedures = c.procedures.map((p) => p.code);
      cols.procedures[i] = intern(this.pxIds, dict.procedures, procedures.join('\u0001'), () => procedures);
      if (idsFor.length > 0 && principalStartsWith(diagnoses, idsFor)) cols.setlId[i] = c.setlId;
      if (s) {
        s.setlIds[i] = c.setlId;
        s.month[i] = Number(c.dischargeTime.slice(5, 7));
        const dept = c.department ?? '';
        s.department[i] = intern(this.deptIds, dict.departments, dept, () => dept);
      }
    });
    return cols;
  }
}

/** A diagnosis as the columns carry it: the code, and the admission condition when there is one. */
export function codedDiagnosis(code: string, admissionCondition: string | undefined): Diagnosis {
  return admissionCondition ? { code, admissionCondition } : { code };
}

const diagnosisKey = (ds: readonly Diagnosis[]) =>
  ds.map((d) => `${d.code}\u0002${d.admissionCondition ?? ''}`).join('\u0001');
