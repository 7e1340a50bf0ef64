/**
 * The `source` of a value written by `yibao init` from a template that cites no document of the user's region (the
 * demo region's 示范市质控规则, a template's example amount): it starts with a mark saying plainly that it must be
 * replaced, so `explain` never presents the template's citation as the region's own, and `policy check` warns
 * (without failing) while a mark is left.
 */
export const TEMPLATE_SOURCE_MARK = '【模板条款，请改为本地区文件及条款】';

/** A template source that is not the user's: the demo region's documents, a template's example values. */
const NOT_THE_USERS = /示范|模板示例|本模板/;

/** The policy text with every `source: "…"` that is not the user's marked (once) with `TEMPLATE_SOURCE_MARK`. */
export function markTemplateSources(text: string): string {
  return text.replace(/(\bsource: ")([^"\n]*)"/g, (whole, head: string, source: string) =>
    NOT_THE_USERS.test(source) && !source.startsWith(TEMPLATE_SOURCE_MARK)
      ? `${head}${TEMPLATE_SOURCE_MARK}${source}"`
      : whole,
  );
}

/** The names of the values of a loaded policy file whose source (any dated entry) still carries the mark. */
export function templateSourcedValues(values: object): string[] {
  return Object.entries(values)
    .filter(([, series]) =>
      (Array.isArray(series) ? series : [series]).some(
        (d) => typeof d?.source === 'string' && d.source.includes(TEMPLATE_SOURCE_MARK),
      ),
    )
    .map(([name]) => name);
}

/** A template's note that a value is its example (（金额为模板示例）, （比例为模板示例）, （…模板示例…）). */
const EXAMPLE_NOTE = /[（(][^（）()]*模板示例[^（）()]*[）)]/g;

/**
 * The values whose source no longer carries TEMPLATE_SOURCE_MARK but still says the value is the template's example
 * (a user wrote the region's own amount and deleted the mark, and （金额为模板示例） stayed in the budget's clause,
 * walk6 #5), each with the notes left: `explain` and the statements would cite the region's value as an example.
 */
export function templateExampleNotes(values: object): { name: string; notes: string[] }[] {
  const out: { name: string; notes: string[] }[] = [];
  for (const [name, series] of Object.entries(values)) {
    const notes = new Set<string>();
    for (const d of Array.isArray(series) ? series : [series]) {
      const source = typeof d?.source === 'string' ? d.source : '';
      if (source.includes(TEMPLATE_SOURCE_MARK)) continue;
      for (const m of source.match(EXAMPLE_NOTE) ?? []) notes.add(m);
    }
    if (notes.size > 0) out.push({ name, notes: [...notes] });
  }
  return out;
}

/**
 * The mark `yibao init` puts before a `title` or `document` that names the demo region's or a template's documents
 * (示范市支付方式组合, 示范市结算清单质控规则, …参数（模板）): the file is the user's region's, so its name and the
 * document it implements are the user's to write; `policy check` warns (without failing) while the mark is left.
 */
export const TEMPLATE_NAME_MARK = '【模板名称，请改为本地区文件名称】';

/** The header fields whose text is the template's, not the user's. */
const TEMPLATE_HEADER = /示范|模板/;

/** The policy text with its `title:` and `document:` lines marked (once) where they name the demo's or a template's documents. */
export function markTemplateHeader(text: string): string {
  return text.replace(/^(title|document): (.*)$/gm, (whole, field: string, value: string) =>
    TEMPLATE_HEADER.test(value) && !value.includes(TEMPLATE_NAME_MARK)
      ? `${field}: ${value.startsWith('"') ? `"${TEMPLATE_NAME_MARK}${value.slice(1)}` : `${TEMPLATE_NAME_MARK}${value}`}`
      : whole,
  );
}

/** Which of a loaded policy file's `title` and `document` still carry TEMPLATE_NAME_MARK. */
export function templateNamedFields(f: { title?: string; document?: string }): ('title' | 'document')[] {
  return (['title', 'document'] as const).filter((k) => f[k]?.includes(TEMPLATE_NAME_MARK));
}
