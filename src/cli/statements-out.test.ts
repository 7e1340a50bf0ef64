// Fault 6: settling DIP then DRG into the same --out replaced the DIP statements silently (the folder is written as
// a whole). An agency expects issued statements not to vanish: a rerun of the same region-year-method replaces its
// own and says so; another settlement's statements are refused without --force, and named either way.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDirAtomic } from '../report/atomic.ts';
import { CliError, EXIT } from './context.ts';
import { checkStatementsOut, otherRunFiles, replacedText, settlementsOf } from './statements-out.ts';

const tmp = mkdtempSync(join(tmpdir(), 'yibao-statements-out-'));
const out = join(tmp, 'out');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const DIP_FILES = ['dip/city01-dip-2025.xlsx', 'dip/city01-dip-2025-cases.csv', 'dip/institutions/H1.xlsx'];

beforeAll(async () => {
  // A DIP settlement's statements, written as settle writes them (one set, with its manifest).
  // The method's folder is itself a set (with its own manifest), as the statements writer makes it.
  await writeDirAtomic(out, async (dir) => [
    ...(await writeDirAtomic(join(dir, 'dip'), async (d) =>
      DIP_FILES.map((f) => {
        const path = join(d, f.slice('dip/'.length));
        mkdirSync(join(path, '..'), { recursive: true });
        writeFileSync(path, 'x');
        return path;
      }),
    )),
    ...['capitation/capitation-plan.csv'].map((f) => {
      mkdirSync(join(dir, f, '..'), { recursive: true });
      writeFileSync(join(dir, f), 'x');
      return join(dir, f);
    }),
  ]);
});

function refusal(f: () => unknown): CliError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CliError);
    return e as CliError;
  }
  throw new Error('expected a refusal');
}

describe('a settlement does not delete another settlement’s statements silently', () => {
  it('DRG into the folder of a DIP settlement: refused without --force (exit 2), naming the DIP files, in zh and en', () => {
    const zh = refusal(() =>
      checkStatementsOut(out, { region: 'city01', method: 'drg', year: 2025 }, false, { lang: 'zh' }),
    );
    expect(zh.exitCode).toBe(EXIT.usage);
    // What was found, why nothing was settled, the two ways on — as a zh user of settlement software reads it.
    expect(zh.message).toBe(
      `报表目录 ${out} 中已有 city01 2025 年 DIP 结算的报表：capitation/capitation-plan.csv、dip/city01-dip-2025-cases.csv、dip/city01-dip-2025.xlsx、dip/institutions/H1.xlsx。本次结算（city01 2025 年 DRG）写入该目录会删除这些报表，因此未结算。请用 --out 另选一个目录；确需替换这些报表，请加 --force`,
    );
    const en = refusal(() =>
      checkStatementsOut(out, { region: 'city01', method: 'drg', year: 2025 }, false, { lang: 'en' }),
    );
    expect(en.message).toBe(
      `the statements folder ${out} already holds the statements of the city01 2025 DIP settlement: capitation/capitation-plan.csv, dip/city01-dip-2025-cases.csv, dip/city01-dip-2025.xlsx, dip/institutions/H1.xlsx. Settling city01 2025 DRG into it would delete them, so nothing was settled. Give another --out, or add --force to replace them`,
    );
    expect(en.message).not.toMatch(/\p{Script=Han}/u);
  });

  it('the other settlement is named from its statements’ names; capitation files alone name none', () => {
    expect(settlementsOf(DIP_FILES, 'zh')).toEqual(['city01 2025 年 DIP']);
    expect(settlementsOf(['drg/a-b-drg-2024-cases.csv', ...DIP_FILES], 'en')).toEqual([
      'a-b 2024 DRG',
      'city01 2025 DIP',
    ]);
    expect(settlementsOf(['capitation/capitation-plan.csv', 'dip/institutions/H1.xlsx'], 'zh')).toEqual([]);
  });

  it('another year or region of the same method is another settlement too, with its institutions’ workbooks', () => {
    // institutions/H1.xlsx of 2025 would be overwritten by 2026's H1.xlsx: it is the 2025 settlement's file (it was
    // counted as the new settlement's own and replaced without a word).
    expect(otherRunFiles(DIP_FILES, { region: 'city01', method: 'dip', year: 2026 })).toEqual(DIP_FILES);
    expect(otherRunFiles(DIP_FILES, { region: 'city02', method: 'dip', year: 2025 })).toEqual(DIP_FILES);
    expect(otherRunFiles(DIP_FILES, { region: 'city01', method: 'dip', year: 2025 })).toEqual([]);
  });

  it('the folder published for the hospitals (published/) is its settlement’s: replaced by the same, kept from another', () => {
    // walk6: settling the same region and year again into its own out folder was refused, naming published/README.md.
    const withPublished = [...DIP_FILES, 'published/published.yaml', 'published/catalog.json'];
    expect(otherRunFiles(withPublished, { region: 'city01', method: 'dip', year: 2025 })).toEqual([]);
    expect(otherRunFiles(withPublished, { region: 'city01', method: 'dip', year: 2026 })).toEqual(withPublished);
    expect(otherRunFiles(withPublished, { region: 'city01', method: 'drg', year: 2025 })).toEqual(withPublished);
  });

  it('the same region, method and year again: replaced, and the output names how many files', () => {
    const r = checkStatementsOut(out, { region: 'city01', method: 'dip', year: 2025 }, false, { lang: 'zh' });
    expect(r.other).toEqual([]);
    expect(r.previous).toHaveLength(4);
    expect(replacedText(out, r, 'zh')).toBe(
      `  ! 已替换 ${out} 中上一次结算写的 4 个报表文件（上一次的结算运行仍在存储中，见 yibao runs --settlements）\n`,
    );
    expect(replacedText(out, r, 'en')).toContain('replaced the 4 statement files an earlier settlement wrote');
  });

  it('with --force another settlement’s statements go, and the output names them', () => {
    const r = checkStatementsOut(out, { region: 'city01', method: 'drg', year: 2025 }, true, { lang: 'zh' });
    expect(r.other).toHaveLength(4);
    expect(replacedText(out, r, 'zh')).toBe(
      `  ! 已删除 ${out} 中另一次结算的报表（--force）：capitation/capitation-plan.csv、dip/city01-dip-2025-cases.csv、dip/city01-dip-2025.xlsx、dip/institutions/H1.xlsx\n`,
    );
  });

  it('an empty or new folder, or one yibao did not write: nothing to say', () => {
    const fresh = checkStatementsOut(join(tmp, 'none'), { region: 'c', method: 'dip', year: 2025 }, false, {
      lang: 'zh',
    });
    expect(fresh).toEqual({ previous: [], other: [] });
    expect(replacedText('x', fresh, 'zh')).toBe('');
  });
});
