/**
 * Published DRG weights named by the DRG policy (`weights: { method: file, file, referenceBaseRate }`): the file is
 * read here, at the edge, relative to the policy file, and parsed by `importWeights`; the engine only sees the
 * table. A file with unreadable rows is an error listing them; codes the grouping pack does not know are reported.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { importWeights, type WeightImport } from '../payment/drg/index.ts';
import { drgKind } from '../policy/kinds/drg.ts';
import type { PolicySet } from '../policy/registry.ts';
import { SettlementError } from '../settlement/errors.ts';

export function policyDrgWeights(
  policies: PolicySet,
  region: string,
  year: number,
  knownDrgs?: ReadonlySet<string>,
): WeightImport | undefined {
  const resolved = policies.resolve(drgKind, region, `${year}-01-01`);
  const w = resolved.values.weights;
  if (w.value.method !== 'file') return undefined;
  const path = isAbsolute(w.value.file) ? w.value.file : resolve(dirname(resolved.file), w.value.file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new SettlementError(
      'DRG_WEIGHTS_MISSING',
      `DRG 政策 ${resolved.file} 指定的权重文件 ${path} 不存在：请把公布的权重表（两列 drg,rw）放在该处，或把 weights 改为 { method: calibrate } 按本地历史测算`,
      `the weights file ${path} named by the DRG policy ${resolved.file} does not exist: put the published table (columns drg,rw) there, or set weights to { method: calibrate } to calibrate from history`,
      path,
    );
  }
  const imported = importWeights(text, w.value.referenceBaseRate, `${path} (${w.source})`, knownDrgs);
  if (imported.rejected.length > 0) {
    const rows = imported.rejected
      .slice(0, 5)
      .map((r) => `${r.line}: ${r.reason}`)
      .join('; ');
    throw new SettlementError(
      'DRG_WEIGHTS_INVALID',
      `权重文件 ${path} 有 ${imported.rejected.length} 行无法读取（行号: 原因）：${rows}`,
      `the weights file ${path} has ${imported.rejected.length} unreadable row(s) (line: reason): ${rows}`,
      path,
    );
  }
  return imported;
}
