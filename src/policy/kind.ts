/** A policy kind (政策类型): the schema of one instrument's values, e.g. DIP payment or capitation. */
import type { z } from 'zod';
import type { Cited, Series } from './values.ts';

export interface PolicyKind<V extends z.ZodType = z.ZodType> {
  /** The `kind:` written in a policy file, e.g. "dip". */
  kind: string;
  zh: string;
  en: string;
  /** Schema of the `values:` block: a strict object whose entries are `param(...)` schemas. */
  values: V;
  /** A short valid YAML example of the `values:` block, shown with errors. */
  example: string;
}

/** The values of a kind as loaded: every parameter as a dated series. */
export type SeriesValues<K extends PolicyKind> = z.output<K['values']>;

/** The values of a kind as resolved for one date: every parameter with its clause (an optional one stays optional). */
export type ResolvedValues<K extends PolicyKind> = {
  [P in keyof SeriesValues<K>]: NonNullable<SeriesValues<K>[P]> extends Series<infer T> ? Cited<T> : never;
};
