/**
 * Policy-file errors in words a person can act on, in Chinese and English (never one language inside the other):
 * zod issues translated, "did you mean" for a misspelt key, and our own schema messages given in both languages.
 */
import type { z } from 'zod';

/** Our schema messages (values.ts, kinds/) and their Chinese. */
const OWN: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^expected a share between 0 and 1$/, () => '应为 0 到 1 之间的比例'],
  [/^expected a number ≥ 0$/, () => '应为不小于 0 的数'],
  [
    /^write the reserve as reserveRatio .* one of the two and not both \(002 四\(一\) 适当预留部分基金\)$/,
    () =>
      '预留基金写 reserveRatio（占统筹基金总收入的比例）或 reserve（金额，元）：二者必写其一，且不能都写（002 四(一) 适当预留部分基金）',
  ],
  [/^expected 0 to 2 months \(000 §4\)$/, () => '应为 0 到 2 个月（000 §4：年初预付 0-2 个月医保资金）'],
  [/^expected a real calendar date YYYY-MM-DD$/, () => '应为真实的日历日期 YYYY-MM-DD'],
  [/^expected a date as text YYYY-MM-DD/, () => '应为日期文本 YYYY-MM-DD（YAML 中必要时加引号）'],
  [/^source must name the clause the value comes from$/, () => 'source 须写明取值所依据的条款'],
  [/^every value needs `source`/, () => '每个取值都须有 source：所依据的条款，如 "002 四(三)2"'],
  [/^expected MM-DD, e\.g\. "06-30"$/, () => '应为 MM-DD，如 "06-30"'],
  [/^only the last band may be open \(no upTo\)$/, () => '只有最后一档可以不设上限（upTo）'],
  [/^band edges must increase$/, () => '分档上限须逐档递增'],
  [/^years and weights must have the same length$/, () => 'years 与 weights 的个数须相同'],
  [/^expected a decimal number such as 0\.95/, () => '应为小数，如 0.95 或 "0.95"'],
  [/^expected a decimal number, got "(.*)"$/, (m) => `应为小数，而不是 "${m[1]}"`],
  [/^expected an amount in yuan such as 100/, () => '应为金额（元），如 100 或 "100.00"'],
  [/^amount "(.*)" has more than two decimals \(fen\)$/, (m) => `金额 "${m[1]}" 超过两位小数（分）`],
  [/^not a decimal amount: "(.*)"$/, (m) => `不是金额："${m[1]}"`],
  [/^en is the English name: no Chinese characters$/, () => 'en 为英文名称，不应含汉字（中文名称写在 zh）'],
  [/^expected a month YYYY-MM, e\.g\. (.*)$/, (m) => `应为月份 YYYY-MM，如 ${m[1]}`],
  [/^expected a date YYYY-MM-DD, e\.g\. (.*)$/, (m) => `应为日期 YYYY-MM-DD，如 ${m[1]}`],
  [/^yuan with at most two decimals, e\.g\. (.*)$/, (m) => `应为金额（元），至多两位小数，如 ${m[1]}`],
];

const TYPE_ZH: Record<string, string> = {
  number: '数字',
  string: '文本',
  object: '对象（键: 值）',
  array: '列表',
  boolean: '是/否（true/false）',
  date: '日期',
};

export interface IssueText {
  zh: string;
  en: string;
}

/**
 * Whether the issue is a required key left out: zod's own "received undefined", or our own message for a value
 * without `source` (values.ts), which replaces zod's wording and so no longer says "undefined".
 */
export function isMissingKey(issue: z.core.$ZodIssue): boolean {
  return (
    issue.code === 'invalid_type' &&
    (/received undefined/.test(issue.message) || /^every value needs `source`/.test(issue.message))
  );
}

/**
 * A zod issue in both languages. `withExample: false` for a face that shows no valid example (an API request):
 * a check of no known wording then reads 取值不合规 without pointing at one.
 */
export function issueText(issue: z.core.$ZodIssue, withExample = true): IssueText {
  switch (issue.code) {
    case 'invalid_type': {
      if (/received undefined/.test(issue.message)) return { zh: '缺少此键（必填）', en: 'missing (required)' };
      for (const [re, zh] of OWN) {
        const m = re.exec(issue.message);
        if (m) return { zh: zh(m), en: issue.message };
      }
      const t = TYPE_ZH[issue.expected] ?? issue.expected;
      return { zh: `类型不符：应为${t}`, en: `expected ${issue.expected}` };
    }
    case 'invalid_value':
      return {
        zh: `应为 ${issue.values.map(String).join(' / ')} 之一`,
        en: `expected one of ${issue.values.map(String).join(', ')}`,
      };
    case 'too_small': {
      const n = String(issue.minimum);
      if (issue.origin === 'array') return { zh: `至少 ${n} 项`, en: `at least ${n} item(s)` };
      if (issue.origin === 'string') return { zh: `至少 ${n} 个字符`, en: `at least ${n} character(s)` };
      return issue.inclusive
        ? { zh: `应不小于 ${n}`, en: `must be ≥ ${n}` }
        : { zh: `应大于 ${n}`, en: `must be > ${n}` };
    }
    case 'too_big': {
      const n = String(issue.maximum);
      if (issue.origin === 'array') return { zh: `至多 ${n} 项`, en: `at most ${n} item(s)` };
      if (issue.origin === 'string') return { zh: `至多 ${n} 个字符`, en: `at most ${n} character(s)` };
      return issue.inclusive
        ? { zh: `应不大于 ${n}`, en: `must be ≤ ${n}` }
        : { zh: `应小于 ${n}`, en: `must be < ${n}` };
    }
    case 'invalid_union':
      return withExample
        ? {
            zh: '格式不符：与任何一种允许的写法都不符（见正确示例）',
            en: 'matches none of the allowed forms (see the example)',
          }
        : { zh: '格式不符：与任何一种允许的写法都不符', en: 'matches none of the allowed forms' };
    case 'invalid_format': {
      for (const [re, zh] of OWN) {
        const m = re.exec(issue.message);
        if (m) return { zh: zh(m), en: issue.message };
      }
      // A pattern is no word for a person ("应为 regex"): a pattern without our own message is only 格式不符.
      if (issue.format === 'regex') return { zh: '格式不符', en: 'invalid format' };
      return { zh: `格式不符（应为 ${issue.format}）`, en: `invalid format (expected ${issue.format})` };
    }
    default: {
      for (const [re, zh] of OWN) {
        const m = re.exec(issue.message);
        if (m) return { zh: zh(m), en: issue.message };
      }
      // A schema message already written in Chinese (a kind's own check) is shown as it is.
      if (/[\u4e00-\u9fff]/.test(issue.message)) return { zh: issue.message, en: issue.message };
      return { zh: withExample ? '取值不合规（见正确示例）' : '取值不合规', en: issue.message };
    }
  }
}

/** Edit distance (Levenshtein), for "did you mean". */
function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
      prev = cur;
    }
  }
  return d[b.length]!;
}

/** The known key closest to `key` (at most a third of its letters differ), or undefined. */
export function didYouMean(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const dd = distance(key, k);
    if (dd < bestD) {
      best = k;
      bestD = dd;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}
