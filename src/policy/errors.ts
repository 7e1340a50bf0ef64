/** Errors of policy files: a code, a message in Chinese and English, and the place (file, field). */
export class PolicyError extends Error {
  constructor(
    readonly code: string,
    readonly file: string,
    readonly field: string,
    readonly zh: string,
    readonly en: string,
    readonly example?: string,
  ) {
    super(
      `${file}: ${field ? `${field}: ` : ''}${en} / ${zh}${example ? `\n  valid example / 正确示例:\n${indent(example)}` : ''}`,
    );
    this.name = 'PolicyError';
  }
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}
