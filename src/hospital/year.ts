/**
 * Hospital mode (医院端测算): a hospital's own cases priced as the agency prices them, with only the region's
 * published parameters — no regional budget. Each case is estimated (`estimateCase`) at the published or forecast
 * point value (or the DRG base rate); the expected year is the sum by institution and discharge month: points,
 * expected payment, the fund's part (payment − what patients paid), cost and profit or loss, with the book by group,
 * department and doctor (profit.ts).
 *
 * 002 四(三) (R-DIP-6): "按照各医疗机构实际点数付费" — at a fixed point value the year-end amount is points × value;
 * the agency's monthly deposit, advance, audit deductions and sharing bands are not part of this expectation.
 *
 * A case the region's settlement-list QC would reject (a before-care prompt the ingest QC refuses too, R-DATA-1;
 * prompts.ts `ingestRejects`) is never stored and so never paid as it is: it is kept apart (`rejected`, with its
 * estimate and prompts, so the office can correct it) and counts in no month, no line of the book and no total.
 */
import type { InpatientCase } from '../model/case.ts';
import type { Fen } from '../model/money.ts';
import type { Points } from '../model/points.ts';
import { estimateCase } from './estimate.ts';
import { type HospitalBook, hospitalBook } from './profit.ts';
import { ingestRejects } from './prompts.ts';
import type { CaseEstimate, HospitalParams } from './types.ts';

export interface MonthLine {
  institutionCode: string;
  month: string;
  cases: number;
  points: Points;
  /** Fixed-amount claims (DRG base rate, items for low-cost and ungrouped cases). */
  amountClaims: Fen;
  payment: Fen;
  cost: Fen;
  patientPaid: Fen;
  fund: Fen;
  profit: Fen;
}

export interface HospitalYear {
  /** The cases counted in the expected year (QC would accept them). */
  estimates: CaseEstimate[];
  /** The cases the region's QC would reject (`ingestRejects`): estimated, but in no month, line or total. */
  rejected: CaseEstimate[];
  months: MonthLine[];
  book: HospitalBook;
  /** Cases with at least one prompt of each level (a `reject` prompt the ingest does not check leaves a case counted). */
  prompted: { reject: number; incomplete: number };
}

export function hospitalYear(cases: Iterable<InpatientCase>, params: HospitalParams): HospitalYear {
  const estimates: CaseEstimate[] = [];
  const rejected: CaseEstimate[] = [];
  const months = new Map<string, MonthLine>();
  const prompted = { reject: 0, incomplete: 0 };
  for (const c of cases) {
    const e = estimateCase(c, params);
    if (e.prompts.some((p) => p.level === 'incomplete')) prompted.incomplete++;
    if (e.prompts.some((p) => p.level === 'reject')) prompted.reject++;
    if (ingestRejects(e.prompts).length > 0) {
      rejected.push(e);
      continue;
    }
    estimates.push(e);
    const k = `${e.institutionCode}\u0000${e.month}`;
    let m = months.get(k);
    if (!m) {
      m = {
        institutionCode: e.institutionCode,
        month: e.month,
        cases: 0,
        points: 0,
        amountClaims: 0,
        payment: 0,
        cost: 0,
        patientPaid: 0,
        fund: 0,
        profit: 0,
      };
      months.set(k, m);
    }
    m.cases++;
    if (e.points !== null) m.points += e.points;
    else m.amountClaims += e.expectedPayment ?? 0;
    m.payment += e.expectedPayment ?? 0;
    m.cost += e.cost;
    m.patientPaid += e.patientPaid;
    m.fund += e.expectedFund ?? 0;
    m.profit += e.profit ?? 0;
  }
  const sortedMonths = [...months.values()].sort((a, b) =>
    a.institutionCode < b.institutionCode ? -1 : a.institutionCode > b.institutionCode ? 1 : a.month < b.month ? -1 : 1,
  );
  return { estimates, rejected, months: sortedMonths, book: hospitalBook(estimates, params), prompted };
}
