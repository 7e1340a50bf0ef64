/**
 * Row builders for per-unit sheets (病例结算明细, 人头结算明细) and the DRG hospital indicators. A unit row is the
 * neutral shape both a settled `UnitResult` and a stored run's unit row map to, so one table serves the pool
 * statements of a stored run and the capitation statements. Pure; units stream.
 */
import type { TraceStep } from '../model/explain.ts';
import type { UnitResult } from '../model/unit-result.ts';
import type { DrgIndicators } from '../payment/drg/indicators.ts';
import type { UnitIntField, UnitLinePart, UnitTextField } from '../store/settlement-runs.ts';
import { quote } from './csv.ts';
import { groupCodesIn, groupLabel, methodLabel, SETTLED_AMOUNT, statusLabel } from './labels.ts';
import type { InstitutionNames } from './settlement-rows.ts';
import {
  type Cell,
  type Column,
  cellText,
  col,
  jsonCell,
  type Lang,
  type Row,
  type StreamTable,
  type Table,
} from './table.ts';

export interface UnitRowView {
  unitId: string;
  institution: string;
  month: string;
  method: string;
  group: string | null;
  status: string;
  points: number | null;
  amountFen: number | null;
  billedFen: number;
  patientPaidFen: number;
  /** The basis of the unit's figure (its trace's last step), as `basisOf` encodes it; null when none. */
  basis: string | null;
  /** 病例结算金额 (fen) as the run stored it; null or absent when not stored (a blank cell). */
  settledFen?: number | null;
}

/**
 * Which columns a per-unit sheet has: `settled` — the 病例结算金额 column (default true; a run's pool statements);
 * `groupNames` — a 病种/分组名称 column beside the group code, the name of each group by its stored code (a DIP
 * group's catalog name or its codes' names from the code lists, a single disease's name); blank for a group it does
 * not hold. Without it the sheet has no name column.
 */
export interface UnitSheetOptions {
  settled?: boolean;
  groupNames?: ReadonlyMap<string, string>;
  /** The pool's case method: a DRG pool's group columns say 病组 (glossary), a DIP pool's 病种. */
  caseMethod?: 'dip' | 'drg';
}

/** A DRG pool's group columns: 病组/分组 and 病组/分组名称 (the DIP words 病种/分组 showed in a DRG region's sheets). */
const DRG_GROUP_HEADERS: Readonly<Record<string, string>> = { group: '病组/分组', groupName: '病组/分组名称' };

/** What a basis reads of a step: its words and clause (a whole step, or a head's last words without its figures). */
export type BasisWords = Pick<TraceStep, 'zh' | 'en' | 'clause'> & Partial<TraceStep>;

/** The last step of a trace, kept in both languages with its clause (stored in a run's unit rows). */
export function basisOf(last: BasisWords | undefined): string | null {
  if (!last) return null;
  return JSON.stringify({ zh: last.zh, en: last.en, ...(last.clause ? { clause: last.clause } : {}) });
}

/**
 * `basisOf` for one batch of units: many units of a batch share their last words (a province's heads of one
 * institution, a carve-out's units), so the text is made once per distinct step — looked up by the zh text, checked
 * on en and clause — and the memo lives as long as the batch (a unit whose last words are its own, a stop reason
 * naming the person, goes with it). Make one per batch; a run's units write millions of rows (issue 9).
 */
export function batchBasis(): (last: BasisWords | undefined) => string | null {
  const made = new Map<string, { en: string; clause: string | undefined; json: string }>();
  return (last) => {
    if (!last) return null;
    const hit = made.get(last.zh);
    if (hit && hit.en === last.en && hit.clause === last.clause) return hit.json;
    const json = basisOf(last)!;
    made.set(last.zh, { en: last.en, clause: last.clause, json });
    return json;
  };
}

/** A stored basis in the reader's language (a run stored before both languages were kept holds the zh text). */
export function basisText(stored: string, lang: Lang): string {
  let b: { zh: string; en: string; clause?: string } = { zh: stored, en: stored };
  if (stored.startsWith('{')) {
    try {
      b = JSON.parse(stored) as typeof b;
    } catch {
      // plain text of an older run
    }
  }
  const text = groupCodesIn(lang === 'zh' ? b.zh : b.en, lang);
  return b.clause ? `${text} [${b.clause}]` : text;
}

export function unitView(u: UnitResult, basis: (last: TraceStep | undefined) => string | null = basisOf): UnitRowView {
  return {
    unitId: u.unitId,
    institution: u.institutionCode,
    month: u.month,
    method: u.method,
    group: u.group ?? null,
    status: u.status,
    points: u.claim.kind === 'points' ? u.claim.points : null,
    amountFen: u.claim.amount ?? null,
    billedFen: u.billed,
    patientPaidFen: u.patientPaid,
    basis: basis(u.explanation.at(-1)),
  };
}

/** A batch of units as rows, its shared basis texts made once (`batchBasis`). */
export function unitViews(units: readonly UnitResult[]): UnitRowView[] {
  const basis = batchBasis();
  return units.map((u) => unitView(u, basis));
}

const UNIT_COLUMNS = [
  col('unitId', 'text', '结算ID', 'settlement id'),
  col('institution', 'text', '医疗机构编码', 'institution code'),
  col('name', 'text', '医疗机构名称', 'institution name'),
  col('month', 'text', '月份', 'month'),
  col('method', 'text', '支付方式', 'payment method', { label: methodLabel }),
  // the stable code (`K35#surgery`, `K35.8|47.0100`, `ES35`, `PSY`): the same in zh, en and JSON; its name beside it.
  // A capitation head's family-doctor contract is no group code: it stays in words (家庭医生签约).
  col('group', 'text', '病种/分组', 'group', { label: (v, lang) => (/[|#]/.test(v) ? v : groupLabel(v, lang)) }),
  // only with `groupNames` (unitColumns); its header is no alias of an input column (the group code is read by 病种/分组)
  col('groupName', 'text', '病种/分组名称', 'group name'),
  col('status', 'text', '病例类型', 'case type', { label: statusLabel }),
  col('points', 'points', '点数', 'points'),
  col('settled', 'money', ...SETTLED_AMOUNT),
  col('amount', 'money', '定额金额', 'fixed amount'),
  col('billed', 'money', '按项目费用', 'cost by items'),
  col('patientPaid', 'money', '患者负担', 'patient payments'),
  col('basis', 'text', '计算依据', 'basis', { label: basisText, json: 'embedded' }),
];

/**
 * The sheet's columns: without 病例结算金额 for units that have none (capitation heads, `caseAmountRounding: none`),
 * with 病种/分组名称 when the names are given.
 */
function unitColumns(o: UnitSheetOptions = {}): Column[] {
  return UNIT_COLUMNS.filter(
    (c) => !(c.key === 'settled' && o.settled === false) && !(c.key === 'groupName' && !o.groupNames),
  ).map((c) => (o.caseMethod === 'drg' && DRG_GROUP_HEADERS[c.key] ? { ...c, zh: DRG_GROUP_HEADERS[c.key]! } : c));
}

const NO_NAMES: ReadonlyMap<string, string> = new Map();

function unitRow(u: UnitRowView, names: InstitutionNames, groupNames: ReadonlyMap<string, string> = NO_NAMES): Row {
  return {
    unitId: u.unitId,
    institution: u.institution,
    name: names.get(u.institution) ?? '',
    month: u.month,
    method: u.method,
    group: u.group ?? '',
    groupName: u.group === null ? '' : (groupNames.get(u.group) ?? ''),
    status: u.status,
    points: u.points,
    settled: u.settledFen ?? null,
    amount: u.amountFen,
    billed: u.billedFen,
    patientPaid: u.patientPaidFen,
    basis: u.basis ?? '',
  };
}

/**
 * Where each column of the per-unit sheet comes from in a stored unit, as `unitRow` maps it: the field and the cell
 * value of a stored value. `perUnit`: a value per unit (the unit id), rendered by the store's own escaping rather
 * than looked up per distinct value.
 */
const UNIT_SOURCES: Record<
  string,
  | {
      field: UnitTextField;
      cell?: (v: string | null, names: InstitutionNames, groupNames: ReadonlyMap<string, string>) => Cell;
      perUnit?: true;
    }
  | { field: UnitIntField }
> = {
  unitId: { field: 'unitId', perUnit: true },
  institution: { field: 'institution' },
  name: { field: 'institution', cell: (v, names) => names.get(v ?? '') ?? '' },
  month: { field: 'month' },
  method: { field: 'method' },
  group: { field: 'group', cell: (v) => v ?? '' },
  groupName: { field: 'group', cell: (v, _names, groupNames) => (v === null ? '' : (groupNames.get(v) ?? '')) },
  status: { field: 'status' },
  points: { field: 'points' },
  settled: { field: 'settledFen' },
  amount: { field: 'amountFen' },
  billed: { field: 'billedFen' },
  patientPaid: { field: 'patientPaidFen' },
  basis: { field: 'basis', cell: (v) => v ?? '' },
};

const INT_FIELDS = new Set<string>(['points', 'amountFen', 'billedFen', 'patientPaidFen', 'settledFen']);

function linePart(
  c: Column,
  format: 'csv' | 'json',
  names: InstitutionNames,
  lang: Lang,
  groupNames: ReadonlyMap<string, string>,
): UnitLinePart {
  const source = UNIT_SOURCES[c.key];
  if (!source) throw new RangeError(`unit column ${c.key} has no stored source`);
  if (INT_FIELDS.has(source.field)) {
    const field = source.field as UnitIntField;
    const as = c.kind === 'points' ? 'points' : 'money';
    return format === 'csv' ? { field, as, quoted: false, null: '' } : { field, as, quoted: true, null: 'null' };
  }
  const s = source as {
    field: UnitTextField;
    cell?: (v: string | null, names: InstitutionNames, groupNames: ReadonlyMap<string, string>) => Cell;
    perUnit?: true;
  };
  if (s.perUnit && !c.label && !c.empty) return { field: s.field, as: format };
  const cell = (v: string | null): Cell => (s.cell ? s.cell(v, names, groupNames) : v);
  return {
    field: s.field,
    text: format === 'csv' ? (v) => quote(cellText(c, cell(v), lang)) : (v) => JSON.stringify(jsonCell(c, cell(v))),
  };
}

/**
 * The per-unit sheet's CSV line and JSON Lines line as parts a store renders itself
 * (`RunResultsReader.writeUnitLines`): the same text as `csvLine` and `jsonLine` give for `unitRowsStream`'s rows.
 */
export function unitLineParts(
  format: 'csv' | 'json',
  names: InstitutionNames,
  lang: Lang = 'zh',
  o: UnitSheetOptions = {},
): UnitLinePart[] {
  const parts: UnitLinePart[] = [];
  unitColumns(o).forEach((c, i) => {
    if (format === 'csv') {
      if (i > 0) parts.push({ literal: ',' });
    } else parts.push({ literal: `${i === 0 ? '{' : ','}${JSON.stringify(c.key)}:` });
    parts.push(linePart(c, format, names, lang, o.groupNames ?? NO_NAMES));
  });
  if (format === 'json') parts.push({ literal: '}' });
  return parts;
}

/** One row per unit: what it claimed and why, with the 合计 row of its figures. */
export function unitRowsTable(
  name: string,
  units: Iterable<UnitRowView>,
  names: InstitutionNames = new Map(),
  o: UnitSheetOptions = {},
): Table {
  return {
    name,
    zh: '病例结算明细',
    en: 'cases',
    total: 'unitId',
    columns: unitColumns(o),
    rows: (function* (): Generator<Row> {
      for (const u of units) yield unitRow(u, names, o.groupNames);
    })(),
  };
}

/** The per-unit sheet over units that stream in batches (a stored run's `run_units`, never all in memory). */
export function unitRowsStream(
  name: string,
  batches: AsyncIterable<readonly UnitRowView[]>,
  names: InstitutionNames = new Map(),
  o: UnitSheetOptions = {},
): StreamTable {
  return {
    name,
    zh: '病例结算明细',
    en: 'cases',
    total: 'unitId',
    columns: unitColumns(o),
    rows: (async function* (): AsyncGenerator<Row> {
      for await (const b of batches) for (const u of b) yield unitRow(u, names, o.groupNames);
    })(),
  };
}

/** DRG hospital indicators (DRG 绩效评价): DRG count, CMI, time/cost consumption, low-risk mortality. */
export function drgIndicatorTable(
  name: string,
  rows: readonly DrgIndicators[],
  by: 'institution' | 'department' = 'institution',
): Table {
  const r4 = (x: number) => x.toFixed(4);
  return {
    name,
    zh: by === 'institution' ? 'DRG 医院指标' : 'DRG 科室指标',
    en: by === 'institution' ? 'DRG institution indicators' : 'DRG department indicators',
    columns: [
      col('key', 'text', by === 'institution' ? '医疗机构' : '医疗机构/科室', by, {
        // cases without a department (出院科别) are one line per institution: "H1/" said in words
        label: (v, lang) => (v.endsWith('/') ? `${v}${lang === 'zh' ? '（未填出院科别）' : '(no department)'}` : v),
      }),
      col('cases', 'int', '病例数', 'cases'),
      col('groupedCases', 'int', '入组病例数', 'grouped cases'),
      col('drgCount', 'int', 'DRG 组数', 'DRGs'),
      col('cmi', 'decimal', 'CMI', 'CMI', { digits: 4 }),
      col('timeIndex', 'decimal', '时间消耗指数', 'time index', { digits: 4 }),
      col('costIndex', 'decimal', '费用消耗指数', 'cost index', { digits: 4 }),
      col('lowRiskCases', 'int', '低风险组病例', 'low-risk cases'),
      col('lowRiskDeaths', 'int', '低风险组死亡', 'low-risk deaths'),
      col('lowRiskMortality', 'decimal', '低风险组死亡率', 'low-risk mortality', { digits: 4 }),
    ],
    rows: rows.map((i) => ({
      key: i.key,
      cases: i.cases,
      groupedCases: i.groupedCases,
      drgCount: i.drgCount,
      cmi: r4(i.cmi),
      timeIndex: r4(i.timeIndex),
      costIndex: r4(i.costIndex),
      lowRiskCases: i.lowRiskCases,
      lowRiskDeaths: i.lowRiskDeaths,
      lowRiskMortality: i.lowRiskMortality === null ? null : r4(i.lowRiskMortality),
    })),
  };
}
