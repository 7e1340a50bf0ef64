/**
 * 病例结算金额 (R-DIP-6, 002 四(三) "按照各医疗机构实际点数付费"): a run stores each case's share of its institution's
 * points × point value + fixed amounts, split to the fen by the settlement policy's `caseAmountRounding`. A hospital's
 * insurance office reconciles its year case by case, so the cases of every institution must add up to the
 * institution's stored figure (`run_institution_year.value_fen`, 点数金额+定额 on the year-end statement) exactly.
 * These tests settle a demo region (the demo's generator, seed and policies; fewer cases) and hold every institution to it;
 * the hand-computed example is in the store contract (src/store/contract.ts, both stores).
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_CODE_LISTS } from '../codes/index.ts';
import type { Catalog } from '../grouping/dip/index.ts';
import { importCodes } from '../ingest/codes-import.ts';
import { tempDir } from '../ingest/testing.ts';
import { fenToYuan, mulRatio } from '../model/money.ts';
import { POINT_SCALE } from '../model/points.ts';
import { POLICY_KINDS } from '../policy/kinds/index.ts';
import { loadPolicyDir } from '../policy/registry.ts';
import { dipSettlementValues } from '../policy/testing.ts';
import { catalogGroupName } from '../report/dip-rows.ts';
import { groupLabel, SETTLED_AMOUNT } from '../report/labels.ts';
import { valueOfPoints } from '../settlement/value.ts';
import { DuckDbStore } from '../store/duckdb/duckdb-store.ts';
import type { RunResultsReader, RunUnitRow } from '../store/settlement-runs.ts';
import { generateRegion } from '../synth/generate.ts';
import { ingestRegion } from './demo.ts';
import { explainRunCase } from './explain-run.ts';
import { CASE_AMOUNT_ROUNDING_KIND, fromJson, ratioOf } from './results.ts';
import { settleRegionYear } from './settle-region-year.ts';
import { catalogCodeNames, writeRunStatements } from './statements.ts';

const tmp = tempDir('yibao-case-amounts-');
let store: DuckDbStore;
let issued: string;
let none: string;

beforeAll(async () => {
  const dir = join(tmp.path, 'region');
  const m = await generateRegion({ out: dir, cases: 2500, seed: '2025', format: 'csv' });
  store = await DuckDbStore.open(':memory:');
  // The sample code lists, as `yibao demo` imports them first (names of diagnoses and procedures for the sheets).
  for (const kind of ['icd10', 'icd9'] as const)
    await importCodes(store, { kind, file: SAMPLE_CODE_LISTS[kind], listVersion: '医保版 2.0 (sample)' });
  await ingestRegion(store, m, dir, tmp.path);
  const skip = ['ffs', 'capitation'] as const;
  const policies = loadPolicyDir('policies/demo', POLICY_KINDS);
  issued = (await settleRegionYear(store, { region: 'demo', year: 2025, policies, skip })).record.id;
  // The same year under `caseAmountRounding: none` (a copy of the demo policies with that one value changed).
  const noneDir = join(tmp.path, 'policies-none');
  cpSync('policies/demo', noneDir, { recursive: true });
  const file = join(noneDir, 'dip-settlement-2025.yaml');
  const text = readFileSync(file, 'utf8');
  expect(text).toContain('value: largest-remainder');
  writeFileSync(file, text.replace('value: largest-remainder', 'value: none'));
  const nonePolicies = loadPolicyDir(noneDir, POLICY_KINDS);
  none = (await settleRegionYear(store, { region: 'demo', year: 2025, policies: nonePolicies, skip })).record.id;
}, 240_000);
afterAll(async () => {
  await store?.close();
  tmp.remove();
});

async function unitsOf(reader: RunResultsReader, poolId: string): Promise<RunUnitRow[]> {
  const out: RunUnitRow[] = [];
  for await (const b of reader.units({ poolId, trace: false })) out.push(...b);
  return out;
}

describe('R-DIP-6 病例结算金额 of a demo run (caseAmountRounding: largest-remainder)', () => {
  it('every institution: Σ its cases’ settled amounts = its stored 点数金额+定额, to the fen (property over the run)', async () => {
    const reader = store.runResults(issued);
    const [pool] = await reader.pools();
    const years = await reader.institutionYear(pool!.poolId);
    const units = await unitsOf(reader, pool!.poolId);
    expect(years.length).toBeGreaterThan(10);
    const sums = new Map<string, number>();
    for (const u of units) {
      if (u.status === 'excluded') {
        expect(u.settledFen).toBeNull();
        continue;
      }
      expect(u.settledFen).not.toBeNull();
      sums.set(u.institution, (sums.get(u.institution) ?? 0) + u.settledFen!);
    }
    for (const y of years) expect([y.institution, sums.get(y.institution) ?? 0]).toEqual([y.institution, y.valueFen]);
  });

  it('each case: points × point value rounded down, +1 fen for the largest remainders of its institution (ties by id); a fixed amount as it is', async () => {
    const reader = store.runResults(issued);
    const [pool] = await reader.pools();
    const pv = ratioOf(pool!.pointValue);
    const den = pv.den * POINT_SCALE;
    const byInstitution = new Map<string, { id: string; rem: bigint; plus: number }[]>();
    let halfUpMisses = 0;
    const halfUpSums = new Map<string, bigint>();
    for (const u of await unitsOf(reader, pool!.poolId)) {
      if (u.status === 'excluded') continue;
      if (u.points === null) {
        expect(u.settledFen).toBe(u.amountFen);
        halfUpSums.set(u.institution, (halfUpSums.get(u.institution) ?? 0n) + BigInt(u.amountFen!));
        continue;
      }
      const exact = BigInt(u.points) * pv.num;
      const floor = exact / den;
      const plus = u.settledFen! - Number(floor);
      expect([u.unitId, plus === 0 || plus === 1]).toEqual([u.unitId, true]);
      const list = byInstitution.get(u.institution) ?? [];
      list.push({ id: u.unitId, rem: exact % den, plus });
      byInstitution.set(u.institution, list);
      halfUpSums.set(u.institution, (halfUpSums.get(u.institution) ?? 0n) + (2n * exact + den) / (2n * den));
    }
    for (const list of byInstitution.values()) {
      // Ordered as the rule hands out the fen: remainder descending, then unit id; the +1s come first, all of them.
      list.sort((a, b) => (a.rem !== b.rem ? (a.rem > b.rem ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const k = list.filter((c) => c.plus === 1).length;
      expect(list.slice(0, k).every((c) => c.plus === 1)).toBe(true);
    }
    // What the rule is for: rounding each case half-up on its own misses some institution's figure.
    for (const y of await reader.institutionYear(pool!.poolId))
      if (halfUpSums.get(y.institution) !== BigInt(y.valueFen)) halfUpMisses++;
    expect(halfUpMisses).toBeGreaterThan(0);
  });

  it('the per-case CSV of the statements adds up to the year-end statement’s 点数金额+定额 for every institution', async () => {
    const out = join(tmp.path, 'statements');
    await writeRunStatements(store.runResults(issued), out, { formats: ['csv'], perInstitution: false });
    const [pool] = await store.runResults(issued).pools();
    const rows = (name: string) => {
      const [head, ...lines] = readFileSync(join(out, `${pool!.poolId}-${name}.csv`), 'utf8')
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n');
      const cols = head!.split(',');
      // No field of these rows holds a comma except the basis, which is the last column.
      return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i] ?? `x${i}`, v])));
    };
    const cents = (v: string) => Math.round(Number(v) * 100);
    const sums = new Map<string, number>();
    for (const r of rows('cases'))
      if (r[SETTLED_AMOUNT[0]])
        sums.set(r.医疗机构编码!, (sums.get(r.医疗机构编码!) ?? 0) + cents(r[SETTLED_AMOUNT[0]]!));
    const annual = rows('annual').filter((r) => r.医疗机构编码 !== '合计');
    expect(annual.length).toBeGreaterThan(10);
    for (const r of annual)
      expect([r.医疗机构编码, sums.get(r.医疗机构编码!) ?? 0]).toEqual([
        r.医疗机构编码,
        cents(r['点数金额+定额（元）']!),
      ]);
  });

  it('Σ groups sheet = Σ per-case sheet = Σ institutions’ 点数金额+定额, to the fen; each group = Σ its cases (property over the run)', async () => {
    // The groups sheet rounded each group's points × point value once, the per-case sheet splits by institution: on
    // the demo the two totals differed by a fen. The groups sheet now sums the stored settled amounts of its cases.
    const reader = store.runResults(issued);
    const [pool] = await reader.pools();
    const bySum = new Map<string, number>();
    for (const u of await unitsOf(reader, pool!.poolId))
      if (u.status !== 'excluded') {
        const k = `${u.method}\u0000${u.group ?? ''}`;
        bySum.set(k, (bySum.get(k) ?? 0) + u.settledFen!);
      }
    const groups = await reader.groups(pool!.poolId);
    expect(groups.length).toBeGreaterThan(20);
    for (const g of groups)
      expect([g.method, g.group, g.settledFen]).toEqual([g.method, g.group, bySum.get(`${g.method}\u0000${g.group}`)]);
    const out = join(tmp.path, 'statements-groups');
    await writeRunStatements(reader, out, { formats: ['csv'], perInstitution: false });
    const column = (name: string, header: string): number[] => {
      const [head, ...lines] = readFileSync(join(out, `${pool!.poolId}-${name}.csv`), 'utf8')
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n');
      const at = head!.split(',').indexOf(header);
      expect(at).toBeGreaterThanOrEqual(0);
      // Total rows (合计) left out; no cell before the column holds a comma.
      return lines.filter((l) => !l.includes('合计')).map((l) => Math.round(Number(l.split(',')[at]) * 100));
    };
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    const cases = sum(column('cases', SETTLED_AMOUNT[0]));
    const institutions = sum(column('annual', '点数金额+定额（元）'));
    const groupSheet = sum(column('groups', '病种付费额（点数×点值+定额）'));
    expect([groupSheet, cases]).toEqual([institutions, institutions]);
    // What was wrong: points × point value rounded once per group does not add up to the institutions' figure.
    expect(sum(groups.map((g) => g.valueFen))).not.toBe(institutions);
  });

  it('explain case ends with the stored settled amount (zh and en words), and its JSON carries settledFen', async () => {
    const reader = store.runResults(issued);
    const [pool] = await reader.pools();
    const unit = (await unitsOf(reader, pool!.poolId)).find((u) => u.method === 'per-diem' && u.points !== null)!;
    const e = (await explainRunCase(store, reader, await reader.record(), unit.unitId))!;
    const last = e.steps.at(-1)!;
    expect(e.settledFen).toBe(unit.settledFen);
    expect(last.result).toBe(fenToYuan(unit.settledFen!));
    // R-DIP-6: the step names the amount as the sheets do — before the fund payment ratio (labels.ts SETTLED_AMOUNT).
    expect(last.zh).toMatch(
      /^本病例的病例结算金额（点数×年度点值或定额金额，未乘基金支付比例），即病例结算明细所列金额 = 病例点数 × 点值向下取整到分 \+ 分得余分/,
    );
    expect(last.en).toMatch(
      /^this case’s settled amount \(points × year-end point value, or the fixed amount; before the fund payment ratio\), as the per-case sheet lists it = points × point value rounded down to the fen/,
    );
    expect(last.clause).toMatch(/^002 四\(三\)/);
    expect(Object.keys(last.values!)).toEqual(['病例点数', '点值', '病例点数×点值', '向下取整到分', '分得余分']);
    // The figures, not only their names: the floor of points × point value, and the 0 or 1 fen given on top.
    const pv = ratioOf(pool!.pointValue);
    const floor = Number((BigInt(unit.points!) * pv.num) / (pv.den * POINT_SCALE));
    expect([last.values!.向下取整到分, last.values!.分得余分]).toEqual([
      fenToYuan(floor),
      fenToYuan(unit.settledFen! - floor),
    ]);
    expect([0, 1]).toContain(unit.settledFen! - floor);
  });

  it('explain case of a DIP case: the step before the settled amount is the fund’s part, named so; the last is the case’s settled amount (zh and en)', async () => {
    // Before, the step read "病例支付 = 病例点数 × 点值；基金支付 = …" with 病例支付 (points × point value, half-up) among
    // its values and the fund's part as its result, and the next step gave the settled amount, a fen apart at times.
    const reader = store.runResults(issued);
    const [pool] = await reader.pools();
    const pv = ratioOf(pool!.pointValue);
    const fpr = ratioOf(pool!.fundPaymentRatio);
    const dip = (await unitsOf(reader, pool!.poolId)).filter((u) => u.method === 'dip' && u.points !== null);
    // A case whose settled amount is a fen off its own half-up points value (the split is per institution).
    const unit = dip.find((u) => valueOfPoints(u.points!, pv) !== u.settledFen)!;
    expect(unit).toBeDefined();
    const e = (await explainRunCase(store, reader, await reader.record(), unit.unitId))!;
    const [part, last] = e.steps.slice(-2);
    const value = valueOfPoints(unit.points!, pv);
    expect(part!.zh).toBe('本病例的基金支付部分 = 点数金额 × 基金支付比例（点数金额 = 病例点数 × 点值，四舍五入到分）');
    expect(part!.en).toBe(
      'the fund’s part of this case = points value × fund payment ratio (points value = points × point value, rounded half-up to the fen)',
    );
    expect(Object.keys(part!.values!)).toEqual(['病例点数', '点值', '点数金额', '基金支付比例']);
    expect(part!.values!.点数金额).toBe(fenToYuan(value));
    expect(part!.result).toBe(fenToYuan(mulRatio(value, fpr, 'half-up')));
    expect(
      last!.zh.startsWith(
        '本病例的病例结算金额（点数×年度点值或定额金额，未乘基金支付比例），即病例结算明细所列金额 =',
      ),
    ).toBe(true);
    expect(last!.zh).toContain('可差 1 分');
    expect(last!.result).toBe(fenToYuan(unit.settledFen!));
    expect(Math.abs(unit.settledFen! - value)).toBe(1);
  });
});

describe('per-case sheets name each group (病种/分组名称)', () => {
  it('the per-case CSV has the group name beside its code: a DIP group’s catalog name (else its codes’ names), a single disease’s or per-diem category’s name from the run’s policy — zh and en headers', async () => {
    // Before, the sheet showed `J15.9 + 87.4101` or `SD082` and no name. The names come from what the run stored (its
    // catalog, its policy snapshot) and the code lists, never from today's files.
    const reader = store.runResults(issued);
    const [pool] = await reader.pools();
    const [d] = await reader.derived('dip-catalog');
    const catalog = fromJson<Catalog>(d!.content);
    const codeNames = await catalogCodeNames(store, catalog);
    const dipNames = new Map(catalog.groups.map((g) => [g.code, catalogGroupName(g, codeNames)] as const));
    // The single diseases' and per-diem categories' names as the run's policy snapshot writes them:
    // `{ code: SD082, zh: 泌尿道感染, … }`, `{ code: REH, zh: 医疗康复, … }`.
    const namesIn = async (kind: string) => {
      const text = (await reader.policies()).find((p) => p.kind === kind)!.content;
      return new Map([...text.matchAll(/\{ code: ([^,\s]+), zh: ([^,]+),/g)].map((m) => [m[1]!, m[2]!] as const));
    };
    const sdNames = await namesIn('single-disease');
    const pdNames = await namesIn('per-diem');
    expect([sdNames.get('SD082'), pdNames.get('REH')]).toEqual(['泌尿道感染', '医疗康复']);
    const out = join(tmp.path, 'statements-group-names');
    await writeRunStatements(reader, out, { formats: ['csv'], perInstitution: false, codes: store, lang: 'en' });
    await writeRunStatements(reader, join(out, 'zh'), { formats: ['csv'], perInstitution: false, codes: store });
    const read = (file: string) => {
      const [head, ...lines] = readFileSync(file, 'utf8')
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n');
      return { head: head!.split(','), lines };
    };
    const zh = read(join(out, 'zh', `${pool!.poolId}-cases.csv`));
    const at = zh.head.indexOf('病种/分组名称');
    expect(at).toBe(zh.head.indexOf('病种/分组') + 1);
    const en = read(join(out, `${pool!.poolId}-cases.csv`));
    expect(en.head[at]).toBe('group name');
    expect(en.head[at - 1]).toBe('group');
    // Row by row against the stored units (same order): every named group carries its name; no comma inside the
    // cells before the name (codes, names of the demo's institutions and groups).
    const units = await unitsOf(reader, pool!.poolId);
    const named: Record<string, number> = { dip: 0, 'single-disease': 0, 'per-diem': 0 };
    const namesOf: Record<string, ReadonlyMap<string, string>> = {
      dip: dipNames,
      'single-disease': sdNames,
      'per-diem': pdNames,
    };
    units.forEach((u, i) => {
      const cells = zh.lines[i]!.split(',');
      expect(cells[0]).toBe(u.unitId);
      const names = namesOf[u.method];
      if (!names) return;
      // a DIP group without a catalog or code-list name is named by its codes in words (walk6: it was blank)
      const want = u.group === null ? '' : names.get(u.group) || (u.method === 'dip' ? groupLabel(u.group, 'zh') : '');
      expect([u.unitId, cells[at]]).toEqual([u.unitId, want]);
      if (want) named[u.method]!++;
    });
    expect(named.dip).toBeGreaterThan(100);
    expect(named['single-disease']).toBeGreaterThan(10);
    expect(named['per-diem']).toBeGreaterThan(0);
    // en: the policy's English names (`en:` beside `zh:`), not the Chinese labels (the en sheet read 医疗康复).
    const enNames: Record<string, string> = {
      REH: 'medical rehabilitation',
      PSY: 'mental illness',
      PAL: 'hospice care',
    };
    let enNamed = 0;
    units.forEach((u, i) => {
      if (u.method !== 'per-diem' || u.group === null) return;
      expect(en.lines[i]!.split(',')[at], u.unitId).toBe(enNames[u.group]);
      enNamed++;
    });
    expect(enNamed).toBe(named['per-diem']);
    const sd = units.findIndex((u) => u.method === 'single-disease' && u.group === 'SD082');
    if (sd >= 0) expect(en.lines[sd]).toContain(',urinary tract infection,');
  });
});

describe('caseAmountRounding: none keeps today’s output', () => {
  it('no case has a settled amount; the per-case sheet has no 病例结算金额 column; explain adds no step', async () => {
    const reader = store.runResults(none);
    const [pool] = await reader.pools();
    const units = await unitsOf(reader, pool!.poolId);
    expect(units.every((u) => u.settledFen === null)).toBe(true);
    const [d] = await reader.derived(CASE_AMOUNT_ROUNDING_KIND);
    expect(fromJson<{ value: string }>(d!.content).value).toBe('none');
    const out = join(tmp.path, 'statements-none');
    await writeRunStatements(reader, out, { formats: ['csv'], perInstitution: false });
    const head = readFileSync(join(out, `${pool!.poolId}-cases.csv`), 'utf8').split('\r\n')[0]!;
    expect(head).not.toContain('病例结算金额');
    expect(head).toContain('点数,定额金额');
    const u = units.find((x) => x.method === 'per-diem')!;
    const e = (await explainRunCase(store, reader, await reader.record(), u.unitId))!;
    expect(e.settledFen).toBeNull();
    expect(e.steps.some((s) => s.zh.includes('病例结算金额'))).toBe(false);
    // The groups sheet keeps points × point value + fixed amounts, rounded once per group.
    const groups = await reader.groups(pool!.poolId);
    expect(groups.every((g) => g.settledFen === null)).toBe(true);
    const line = readFileSync(join(out, `${pool!.poolId}-groups.csv`), 'utf8').split('\r\n')[1]!;
    expect(line.split(',')[5]).toBe(fenToYuan(groups[0]!.valueFen));
  });
});

describe('policy field dip-settlement.caseAmountRounding', () => {
  const read = (extra: string) => dipSettlementValues(extra, 'policies/x/dip-settlement-2025.yaml').caseAmountRounding;
  it('absent: largest-remainder, cited as the yibao default (existing files stay valid)', () => {
    const r = read('');
    expect(r.value).toBe('largest-remainder');
    expect(r.source).toMatch(/^yibao default: 002 四\(三\)/);
  });
  it('none is read with its clause', () => {
    expect(read('  caseAmountRounding: { value: none, source: "本地办法" }')).toEqual({
      value: 'none',
      source: '本地办法',
    });
  });
  it('another word is refused: the file, the field, what is allowed and a valid example', () => {
    expect(() => read('  caseAmountRounding: { value: half-up, source: "本地办法" }')).toThrow(
      'policies/x/dip-settlement-2025.yaml: values.caseAmountRounding.value: expected one of largest-remainder, none / 应为 largest-remainder / none 之一\n  valid example / 正确示例:\n    caseAmountRounding: { value: largest-remainder, source: "002 四(三) 按照各医疗机构实际点数付费；病例结算金额合计等于机构点数金额" }',
    );
  });
});

describe('caseAmountRounding is read from the pool’s own record, not the first pool’s', () => {
  // A run keeps one record per pool (run_derived, named by pool id), read in name order: another pool whose id sorts
  // first ("a-other-pool") must not decide this pool's per-case sheet or explanation. Each run gets such a record
  // with the opposite value to its own pool's.
  it('statements: the none run has no 病例结算金额 column, the issued run has one; explain case of the issued run ends with the settled amount', async () => {
    const other = (run: string, value: string) =>
      store.rows(`INSERT INTO run_derived VALUES ($run, $kind, 'a-other-pool', $content)`, {
        run,
        kind: CASE_AMOUNT_ROUNDING_KIND,
        content: JSON.stringify({ value, source: '另一点数池' }),
      });
    await other(none, 'largest-remainder');
    await other(issued, 'none');
    const head = async (run: string) => {
      const reader = store.runResults(run);
      const [pool] = await reader.pools();
      expect((await reader.derived(CASE_AMOUNT_ROUNDING_KIND))[0]!.name).toBe('a-other-pool');
      const out = join(tmp.path, `statements-own-${run}`);
      await writeRunStatements(reader, out, { formats: ['csv'], perInstitution: false });
      return readFileSync(join(out, `${pool!.poolId}-cases.csv`), 'utf8').split('\r\n')[0]!;
    };
    expect(await head(none)).not.toContain('病例结算金额');
    expect(await head(issued)).toContain('病例结算金额');
    const reader = store.runResults(issued);
    const [pool] = await reader.pools();
    const unit = (await unitsOf(reader, pool!.poolId)).find((u) => u.method === 'dip' && u.points !== null)!;
    const e = (await explainRunCase(store, reader, await reader.record(), unit.unitId))!;
    expect(e.steps.at(-1)!.zh).toMatch(/^本病例的病例结算金额/);
    expect(e.steps.at(-1)!.result).toBe(fenToYuan(unit.settledFen!));
  });
});
