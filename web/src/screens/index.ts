import { caseScreen } from './case.ts';
import { communitiesScreen } from './communities.ts';
import { estimateScreen } from './estimate.ts';
import { institutionScreen } from './institution.ts';
import { auditScreen, policiesScreen, recordsScreen } from './lists.ts';
import { monitorScreen } from './monitor.ts';
import { overviewScreen } from './overview.ts';
import { profitScreen, profitScreenForAgency } from './profit.ts';
import { runScreen, runsScreen } from './runs.ts';
import type { Screen } from './screen.ts';
import { whatIfScreen } from './whatif.ts';

/** Every screen; the first visible one is the default. */
export const screens: Screen[] = [
  overviewScreen,
  { ...institutionScreen, nav: true, visible: (me) => me.role !== 'agency' },
  institutionScreen,
  caseScreen,
  estimateScreen,
  profitScreen,
  profitScreenForAgency,
  communitiesScreen,
  monitorScreen,
  runsScreen,
  runScreen,
  whatIfScreen,
  recordsScreen,
  policiesScreen,
  auditScreen,
];
