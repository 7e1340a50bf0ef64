import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ratio } from '../model/money.ts';
import { PolicyError } from './errors.ts';
import { POLICY_KINDS } from './kinds/index.ts';
import { qcKind } from './kinds/qc.ts';
import { headerExample, parsePolicy } from './loader.ts';
import { PolicySet } from './registry.ts';
import { zRatio, zYuan } from './values.ts';

const good = `kind: qc
region: demo
id: demo-qc-2025
version: "2025.1"
title: 示范市结算清单质控参数
effective: { from: 2025-01-01, to: 2025-12-31 }
values:
  maxLosDays:
    - { from: 2025-01-01, to: 2025-06-30, value: 365, source: "质控规则 1.1" }
    - { from: 2025-07-01, value: 180, source: "质控规则 1.1 (2025-07 修订)" }
  maxAgeYears: { value: 130, source: "质控规则 1.2" }
  newbornWeightG: { value: { min: 100, max: 9999 }, source: "结算清单填写规范" }
  losToleranceDays: { value: 1, source: "质控规则 1.4" }
`;

function parsePolicyError(text: string): PolicyError {
  try {
    parsePolicy(text, 'policies/x.yaml', POLICY_KINDS);
  } catch (e) {
    if (e instanceof PolicyError) return e;
    throw e;
  }
  throw new Error('expected a PolicyError');
}

function expectPolicyError(text: string, field: RegExp | string, code?: string): PolicyError {
  try {
    parsePolicy(text, 'policies/x.yaml', POLICY_KINDS);
  } catch (e) {
    expect(e).toBeInstanceOf(PolicyError);
    const err = e as PolicyError;
    expect(err.file).toBe('policies/x.yaml');
    if (typeof field === 'string') expect(err.field).toBe(field);
    else expect(err.field).toMatch(field);
    if (code) expect(err.code).toBe(code);
    expect(err.message).toMatch(/valid example|正确示例/);
    return err;
  }
  throw new Error('expected a PolicyError');
}

describe('policy loader (policy is data)', () => {
  it('loads a valid file and resolves the value in force on a date, with its clause', () => {
    const f = parsePolicy(good, 'policies/demo/qc.yaml', POLICY_KINDS);
    const set = new PolicySet([f]);
    const h1 = set.resolve(qcKind, 'demo', '2025-03-01');
    expect(h1.values.maxLosDays).toEqual({ value: 365, source: '质控规则 1.1' });
    const h2 = set.resolve(qcKind, 'demo', '2025-07-01');
    expect(h2.values.maxLosDays.value).toBe(180);
    expect(h2.values.newbornWeightG.value).toEqual({ min: 100, max: 9999 });
    expect(() => set.resolve(qcKind, 'demo', '2026-01-01')).toThrow(/no qc policy for region demo/);
    expect(() => set.resolve(qcKind, 'other', '2025-03-01')).toThrow(PolicyError);
  });

  it('a policy not found says what the folder has instead: other regions, a period, or no file of the kind', () => {
    const set = new PolicySet([parsePolicy(good, 'policies/demo/qc.yaml', POLICY_KINDS)]);
    expect(set.regions()).toEqual(['demo']);
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as PolicyError;
      }
      throw new Error('expected a PolicyError');
    };
    const region = err(() => set.resolve(qcKind, 'city01', '2025-03-01'));
    expect(region.code).toBe('POLICY_NOT_FOUND');
    expect(region.zh).toBe(
      '没有地区 city01 在 2025-03-01 生效的 结算清单质控参数（kind: qc）政策文件；目录中有此类政策文件的地区：demo（用 --region 选择）',
    );
    expect(region.en).toMatch(/regions with a qc policy in the folder: demo \(choose with --region\)$/);
    expect(err(() => set.resolve(qcKind, 'demo', '2026-01-01')).zh).toMatch(
      /地区 demo 的 结算清单质控参数（kind: qc）政策文件都不在 2026-01-01 生效/,
    );
    expect(err(() => set.fileFor('medical-community', 'demo', '2025-01-01')).zh).toMatch(
      /没有地区 demo 在 2025-01-01 生效的 县域医共体名录（kind: medical-community）政策文件；政策文件目录中没有这一类型的文件（yibao init 不生成这一类型）：把 yibao 自带的 \/.*\/policies\/demo\/medical-community-2025\.yaml 复制到政策文件目录，把 region: demo 改为 region: demo/,
    );
    // A case method init writes with --inpatient: said so, not "yibao init 不生成这一类型".
    const drg = err(() => set.fileFor('drg', 'city03', '2025-01-01'));
    expect(drg.zh).toContain(
      '；政策文件目录中没有这一类型的文件：用 yibao init city03 --inpatient drg --out 新文件夹 写出',
    );
    expect(drg.zh).not.toContain('不生成');
    expect(drg.en).toContain('write one with yibao init city03 --inpatient drg --out NEW_FOLDER');
    // The monitoring rules come with their knowledge tables (policies/demo/monitor/), named by full path too.
    const monitor = err(() => set.fileFor('monitor', 'city02', '2025-01-01'));
    expect(monitor.zh).toMatch(
      /\/policies\/demo\/monitor-2025\.yaml、\/.*\/policies\/demo\/monitor\/ 复制到政策文件目录/,
    );
    expect(monitor.zh).toContain('region: city02');
    expect(monitor.en).toContain('change region: demo to region: city02');
  });

  it('rejects an unknown key, naming the field, with "did you mean" and without a second error for the missing key', () => {
    const err = expectPolicyError(
      good.replace('maxAgeYears:', 'maxAgeYear:'),
      'values.maxAgeYear',
      'POLICY_UNKNOWN_KEY',
    );
    expect(err.zh).toBe('未知的键 "maxAgeYear"，是否应为 "maxAgeYears"？');
    expect(err.en).toBe('unknown key "maxAgeYear"; did you mean "maxAgeYears"?');
    expect(err.all).toHaveLength(1);
  });

  it('a bad effective date and a misspelt value key are both listed (the header error does not hide the values)', () => {
    try {
      parsePolicy(
        good
          .replace(/effective: \{ from: [0-9-]+/, 'effective: { from: 2025-13-01')
          .replace('maxAgeYears:', 'maxAgeYear:'),
        'policies/x.yaml',
        POLICY_KINDS,
      );
      expect.unreachable();
    } catch (e) {
      expect((e as PolicyError).all.map((x) => [x.field, x.zh])).toEqual([
        ['effective.from', '应为真实的日历日期 YYYY-MM-DD'],
        ['values.maxAgeYear', '未知的键 "maxAgeYear"，是否应为 "maxAgeYears"？'],
      ]);
    }
  });

  it('a misspelt `source` is an unknown key with "did you mean source", not a second error "应为文本" for the missing one', () => {
    const err = expectPolicyError(
      good.replace('maxAgeYears: { value: 130, source:', 'maxAgeYears: { value: 130, sourc:'),
      'values.maxAgeYears.sourc',
      'POLICY_UNKNOWN_KEY',
    );
    expect(err.zh).toBe('未知的键 "sourc"，是否应为 "source"？');
    expect(err.all).toHaveLength(1);
    // Left out altogether, it is said to be missing, with what to write, not "类型不符：应为文本".
    const missing = expectPolicyError(
      good.replace(/maxAgeYears: \{ value: 130, source: "[^"]*" \}/, 'maxAgeYears: { value: 130 }'),
      'values.maxAgeYears.source',
      'POLICY_INVALID',
    );
    expect(missing.zh).toBe('每个取值都须有 source：所依据的条款，如 "002 四(三)2"');
  });

  it('policy check lists every error of a file, each in one language (no English inside the Chinese)', () => {
    const text = good
      .replace('maxAgeYears:', 'maxAgeYear:')
      .replace('losToleranceDays: { value: 1,', 'losToleranceDays: { value: -1,')
      .replace('region: demo', 'regoin: demo');
    try {
      parsePolicy(text, 'policies/x.yaml', POLICY_KINDS);
      expect.unreachable();
    } catch (e) {
      // the header's unknown key (with its missing twin) does not hide the values' errors: all in one run
      expect((e as PolicyError).all.map((x) => x.zh)).toEqual([
        '未知的键 "regoin"，是否应为 "region"？',
        '未知的键 "maxAgeYear"，是否应为 "maxAgeYears"？',
        '应不小于 0',
      ]);
    }
    try {
      parsePolicy(text.replace('regoin: demo', 'region: demo'), 'policies/x.yaml', POLICY_KINDS);
      expect.unreachable();
    } catch (e) {
      const all = (e as PolicyError).all;
      expect(all.map((x) => [x.field, x.zh])).toEqual([
        ['values.maxAgeYear', '未知的键 "maxAgeYear"，是否应为 "maxAgeYears"？'],
        ['values.losToleranceDays.value', '应不小于 0'],
      ]);
      for (const x of all) expect(x.zh).not.toMatch(/[A-Za-z]{3,} [a-z]{3,}/);
    }
  });

  it('a share out of range and a duplicate key are said in Chinese only (not 不合规：expected a share…, 重复的键：Map keys…)', () => {
    const share = parsePolicyError(
      `kind: ffs
region: demo
id: x
version: "1"
title: t
effective: { from: 2025-01-01, to: 2025-12-31 }
values:
  classBSelfPayShare: { value: 1.5, source: "本地办法 第一条" }
  classBSelfPayOverrides: { value: [], source: "本地办法 第二条" }
  exclusions: { value: [], source: "本地办法 第三条" }
`,
    );
    expect(share.zh).toBe('应为 0 到 1 之间的比例');
    const dup = parsePolicyError(
      good.replace('  maxAgeYears:', '  maxLosDays: { value: 1, source: "x 1" }\n  maxAgeYears:'),
    );
    expect(dup.zh).toMatch(/^重复的键 maxLosDays（第 \d+ 行）：同一层级的键只能写一次/);
    expect(dup.zh).not.toMatch(/Map keys/);
  });

  it('rejects an unknown key inside a value', () => {
    expectPolicyError(
      good.replace('{ value: 130, source: "质控规则 1.2" }', '{ value: 130, source: "x 1", sorce: "y" }'),
      /values\.maxAgeYears/,
    );
  });

  it('rejects a duplicate key with its line', () => {
    const err = expectPolicyError(
      good.replace('  maxAgeYears:', '  losToleranceDays: { value: 2, source: "a b" }\n  maxAgeYears:'),
      /line \d+/,
      'POLICY_DUPLICATE_KEY',
    );
    expect(err.message).toMatch(/duplicate key/);
  });

  it('rejects a bad date', () => {
    expectPolicyError(good.replace('to: 2025-12-31 }', 'to: 2025-02-30 }'), 'effective.to');
  });

  it('rejects a value without its clause (source)', () => {
    expectPolicyError(good.replace('{ value: 130, source: "质控规则 1.2" }', '{ value: 130 }'), /values\.maxAgeYears/);
  });

  it('rejects overlapping dated values', () => {
    expectPolicyError(
      good.replace('from: 2025-07-01, value: 180', 'from: 2025-06-01, value: 180'),
      'values.maxLosDays',
      'POLICY_BAD_PERIOD',
    );
  });

  it('rejects a gap in dated values', () => {
    expectPolicyError(
      good.replace('from: 2025-07-01, value: 180', 'from: 2025-08-01, value: 180'),
      'values.maxLosDays',
      'POLICY_BAD_PERIOD',
    );
  });

  it('rejects a missing value, naming it', () => {
    expectPolicyError(good.replace(/ {2}maxAgeYears:.*\n/, ''), 'values.maxAgeYears');
  });

  it('rejects a wrong type with the expected type', () => {
    const err = expectPolicyError(good.replace('value: 130', 'value: "many"'), /values\.maxAgeYears/);
    expect(err.en).toMatch(/expected/i);
  });

  it('rejects an unknown kind', () => {
    expectPolicyError(good.replace('kind: qc', 'kind: qcx'), 'kind', 'POLICY_UNKNOWN_KIND');
  });

  it('rejects two files of the same kind and region with overlapping periods', () => {
    const a = parsePolicy(good, 'a.yaml', POLICY_KINDS);
    const b = parsePolicy(good.replace('demo-qc-2025', 'demo-qc-2025b'), 'b.yaml', POLICY_KINDS);
    expect(() => new PolicySet([a, b])).toThrow(/overlaps a\.yaml/);
  });

  it('reads ratios and yuan exactly', () => {
    expect(zRatio.parse(0.95)).toEqual(ratio(19n, 20n));
    expect(zRatio.parse('0.1')).toEqual(ratio(1n, 10n));
    expect(zYuan.parse(100)).toBe(10000);
    expect(zYuan.parse('12.34')).toBe(1234);
    expect(zYuan.safeParse('1.234').success).toBe(false);
  });
});

describe('the valid example shown with an error is the file’s own kind and is valid (walk2 #6, #7)', () => {
  // The shipped demo settlement file with the two mistakes a new user made: a date that does not exist and a
  // misspelt key inside the budget's value.
  const shipped = readFileSync(new URL('../../policies/demo/dip-settlement-2025.yaml', import.meta.url), 'utf8');
  const broken = shipped
    .replace('effective: { from: 2025-01-01, to: 2025-12-31 }', 'effective: { from: 2025-01-01, to: 2025-02-30 }')
    .replace('growthRate: 0.05', 'growthRat: 0.10');

  it('two mistakes are two errors: the date, and the misspelt key with "did you mean" (no 格式不符 for its twin)', () => {
    expect(broken).not.toBe(shipped);
    const all = parsePolicyError(broken).all;
    expect(all.map((x) => [x.field, x.zh])).toEqual([
      ['effective.to', '应为真实的日历日期 YYYY-MM-DD'],
      ['values.budget.value.growthRat', '未知的键 "growthRat"，是否应为 "growthRate"？'],
    ]);
    expect(all[1]!.en).toBe('unknown key "growthRat"; did you mean "growthRate"?');
  });

  it('the date’s example is a dip-settlement header (not kind: dip with a value no kind has), and pasting it works', () => {
    const [date] = parsePolicyError(broken).all;
    expect(date!.example).toMatch(/^kind: dip-settlement\n/);
    expect(date!.example).toContain('\n  budget: { value: { method: growth, growthRate: 0.05 }');
    expect(date!.example).not.toContain('coreGroupMinCases');
    // The example's effective line in place of the bad one: the date error is gone.
    const effective = date!.example!.split('\n').find((l) => l.startsWith('effective:'))!;
    const pasted = broken.replace(/^effective: .*$/m, effective);
    expect(parsePolicyError(pasted).all.map((x) => x.field)).toEqual(['values.budget.value.growthRat']);
  });

  it('every kind’s header example with its values example parses without an error', () => {
    for (const kind of POLICY_KINDS.values()) {
      expect(() => parsePolicy(headerExample(kind, 'all'), `${kind.kind}.yaml`, POLICY_KINDS), kind.kind).not.toThrow();
      expect(headerExample(kind)).toMatch(new RegExp(`^kind: ${kind.kind}\\n`));
    }
  });

  it('002 四(一) an items budget with both or neither of reserve and reserveRatio: an items example, zh and en alike (walk8 #5)', () => {
    const items = (reserve: string) =>
      shipped.replace(
        '{ method: growth, growthRate: 0.05 }',
        `{ method: items, revenue: 60000, ${reserve}deductions: [{ item: 急诊, amount: 1000 }] }`,
      );
    for (const text of [items('reserveRatio: 0.05, reserve: 3000, '), items('')]) {
      const e = parsePolicyError(text);
      expect(e.all.map((x) => x.field)).toEqual(['values.budget.value']);
      expect(e.zh).toBe(
        '预留基金写 reserveRatio（占统筹基金总收入的比例）或 reserve（金额，元）：二者必写其一，且不能都写（002 四(一) 适当预留部分基金）',
      );
      expect(e.en).toBe(
        'write the reserve as reserveRatio (a share of the pooled fund’s total revenue) or reserve (an amount in yuan): one of the two and not both (002 四(一) 适当预留部分基金)',
      );
      expect(e.example).toMatch(/^budget:\n {2}value:\n {4}method: items\n/);
      expect(e.example!.match(/reserve/g)).toEqual(['reserve']);
      expect(e.example).not.toContain('growth');
      // The example shown is itself a valid budget: in place of the file's, it parses.
      const fixed = shipped.replace(
        / {2}budget:\n {4}value: .*\n {4}source: .*\n/,
        `${e.example!.replace(/^/gm, '  ')}\n`,
      );
      expect(fixed).toContain('    method: items\n');
      expect(() => parsePolicy(fixed, 'policies/x.yaml', POLICY_KINDS)).not.toThrow();
    }
    expect(() => parsePolicy(items('reserve: 3000, '), 'policies/x.yaml', POLICY_KINDS)).not.toThrow();
  });

  it('a key left out whose value has several forms is "missing", not 格式不符, when nothing is misspelt beside it', () => {
    const e = parsePolicyError(shipped.replace(', growthRate: 0.05', ''));
    expect(e.all.map((x) => [x.field, x.zh])).toEqual([['values.budget.value.growthRate', '缺少此键（必填）']]);
    // A value of the wrong form keeps the union's own message.
    const bad = parsePolicyError(shipped.replace('growthRate: 0.05', 'growthRate: abc'));
    expect(bad.all.map((x) => x.field)).toEqual(['values.budget.value.growthRate']);
    expect(bad.zh).not.toBe('缺少此键（必填）');
  });
});
