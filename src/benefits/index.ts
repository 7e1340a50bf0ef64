/** Patient benefits and one-stop settlement (待遇与一站式结算, R-BEN-1…4): pure engines. See README.md. */
export * from './bill.ts';
export * from './burden.ts';
export * from './one-stop.ts';
export * from './types.ts';
