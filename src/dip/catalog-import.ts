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
 * must agree with it.
 */
import { parseDecimal, yuanToFen } from '../model/money.ts';
import { POINT_SCALE } from '../model/points.ts';
import {
  CATALOG_FORMAT,
  type Catalog,
  type CatalogGroup,
  catalogHash,
  comprehensiveGroupCode,
  coreGroupCode,
} from './catalog.ts';
import { normalizeCode, showDiagnosis, showProcedure } from './codes.ts';
import { DipError } from './errors.ts';
import {
  chapterClassifier,
  type ProcedureClassifier,
  TREATMENT_ORDER,
  type TreatmentType,
  treatmentRank,
} from './treatment.ts';

const HEADERS: Record<string, string[]> = {
  code: ['病种编码', '病种代码', 'code', 'group'],
  dx: ['主要诊断编码', '诊断编码', '主要诊断代码', 'dx', 'diagnosis'],
  name: ['病种名称', '主要诊断名称', 'name'],
  procedures: ['手术操作编码', '手术操作代码', '操作编码', 'procedures'],
  kind: ['病种类型', '目录类型', 'kind'],
  treatment: ['治疗方式', 'treatment'],
  score: ['分值', '病种分值', 'score'],
  primary: ['基层病种', 'primary'],
  cases: ['病例数', 'cases'],
  meanCost: ['次均费用', '次均费用(元)', 'meanCost'],
  cv: ['变异系数', 'cv'],
};

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
};

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
  if (!header) throw new DipError('CATALOG_EMPTY', '目录文件为空', 'the catalog file is empty', meta.file);
  const col: Record<string, number> = {};
  header.forEach((h, i) => {
    const t = h.trim();
    for (const [field, names] of Object.entries(HEADERS)) if (names.includes(t)) col[field] = i;
  });
  for (const required of ['dx', 'score']) {
    if (col[required] === undefined) {
      throw new DipError(
        'CATALOG_COLUMN',
        `缺少列「${HEADERS[required]![0]}」`,
        `missing column "${HEADERS[required]![0]}" (${required})`,
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
    if (row.every((c) => String(c ?? '').trim() === '')) return;
    const dxKey = normalizeCode(cell('dx'));
    if (dxKey.length < 3)
      throw new DipError('CATALOG_DX', '主要诊断编码无效', 'invalid principal diagnosis code', where('dx'));
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
      const t = TREATMENT_WORDS[cell('treatment')];
      if (!t) {
        throw new DipError(
          'CATALOG_TREATMENT',
          `综合病种需要治疗方式（${Object.keys(TREATMENT_WORDS).slice(0, 8).join('/')}）`,
          'a comprehensive group needs a treatment type (surgery/therapeutic/diagnostic/conservative)',
          where('treatment'),
        );
      }
      treatment = t;
    } else {
      treatment =
        procKeys.length === 0
          ? 'conservative'
          : TREATMENT_ORDER[Math.min(...procKeys.map((p) => treatmentRank(classify(p))))]!;
    }
    let score: number;
    try {
      const r = parseDecimal(cell('score'));
      const scaled = r.num * POINT_SCALE;
      if (scaled % r.den !== 0n || scaled < 0n) throw new Error('decimals');
      score = Number(scaled / r.den);
    } catch {
      throw new DipError(
        'CATALOG_SCORE',
        '分值应为不超过 4 位小数的非负数',
        'score must be a non-negative number with ≤ 4 decimals',
        where('score'),
      );
    }
    const dxShown = kind === 'core' ? showDiagnosis(dxKey.slice(0, 4)) : dxKey.slice(0, 3);
    const procsShown = kind === 'core' ? procKeys.map(showProcedure) : [];
    const code =
      kind === 'core' ? coreGroupCode(dxShown, procsShown) : comprehensiveGroupCode(dxKey.slice(0, 3), treatment);
    // A code in yibao's own form ("K35.8|47.0901", "K35#surgery") must agree; any other code is the
    // publisher's own (e.g. "DIP0001") and is kept as `officialCode`.
    const given = cell('code');
    if (given && /[|#]/.test(given) && given !== code) {
      throw new DipError(
        'CATALOG_CODE',
        `病种编码 ${given} 与诊断、手术操作推出的 ${code} 不一致`,
        `group code ${given} disagrees with ${code}`,
        where('code'),
      );
    }
    const prev = seen.get(code);
    if (prev !== undefined) {
      throw new DipError(
        'CATALOG_DUPLICATE',
        `病种 ${code} 与第 ${prev} 行重复`,
        `group ${code} duplicates row ${prev}`,
        where('dx'),
      );
    }
    seen.set(code, line);
    const cases = cell('cases');
    const mean = cell('meanCost');
    const cv = cell('cv');
    groups.push({
      code,
      kind,
      dx: dxShown,
      procedures: procsShown,
      treatment,
      ...(cell('name') ? { name: cell('name') } : {}),
      ...(given && !/[|#]/.test(given) ? { officialCode: given } : {}),
      score,
      cases: cases ? Number.parseInt(cases, 10) : 0,
      trimmedCases: cases ? Number.parseInt(cases, 10) : 0,
      meanCost: mean ? yuanToFen(mean) : 0,
      cv: cv ? Number(cv) : null,
      primaryCare: /^(是|1|y|yes|true|基层)$/i.test(cell('primary')),
      auxiliary: [],
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
