/**
 * One capitation or family-doctor head of a stored run, explained from that head alone (issue 9: `explain case`
 * under a second). A run stores, beside its units, what a head's evaluation needs beyond the head's own rows
 * (`capitationHeadsBasis`, derived kind `capitation-heads`): the calibrated standards (history standards, risk
 * cells, corrections, corrected rates), how each institution's total was split over its heads (`IssuedSplit`), the
 * family-doctor assessment scores applied and the other class's disease codes. `explainCapitationHeadFromBasis`
 * then reads only the person's enrolment rows, the person and the person's visits of the year (by key), and
 * evaluates that person's heads with the whole trace of the one asked — the figures the run issued, the steps the
 * traced year gives.
 */
import type { Fen } from '../model/money.ts';
import type { UnitResult } from '../model/unit-result.ts';
import {
  type CapitationCaps,
  type CapitationStandards,
  type CellWeight,
  cellRiskModel,
  evaluateCapitation,
  evaluateFamilyDoctor,
  type FamilyDoctorAssessment,
  type FundCorrection,
  familyDoctorContracts,
  type HistoryStandard,
  personOfUnit,
  type ReferralSum,
} from '../payment/capitation/index.ts';
import type { IssuedSplit } from '../payment/common/issued-split.ts';
import { yearPeriod } from '../payment/common/period.ts';
import { capitationKind } from '../policy/kinds/capitation.ts';
import type { PolicySet } from '../policy/registry.ts';
import type { CapitationHeadRows } from '../report/capitation-reports.ts';
import type { RunResultsReader } from '../store/settlement-runs.ts';
import type { Store } from '../store/store.ts';
import { collectBatches } from './capitation-inputs.ts';
import { type CapitationYearResult, yearVisitsFromStore } from './capitation-year.ts';
import { fromJson, toJson } from './results.ts';

/** The pool a run's capitation and family-doctor units are stored under. */
export const capitationPoolId = (region: string, year: number) => `${region}-capitation-${year}`;

/**
 * The heads of a stored run as unit rows in batches (for the heads' sheet): capitation heads, then family-doctor
 * contracts, each by unit id, without traces (issue 9: read back from `run_units`, never kept).
 */
export function storedCapitationHeads(reader: RunResultsReader, poolId: string): CapitationHeadRows {
  return async function* () {
    yield* reader.units({ poolId, method: 'capitation', trace: false });
    yield* reader.units({ poolId, method: 'family-doctor', trace: false });
  };
}

/** The derived kind a run stores the basis under. */
export const CAPITATION_HEADS_KIND = 'capitation-heads';

/** What a run stores to explain one head without the others (JSON through `toJson`: ratios keep their bigints). */
export interface CapitationHeadsBasis {
  year: number;
  standards: {
    history: [string, HistoryStandard][];
    risk: { weights: readonly CellWeight[]; ageThreshold: number; source: string };
    caps: CapitationCaps;
    corrections: FundCorrection[];
    rates: [string, Fen][];
    steps: CapitationStandards['steps'];
  };
  /** By institution code. */
  capitation: [string, IssuedSplit][];
  familyDoctor: [string, IssuedSplit][];
  assessments: FamilyDoctorAssessment[];
  otherClassDiseases: string[];
  /**
   * Referral fees (转诊费用) of the counted heads by institution code, as the year end added them to fund spending
   * (`referralFee`); absent when none was charged (a run without them stores the basis as before).
   */
  referrals?: [string, ReferralSum][];
}

/** The basis of a capitation year, as JSON text; undefined when its risk model is not one a run can store (cells). */
export function capitationHeadsBasis(y: CapitationYearResult): string | undefined {
  const cells = y.standards.riskModel.cells;
  if (!cells) return undefined;
  const basis: CapitationHeadsBasis = {
    year: y.year,
    standards: {
      history: [...y.standards.history],
      risk: { ...cells, source: y.standards.riskModel.source },
      caps: y.standards.caps,
      corrections: y.standards.corrections,
      rates: [...y.standards.rates],
      steps: y.standards.steps,
    },
    capitation: [...y.issued.capitation],
    familyDoctor: [...y.issued.familyDoctor],
    assessments: y.issued.assessments,
    otherClassDiseases: y.issued.otherClassDiseases,
    ...(y.yearEndHeads.referrals.size > 0 ? { referrals: [...y.yearEndHeads.referrals] } : {}),
  };
  return toJson(basis);
}

export function parseCapitationHeadsBasis(text: string): CapitationHeadsBasis {
  return fromJson<CapitationHeadsBasis>(text);
}

function standardsOf(b: CapitationHeadsBasis): CapitationStandards {
  const s = b.standards;
  return {
    year: b.year,
    history: new Map(s.history),
    riskModel: cellRiskModel(s.risk.weights, s.risk.ageThreshold, s.risk.source),
    caps: s.caps,
    corrections: s.corrections,
    rates: new Map(s.rates),
    steps: s.steps,
  };
}

/**
 * One head of a stored run with its whole trace, from the run's basis: the person's rows, person and visits only.
 * Undefined when the person has no such head in the store now.
 */
export async function explainCapitationHeadFromBasis(
  store: Store,
  o: {
    region: string;
    year: number;
    policies: PolicySet;
    basis: CapitationHeadsBasis;
    unitId: string;
    method: 'capitation' | 'family-doctor';
  },
): Promise<UnitResult | undefined> {
  const { year, basis, unitId } = o;
  const policy = o.policies.resolveYear(capitationKind, o.region, year).values;
  const capClass = policy.capitatedDiseaseClass.value;
  const psnNo = personOfUnit(unitId);
  const rows = await store.readEnrolments({ ...yearPeriod(year), psnNo });
  const persons = await collectBatches(store.iteratePersons(undefined, { psnNo }));
  const visits = await yearVisitsFromStore(store, {
    year,
    policy,
    enrolments: rows,
    excludeDiseases: basis.otherClassDiseases,
    psnNo,
  });
  const trace = (id: string) => id === unitId;
  if (o.method === 'capitation') {
    const units = evaluateCapitation(rows, {
      year,
      policy,
      standards: standardsOf(basis),
      persons,
      spending: [],
      attributed: visits.attribution,
      mode: 'year-end',
      trace,
      issued: new Map(basis.capitation),
    });
    return units.find((u) => u.unitId === unitId);
  }
  const { contracts } = familyDoctorContracts(rows, year, capClass);
  const served = contracts
    .filter((_, i) => visits.servedContracts.has(i))
    .map((c) => ({ psnNo: c.psnNo, institutionCode: c.institutionCode }));
  const units = evaluateFamilyDoctor(contracts, {
    year,
    policy,
    served,
    assessments: basis.assessments,
    trace,
    issued: new Map(basis.familyDoctor),
  });
  return units.find((u) => u.unitId === unitId);
}
