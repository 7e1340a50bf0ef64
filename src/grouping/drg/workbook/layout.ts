/**
 * The layout of a CHS-DRG scheme workbook (分组方案表格): its sheets and columns, each with the names people
 * give them. The importer finds a sheet or column by any of its names (spaces, full-width brackets and letter
 * case ignored); the exporter writes the first. Columns not listed here (序号, 备注 …) are ignored.
 *
 * A CSV folder holds the same sheets as one file each, named `<sheet>.csv` (UTF-8 or GB18030).
 */

export interface ColumnSpec {
  key: string;
  /** The names this column goes by; the first is the one the exporter writes. */
  names: readonly string[];
  required: boolean;
  /** A diagnosis or procedure code: a number cell here is an error (Excel drops trailing zeros: 51.2100 → 51.21). */
  code?: boolean;
}

export interface SheetSpec {
  key: SheetKey;
  names: readonly string[];
  required: boolean;
  zh: string;
  en: string;
  columns: readonly ColumnSpec[];
}

export type SheetKey =
  | 'scheme'
  | 'checks'
  | 'mdc'
  | 'mdcDx'
  | 'adrg'
  | 'adrgLists'
  | 'adrgDxList'
  | 'adrgProcList'
  | 'drg'
  | 'mcc'
  | 'cc'
  | 'exclusion'
  | 'orProcedures'
  | 'conditionLists'
  | 'clearedMainProc'
  | 'dxCodes'
  | 'procCodes'
  | 'dxMap'
  | 'procMap';

const col = (key: string, names: string[], required = true, code = false): ColumnSpec => ({
  key,
  names,
  required,
  code,
});

const DX_CODE = ['诊断编码', '编码', '疾病编码', '主要诊断编码', 'ICD-10编码', 'ICD编码', '代码'];
const DX_NAME = ['诊断名称', '名称', '疾病名称'];
const PROC_CODE = ['手术编码', '编码', '手术操作编码', 'ICD-9-CM-3编码', '代码'];
const PROC_NAME = ['手术名称', '名称', '手术操作名称'];
const TABLE_ID = ['排除表', '排除表号', '排除表编号', '排除表ID'];

export const SHEETS: readonly SheetSpec[] = [
  {
    key: 'scheme',
    names: ['方案', '方案信息', 'scheme'],
    required: true,
    zh: '方案信息：项目 / 内容（方案、版本、名称、诊断编码版本、手术编码版本、来源）',
    en: 'scheme facts: item / value (方案, 版本, 名称, 诊断编码版本, 手术编码版本, 来源)',
    columns: [col('item', ['项目', '字段']), col('value', ['内容', '值'], false)],
  },
  {
    key: 'checks',
    names: ['输入校验', '校验'],
    required: false,
    zh: '分组前的输入校验（缺省为 CHS-DRG 的两条：性别为空；新生儿无出生体重）',
    en: 'input checks before grouping (default: the two CHS-DRG checks)',
    columns: [col('status', ['状态']), col('condition', ['条件']), col('label', ['说明'], false)],
  },
  {
    key: 'mdc',
    names: ['MDC', 'MDC列表', '主要诊断大类'],
    required: true,
    zh: 'MDC，按尝试顺序排列',
    en: 'MDCs in the order they are tried',
    columns: [
      col('mdc', ['MDC', 'MDC编码', 'MDC代码']),
      col('name', ['名称', 'MDC名称']),
      col('condition', ['入组条件', '条件'], false),
      col('qyEnabled', ['歧义检查'], false),
      col('qyBefore', ['歧义检查位置'], false),
      col('qyReturns', ['歧义组'], false),
      col('qyWhen', ['歧义检查时机'], false),
      col('onNoMatch', ['未入组时'], false),
      col('medicalOnly', ['无主要手术时仅内科ADRG'], false),
    ],
  },
  {
    key: 'mdcDx',
    names: ['MDC主诊表', 'MDC诊断表', 'MDC主要诊断表'],
    required: true,
    zh: '每个 MDC 的主要诊断表（MDCZ 的“部位”列给出创伤部位）',
    en: "each MDC's principal-diagnosis list (部位: MDC Z's body regions)",
    columns: [
      col('mdc', ['MDC', 'MDC编码', 'MDC代码']),
      col('code', DX_CODE, true, true),
      col('name', DX_NAME, false),
      col('region', ['部位', '创伤部位'], false),
    ],
  },
  {
    key: 'adrg',
    names: ['ADRG', 'ADRG列表', '核心疾病诊断相关组'],
    required: true,
    zh: 'ADRG，每个 MDC 内按尝试顺序排列（MDC 缺省为 ADRG 编码首字母）',
    en: "ADRGs, in the order they are tried within each MDC (MDC default: the ADRG code's first letter)",
    columns: [
      col('adrg', ['ADRG', 'ADRG编码', 'ADRG代码']),
      col('name', ['名称', 'ADRG名称']),
      col('mdc', ['MDC', 'MDC编码', 'MDC代码'], false),
      col('condition', ['入组条件', '条件'], false),
      col('label', ['规则说明', '入组规则说明'], false),
      col('medical', ['内科ADRG', '内科'], false),
    ],
  },
  {
    key: 'adrgLists',
    names: ['ADRG入组条件', '入组条件', 'ADRG入组表', 'ADRG编码表'],
    required: false,
    zh: 'ADRG 入组条件所用的编码列表：ADRG / 列表 / 编码；或无“列表”列、以标题行分段（如“包含以下主要诊断”）',
    en: 'the code lists ADRG conditions read: ADRG / list / code; or, without a 列表 column, sections under heading rows',
    // Cells are checked by the importer, which knows which layout the sheet uses.
    columns: [
      col('adrg', ['ADRG', 'ADRG编码', 'ADRG代码'], false),
      col('list', ['列表', '列表名称', '条件列表'], false),
      col('code', ['编码', '诊断或手术编码', '代码'], true, true),
      col('name', ['名称'], false),
    ],
  },
  {
    key: 'adrgDxList',
    names: ['ADRG主要诊断表', '诊断ADRG', 'ADRG诊断表'],
    required: false,
    zh: '各 ADRG 的主要诊断表（即 ADRG入组条件 中名为“主要诊断”的列表）',
    en: "each ADRG's principal-diagnosis list (the list 主要诊断 of ADRG入组条件)",
    columns: [
      col('adrg', ['ADRG', 'ADRG编码', 'ADRG代码']),
      col('code', DX_CODE, true, true),
      col('name', DX_NAME, false),
    ],
  },
  {
    key: 'adrgProcList',
    names: ['ADRG主要手术表', '手术ADRG', 'ADRG手术表'],
    required: false,
    zh: '各 ADRG 的主要手术表（即 ADRG入组条件 中名为“主要手术”的列表）',
    en: "each ADRG's main-procedure list (the list 主要手术 of ADRG入组条件)",
    columns: [
      col('adrg', ['ADRG', 'ADRG编码', 'ADRG代码']),
      col('code', PROC_CODE, true, true),
      col('name', PROC_NAME, false),
    ],
  },
  {
    key: 'drg',
    names: ['DRG', 'DRG组', 'DRG列表', '细分组'],
    required: true,
    zh: 'DRG，每个 ADRG 内按尝试顺序排列',
    en: 'DRGs, in the order they are tried within each ADRG',
    columns: [
      col('drg', ['DRG', 'DRG编码', 'DRG代码']),
      col('name', ['名称', 'DRG名称']),
      col('adrg', ['ADRG', 'ADRG编码', 'ADRG代码']),
      col('split', ['细分条件', '并发症条件'], false),
    ],
  },
  {
    key: 'mcc',
    names: ['MCC', 'MCC表', '严重并发症或合并症'],
    required: true,
    zh: '严重并发症或合并症（MCC）及其排除表',
    en: 'major complications or comorbidities (MCC) with their exclusion table',
    columns: [col('code', DX_CODE, true, true), col('name', DX_NAME, false), col('table', TABLE_ID)],
  },
  {
    key: 'cc',
    names: ['CC', 'CC表', '并发症或合并症'],
    required: true,
    zh: '一般并发症或合并症（CC）及其排除表',
    en: 'complications or comorbidities (CC) with their exclusion table',
    columns: [col('code', DX_CODE, true, true), col('name', DX_NAME, false), col('table', TABLE_ID)],
  },
  {
    key: 'exclusion',
    names: ['排除表', 'CC排除表', '主要诊断排除表'],
    required: true,
    zh: '排除表：主要诊断所属的排除表',
    en: 'exclusion tables: the table each principal diagnosis belongs to',
    columns: [col('table', TABLE_ID), col('code', DX_CODE, true, true), col('name', DX_NAME, false)],
  },
  {
    key: 'orProcedures',
    names: ['手术室手术', '有效手术', '手术室手术表'],
    required: true,
    zh: '手术室手术（“存在手术”所指的手术）',
    en: 'operating-room procedures',
    columns: [col('code', PROC_CODE, true, true), col('name', PROC_NAME, false)],
  },
  {
    key: 'conditionLists',
    names: ['条件编码表', '条件列表'],
    required: false,
    zh: 'MDC 行与输入校验的入组条件所用的编码列表：对象（MDCY、校验8）/ 列表 / 编码 / 部位',
    en: 'the code lists MDC rows and input checks read: owner (MDCY, 校验8) / list / code / region',
    columns: [
      col('owner', ['对象']),
      col('list', ['列表', '列表名称']),
      col('code', ['编码', '诊断或手术编码', '代码'], true, true),
      col('name', ['名称'], false),
      col('region', ['部位', '创伤部位'], false),
    ],
  },
  {
    key: 'clearedMainProc',
    names: ['不能作为主要手术', '清空的主要手术'],
    required: false,
    zh: '不能作为主要手术的编码：在主要手术位置时清空该位置（后一手术不前移）',
    en: 'codes not allowed as main procedure: the main-procedure slot is cleared (the next is not promoted)',
    columns: [col('code', PROC_CODE, true, true), col('name', PROC_NAME, false)],
  },
  {
    key: 'dxCodes',
    names: ['诊断编码', '诊断编码表', 'ICD-10'],
    required: false,
    zh: '方案使用的全部诊断编码及名称（缺省：工作簿中出现的诊断编码）',
    en: 'every diagnosis code of the scheme (default: those the workbook uses)',
    columns: [col('code', DX_CODE, true, true), col('name', DX_NAME, false)],
  },
  {
    key: 'procCodes',
    names: ['手术编码', '手术操作编码', '手术编码表', 'ICD-9-CM-3'],
    required: false,
    zh: '方案使用的全部手术操作编码及名称（缺省：工作簿中出现的手术编码）',
    en: 'every procedure code of the scheme (default: those the workbook uses)',
    columns: [col('code', PROC_CODE, true, true), col('name', PROC_NAME, false)],
  },
  {
    key: 'dxMap',
    names: ['诊断编码对照', '诊断对照'],
    required: false,
    zh: '来院编码 → 分组编码（诊断）',
    en: 'incoming → grouper diagnosis codes',
    columns: [col('from', ['原编码', '来源编码'], true, true), col('to', ['分组器编码', '分组编码'], true, true)],
  },
  {
    key: 'procMap',
    names: ['手术编码对照', '手术对照'],
    required: false,
    zh: '来院编码 → 分组编码（手术操作）',
    en: 'incoming → grouper procedure codes',
    columns: [col('from', ['原编码', '来源编码'], true, true), col('to', ['分组器编码', '分组编码'], true, true)],
  },
];

export const SHEET: Readonly<Record<SheetKey, SheetSpec>> = Object.fromEntries(SHEETS.map((s) => [s.key, s])) as Record<
  SheetKey,
  SheetSpec
>;

/** Names compare without spaces, with half-width brackets and upper-case letters. */
export function normaliseName(name: string): string {
  return name.replace(/\s+/g, '').replace(/（/g, '(').replace(/）/g, ')').toUpperCase();
}

/** Items of the 方案 sheet. */
export const SCHEME_ITEMS = {
  scheme: '方案',
  version: '版本',
  title: '名称',
  dxEdition: '诊断编码版本',
  procEdition: '手术编码版本',
  source: '来源',
  onNoAdrgMatch: '未入组时',
  emptyNumbers: '空数值',
  truncateNumbers: '数值取整',
  sexWords: '性别汉字',
  trimCodes: '编码去空格',
} as const;

/** Yes / no cells (the first of each is what the exporter writes). */
export const YES = ['是', '1'] as const;
export const NO = ['否', '0'] as const;

/** 未入组时: what follows when an entered MDC has no matching ADRG (pack or MDC `onNoAdrgMatch`). */
export const NO_MATCH_WORDS = { nextMdc: ['转下一MDC', '下一MDC'], fail: ['未入组', '停止'] } as const;

/** 歧义检查时机 (MDC `ambiguityCheck.when`). */
export const QY_WHEN_WORDS = {
  beforeAdrg: ['歧义检查位置之前'],
  medicalAdrgWithMainProc: ['内科ADRG且有主要手术'],
} as const;

/** 空数值 (`caseFields.emptyNumbers`): an empty number counts as 0, or is not given. */
export const EMPTY_NUMBER_WORDS = { zero: ['按0'], notGiven: ['未填写'] } as const;

/** Words of the DRG sheet's 细分条件 column (the first of each is what the exporter writes). */
export const SPLIT_WORDS = {
  mcc: ['伴严重并发症或合并症', 'MCC'],
  mccOrCc: ['伴并发症或合并症', '伴一般并发症或合并症', 'MCC或CC', 'CC'],
  always: ['无条件', '不细分', '未作区分', '不伴并发症或合并症', '不伴'],
} as const;

/**
 * CHS-DRG's naming rule for the fourth character of a DRG code, used when 细分条件 is blank: 1 伴严重并发症或
 * 合并症, 3 伴一般并发症或合并症, 5 不伴并发症或合并症, 9 未作区分. (7, 死亡或转院, tests the discharge and
 * has no condition in the pack format, so it must not be left to the default.)
 */
export const SPLIT_OF_SUFFIX: Readonly<Record<string, 'mcc' | 'mccOrCc' | 'always'>> = {
  '1': 'mcc',
  '3': 'mccOrCc',
  '5': 'always',
  '9': 'always',
};
