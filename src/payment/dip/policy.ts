/**
 * The resolved DIP policy as the engine sees it: every parameter with its clause (`Cited`), resolved for one date
 * by the policy resolver. The engine never reads files or dates itself.
 */
import type { ResolvedValues } from '../../policy/kind.ts';
import type { dipKind } from '../../policy/kinds/dip.ts';
import type { dipSettlementKind } from '../../policy/kinds/dip-settlement.ts';

export type DipPolicy = ResolvedValues<typeof dipKind>;
export type DipSettlementPolicy = ResolvedValues<typeof dipSettlementKind>;
export type AuxiliaryConfig = DipPolicy['auxiliary']['value'];
