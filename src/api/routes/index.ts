/** Every route of the API, in the order the OpenAPI document lists them. */
import type { ApiContext } from '../app.ts';
import type { RouteDef } from '../route.ts';
import { activityRoutes } from './activity.ts';
import { communityRoutes } from './communities.ts';
import { coreRoutes } from './core.ts';
import { estimateRoutes } from './estimate.ts';
import { jobRoutes } from './jobs.ts';
import { monitorRoutes } from './monitor.ts';
import { profitRoutes } from './profit.ts';
import { runRoutes } from './runs.ts';
import { whatIfRoutes } from './whatif.ts';

export function allRoutes(ctx: ApiContext): RouteDef<never, never, never>[] {
  return [
    ...coreRoutes(ctx),
    ...activityRoutes(ctx),
    ...runRoutes(ctx),
    ...jobRoutes(ctx),
    ...communityRoutes(ctx),
    ...estimateRoutes(ctx),
    ...profitRoutes(ctx),
    ...whatIfRoutes(ctx),
    ...monitorRoutes(ctx),
  ] as unknown as RouteDef<never, never, never>[];
}
