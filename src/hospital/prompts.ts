/**
 * Before-care prompts (事前提示) for one settlement list at discharge: what the settlement-list QC would reject
 * (R-DATA-1 一致性校验: 性别与诊断、年龄与诊断、日期逻辑、住院天数、金额) and what looks incomplete, so the
 * hospital fixes the list before it is uploaded. Pure and in process: the same facts the ingest QC turns into SQL
 * (src/codes), applied to one case.
 *
 * A prompt says what is wrong and where; it never proposes another code (R-MON: no advice to code for payment).
 */
import { ageConflict, sexConflict } from '../codes/icd10-classification.ts';
import type { InpatientCase } from '../model/case.ts';
import { fenToYuan } from '../model/money.ts';
import { ageOn } from '../payment/common/period.ts';
import { notValidAsPrincipal } from './principal-diagnosis.ts';

/** `reject`: the settlement-list QC would send the list back; `incomplete`: a field is missing that matters. */
export type PromptLevel = 'reject' | 'incomplete';

export interface BeforeCarePrompt {
  level: PromptLevel;
  /** Error code as the ingest QC reports it (E_REQUIRED, E_SEX_DIAGNOSIS, …). */
  code: string;
  /** The settlement-list (4101) field concerned. */
  field: string;
  zh: string;
  en: string;
  /** Where the rule comes from, when it is a classification fact or a policy value. */
  source?: string;
}

/**
 * The prompts of level `reject` that the region's settlement-list QC (`yibao qc` / `yibao ingest`, src/ingest) refuses
 * too, so the list is never stored and never paid as it is. The principal-diagnosis rule (E_PRINCIPAL_DIAGNOSIS, the
 * ICD-10 instructions the 医保版 codes follow) is among them: the ingest QC checks it (src/ingest/kinds/cases.ts).
 */
export const INGEST_QC_REJECTS: ReadonlySet<string> = new Set([
  'E_REQUIRED',
  'E_FORMAT',
  'E_DATE_ORDER',
  'E_SEX_DIAGNOSIS',
  'E_AGE_DIAGNOSIS',
  'E_PRINCIPAL_DIAGNOSIS',
  'E_LOS_MISMATCH',
  'E_RANGE',
  'E_AGE_BIRTH',
  'E_NEGATIVE_AMOUNT',
  'E_COMPONENTS_EXCEED_TOTAL',
  'E_FEE_SUM_MISMATCH',
]);

/** The prompts for which the region's ingest QC would reject the list (empty = it would be stored and settled). */
export function ingestRejects(prompts: readonly BeforeCarePrompt[]): BeforeCarePrompt[] {
  return prompts.filter((p) => p.level === 'reject' && INGEST_QC_REJECTS.has(p.code));
}

/** QC numbers from the region's `qc` policy (src/ingest/qc/settings.ts); checks that need one are skipped without. */
export interface PromptSettings {
  losToleranceDays?: number;
  maxLosDays?: number;
  maxAgeYears?: number;
  /** Age (岁) against the birth and admission dates (the `qc` policy's ageToleranceYears); skipped without. */
  ageToleranceYears?: number;
}

const DAY_MS = 86_400_000;

function dayNumber(text: string | undefined): number | null {
  if (!text || !/^\d{4}-\d{2}-\d{2}/.test(text)) return null;
  const t = Date.UTC(Number(text.slice(0, 4)), Number(text.slice(5, 7)) - 1, Number(text.slice(8, 10)));
  if (Number.isNaN(t)) return null;
  const d = new Date(t);
  // 2025-02-30 rolls over to March: not a real date.
  if (d.getUTCDate() !== Number(text.slice(8, 10))) return null;
  return t / DAY_MS;
}

/**
 * A date-time of the list as a person writes it: the date alone at midnight (the reader stores 2025-06-05 as
 * 2025-06-05T00:00:00), else date and time with a space.
 */
export function shownTime(text: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)/.exec(text);
  if (!m) return text;
  return /^00:00(:00)?$/.test(m[2]!) ? m[1]! : `${m[1]} ${m[2]}`;
}

/** The prompts for one case, in field order; empty when the list looks complete and consistent. */
export function beforeCarePrompts(c: InpatientCase, s: PromptSettings = {}): BeforeCarePrompt[] {
  const out: BeforeCarePrompt[] = [];
  const push = (p: BeforeCarePrompt) => out.push(p);
  const principal = c.diagnoses[0]?.code.trim() ?? '';
  if (principal === '') {
    push({
      level: 'reject',
      code: 'E_REQUIRED',
      field: 'diag_codes',
      zh: '未填写主要诊断',
      en: 'no principal diagnosis',
    });
  } else {
    const bad = notValidAsPrincipal(principal);
    if (bad) {
      push({
        level: 'reject',
        code: 'E_PRINCIPAL_DIAGNOSIS',
        field: 'diag_codes',
        zh: `主要诊断 ${principal} 属于“${bad.zh}”，不能作为主要诊断`,
        en: `principal diagnosis ${principal} is ${bad.en}, which may not be the principal diagnosis`,
        source: bad.source,
      });
    }
  }
  c.diagnoses.forEach((d, i) => {
    const what =
      i === 0 ? { zh: '主要诊断', en: 'principal diagnosis' } : { zh: `第 ${i + 1} 诊断`, en: `diagnosis ${i + 1}` };
    const sx = d.code ? sexConflict(d.code, c.sex) : undefined;
    if (sx) {
      push({
        level: 'reject',
        code: 'E_SEX_DIAGNOSIS',
        field: 'diag_codes',
        zh: `${what.zh} ${d.code} 属于“${sx.zh}”，仅限${sx.sex === '1' ? '男性' : '女性'}，与性别不符`,
        en: `${what.en} ${d.code} (${sx.en}) is for ${sx.sex === '1' ? 'males' : 'females'} only`,
        source: sx.source,
      });
    }
    const ag = d.code ? ageConflict(d.code, c.ageYears) : undefined;
    if (ag) {
      push({
        level: 'reject',
        code: 'E_AGE_DIAGNOSIS',
        field: 'diag_codes',
        zh: `${what.zh} ${d.code} 属于“${ag.zh}”，与年龄 ${c.ageYears} 岁不符`,
        en: `${what.en} ${d.code} (${ag.en}) does not fit age ${c.ageYears}`,
        source: ag.source,
      });
    }
  });
  const adm = dayNumber(c.admissionTime);
  const dscg = dayNumber(c.dischargeTime);
  // The settlement-list QC refuses a date that is not of the calendar (2025-02-30) as E_FORMAT.
  for (const [text, day, field, zh, en] of [
    [c.admissionTime, adm, 'adm_time', '入院时间', 'admission'],
    [c.dischargeTime, dscg, 'dscg_time', '出院时间', 'discharge'],
    [c.birthDate, dayNumber(c.birthDate), 'brdy', '出生日期', 'birth date'],
  ] as const) {
    if (text && text.trim() !== '' && day === null) {
      push({
        level: 'reject',
        code: 'E_FORMAT',
        field,
        zh: `${zh} ${text} 不是真实的日期（应为 YYYY-MM-DD，该月须有这一天）`,
        en: `${en} ${text} is not a real calendar date (YYYY-MM-DD expected)`,
      });
    }
  }
  if (adm !== null && dscg !== null && c.admissionTime > c.dischargeTime) {
    push({
      level: 'reject',
      code: 'E_DATE_ORDER',
      field: 'dscg_time',
      zh: `出院时间 ${shownTime(c.dischargeTime)} 早于入院时间 ${shownTime(c.admissionTime)}`,
      en: `discharge ${shownTime(c.dischargeTime)} is before admission ${shownTime(c.admissionTime)}`,
    });
  }
  c.procedures.forEach((p, i) => {
    const what =
      i === 0 ? { zh: '主要手术操作', en: 'main procedure' } : { zh: `第 ${i + 1} 手术操作`, en: `procedure ${i + 1}` };
    if (!p.date || p.date.trim() === '') {
      push({
        level: 'incomplete',
        code: 'E_REQUIRED',
        field: 'oprn_oprt_dates',
        zh: `${what.zh} ${p.code} 未填写手术操作日期`,
        en: `${what.en} ${p.code} has no date`,
      });
      return;
    }
    const day = dayNumber(p.date);
    if (day === null) {
      push({
        level: 'reject',
        code: 'E_FORMAT',
        field: 'oprn_oprt_dates',
        zh: `${what.zh} ${p.code} 的日期 ${p.date} 不是日期（应为 YYYY-MM-DD）`,
        en: `${what.en} ${p.code}: date ${p.date} is not a date (YYYY-MM-DD expected)`,
      });
    } else if (adm !== null && dscg !== null && adm <= dscg && (day < adm || day > dscg)) {
      push({
        level: 'reject',
        code: 'E_DATE_ORDER',
        field: 'oprn_oprt_dates',
        zh: `${what.zh} ${p.code} 的日期 ${p.date} 不在住院期间`,
        en: `${what.en} ${p.code}: date ${p.date} is outside the stay`,
      });
    }
  });
  if (s.losToleranceDays !== undefined && adm !== null && dscg !== null && adm <= dscg) {
    const days = Math.max(1, dscg - adm);
    if (Math.abs(c.losDays - days) > s.losToleranceDays) {
      push({
        level: 'reject',
        code: 'E_LOS_MISMATCH',
        field: 'act_ipt_days',
        zh: `实际住院天数 ${c.losDays} 与出入院日期计得的 ${days} 天相差超过 ${s.losToleranceDays} 天`,
        en: `length of stay ${c.losDays} differs from the ${days} days between the dates by more than ${s.losToleranceDays}`,
      });
    }
  }
  if (s.maxLosDays !== undefined && (c.losDays < 0 || c.losDays > s.maxLosDays)) {
    push({
      level: 'reject',
      code: 'E_RANGE',
      field: 'act_ipt_days',
      zh: `实际住院天数 ${c.losDays} 超出 0–${s.maxLosDays} 天`,
      en: `length of stay ${c.losDays} is outside 0–${s.maxLosDays} days`,
    });
  }
  if (s.maxAgeYears !== undefined && (c.ageYears < 0 || c.ageYears > s.maxAgeYears)) {
    push({
      level: 'reject',
      code: 'E_RANGE',
      field: 'age',
      zh: `年龄 ${c.ageYears} 岁超出 0–${s.maxAgeYears} 岁`,
      en: `age ${c.ageYears} is outside 0–${s.maxAgeYears} years`,
    });
  }
  const birth = dayNumber(c.birthDate);
  if (s.ageToleranceYears !== undefined && birth !== null && adm !== null && birth <= adm) {
    const years = ageOn(c.birthDate!, c.admissionTime);
    if (Math.abs(c.ageYears - years) > s.ageToleranceYears) {
      push({
        level: 'reject',
        code: 'E_AGE_BIRTH',
        field: 'age',
        zh: `年龄 ${c.ageYears} 岁与出生日期 ${shownTime(c.birthDate!)}、入院时间 ${shownTime(c.admissionTime)} 推算的 ${years} 周岁相差超过 ${s.ageToleranceYears} 岁`,
        en: `age ${c.ageYears} differs from the ${years} complete years between birth ${shownTime(c.birthDate!)} and admission ${shownTime(c.admissionTime)} by more than ${s.ageToleranceYears}`,
      });
    }
  }
  if (c.ageYears === 0 && c.ageDays === undefined) {
    push({
      level: 'reject',
      code: 'E_REQUIRED',
      field: 'nwb_age',
      zh: '年龄为 0 岁，(年龄不足 1 周岁的)年龄(天)必填',
      en: 'age is 0 years, so the age in days is required',
    });
  }
  if (c.ageDays !== undefined && c.ageDays < 29 && c.newbornBirthWeightG === undefined) {
    push({
      level: 'incomplete',
      code: 'E_REQUIRED',
      field: 'nwb_bir_wt',
      zh: `新生儿（${c.ageDays} 天）未填写出生体重，新生儿分组需要它`,
      en: `newborn (${c.ageDays} days) without a birth weight, which newborn groups need`,
    });
  }
  // R-DATA-1: amounts are never negative (the ingest QC's E_NEGATIVE_AMOUNT, one per column).
  for (const [v, field, zh, en] of [
    [c.totalCost, 'medfee_sumamt', '医疗费总额', 'total medical cost'],
    [c.fundPay, 'hifp_pay', '统筹基金支出', 'pooled-fund payment'],
    [c.selfPay, 'psn_selfpay', '个人自付', 'co-payment'],
    [c.ownPay, 'psn_ownpay', '个人自费', 'own payment'],
    [c.accountPay, 'acct_pay', '个人账户支出', 'personal account payment'],
    [c.cashPay, 'psn_cashpay', '个人现金支付', 'cash payment'],
  ] as const) {
    if (v < 0) {
      push({
        level: 'reject',
        code: 'E_NEGATIVE_AMOUNT',
        field,
        zh: `${zh} 金额为负数：${fenToYuan(v)}`,
        en: `${en} is negative: ${fenToYuan(v)}`,
      });
    }
  }
  if (c.fundPay + c.accountPay + c.cashPay > c.totalCost) {
    push({
      level: 'reject',
      code: 'E_COMPONENTS_EXCEED_TOTAL',
      field: 'hifp_pay',
      zh: '统筹基金、个人账户与个人现金支付之和超过医疗费用总额',
      en: 'fund + account + cash exceed the total medical cost',
    });
  }
  if (c.costs) {
    const sum = Object.values(c.costs).reduce((t, v) => t + (v ?? 0), 0);
    if (sum !== c.totalCost) {
      push({
        level: 'reject',
        code: 'E_FEE_SUM_MISMATCH',
        field: 'medfee_sumamt',
        zh: `各收费类别合计 ${fenToYuan(sum)} 元不等于医疗费用总额 ${fenToYuan(c.totalCost)} 元`,
        en: `the cost categories add up to ${fenToYuan(sum)}, not the total ${fenToYuan(c.totalCost)}`,
      });
    }
  }
  if (!c.department) {
    push({
      level: 'incomplete',
      code: 'E_REQUIRED',
      field: 'dscg_caty',
      zh: '未填写出院科别',
      en: 'no discharge department',
    });
  }
  if (!c.doctorCode) {
    push({
      level: 'incomplete',
      code: 'E_REQUIRED',
      field: 'chfpdr_code',
      zh: '未填写主诊医师代码',
      en: 'no attending doctor code',
    });
  }
  return out;
}
