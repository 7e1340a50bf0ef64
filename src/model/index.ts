export * from './case.ts';
export * from './columns.ts';
export * from './explain.ts';
export * from './institution.ts';
export * from './money.ts';
export * from './outpatient.ts';
