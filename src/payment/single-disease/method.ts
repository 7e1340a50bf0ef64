/**
 * Single-disease fixed payment (按病种付费, R-PAY-DISEASE): a case in the catalog and on the pathway is paid the
 * standard of its disease at its institution's level; day surgery and outpatient disease payment alike. A case
 * that leaves the pathway is paid by the fallback method of the policy and marked `fallback`.
 *
 * 资府办函〔2018〕52号 二(三): "实施按病种付费的病种数量不少于100种"; 二(六): "原则上对诊疗方案和出入院标准比较明确、诊疗技术成熟、
 * 质量可控且费用稳定的病种，实行按病种付费。……逐步将日间手术以及符合条件的中西医病种门诊治疗纳入按病种付费范围。"
 *
 * The claim is the standard for the whole encounter (fen, as published or calibrated — no further rounding); the
 * fund's part is settled as claim − patientPaid. A fallback result keeps the fallback method's claim (DIP points,
 * DRG amount or item billing) with this method's id and status `fallback`, its explanation prefixed with why.
 */

import type { TraceStep } from '../../model/explain.ts';
import { type Institution, type InstitutionLevel, LEVEL_EN, LEVEL_ZH } from '../../model/institution.ts';
import { METHOD_EN, METHOD_ZH } from '../../model/method-names.ts';
import { formatRatio, ratio } from '../../model/money.ts';
import { formatPoints } from '../../model/points.ts';
import { byUnitId, type MethodId, type PaymentMethod, type UnitResult } from '../../model/unit-result.ts';
import { indexBy } from '../common/index-by.ts';
import { monthOf } from '../common/period.ts';
import { step, yuan } from '../common/trace.ts';
import { ffsForCase } from '../ffs/method.ts';
import {
  type DiseaseEncounter,
  type DiseaseEntry,
  type EntryMatch,
  matchEntry,
  type SingleDiseasePolicy,
} from './catalog.ts';
import { leavesPathway, type PathwayExit, pathwayExits } from './pathway.ts';
import { type DiseaseStandard, type StandardTable, standardKeyOf } from './standards.ts';

/** A catalog entry's setting (`setting` of the policy's catalog) in words: 住院 / 日间手术 / 门诊. */
const SETTING_WORDS: Readonly<Record<DiseaseEntry['setting'], readonly [zh: string, en: string]>> = {
  inpatient: ['住院', 'inpatient'],
  'day-surgery': ['日间手术', 'day surgery'],
  outpatient: ['门诊', 'outpatient'],
};

/**
 * The step that sends a case out of its pathway (出径) to the method that pays it instead, in words: the method's
 * glossary name (zh read "转按 dip 结算" and showed `fallbackTo = dip`: an enum in Chinese text).
 */
function exitStep(exits: readonly PathwayExit[], policy: SingleDiseasePolicy, paidBy: MethodId): TraceStep {
  return step(
    'R-PAY-DISEASE',
    policy.pathwayExit.source,
    `出径：${exits.map((x) => x.zh).join('；')}，改为${METHOD_ZH[paidBy]}结算`,
    `Leaves the pathway: ${exits.map((x) => x.en).join('; ')}; paid by ${METHOD_EN[paidBy]}`,
    { 出径病例支付方式依据: policy.fallbackTo.source },
    `改为${METHOD_ZH[paidBy]} / paid by ${METHOD_EN[paidBy]}`,
  );
}

/**
 * Why a case that meets a catalog entry was paid by another method (R-PAY-DISEASE, 资府办函〔2018〕52号 二(六)): the
 * entry it meets and its pathway exits, worded as the single-disease method words them. A region-year run carves out
 * only the cases that stay in their pathway, so a case leaving one is paid by the run's case method (DIP or DRG) and
 * its explanation read as a plain DIP/DRG case (the reader could not see why a listed disease was not paid at its
 * standard). Undefined when the case meets no entry, several, or stays in its pathway.
 */
export function pathwayExitSteps(
  c: DiseaseEncounter,
  policy: SingleDiseasePolicy,
  paidBy: MethodId,
): TraceStep[] | undefined {
  const m = matchEntry(c, policy.catalog.value);
  if (m.kind !== 'match') return undefined;
  const exits = pathwayExits(c, m.entry, policy);
  if (exits.length === 0) return undefined;
  const e = m.entry;
  const words = entryWords(e, m.rank);
  return [
    step(
      'R-PAY-DISEASE',
      policy.catalog.source,
      words.zh,
      words.en,
      {
        principalDiagnosis: c.diagnoses[0]!.code,
        procedures: c.procedures.map((p) => p.code).join(',') || null,
        losDays: c.losDays,
        maxLosDays: e.maxLosDays,
      },
      e.code,
    ),
    exitStep(exits, policy, paidBy),
  ];
}

/**
 * The second step of `pathwayExitSteps` (the exits and the method that pays instead) from a match the caller already
 * made (`matchEntry` of the same case): undefined unless the case meets one entry and leaves its pathway. A run that
 * matched its carve-out candidates once asks this of those paid by its case method (their basis names the exit).
 */
export function pathwayExitStep(
  c: DiseaseEncounter,
  m: EntryMatch,
  policy: SingleDiseasePolicy,
  paidBy: MethodId,
): TraceStep | undefined {
  if (m.kind !== 'match' || !leavesPathway(c, m.entry, policy)) return undefined;
  return exitStep(pathwayExits(c, m.entry, policy), policy, paidBy);
}

const NO_EXITS: readonly PathwayExit[] = Object.freeze([]);

/** A catalog match in words (zh read 入组病种 SD001 …（inpatient，按诊断）): the entry's English name when the policy gives one. */
function entryWords(e: DiseaseEntry, rank: string): { zh: string; en: string } {
  return {
    zh: `入组病种 ${e.code} ${e.zh}（${SETTING_WORDS[e.setting][0]}，按${rank === 'day-surgery' ? '日间手术' : rank === 'procedure' ? '诊断+手术' : '诊断'}）`,
    en: `Catalog entry ${e.code} ${e.en ?? e.zh} (${SETTING_WORDS[e.setting][1]}; matched by ${rank === 'procedure' ? 'diagnosis and procedure' : rank === 'day-surgery' ? 'day surgery' : 'diagnosis'})`,
  };
}

/** The method that pays cases leaving the pathway (a DIP or DRG evaluator wrapped by the pipeline). */
export interface FallbackEvaluator {
  method: MethodId;
  evaluate(cases: readonly DiseaseEncounter[]): UnitResult[];
}

export interface SingleDiseaseContext {
  policy: SingleDiseasePolicy;
  institutions: readonly Institution[];
  /** From `buildStandards`. */
  standards: StandardTable;
  /** Required when `fallbackTo` is dip or drg; for ffs the built-in item billing is used when absent. */
  fallback?: FallbackEvaluator;
  /**
   * Whether a paid unit carries its whole explanation (default true). False: its payment step only — the basis a
   * run stores (its 计算依据); a run recomputes the whole trace on demand (`explain case`), as DIP's and DRG's units
   * without traces. Units of any other status keep theirs (few).
   */
  explain?: boolean;
  /** The catalog match of an encounter when the caller has made it (`matchEntry` of the same case), else undefined. */
  matched?: (c: DiseaseEncounter) => EntryMatch | undefined;
}

export function evaluateSingleDisease(
  encounters: readonly DiseaseEncounter[],
  context: SingleDiseaseContext,
): UnitResult[] {
  const { policy, standards } = context;
  const explain = context.explain ?? true;
  const insts = indexBy(context.institutions, (i) => i.code, 'institution');
  const results: UnitResult[] = [];
  const leaving: { c: DiseaseEncounter; prefix: UnitResult['explanation']; code: string }[] = [];
  const catSource = policy.catalog.source;
  // What many cases share, made once per call: the words of a match (by entry: its rank is the entry's), the
  // standard and payment step by entry and level (its amount and evidence are exact text of bigint ratios), a
  // procedure list's text (the lists of a columnar reader are shared arrays). Each unit gets its own step objects.
  const matchWords = new Map<DiseaseEntry, { zh: string; en: string }>();
  const byLevel = new Map<
    DiseaseEntry,
    Map<InstitutionLevel, { std: DiseaseStandard | undefined; paid?: TraceStep; shared?: TraceStep }>
  >();
  const procedureTexts = new WeakMap<readonly { code: string }[], string | null>();
  const procedureText = (ps: readonly { code: string }[]): string | null => {
    let t = procedureTexts.get(ps);
    if (t === undefined) {
      t = ps.map((p) => p.code).join(',') || null;
      procedureTexts.set(ps, t);
    }
    return t;
  };
  // The match's step of a case (made only where a unit carries it: not for a paid unit without explanation).
  const matchStepOf = (c: DiseaseEncounter, e: DiseaseEntry, rank: string): TraceStep => {
    let words = matchWords.get(e);
    if (words === undefined) {
      words = entryWords(e, rank);
      matchWords.set(e, words);
    }
    return step(
      'R-PAY-DISEASE',
      catSource,
      words.zh,
      words.en,
      {
        principalDiagnosis: c.diagnoses[0]!.code,
        procedures: procedureText(c.procedures),
        losDays: c.losDays,
        maxLosDays: e.maxLosDays,
      },
      e.code,
    );
  };
  for (const c of encounters) {
    const base = {
      unitId: c.setlId,
      institutionCode: c.institutionCode,
      month: monthOf(c.dischargeTime),
      method: 'single-disease' as const,
      billed: c.totalCost,
      patientPaid: Math.max(0, Math.min(c.totalCost, c.totalCost - c.fundPay)),
    };
    const zero = { kind: 'amount' as const, amount: 0 };
    const m = context.matched?.(c) ?? matchEntry(c, policy.catalog.value);
    if (m.kind === 'none') {
      results.push({
        ...base,
        status: 'excluded',
        claim: zero,
        explanation: [
          step(
            'R-PAY-DISEASE',
            catSource,
            `主要诊断 ${c.diagnoses[0]?.code ?? '（无）'} 及手术不属按病种付费目录`,
            `Principal diagnosis ${c.diagnoses[0]?.code ?? '(none)'} and procedures match no catalog entry`,
            { setting: c.setting ?? 'inpatient' },
            yuan(0),
          ),
        ],
      });
      continue;
    }
    if (m.kind === 'overlap') {
      results.push({
        ...base,
        status: 'ungrouped',
        claim: zero,
        explanation: [
          step(
            'R-PAY-DISEASE',
            catSource,
            `符合多个病种（${m.codes.join('、')}），目录未规定优先顺序，待人工确定`,
            `Meets several entries (${m.codes.join(', ')}) with no stated precedence; needs a decision`,
            { entries: m.codes.join(',') },
            yuan(0),
          ),
        ],
      });
      continue;
    }
    const e = m.entry;
    const exits = leavesPathway(c, e, policy) ? pathwayExits(c, e, policy) : NO_EXITS;
    if (exits.length > 0) {
      leaving.push({
        c,
        code: e.code,
        prefix: [matchStepOf(c, e, m.rank), exitStep(exits, policy, policy.fallbackTo.value)],
      });
      continue;
    }
    const inst = insts.get(c.institutionCode);
    let level: { std: DiseaseStandard | undefined; paid?: TraceStep; shared?: TraceStep } | undefined;
    if (inst) {
      let levels = byLevel.get(e);
      if (levels === undefined) {
        levels = new Map();
        byLevel.set(e, levels);
      }
      level = levels.get(inst.level);
      if (level === undefined) {
        level = { std: standards.get(standardKeyOf(e.code, inst.level)) };
        levels.set(inst.level, level);
      }
    }
    const std = level?.std;
    if (!inst || !std) {
      results.push({
        ...base,
        group: e.code,
        status: 'ungrouped',
        claim: zero,
        explanation: [
          matchStepOf(c, e, m.rank),
          step(
            'R-PAY-DISEASE',
            policy.calibration.source,
            inst
              ? `病种 ${e.code} 在 ${inst.level} 级没有支付标准（未公布且历史病例不足）`
              : '机构不在机构名单中，无法确定等级',
            inst
              ? `No standard for ${e.code} at level ${inst.level} (not published, too few past cases)`
              : 'Institution not in the list: no level',
            { level: inst?.level ?? null },
            yuan(0),
          ),
        ],
      });
      continue;
    }
    let paid = level!.paid;
    if (paid === undefined) {
      const evidence: Record<string, string | number> = { level: inst.level, basis: std.basis };
      if (std.cases !== undefined) evidence.historyCases = std.cases;
      if (std.trimmedMean)
        evidence.trimmedMean = formatRatio(ratio(std.trimmedMean.num, std.trimmedMean.den * 100n), 2);
      paid = step(
        'R-PAY-DISEASE',
        std.source,
        `在径病例按${LEVEL_ZH[inst.level]}病种支付标准支付`,
        `On the pathway: paid the ${LEVEL_EN[inst.level]} standard`,
        evidence,
        yuan(std.standard),
      );
      level!.paid = paid;
    }
    // One literal (the fields of `base` in its order): the paid units are most of a run's carve-outs (issue 9).
    results.push({
      unitId: base.unitId,
      institutionCode: base.institutionCode,
      month: base.month,
      method: base.method,
      billed: base.billed,
      patientPaid: base.patientPaid,
      group: e.code,
      status: 'paid',
      claim: { kind: 'amount', amount: std.standard },
      // Without the explanation, the units of one entry and level share their payment step (frozen: one object).
      explanation: explain
        ? [matchStepOf(c, e, m.rank), { ...paid, values: { ...paid.values } }]
        : [sharedPaid(level!, paid)],
    });
  }
  results.push(...fallbackResults(leaving, context));
  return results.sort(byUnitId);
}

/** The payment step of an entry and level as the units without explanation share it (made once, frozen). */
function sharedPaid(level: { paid?: TraceStep; shared?: TraceStep }, paid: TraceStep): TraceStep {
  level.shared ??= Object.freeze({ ...paid, values: Object.freeze({ ...paid.values }) });
  return level.shared;
}

function fallbackResults(
  leaving: { c: DiseaseEncounter; prefix: UnitResult['explanation']; code: string }[],
  context: SingleDiseaseContext,
): UnitResult[] {
  if (leaving.length === 0) return [];
  const to = context.policy.fallbackTo.value;
  let paid: UnitResult[];
  if (context.fallback) {
    if (context.fallback.method !== to)
      throw new RangeError(
        `fallback evaluator is ${context.fallback.method} but the policy says ${to} / 出径结算方式不一致`,
      );
    paid = context.fallback.evaluate(leaving.map((l) => l.c));
  } else if (to === 'ffs') {
    paid = leaving.map((l) =>
      ffsForCase(l.c, {
        zh: '按病种出径',
        en: 'leaving the single-disease pathway',
        source: context.policy.fallbackTo.source,
      }),
    );
  } else {
    throw new RangeError(
      `cases leaving the pathway go to ${to}; pass its evaluator as context.fallback / 出径病例须按 ${to} 结算，请提供其计算器`,
    );
  }
  const byId = new Map(paid.map((r) => [r.unitId, r]));
  return leaving.map(({ c, prefix, code }) => {
    const r = byId.get(c.setlId);
    if (!r) throw new RangeError(`fallback ${to} returned no result for ${c.setlId} / 出径病例无结算结果`);
    return {
      ...r,
      method: 'single-disease',
      group: code,
      status: 'fallback',
      billed: c.totalCost,
      patientPaid: Math.max(0, Math.min(c.totalCost, c.totalCost - c.fundPay)),
      explanation: [
        ...prefix,
        ...r.explanation,
        step(
          'R-PAY-DISEASE',
          context.policy.fallbackTo.source,
          `按 ${to} 结算结果（原状态 ${r.status}）`,
          `Paid as ${to} (its status ${r.status})`,
          { fallbackMethod: r.method, fallbackStatus: r.status, fallbackGroup: r.group ?? null },
          r.claim.kind === 'amount' ? yuan(r.claim.amount) : formatPoints(r.claim.points),
        ),
      ],
    };
  });
}

export const singleDiseaseMethod: PaymentMethod<DiseaseEncounter, SingleDiseaseContext> = {
  id: 'single-disease',
  zh: '按病种付费',
  en: 'Single-disease fixed payment',
  evaluate: evaluateSingleDisease,
};
