/**
 * A small, fast, seeded generator of DIP-shaped inpatient cases for tests and the bench only (the project's
 * synthetic region lives in src/synth). Diagnoses have typical procedure combinations with a base cost; costs vary
 * by institution level and a log-normal noise, with a few low- and high-cost outliers, ICU stays, deaths and
 * comorbidities. Diagnosis and procedure lists are shared between cases (read-only) to keep memory low.
 */
import { DISCHARGE_WAY_DEATH, type Diagnosis, type InpatientCase, type Procedure } from '../../model/case.ts';
import type { Institution, InstitutionLevel } from '../../model/institution.ts';

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SynthOptions {
  seed?: number;
  institutions?: number;
  diagnoses?: number;
  /** Cases per year, e.g. { 2022: 1000, 2023: 1100, 2024: 1200, 2025: 1300 }. */
  casesPerYear: Record<number, number>;
}

export interface SynthRegion {
  institutions: Institution[];
  /** Cases by year. */
  byYear: Map<number, InpatientCase[]>;
}

const LEVEL_FACTOR: Record<InstitutionLevel, number> = { '3': 1.25, '2': 1.0, '1': 0.85, primary: 0.7 };
const LETTERS = 'ACDEIJKMNS';
const COMORBID = ['I10', 'E11.9', 'I50.0', 'N18.3', 'J44.9', 'C78.0', 'K74.6', 'I63.9', 'E78.5', 'Z95.5'];

interface ComboTemplate {
  procedures: Procedure[];
  cost: number;
  weight: number;
}

interface DxTemplate {
  principal: string;
  diagnosisLists: Diagnosis[][];
  combos: ComboTemplate[];
  totalWeight: number;
  weight: number;
}

export function generateRegion(o: SynthOptions): SynthRegion {
  const rnd = mulberry32(o.seed ?? 1);
  const nInst = o.institutions ?? 20;
  const nDx = o.diagnoses ?? 200;
  const levels: InstitutionLevel[] = ['3', '2', '2', '1', 'primary'];
  const institutions: Institution[] = [];
  for (let i = 0; i < nInst; i++) {
    const level = levels[i % levels.length]!;
    institutions.push({
      code: `H${String(i + 1).padStart(4, '0')}`,
      name: `示范医院${i + 1}`,
      level,
      type: level === 'primary' ? 'primary' : 'general',
      county: '150100',
    });
  }
  const dxs: DxTemplate[] = [];
  let totalDxWeight = 0;
  for (let d = 0; d < nDx; d++) {
    const principal = `${LETTERS[d % LETTERS.length]}${String(10 + Math.floor(d / LETTERS.length)).padStart(2, '0')}.${d % 10}`;
    const base = 300_000 + Math.floor(rnd() * 3_000_000); // 3k–33k yuan in fen
    const combos: ComboTemplate[] = [{ procedures: [], cost: base, weight: 5 }];
    const nCombos = 1 + Math.floor(rnd() * 4);
    for (let k = 0; k < nCombos; k++) {
      const kind = rnd();
      const chapter =
        kind < 0.6 ? 10 + Math.floor(rnd() * 70) : kind < 0.8 ? 87 + Math.floor(rnd() * 4) : 92 + Math.floor(rnd() * 7);
      const code = `${String(chapter).padStart(2, '0')}.${String(Math.floor(rnd() * 100)).padStart(2, '0')}00`;
      const procs: Procedure[] = [{ code }];
      if (rnd() < 0.3) procs.push({ code: `99.${String(Math.floor(rnd() * 100)).padStart(2, '0')}00` });
      combos.push({ procedures: procs, cost: Math.floor(base * (1.3 + rnd() * 2)), weight: 1 + Math.floor(rnd() * 5) });
    }
    const diagnosisLists: Diagnosis[][] = [[{ code: principal }]];
    for (let k = 0; k < 3; k++) {
      diagnosisLists.push([{ code: principal }, { code: COMORBID[Math.floor(rnd() * COMORBID.length)]! }]);
    }
    const weight = 1 / (d + 5);
    totalDxWeight += weight;
    dxs.push({ principal, diagnosisLists, combos, totalWeight: combos.reduce((s, c) => s + c.weight, 0), weight });
  }
  // Cumulative table for diagnosis choice.
  const cum = new Float64Array(nDx);
  let acc = 0;
  dxs.forEach((d, i) => {
    acc += d.weight / totalDxWeight;
    cum[i] = acc;
  });
  const pickDx = (u: number): DxTemplate => {
    let lo = 0;
    let hi = nDx - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return dxs[lo]!;
  };
  const byYear = new Map<number, InpatientCase[]>();
  let serial = 0;
  for (const [yText, count] of Object.entries(o.casesPerYear)) {
    const year = Number(yText);
    const inflation = 1 + (year - 2022) * 0.03;
    const list: InpatientCase[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const dx = pickDx(rnd());
      let w = rnd() * dx.totalWeight;
      let combo = dx.combos[0]!;
      for (const c of dx.combos) {
        w -= c.weight;
        if (w <= 0) {
          combo = c;
          break;
        }
      }
      const inst = institutions[Math.floor(rnd() * nInst)]!;
      const r = rnd();
      const outlier = r < 0.02 ? 0.3 : r > 0.985 ? 3 + rnd() * 4 : 1;
      const noise = Math.exp((rnd() + rnd() + rnd() - 1.5) * 0.35);
      const cost = Math.max(10_000, Math.round(combo.cost * LEVEL_FACTOR[inst.level] * inflation * noise * outlier));
      const fundPay = Math.round(cost * (0.62 + rnd() * 0.16));
      const month = 1 + Math.floor(rnd() * 12);
      const day = 1 + Math.floor(rnd() * 28);
      const los = 2 + Math.floor(rnd() * 12);
      const mm = String(month).padStart(2, '0');
      const dd = String(day).padStart(2, '0');
      const age = Math.floor(rnd() * 90);
      const icu = rnd() < 0.05 ? 2 + Math.floor(rnd() * 20) : 0;
      const death = rnd() < 0.01;
      serial++;
      list[i] = {
        setlId: `S${year}${String(serial).padStart(9, '0')}`,
        mdtrtId: `M${serial}`,
        psnNo: `P${Math.floor(rnd() * 1e7)}`,
        institutionCode: inst.code,
        insuranceType: rnd() < 0.4 ? 'employee' : 'resident',
        sex: rnd() < 0.5 ? '1' : '2',
        ageYears: age,
        admissionTime: `${year}-${mm}-${dd}T08:00:00`,
        dischargeTime: `${year}-${mm}-${dd}T10:00:00`,
        losDays: los,
        dischargeWay: death ? DISCHARGE_WAY_DEATH : '1',
        diagnoses: dx.diagnosisLists[rnd() < 0.6 ? 0 : 1 + Math.floor(rnd() * 3)]!,
        procedures: combo.procedures,
        icuDays: icu,
        readmit31: false,
        totalCost: cost,
        fundPay,
        selfPay: cost - fundPay,
        ownPay: 0,
        accountPay: 0,
        cashPay: cost - fundPay,
      };
    }
    byYear.set(year, list);
  }
  return { institutions, byYear };
}
