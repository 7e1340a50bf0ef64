/**
 * yibao's public TypeScript API (公开接口) — the one entry programs import (`import … from 'yibao'`):
 * the case and institution model, exact money, dated policy files, the store, CHS-DRG grouping of one case
 * with its explanation, and the HTTP server. Everything else under src/ is internal and may change.
 *
 * The package runs from TypeScript source (as the CLI does): load it with tsx (`node --import tsx`) or a bundler.
 */

// ---- the HTTP API and workbench ----
export { type RunningServer, type ServerOptions, startServer } from './api/server.ts';
// ---- grouping one case (CHS-DRG) with its explanation ----
export {
  type DrgGroupResult,
  type DrgKernel,
  drgInputFromCase,
  drgTraceToExplanation,
  groupCase,
  openDrgKernel,
} from './grouping/drg/index.ts';
// ---- the model: settlement-list cases, institutions, money, explanations ----
export type { Diagnosis, DischargeWay, InpatientCase, InsuranceType, Procedure, Sex } from './model/case.ts';
export type { Explanation, TraceStep } from './model/explain.ts';
export { renderExplanation } from './model/explain.ts';
export type { Institution, InstitutionLevel, InstitutionType } from './model/institution.ts';
export { type Fen, fenToYuan, formatRatio, type Ratio, ratio, yuanToFen } from './model/money.ts';
// ---- policy: dated, cited policy files ----
export { POLICY_KINDS } from './policy/kinds/index.ts';
export { loadPolicyDir, PolicySet } from './policy/registry.ts';
// ---- the store (embedded DuckDB by default) ----
export { openStore, type Store, StoreError } from './store/index.ts';
