/** County medical-community global budget (县域医共体总额付费): pure engines. See README.md. */
export * from './budget.ts';
export * from './eligibility.ts';
export * from './indicators.ts';
export * from './reconcile.ts';
export * from './region-points.ts';
export * from './types.ts';
