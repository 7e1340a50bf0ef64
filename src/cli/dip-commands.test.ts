/** `yibao dip …` errors in the language asked for: en showed the English sentence then ` / ` and the Chinese one. */
import { describe, expect, it } from 'vitest';
import { DipError } from '../payment/dip/errors.ts';
import { CliError } from './context.ts';
import { asCli } from './dip-commands.ts';

const thrown = (lang: 'zh' | 'en') => {
  try {
    asCli(new DipError('CATALOG_FILE', '文件 c.xlsx 不完整', 'c.xlsx is truncated', 'c.xlsx'), lang);
  } catch (e) {
    return e;
  }
};

describe('dip command errors', () => {
  it('one sentence in the asked language, with its subject (zh, en)', () => {
    expect(thrown('zh')).toBeInstanceOf(CliError);
    expect((thrown('zh') as CliError).message).toBe('c.xlsx: 文件 c.xlsx 不完整');
    expect((thrown('en') as CliError).message).toBe('c.xlsx: c.xlsx is truncated');
  });
});
