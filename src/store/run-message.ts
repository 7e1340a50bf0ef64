/**
 * The note of a recorded run in the reader's language. The run log keeps one text per run (`RunRecord.message`); a
 * failed ingest's note is an error a user reads in zh or en, so it keeps both forms, marked: `【zh】…【en】…`.
 * Logs written before kept the error's one bilingual text, `FILE: English / 中文`: it is split where the English
 * ends (the split whose right side is most Chinese against its left), so old logs read in one language too.
 */

const ZH = '【zh】';
const EN = '【en】';
const MARKED = /^【zh】([\s\S]*?)【en】([\s\S]*)$/;

/** Both forms of a run's note in one stored text. */
export function bilingualRunMessage(zh: string, en: string): string {
  return `${ZH}${zh}${EN}${en}`;
}

/**
 * The note of an error for the run log: both forms when the error has them (`text(lang)`), else its message; each
 * form cut at `max` characters (a bound on the log, not on what the user saw).
 */
export function errorRunMessage(e: unknown, max = 2000): string {
  const text = (e as { text?: unknown } | null)?.text;
  if (typeof text === 'function') {
    const of = (lang: 'zh' | 'en') => String(text.call(e, lang)).slice(0, max);
    return bilingualRunMessage(of('zh'), of('en'));
  }
  return (e instanceof Error ? e.message : String(e)).slice(0, max);
}

const HAN = /\p{Script=Han}/gu;

/** The share of Chinese characters among the text's non-space characters. */
function hanShare(s: string): number {
  const chars = s.replace(/\s/g, '').length;
  return chars === 0 ? 0 : (s.match(HAN)?.length ?? 0) / chars;
}

/**
 * An old log's `PLACE: English / 中文` as its place (`bad.csv: `) and the two forms; undefined when the text has no
 * ` / ` with Chinese after it (a note in one language).
 */
export function splitOldBilingual(
  message: string,
  file?: string,
): { place: string; zh: string; en: string } | undefined {
  let best: { at: number; score: number } | undefined;
  for (let at = message.indexOf(' / '); at >= 0; at = message.indexOf(' / ', at + 1)) {
    const left = message.slice(0, at);
    const right = message.slice(at + 3);
    if (hanShare(right) === 0) continue;
    const score = hanShare(right) - hanShare(left);
    if (!best || score > best.score) best = { at, score };
  }
  if (!best || best.score <= 0) return undefined;
  const en = message.slice(0, best.at);
  const zh = message.slice(best.at + 3);
  // The error's place (the run's file, or a store) came first, before the English only: `bad.csv: no row …`.
  const colon = en.indexOf(': ');
  const place =
    file !== undefined && en.startsWith(`${file}: `)
      ? `${file}: `
      : colon > 0 && !/\s/.test(en.slice(0, colon))
        ? en.slice(0, colon + 2)
        : '';
  return { place, zh: place && zh.startsWith(place) ? zh.slice(place.length) : zh, en: en.slice(place.length) };
}

/**
 * A run's note in `lang`: the marked form of that language; a failed run's old bilingual text split; any other note
 * as stored.
 */
export function runMessageIn(
  r: { message?: string; status?: string; inputs?: readonly { path: string }[] },
  lang: 'zh' | 'en',
): string | undefined {
  if (r.message === undefined) return undefined;
  const marked = MARKED.exec(r.message);
  if (marked) return lang === 'zh' ? marked[1] : marked[2];
  if (r.status === 'failed') {
    const old = splitOldBilingual(r.message, r.inputs?.[0]?.path);
    if (old) return `${old.place}${lang === 'zh' ? old.zh : old.en}`;
  }
  return r.message;
}
