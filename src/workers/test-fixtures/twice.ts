/** A sibling module of the start.test.ts workers. */
export const twice = (n: number): number => 2 * n;
