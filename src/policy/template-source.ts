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
