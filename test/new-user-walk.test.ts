/**
 * A new user's first walk, as typed in an empty folder outside the repository: `init` (the template's special-review
 * cap of 5‰ left as it is), a few hand-typed settlement lists, `settle`, `explain case`. With 6 DIP cases the cap is
 * 6 × 5‰ = 0.03, rounded down 0: the one case above the special-review bound (60,000.00 on a 10,000.00 mean, 6 ×
 * > 5 ×) stays a high-cost case, 1000 × ((6 − 2) × 1 + 1) = 5000 points (R-DIP-3, 002 四(二)). `explain case` read
 * "特例单议：" and nothing after it, while the statement's 计算依据 named the cap (and its clause twice).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = join(new URL('..', import.meta.url).pathname, 'bin', 'yibao.js');
const dir = mkdtempSync(join(tmpdir(), 'yibao-new-user-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const exec = promisify(execFile);

/** A command that fails: its exit code and what it said. */
async function failing(...args: string[]): Promise<{ code: number; said: string }> {
  try {
    await exec(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
    return { code: 0, said: '' };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: x.code ?? -1, said: `${x.stdout ?? ''}${x.stderr ?? ''}` };
  }
}

async function yibao(...args: string[]): Promise<string> {
  try {
    const r = await exec(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
    return `${r.stdout}${r.stderr}`;
  } catch (e) {
    const x = e as { stdout?: string; stderr?: string };
    throw new Error(`yibao ${args.join(' ')}:\n${x.stdout ?? ''}${x.stderr ?? ''}`);
  }
}

describe('a new user: init → ingest → settle → explain, with the template’s special-review cap', () => {
  it('R-DIP-3: the case above the cap is explained as the statement gives it: cap 0 (6 × 5‰, rounded down), once', async () => {
    writeFileSync(
      join(dir, 'institutions.csv'),
      '医疗机构编码,机构名称,医院等级,机构类型,所属区县\nH1,市第一人民医院,3,general,150101\nH2,市第二人民医院,3,general,150102\n',
    );
    const head =
      '结算ID,就诊ID,人员编号,医疗机构编码,险种类型,性别,出生日期,年龄,入院日期,出院日期,住院天数,离院方式,主要诊断,主要手术,医疗总费用,统筹基金支付,个人自付,现金支付';
    const row = (id: string, inst: string, year: number, cost: string, fund: string, own: string) =>
      `${id},M${id},P${id},${inst},310,1,1980-01-01,${year - 1980},${year}-03-01,${year}-03-11,10,1,K35.800,47.0100,${cost},${fund},${own},${own}`;
    const rows = [2022, 2023, 2024].flatMap((y) =>
      [0, 1, 2, 3, 4, 5].map((i) => row(`S${y}${i}`, i % 2 ? 'H2' : 'H1', y, '10000.00', '7000.00', '3000.00')),
    );
    for (let i = 0; i < 5; i++)
      rows.push(row(`S2025${i}`, i < 3 ? 'H1' : 'H2', 2025, '10000.00', '7000.00', '3000.00'));
    rows.push(row('S2025024', 'H2', 2025, '60000.00', '42000.00', '18000.00'));
    writeFileSync(join(dir, 'cases.csv'), `${head}\n${rows.join('\n')}\n`);
    await yibao('init', 'city01', '--year', '2025', '--out', 'policies');
    const settlement = join(dir, 'policies', 'dip-settlement-2025.yaml');
    writeFileSync(
      settlement,
      readFileSync(settlement, 'utf8').replace(
        / {2}budget:\n {4}value:\n(?: {6,}.*\n)+/,
        '  budget:\n    value: { method: given, amount: 70000 }\n',
      ),
    );
    await yibao('ingest', 'institutions', 'institutions.csv');
    await yibao('ingest', 'cases', 'cases.csv');
    await yibao('settle', '--year', '2025');
    const why = '超过特例单议上限 0 例（6 例 DIP 病例 × 5‰，向下取整），按高倍率病例计分';
    const zh = await yibao('explain', 'case', 'S2025024');
    expect(zh).toContain(`] 特例单议：${why}\n`);
    expect(zh).toMatch(/特例单议：.*\n(?: {5}.*\n)* {5}→ 5000\.0000\n/);
    const en = await yibao('--lang', 'en', 'explain', 'case', 'S2025024');
    expect(en).toContain(
      '] special review: above the special-review cap of 0 cases (6 DIP cases × 5‰, rounded down): scored as a high-cost case\n',
    );
    // The statement's 计算依据 says the same, its clause once (in brackets).
    const cases = readFileSync(join(dir, 'out', 'settle', 'dip', 'city01-dip-2025-cases.csv'), 'utf8');
    const line = cases.split('\r\n').find((l) => l.startsWith('S2025024,'))!;
    expect(line).toContain(`,高倍率病例,5000.0000,`);
    expect(line).toContain(`特例单议：${why} [`);
    expect(line.split('特例单议不超过出院总病例数 5‰').length).toBe(2);
    // An institution the pool does not hold, in the reader's language only (en read "… / 池 … 中没有机构 H9").
    expect(await failing('--lang', 'en', 'explain', 'settlement', 'H9', '--period', '2025')).toEqual({
      code: 3,
      said: 'no institution H9 in point pool city01-dip-2025; institutions settled this year: H1, H2 (check the institution code)\n',
    });
    expect((await failing('explain', 'settlement', 'H9', '--period', '2025')).said).toBe(
      '点数池 city01-dip-2025 中没有机构 H9；本年度结算的机构：H1、H2（检查机构编码）\n',
    );
  }, 300_000);
});
