/**
 * Year-end inputs as ingest kinds (issue 11): audit deductions (审核扣款), assessment results (考核系数) and
 * special-review decisions (特例单议结果) — QC with row, field and reason, the rejects file, counts that reconcile,
 * idempotent reruns, Chinese or English headers — and the settlement applies what the store holds for the year,
 * checked against a hand-computed year end (R-DIP-6: 考核系数 and 审核扣款).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { EXIT } from '../cli/context.ts';
import { registerIngestCommands } from '../cli/ingest-commands.ts';
import { unappliedText } from '../cli/settle-command.ts';
import { ingestFile, replacedLines, replacedOfMessage } from '../ingest/pipeline.ts';
import { memoryStore, tempDir, toCsv, validCase } from '../ingest/testing.ts';
import type { Institution } from '../model/institution.ts';
import { ratio } from '../model/money.ts';
import type { UnitResult } from '../model/unit-result.ts';
import type { SettlementRules } from '../settlement/rules.ts';
import { settlePool } from '../settlement/settle.ts';
import type { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import { storedYearEndInputs, unappliedDecisions } from './year-end-inputs.ts';

const tmp = tempDir('yibao-year-end-');
afterAll(() => tmp.remove());

/** A store with institutions A and B and two 2025 cases S1, S2 (and S9 of 2024). */
async function regionStore(): Promise<DuckDbStore> {
  const store = await memoryStore();
  const inst = tmp.file(
    'inst.csv',
    'fixmedins_code,fixmedins_name,hosp_lv,inst_type,admdvs\nA,A 医院,3,general,1\nB,B 医院,2,general,1\n',
  );
  await ingestFile(store, { kind: 'institutions', file: inst, rejectsFile: join(tmp.path, 'inst.rej.csv') });
  const cases = tmp.file(
    'cases.csv',
    toCsv([
      validCase({ setl_id: 'S1', mdtrt_id: 'M1', fixmedins_code: 'A' }),
      validCase({ setl_id: 'S2', mdtrt_id: 'M2', fixmedins_code: 'B' }),
      validCase({
        setl_id: 'S9',
        mdtrt_id: 'M9',
        fixmedins_code: 'A',
        adm_time: '2024-03-01 08:00:00',
        dscg_time: '2024-03-05 10:00:00',
        oprn_oprt_dates: '2024-03-01',
        brdy: '1959-01-31',
      }),
    ]),
  );
  const r = await ingestFile(store, { kind: 'cases', file: cases, rejectsFile: join(tmp.path, 'cases.rej.csv') });
  expect(r.accepted).toBe(3);
  return store;
}

const ingest = (
  store: DuckDbStore,
  kind: 'deductions' | 'assessments' | 'special-review',
  name: string,
  text: string,
) => ingestFile(store, { kind, file: tmp.file(name, text), rejectsFile: join(tmp.path, `${name}.rejects.csv`) });

describe('year-end inputs ingested like every kind: QC with row, field and reason', () => {
  it('审核扣款: a month and the year stored in fen; unknown institution, wrong period, a third decimal, zero and a conflicting duplicate rejected', async () => {
    const store = await regionStore();
    const text = [
      '医疗机构编码,期间,扣款金额,原因,依据',
      'A,2025-03,1000.00,重复收费,审核结论 2025-03 第 12 号',
      'A,2025,500,超标准收费,年度审核结论 第 3 号',
      'Z,2025-04,10.00,重复收费,审核结论',
      'B,2025-13,10.00,重复收费,审核结论',
      'B,2025-05,10.005,重复收费,审核结论',
      'B,2025-06,0,重复收费,审核结论',
      'B,2025-07,1.00,重复收费,审核结论 A',
      'B,2025-07,2.00,重复收费,审核结论 B',
    ].join('\n');
    const r = await ingest(store, 'deductions', 'deductions.csv', text);
    expect([r.read, r.accepted, r.rejected, r.alreadyPresent]).toEqual([8, 2, 6, 0]);
    const rejects = await store.rows(
      `SELECT row_no, field, code FROM rejects WHERE kind = 'deductions' ORDER BY row_no, code`,
    );
    // The file's lines (the header is line 1).
    expect(rejects.map((x) => [Number(x[0]), x[1], x[2]])).toEqual([
      [4, 'fixmedins_code', 'E_CODE_UNKNOWN'],
      [5, 'period', 'E_FORMAT'],
      [6, 'deduction_amt', 'E_FORMAT'],
      [7, 'deduction_amt', 'E_RANGE'],
      [8, 'fixmedins_code', 'E_DUPLICATE_CONFLICT'],
      [9, 'fixmedins_code', 'E_DUPLICATE_CONFLICT'],
    ]);
    // The rejects file carries the reason in both languages and the row under its own columns (correct and re-ingest).
    const file = readFileSync(join(tmp.path, 'deductions.csv.rejects.csv'), 'utf8');
    expect(file).toContain(
      '5,B|2025-13|重复收费,period,E_FORMAT,"期间应为 YYYY（年度清算扣款）或 YYYY-MM（该月预结算扣款），实际为 ""2025-13""",',
    );
    const y = await storedYearEndInputs(store, 2025);
    expect(y.deductions).toEqual([
      { institutionCode: 'A', period: '2025', amount: 50_000, reason: '超标准收费', source: '年度审核结论 第 3 号' },
      {
        institutionCode: 'A',
        period: '2025-03',
        amount: 100_000,
        reason: '重复收费',
        source: '审核结论 2025-03 第 12 号',
      },
    ]);
    expect((await storedYearEndInputs(store, 2024)).deductions).toEqual([]);
    // Rerun: nothing changes; the same key with another amount is refused, never replaced.
    const again = await ingest(store, 'deductions', 'deductions.csv', text);
    expect([again.accepted, again.alreadyPresent]).toEqual([0, 2]);
    const changed = await ingest(
      store,
      'deductions',
      'd2.csv',
      'institution,period,amount,reason,source\nA,2025,600,超标准收费,x',
    );
    expect(changed.rejectsByCode).toEqual({ E_ALREADY_STORED_DIFFERENT: 1 });
    await store.close();
  });

  it('考核结果 with English headers and the year from --year; a coefficient with seven decimals, zero or above 2 is rejected', async () => {
    const store = await regionStore();
    const r = await ingestFile(store, {
      kind: 'assessments',
      file: tmp.file(
        'a.csv',
        'institution,coefficient,source\nA,0.95,2025 年度考核 第 1 号\nB,0.1234567,x\nB,0,x\nB,2.5,x',
      ),
      rejectsFile: join(tmp.path, 'a.rejects.csv'),
      defaults: { year: '2025' },
    });
    expect([r.read, r.accepted, r.rejected]).toEqual([4, 1, 3]);
    // B three times with different coefficients is also a conflict in the file, told in the same pass (walk5 item 7).
    expect(r.rejectsByCode).toEqual({ E_DUPLICATE_CONFLICT: 3, E_FORMAT: 1, E_RANGE: 2 });
    const y = await storedYearEndInputs(store, 2025);
    expect(y.assessments).toEqual([
      { institutionCode: 'A', coefficient: ratio(95n, 100n), source: '2025 年度考核 第 1 号' },
    ]);
    expect(y.files?.map((f) => [f.path, f.bytes, f.role])).toEqual([
      ['store:year-end/assessments/2025', 1, 'year-end assessments'],
    ]);
    // A file with its own year column needs no --year; another year is stored beside it, not read for 2025.
    const own = await ingest(
      store,
      'assessments',
      'a2.csv',
      '医疗机构编码,考核年度,考核系数,依据\nB,2024,0.9,2024 年度考核',
    );
    expect(own.accepted).toBe(1);
    expect((await storedYearEndInputs(store, 2025)).assessments).toHaveLength(1);
    await store.close();
  });

  it('特例单议结果: approved by items or at points, not approved; unknown case, a decision in other words, an approval without payment or points rejected', async () => {
    const store = await regionStore();
    const r = await ingest(
      store,
      'special-review',
      'sr.csv',
      [
        '结算ID,结果,支付方式,点数,依据',
        'S1,通过,按项目,,专家评审 2025-Q3',
        'S2,通过,按点数,120.5,专家评审 2025-Q3',
        'S9,不通过,,,专家评审 2024-Q4',
        'S4,通过,按项目,,专家评审 2025-Q3',
      ].join('\n'),
    );
    expect([r.read, r.accepted, r.rejected]).toEqual([4, 3, 1]);
    // The faulty decisions in a file of their own, in a store of their own: three rows of S2 with different content
    // are also a conflict in the file, told with each row's own reason in one pass (walk5 item 7).
    const other = await regionStore();
    const bad = await ingest(
      other,
      'special-review',
      'sr-bad.csv',
      [
        '结算ID,结果,支付方式,点数,依据',
        'S1,待定,,,专家评审 2025-Q3',
        'S2,通过,,,专家评审 2025-Q3',
        'S2,通过,按点数,,专家评审 2025-Q3',
        'S2,通过,按点数,0.00001,专家评审 2025-Q3',
      ].join('\n'),
    );
    expect([bad.read, bad.accepted, bad.rejected]).toEqual([4, 0, 4]);
    const rejects = async (s: typeof store) =>
      (await s.rows(`SELECT row_no, field, code FROM rejects WHERE kind = 'special-review' ORDER BY row_no, code`)).map(
        (x) => [Number(x[0]), x[1], x[2]],
      );
    // The file's lines (the header is line 1).
    expect(await rejects(store)).toEqual([[5, 'setl_id', 'E_CASE_NOT_STORED']]);
    expect(await rejects(other)).toEqual([
      [2, 'decision', 'E_CODE_INVALID'],
      [3, 'setl_id', 'E_DUPLICATE_CONFLICT'],
      [3, 'payment', 'E_REQUIRED'],
      [4, 'setl_id', 'E_DUPLICATE_CONFLICT'],
      [4, 'points', 'E_REQUIRED'],
      [5, 'setl_id', 'E_DUPLICATE_CONFLICT'],
      [5, 'points', 'E_RANGE'],
    ]);
    await other.close();
    // Only the cases discharged in the year are read for it.
    expect((await storedYearEndInputs(store, 2025)).decisions).toEqual([
      { setlId: 'S1', approved: true, payment: { kind: 'items' }, source: '专家评审 2025-Q3' },
      { setlId: 'S2', approved: true, payment: { kind: 'points', points: 1_205_000 }, source: '专家评审 2025-Q3' },
    ]);
    expect((await storedYearEndInputs(store, 2024)).decisions).toEqual([
      { setlId: 'S9', approved: false, source: '专家评审 2024-Q4' },
    ]);
    await store.close();
  });

  it('a file without a required column names what is missing and the columns it ignored', async () => {
    const store = await regionStore();
    await expect(ingest(store, 'assessments', 'a3.csv', '医疗机构编码,系数\nA,0.9')).rejects.toThrow(
      /coefficient（考核系数）.*"系数"/,
    );
    await store.close();
  });

  it('yibao ingest deductions FILE from the command line (kind first, --json, exit 1 with a rejected row)', async () => {
    const db = join(tmp.path, 'cli.duckdb');
    const store = await regionStore();
    await store.connection.run(`ATTACH '${db}' AS f; COPY FROM DATABASE memory TO f; DETACH f`);
    await store.close();
    const file = tmp.file('cli.csv', 'institution,period,amount,reason,source\nA,2025,1.00,x,y\nA,2025-1,1.00,x,y\n');
    const program = new Command('yibao').exitOverride();
    registerIngestCommands(program, () => ({ db, json: true, lang: 'zh' }));
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
      out += String(s);
      return true;
    });
    try {
      await program.parseAsync(['node', 'yibao', 'ingest', 'deductions', file, '--rejects', join(tmp.path, 'cli.rej')]);
    } finally {
      vi.restoreAllMocks();
    }
    const code = process.exitCode ?? 0;
    process.exitCode = undefined;
    expect(code).toBe(EXIT.dataProblems);
    expect(JSON.parse(out)).toMatchObject({ kind: 'deductions', read: 2, accepted: 1, rejected: 1 });
  });
});

describe('a stored year-end row is corrected with --replace (issue 11 follow-up)', () => {
  it('R-DIP-6 审核扣款: refused without --replace (saying so); with it the stored row is replaced, old → new named in the report and the run log', async () => {
    const store = await regionStore();
    const first = await ingest(
      store,
      'deductions',
      'd-first.csv',
      '医疗机构编码,期间,扣款金额,原因,依据\nA,2025,1000.00,重复收费,审核结论 第 3 号\nB,2025-03,200.00,超标准收费,审核结论 第 4 号',
    );
    expect(first.accepted).toBe(2);
    const corrected =
      '医疗机构编码,期间,扣款金额,原因,依据\nA,2025,800.00,重复收费,审核结论 第 3 号（更正）\nB,2025-03,200.00,超标准收费,审核结论 第 4 号';
    // Without --replace: the corrected row is refused and the reason says how to correct it.
    const refused = await ingest(store, 'deductions', 'd-corrected.csv', corrected);
    expect([refused.accepted, refused.rejected, refused.alreadyPresent, refused.replaced]).toEqual([0, 1, 1, []]);
    const [why] = await store.rows(
      `SELECT message_zh, message_en FROM rejects WHERE kind = 'deductions' AND code = 'E_ALREADY_STORED_DIFFERENT'`,
    );
    expect(why![0]).toContain('如需更正，请加 --replace 重新导入该文件');
    expect(why![1]).toContain('to correct it, ingest the file again with --replace');
    // With --replace: A's row replaced (1000.00 → 800.00, and its source), B's identical row already present.
    const r = await ingestFile(store, {
      kind: 'deductions',
      file: join(tmp.path, 'd-corrected.csv'),
      rejectsFile: join(tmp.path, 'd-corrected.rejects.csv'),
      replace: true,
    });
    expect([r.read, r.accepted, r.rejected, r.alreadyPresent]).toEqual([2, 1, 0, 1]);
    expect(r.replaced).toEqual([
      {
        key: 'A|2025|重复收费',
        run: first.runId,
        changes: [
          { column: 'deduction_amt', old: '1000.00', new: '800.00' },
          { column: 'source', old: '审核结论 第 3 号', new: '审核结论 第 3 号（更正）' },
        ],
      },
    ]);
    expect(replacedLines('deductions', r.replaced, 'zh')).toEqual([
      `A|2025|重复收费（原由运行 ${first.runId} 入库）：扣款金额 1000.00 → 800.00，依据 审核结论 第 3 号 → 审核结论 第 3 号（更正）`,
    ]);
    expect(replacedLines('deductions', r.replaced, 'en')[0]).toBe(
      `A|2025|重复收费 (stored by run ${first.runId}): amount deducted 1000.00 → 800.00, source 审核结论 第 3 号 → 审核结论 第 3 号（更正）`,
    );
    // One stored row per key, the corrected one: A's year-end deduction is now 800.00 (80,000 fen).
    const y = await storedYearEndInputs(store, 2025);
    expect(y.deductions?.map((d) => [d.institutionCode, d.period, d.amount, d.source])).toEqual([
      ['A', '2025', 80_000, '审核结论 第 3 号（更正）'],
      ['B', '2025-03', 20_000, '审核结论 第 4 号'],
    ]);
    // The run log keeps the replaced key with old → new values.
    const [log] = await store.listRuns({ limit: 1 });
    expect(log!.counts).toMatchObject({ accepted: 1, alreadyPresent: 1, replaced: 1 });
    expect(replacedOfMessage(log!.message)).toEqual(r.replaced);
    // Ingesting the corrected file again changes nothing.
    const again = await ingestFile(store, {
      kind: 'deductions',
      file: join(tmp.path, 'd-corrected.csv'),
      replace: true,
    });
    expect([again.accepted, again.alreadyPresent, again.replaced.length]).toEqual([0, 2, 0]);
    await store.close();
  });

  it('考核系数 0.95 → 0.9 and a special-review decision 按项目 → 按点数 are replaced; a conflict inside the file is still refused', async () => {
    const store = await regionStore();
    await ingest(store, 'assessments', 'a-first.csv', '医疗机构编码,考核年度,考核系数,依据\nA,2025,0.95,考核 1 号');
    const a = await ingestFile(store, {
      kind: 'assessments',
      file: tmp.file('a-fix.csv', '医疗机构编码,考核年度,考核系数,依据\nA,2025,0.9,考核 1 号'),
      replace: true,
    });
    expect(replacedLines('assessments', a.replaced, 'zh')[0]).toMatch(
      /^A\|2025（原由运行 .+ 入库）：考核系数 0\.95 → 0\.9$/,
    );
    expect((await storedYearEndInputs(store, 2025)).assessments?.map((x) => x.coefficient)).toEqual([ratio(9n, 10n)]);
    await ingest(store, 'special-review', 'sr-first.csv', '结算ID,结果,支付方式,点数,依据\nS1,通过,按项目,,评审 1');
    const sr = await ingestFile(store, {
      kind: 'special-review',
      file: tmp.file(
        'sr-fix.csv',
        '结算ID,结果,支付方式,点数,依据\nS1,通过,按点数,120,评审 1（复议）\nS2,通过,按点数,10,评审 2\nS2,通过,按点数,11,评审 2',
      ),
      replace: true,
    });
    expect([sr.accepted, sr.rejected]).toEqual([1, 2]);
    expect(sr.rejectsByCode).toEqual({ E_DUPLICATE_CONFLICT: 2 });
    expect(replacedLines('special-review', sr.replaced, 'en')[0]).toContain(
      'payment of an approved case 按项目 → 按点数, points the panel set (empty) → 120, source 评审 1 → 评审 1（复议）',
    );
    expect((await storedYearEndInputs(store, 2025)).decisions).toEqual([
      { setlId: 'S1', approved: true, payment: { kind: 'points', points: 1_200_000 }, source: '评审 1（复议）' },
    ]);
    // Settlement lists are never replaced: --replace on another kind stops before reading the file.
    await expect(ingestFile(store, { kind: 'cases', file: tmp.file('c.csv', 'x\n1'), replace: true })).rejects.toThrow(
      /--replace is for audit deductions/,
    );
    await store.close();
  });
});

describe('R-DIP-6: the year end applies the stored assessment coefficient and audit deductions (hand-computed)', () => {
  // Two institutions, 6000 and 4000 points, a fund of 100,000.00 yuan, floating point value → 10 yuan/point; fund
  // payment ratio 1 and no sharing, so gross A = 60,000.00 and B = 40,000.00.
  // A: × 0.95 = 57,000.00; − deductions 1,000.00 (March) − 500.00 (year) = 55,500.00. B: coefficient 1 → 40,000.00.
  const rules: SettlementRules = {
    fundPaymentRatio: { value: { kind: 'given', ratio: ratio(1n) }, source: '基金支付比例 1 (test)' },
    pointValue: { value: { kind: 'floating' }, source: '浮动点值 (test)' },
    provisionalPointValue: { value: { kind: 'fixed', pointValue: ratio(1000n) }, source: '预结算点值 10 元 (test)' },
    prepayRatio: { value: ratio(9n, 10n), source: '预结算 90% (test)' },
    advanceMonths: { value: {}, source: '不预付 (test)' },
    sharing: { value: null, source: '不分担 (test)' },
    defaultAssessment: { value: ratio(1n), source: '考核系数 1 (test)' },
  };
  const institutions: Institution[] = [
    { code: 'A', name: 'A 医院', level: '3', type: 'general', county: '1' },
    { code: 'B', name: 'B 医院', level: '2', type: 'general', county: '1' },
  ];
  const unit = (id: string, inst: string, month: string, points: number): UnitResult => ({
    unitId: id,
    institutionCode: inst,
    month,
    method: 'dip',
    group: 'G',
    status: 'paid',
    claim: { kind: 'points', points },
    billed: 0,
    patientPaid: 0,
    explanation: [],
  });

  it('A 55,500.00 and B 40,000.00 from the ingested rows', async () => {
    const store = await regionStore();
    await ingest(
      store,
      'deductions',
      'd.csv',
      '医疗机构编码,期间,扣款金额,原因,依据\nA,2025-03,1000.00,重复收费,审核 12 号\nA,2025,500.00,超标准收费,审核 3 号',
    );
    await ingest(store, 'assessments', 'a.csv', '医疗机构编码,年度,考核系数,依据\nA,2025,0.95,考核 1 号');
    const y = await storedYearEndInputs(store, 2025);
    await store.close();
    const s = settlePool({
      poolId: 'p',
      region: 'p',
      year: 2025,
      units: [unit('U1', 'A', '2025-03', 60_000_000), unit('U2', 'B', '2025-03', 40_000_000)],
      budget: { fund: 10_000_000, steps: [] },
      openingPointValue: { value: ratio(1000n), source: '年初点值 10 元 (test)' }, // point values in fen per point
      institutions,
      lastYearFundPaid: new Map(),
      deductions: y.deductions ?? [],
      assessments: y.assessments ?? [],
      rules,
    });
    const a = s.institutions.find((i) => i.institutionCode === 'A')!;
    const b = s.institutions.find((i) => i.institutionCode === 'B')!;
    expect([a.gross, a.afterAssessment, a.deductions, a.yearEnd]).toEqual([6_000_000, 5_700_000, 150_000, 5_550_000]);
    expect([b.gross, b.afterAssessment, b.deductions, b.yearEnd]).toEqual([4_000_000, 4_000_000, 0, 4_000_000]);
    // The March deduction is also taken in March's pre-settlement: 60,000.00 × 0.9 − 1,000.00 = 53,000.00.
    expect(a.monthly.find((m) => m.month === '2025-03')!.payment).toBe(5_300_000);
  });
});

describe('special-review decisions a run did not apply (R-DIP-3, 002 四(二): only queued cases are reviewed)', () => {
  const decision = (setlId: string, decision: string) => ({
    setlId,
    decision,
    payment: decision === '通过' ? '按项目' : null,
    points: null,
    source: '评审意见',
  });
  const fake = (units: Record<string, string>) =>
    ({
      readYearEndInputs: async () => ({
        deductions: [],
        assessments: [],
        specialReviews: [
          decision('S1', '通过'), // queued: applied
          decision('S2', '通过'), // a high-cost case below the bound: not queued
          decision('S3', '不通过'), // rejected, the case stays high-cost: nothing to say
          decision('S4', '通过'), // not in the run
        ],
      }),
      runResults: () => ({ unit: async (id: string) => (units[id] ? { status: units[id] } : undefined) }),
    }) as never;

  it('names the approved decision of a case that was not queued and the one of a case not in the run', async () => {
    const u = await unappliedDecisions(fake({ S1: 'special-review', S2: 'high-cost', S3: 'high-cost' }), 'r', 2025);
    expect(u).toEqual([
      { setlId: 'S2', approved: true, reason: 'not-queued', status: 'high-cost' },
      { setlId: 'S4', approved: true, reason: 'missing' },
    ]);
    expect(unappliedText(u[0]!, 'zh')).toBe(
      '  ! 特例单议结果 S2（通过）未采用：该病例不是特例单议候选病例（本次结算为高倍率病例；候选界值见 DIP 政策 specialReview）',
    );
    expect(unappliedText(u[1]!, 'en')).toBe(
      '  ! special-review decision S4 (approved) not applied: the run has no such case',
    );
  });
});
