/**
 * Request values several routes share, each with a message a person understands (policy/messages.ts gives its
 * Chinese): a 400 says "应为月份 YYYY-MM，如 2025-03", never zod's "must match pattern /^\d{4}-\d{2}$/" or
 * "格式不符（应为 regex）".
 */
import { z } from 'zod';

/** A calendar month, e.g. "2025-03" (month 01–12). */
export const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'expected a month YYYY-MM, e.g. 2025-03' });

/** A date as text, e.g. "2025-03-31" (its calendar check is the route's). */
export const IsoDateText = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { message: 'expected a date YYYY-MM-DD, e.g. 2025-03-31' });

/** An amount in yuan as text with at most two decimals, e.g. "1200.50". */
export const YuanText = z
  .string()
  .regex(/^\d+(\.\d{1,2})?$/, { message: 'expected an amount in yuan such as 100 or "100.00"' });
