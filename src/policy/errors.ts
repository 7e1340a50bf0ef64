/** Errors of policy files: a code, a message in Chinese and English, and the place (file, field). */
export class PolicyError extends Error {
  constructor(
    readonly code: string,
    readonly file: string,
    readonly field: string,
    readonly zh: string,
    readonly en: string,
    readonly example?: string,
    /**
     * The lines of the file around the place (numbered, `>` on the line itself), for an error the file's own text
     * shows better than an example (a YAML syntax error: the indentation as written).
     */
    readonly context?: string,
  ) {
    super(
      `${file}: ${field ? `${field}: ` : ''}${en} / ${zh}${example ? `\n  valid example / 正确示例:\n${indent(example)}` : ''}`,
    );
    this.name = 'PolicyError';
  }

  /** Every error found in the file (this one first); `policy check` lists them all. */
  others: readonly PolicyError[] = [];

  get all(): readonly PolicyError[] {
    return [this, ...this.others];
  }

  /** The first error, carrying the rest, so a caller that shows one still stops on the file. */
  static all(errors: readonly PolicyError[]): PolicyError {
    const [first, ...rest] = errors;
    if (!first) throw new RangeError('PolicyError.all needs at least one error');
    first.others = rest;
    return first;
  }
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}
