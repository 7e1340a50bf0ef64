/**
 * A problem with a whole input file (cannot be read, required columns missing, not a 4101 document): nothing
 * is stored and the command exits with "bad input". Problems of single rows are QC rejects, not errors.
 */
export class IngestFileError extends Error {
  constructor(
    readonly code: string,
    readonly file: string,
    readonly zh: string,
    readonly en: string,
  ) {
    super(`${file}: ${en} / ${zh}`);
    this.name = 'IngestFileError';
  }

  text(lang: 'zh' | 'en'): string {
    return `${this.file}: ${lang === 'en' ? this.en : this.zh}`;
  }
}
