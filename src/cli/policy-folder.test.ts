/**
 * `yibao settle` says which policy folder it used, and names a folder `yibao init` wrote that it did not use with the
 * command that uses it: a new user ran `yibao init city01`, ingested, ran `yibao settle --year 2025` and was settled
 * by the demo policies shipped with yibao with nothing said (R-POL: one place decides which policy applies).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLED_POLICY_DIR } from '../policy/registry.ts';
import { asciiPunctuationInZh } from '../report/zh-punctuation.ts';
import { policyFolderNote, policyFolderText } from './policy-folder.ts';

function folderWithInit(): string {
  const cwd = mkdtempSync(join(tmpdir(), 'yibao-policy-folder-'));
  mkdirSync(join(cwd, 'policies-city01'));
  writeFileSync(join(cwd, 'policies-city01', 'payment-mix-2025.yaml'), 'kind: payment-mix\nregion: city01\n');
  writeFileSync(join(cwd, 'policies-city01', 'README.md'), '# city01\n');
  // Not a policy folder: no policy file in it.
  mkdirSync(join(cwd, 'policies-empty'));
  return cwd;
}

describe('the policy folder a settlement used, and the init folder it did not', () => {
  it('the shipped demo policies used beside policies-city01: both named, with the command that uses it (zh, en)', () => {
    const cwd = folderWithInit();
    const n = policyFolderNote({ used: BUNDLED_POLICY_DIR, region: 'demo', cwd, db: 'data/yibao.duckdb' });
    expect(n.bundled).toBe(true);
    expect(n.unused).toEqual([{ dir: 'policies-city01', regions: ['city01'] }]);
    const zh = policyFolderText(n, 2025, 'zh');
    expect(zh).toBe(
      `政策文件：${BUNDLED_POLICY_DIR}（yibao 自带的示范政策），地区 demo\n` +
        '  ! 未使用 policies-city01（yibao init 写出的政策文件夹，地区 city01）；按它结算：yibao settle --region city01 --year 2025 --policies policies-city01\n',
    );
    expect(asciiPunctuationInZh(zh)).toEqual([]);
    expect(policyFolderText(n, 2025, 'en')).toBe(
      `policies: ${BUNDLED_POLICY_DIR} (the demo policies shipped with yibao), region demo\n` +
        '  ! not used: policies-city01 (a policy folder written by yibao init, region city01); to settle by it: yibao settle --region city01 --year 2025 --policies policies-city01\n',
    );
  });

  it('the init folder used: only the folder and region are said', () => {
    const cwd = folderWithInit();
    const n = policyFolderNote({ used: 'policies-city01', region: 'city01', cwd, db: 'data/yibao.duckdb' });
    expect([n.bundled, n.unused]).toEqual([false, []]);
    expect(policyFolderText(n, 2025, 'zh')).toBe('政策文件：policies-city01，地区 city01\n');
  });

  it('a folder beside a store elsewhere (--db) is found, named by its full path', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'yibao-policy-cwd-'));
    const other = folderWithInit();
    const n = policyFolderNote({
      used: BUNDLED_POLICY_DIR,
      region: 'demo',
      cwd,
      db: join(other, 'data', 'yibao.duckdb'),
    });
    expect(n.unused).toEqual([{ dir: join(other, 'policies-city01'), regions: ['city01'] }]);
  });
});
