/** Designated institutions (定点医疗机构), insured persons (参保人) and enrolments. */

/** 医院等级: 三级, 二级, 一级, and 基层 (township health centres, community health centres). */
export type InstitutionLevel = '3' | '2' | '1' | 'primary';

/** An institution level in user-facing text (glossary.md). */
export const LEVEL_ZH: Record<InstitutionLevel, string> = { '3': '三级', '2': '二级', '1': '一级', primary: '基层' };
export const LEVEL_EN: Record<InstitutionLevel, string> = {
  '3': 'level 3',
  '2': 'level 2',
  '1': 'level 1',
  primary: 'primary care',
};

export type InstitutionType = 'general' | 'tcm' | 'psychiatric' | 'rehabilitation' | 'primary' | 'maternal-child';

/**
 * A primary-care institution (基层医疗机构: 乡镇卫生院, 社区卫生服务中心): of level 基层, or of type 基层医疗机构 —
 * a township health centre registered as 一级 with 机构类型 基层医疗机构 is one too (seed 001's 基层就诊率 and
 * 县域内基层医疗机构基金支出占比 count institutions of this kind, whatever level their licence gives).
 */
export function isPrimaryCare(i: Pick<Institution, 'level' | 'type'>): boolean {
  return i.level === 'primary' || i.type === 'primary';
}

export interface Institution {
  code: string; // fixmedins_code
  name: string;
  level: InstitutionLevel;
  type: InstitutionType;
  county: string; // 区县 code
  /** 医共体 id when the institution belongs to a county medical community. */
  communityId?: string;
  /** true for the lead hospital (牵头医院) of its community. */
  isLead?: boolean;
}

export interface InsuredPerson {
  psnNo: string;
  sex: '1' | '2' | '9';
  birthDate: string;
  insuranceType: 'employee' | 'resident';
  county: string;
}

/**
 * An outpatient special-disease entitlement (门诊特殊疾病待遇资格) with its enrolment for capitation
 * (R-CAP-3): one treating institution and one family-doctor institution per person per year, which may differ.
 * A change of institution, disease or insurance type closes one row and opens another (`from`/`to` inclusive).
 */
export interface SpecialDiseaseEnrolment {
  psnNo: string;
  diseaseCode: string; // 门特病种编码
  /** 1 = class-1 (一类门特), 2 = class-2 (二类门特). */
  diseaseClass: 1 | 2;
  insuranceType: 'employee' | 'resident';
  treatingInstitution: string;
  familyDoctorInstitution?: string;
  from: string; // ISO date
  to: string; // ISO date, inclusive
}
