/** The DIP grouper (DIP 分组): the catalog of groups, case preparation, procedure types and the grouper. */
export * from './catalog.ts';
export * from './codes.ts';
export * from './grouper.ts';
export * from './prepare.ts';
export * from './treatment.ts';
