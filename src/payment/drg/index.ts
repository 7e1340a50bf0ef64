/** DRG payment (按疾病诊断相关分组付费): cases for payment, weights, pricing, indicators. */
export * from './calibrate.ts';
export * from './cases.ts';
export * from './indicators.ts';
export * from './method.ts';
export * from './policy.ts';
export * from './price.ts';
export * from './types.ts';
export * from './weights-import.ts';
