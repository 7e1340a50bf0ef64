/**
 * Validation of a grouping-scheme pack: the shape (zod) and the references between its parts (every ADRG is
 * called by exactly one MDC, every DRG by exactly one ADRG, …). Anything that would make grouping depend on an
 * accident of order is an error; facts worth knowing but harmless (codes missing from the code lists, list
 * entries that can never be reached) are returned as warnings.
 */
import type { z } from 'zod';
import { DrgPackError } from './pack-error.ts';
import { type DrgCondition, type DrgPack, type DrgTerm, drgPackSchema } from './pack-schema.ts';

/** At most 31 MDCs, regions or procedure categories: each is one bit of a 32-bit mask in the kernel. */
export const MAX_MASK_BITS = 31;

export interface DrgPackWarning {
  code: 'UNKNOWN_DX_CODE' | 'UNKNOWN_PROC_CODE' | 'UNREACHABLE_DX' | 'LAST_DRG_CONDITIONAL';
  where: string;
  zh: string;
  en: string;
}

/** Parse and validate a pack document; throws `DrgPackError` naming the file and the field. */
export function parseDrgPack(raw: unknown, file: string): DrgPack {
  const parsed = drgPackSchema.safeParse(raw);
  if (!parsed.success) throw fromZod(parsed.error, file);
  checkReferences(parsed.data, file);
  return parsed.data;
}

function fromZod(error: z.ZodError, file: string): DrgPackError {
  const issue = error.issues[0]!;
  const where = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  const keys = issue.code === 'unrecognized_keys' ? ` "${issue.keys.join('", "')}"` : '';
  return new DrgPackError(
    'DRG_PACK_INVALID',
    file,
    where.replace(/^\./, ''),
    `数据包格式不符：${issue.message}${keys}`,
    `invalid pack: ${issue.message}${keys}`,
  );
}

function checkReferences(pack: DrgPack, file: string): void {
  const fail = (where: string, zh: string, en: string): never => {
    throw new DrgPackError('DRG_PACK_INCONSISTENT', file, where, zh, en);
  };
  const missing = (where: string, zh: string, en: string) =>
    new DrgPackError('DRG_PACK_INCONSISTENT', file, where, zh, en);
  const mdcLetters = new Set<string>();
  pack.mdcs.forEach((m, i) => {
    if (mdcLetters.has(m.mdc)) fail(`mdcs[${i}]`, `MDC ${m.mdc} 重复`, `MDC ${m.mdc} is defined twice`);
    mdcLetters.add(m.mdc);
  });
  if (pack.mdcs.length > MAX_MASK_BITS) fail('mdcs', `MDC 多于 ${MAX_MASK_BITS} 个`, `more than 31 MDCs`);
  const ordered = new Set(pack.mdcOrder);
  if (ordered.size !== pack.mdcOrder.length || ordered.size !== mdcLetters.size) {
    fail('mdcOrder', 'MDC 顺序须恰好列出每个 MDC 一次', 'mdcOrder must list every MDC exactly once');
  }
  for (const m of pack.mdcOrder) if (!mdcLetters.has(m)) fail('mdcOrder', `未定义的 MDC ${m}`, `unknown MDC ${m}`);

  const adrgs = new Map(pack.adrgs.map((a, i) => [a.adrg, i]));
  if (adrgs.size !== pack.adrgs.length) fail('adrgs', 'ADRG 编码重复', 'duplicate ADRG code');
  const calledBy = new Map<string, string>();
  pack.mdcs.forEach((m, i) => {
    m.adrgOrder.forEach((code, j) => {
      const at = `mdcs[${i}].adrgOrder[${j}]`;
      const k = adrgs.get(code);
      if (k === undefined) throw missing(at, `未定义的 ADRG ${code}`, `unknown ADRG ${code}`);
      if (pack.adrgs[k]!.mdc !== m.mdc) fail(at, `ADRG ${code} 不属于 MDC ${m.mdc}`, `ADRG ${code} is not in ${m.mdc}`);
      if (calledBy.has(code)) fail(at, `ADRG ${code} 被调用两次`, `ADRG ${code} is called twice`);
      calledBy.set(code, m.mdc);
    });
    const qy = m.ambiguityCheck.beforeAdrg;
    if (qy !== null && !m.adrgOrder.includes(qy)) {
      fail(`mdcs[${i}].ambiguityCheck.beforeAdrg`, `${qy} 不在该 MDC 的 ADRG 顺序中`, `${qy} is not in adrgOrder`);
    }
    if (m.ambiguityCheck.enabled && qy === null && (m.ambiguityCheck.when ?? 'beforeAdrg') === 'beforeAdrg') {
      fail(`mdcs[${i}].ambiguityCheck`, '启用歧义检查须给出位置', 'an enabled ambiguity check needs beforeAdrg');
    }
    checkCondition(m.entry, `mdcs[${i}].entry`, true, fail);
    if (m.entry.all.some((t) => t.kind === 'principalDxInMdcList') && m.principalDx.length === 0) {
      fail(`mdcs[${i}].principalDx`, '入组条件引用了空的主诊断表', 'entry uses an empty principal-diagnosis list');
    }
  });
  pack.adrgs.forEach((a, i) => {
    if (!calledBy.has(a.adrg))
      fail(`adrgs[${i}]`, `ADRG ${a.adrg} 未被任何 MDC 调用`, `ADRG ${a.adrg} is never called`);
    checkCondition(a.rule, `adrgs[${i}].rule`, false, fail);
  });
  pack.inputChecks.forEach((c, i) => {
    checkCondition(c.when, `inputChecks[${i}].when`, false, fail);
  });

  const drgs = new Map(pack.drgs.map((d, i) => [d.drg, i]));
  if (drgs.size !== pack.drgs.length) fail('drgs', 'DRG 编码重复', 'duplicate DRG code');
  const drgCalled = new Set<string>();
  pack.adrgs.forEach((a, i) => {
    a.drgOrder.forEach((code, j) => {
      const at = `adrgs[${i}].drgOrder[${j}]`;
      const k = drgs.get(code);
      if (k === undefined) throw missing(at, `未定义的 DRG ${code}`, `unknown DRG ${code}`);
      if (pack.drgs[k]!.adrg !== a.adrg) fail(at, `DRG ${code} 不属于 ${a.adrg}`, `DRG ${code} is not in ${a.adrg}`);
      if (drgCalled.has(code)) fail(at, `DRG ${code} 被调用两次`, `DRG ${code} is called twice`);
      drgCalled.add(code);
    });
  });
  pack.drgs.forEach((d, i) => {
    if (!drgCalled.has(d.drg)) fail(`drgs[${i}]`, `DRG ${d.drg} 未被任何 ADRG 调用`, `DRG ${d.drg} is never called`);
  });
}

function checkCondition(
  c: DrgCondition,
  at: string,
  isMdcEntry: boolean,
  fail: (where: string, zh: string, en: string) => never,
): void {
  c.all.forEach((t, i) => {
    const where = `${at}.all[${i}]`;
    if (t.kind === 'anyOf') {
      t.anyOf.forEach((alt, j) => {
        checkCondition(alt, `${where}.anyOf[${j}]`, false, fail);
      });
    }
    if (t.kind === 'principalDxInMdcList' && !isMdcEntry) {
      fail(where, 'principalDxInMdcList 只能用于 MDC 入组条件', 'principalDxInMdcList is only valid in an MDC entry');
    }
    if (t.kind === 'minDistinctTraumaRegions') {
      const n = Object.keys(t.regions).length;
      if (n > MAX_MASK_BITS) fail(where, `部位多于 ${MAX_MASK_BITS} 个`, `more than 31 regions`);
      if (t.min > n) fail(where, `min 大于部位数 ${n}`, `min exceeds the ${n} regions`);
    }
    if (t.kind === 'procCategoryCombination') {
      const cats = Object.keys(t.categories);
      if (cats.length > MAX_MASK_BITS) fail(where, `手术表多于 ${MAX_MASK_BITS} 个`, 'more than 31 categories');
      for (const alt of t.anyOf) {
        for (const k of alt) if (!cats.includes(k)) fail(where, `未定义的手术表 ${k}`, `unknown category ${k}`);
      }
    }
  });
}

/** Every term of a condition, those nested in `anyOf` alternatives included (depth first). */
export function conditionTerms(c: DrgCondition): DrgTerm[] {
  const out: DrgTerm[] = [];
  const walk = (x: DrgCondition) => {
    for (const t of x.all) {
      out.push(t);
      if (t.kind === 'anyOf') for (const alt of t.anyOf) walk(alt);
    }
  };
  walk(c);
  return out;
}

/** Codes a term refers to, by kind of code (not those of nested alternatives: see `conditionTerms`). */
export function termCodes(t: DrgTerm): { dx: readonly string[]; proc: readonly string[] } {
  switch (t.kind) {
    case 'principalDxIn':
    case 'anyDxIn':
    case 'secondaryDxIn':
      return { dx: t.codes, proc: [] };
    case 'mainProcIn':
    case 'anyProcIn':
      return { dx: [], proc: t.codes };
    case 'minDistinctTraumaRegions':
      return { dx: Object.values(t.regions).flat(), proc: [] };
    case 'procCategoryCombination':
      return { dx: [], proc: Object.values(t.categories).flat() };
    default:
      return { dx: [], proc: [] };
  }
}

/** Harmless oddities of a valid pack, for `drg import` to report. */
export function drgPackWarnings(pack: DrgPack): DrgPackWarning[] {
  const out: DrgPackWarning[] = [];
  const knownDx = new Set(pack.diagnosisCodes.map(([c]) => c));
  const knownProc = new Set(pack.procedureCodes.map(([c]) => c));
  const unknown = (list: readonly string[], known: ReadonlySet<string>, kind: 'DX' | 'PROC', where: string) => {
    const missing = [...new Set(list.filter((c) => !known.has(c)))];
    if (missing.length === 0) return;
    const shown = missing.slice(0, 5).join(', ') + (missing.length > 5 ? ', …' : '');
    out.push({
      code: kind === 'DX' ? 'UNKNOWN_DX_CODE' : 'UNKNOWN_PROC_CODE',
      where,
      zh: `${missing.length} 个编码不在${kind === 'DX' ? '诊断' : '手术'}编码表中：${shown}`,
      en: `${missing.length} code(s) not in the ${kind === 'DX' ? 'diagnosis' : 'procedure'} code list: ${shown}`,
    });
  };
  const scan = (c: DrgCondition, at: string) =>
    c.all.forEach((t, i) => {
      const { dx, proc } = termCodes(t);
      unknown(dx, knownDx, 'DX', `${at}.all[${i}]`);
      unknown(proc, knownProc, 'PROC', `${at}.all[${i}]`);
      if (t.kind === 'anyOf') {
        t.anyOf.forEach((alt, j) => {
          scan(alt, `${at}.all[${i}].anyOf[${j}]`);
        });
      }
    });
  pack.mdcs.forEach((m, i) => {
    unknown(m.principalDx, knownDx, 'DX', `mdcs[${i}].principalDx`);
    scan(m.entry, `mdcs[${i}].entry`);
  });
  const mdcList = new Map(pack.mdcs.map((m) => [m.mdc, m]));
  pack.adrgs.forEach((a, i) => {
    scan(a.rule, `adrgs[${i}].rule`);
    const mdc = mdcList.get(a.mdc)!;
    if (!mdc.entry.all.some((t) => t.kind === 'principalDxInMdcList')) return;
    const inMdc = new Set(mdc.principalDx);
    for (const t of a.rule.all) {
      if (t.kind !== 'principalDxIn') continue;
      const dead = t.codes.filter((c) => !inMdc.has(c));
      if (dead.length === 0) continue;
      out.push({
        code: 'UNREACHABLE_DX',
        where: `adrgs[${i}] (${a.adrg})`,
        zh: `${dead.length} 个主诊断不在 MDC ${a.mdc} 的主诊断表中，永远不会经此 ADRG 入组`,
        en: `${dead.length} principal diagnoses are not in MDC ${a.mdc}'s list and can never match here`,
      });
    }
    const last = a.drgOrder[a.drgOrder.length - 1]!;
    const lastDrg = pack.drgs.find((d) => d.drg === last);
    if (lastDrg && lastDrg.split !== 'always') {
      out.push({
        code: 'LAST_DRG_CONDITIONAL',
        where: `adrgs[${i}] (${a.adrg})`,
        zh: `最后一个 DRG ${last} 有条件，未满足时结果为 ADRG 编码 ${a.adrg}`,
        en: `the last DRG ${last} is conditional; when no DRG holds the result is the bare ADRG ${a.adrg}`,
      });
    }
  });
  unknown(pack.orProcedures, knownProc, 'PROC', 'orProcedures');
  unknown(
    pack.severity.principalExclusionTable.map(([c]) => c),
    knownDx,
    'DX',
    'severity.principalExclusionTable',
  );
  unknown(
    pack.severity.mcc.map(([c]) => c),
    knownDx,
    'DX',
    'severity.mcc',
  );
  unknown(
    pack.severity.cc.map(([c]) => c),
    knownDx,
    'DX',
    'severity.cc',
  );
  return out;
}
