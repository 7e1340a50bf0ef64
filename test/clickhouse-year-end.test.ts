/**
 * Correcting a stored year-end input on ClickHouse (chDB), as on DuckDB (issue 11 follow-up): `yibao --store chdb://…
 * ingest deductions FILE` compares the file with the stored year-end rows (re-ingest: already present), refuses a
 * corrected row without `--replace` (saying to use it) and with it replaces the stored row — one row per key, the
 * corrected amount read by settlement (R-DIP-6 审核扣款), the replaced key with old → new in the report.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.ts';
import { tempDir, toCsv, validCase } from '../src/ingest/testing.ts';
import { ClickHouseStore } from '../src/store/clickhouse/clickhouse-store.ts';

const tmp = tempDir('yibao-ch-year-end-');
afterAll(() => tmp.remove());
const loc = `chdb://${join(tmp.path, 'chdb')}?database=yearend`;

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
    out += String(c);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => {
    err += String(c);
    return true;
  });
  try {
    return { code: await main(['node', 'yibao', ...args]), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
    process.exitCode = undefined;
  }
}

const ingest = (kind: string, name: string, text: string, ...more: string[]) =>
  cli([
    '--store',
    loc,
    ...more,
    'ingest',
    kind,
    tmp.file(name, text),
    '--rejects',
    join(tmp.path, `${name}.rejects.csv`),
  ]);

describe('ClickHouse: a stored year-end row is corrected with --replace, as on DuckDB', () => {
  it('R-DIP-6 审核扣款 1000.00 → 800.00: re-ingest already present, refused without --replace, replaced with it', async () => {
    const inst = await ingest(
      'institutions',
      'inst.csv',
      'fixmedins_code,fixmedins_name,hosp_lv,inst_type,admdvs\nA,A 医院,3,general,1\n',
    );
    expect(inst.code, inst.err).toBe(0);
    const cases = await ingest('cases', 'cases.csv', toCsv([validCase({ setl_id: 'S1', fixmedins_code: 'A' })]));
    expect(cases.code, cases.err).toBe(0);
    const text = '医疗机构编码,期间,扣款金额,原因,依据\nA,2025,1000.00,重复收费,审核结论 第 3 号\n';
    const first = await ingest('deductions', 'd.csv', text);
    expect(first.code, first.err).toBe(0);
    const again = await ingest('deductions', 'd.csv', text);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toContain('读取 1 行 = 入库 0 + 拒收 0 + 已存在 1');
    const fixed = '医疗机构编码,期间,扣款金额,原因,依据\nA,2025,800.00,重复收费,审核结论 第 3 号\n';
    const refused = await ingest('deductions', 'd-fixed.csv', fixed);
    expect(refused.code).toBe(1);
    // the reason in words in zh (its code E_ALREADY_STORED_DIFFERENT is in the rejects file and the en text)
    expect(refused.out).toContain('已入库且内容不同');
    const refusedEn = await ingest('deductions', 'd-fixed.csv', fixed, '--lang', 'en', '--json');
    expect(refusedEn.code).toBe(1);
    expect(JSON.parse(refusedEn.out)).toMatchObject({ accepted: 0, rejected: 1, replaced: [] });
    const ok = await cli([
      '--store',
      loc,
      'ingest',
      'deductions',
      join(tmp.path, 'd-fixed.csv'),
      '--replace',
      '--rejects',
      join(tmp.path, 'x.csv'),
    ]);
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toContain('已替换已入库的 1 行（旧值 → 新值）');
    expect(ok.out).toMatch(/A\|2025\|重复收费（原由运行 \S+ 入库）：扣款金额 1000\.00 → 800\.00/);
    const ch = await ClickHouseStore.open(loc, { readOnly: true });
    try {
      const y = await ch.readYearEndInputs(2025);
      expect(y.deductions.map((d) => [d.institutionCode, d.period, d.amount])).toEqual([['A', '2025', 80_000]]);
    } finally {
      await ch.close();
    }
  }, 300_000);
});
