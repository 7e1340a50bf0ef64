import { openStore } from './src/store/index.ts';
import { explainRunCase, explainRunSettlement, openRun } from './src/run/explain-run.ts';
import { openSchemeKernel } from './src/run/drg-scheme.ts';
const db = process.argv[2]!;
const store = await openStore(db, { readOnly: true });
const keys = new Map<string, string>();
const results = new Set<string>();
for (const run of await store.listSettlementRuns({ kind: 'all' })) {
  const r = { record: run, reader: store.runResults(run.id) };
  const seen = new Set<string>();
  const insts = new Set<string>();
  for await (const batch of r.reader.units()) for (const u of batch) {
    insts.add(u.institution ?? (u as any).institutionCode);
    const k = `${u.method}|${u.status}|${u.amountFen === null}`;
    if (seen.has(k)) continue;
    seen.add(k);
    try {
      const e = await explainRunCase(store, r.reader, r.record, u.unitId, (s) => openSchemeKernel(s));
      for (const st of e?.steps ?? []) { for (const key of Object.keys(st.values ?? {})) keys.set(key, `${u.method}`); if (typeof st.result === 'string') results.add(st.result.replace(/[0-9.,\-]+/g, '#')); }
    } catch (err) { console.error('case', u.unitId, (err as Error).message); }
  }
  for (const i of [...insts].slice(0, 40)) for (const period of [String(run.year), `${run.year}-03`]) {
    try {
      const e = await explainRunSettlement(r.reader, r.record, i, period);
      for (const st of e.steps) { for (const key of Object.keys(st.values ?? {})) keys.set(key, 'settlement'); if (typeof st.result === 'string') results.add(st.result.replace(/[0-9.,\-]+/g, '#')); }
    } catch (err) { console.error('settle', i, (err as Error).message); }
  }
}
console.log(JSON.stringify([...keys.keys()]));
console.log(JSON.stringify([...results]));
await store.close();
