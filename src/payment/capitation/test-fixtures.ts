/**
 * A hand-computed Panzhihua year (seed 004) shared by the capitation tests. Every number below is worked out in
 * the comments; the tests check the engine against them.
 *
 * History (2020, employee, class-2 diseases D1 and D2; cost = 统筹支付 + 门诊调增费用):
 *   D1: h1 50y 2400 | h2 45y 2400 | h3 70y 2900+100 | h4 66y 2900+100 | h5 55y class-1 3600 | h6 80y class-1 3500+100
 *       → 18000.00 / 6 heads = 3000.00 per head
 *   D2: h7 60y 4800 | h8 72y 7000+200 → 12000.00 / 2 = 6000.00 per head
 * Cell weights, observed ÷ expected (expected = the heads' disease standards):
 *   <65 no class-1: (2400+2400+4800) / (3000+3000+6000) = 9600/12000 = 0.8
 *   65+ no class-1: (3000+3000+7200) / (3000+3000+6000) = 13200/12000 = 1.1
 *   <65 class-1: 3600/3000 = 1.2;  65+ class-1: 3600/3000 = 1.2
 * Planned heads (January snapshot, all full year), expected = standard × weight:
 *   H1: p1 D1 50y 2400 | p2 D1 70y 3300 | p3 D2 41y 4800 | p4 D2 66y class-1 7200 | pS D1 60y 2400
 *   H2: p5 D1 31y class-1 3600 | p6 D2 65y (born 1956-01-01: 65 on 2021-01-01, older cell) 6600
 *       | p7 D1 64y (born 1956-01-02) 2400 | p9 D1 46y 2400
 *   H3: p8 D2 35y 4800
 *   expected = 39900.00; cap 49875.00 → factor 1.25 → corrected rates D1 3750.00, D2 7500.00
 * Planned head amounts = rate × weight: p1 3000, p2 4125, p3 6000, p4 9000, pS 3000 → H1 25125.00;
 *   p5 4500, p6 8250, p7 3000, p9 3000 → H2 18750.00; p8 6000 → H3 6000.00; Σ 49875.00 = cap.
 * Actual year: pS switches from H1 to H4 on 2021-07-01 (181 + 184 days of 365); p10 (40y, D1) enters at H4 on
 *   2021-10-01 (92 days); p9 never visits.
 */
import type { InsuredPerson, SpecialDiseaseEnrolment } from '../../model/institution.ts';
import type { Fen } from '../../model/money.ts';
import { capitationKind } from '../../policy/kinds/capitation.ts';
import { resolvePolicyFile } from '../testing.ts';
import type { CapitationHistoryHead, CapitationSpending } from './types.ts';

export const YEAR = 2021;
export const policy = resolvePolicyFile(capitationKind, 'policies/panzhihua/capitation-2021.yaml', '2021-06-30');

const hist = (
  psnNo: string,
  diseaseCode: string,
  ageYears: number,
  fundPay: Fen,
  outpatientAdjustment: Fen,
  hasClass1 = false,
): CapitationHistoryHead => ({
  psnNo,
  insuranceType: 'employee',
  diseaseCode,
  ageYears,
  sex: '1',
  hasClass1,
  fundPay,
  outpatientAdjustment,
});

export const history: CapitationHistoryHead[] = [
  hist('h1', 'D1', 50, 240_000, 0),
  hist('h2', 'D1', 45, 240_000, 0),
  hist('h3', 'D1', 70, 290_000, 10_000),
  hist('h4', 'D1', 66, 290_000, 10_000),
  hist('h5', 'D1', 55, 360_000, 0, true),
  hist('h6', 'D1', 80, 350_000, 10_000, true),
  hist('h7', 'D2', 60, 480_000, 0),
  hist('h8', 'D2', 72, 700_000, 20_000),
];

const person = (psnNo: string, birthDate: string): InsuredPerson => ({
  psnNo,
  sex: '1',
  birthDate,
  insuranceType: 'employee',
  county: '510402',
});

export const persons: InsuredPerson[] = [
  person('p1', '1970-06-01'),
  person('p2', '1950-05-01'),
  person('p3', '1980-01-01'),
  person('p4', '1954-03-03'),
  person('p5', '1990-01-01'),
  person('p6', '1956-01-01'),
  person('p7', '1956-01-02'),
  person('p8', '1985-05-05'),
  person('p9', '1975-01-01'),
  person('pS', '1960-07-07'),
  person('p10', '1980-02-02'),
];

export const row = (
  psnNo: string,
  diseaseCode: string,
  treatingInstitution: string,
  familyDoctorInstitution: string | undefined,
  from = '2021-01-01',
  to = '2021-12-31',
  diseaseClass: 1 | 2 = 2,
): SpecialDiseaseEnrolment => ({
  psnNo,
  diseaseCode,
  diseaseClass,
  insuranceType: 'employee',
  treatingInstitution,
  ...(familyDoctorInstitution ? { familyDoctorInstitution } : {}),
  from,
  to,
});

const common: SpecialDiseaseEnrolment[] = [
  row('p1', 'D1', 'H1', 'F1'),
  row('p2', 'D1', 'H1', 'F1'),
  row('p3', 'D2', 'H1', 'H1'),
  row('p4', 'D2', 'H1', 'F1'),
  row('p4', 'C1X', 'H1', undefined, '2021-01-01', '2021-12-31', 1),
  row('p5', 'D1', 'H2', 'F2'),
  row('p5', 'C1Y', 'H2', undefined, '2021-01-01', '2021-12-31', 1),
  row('p6', 'D2', 'H2', 'F2'),
  row('p7', 'D1', 'H2', 'F2'),
  row('p8', 'D2', 'H3', undefined),
  row('p9', 'D1', 'H2', 'F2'),
];

/** The January snapshot the year is planned on. */
export const planned: SpecialDiseaseEnrolment[] = [...common, row('pS', 'D1', 'H1', 'F1')];

/** The year as it happened: pS switches H1 → H4 on 1 July; p10 enters on 1 October. */
export const actual: SpecialDiseaseEnrolment[] = [
  ...common,
  row('pS', 'D1', 'H1', 'F1', '2021-01-01', '2021-06-30'),
  row('pS', 'D1', 'H4', 'F1', '2021-07-01', '2021-12-31'),
  row('p10', 'D1', 'H4', 'F2', '2021-10-01', '2021-12-31'),
];

export const CAP = 4_987_500;

const visit = (
  setlId: string,
  psnNo: string,
  inst: string,
  date: string,
  disease: string,
  fund: Fen,
): CapitationSpending => ({
  setlId,
  psnNo,
  institutionCode: inst,
  date,
  diseaseCode: disease,
  totalCost: fund + 50_000,
  fundPayable: fund,
});

/**
 * Audited fund spending by institution:
 *   H1 20000.00 (p1 5000, p2 4000, p3 5000, p4 4000, pS 2000 before the switch)   → surplus
 *   H2 16695.00 (p5 5000, p6 6695, p7 5000)  = 15750.00 × 1.06                    → overspend 6 %
 *   H3  6900.00 (p8)                          = 6000.00 × 1.15                     → overspend 15 %
 *   H4  2000.00 (pS 1200 after the switch, p10 800)                               → surplus
 * Plus two visits that fit no head: p1 at H2 (not his treating institution), p9 for D2 (not enrolled for D2).
 */
export const spending: CapitationSpending[] = [
  visit('v01', 'p1', 'H1', '2021-02-01', 'D1', 500_000),
  visit('v02', 'p2', 'H1', '2021-03-01', 'D1', 400_000),
  visit('v03', 'p3', 'H1', '2021-04-01', 'D2', 500_000),
  visit('v04', 'p4', 'H1', '2021-05-01', 'D2', 400_000),
  visit('v05', 'pS', 'H1', '2021-03-01', 'D1', 200_000),
  visit('v06', 'p5', 'H2', '2021-02-02', 'D1', 500_000),
  visit('v07', 'p6', 'H2', '2021-06-06', 'D2', 669_500),
  visit('v08', 'p7', 'H2', '2021-07-07', 'D1', 500_000),
  visit('v09', 'p8', 'H3', '2021-08-08', 'D2', 690_000),
  visit('v10', 'pS', 'H4', '2021-08-01', 'D1', 120_000),
  visit('v11', 'p10', 'H4', '2021-11-01', 'D1', 80_000),
  visit('v12', 'p1', 'H2', '2021-05-05', 'D1', 30_000),
  visit('v13', 'p9', 'H2', '2021-05-05', 'D2', 10_000),
];
