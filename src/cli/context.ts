/** What every CLI command receives: global options and the output helpers. */
export interface CliContext {
  /** Path of the embedded DuckDB store (default: data/yibao.duckdb). */
  db: string;
  /** Machine-readable output: commands print one JSON document on stdout instead of text. */
  json: boolean;
  /** Language of user-facing text: Simplified Chinese by default, English available. */
  lang: 'zh' | 'en';
}

/** Exit codes that scripts can rely on. */
export const EXIT = {
  ok: 0,
  /** A command ran but found problems in the data (rejected rows, failed checks, mismatches). */
  dataProblems: 1,
  /** Wrong usage: unknown option, missing argument. */
  usage: 2,
  /** An input (file, policy, pack) could not be read or is invalid. */
  badInput: 3,
  /** Unexpected internal error. */
  internal: 70,
} as const;

/** Pick the text of the user's language. */
export function t(ctx: Pick<CliContext, 'lang'>, zh: string, en: string): string {
  return ctx.lang === 'en' ? en : zh;
}

/** A failure a command reports to the user, with the exit code to return. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.badInput,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
