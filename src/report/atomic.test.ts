// Atomic outputs (issue 10, R-DATA-2): files and statement folders appear whole or not at all.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../ingest/testing.ts';
import { writeDirAtomic, writeFileAtomic } from './atomic.ts';

const tmp = tempDir('yibao-atomic-');
afterAll(() => tmp.remove());

const writeSet = (names: string[], text: string) => async (dir: string) =>
  names.map((n) => {
    writeFileSync(join(dir, n), text);
    return join(dir, n);
  });

describe('atomic outputs (issue 10)', () => {
  it('a rerun replaces the set as a whole: no file of the earlier set survives beside the new one', async () => {
    const out = join(tmp.path, 'settle');
    await writeDirAtomic(out, writeSet(['dip.csv', 'capitation.csv'], 'old'));
    writeFileSync(join(out, 'catalog.json'), 'not ours'); // written by another command: kept
    const files = await writeDirAtomic(out, writeSet(['dip.csv'], 'new'));
    expect(files).toEqual([join(out, 'dip.csv')]);
    expect(readdirSync(out).sort()).toEqual(['.yibao-files', 'catalog.json', 'dip.csv']);
    expect(readFileSync(join(out, 'dip.csv'), 'utf8')).toBe('new');
    expect(readFileSync(join(out, 'catalog.json'), 'utf8')).toBe('not ours');
    expect(readdirSync(tmp.path).filter((n) => n.startsWith('settle.'))).toEqual([]);
  });

  it('a writer that fails leaves the previous set untouched and no temporary folder behind', async () => {
    const out = join(tmp.path, 'kept');
    await writeDirAtomic(out, writeSet(['a.csv'], 'v1'));
    const failing = async (dir: string) => {
      writeFileSync(join(dir, 'a.csv'), 'half');
      throw new Error('disk full');
    };
    await expect(writeDirAtomic(out, failing)).rejects.toThrow('disk full');
    expect(readFileSync(join(out, 'a.csv'), 'utf8')).toBe('v1');
    expect(readdirSync(tmp.path).filter((n) => n.startsWith('kept.'))).toEqual([]);
  });

  it('a file is renamed into place only when complete; a folder in its place is refused', async () => {
    const f = join(tmp.path, 'one.csv');
    writeFileSync(f, 'before');
    await expect(
      writeFileAtomic(f, (temp) => {
        writeFileSync(temp, 'par');
        throw new Error('killed');
      }),
    ).rejects.toThrow('killed');
    expect(readFileSync(f, 'utf8')).toBe('before');
    await writeFileAtomic(f, (temp) => writeFileSync(temp, 'after'));
    expect(readFileSync(f, 'utf8')).toBe('after');
    const dir = join(tmp.path, 'folder.csv');
    mkdirSync(dir);
    await expect(writeFileAtomic(dir, () => undefined)).rejects.toMatchObject({ code: 'EISDIR' });
  });

  it('never replaces the working folder or one above it', async () => {
    await expect(writeDirAtomic(process.cwd(), writeSet(['x.csv'], 'x'))).rejects.toMatchObject({
      code: 'E_OUT_CONTAINS_CWD',
    });
    expect(existsSync(join(process.cwd(), 'x.csv'))).toBe(false);
  });
});
