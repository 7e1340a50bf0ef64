/**
 * Import an official or local DIP catalog (病种分值目录库) from table rows instead of calibrating it — pure: rows
 * in, a versioned catalog out, every problem an error naming the row and column. (R-DIP-1, R-DIP-7)
 *
 * 002 四(二): "自治区建立统一的病种目录库，各统筹地区……在自治区病种目录库基础上，形成本地病种分值目录核心病种与综合病种库。"
 *
 * Columns (first row; Chinese or English headers, any order):
 *   主要诊断编码 dx (required) · 手术操作编码 procedures ("+", "/", "、", "," or ";" between codes; empty = 保守治疗)
 *   · 病种类型 kind (核心/综合, core/comprehensive; default core) · 治疗方式 treatment (comprehensive groups:
 *   手术/治疗性操作/诊断性操作/保守, surgery/therapeutic/diagnostic/conservative) · 分值 score (required, ≤ 4 decimals)
 *   · 病种名称 name · 基层病种 primary (是/否, 1/0, Y/N) · 病例数 cases · 次均费用 meanCost (yuan) · 变异系数 cv.
 * The group code is derived (core "K35.8|47.0901", comprehensive "K35#surgery"); a 病种编码 column, if present,
 * must agree with it — in yibao's form or as the statements spell it (`K35 综合病种（相关手术）`, `K35 comprehensive
 * (related surgery)`); any other code is the publisher's own. The catalog yibao writes (`catalogTable`, zh or en
 * headers, 辅助目录 `age:E65=1.1` or as the sheet words it) reads back as it was written.
 */

import {
  CATALOG_FORMAT,
  type Catalog,
  type CatalogGroup,
  catalogHash,
  comprehensiveGroupCode,
  coreGroupCode,
} from '../../grouping/dip/catalog.ts';
import { normalizeCode, showDiagnosis, showProcedure } from '../../grouping/dip/codes.ts';
import {
  chapterClassifier,
  groupCodeOf,
  type ProcedureClassifier,
  TREATMENT_WORDS as TREATMENT_LABELS,
  TREATMENT_ORDER,
  type TreatmentType,
  treatmentRank,
} from '../../grouping/dip/treatment.ts';
import { parseDecimal, yuanToFen } from '../../model/money.ts';
import { POINT_SCALE } from '../../model/points.ts';
import { DipError } from './errors.ts';

/** Header names by field, the first one Chinese and the second English (as messages name the column); any case. */
const HEADERS: Record<string, string[]> = {
  code: ['病种编码', 'code', '病种代码', 'group', 'group code'],
  dx: ['主要诊断编码', 'diagnosis', '诊断编码', '主要诊断代码', 'dx'],
  name: ['病种名称', 'name', '主要诊断名称', 'group name'],
  procedures: ['手术操作编码', 'procedures', '手术操作代码', '操作编码'],
  kind: ['病种类型', 'kind', '目录类型'],
  treatment: ['治疗方式', 'treatment'],
  score: ['分值', 'score', '病种分值'],
  primary: ['基层病种', 'primary care', 'primary'],
  cases: ['病例数', 'cases'],
  meanCost: ['次均费用', 'mean cost', '次均费用(元)', 'meanCost'],
  cv: ['变异系数', 'cv'],
  auxiliary: ['辅助目录', 'auxiliary'],
};

/** Treatment words: the specification's, and the statements' own in both languages (`TREATMENT_WORDS` of grouping). */
const TREATMENT_WORDS: Record<string, TreatmentType> = {
  手术: 'surgery',
  相关手术: 'surgery',
  相关手术组: 'surgery',
  介入: 'surgery',
  surgery: 'surgery',
  治疗性操作: 'therapeutic',
  治疗性操作组: 'therapeutic',
  therapeutic: 'therapeutic',
  诊断性操作: 'diagnostic',
  诊断性操作组: 'diagnostic',
  diagnostic: 'diagnostic',
  保守: 'conservative',
  保守治疗: 'conservative',
  内科: 'conservative',
  内科诊疗组: 'conservative',
  conservative: 'conservative',
  ...Object.fromEntries(
    (Object.entries(TREATMENT_LABELS) as [TreatmentType, [string, string]][]).flatMap(([t, [zh, en]]) => [
      [zh, t],
      [en, t],
    ]),
  ),
};

/** A treatment word in any case and spacing (`Related surgery`, `related  surgery`). */
function treatmentOf(text: string): TreatmentType | undefined {
  const key = text.trim().replace(/\s+/g, ' ');
  return TREATMENT_WORDS[key] ?? TREATMENT_WORDS[key.toLowerCase()];
}

const AUX_KINDS: Record<string, string> = { 年龄: 'age', age: 'age', 'ICU 天数': 'icu', 'ICU days': 'icu', icu: 'icu' };

/**
 * The auxiliary coefficients of a catalog row as `catalogTable` writes them: stored `age:E65=1.1000 death=1.2000`, or
 * in words `年龄 E65=1.1000；死亡病例=1.2000` / `age E65=1.1000; death=1.2000` (`auxiliaryLabel`); null when a part
 * is neither.
 */
function auxiliaryOf(text: string): CatalogGroup['auxiliary'] | null {
  const parts = text
    .split(/[；;]|\s(?=(?:age|icu|cci|death)[:=])/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const out: CatalogGroup['auxiliary'] = [];
  for (const p of parts) {
    const m =
      /^(?:(death|死亡病例)|(age|icu|cci):(\S+)|(年龄|age|ICU 天数|ICU days|CCI|cci) (\S+))=(\d+(?:\.\d+)?)$/.exec(p);
    if (!m) return null;
    const kind = m[2] ?? (m[4] ? (AUX_KINDS[m[4]] ?? 'cci') : undefined);
    out.push({ subtype: m[1] ? 'death' : `${kind}:${m[3] ?? m[5]}`, coefficient: m[6]!, cases: 0 });
  }
  return out;
}

export interface CatalogImportMeta {
  id: string;
  version: string;
  region: string;
  /** Score scale of the published catalog (100 or 1000). */
  scale: number;
  /** Reference point value for deviating cases, fen per point "num/den", if the catalog publishes one. */
  referencePointValue?: string;
  /** File name for error messages. */
  file: string;
  classify?: ProcedureClassifier;
}

/** Build a catalog from rows (the first row is the header). Cells are text; empty cells are "". */
export function importCatalogRows(rows: readonly (readonly string[])[], meta: CatalogImportMeta): Catalog {
  const [header, ...body] = rows;
  if (!header)
    throw new DipError(
      'CATALOG_EMPTY',
      `目录文件 ${meta.file} 为空`,
      `the catalog file ${meta.file} is empty`,
      meta.file,
    );
  const col: Record<string, number> = {};
  header.forEach((h, i) => {
    const t = h.trim().toLowerCase();
    for (const [field, names] of Object.entries(HEADERS))
      if (col[field] === undefined && names.some((n) => n.toLowerCase() === t)) col[field] = i;
  });
  for (const required of ['dx', 'score']) {
    if (col[required] === undefined) {
      const [zh, en] = HEADERS[required]!;
      throw new DipError(
        'CATALOG_COLUMN',
        `目录文件 ${meta.file} 第 1 行（表头）缺少列「${zh}」（或 ${en}）`,
        `the catalog file ${meta.file}, row 1 (the header), lacks the column "${en}" (or ${zh})`,
        `${meta.file}:1`,
      );
    }
  }
  const classify = meta.classify ?? chapterClassifier;
  const groups: CatalogGroup[] = [];
  const seen = new Map<string, number>();
  body.forEach((row, k) => {
    const line = k + 2;
    const cell = (f: string) => (col[f] === undefined ? '' : String(row[col[f]!] ?? '').trim());
    const where = (f: string) => `${meta.file}:${line}:${HEADERS[f]![0]}`;
    /** An error naming the file, the row, the column as the file heads it, what was expected and what it holds. */
    const fail = (code: string, f: string, zh: string, en: string): never => {
      const head = col[f] === undefined ? HEADERS[f]![0]! : String(header[col[f]!]).trim();
      const given = cell(f);
      throw new DipError(
        code,
        `目录文件 ${meta.file} 第 ${line} 行「${head}」：${zh}${given ? `，而该格为「${given}」` : '，而该格为空'}`,
        `the catalog file ${meta.file}, row ${line}, column "${head}": ${en}${given ? `, found "${given}"` : ', found an empty cell'}`,
        where(f),
      );
    };
    if (row.every((c) => String(c ?? '').trim() === '')) return;
    const dxKey = normalizeCode(cell('dx'));
    if (dxKey.length < 3)
      fail(
        'CATALOG_DX',
        'dx',
        '应为主要诊断编码（ICD-10 医保版，至少 3 位，如 K35.8）',
        'expected a principal diagnosis code (ICD-10, at least 3 characters, e.g. K35.8)',
      );
    const procKeys = [
      ...new Set(
        cell('procedures')
          .split(/[+/、,;，；\s]+/)
          .map(normalizeCode)
          .filter((p) => p.length > 0),
      ),
    ].sort();
    const kindText = cell('kind');
    const kind: 'core' | 'comprehensive' = /综合|comprehensive/i.test(kindText) ? 'comprehensive' : 'core';
    let treatment: TreatmentType;
    if (kind === 'comprehensive') {
      const t = treatmentOf(cell('treatment'));
      if (!t)
        fail(
          'CATALOG_TREATMENT',
          'treatment',
          `综合病种需要治疗方式：${TREATMENT_ORDER.map((x) => TREATMENT_LABELS[x][0]).join('、')}（或 ${TREATMENT_ORDER.join('/')}）`,
          `a comprehensive group needs a treatment type: ${TREATMENT_ORDER.map((x) => TREATMENT_LABELS[x][1]).join(', ')} (or ${TREATMENT_ORDER.join('/')})`,
        );
      treatment = t!;
    } else {
      treatment =
        procKeys.length === 0
          ? 'conservative'
          : TREATMENT_ORDER[Math.min(...procKeys.map((p) => treatmentRank(classify(p))))]!;
    }
    let score = 0;
    try {
      const r = parseDecimal(cell('score'));
      const scaled = r.num * POINT_SCALE;
      if (scaled % r.den !== 0n || scaled < 0n) throw new Error('decimals');
      score = Number(scaled / r.den);
    } catch {
      fail(
        'CATALOG_SCORE',
        'score',
        '分值应为不超过 4 位小数的非负数（如 1234.5678）',
        'expected a score, a non-negative number with at most 4 decimals (e.g. 1234.5678)',
      );
    }
    const dxShown = kind === 'core' ? showDiagnosis(dxKey.slice(0, 4)) : dxKey.slice(0, 3);
    const procsShown = kind === 'core' ? procKeys.map(showProcedure) : [];
    const code =
      kind === 'core' ? coreGroupCode(dxShown, procsShown) : comprehensiveGroupCode(dxKey.slice(0, 3), treatment);
    // A code in yibao's own form ("K35.8|47.0901", "K35#surgery") or as the statements spell it ("K35 综合病种（相关手术）",
    // "K35 comprehensive (related surgery)", "K35.8 + 47.0901") must agree; any other code is the publisher's own (e.g.
    // "DIP0001") and is kept as `officialCode`.
    const given = cell('code');
    const givenCode = given ? groupCodeOf(given) : '';
    const ours = /[|#]/.test(givenCode);
    if (ours && givenCode !== code)
      fail(
        'CATALOG_CODE',
        'code',
        `病种编码应与本行的诊断、手术操作（及病种类型、治疗方式）推出的 ${code} 一致`,
        `expected the group code ${code} that this row's diagnosis and procedures (and kind, treatment) give`,
      );
    const prev = seen.get(code);
    if (prev !== undefined)
      fail('CATALOG_DUPLICATE', 'dx', `病种 ${code} 与第 ${prev} 行重复`, `group ${code} duplicates row ${prev}`);
    seen.set(code, line);
    const count = (f: 'cases') => {
      const v = cell(f);
      if (v === '') return 0;
      if (!/^\d+$/.test(v)) fail('CATALOG_CASES', f, '应为非负整数', 'expected a whole number ≥ 0');
      return Number(v);
    };
    const cases = count('cases');
    let meanCost = 0;
    if (cell('meanCost') !== '') {
      try {
        meanCost = yuanToFen(cell('meanCost'));
      } catch {
        fail(
          'CATALOG_MEAN_COST',
          'meanCost',
          '应为金额（元，如 10000.00）',
          'expected an amount in yuan (e.g. 10000.00)',
        );
      }
    }
    const cv = cell('cv');
    if (cv !== '' && !/^\d+(\.\d+)?$/.test(cv))
      fail('CATALOG_CV', 'cv', '应为非负小数（如 0.3521）', 'expected a non-negative decimal (e.g. 0.3521)');
    const auxiliary = cell('auxiliary') === '' ? [] : auxiliaryOf(cell('auxiliary'));
    if (!auxiliary)
      fail(
        'CATALOG_AUXILIARY',
        'auxiliary',
        '应为辅助目录系数，如 age:E65=1.1000 death=1.2000 或 年龄 E65=1.1000；死亡病例=1.2000',
        'expected auxiliary coefficients such as age:E65=1.1000 death=1.2000 or age E65=1.1000; death=1.2000',
      );
    // A name that is only the group's code in words (the sheet's name of an unnamed group) is no name.
    const name = cell('name');
    const named = name !== '' && groupCodeOf(name) !== code;
    groups.push({
      code,
      kind,
      dx: dxShown,
      procedures: procsShown,
      treatment,
      ...(named ? { name } : {}),
      ...(given && !ours ? { officialCode: given } : {}),
      score,
      cases,
      trimmedCases: cases,
      meanCost,
      cv: cv ? Number(cv) : null,
      primaryCare: /^(是|1|y|yes|true|基层)$/i.test(cell('primary')),
      auxiliary: auxiliary!,
      flags: [],
    });
  });
  groups.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const body2: Omit<Catalog, 'hash' | 'version'> = {
    format: CATALOG_FORMAT,
    id: meta.id,
    region: meta.region,
    origin: 'imported',
    years: [],
    weights: [],
    scale: meta.scale,
    basisMeanCost: null,
    coefficientDecimals: 4,
    referencePointValue: meta.referencePointValue ?? null,
    institutionCoefficients: [],
    groups,
    warnings: [],
  };
  const hash = catalogHash(body2);
  return { ...body2, version: meta.version, hash };
}
