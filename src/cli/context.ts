import { existsSync } from 'node:fs';
import { chdbFolder, inMemoryStoreText, storeInMemory } from '../store/location.ts';

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

/** What a file-system error code means for the user, and what to do about it. */
const FS_ERRORS: Record<string, { zh: string; en: string }> = {
  ENOENT: { zh: '文件或文件夹不存在；请检查路径', en: 'no such file or folder; check the path' },
  EACCES: {
    zh: '没有访问权限；请检查文件权限或换一个位置',
    en: 'permission denied; check the permissions or use another place',
  },
  EPERM: {
    zh: '操作不被允许；请检查文件权限或换一个位置',
    en: 'operation not permitted; check the permissions or use another place',
  },
  EISDIR: {
    zh: '这是一个文件夹，这里需要一个文件；请给出文件路径',
    en: 'this is a folder where a file is needed; give a file path',
  },
  ENOTDIR: {
    zh: '路径中的某一段是文件而不是文件夹；请检查路径',
    en: 'a part of the path is a file, not a folder; check the path',
  },
  EEXIST: {
    zh: '已存在同名文件；请换一个名称或先移走它',
    en: 'a file of that name exists; choose another name or move it away',
  },
  ENOSPC: { zh: '磁盘空间不足；请释放空间后重试', en: 'no space left on the device; free some space and retry' },
  EROFS: { zh: '文件系统只读；请换一个可写的位置', en: 'read-only file system; use a writable place' },
  EBUSY: { zh: '文件正被占用；请关闭占用它的程序后重试', en: 'the file is busy; close the program using it and retry' },
  EMFILE: { zh: '打开的文件过多；请稍后重试', en: 'too many open files; retry later' },
  ENAMETOOLONG: { zh: '路径过长；请使用更短的路径', en: 'the path is too long; use a shorter one' },
  E_OUT_CONTAINS_CWD: {
    zh: '不能把输出写到当前文件夹或它的上级文件夹；请指定一个专用的输出文件夹',
    en: 'outputs cannot replace the current folder or one above it; give a folder of their own',
  },
  ELOOP: { zh: '路径中有循环的符号链接；请检查路径', en: 'the path has a symbolic-link loop; check the path' },
};

/**
 * A file-system error (ENOENT, EACCES, EISDIR …) as one sentence in the user's language with what to do, or
 * undefined when `e` is not one. Such errors are caused by the user's paths and permissions, never by a bug.
 */
export function fileSystemErrorText(e: unknown, lang: 'zh' | 'en'): string | undefined {
  if (!(e instanceof Error)) return undefined;
  const err = e as NodeJS.ErrnoException;
  const what = err.code ? FS_ERRORS[err.code] : undefined;
  if (!what) return undefined;
  const path = err.path ?? (err as { dest?: string }).dest ?? '';
  return `${path ? `${path}: ` : ''}${lang === 'en' ? what.en : what.zh}`;
}

/**
 * An error's message in the reader's language: its own `text(lang)` (store and ingest errors, with their place),
 * else its `zh` / `en` (settlement, policy and pack errors keep both), else its message. Errors of the project keep
 * both languages in `message` (`… English / 中文`): shown as it is, a zh reader read English first.
 */
export function errorText(e: unknown, lang: 'zh' | 'en'): string {
  const x = e as { text?: unknown; zh?: unknown; en?: unknown; message?: unknown } | null;
  if (typeof x?.text === 'function') return String(x.text.call(e, lang));
  if (typeof x?.zh === 'string' && typeof x?.en === 'string') return lang === 'zh' ? x.zh : x.en;
  return typeof x?.message === 'string' ? x.message : String(e);
}

/**
 * The error of a command that reads a store when there is none at `--db` (exit 3): says so, what makes one
 * (`next`, e.g. "run yibao settle first"), and — since `yibao demo` writes its own store — where the demo's is.
 */
export function noStoreError(
  ctx: Pick<CliContext, 'db' | 'lang'>,
  next: { zh: string; en: string },
  demoStore = 'data/demo.duckdb',
): CliError {
  const exists = existsSync(demoStore);
  // Where the demo's store is; "add --db" only once it exists (it sent a user with no demo to a missing file).
  const demo =
    ctx.db === demoStore
      ? { zh: '', en: '' }
      : exists
        ? {
            zh: `（yibao demo 的存储是 ${demoStore}，它已存在：加 --db ${demoStore}）`,
            en: ` (yibao demo's store is ${demoStore}, which exists: add --db ${demoStore})`,
          }
        : {
            zh: `（yibao demo 的存储是 ${demoStore}，目前还没有：运行 yibao demo 之后才可加 --db ${demoStore}）`,
            en: ` (yibao demo's store is ${demoStore}, not there yet: add --db ${demoStore} after running yibao demo)`,
          };
  // A chDB location names a data folder, not a file.
  const folder = chdbFolder(ctx.db) !== undefined;
  // The option the reader gave a chDB folder with (a DuckDB file goes with --db).
  const opt = folder ? '--store' : '--db';
  return new CliError(
    t(
      ctx,
      `${ctx.db} 处没有存储（${folder ? '文件夹' : '文件'}不存在）。${next.zh}，或用 ${opt} 指定已有的存储${demo.zh}`,
      `there is no store at ${ctx.db} (no such ${folder ? 'folder' : 'file'}). ${next.en}, or give ${opt} an existing store${demo.en}`,
    ),
    EXIT.badInput,
  );
}

/**
 * A command that reads the store refuses a store in memory (`--db :memory:`, `chdb://:memory:`) before anything else:
 * each run starts it empty, so it would only find "no history years" or "no settlement run" (walk6 #8). The same
 * one line as `runs` and `monitor` give (exit 3); undefined when the store is not in memory.
 */
export function inMemoryStoreError(ctx: Pick<CliContext, 'db' | 'lang'>): CliError | undefined {
  if (!storeInMemory(ctx.db)) return undefined;
  const text = inMemoryStoreText(ctx.db);
  return new CliError(t(ctx, text.zh, text.en), EXIT.badInput);
}
