/**
 * QC as policy (R-DATA-1): the sex/age diagnosis tables and the severity of a conflicting secondary diagnosis come
 * from the QC policy file; a principal conflict always rejects.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import { ingestFile } from './pipeline.ts';
import { DEFAULT_QC_POLICY, defaultQcPolicyFile, loadQcSettings } from './qc/settings.ts';
import { sampleStore, tempDir, toCsv, validCase } from './testing.ts';

const tmp = tempDir('yibao-qc-policy-');
let store: DuckDbStore;
beforeAll(async () => {
  store = await sampleStore(tmp);
});
afterAll(async () => {
  await store.close();
  tmp.remove();
});

function qcPolicy(extra: string): string {
  // the demo file without its two QC-severity values, which each test states itself
  const base = readFileSync(new URL('../../policies/demo/qc.yaml', import.meta.url), 'utf8').split(
    '  diagnosisTables:',
  )[0]!;
  const path = `${tmp.path}/qc-${Math.abs(hash(extra))}.yaml`;
  writeFileSync(path, `${base.trimEnd()}\n${extra}`);
  return path;
}
const hash = (s: string) => [...s].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 7);

async function run(policyFile: string, rows: Record<string, string>[], name: string) {
  const file = tmp.file(`${name}.csv`, toCsv(rows.map((r, i) => validCase({ setl_id: `${name}${i}`, ...r }))));
  return ingestFile(store, { kind: 'cases', file, dryRun: true, qc: loadQcSettings(policyFile) });
}

describe('R-DATA-1 QC severity and tables from the QC policy', () => {
  it('secondaryDiagnosisConflict: warn — C61 (prostate) as a woman’s secondary diagnosis is accepted with W_SEX_DIAGNOSIS_SECONDARY; as her principal diagnosis it is rejected', async () => {
    const p = qcPolicy('  secondaryDiagnosisConflict: { value: warn, source: "本地质控规则 其他诊断冲突仅提示" }\n');
    const r = await run(
      p,
      [
        { gend: '2', diag_codes: 'K35.800|C61.x00' },
        { gend: '2', diag_codes: 'C61.x00' },
      ],
      'warn',
    );
    expect([r.accepted, r.rejected]).toEqual([1, 1]);
    expect(r.warningsByCode).toEqual({ W_SEX_DIAGNOSIS_SECONDARY: 1 });
    expect(r.rejectsByCode).toEqual({ E_SEX_DIAGNOSIS: 1 });
  });

  it('walk4 #8 duplicateVisit: one 就诊ID settled twice (same person, institution, dates) warns by default and rejects the later settlement with reject; other dates are not a duplicate', async () => {
    const rows: Record<string, string>[] = [
      { mdtrt_id: 'V03' },
      { mdtrt_id: 'V03' },
      { mdtrt_id: 'V03', adm_time: '2025-03-02 08:00:00', act_ipt_days: '3', oprn_oprt_dates: '2025-03-02' },
    ];
    const warn = await run(qcPolicy(''), rows, 'dupw');
    expect([warn.accepted, warn.rejected]).toEqual([3, 0]);
    expect(warn.warningsByCode).toEqual({ W_DUPLICATE_VISIT: 1 });
    const p = qcPolicy('  duplicateVisit: { value: reject, source: "本地质控规则 同一就诊ID重复结算退回" }\n');
    const rej = await run(p, rows, 'dupr');
    expect([rej.accepted, rej.rejected]).toEqual([2, 1]);
    expect(rej.rejectsByCode).toEqual({ E_DUPLICATE_VISIT: 1 });
  });

  it('the default (reject) refuses the same secondary conflict with E_SEX_DIAGNOSIS', async () => {
    const r = await run(qcPolicy(''), [{ gend: '2', diag_codes: 'K35.800|C61.x00' }], 'reject');
    expect([r.accepted, r.rejected]).toEqual([0, 1]);
    expect(r.warningsByCode).toEqual({});
  });

  it('diagnosisTables: table — a region’s own range (K35 only for males, a made-up local rule) replaces the classification', async () => {
    const p = qcPolicy(
      `  diagnosisTables:
    value: { method: table, sex: [{ from: K35, to: K35, sex: "1", zh: 本地限男性, en: local male-only }], age: [] }
    source: "本地质控规则 附表"
`,
    );
    const r = await run(
      p,
      [
        { gend: '2', diag_codes: 'K35.800' },
        { gend: '2', diag_codes: 'K35.800|C61.x00' },
      ],
      'table',
    );
    // K35 is refused for a woman; C61 is no longer a rule of this table
    expect(r.rejectsByCode).toEqual({ E_SEX_DIAGNOSIS: 2 });
  });
});

describe("the qc policy used when none is named (R-DATA-1): the policy folder's, as for every policy", () => {
  const demo = readFileSync(DEFAULT_QC_POLICY, 'utf8');
  const qcFile = (dir: string, name: string, id: string, from: string) => {
    const text = demo.replace(/^region: .*$/m, 'region: city02').replace(/^id: .*$/m, `id: ${id}`);
    writeFileSync(join(dir, name), text.replace(/^effective: .*$/m, `effective: { from: ${from} }`));
  };

  it("takes the qc file of ./policies in force on the date, the latest of several, not the demo region's", () => {
    const cwd = join(tmp.path, 'own');
    mkdirSync(join(cwd, 'policies'), { recursive: true });
    writeFileSync(join(cwd, 'policies', 'dip-2025.yaml'), 'kind: dip\nnot read: the kind is not qc\n');
    qcFile(join(cwd, 'policies'), 'qc-2024.yaml', 'city02-qc-2024', '2024-01-01');
    qcFile(join(cwd, 'policies'), 'qc-2025.yaml', 'city02-qc-2025', '2025-01-01');
    expect(defaultQcPolicyFile('2025-06-30', cwd)).toBe(join(cwd, 'policies', 'qc-2025.yaml'));
    expect(defaultQcPolicyFile('2024-06-30', cwd)).toBe(join(cwd, 'policies', 'qc-2024.yaml'));
    expect(loadQcSettings(defaultQcPolicyFile('2025-06-30', cwd), '2025-06-30').policy.id).toBe('city02-qc-2025');
  });

  it('takes the demo file without a local policy folder, or when the local folder has no qc file', () => {
    const bare = join(tmp.path, 'bare');
    mkdirSync(bare, { recursive: true });
    expect(defaultQcPolicyFile('2025-06-30', bare)).toBe(DEFAULT_QC_POLICY);
    const noQc = join(tmp.path, 'no-qc');
    mkdirSync(join(noQc, 'policies'), { recursive: true });
    expect(defaultQcPolicyFile('2025-06-30', noQc)).toBe(DEFAULT_QC_POLICY);
  });
});
