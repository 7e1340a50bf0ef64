/**
 * Building blocks for policy schemas: every value carries the clause it comes from, and may change over time
 * inside the file's effective period (OpenFisca style: values keyed by date, each with its reference).
 */
import { z } from 'zod';
import { type Fen, parseDecimal, type Ratio, ratioFromNumber, yuanToFen } from '../model/money.ts';
import { isIsoDate } from './dates.ts';

export const zIsoDate = z
  .string({ error: 'expected a date as text YYYY-MM-DD (quote it in YAML if needed)' })
  .refine(isIsoDate, { message: 'expected a real calendar date YYYY-MM-DD' });

/** An exact ratio or decimal: a number (0.95) or a decimal text ("0.95"). Parsed without binary floats. */
export const zRatio = z
  .union([z.number(), z.string()], { error: 'expected a decimal number such as 0.95 or "0.95"' })
  .transform((v, ctx): Ratio => {
    try {
      return typeof v === 'number' ? ratioFromNumber(v) : parseDecimal(v);
    } catch {
      ctx.addIssue({ code: 'custom', message: `expected a decimal number, got "${v}"` });
      return z.NEVER;
    }
  });

/** A non-negative exact ratio. */
export const zNonNegRatio = zRatio.refine((r) => r.num >= 0n, { message: 'expected a number ≥ 0' });

/** A share between 0 and 1 inclusive. */
export const zShare = zRatio.refine((r) => r.num >= 0n && r.num <= r.den, {
  message: 'expected a share between 0 and 1',
});

/** Money in yuan (元) as written in a policy (100, "100.00", 12.5), converted to integer fen exactly. */
export const zYuan = z
  .union([z.number(), z.string()], { error: 'expected an amount in yuan such as 100 or "100.00"' })
  .transform((v, ctx): Fen => {
    try {
      return yuanToFen(typeof v === 'number' ? String(v) : v);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: (e as Error).message });
      return z.NEVER;
    }
  });

/**
 * A name in English beside a policy's Chinese label (`zh: 精神病, en: psychiatric care`): shown in en output in place of
 * the Chinese, which en output showed as it was (glossary: no Chinese label in en output). Optional — a label without
 * one falls back to its Chinese in en — and never itself Chinese.
 */
export const zEnName = z
  .string()
  .min(1)
  .refine((s) => !/\p{Script=Han}/u.test(s), { message: 'en is the English name: no Chinese characters' });

export const zPositiveInt = z.number().int().positive();
export const zNonNegInt = z.number().int().nonnegative();

/** One dated value of a parameter. `to` is inclusive; a missing `to` runs to the end of the file's period. */
export interface Dated<T> {
  from?: string;
  to?: string;
  value: T;
  source: string;
}

/** A parameter as normalised after loading: its values over time, each with its clause. */
export type Series<T> = Dated<T>[];

const zSource = z
  .string({ error: 'every value needs `source`: the clause it comes from, e.g. "002 四(三)2"' })
  .min(2, { message: 'source must name the clause the value comes from' });

/**
 * A policy parameter: either `{ value, source }` for the whole effective period of the file, or a list of
 * `{ from, to?, value, source }` when the value changes during it.
 */
export function param<S extends z.ZodType>(schema: S) {
  const single = z.object({ value: schema, source: zSource, note: z.string().optional() }).strict();
  const dated = z
    .object({ from: zIsoDate, to: zIsoDate.optional(), value: schema, source: zSource, note: z.string().optional() })
    .strict();
  return z.union([single, z.array(dated).min(1)]).transform((v): Series<z.output<S>> => {
    const list = Array.isArray(v) ? v : [v];
    return list.map((d) => {
      const entry = d as { from?: string; to?: string; value: unknown; source: string };
      const out: Dated<z.output<S>> = { value: entry.value as z.output<S>, source: entry.source };
      if (entry.from) out.from = entry.from;
      if (entry.to) out.to = entry.to;
      return out;
    });
  });
}

/** A value together with the clause it comes from, as resolved for one date. */
export interface Cited<T> {
  value: T;
  source: string;
}

/**
 * A parameter added after policy files were first written: a file that leaves it out gets `fallback` — a reading
 * the clause itself supports, cited by `source` (which says it is yibao's default) — so older files keep loading.
 * A file that states the value wins. Shipped files state every such value.
 */
export function paramOr<S extends z.ZodType>(schema: S, fallback: z.output<S>, source: string) {
  return param(schema)
    .optional()
    .transform((v): Series<z.output<S>> => v ?? [{ value: fallback, source }]);
}
