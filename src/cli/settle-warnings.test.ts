/**
 * A new user's settlement with a DIP history year missing: the warning (R-DIP-2, DIP 技术规范 前三年 1:2:7 加权 — the
 * missing year's weight goes to the others, renormalised) was printed once by `settle` and then nowhere: `runs`,
 * `runs --settlements` and the statement's summary did not show it. Now it is kept with the run and shown by each,
 * zh and en. Run as a user would, in an empty folder: init, ingest (2022 and 2024 only), settle.
 *
 * Hand-computed: historyYears 2022–2024 weights 1:2:7 (the template), 2023 without cases → 1:7 renormalised to
 * 1 ÷ 8 = 12.5% and 7 ÷ 8 = 87.5%.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = new URL('../../bin/yibao.js', import.meta.url).pathname;
const exec = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'yibao-settle-warnings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function yibao(...args: string[]): Promise<string> {
  const r = await exec(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return `${r.stdout}${r.stderr}`;
}

const ZH =
  'DIP 历史年度 2023（权重 2）没有病例：病种分值与年初点值只按有病例的年度 2022、2024 测算，权重 1:7 重新归一为 2022 12.5%、2024 87.5%';
const EN =
  'DIP history year(s) 2023 (weight 2) have no cases: the scores and the opening point value are calibrated from 2022, 2024 only, the weights 1:7 renormalised to 2022 12.5%, 2024 87.5%';

let settled = '';
beforeAll(async () => {
  writeFileSync(
    join(dir, 'institutions.csv'),
    '医疗机构编码,机构名称,医院等级,机构类型,所属区县\nH1,市第一人民医院,3,general,150101\nH2,市第二人民医院,3,general,150102\n',
  );
  const rows: string[] = [];
  const add = (inst: string, year: number, month: number) => {
    const n = String(rows.length + 1).padStart(3, '0');
    const d = (x: number) => `${year}-${String(month).padStart(2, '0')}-${String(x).padStart(2, '0')}`;
    rows.push(
      `S${year}${n},M${n},P${n},${inst},310,1,${year - 40}-01-01,40,${d(10)},${d(14)},4,1,K35.800,47.0100,10000.00,7000.00,3000.00,3000.00`,
    );
  };
  for (const year of [2022, 2024, 2025]) for (let i = 0; i < 4; i++) add(i % 2 ? 'H1' : 'H2', year, 3 + i);
  writeFileSync(
    join(dir, 'cases.csv'),
    `结算ID,就诊ID,人员编号,医疗机构编码,险种类型,性别,出生日期,年龄,入院日期,出院日期,住院天数,离院方式,主要诊断,主要手术,医疗总费用,统筹基金支付,个人自付,现金支付\n${rows.join('\n')}\n`,
  );
  await yibao('init', 'city01', '--year', '2025', '--out', 'policies');
  await yibao('ingest', 'institutions', 'institutions.csv', '--policy', 'policies/qc-2025.yaml');
  await yibao('ingest', 'cases', 'cases.csv', '--policy', 'policies/qc-2025.yaml');
  settled = await yibao('settle', '--year', '2025', '--out', 'out');
}, 120_000);

describe('R-DIP-2 the missing-history-year warning is kept with the run and shown where the run is read', () => {
  it('settle prints it once', () => {
    expect(settled.split('\n').filter((l) => l.includes('历史年度 2023'))).toHaveLength(1);
    expect(settled).toContain(`  ! ${ZH}`);
  });
  it('runs --settlements and runs: under the run, zh and en', async () => {
    expect(await yibao('runs', '--settlements')).toContain(`    ! ${ZH}`);
    expect(await yibao('--lang', 'en', 'runs', '--settlements')).toContain(`    ! ${EN}`);
    const log = await yibao('runs', '--limit', '3');
    expect(log.split('\n').filter((l) => l.includes('历史年度 2023'))).toEqual([
      expect.stringContaining(`    ! ${ZH}`),
    ]);
    const json = JSON.parse(await yibao('--json', 'runs', '--settlements')) as { warnings?: { code: string }[] }[];
    // The template's example budget is far above last year's payment: its warning is kept too, before it.
    expect(json[0]!.warnings?.map((w) => w.code)).toEqual(['BUDGET_HIGH', 'HISTORY_YEAR_MISSING']);
  }, 60_000);
  it('the statement’s summary (统筹区汇总, its CSV): a 警示 row of each after the region and year', () => {
    const lines = readFileSync(join(dir, 'out', 'dip', 'city01-dip-2025-region.csv'), 'utf8').split('\r\n');
    expect(lines[3]).toMatch(/^警示：基金预算 .* 超过上年度基金支付 /);
    expect(lines[4]!.startsWith(`警示：${ZH}`)).toBe(true);
  });
});
