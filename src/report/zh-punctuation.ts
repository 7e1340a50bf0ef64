/**
 * Tests' check of zh terminal text (glossary.md, STYLE): ASCII ( ) : ; beside a Chinese character, as in
 * `(高倍率病例 1，正常病例 8)` or `写出 5 个文件:`, where zh text takes the full-width （）：；. Paths, codes and
 * figures between ASCII characters are left alone.
 */
const ASCII_BESIDE_HAN = /\p{Script=Han}[ ]?[():;]|[():;][ ]?\p{Script=Han}/u;

/** The lines of `text` with ASCII ( ) : ; beside a Chinese character. */
export function asciiPunctuationInZh(text: string): string[] {
  return text.split('\n').filter((l) => ASCII_BESIDE_HAN.test(l));
}
