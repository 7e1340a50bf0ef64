/** Errors of the settlement layer: a code, a message in Chinese and English, and what it is about. */
export class SettlementError extends Error {
  constructor(
    readonly code: string,
    readonly zh: string,
    readonly en: string,
    readonly subject = '',
  ) {
    super(`${subject ? `${subject}: ` : ''}${en} / ${zh}`);
    this.name = 'SettlementError';
  }
}
