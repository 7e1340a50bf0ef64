/** Errors of the DIP engine: a code, a message in Chinese and English, and the subject (case, group, file row). */
export class DipError extends Error {
  constructor(
    readonly code: string,
    readonly zh: string,
    readonly en: string,
    readonly subject = '',
  ) {
    super(`${subject ? `${subject}: ` : ''}${en} / ${zh}`);
    this.name = 'DipError';
  }
}
