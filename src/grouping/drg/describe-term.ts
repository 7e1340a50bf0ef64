/** Readable text for rule terms, used in traces (Chinese for users, English alongside). */
import type { Describe } from './kernel-types.ts';
import type { DrgCaseField, DrgTerm } from './pack-schema.ts';

const FIELD_WORDS: Record<DrgCaseField, Describe> = {
  age: { zh: '年龄（岁）', en: 'age (years)' },
  ageDays: { zh: '年龄（天）', en: 'age (days)' },
  birthWeightG: { zh: '出生体重（克）', en: 'birth weight (g)' },
  los: { zh: '住院天数', en: 'length of stay' },
};

function boundsText(t: { gt?: number; gte?: number; lt?: number; lte?: number; eq?: number }): Describe {
  const parts: string[] = [];
  if (t.gt !== undefined) parts.push(`> ${t.gt}`);
  if (t.gte !== undefined) parts.push(`≥ ${t.gte}`);
  if (t.lt !== undefined) parts.push(`< ${t.lt}`);
  if (t.lte !== undefined) parts.push(`≤ ${t.lte}`);
  if (t.eq !== undefined) parts.push(`= ${t.eq}`);
  return { zh: parts.join(' 且 '), en: parts.join(' and ') };
}

export function describeTerm(t: DrgTerm): Describe {
  switch (t.kind) {
    case 'secondaryDxIn':
      return {
        zh: `其他诊断在列表中（${t.codes.length} 个编码）`,
        en: `a secondary dx in list (${t.codes.length} codes)`,
      };
    case 'hasMainProc':
      return { zh: '有主要手术操作', en: 'has a main procedure' };
    case 'noMainProc':
      return { zh: '无主要手术操作', en: 'no main procedure' };
    case 'numberIn': {
      const f = FIELD_WORDS[t.field];
      const b = boundsText(t);
      return { zh: `${f.zh}已填且 ${b.zh}`, en: `${f.en} given and ${b.en}` };
    }
    case 'fieldMalformed': {
      const f = FIELD_WORDS[t.field];
      return { zh: `${f.zh}不是数字或小于 ${t.min}`, en: `${f.en} is not a number or below ${t.min}` };
    }
    case 'fieldGiven': {
      const f = FIELD_WORDS[t.field];
      return { zh: `${f.zh}已填`, en: `${f.en} is given` };
    }
    case 'sexIsNot':
      return { zh: `性别不为${t.sex === '1' ? '男' : '女'}`, en: `sex is not ${t.sex === '1' ? 'male' : 'female'}` };
    case 'sexInvalid':
      return { zh: '性别值无效（只能为 1、2 或空）', en: 'sex is invalid (only 1, 2 or empty)' };
    case 'noDiagnosis':
      return { zh: '无诊断', en: 'no diagnosis' };
    case 'anyOf': {
      const alts = t.anyOf.map((alt) => alt.all.map(describeTerm));
      return {
        zh: alts.map((a) => `（${a.map((d) => d.zh).join(' 且 ')}）`).join(' 或 '),
        en: alts.map((a) => `(${a.map((d) => d.en).join(' and ')})`).join(' or '),
      };
    }
    case 'principalDxIn':
      return {
        zh: `主要诊断在列表中（${t.codes.length} 个编码）`,
        en: `principal dx in list (${t.codes.length} codes)`,
      };
    case 'principalDxInMdcList':
      return { zh: '主要诊断属于本 MDC 的主诊表', en: "principal dx in the MDC's list" };
    case 'anyDxIn':
      return { zh: `任一诊断在列表中（${t.codes.length} 个编码）`, en: `any dx in list (${t.codes.length} codes)` };
    case 'mainProcIn':
      return {
        zh: `主要手术在列表中（${t.codes.length} 个编码）`,
        en: `main procedure in list (${t.codes.length} codes)`,
      };
    case 'anyProcIn':
      return {
        zh: `任一手术在列表中（${t.codes.length} 个编码）`,
        en: `any procedure in list (${t.codes.length} codes)`,
      };
    case 'mainProcIsOrProcedure':
      return { zh: '主要手术为有效手术室手术', en: 'main procedure is an OR procedure' };
    case 'noOrProcedure':
      return { zh: '无任何手术室手术', en: 'no OR procedure' };
    case 'ageYearsEq':
      return { zh: `年龄 = ${t.value} 岁`, en: `age = ${t.value} years` };
    case 'ageDaysMax':
      return { zh: `年龄天数 ≤ ${t.value} 天`, en: `age in days ≤ ${t.value}` };
    case 'birthWeightG': {
      const parts: string[] = [];
      if (t.gt !== undefined) parts.push(`> ${t.gt}`);
      if (t.gte !== undefined) parts.push(`≥ ${t.gte}`);
      if (t.lt !== undefined) parts.push(`< ${t.lt}`);
      if (t.lte !== undefined) parts.push(`≤ ${t.lte}`);
      if (t.eq !== undefined) parts.push(`= ${t.eq}`);
      return { zh: `出生体重 ${parts.join(' 且 ')} 克`, en: `birth weight ${parts.join(' and ')} g` };
    }
    case 'sexIs':
      return { zh: `性别为${t.sex === '1' ? '男' : '女'}`, en: `sex is ${t.sex === '1' ? 'male' : 'female'}` };
    case 'sexEmpty':
      return { zh: '性别为空', en: 'sex is empty' };
    case 'minDistinctTraumaRegions':
      return { zh: `诊断涉及至少 ${t.min} 个创伤部位`, en: `diagnoses cover at least ${t.min} trauma regions` };
    case 'procCategoryCombination': {
      const alts = t.anyOf.map((a) => a.join('+')).join(' | ');
      return { zh: `手术表组合 ${alts}`, en: `procedure tables ${alts}` };
    }
    case 'always':
      return { zh: '无条件', en: 'always' };
  }
}
