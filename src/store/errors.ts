/** Errors of the store: a code, a message in Chinese and English, and the place (store location, table). */
export class StoreError extends Error {
  constructor(
    readonly code: string,
    readonly location: string,
    readonly zh: string,
    readonly en: string,
  ) {
    super(`${location}: ${en} / ${zh}`);
    this.name = 'StoreError';
  }

  /** The message in the user's language. */
  text(lang: 'zh' | 'en'): string {
    const m = lang === 'en' ? this.en : this.zh;
    // A message that names its place itself (location.ts `inMemoryStoreText`) is not prefixed with it again.
    return this.location !== '' && m.startsWith(this.location) ? m : `${this.location}: ${m}`;
  }
}
