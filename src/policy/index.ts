export * from './dates.ts';
export * from './errors.ts';
export * from './kind.ts';
export * from './loader.ts';
export * from './registry.ts';
export * from './values.ts';
