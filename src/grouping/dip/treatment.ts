/**
 * Treatment type of a case (治疗方式) for comprehensive groups (综合病种), in the order of the specification:
 * 相关手术组 (surgery or interventional) → 治疗性操作组 → 诊断性操作组 → 内科诊疗组 (conservative). (R-DIP-1)
 *
 * Which procedure is which is code data (the ICD-9-CM-3 医保版 marks each code 手术/介入/治疗性操作/诊断性操作), not
 * policy: pass a table from src/codes when available. The default classifier uses the chapter structure of
 * ICD-9-CM-3: chapters 00–86 operations, 87–91 diagnostic procedures, 92–99 therapeutic procedures.
 */

export type TreatmentType = 'surgery' | 'therapeutic' | 'diagnostic' | 'conservative';

/** The specification's order: the first type a case has decides its comprehensive group. */
export const TREATMENT_ORDER: readonly TreatmentType[] = ['surgery', 'therapeutic', 'diagnostic', 'conservative'];

export const TREATMENT_ZH: Record<TreatmentType, string> = {
  surgery: '相关手术组',
  therapeutic: '治疗性操作组',
  diagnostic: '诊断性操作组',
  conservative: '内科诊疗组',
};

/** glossary.md: the treatment of a comprehensive group as statements name it, zh and en. */
export const TREATMENT_WORDS: Record<TreatmentType, [zh: string, en: string]> = {
  surgery: ['相关手术', 'related surgery'],
  therapeutic: ['治疗性操作', 'therapeutic procedure'],
  diagnostic: ['诊断性操作', 'diagnostic procedure'],
  conservative: ['保守治疗', 'conservative treatment'],
};

/**
 * A DIP group code as the statements spell it (report/labels.ts `groupLabel` without names, kept here so that the
 * hospital engines below report/ write the same): `K35.8|47.0901` → `K35.8 + 47.0901`, `J18.9|` →
 * `J18.9（无手术操作）`, `C34#surgery` → `C34 综合病种（相关手术）`; any other code as it is. The inverse of `groupCodeOf`.
 */
export function dipGroupText(code: string, lang: 'zh' | 'en'): string {
  const core = /^([^|#]+)\|([^|#]*)$/.exec(code);
  if (core) {
    const procedures = core[2]!.split('+').filter((p) => p !== '');
    if (procedures.length > 0) return `${core[1]} + ${procedures.join(' + ')}`;
    return lang === 'zh' ? `${core[1]}（无手术操作）` : `${core[1]} (no procedure)`;
  }
  const m = /^([^#]+)#([a-z-]+)$/.exec(code);
  const words = m ? TREATMENT_WORDS[m[2] as TreatmentType] : undefined;
  if (!m || !words) return code;
  return lang === 'zh' ? `${m[1]} 综合病种（${words[0]}）` : `${m[1]} comprehensive (${words[1]})`;
}

/**
 * Every DIP group code inside a text (a grouping path, a reason) as the statements spell it (`dipGroupText`), so the
 * hospital side — estimate, reconcile — writes one spelling: `同核心病种 S52.5|79.0201+93.5401` →
 * `同核心病种 S52.5 + 79.0201 + 93.5401`. DRG codes and other text stay as they are.
 */
export function dipGroupCodesIn(text: string, lang: 'zh' | 'en'): string {
  return text
    .replace(/\b([A-Z][0-9A-Z.]*)#(surgery|therapeutic|diagnostic|conservative)\b/g, (_m, dx: string, t: string) =>
      dipGroupText(`${dx}#${t}`, lang),
    )
    .replace(
      /\b([A-Z][0-9]{2}(?:\.[0-9A-Za-z]{1,4})?)\|((?:[0-9]{2}\.[0-9A-Za-z]+)(?:\+[0-9]{2}\.[0-9A-Za-z]+)*)?(?![0-9A-Za-z.|+#])/g,
      (_m, dx: string, procedures: string | undefined) => dipGroupText(`${dx}|${procedures ?? ''}`, lang),
    );
}

/**
 * The group code behind what a reader copied from a statement (the statements' group label read back):
 * `C34 综合病种（保守治疗）` or `C34 comprehensive (conservative treatment)` → `C34#conservative`, core groups as below;
 * any other text as it is.
 */
export function groupCodeOf(text: string): string {
  // A core group as statements print it (its codes, each maybe followed by its name): `J18.9（无手术操作）` /
  // `J18.9 肺炎 (no procedure)` → `J18.9|`; `K35.8 + 47.0901` / `K35.8 阑尾炎 + 47.0901 阑尾切除` → `K35.8|47.0901`.
  // A core group with its procedures separated by | as well (S52.5|79.0201|93.5401), or with spaces around the
  // separators: the code is S52.5|79.0201+93.5401 (it was read as another group, 分组不同 at 0.00).
  const piped = /^\s*([A-Z][^\s|+#]*)\s*\|\s*([^|#]*(?:\|[^|#]*)*)$/.exec(text);
  if (piped && !/[\s（(]/.test(piped[2]!.replace(/\s*[|+]\s*/g, '')))
    return `${piped[1]}|${piped[2]!
      .split(/[|+]/)
      .map((p) => p.trim())
      .filter((p) => p !== '')
      .join('+')}`;
  const none = /^(\S+)(?: [^（(]*)?(?:（无手术操作）| \(no procedure\))$/.exec(text);
  if (none) return `${none[1]}|`;
  if (text.includes(' + ')) {
    const [dx, ...procedures] = text.split(' + ').map((part) => part.trim().split(' ')[0]!);
    return `${dx}|${procedures.join('+')}`;
  }
  const m = /^(\S+) (?:综合病种（(.+)）|comprehensive \((.+)\))$/.exec(text);
  if (!m) return text;
  const words = m[2] ?? m[3];
  const id = (Object.keys(TREATMENT_WORDS) as TreatmentType[]).find(
    (k) => TREATMENT_WORDS[k][0] === words || TREATMENT_WORDS[k][1] === words,
  );
  return id ? `${m[1]}#${id}` : text;
}

/** Classifies a normalised procedure key ("470901") as surgery, therapeutic or diagnostic. */
export type ProcedureClassifier = (procedureKey: string) => Exclude<TreatmentType, 'conservative'>;

/** ICD-9-CM-3 chapter ranges (operations 00–86, diagnostic 87–91, therapeutic 92–99). */
export const chapterClassifier: ProcedureClassifier = (key) => {
  const chapter = Number(key.slice(0, 2));
  if (!Number.isFinite(chapter) || chapter <= 86) return 'surgery';
  if (chapter <= 91) return 'diagnostic';
  return 'therapeutic';
};

/** A table classifier (code → type) falling back to another classifier for codes it does not list. */
export function tableClassifier(
  table: ReadonlyMap<string, Exclude<TreatmentType, 'conservative'>>,
  fallback: ProcedureClassifier = chapterClassifier,
): ProcedureClassifier {
  return (key) => table.get(key) ?? fallback(key);
}

/** Rank in TREATMENT_ORDER (lower = decides first). */
export function treatmentRank(t: TreatmentType): number {
  return TREATMENT_ORDER.indexOf(t);
}
