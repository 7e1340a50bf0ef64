export * from './csv.ts';
export * from './dip-reports.ts';
export * from './dip-rows.ts';
export * from './json.ts';
export * from './settlement-rows.ts';
export * from './summary.ts';
export * from './table.ts';
export * from './xlsx.ts';
