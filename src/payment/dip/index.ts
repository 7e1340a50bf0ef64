/** DIP payment (按病种分值付费): calibration, the engine, explanations, special review, unit results. */
export { type AuxMatcher, matcherFor } from './auxiliary.ts';
export * from './calibrate.ts';
export * from './engine.ts';
export * from './errors.ts';
export * from './explain.ts';
export * from './group-means.ts';
export * from './method.ts';
export * from './policy.ts';
export * from './special-review.ts';
export * from './unit-result.ts';
