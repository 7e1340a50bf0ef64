/**
 * Exporter: a yibao DRG pack → the sheets of a scheme workbook (layout.ts), so that a scheme can be read and
 * edited in a spreadsheet (a region's local subdivision, 本地化细分组) and imported again. Pure. Importing the
 * sheets gives back the same pack, except `source` (see workbook.test.ts).
 */
import type { SheetToWrite } from '../../../tables/index.ts';
import { DrgPackError } from '../pack-error.ts';
import type { DrgCondition, DrgPack, DrgTerm } from '../pack-schema.ts';
import { formatCondition } from './expression.ts';
import { SCHEME_ITEMS, SHEET, type SheetKey, SPLIT_WORDS } from './layout.ts';

const header = (key: SheetKey): string[] => SHEET[key].columns.map((c) => c.names[0]!);

/** Rule terms and pack options the workbook layout has no words for yet (CHS-DRG 2.0's new shapes). */
const UNSUPPORTED_TERMS = new Set<DrgTerm['kind']>([
  'secondaryDxIn',
  'hasMainProc',
  'noMainProc',
  'numberIn',
  'fieldMalformed',
  'fieldGiven',
  'sexIsNot',
  'sexInvalid',
  'noDiagnosis',
  'anyOf',
]);

/** What of a pack a workbook cannot hold (empty when the pack can be exported). */
export function workbookGaps(pack: DrgPack): string[] {
  const gaps = new Set<string>();
  const scan = (c: DrgCondition) => {
    for (const t of c.all) if (UNSUPPORTED_TERMS.has(t.kind)) gaps.add(t.kind);
  };
  for (const c of pack.inputChecks) scan(c.when);
  for (const m of pack.mdcs) {
    scan(m.entry);
    if (m.onNoAdrgMatch !== undefined || m.medicalOnlyWithoutMainProc !== undefined || m.ambiguityCheck.when) {
      gaps.add('MDC options');
    }
  }
  for (const a of pack.adrgs) {
    scan(a.rule);
    if (a.medical !== undefined) gaps.add('ADRG medical flag');
  }
  if (pack.onNoAdrgMatch !== 'nextMdc') gaps.add('onNoAdrgMatch');
  if (pack.caseFields) gaps.add('caseFields');
  if (pack.mainProcedureCleared) gaps.add('mainProcedureCleared');
  return [...gaps];
}

export function schemeTablesFromPack(pack: DrgPack): SheetToWrite[] {
  const gaps = workbookGaps(pack);
  if (gaps.length > 0) {
    throw new DrgPackError(
      'DRG_WORKBOOK_UNSUPPORTED',
      `${pack.scheme} ${pack.version}`,
      '',
      `分组方案表格暂不能表达此方案的：${gaps.join(', ')}（请使用数据包 JSON）`,
      `the scheme workbook layout cannot yet hold this scheme's ${gaps.join(', ')} (use the pack JSON)`,
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
  const adrgs = mdcs.flatMap((m) => m.adrgOrder.map((a) => adrgOf.get(a)!));
  const drgOf = new Map(pack.drgs.map((d) => [d.drg, d]));

  const sheets: SheetToWrite[] = [
    sheet('scheme', [
      [SCHEME_ITEMS.scheme, pack.scheme],
      [SCHEME_ITEMS.version, pack.version],
      [SCHEME_ITEMS.title, pack.title],
      [SCHEME_ITEMS.dxEdition, pack.codeEditions.diagnosis],
      [SCHEME_ITEMS.procEdition, pack.codeEditions.procedure],
      [SCHEME_ITEMS.source, JSON.stringify(pack.source)],
    ]),
    sheet(
      'checks',
      pack.inputChecks.map((c) => [c.status, formatCondition(c.when).text, c.label]),
    ),
    sheet(
      'mdc',
      mdcs.map((m) => [
        `MDC${m.mdc}`,
        m.name,
        formatCondition(m.entry).text,
        m.ambiguityCheck.enabled ? '是' : '否',
        m.ambiguityCheck.beforeAdrg ?? '',
        m.ambiguityCheck.returns,
      ]),
    ),
    sheet(
      'mdcDx',
      mdcs.flatMap((m) => {
        const region = new Map<string, string>();
        for (const t of m.entry.all) if (t.kind === 'minDistinctTraumaRegions') regionsOf(t, region);
        return m.principalDx.map((c) => [`MDC${m.mdc}`, c, dxName.get(c) ?? '', region.get(c) ?? '']);
      }),
    ),
  ];
  const adrgRows: string[][] = [];
  const listRows: string[][] = [];
  for (const a of adrgs) {
    const { text, lists } = formatCondition(a.rule);
    adrgRows.push([a.adrg, a.name, `MDC${a.mdc}`, text, a.ruleLabel]);
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

function regionsOf(t: Extract<DrgTerm, { kind: 'minDistinctTraumaRegions' }>, out: Map<string, string>): void {
  for (const [name, codes] of Object.entries(t.regions)) for (const c of codes) out.set(c, name);
}
