/**
 * Attending doctors (主诊医师) of the synthetic region: a few per institution and department, with made-up names.
 * A case's doctor follows from the person and the admission day (no draw from the generator's random stream, so
 * adding doctors changed no other generated value). Codes look like the national 医保医师代码 (D + digits).
 */
import type { InstitutionLevel } from '../model/institution.ts';

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '马', '朱', '胡', '郭'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明'];

/** Doctors per department by level: more at larger hospitals. */
const PER_DEPARTMENT: Record<InstitutionLevel, number> = { '3': 4, '2': 3, '1': 2, primary: 1 };

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

export interface Doctor {
  readonly code: string;
  readonly name: string;
}

/** Doctors by institution, department and slot, made once (cases share the objects). */
const cache = new WeakMap<object, Map<string, Doctor[]>>();

/** The doctors of department `dept` at `institution`, slot by slot. */
export function departmentDoctors(institution: { code: string; level: InstitutionLevel }, dept: string): Doctor[] {
  let byDept = cache.get(institution);
  if (!byDept) {
    byDept = new Map();
    cache.set(institution, byDept);
  }
  let doctors = byDept.get(dept);
  if (!doctors) {
    const digits = institution.code.replace(/\D/g, '').slice(-8).padStart(8, '0');
    doctors = Array.from({ length: PER_DEPARTMENT[institution.level] }, (_, k) => {
      const id = hash(`${institution.code}/${dept}/${k}`);
      return {
        code: `D${digits}${dept.padStart(2, '0')}${k + 1}`,
        name: `${SURNAMES[id % SURNAMES.length]}${GIVEN[(id >>> 8) % GIVEN.length]}${k % 2 === 0 ? '' : GIVEN[(id >>> 16) % GIVEN.length]}`,
      };
    });
    byDept.set(dept, doctors);
  }
  return doctors;
}

/** The attending doctor of a stay at `institution` in department `dept`. */
export function attendingDoctor(
  institution: { code: string; level: InstitutionLevel },
  dept: string,
  psnNo: string,
  admDay: number,
): Doctor {
  const doctors = departmentDoctors(institution, dept);
  return doctors[(hash(psnNo) + admDay) % doctors.length]!;
}
