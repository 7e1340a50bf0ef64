/**
 * The agency's published folder (公布的付费参数, `settle --out DIR` → `DIR/published/`) is what a hospital needs to
 * estimate exactly what the agency pays (walk6 item 2): a small region settled from `init` and typed rows, then every
 * 2025 case estimated by `yibao hospital settle --published DIR/published` equals the run's stored 病例结算金额 to
 * the fen — a normal case at each level coefficient the run derived, a high-cost and a low-cost case, and an
 * ungrouped case under the template's default (`ungrouped: unpaid`, 002 四(二) 未能入组病例暂不计分 → 0.00).
 *
 * Hand computation (R-DIP-2, R-DIP-3, R-DIP-5, R-DIP-6): history 2022–2024, one group K35#surgery (12 cases, below the
 * core threshold of 15: comprehensive), H1 (三级) 12,000.00 and H2 (二级) 8,000.00 per case, city mean 10,000.00 →
 * score 1000, level coefficients 1.2 and 0.8. 2025: S01 H1 12,000 → 1200 points; S02 H2 8,000 → 800; S03 H1 3,000,
 * below half H1's same-level mean 12,000 → low-cost, paid its cost 3,000.00; S04 H2 J18.900 ungrouped → 0.00; S05 H2
 * 20,000 above twice 8,000 → high-cost 800 × ((20,000 ÷ 8,000 − 2) + 1) = 1200; S06 H1 12,000 → 1200. Budget
 * 63,700, ratio 0.7: (63,700 ÷ 0.7 − 3,000) ÷ 4400 = 20 yuan/point; S01, S05, S06 24,000.00, S02 16,000.00.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = new URL('..', import.meta.url).pathname;
const BIN = join(REPO, 'bin', 'yibao.js');
const exec = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'yibao-published-'));
afterAll(() => (process.env.KEEP_TMP ? undefined : rmSync(dir, { recursive: true, force: true })));

async function yibao(line: string): Promise<{ code: number; out: string }> {
  try {
    const r = await exec(process.execPath, [BIN, ...line.split(/\s+/)], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 300_000,
    });
    return { code: 0, out: `${r.stdout}${r.stderr}` };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof x.code === 'number' ? x.code : -1, out: `${x.stdout ?? ''}${x.stderr ?? ''}` };
  }
}

const csv = (path: string) =>
  readFileSync(join(dir, path), 'utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r?\n/)
    .map((l) => l.split(','));

function writeFiles(): void {
  writeFileSync(
    join(dir, 'institutions.csv'),
    '医疗机构编码,机构名称,医院等级,机构类型,所属区县\nH1,市第一人民医院,3,general,150101\nH2,市第二人民医院,2,general,150102\n',
  );
  const head =
    '结算ID,就诊ID,人员编号,医疗机构编码,险种类型,性别,出生日期,年龄,入院日期,出院日期,住院天数,离院方式,主要诊断,主要手术,医疗总费用,统筹基金支付,个人自付,现金支付';
  const rows: string[] = [];
  const add = (id: string, inst: string, date: string, dx: string, proc: string, cost: number) => {
    const year = Number(date.slice(0, 4));
    const fund = (cost * 0.7).toFixed(2);
    const own = (cost * 0.3).toFixed(2);
    const out = `${date.slice(0, 8)}${String(Number(date.slice(8)) + 4).padStart(2, '0')}`;
    rows.push(
      [id, `M${id}`, `P${id}`, inst, '310', '1', '1980-01-01', String(year - 1980), date, out, '4', '1', dx, proc]
        .concat([cost.toFixed(2), fund, own, own])
        .join(','),
    );
  };
  for (const year of [2022, 2023, 2024])
    for (let i = 0; i < 4; i++)
      add(`S${year}${i}`, i % 2 ? 'H2' : 'H1', `${year}-0${3 + i}-10`, 'K35.800', '47.0100', i % 2 ? 8000 : 12000);
  add('S01', 'H1', '2025-03-10', 'K35.800', '47.0100', 12000);
  add('S02', 'H2', '2025-04-10', 'K35.800', '47.0100', 8000);
  add('S03', 'H1', '2025-05-10', 'K35.800', '47.0100', 3000);
  add('S04', 'H2', '2025-06-10', 'J18.900', '', 15000);
  add('S05', 'H2', '2025-07-10', 'K35.800', '47.0100', 20000);
  add('S06', 'H1', '2025-08-10', 'K35.800', '47.0100', 12000);
  writeFileSync(join(dir, 'cases.csv'), `${head}\n${rows.join('\n')}\n`);
  // What the hospital H2 keeps of its own year: its 2025 cases only.
  writeFileSync(
    join(dir, 'h2-2025.csv'),
    `${head}\n${rows.filter((r) => /^S0\d,[^,]*,[^,]*,H2,/.test(r)).join('\n')}\n`,
  );
}

describe('the published folder: a hospital estimates what the agency pays, to the fen (walk6 item 2)', () => {
  it('settle writes published/; hospital settle over it gives every case its stored amount, zh and en', async () => {
    writeFiles();
    for (const line of [
      'init city01 --year 2025 --out policies',
      'ingest institutions institutions.csv --policy policies/qc-2025.yaml',
      'ingest cases cases.csv --policy policies/qc-2025.yaml',
    ]) {
      if (line.startsWith('ingest institutions')) {
        const p = join(dir, 'policies', 'dip-settlement-2025.yaml');
        writeFileSync(
          p,
          readFileSync(p, 'utf8').replace(
            / {2}budget:\n {4}value:\n(?: {6,}.*\n)+/,
            '  budget:\n    value: { method: given, amount: 63700 }\n',
          ),
        );
      }
      const r = await yibao(line);
      expect(r.code, `${line}\n${r.out}`).toBe(0);
    }
    const settled = await yibao('settle --region city01 --year 2025 --policies policies --out out');
    expect(settled.code, settled.out).toBe(0);
    expect(settled.out).toContain('20.000000 元/点');
    const published = readFileSync(join(dir, 'out/published/published.yaml'), 'utf8');
    expect(published).toContain('yuanPerPoint: "20", basis: published');
    const catalog = JSON.parse(readFileSync(join(dir, 'out/published/catalog.json'), 'utf8'));
    expect(catalog.institutionCoefficients).toEqual([
      { scope: 'level', key: '3', coefficient: '1.2000' },
      { scope: 'level', key: '2', coefficient: '0.8000' },
      { scope: 'level', key: '1', coefficient: '1.0000' },
      { scope: 'level', key: 'primary', coefficient: '1.0000' },
    ]);
    const agency = csv('out/dip/city01-dip-2025-cases.csv');
    const amountCol = agency[0]!.findIndex((h) => h.startsWith('病例结算金额'));
    const stored = new Map(agency.slice(1).map((r) => [r[0]!, r[amountCol]!]));
    expect(Object.fromEntries(stored)).toEqual({
      S01: '24000.00',
      S02: '16000.00',
      S03: '3000.00',
      S04: '0.00',
      S05: '24000.00',
      S06: '24000.00',
    });

    for (const lang of ['zh', 'en'] as const) {
      const h = await yibao(`--lang ${lang} hospital settle --published out/published --in cases.csv --out h-${lang}`);
      expect(h.code, h.out).toBe(0);
      const mine = csv(`h-${lang}/hospital-cases.csv`);
      const pay = mine[0]!.indexOf(lang === 'zh' ? '预测支付金额' : 'expected payment');
      const estimated = new Map(mine.slice(1).map((r) => [r[0]!, r[pay]!]));
      for (const [id, amount] of stored) expect(estimated.get(id), `${lang} ${id}`).toBe(amount);
    }
    // One case by `estimate` (the ungrouped one the example folder priced at 10,500.00): 0.00, as the agency paid it.
    const one = await yibao('--json estimate --published out/published --in cases.csv --id S04');
    expect(one.code, one.out).toBe(0);
    expect(JSON.parse(one.out).expectedPayment).toBe(0);

    // walk6 item 3: one stable group code in every file and language, the name in the reader's language beside it;
    // the JSON Lines basis a JSON value (it was JSON inside a string).
    const en = await yibao('--lang en settle --region city01 --year 2025 --policies policies --out out-en');
    expect(en.code, en.out).toBe(0);
    const pick = (rows: string[][], id: string, ...cols: string[]) =>
      cols.map((c) => rows.find((r) => r[0] === id)![rows[0]!.indexOf(c)]);
    expect(pick(agency, 'S01', '病种/分组', '病种/分组名称')).toEqual(['K35#surgery', 'K35 综合病种（相关手术）']);
    const agencyEn = csv('out-en/dip/city01-dip-2025-cases.csv');
    expect(pick(agencyEn, 'S01', 'group', 'group name')).toEqual([
      'K35#surgery',
      'K35 comprehensive (related surgery)',
    ]);
    expect(pick(csv('out/dip/city01-dip-2025-catalog.csv'), 'K35#surgery', '病种名称')).toEqual([
      'K35 综合病种（相关手术）',
    ]);
    expect(pick(csv('out-en/dip/city01-dip-2025-catalog.csv'), 'K35#surgery', 'name')).toEqual([
      'K35 comprehensive (related surgery)',
    ]);
    const groups = csv('out/dip/city01-dip-2025-groups.csv');
    const named = groups.find((r) => r[groups[0]!.indexOf('病种/分组')] === 'K35#surgery');
    expect(named?.[groups[0]!.indexOf('病种/分组名称')]).toBe('K35 综合病种（相关手术）');
    expect(pick(csv('h-en/hospital-cases.csv'), 'S01', 'DIP group', 'DIP group name')).toEqual([
      'K35#surgery',
      'K35 comprehensive (related surgery)',
    ]);
    const line = readFileSync(join(dir, 'out/dip/city01-dip-2025-cases.jsonl'), 'utf8').split('\n')[0]!;
    const first = JSON.parse(line);
    expect([first.group, first.groupName]).toEqual(['K35#surgery', 'K35 综合病种（相关手术）']);
    expect(first.basis.zh).toMatch(/^费用在正常区间/);
    expect(first.basis.clause).toContain('002 四(二)');
    // Every workbook written opens clean (the outside check).
    const check = await exec('python3', [
      join(REPO, '..', 'shared', 'tools', 'xlsx_check.py'),
      ...['out', 'out-en', 'h-zh', 'h-en'].map((d) => join(dir, d)),
    ]).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
    expect(check.stdout).toMatch(/^8 workbooks, 0 problems$/m);

    // H2's own view of its year reconciles with the run: no difference at all.
    const h2 = await yibao('hospital settle --published out/published --in h2-2025.csv --out h2');
    expect(h2.code, h2.out).toBe(0);
    const rec = await yibao('hospital reconcile --in h2/hospital-cases.csv --out rec');
    expect(rec.code, rec.out).toBe(0);
    expect(rec.out).toContain('一致 3');
  }, 300_000);
});
