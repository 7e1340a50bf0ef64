/** Errors of grouping-scheme packs and their sources: a code, a message in Chinese and English, and the place. */
export class DrgPackError extends Error {
  constructor(
    /** Stable code, e.g. `DRG_PACK_INVALID`, `DRG_PACK_READ`, `DRG_REF_MISSING_FILE`. */
    readonly code: string,
    /** File or folder concerned. */
    readonly file: string,
    /** Field path or row inside the file ('' when the whole file is concerned). */
    readonly where: string,
    readonly zh: string,
    readonly en: string,
  ) {
    super(`${file}${where ? `: ${where}` : ''}: ${en} / ${zh}`);
    this.name = 'DrgPackError';
  }
}
