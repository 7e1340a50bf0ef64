/**
 * Inpatient settlement lists (医保结算清单, 4101): the checks of meaning (R-DATA-1 一致性校验).
 * 性别与诊断、年龄与诊断 (ICD-10 facts from src/codes), 日期逻辑 (incl. 手术操作日期在住院期间), 住院天数, 金额非负,
 * 分项不超总额, 费用分类合计.
 */
import { normaliseCode } from '../../codes/icd10-classification.ts';
import { notValidAsPrincipal, SECONDARY_ONLY_RANGES } from '../../codes/principal-diagnosis.ts';
import { DISCHARGE_WAY, INSURANCE_TYPE, SEX } from '../../model/code-words.ts';
import { CASE_COLUMNS } from '../../model/columns.ts';
import { lit } from '../../store/duckdb/sql.ts';
import {
  componentsWithinTotal,
  institutionRegistered,
  msg,
  nonNegative,
  orZero,
  type QcCheck,
  q,
} from '../qc/check.ts';
import type { QcSettings } from '../qc/settings.ts';
import type { KindSpec } from './kind.ts';

const MONEY = CASE_COLUMNS.filter((c) => c.type === 'money');
const FEES = CASE_COLUMNS.filter((c) => c.name.startsWith('fee_')).map((c) => c.name);
const z = orZero;

/**
 * The file's distinct codes of a list column, as a temp table made once (one read of the column) for the checks
 * that look codes up: the code lists and the sex/age ranges are matched against these few hundred codes, and
 * the cases are read again only when some code fails.
 */
const codesTable = (col: string) => `yb_codes_${col}`;
const codesSql = (col: string) =>
  `CREATE OR REPLACE TEMP TABLE ${codesTable(col)} AS SELECT DISTINCT code FROM (SELECT unnest(${col}) AS code FROM yb_typ)`;
/** Diagnoses of each typed case, one row per code (with its position, 1 = principal). */
const DIAGNOSES = `(SELECT _row, gend, age, unnest(diag_codes) AS code, generate_subscripts(diag_codes, 1) AS pos
                    FROM yb_typ WHERE diag_codes IS NOT NULL)`;
/**
 * The file's diagnosis codes that fall in a sex- or age-specific range, with the range (a few hundred codes
 * matched to the ranges). The codes are normalised for the ranges (dot removed, upper case); the equality on the
 * first letter lets DuckDB hash-join before the range test.
 */
const DIAGNOSIS_MATCHES = 'yb_dx_match';
const DIAGNOSIS_MATCHES_SQL = `CREATE OR REPLACE TEMP TABLE ${DIAGNOSIS_MATCHES} AS
  WITH d AS (SELECT code, upper(replace(code, '.', '')) AS nc, upper(left(code, 1)) AS l1 FROM ${codesTable('diag_codes')})
  SELECT d.code, 'sex' AS rule, r.sex, NULL::INTEGER AS min_age, NULL::INTEGER AS max_age, r.zh, r.en
  FROM d JOIN yb_sex_rules r ON d.l1 = r.l1 AND left(d.nc, length(r.lo)) >= r.lo AND left(d.nc, length(r.hi)) <= r.hi
  UNION ALL
  SELECT d.code, 'age', NULL, r.min_age, r.max_age, r.zh, r.en
  FROM d JOIN yb_age_rules r ON d.l1 = r.l1 AND left(d.nc, length(r.lo)) >= r.lo AND left(d.nc, length(r.hi)) <= r.hi`;
const ANY_DIAGNOSIS_MATCH = `SELECT count(*) FROM ${DIAGNOSIS_MATCHES}`;
/**
 * Every (case, diagnosis) that falls in a sex- or age-specific range, found in one pass for the four checks of
 * `diagnosisConflicts`: the cases' diagnoses joined to the matched codes by equality. Made only when some code
 * of the file matched a range.
 */
const DIAGNOSIS_HITS = 'yb_dx_hits';
const DIAGNOSIS_HITS_SQL = `CREATE OR REPLACE TEMP TABLE ${DIAGNOSIS_HITS} AS
  SELECT x._row, x.gend, x.age, x.code, x.pos, m.rule, m.sex, m.min_age, m.max_age, m.zh, m.en
  FROM ${DIAGNOSES} x JOIN ${DIAGNOSIS_MATCHES} m ON m.code = x.code`;
const DIAGNOSIS_PREPARE = [
  codesSql('diag_codes'),
  DIAGNOSIS_MATCHES_SQL,
  { sql: DIAGNOSIS_HITS_SQL, onlyIf: ANY_DIAGNOSIS_MATCH },
];
const PROCEDURES = `(SELECT _row, unnest(oprn_oprt_codes) AS code, generate_subscripts(oprn_oprt_codes, 1) AS pos
                     FROM yb_typ WHERE oprn_oprt_codes IS NOT NULL)`;
/** Procedure dates of each typed case with the stay's days (the date is the first 10 characters). */
const PROCEDURE_DATES = `(SELECT _row, d, pos, try_cast(left(d, 10) AS DATE) AS day,
                           CAST(adm_time AS DATE) AS adm_day, CAST(dscg_time AS DATE) AS dscg_day
                         FROM (SELECT _row, adm_time, dscg_time, unnest(oprn_oprt_dates) AS d,
                                      generate_subscripts(oprn_oprt_dates, 1) AS pos
                               FROM yb_typ WHERE oprn_oprt_dates IS NOT NULL) x)`;

const CODE_LIST_NAME = { icd10: 'ICD-10', icd9: 'ICD-9-CM-3' } as const;

function unknownCodes(kind: 'icd10' | 'icd9', field: string, source: string, zh: string, en: string): QcCheck {
  const unknown = `yb_unknown_${kind}`;
  return {
    rule: `code-${kind}`,
    code: 'E_CODE_UNKNOWN',
    field,
    requires: kind,
    // The list by its name (as the "not imported" note names it), not the --kind word.
    title: { zh: `${zh}编码在编码库中`, en: `${en} codes in the ${CODE_LIST_NAME[kind]} code list` },
    // The file's codes not in the list (usually none: then no case is read again).
    prepare: [
      codesSql(field),
      `CREATE OR REPLACE TEMP TABLE ${unknown} AS SELECT code FROM ${codesTable(field)} x
       WHERE code <> '' AND NOT EXISTS (SELECT 1 FROM codes c WHERE c.kind = '${kind}' AND c.code = x.code)`,
    ],
    onlyIf: `SELECT count(*) FROM ${unknown}`,
    select: `SELECT _row, '${field}' AS field, 'E_CODE_UNKNOWN' AS code,
               '${zh}编码不在已导入的编码库（${kind}）中：' || string_agg(code, '、' ORDER BY pos) AS message_zh,
               '${en} code(s) not in the imported ${kind} list: ' || string_agg(code, ', ' ORDER BY pos) AS message_en
             FROM ${source} d
             WHERE code IN (SELECT code FROM ${unknown})
             GROUP BY _row`,
  };
}

/**
 * Sex and age against the diagnoses (R-DATA-1): a conflicting principal diagnosis rejects the list; a conflicting
 * secondary one rejects or only warns, as the QC policy's `secondaryDiagnosisConflict` says.
 */
function diagnosisConflicts(qc: QcSettings): QcCheck[] {
  const warn = qc.secondaryDiagnosisConflict === 'warn';
  // A secondary conflict keeps its error code when it rejects; as a warning it gets its own W_ code.
  const codeOf = (e: string, which: 'principal' | 'secondary') =>
    which === 'secondary' && warn ? `W_${e.slice(2)}_SECONDARY` : e;
  const sex = (which: 'principal' | 'secondary'): QcCheck => ({
    rule: 'sex-diagnosis',
    code: codeOf('E_SEX_DIAGNOSIS', which),
    field: 'diag_codes',
    title: { zh: '性别与诊断相符', en: 'sex matches diagnoses' },
    ...(which === 'secondary' ? { severity: qc.secondaryDiagnosisConflict } : {}),
    prepare: DIAGNOSIS_PREPARE,
    onlyIf: ANY_DIAGNOSIS_MATCH,
    select: `SELECT d._row, 'diag_codes' AS field, '${codeOf('E_SEX_DIAGNOSIS', which)}' AS code,
               '${which === 'principal' ? '主要诊断' : '其他诊断'} ' || d.code || ' 属于“' || r.zh || '”，仅限' || CASE r.sex WHEN '1' THEN '男性' ELSE '女性' END
                 || '，但性别为' || CASE d.gend WHEN '1' THEN '男' ELSE '女' END AS message_zh,
               '${which} diagnosis ' || d.code || ' (' || r.en || ') is for ' || CASE r.sex WHEN '1' THEN 'males' ELSE 'females' END
                 || ' only, but the patient is ' || CASE d.gend WHEN '1' THEN 'male' ELSE 'female' END AS message_en
             FROM ${DIAGNOSIS_HITS} d, LATERAL (SELECT d.sex, d.zh, d.en) r
             WHERE d.rule = 'sex' AND d.gend IN ('1', '2') AND r.sex <> d.gend AND d.pos ${which === 'principal' ? '= 1' : '> 1'}`,
  });
  const age = (which: 'principal' | 'secondary'): QcCheck => ({
    rule: 'age-diagnosis',
    code: codeOf('E_AGE_DIAGNOSIS', which),
    field: 'diag_codes',
    title: { zh: '年龄与诊断相符', en: 'age matches diagnoses' },
    ...(which === 'secondary' ? { severity: qc.secondaryDiagnosisConflict } : {}),
    prepare: DIAGNOSIS_PREPARE,
    onlyIf: ANY_DIAGNOSIS_MATCH,
    select: `SELECT d._row, 'diag_codes' AS field, '${codeOf('E_AGE_DIAGNOSIS', which)}' AS code,
               '${which === 'principal' ? '主要诊断' : '其他诊断'} ' || d.code || ' 属于“' || r.zh || '”，与年龄 ' || d.age || ' 岁不符' AS message_zh,
               '${which} diagnosis ' || d.code || ' (' || r.en || ') does not fit age ' || d.age AS message_en
             FROM ${DIAGNOSIS_HITS} d, LATERAL (SELECT d.min_age, d.max_age, d.zh, d.en) r
             WHERE d.rule = 'age' AND ((r.min_age IS NOT NULL AND d.age < r.min_age) OR (r.max_age IS NOT NULL AND d.age > r.max_age))
               AND d.pos ${which === 'principal' ? '= 1' : '> 1'}`,
  });
  return [sex('principal'), sex('secondary'), age('principal'), age('secondary')];
}

/**
 * A principal diagnosis that may not be one (R-DATA-1 编码有效性; src/codes/principal-diagnosis.ts): a code the ICD-10
 * instructions allow only beside another (external causes V01–Y98, infectious agents B95–B97, outcome of delivery
 * Z37, drug resistance U82–U85) or an asterisk (manifestation) code, first on the list. The 医保结算清单填写规范 codes
 * diagnoses by the 医保版 ICD-10 and asks for the disease that caused the stay as the principal one, so the list is
 * sent back, as the hospital's before-care prompt (事前提示) says. The file's distinct codes are matched once; the
 * cases are read again only when one of them is such a code.
 */
const PRINCIPAL_MATCHES = 'yb_dx_principal';
function principalDiagnosis(): QcCheck {
  const ranges = SECONDARY_ONLY_RANGES.map(
    (r) => `(${lit(normaliseCode(r.from))}, ${lit(normaliseCode(r.to))}, ${lit(r.zh)}, ${lit(r.en)})`,
  ).join(', ');
  const star = notValidAsPrincipal('A00*')!;
  return {
    rule: 'principal-diagnosis',
    code: 'E_PRINCIPAL_DIAGNOSIS',
    field: 'diag_codes',
    title: { zh: '主要诊断可作为主要诊断', en: 'principal diagnosis may be one' },
    prepare: [
      codesSql('diag_codes'),
      `CREATE OR REPLACE TEMP TABLE ${PRINCIPAL_MATCHES} AS
       WITH d AS (SELECT code, upper(replace(code, '.', '')) AS nc FROM ${codesTable('diag_codes')} WHERE code IS NOT NULL)
       SELECT d.code, r.zh, r.en FROM d JOIN (VALUES ${ranges}) r(lo, hi, zh, en)
         ON NOT contains(d.code, '*') AND left(d.nc, length(r.lo)) >= r.lo AND left(d.nc, length(r.hi)) <= r.hi
       UNION ALL
       SELECT code, ${lit(star.zh)}, ${lit(star.en)} FROM d WHERE contains(code, '*')`,
    ],
    onlyIf: `SELECT count(*) FROM ${PRINCIPAL_MATCHES}`,
    select: `SELECT t._row, 'diag_codes' AS field, 'E_PRINCIPAL_DIAGNOSIS' AS code,
               '主要诊断 ' || m.code || ' 属于“' || m.zh || '”，不能作为主要诊断' AS message_zh,
               'principal diagnosis ' || m.code || ' is ' || m.en || ', which may not be the principal diagnosis' AS message_en
             FROM yb_typ t JOIN ${PRINCIPAL_MATCHES} m ON m.code = t.diag_codes[1]
             WHERE len(t.diag_codes) > 0`,
  };
}

/**
 * 重复结算 (R-DATA-1, R-MON-2): a list whose 就诊ID (mdtrt_id) another settlement of the file or the store already
 * settled — same person, institution, admission and discharge dates, a smaller setl_id (which stands). The QC
 * policy's `duplicateVisit` says whether it rejects or warns; monitoring flags it either way (YB-CS-007).
 */
function duplicateVisit(qc: QcSettings): QcCheck {
  const code = qc.duplicateVisit === 'warn' ? 'W_DUPLICATE_VISIT' : 'E_DUPLICATE_VISIT';
  const visit =
    'setl_id, mdtrt_id, psn_no, fixmedins_code, CAST(adm_time AS DATE) AS adm, CAST(dscg_time AS DATE) AS dscg';
  return {
    rule: 'duplicate-visit',
    code,
    field: 'mdtrt_id',
    title: { zh: '同一就诊ID只结算一次', en: 'one visit settled once' },
    severity: qc.duplicateVisit,
    select: `SELECT t._row, 'mdtrt_id' AS field, '${code}' AS code,
               '就诊ID ' || t.mdtrt_id || ' 已由结算ID ' || min(o.setl_id) || ' 结算（同一参保人、机构、出入院日期）：同一次住院结算两次' AS message_zh,
               'visit ' || t.mdtrt_id || ' is already settled as ' || min(o.setl_id) || ' (same person, institution and dates): one stay settled twice' AS message_en
             FROM yb_typ t JOIN (SELECT ${visit} FROM yb_typ UNION ALL SELECT ${visit} FROM cases) o
               ON o.mdtrt_id = t.mdtrt_id AND o.psn_no = t.psn_no AND o.fixmedins_code = t.fixmedins_code
                 AND o.adm = CAST(t.adm_time AS DATE) AND o.dscg = CAST(t.dscg_time AS DATE) AND o.setl_id < t.setl_id
             WHERE t.mdtrt_id <> ''
             GROUP BY t._row, t.mdtrt_id`,
  };
}

function caseChecks(qc: QcSettings): QcCheck[] {
  const los = `greatest(1, date_diff('day', CAST(adm_time AS DATE), CAST(dscg_time AS DATE)))`;
  const checks: QcCheck[] = [
    unknownCodes('icd10', 'diag_codes', DIAGNOSES, '诊断', 'diagnosis'),
    unknownCodes('icd9', 'oprn_oprt_codes', PROCEDURES, '手术操作', 'procedure'),
    institutionRegistered(),
    ...diagnosisConflicts(qc),
    principalDiagnosis(),
    duplicateVisit(qc),
    {
      rule: 'date-order',
      code: 'E_DATE_ORDER',
      field: 'dscg_time',
      title: { zh: '入院不晚于出院', en: 'admission not after discharge' },
      where: 'adm_time > dscg_time',
      zh: msg('出院时间 {dscg_time} 早于入院时间 {adm_time}'),
      en: msg('discharge {dscg_time} is before admission {adm_time}'),
    },
    {
      rule: 'date-order',
      code: 'E_DATE_ORDER',
      field: 'brdy',
      title: { zh: '出生不晚于入院', en: 'birth not after admission' },
      where: 'brdy > CAST(adm_time AS DATE)',
      zh: msg('出生日期 {brdy} 晚于入院时间 {adm_time}'),
      en: msg('birth date {brdy} is after admission {adm_time}'),
    },
    {
      rule: 'procedure-date',
      code: 'E_FORMAT',
      field: 'oprn_oprt_dates',
      title: { zh: '手术操作日期是日期', en: 'procedure dates are dates' },
      select: `SELECT _row, 'oprn_oprt_dates' AS field, 'E_FORMAT' AS code,
                 '手术操作日期不是日期（应为 YYYY-MM-DD）：' || string_agg(d, '、' ORDER BY pos) AS message_zh,
                 'procedure date(s) not a date (YYYY-MM-DD expected): ' || string_agg(d, ', ' ORDER BY pos) AS message_en
               FROM ${PROCEDURE_DATES} p WHERE d <> '' AND day IS NULL GROUP BY _row`,
    },
    {
      rule: 'procedure-date',
      code: 'E_DATE_ORDER',
      field: 'oprn_oprt_dates',
      title: { zh: '手术操作日期在住院期间', en: 'procedure dates within the stay' },
      select: `SELECT _row, 'oprn_oprt_dates' AS field, 'E_DATE_ORDER' AS code,
                 '手术操作日期 ' || string_agg(d, '、' ORDER BY pos) || ' 不在入院 ' || CAST(min(adm_day) AS VARCHAR)
                   || ' 至出院 ' || CAST(min(dscg_day) AS VARCHAR) || ' 之间' AS message_zh,
                 'procedure date(s) ' || string_agg(d, ', ' ORDER BY pos) || ' outside the stay '
                   || CAST(min(adm_day) AS VARCHAR) || ' to ' || CAST(min(dscg_day) AS VARCHAR) AS message_en
               FROM ${PROCEDURE_DATES} p WHERE day IS NOT NULL AND adm_day <= dscg_day AND (day < adm_day OR day > dscg_day)
               GROUP BY _row`,
    },
    {
      rule: 'los',
      code: 'E_LOS_MISMATCH',
      field: 'act_ipt_days',
      title: { zh: '住院天数与出入院日期相符', en: 'length of stay matches the dates' },
      where: `adm_time <= dscg_time AND abs(act_ipt_days - ${los}) > ${qc.losToleranceDays}`,
      zh: msg(`实际住院天数 {act_ipt_days} 与出入院日期计得的 {${los}} 天相差超过 ${qc.losToleranceDays} 天`),
      en: msg(
        `length of stay {act_ipt_days} differs from the {${los}} days between the dates by more than ${qc.losToleranceDays}`,
      ),
    },
    {
      rule: 'range',
      code: 'E_RANGE',
      field: 'act_ipt_days',
      title: { zh: '住院天数范围', en: 'length of stay range' },
      where: `act_ipt_days < 0 OR act_ipt_days > ${qc.maxLosDays}`,
      zh: msg(`实际住院天数 {act_ipt_days} 超出 0–${qc.maxLosDays} 天`),
      en: msg(`length of stay {act_ipt_days} is outside 0–${qc.maxLosDays} days`),
    },
    {
      rule: 'range',
      code: 'E_RANGE',
      field: 'age',
      title: { zh: '年龄范围', en: 'age range' },
      where: `age < 0 OR age > ${qc.maxAgeYears}`,
      zh: msg(`年龄 {age} 岁超出 0–${qc.maxAgeYears} 岁`),
      en: msg(`age {age} is outside 0–${qc.maxAgeYears} years`),
    },
    {
      rule: 'range',
      code: 'E_RANGE',
      field: 'nwb_age',
      title: { zh: '新生儿年龄(天)范围', en: 'age in days range' },
      where: 'nwb_age < 0 OR nwb_age > 365',
      zh: msg('年龄不足 1 周岁的年龄(天) {nwb_age} 超出 0–365 天'),
      en: msg('age in days {nwb_age} is outside 0–365'),
    },
    {
      rule: 'required',
      code: 'E_REQUIRED',
      field: 'nwb_age',
      title: { zh: '1 岁以下填写年龄(天)', en: 'age in days under one year' },
      where: 'age = 0 AND nwb_age IS NULL',
      zh: msg('年龄为 0 岁，(年龄不足 1 周岁的)年龄(天) nwb_age 必填'),
      en: msg('age is 0 years, so nwb_age (age in days) is required'),
    },
    ...(
      [
        ['chfpdr_name', 'chfpdr_code', '主诊医师姓名', '主诊医师代码', 'attending doctor name', 'code'],
        ['chfpdr_code', 'chfpdr_name', '主诊医师代码', '主诊医师姓名', 'attending doctor code', 'name'],
      ] as const
    ).map(
      ([col, other, zh, otherZh, en, otherEn]): QcCheck => ({
        rule: 'required',
        code: 'E_REQUIRED',
        field: col,
        title: { zh: '主诊医师代码与姓名同时填写', en: 'attending doctor code and name together' },
        where: `${col} IS NULL AND ${other} IS NOT NULL`,
        zh: msg(`已填${otherZh} {${other}}，${zh}必填`),
        en: msg(`the attending doctor's ${otherEn} {${other}} is given, so the ${en} is required`),
      }),
    ),
    ...(['nwb_bir_wt', 'nwb_adm_wt'] as const).map(
      (col): QcCheck => ({
        rule: 'range',
        code: 'E_RANGE',
        field: col,
        title: { zh: '新生儿体重范围', en: 'newborn weight range' },
        where: `${col} < ${qc.newbornWeightG.min} OR ${col} > ${qc.newbornWeightG.max}`,
        zh: msg(`新生儿体重 {${col}} 克超出 ${qc.newbornWeightG.min}–${qc.newbornWeightG.max} 克`),
        en: msg(`newborn weight {${col}} g is outside ${qc.newbornWeightG.min}–${qc.newbornWeightG.max} g`),
      }),
    ),
    {
      rule: 'range',
      code: 'E_RANGE',
      field: 'icu_days',
      title: { zh: '重症监护天数不超过住院天数', en: 'ICU days within the stay' },
      where: 'icu_days < 0 OR icu_days > act_ipt_days + 1',
      zh: msg('重症监护天数 {icu_days} 超出实际住院天数 {act_ipt_days}'),
      en: msg('ICU days {icu_days} exceed the length of stay {act_ipt_days}'),
    },
    ...ageBirthChecks(qc),
    ...nonNegative(MONEY),
    componentsWithinTotal(
      'hifp_pay',
      { zh: '基金与个人账户、现金支付之和不超过总额', en: 'fund + account + cash within the total' },
      [
        { col: 'hifp_pay', zh: '统筹基金', en: 'fund' },
        { col: 'acct_pay', zh: '个人账户', en: 'account', optional: true },
        { col: 'psn_cashpay', zh: '个人现金', en: 'cash', optional: true },
      ],
    ),
    componentsWithinTotal(
      'psn_selfpay',
      { zh: '基金与个人自付、自费之和不超过总额', en: 'fund + co-pay + own-pay within the total' },
      [
        { col: 'hifp_pay', zh: '统筹基金', en: 'fund' },
        { col: 'psn_selfpay', zh: '个人自付', en: 'co-pay', optional: true },
        { col: 'psn_ownpay', zh: '个人自费', en: 'own-pay', optional: true },
      ],
    ),
    {
      rule: 'fee-sum',
      code: 'E_FEE_SUM_MISMATCH',
      field: 'medfee_sumamt',
      title: { zh: '费用分类合计等于总额', en: 'cost categories add up to the total' },
      where: `(${FEES.map((f) => `${q(f)} IS NOT NULL`).join(' OR ')}) AND (${FEES.map(z).join(' + ')}) <> medfee_sumamt`,
      zh: msg(`各收费类别合计 {${FEES.map(z).join(' + ')}} 不等于医疗费总额 {medfee_sumamt}`),
      en: msg(`the cost categories add up to {${FEES.map(z).join(' + ')}}, not the total {medfee_sumamt}`),
    },
  ];
  return checks;
}

/**
 * Age (年龄, 实足年龄) and age in days (年龄(天)) against the birth date and the admission date, within the QC
 * policy's tolerances (ageToleranceYears, nwbAgeToleranceDays). Without a tolerance in the policy the check is
 * not made (the run reports it as skipped).
 */
function ageBirthChecks(qc: QcSettings): QcCheck[] {
  const out: QcCheck[] = [];
  const admDay = 'CAST(adm_time AS DATE)';
  const years = `date_sub('year', brdy, ${admDay})`;
  const days = `date_diff('day', brdy, ${admDay})`;
  const skipped = (rule: string, zh: string, en: string): QcCheck => ({
    rule,
    code: 'E_AGE_BIRTH',
    field: 'age',
    title: { zh, en },
    requires: 'policy',
  });
  if (qc.ageToleranceYears === undefined) {
    out.push(
      skipped(
        'age-birth',
        '年龄与出生日期相符（质控参数未给容差 ageToleranceYears）',
        'age matches the birth date (no ageToleranceYears in the QC policy)',
      ),
    );
  } else {
    const tol = qc.ageToleranceYears;
    out.push({
      rule: 'age-birth',
      code: 'E_AGE_BIRTH',
      field: 'age',
      title: { zh: '年龄与出生日期相符', en: 'age matches the birth date' },
      where: `brdy IS NOT NULL AND age IS NOT NULL AND brdy <= ${admDay} AND abs(age - ${years}) > ${tol}`,
      zh: msg(
        `年龄 {age} 岁与出生日期 {brdy}、入院时间 {adm_time} 推算的 {${years}} 周岁相差超过 ${tol} 岁 [${qc.sources.ageToleranceYears ?? ''}]`,
      ),
      en: msg(
        `age {age} differs from the {${years}} complete years between birth {brdy} and admission {adm_time} by more than ${tol}`,
      ),
    });
  }
  if (qc.nwbAgeToleranceDays === undefined) {
    out.push(
      skipped(
        'nwb-age-birth',
        '年龄(天)与出生日期相符（质控参数未给容差 nwbAgeToleranceDays）',
        'age in days matches the birth date (no nwbAgeToleranceDays in the QC policy)',
      ),
    );
  } else {
    const tol = qc.nwbAgeToleranceDays;
    out.push({
      rule: 'nwb-age-birth',
      code: 'E_AGE_BIRTH',
      field: 'nwb_age',
      title: { zh: '年龄(天)与出生日期相符', en: 'age in days matches the birth date' },
      where: `brdy IS NOT NULL AND nwb_age IS NOT NULL AND brdy <= ${admDay} AND abs(nwb_age - ${days}) > ${tol}`,
      zh: msg(
        `年龄(天) {nwb_age} 与出生日期 {brdy}、入院时间 {adm_time} 推算的 {${days}} 天相差超过 ${tol} 天 [${qc.sources.nwbAgeToleranceDays ?? ''}]`,
      ),
      en: msg(
        `age in days {nwb_age} differs from the {${days}} days between birth {brdy} and admission {adm_time} by more than ${tol}`,
      ),
    });
  }
  return out;
}

export const CASES: KindSpec = {
  kind: 'cases',
  zh: '结算清单',
  en: 'settlement lists (cases)',
  table: 'cases',
  mappedCodes: [
    { column: 'diag_codes', kind: 'icd10' },
    { column: 'oprn_oprt_codes', kind: 'icd9' },
  ],
  columns: CASE_COLUMNS,
  key: ['setl_id'],
  keyLabel: 'setl_id',
  codeSets: { gend: SEX, insutype: INSURANCE_TYPE, dscg_way: DISCHARGE_WAY },
  checks: caseChecks,
  formats: ['csv', 'parquet', 'xlsx', 'json'],
};
