/**
 * The settle's history pass alone (issue 9): `npx tsx bench/history-pass.ts STORE.duckdb [dip|drg] [OUT.json]` runs
 * `reduceInpatientHistory` on a kept store (a DuckDB file or a chdb:// / clickhouse:// location; the demo policies) and prints its wall and CPU seconds (main thread +
 * DuckDB's threads) and the sha256 of the reduced history as JSON (Maps as entry lists, in their order), so two
 * versions of the pass are compared on the same store to the byte. The store is opened for writing (a migration may
 * run): use a copy.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { POLICY_KINDS } from '../src/policy/kinds/index.ts';
import { loadPolicyDir } from '../src/policy/registry.ts';
import { reduceInpatientHistory } from '../src/run/inpatient-year.ts';
import { procedureClassifier } from '../src/run/procedure-classifier.ts';
import { ClickHouseStore } from '../src/store/clickhouse/clickhouse-store.ts';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.ts';
import type { Store } from '../src/store/store.ts';

const [file, method = 'dip', out] = process.argv.slice(2);
if (!file) throw new Error('usage: npx tsx bench/history-pass.ts STORE.duckdb|chdb://DIR [dip|drg] [OUT.json]');
if (method !== 'dip' && method !== 'drg') throw new Error(`method ${method}: dip | drg`);
// A chdb:// or clickhouse:// location opens the ClickHouse store; HISTORY_PATH=columns hides historyKeys (the
// column path), to compare the two paths' sha256 on one store.
const opened: Store = /^(chdb|clickhouse):\/\//.test(file)
  ? await ClickHouseStore.open(file)
  : await DuckDbStore.open(file);
const store: Store =
  process.env.HISTORY_PATH === 'columns'
    ? Object.assign(Object.create(opened) as Store, { historyKeys: undefined })
    : opened;
try {
  const policies = loadPolicyDir('policies', POLICY_KINDS);
  const classify = await procedureClassifier(store);
  const institutions = await store.readInstitutions();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const history = await reduceInpatientHistory(
    store,
    { region: 'demo', year: 2025, policies, method, classify },
    institutions,
  );
  const cpu = process.cpuUsage(cpu0);
  const { dip, drg, ...rest } = history;
  const json = JSON.stringify({ rest, dip: dip ? { ...dip } : undefined, drg }, (_k, v) =>
    typeof v === 'bigint' ? v.toString() : v instanceof Map ? [...v] : v,
  );
  if (out) writeFileSync(out, json);
  const wall = ((performance.now() - t0) / 1000).toFixed(2);
  const sha = createHash('sha256').update(json).digest('hex');
  process.stdout.write(
    `history pass: ${history.cases} cases, ${wall} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} CPU-s, sha256 ${sha}\n`,
  );
} finally {
  await opened.close();
}
