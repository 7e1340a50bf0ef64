/**
 * R-MON-3: one rule set, two modes. The whole year as SQL over the store and `checkCase()` on each case with its
 * context give exactly the same flags (ids, severities, amounts, evidence) on the same data: a synthetic region
 * with planted misbehaviour, plus planted fee-line misbehaviour.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TempDir, tempDir } from '../ingest/testing.ts';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { loadPolicyDir } from '../policy/registry.ts';
import { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import { caseContexts, computeBaselines, readInstitutionFacts } from './adapters/duckdb-context.ts';
import { prepareYear, yearCaseFlags } from './adapters/duckdb-sql.ts';
import { loadRuleBase } from './adapters/knowledge-files.ts';
import { loadRegion, plantLineMisbehaviour, plantStayMisbehaviour } from './bench-region.ts';
import { checkCase, itemsBySetl } from './check-case.ts';
import type { RuleBase } from './rule-base.ts';
import { compareFlags, type Flag } from './types.ts';

const POLICIES = fileURLToPath(new URL('../../policies', import.meta.url));
let tmp: TempDir;
let store: DuckDbStore;
let base: RuleBase;
const YEAR = 2025;

beforeAll(async () => {
  tmp = tempDir('yibao-monitor-modes-');
  store = await DuckDbStore.open(':memory:');
  await loadRegion(store, {
    dir: `${tmp.path}/region`,
    cases: 3000,
    seed: 11,
    misbehaviour: true,
    years: [2023, 2024, 2025],
  });
  await plantLineMisbehaviour(store, YEAR, 0.1);
  await plantStayMisbehaviour(store, YEAR, 5);
  base = loadRuleBase(loadPolicyDir(POLICIES, POLICY_KINDS), 'demo', `${YEAR}-12-31`);
}, 240_000);

afterAll(async () => {
  await store?.close();
  tmp?.remove();
});

describe('R-MON-3 two modes, one rule set', () => {
  it('whole-year SQL and checkCase() give the same flags for every case of the year', async () => {
    const conn = store.connection;
    const baselines = await computeBaselines(conn, base, YEAR);
    expect(baselines.all.size).toBeGreaterThan(0);
    await prepareYear(conn, YEAR, base.knowledge, baselines);
    const sqlFlags = await yearCaseFlags(conn, base);
    const facts = await readInstitutionFacts(conn);
    const single: Flag[] = [];
    for await (const batch of store.iterateCases({ year: YEAR }, 2000)) {
      const items = await store.readFeeItems(batch.map((c) => c.setlId));
      const bySetl = itemsBySetl(items);
      const ctx = await caseContexts(conn, batch, baselines, facts);
      for (const c of batch) {
        single.push(
          ...checkCase(base.rules, base.knowledge, {
            case: c,
            items: bySetl.get(c.setlId) ?? [],
            context: ctx.get(c.setlId)!,
          }),
        );
      }
    }
    single.sort(compareFlags);
    // every case rule fires at least once on this data, so the equality covers each of them
    const fired = new Set(sqlFlags.map((f) => f.ruleId));
    const caseRules = base.rules.filter((r) => r.id.startsWith('YB-IT') || r.id.startsWith('YB-CS')).map((r) => r.id);
    expect(caseRules.filter((id) => !fired.has(id))).toEqual([]);
    // one overlap's money once (walk4 #26): of each planted pair, the stay admitted a day later carries it
    const overlap = sqlFlags.filter((f) => f.ruleId === 'YB-CS-002' && f.setlId.endsWith('O'));
    expect(overlap).toHaveLength(5);
    for (const f of overlap) {
      expect(f.amount).toBeGreaterThan(0);
      const earlier = sqlFlags.find((x) => x.ruleId === 'YB-CS-002' && x.setlId === f.setlId.slice(0, -1));
      expect(earlier?.amount).toBe(0);
    }
    const dup = sqlFlags.filter((f) => f.ruleId === 'YB-CS-007');
    expect(dup.map((f) => f.setlId).every((id) => id.endsWith('D'))).toBe(true);
    expect(dup).toHaveLength(5);
    expect(single.length).toBe(sqlFlags.length);
    expect(single).toEqual(sqlFlags);
  }, 120_000);
});
