export {
  candidates,
  type DiseaseEncounter,
  type DiseaseEntry,
  type EntryMatch,
  type EntryProbe,
  entriesClaiming,
  findCatalogOverlaps,
  matchEntry,
  meetsAnyEntry,
  meetsAnyOf,
  type SingleDiseasePolicy,
} from './catalog.ts';
export {
  evaluateSingleDisease,
  type FallbackEvaluator,
  pathwayExitStep,
  pathwayExitSteps,
  type SingleDiseaseContext,
  singleDiseaseMethod,
} from './method.ts';
export { leavesPathway, type PathwayExit, pathwayExits } from './pathway.ts';
export {
  buildStandards,
  type DiseaseStandard,
  LEVELS,
  type StandardGap,
  type StandardsAccumulator,
  type StandardTable,
  standardKeyOf,
  standardsAccumulator,
} from './standards.ts';
