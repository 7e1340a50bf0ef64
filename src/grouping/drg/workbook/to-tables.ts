/**
 * Exporter: a yibao DRG pack → the sheets of a scheme workbook (layout.ts), so that a scheme can be read and
 * edited in a spreadsheet (a region's local subdivision, 本地化细分组) and imported again. Pure. Importing the
 * sheets gives back the same pack, except `source` (see workbook.test.ts).
 */
import type { SheetToWrite } from '../../../tables/index.ts';
import { DrgPackError } from '../pack-error.ts';
import type { DrgCondition, DrgPack, DrgTerm } from '../pack-schema.ts';
import { formatCondition, type NamedList, unwritable } from './expression.ts';
import {
  EMPTY_NUMBER_WORDS,
  NO,
  NO_MATCH_WORDS,
  QY_WHEN_WORDS,
  SCHEME_ITEMS,
  SHEET,
  type SheetKey,
  SPLIT_WORDS,
  YES,
} from './layout.ts';

const header = (key: SheetKey): string[] => SHEET[key].columns.map((c) => c.names[0]!);

/**
 * What of a pack a workbook cannot hold (empty when the pack can be exported): conditions that an expression
 * cannot carry unchanged (two birth-weight or number terms on one field in one conjunction).
 */
export function workbookGaps(pack: DrgPack): string[] {
  const gaps: string[] = [];
  const scan = (where: string, c: DrgCondition) => {
    const why = unwritable(c);
    if (why) gaps.push(`${where}: ${why}`);
  };
  for (const [i, c] of pack.inputChecks.entries()) scan(`input check ${i + 1}`, c.when);
  for (const m of pack.mdcs) scan(`MDC ${m.mdc}`, m.entry);
  for (const a of pack.adrgs) scan(`ADRG ${a.adrg}`, a.rule);
  return gaps;
}

const yesNo = (v: boolean | undefined): string => (v === undefined ? '' : v ? YES[0] : NO[0]);

export function schemeTablesFromPack(pack: DrgPack): SheetToWrite[] {
  const gaps = workbookGaps(pack);
  if (gaps.length > 0) {
    throw new DrgPackError(
      'DRG_WORKBOOK_UNSUPPORTED',
      `${pack.scheme} ${pack.version}`,
      '',
      `分组方案表格不能原样表达：${gaps.join('; ')}（请使用数据包 JSON）`,
      `the scheme workbook layout cannot hold ${gaps.join('; ')} unchanged (use the pack JSON)`,
    );
  }
  const dxName = new Map(pack.diagnosisCodes);
  const procName = new Map(pack.procedureCodes);
  const nameOf = (code: string) => dxName.get(code) ?? procName.get(code) ?? '';
  const sheet = (key: SheetKey, rows: string[][]): SheetToWrite => ({
    name: SHEET[key].names[0]!,
    rows: [header(key), ...rows],
  });
  const mdcs = pack.mdcOrder.map((m) => pack.mdcs.find((x) => x.mdc === m)!);
  const adrgOf = new Map(pack.adrgs.map((a) => [a.adrg, a]));
  // The ADRG sheet keeps the pack's ADRG order when it agrees with every MDC's order (CHS-DRG 2.0 lists ADRGs
  // by code), so the pack reads back identical; otherwise ADRGs are written MDC by MDC.
  const inMdcOrder = mdcs.flatMap((m) => m.adrgOrder.map((a) => adrgOf.get(a)!));
  const adrgs = mdcs.every(
    (m) =>
      pack.adrgs
        .filter((a) => a.mdc === m.mdc)
        .map((a) => a.adrg)
        .join() === m.adrgOrder.join(),
  )
    ? pack.adrgs
    : inMdcOrder;
  const drgOf = new Map(pack.drgs.map((d) => [d.drg, d]));

  // Lists of MDC rows and input checks (CHS-DRG 2.0: MDC Y's and Z's codes, the gray and invalid codes).
  const conditionRows: string[][] = [];
  const ownLists = (owner: string, lists: readonly NamedList[]) => {
    for (const l of lists)
      for (const c of l.codes) conditionRows.push([owner, l.name, c, nameOf(c), l.regionOf?.get(c) ?? '']);
  };
  const checkRows = pack.inputChecks.map((c, i) => {
    const { text, lists } = formatCondition(c.when, { scope: 'check' });
    ownLists(`校验${i + 1}`, lists);
    return [c.status, text, c.label];
  });
  const mdcRows = mdcs.map((m) => {
    const { text, lists } = formatCondition(m.entry, { scope: 'mdc', regionsInMdcList: regionsInMdcList(m) });
    ownLists(`MDC${m.mdc}`, lists);
    return [
      `MDC${m.mdc}`,
      m.name,
      text,
      m.ambiguityCheck.enabled ? YES[0] : NO[0],
      m.ambiguityCheck.beforeAdrg ?? '',
      m.ambiguityCheck.returns,
      m.ambiguityCheck.when ? QY_WHEN_WORDS[m.ambiguityCheck.when][0] : '',
      m.onNoAdrgMatch ? NO_MATCH_WORDS[m.onNoAdrgMatch][0] : '',
      yesNo(m.medicalOnlyWithoutMainProc),
    ];
  });
  const cf = pack.caseFields;
  const sheets: SheetToWrite[] = [
    sheet('scheme', [
      [SCHEME_ITEMS.scheme, pack.scheme],
      [SCHEME_ITEMS.version, pack.version],
      [SCHEME_ITEMS.title, pack.title],
      [SCHEME_ITEMS.dxEdition, pack.codeEditions.diagnosis],
      [SCHEME_ITEMS.procEdition, pack.codeEditions.procedure],
      [SCHEME_ITEMS.source, JSON.stringify(pack.source)],
      [SCHEME_ITEMS.onNoAdrgMatch, NO_MATCH_WORDS[pack.onNoAdrgMatch][0]],
      ...(cf
        ? [
            [SCHEME_ITEMS.emptyNumbers, EMPTY_NUMBER_WORDS[cf.emptyNumbers][0]],
            [SCHEME_ITEMS.truncateNumbers, yesNo(cf.truncateNumbers)],
            [SCHEME_ITEMS.sexWords, yesNo(cf.sexWords)],
            [SCHEME_ITEMS.trimCodes, yesNo(cf.trimCodes)],
          ]
        : []),
    ]),
    sheet('checks', checkRows),
    sheet('mdc', mdcRows),
    sheet(
      'mdcDx',
      mdcs.flatMap((m) => {
        const region = new Map<string, string>();
        if (regionsInMdcList(m))
          for (const t of m.entry.all) if (t.kind === 'minDistinctTraumaRegions') regionsOf(t, region);
        return m.principalDx.map((c) => [`MDC${m.mdc}`, c, dxName.get(c) ?? '', region.get(c) ?? '']);
      }),
    ),
  ];
  const adrgRows: string[][] = [];
  const listRows: string[][] = [];
  for (const a of adrgs) {
    const { text, lists } = formatCondition(a.rule);
    adrgRows.push([a.adrg, a.name, `MDC${a.mdc}`, text, a.ruleLabel, yesNo(a.medical)]);
    for (const l of lists) for (const c of l.codes) listRows.push([a.adrg, l.name, c, nameOf(c)]);
  }
  const splitWord = (s: keyof typeof SPLIT_WORDS) => SPLIT_WORDS[s][0];
  sheets.push(
    sheet('adrg', adrgRows),
    sheet('adrgLists', listRows),
    sheet(
      'drg',
      adrgs.flatMap((a) =>
        a.drgOrder.map((d) => {
          const drg = drgOf.get(d)!;
          return [drg.drg, drg.name, drg.adrg, splitWord(drg.split)];
        }),
      ),
    ),
    sheet(
      'mcc',
      pack.severity.mcc.map(([c, t]) => [c, dxName.get(c) ?? '', t]),
    ),
    sheet(
      'cc',
      pack.severity.cc.map(([c, t]) => [c, dxName.get(c) ?? '', t]),
    ),
    sheet(
      'exclusion',
      pack.severity.principalExclusionTable.map(([c, t]) => [t, c, dxName.get(c) ?? '']),
    ),
    sheet(
      'orProcedures',
      pack.orProcedures.map((c) => [c, procName.get(c) ?? '']),
    ),
    ...(conditionRows.length > 0 ? [sheet('conditionLists', conditionRows)] : []),
    ...(pack.mainProcedureCleared
      ? [
          sheet(
            'clearedMainProc',
            pack.mainProcedureCleared.map((c) => [c, procName.get(c) ?? '']),
          ),
        ]
      : []),
    sheet(
      'dxCodes',
      pack.diagnosisCodes.map(([c, n]) => [c, n]),
    ),
    sheet(
      'procCodes',
      pack.procedureCodes.map(([c, n]) => [c, n]),
    ),
  );
  if (pack.codeMaps) {
    sheets.push(
      sheet(
        'dxMap',
        pack.codeMaps.diagnosis.map(([f, t]) => [f, t]),
      ),
      sheet(
        'procMap',
        pack.codeMaps.procedure.map(([f, t]) => [f, t]),
      ),
    );
  }
  return sheets;
}

/**
 * Whether an MDC's trauma regions are written in the 部位 column of its MDC主诊表 list (CHS-DRG 1.1: every region
 * code is in that list) rather than as a list of their own in 条件编码表 (CHS-DRG 2.0's MDC Z has no list).
 */
function regionsInMdcList(m: DrgPack['mdcs'][number]): boolean {
  const listed = new Set(m.principalDx);
  return m.entry.all.every(
    (t) =>
      t.kind !== 'minDistinctTraumaRegions' || Object.values(t.regions).every((cs) => cs.every((c) => listed.has(c))),
  );
}

function regionsOf(t: Extract<DrgTerm, { kind: 'minDistinctTraumaRegions' }>, out: Map<string, string>): void {
  for (const [name, codes] of Object.entries(t.regions)) for (const c of codes) out.set(c, name);
}
