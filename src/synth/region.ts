/**
 * The synthetic pooling region (统筹区) 示范市: two urban districts and two counties, 30 designated institutions
 * of every level and type, and one county medical community (县域医共体) per county, each led by its county
 * people's hospital. Names and codes are fictitious (admdvs prefix 99, which no province uses).
 */
import type { Institution, InstitutionLevel, InstitutionType } from '../model/institution.ts';
import type { ServiceLine } from './profiles/types.ts';

export interface County {
  /** 6-digit admdvs code. */
  code: string;
  name: string;
  urban: boolean;
  /** Share of the region's insured population. */
  populationShare: number;
  /** Medical community of the county, if any. */
  communityId?: string;
}

export const REGION = { code: '990100', name: '示范市', nameEn: 'Demo City' } as const;

export const COUNTIES: readonly County[] = [
  { code: '990102', name: '示范市城东区', urban: true, populationShare: 0.35 },
  { code: '990103', name: '示范市城西区', urban: true, populationShare: 0.25 },
  { code: '990121', name: '东山县', urban: false, populationShare: 0.22, communityId: 'MC990121' },
  { code: '990122', name: '西河县', urban: false, populationShare: 0.18, communityId: 'MC990122' },
];

/** What kind of place an institution is, beyond level and type: decides its service lines. */
export type Facility =
  | 'general'
  | 'tcm'
  | 'maternal-child'
  | 'psychiatric'
  | 'rehabilitation'
  | 'township' // 乡镇卫生院
  | 'community'; // 社区卫生服务中心

export interface SynthInstitution extends Institution {
  facility: Facility;
  /** Open beds: the size of the institution, a weight when patients choose where to go. */
  beds: number;
  /** Private (民营) institution. */
  private: boolean;
}

type Row = readonly [
  seq: string,
  name: string,
  level: InstitutionLevel,
  facility: Facility,
  beds: number,
  privateOwned?: boolean,
  lead?: boolean,
];

const BY_COUNTY: Readonly<Record<string, readonly Row[]>> = {
  '990102': [
    ['00001', '示范市第一人民医院', '3', 'general', 1800],
    ['00002', '示范医科大学附属医院', '3', 'general', 2200],
    ['00003', '示范市中医医院', '3', 'tcm', 900],
    ['00004', '示范市妇幼保健院', '3', 'maternal-child', 600],
    ['00005', '示范市精神卫生中心', '3', 'psychiatric', 800],
    ['00006', '示范市康复医院', '2', 'rehabilitation', 300],
    ['00007', '城东区人民医院', '2', 'general', 500],
    ['00008', '城东康宁医院', '1', 'general', 80, true],
    ['00009', '城东区东门街道社区卫生服务中心', 'primary', 'community', 50],
    ['00010', '城东区北苑街道社区卫生服务中心', 'primary', 'community', 40],
    ['00011', '城东区南湖街道社区卫生服务中心', 'primary', 'community', 40],
  ],
  '990103': [
    ['00001', '示范市中心医院', '3', 'general', 1500],
    ['00002', '城西区人民医院', '2', 'general', 450],
    ['00003', '示范仁和医院', '2', 'general', 300, true],
    ['00004', '示范安心精神病医院', '2', 'psychiatric', 250, true],
    ['00005', '城西区中医医院', '2', 'tcm', 200],
    ['00006', '城西区西苑街道社区卫生服务中心', 'primary', 'community', 50],
    ['00007', '城西区西关街道社区卫生服务中心', 'primary', 'community', 40],
  ],
  '990121': [
    ['00001', '东山县人民医院', '2', 'general', 600, false, true],
    ['00002', '东山县中医医院', '2', 'tcm', 300],
    ['00003', '东山县青石镇中心卫生院', 'primary', 'township', 80],
    ['00004', '东山县柳湾镇卫生院', 'primary', 'township', 50],
    ['00005', '东山县白沙乡卫生院', 'primary', 'township', 30],
    ['00006', '东山县城关社区卫生服务中心', 'primary', 'community', 30],
  ],
  '990122': [
    ['00001', '西河县人民医院', '2', 'general', 550, false, true],
    ['00002', '西河县妇幼保健院', '2', 'maternal-child', 120],
    ['00003', '西河县桥头镇中心卫生院', 'primary', 'township', 70],
    ['00004', '西河县马场镇卫生院', 'primary', 'township', 40],
    ['00005', '西河县石门乡卫生院', 'primary', 'township', 30],
    ['00006', '西河县第二人民医院', '1', 'general', 150],
  ],
};

const TYPE_OF: Readonly<Record<Facility, InstitutionType>> = {
  general: 'general',
  tcm: 'tcm',
  'maternal-child': 'maternal-child',
  psychiatric: 'psychiatric',
  rehabilitation: 'rehabilitation',
  township: 'primary',
  community: 'primary',
};

/** The region's institutions, in a fixed order (county, then sequence number). */
export function buildInstitutions(): SynthInstitution[] {
  const out: SynthInstitution[] = [];
  for (const county of COUNTIES) {
    for (const [seq, name, level, facility, beds, privateOwned, lead] of BY_COUNTY[county.code] ?? []) {
      // Every public institution of a county with a community belongs to it; private ones stay outside.
      const member = county.communityId !== undefined && !privateOwned;
      out.push({
        code: `H${county.code}${seq}`,
        name,
        level,
        type: TYPE_OF[facility],
        county: county.code,
        ...(member ? { communityId: county.communityId, isLead: lead === true } : {}),
        facility,
        beds,
        private: privateOwned === true,
      });
    }
  }
  return out;
}

/**
 * How readily each kind of institution treats each service line (0 = never). Multiplied by the profile's level
 * preference, the institution's beds and the distance from the patient's home.
 */
export const SERVICE_AFFINITY: Readonly<Record<Facility, Partial<Record<ServiceLine, number>>>> = {
  general: {
    medical: 1,
    'medical-complex': 1,
    surgery: 1,
    'surgery-complex': 1,
    interventional: 1,
    oncology: 1,
    obstetric: 0.8,
    gynecology: 1,
    newborn: 0.6,
    pediatric: 0.7,
    'eye-ent': 1,
    psychiatric: 0.02,
    rehabilitation: 0.3,
    hospice: 0.2,
  },
  tcm: {
    medical: 1,
    'medical-complex': 0.4,
    surgery: 0.5,
    'surgery-complex': 0.15,
    oncology: 0.3,
    gynecology: 0.4,
    pediatric: 0.3,
    'eye-ent': 0.3,
    rehabilitation: 1,
    hospice: 0.3,
  },
  'maternal-child': { obstetric: 2.5, gynecology: 1.5, newborn: 3, pediatric: 2 },
  psychiatric: { psychiatric: 1 },
  rehabilitation: { rehabilitation: 4, hospice: 0.5, medical: 0.03 },
  township: { medical: 1, pediatric: 0.5, obstetric: 0.15, surgery: 0.1, rehabilitation: 0.6, hospice: 1 },
  community: { medical: 1, pediatric: 0.2, rehabilitation: 0.8, hospice: 1.5 },
};

/** Institutions with an intensive care unit (重症监护病房). */
export function hasIcu(inst: SynthInstitution): boolean {
  return (
    (inst.level === '3' || inst.level === '2') && (inst.facility === 'general' || inst.facility === 'maternal-child')
  );
}

/**
 * How many patients an institution attracts for its size: beds^0.6, because small hospitals turn their beds
 * over faster and a big hospital's beds go to longer, heavier stays.
 */
export function capacity(inst: SynthInstitution): number {
  return inst.beds ** 0.6;
}

/**
 * Preference for an institution of county `to` by a patient living in county `from`: county residents mostly
 * stay in their county (县域内就诊率 ≈ 80–90%) and otherwise go to the city's tertiary hospitals.
 */
export function distanceFactor(from: County, to: County, inst: SynthInstitution): number {
  if (from.code === to.code) return 1;
  if (from.urban && to.urban) return 0.5;
  if (!from.urban && to.urban) return inst.level === '3' ? 0.12 : 0.02;
  return 0.02;
}
