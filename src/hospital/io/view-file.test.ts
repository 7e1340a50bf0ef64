/**
 * `hospital reconcile --in VIEW.xlsx` on a file that is no readable workbook: a sentence naming the file in zh and
 * en (it stopped with "internal error: Error: Corrupted zip: can't find end of central directory" and a stack).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DipError } from '../../payment/dip/errors.ts';
import { readTableFile } from '../../payment/dip/io/catalog-file.ts';
import { HospitalError } from '../types.ts';
import { readHospitalView } from './reconcile-rows.ts';

const dir = mkdtempSync(join(tmpdir(), 'yibao-view-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('R-DATA-1 a hospital view workbook that cannot be read', () => {
  it('a truncated workbook: HospitalError VIEW_FILE naming the file, no library English in zh', async () => {
    const file = join(dir, 'view.xlsx');
    writeFileSync(file, Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]));
    const e = await readHospitalView(file).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(HospitalError);
    const h = e as HospitalError;
    expect([h.code, h.zh]).toEqual([
      'VIEW_FILE',
      '文件 view.xlsx 不完整（zip 压缩包缺少结尾），可能在下载或复制时中断；请重新取得完整的文件',
    ]);
    expect(h.en).toMatch(/^view\.xlsx is truncated \(its zip archive has no end\)/);
  });
});

describe('R-DATA-1 a DIP catalog workbook that cannot be read', () => {
  it('not a zip: DipError CATALOG_FILE naming the file, no library English in zh', async () => {
    const file = join(dir, 'catalog.xlsx');
    writeFileSync(file, 'dx,proc,score\nK35.8,,100\n');
    const e = await readTableFile(file).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(DipError);
    const d = e as DipError;
    expect([d.code, d.subject, d.zh]).toEqual([
      'CATALOG_FILE',
      file,
      '文件 catalog.xlsx 不是 XLSX 工作簿（XLSX 是 zip 压缩包，此文件不是）；若它是 CSV 等文本文件，请改用 .csv 扩展名',
    ]);
  });
});
