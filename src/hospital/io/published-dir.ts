/**
 * Reading a published parameter set (公布的付费参数) from a folder: the `published` policy file, the region's `dip` or
 * `drg` policy file, an optional `qc` file (numbers for the before-care prompts), and the tables the published file
 * names (DIP catalog; DRG scheme and weights). The thin I/O shell around the pure hospital engines: everything is
 * read and validated here, once, into `HospitalParams`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CATALOG_FORMAT, type Catalog } from '../../grouping/dip/catalog.ts';
import { openDrgKernel } from '../../grouping/drg/index.ts';
import { DRG_PACK_NAMES } from '../../grouping/drg/pack-names.ts';
import type { Institution } from '../../model/institution.ts';
import { ratio } from '../../model/money.ts';
import { DipEngine } from '../../payment/dip/engine.ts';
import { readCatalogFile } from '../../payment/dip/io/catalog-file.ts';
import { pricingFromPolicy } from '../../payment/drg/policy.ts';
import { importWeights } from '../../payment/drg/weights-import.ts';
import { buildRateTable, perDiemPolicyInPool } from '../../payment/per-diem/index.ts';
import { buildStandards } from '../../payment/single-disease/index.ts';
import { dipKind } from '../../policy/kinds/dip.ts';
import { drgKind } from '../../policy/kinds/drg.ts';
import { POLICY_KINDS } from '../../policy/kinds/index.ts';
import { perDiemKind } from '../../policy/kinds/per-diem.ts';
import { publishedKind } from '../../policy/kinds/published.ts';
import { qcKind } from '../../policy/kinds/qc.ts';
import { singleDiseaseKind } from '../../policy/kinds/single-disease.ts';
import { loadPolicyFile } from '../../policy/loader.ts';
import { PolicySet, resolveFile } from '../../policy/registry.ts';
import type { HospitalCarveOuts } from '../estimate-carve-out.ts';
import type { PromptSettings } from '../prompts.ts';
import { HospitalError, type HospitalParams, type HospitalPointValue } from '../types.ts';
import { readGroupMeansFile } from './group-means-file.ts';

export interface PublishedSet {
  params: HospitalParams;
  region: string;
  /** Policy ids used, for the report. */
  policies: string[];
}

function missing(what: string, file: string): never {
  throw new HospitalError(
    'PUBLISHED_INCOMPLETE',
    `公布参数 ${file} 缺少 ${what}`,
    `the published parameters ${file} lack ${what}`,
  );
}

const TABLE_WORDS = {
  catalog: ['病种分值目录', 'the DIP catalog'],
  groupMeans: ['同级别病种次均费用', 'the same-level group means'],
  weights: ['权重表（drg,rw）', 'the weights table (drg,rw)'],
  scheme: ['分组方案', 'the grouping scheme'],
} as const;

/** A table the published file names, relative to its folder; when it is not there, the file, the key and what to do. */
function tableFile(base: string, given: string, key: keyof typeof TABLE_WORDS, pubFile: string): string {
  const path = resolve(base, given);
  if (existsSync(path)) return path;
  const [zh, en] = TABLE_WORDS[key];
  const scheme = key === 'scheme';
  throw new HospitalError(
    'PUBLISHED_TABLE_MISSING',
    `公布参数 ${pubFile} 的 tables.${key}（${zh}）写的是 ${given}，按该文件所在目录 ${base} 找不到 ${path}：${scheme ? '写分组方案名称 chs-drg-2.0 或 chs-drg-1.1，或' : ''}把${zh}放入该目录并写文件名，或写它的完整路径`,
    `the published parameters ${pubFile} give tables.${key} (${en}) as ${given}, which from that file's folder ${base} is ${path}, not found: ${scheme ? 'write a scheme name, chs-drg-2.0 or chs-drg-1.1, or ' : ''}put ${en} in that folder and write its file name, or write its full path`,
  );
}

/** The grouping scheme: a name (chs-drg-1.1, chs-drg-2.0) or a pack / reference folder / workbook beside the file. */
function schemeOf(given: string, base: string, pubFile: string): string {
  if (Object.hasOwn(DRG_PACK_NAMES, given.toLowerCase()) && !existsSync(resolve(base, given))) return given;
  return tableFile(base, given, 'scheme', pubFile);
}

/**
 * The per-bed-day and single-disease policies of the region in the folder (R-PAY-BEDDAY, R-PAY-DISEASE), built as
 * the agency's run applies them: the per-bed-day rates of the policy's table (a calibrated rate needs the agency's
 * history: said, with what to publish) in the pool of the published method, the single-disease standards the
 * catalog gives by level (an entry without one is reported ungrouped, as the run does with a gap).
 */
function publishedCarveOuts(
  set: PolicySet,
  files: readonly { kind: string; region: string; file: string }[],
  region: string,
  date: string,
  method: 'dip' | 'drg',
  institutions: readonly Institution[],
): { carveOuts: HospitalCarveOuts; ids: string[] } | null {
  const has = (kind: string) => files.some((f) => f.kind === kind && f.region === region);
  const carveOuts: HospitalCarveOuts = {};
  const ids: string[] = [];
  if (has(perDiemKind.kind)) {
    const pd = set.resolve(perDiemKind, region, date);
    if (pd.values.rates.value.method !== 'table')
      throw new HospitalError(
        'PUBLISHED_INCOMPLETE',
        `公布参数 ${pd.file} 的按床日付费标准由经办按历史病例测算（rates.method 不是 table）：请把经办公布的床日标准写成 rates: { value: { method: table, table: [...] } }`,
        `the per-bed-day rates of ${pd.file} are calibrated by the agency from past stays (rates.method is not table): write the rates the agency published as rates: { value: { method: table, table: [...] } }`,
      );
    const policy = perDiemPolicyInPool(pd.values, method);
    carveOuts.perDiem = { policy, rates: buildRateTable(policy, [], institutions).table, id: pd.id };
    ids.push(pd.id);
  }
  if (has(singleDiseaseKind.kind)) {
    const sd = set.resolve(singleDiseaseKind, region, date);
    carveOuts.singleDisease = {
      policy: sd.values,
      standards: buildStandards(sd.values, [], institutions).table,
      id: sd.id,
    };
    ids.push(sd.id);
  }
  return ids.length > 0 ? { carveOuts, ids } : null;
}

/** A catalog JSON as yibao writes it (`format: yibao-dip-catalog/1`); anything else names the file and what it expected. */
function catalogJson(path: string): Catalog {
  let c: Partial<Catalog> | undefined;
  try {
    c = JSON.parse(readFileSync(path, 'utf8')) as Partial<Catalog>;
  } catch {
    c = undefined;
  }
  if (!c || c.format !== CATALOG_FORMAT || !Array.isArray(c.groups))
    throw new HospitalError(
      'PUBLISHED_CATALOG_INVALID',
      `病种分值目录 ${path} 不是 yibao 写出的目录 JSON（应有 "format": "${CATALOG_FORMAT}" 与 groups）：请用经办机构发布的 catalog.json，或改用 CSV/XLSX 目录`,
      `the DIP catalog ${path} is not a catalog JSON written by yibao (expected "format": "${CATALOG_FORMAT}" and groups): use the catalog.json the agency published, or a CSV/XLSX catalog`,
    );
  return c as Catalog;
}

/** Load the set in `dir` as in force on `date` (ISO). */
export async function loadPublishedDir(dir: string, date: string): Promise<PublishedSet> {
  const files = readdirSync(dir)
    .filter((n) => /\.ya?ml$/i.test(n))
    .sort()
    .map((n) => loadPolicyFile(join(dir, n), POLICY_KINDS));
  const set = new PolicySet(files);
  const pubFiles = files.filter((f) => f.kind === publishedKind.kind);
  if (pubFiles.length === 0) missing('kind: published 的政策文件 / a policy file of kind published', dir);
  const region = pubFiles[0]!.region;
  const pub = set.resolve(publishedKind, region, date);
  const v = pub.values;
  const base = dirname(resolve(pub.file));
  const institutions = new Map<string, Institution>(
    v.institutions.value.map((i) => [
      i.code,
      {
        code: i.code,
        name: i.name,
        level: i.level,
        // the type a per-bed-day rate is set by (精神专科医院, 康复医院…); without it, general (primary at 基层)
        type: i.type ?? (i.level === 'primary' ? 'primary' : 'general'),
        county: '',
      },
    ]),
  );
  const pvValue = v.pointValue.value;
  const pointValue: HospitalPointValue | null =
    pvValue === 'none'
      ? null
      : {
          value: ratio(pvValue.yuanPerPoint.num * 100n, pvValue.yuanPerPoint.den),
          basis: pvValue.basis,
          source: v.pointValue.source,
        };
  const qcFile = files.find((f) => f.kind === qcKind.kind && f.region === region);
  // A QC file of another region (copied from the agency's own folder) would be skipped without a word, and the
  // prompts would miss its checks: say which file and what to write.
  const otherQc = files.find((f) => f.kind === qcKind.kind && f.region !== region);
  if (!qcFile && otherQc) {
    throw new HospitalError(
      'PUBLISHED_INCOMPLETE',
      `公布参数的质控文件 ${otherQc.file} 属于地区 ${otherQc.region}，而公布参数（${pub.file}）属于地区 ${region}：把其中的 region: ${otherQc.region} 改为 region: ${region}`,
      `the QC file ${otherQc.file} is of region ${otherQc.region}, the published parameters (${pub.file}) of region ${region}: change its region: ${otherQc.region} to region: ${region}`,
    );
  }
  let prompts: PromptSettings = {};
  if (qcFile) {
    const q = resolveFile(qcFile, qcKind, date).values;
    prompts = {
      losToleranceDays: q.losToleranceDays.value,
      maxLosDays: q.maxLosDays.value,
      maxAgeYears: q.maxAgeYears.value,
      ...(q.ageToleranceYears ? { ageToleranceYears: q.ageToleranceYears.value } : {}),
    };
  }
  const low = v.lowRiskGroups.value;
  const fpr = v.fundPaymentRatio.value;
  const common = {
    institutions,
    ...(fpr === 'patient-paid' ? {} : { fundPaymentRatio: { value: fpr, source: v.fundPaymentRatio.source } }),
    prompts,
    ...(low === 'computed' ? {} : { lowRiskGroups: { groups: new Set(low), source: v.lowRiskGroups.source } }),
    source: { id: pub.id, version: pub.version, title: pub.title },
  };
  const carveOuts = publishedCarveOuts(set, files, region, date, v.method.value, [...institutions.values()]);
  if (carveOuts) Object.assign(common, { carveOuts: carveOuts.carveOuts });
  const carveOutIds = carveOuts?.ids ?? [];
  const tables = v.tables.value;
  if (v.method.value === 'dip') {
    const dip = set.resolve(dipKind, region, date);
    if (!tables.catalog) missing('tables.catalog（病种分值目录）/ tables.catalog', pub.file);
    if (!pointValue) missing('pointValue（点值）/ pointValue', pub.file);
    const path = tableFile(base, tables.catalog, 'catalog', pub.file);
    const catalog: Catalog = /\.json$/i.test(path)
      ? catalogJson(path)
      : await readCatalogFile(path, {
          id: `${region}-published`,
          version: pub.version,
          region,
          scale: dip.values.scoreScale.value,
        });
    const rpv = dip.values.referencePointValue.value;
    const published = v.referencePointValue?.value;
    // The reference value for deviating cases: the policy's number, else the one published beside the point value
    // (the agency's run's opening value), else the catalog's, else the point value given.
    const referencePointValue =
      rpv !== 'opening'
        ? ratio(rpv.num * 100n, rpv.den)
        : published
          ? ratio(published.num * 100n, published.den)
          : catalog.referencePointValue
            ? undefined
            : pointValue.value;
    // Under `deviationStandard: group-mean-cost` the agency judged its cases by the previous year's same-level means.
    const meansFile = tables.groupMeans ? tableFile(base, tables.groupMeans, 'groupMeans', pub.file) : undefined;
    const groupMeans = meansFile ? readGroupMeansFile(meansFile) : undefined;
    const engine = new DipEngine({
      catalog,
      policy: dip.values,
      institutions: [...institutions.values()],
      ...(referencePointValue ? { referencePointValue } : {}),
      ...(groupMeans ? { groupMeans } : {}),
    });
    return {
      params: { ...common, pricing: { method: 'dip', engine, pointValue } },
      region,
      policies: [pub.id, dip.id, ...carveOutIds, ...(qcFile ? [qcFile.id] : [])],
    };
  }
  const drg = set.resolve(drgKind, region, date);
  if (!tables.scheme) missing('tables.scheme（分组方案）/ tables.scheme', pub.file);
  if (!tables.weights) missing('tables.weights（权重表 drg,rw）/ tables.weights', pub.file);
  if (tables.referenceBaseRate === undefined) missing('tables.referenceBaseRate（参考费率）', pub.file);
  const kernel = await openDrgKernel(schemeOf(tables.scheme, base, pub.file));
  const weightsFile = tableFile(base, tables.weights, 'weights', pub.file);
  const imported = importWeights(
    readFileSync(weightsFile, 'utf8'),
    tables.referenceBaseRate,
    `${weightsFile} (${v.tables.source})`,
    new Set(kernel.core.drgCodes),
  );
  if (imported.rejected.length > 0) {
    const r = imported.rejected[0]!;
    throw new HospitalError(
      'WEIGHTS_INVALID',
      `权重表 ${weightsFile} 第 ${r.line} 行无法读取：${r.reason}`,
      `weights ${weightsFile} line ${r.line}: ${r.reason}`,
    );
  }
  const pricing = pricingFromPolicy(drg.values);
  if (pricing.mode === 'points' && !pointValue) missing('pointValue（点数法需要点值）/ pointValue', pub.file);
  return {
    params: { ...common, pricing: { method: 'drg', kernel, table: imported.table, pricing, pointValue } },
    region,
    policies: [pub.id, drg.id, ...carveOutIds, ...(qcFile ? [qcFile.id] : [])],
  };
}
