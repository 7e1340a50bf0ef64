/**
 * Clinical profiles: what a typical admission for one condition looks like — principal diagnoses, the usual
 * treatment options (procedure combinations), comorbidities, length of stay, who treats it and what it costs.
 * The generator draws every case from one profile. All codes are in the sample code list (`src/codes/sample`).
 */

/** Service line (专业/业务线): which institutions can treat a profile (see `region/service-lines.ts`). */
export type ServiceLine =
  | 'medical' // 普通内科
  | 'medical-complex' // 疑难重症内科
  | 'surgery' // 普通外科
  | 'surgery-complex' // 三四级手术
  | 'interventional' // 介入
  | 'oncology' // 肿瘤放化疗
  | 'obstetric' // 产科
  | 'gynecology' // 妇科
  | 'newborn' // 新生儿科
  | 'pediatric' // 儿科
  | 'eye-ent' // 眼耳鼻喉
  | 'psychiatric' // 精神科
  | 'rehabilitation' // 康复医学科
  | 'hospice'; // 安宁疗护

/** Relative preference for each institution level: 三级, 二级, 一级, 基层 (primary). */
export interface LevelWeights {
  '3': number;
  '2': number;
  '1': number;
  primary: number;
}

/** Cost structure of a stay: how the total splits into the settlement list's charge categories. */
export type FeeMix =
  | 'medical'
  | 'surgical'
  | 'interventional'
  | 'oncology'
  | 'obstetric'
  | 'newborn'
  | 'psychiatric'
  | 'rehabilitation'
  | 'hospice'
  | 'tcm';

/** A weighted code: [code, probability or weight]. */
export type Weighted = readonly [code: string, p: number];

/** One way of treating the condition: a procedure combination (main first), or none (conservative, 保守治疗). */
export interface TreatmentOption {
  /** Stable name, part of the cost-anchor key `${profile.id}/${key}`. */
  key: string;
  /** Relative weight among the profile's options. */
  w: number;
  /** Procedure codes, main first; empty = conservative treatment. */
  procs: readonly string[];
  /** Further procedures, each added with its probability (diagnostic imaging, TCM, rehabilitation …). */
  extra?: readonly Weighted[];
  /** Day surgery (日间手术): admitted and discharged within 24 hours. */
  day?: boolean;
  /** Level preference for this option, when it differs from the profile's (e.g. PCI only at 三级). */
  levels?: LevelWeights;
  /** Length of stay [min, mode, max] when it differs from the profile's. */
  los?: readonly [number, number, number];
}

export interface ClinicalProfile {
  id: string;
  zh: string;
  en: string;
  line: ServiceLine;
  /** Relative frequency among all admissions of a region. */
  weight: number;
  /** Principal diagnoses with relative weights. */
  principal: readonly Weighted[];
  options: readonly TreatmentOption[];
  /** Secondary diagnoses (comorbidities, complications), each with its probability. */
  secondary: readonly Weighted[];
  /** When set, a further secondary diagnosis is drawn from this list (e.g. the tumour treated by chemotherapy). */
  companion?: readonly Weighted[];
  /** Share of male patients (1 = men only, 0 = women only). */
  male: number;
  /** Age in years [min, mode, max]. */
  ages: readonly [number, number, number];
  /** Length of stay in days [min, mode, max]. */
  los: readonly [number, number, number];
  levels: LevelWeights;
  fees: FeeMix;
  /** 出院科别 (诊疗科目 code, 2 digits). */
  dept: string;
  /** Log-sd of the cost around its mean (default 0.4). */
  sigma?: number;
  /** In-hospital death (离院方式 5) probability before age and ICU adjustments. */
  mortality?: number;
  /** Probability of an ICU stay (重症监护). */
  icu?: number;
  /** Per bed-day profile (按床日): mean cost per day at a tertiary institution, yuan. */
  perDiemYuan?: number;
  /** Listed for single-disease payment (按病种付费) in the demo region. */
  singleDisease?: boolean;
  /** Probability of a readmission for the same condition within 31 days. */
  readmit?: number;
  /** The readmission is planned (chemotherapy cycles): days_rinp_flag_31 = 1 on the first stay. */
  plannedReadmit?: boolean;
  /** Newborn profile: age 0, age in days [min, mode, max] and birth weight in grams [min, mode, max]. */
  newborn?: {
    days: readonly [number, number, number];
    weightG: readonly [number, number, number];
    /** Principal diagnosis by birth weight: the first entry whose upper bound (exclusive) exceeds the weight. */
    principalByWeight?: readonly (readonly [belowG: number, code: string])[];
  };
}

export const L = (l3: number, l2: number, l1: number, primary: number): LevelWeights => ({
  '3': l3,
  '2': l2,
  '1': l1,
  primary,
});
