/** Workbench texts in Simplified Chinese (default) and English, in the glossary's words (shared/glossary.md). */
export type Lang = 'zh' | 'en';

const TEXT = {
  appName: ['医保支付工作台', 'Payment workbench'],
  login: ['登录', 'Log in'],
  logout: ['退出', 'Log out'],
  token: ['访问令牌', 'Access token'],
  tokenHelp: [
    '输入医保经办机构、定点医疗机构或医共体牵头医院的访问令牌。示范令牌见 examples/tokens.demo.yaml。',
    'Enter the access token of the insurance agency, a designated institution or a lead hospital. Demo tokens: examples/tokens.demo.yaml.',
  ],
  demoTokens: ['示范令牌', 'Demo tokens'],
  overview: ['统筹区总览', 'Region overview'],
  institutions: ['定点医疗机构', 'Designated institutions'],
  institution: ['机构', 'Institution'],
  statement: ['机构结算单', 'Institution statement'],
  cases: ['病例', 'Cases'],
  case: ['病例', 'Case'],
  runs: ['结算运行', 'Settlement runs'],
  records: ['运行记录', 'Run records'],
  policies: ['政策文件', 'Policy files'],
  audit: ['审计日志', 'Audit log'],
  estimate: ['单病例预测', 'Case estimate'],
  exportXlsx: ['导出 XLSX', 'Export XLSX'],
  loading: ['加载中…', 'Loading…'],
  noData: ['没有数据', 'No data'],
  previous: ['上一页', 'Previous'],
  next: ['下一页', 'Next'],
  rows: ['行', 'rows'],
  of: ['共', 'of'],
  year: ['年度', 'Year'],
  month: ['月份', 'Month'],
  casesByMonth: ['按出院月份的病例数与医疗费用总额', 'Cases and total medical cost by discharge month'],
  caseCount: ['病例数', 'cases'],
  totalCost: ['医疗费用总额', 'total medical cost'],
  fundPay: ['统筹基金支付', 'pooled-fund payment'],
  yuan: ['元', 'yuan'],
  tenThousandYuan: ['万元', '10k yuan'],
  settlementList: ['结算清单', 'Settlement list'],
  personNo: ['人员编号', 'Person number'],
  masked: ['（已脱敏）', '(masked)'],
  sex: ['性别', 'Sex'],
  age: ['年龄', 'Age'],
  admission: ['入院日期', 'Admission'],
  discharge: ['出院日期', 'Discharge'],
  los: ['住院天数', 'Length of stay'],
  dischargeWay: ['离院方式', 'Discharge way'],
  department: ['出院科别', 'Department'],
  insurance: ['险种', 'Insurance type'],
  principalDx: ['主要诊断', 'Principal diagnosis'],
  diagnoses: ['诊断', 'Diagnoses'],
  procedures: ['手术操作', 'Procedures'],
  selfPay: ['个人自付', 'Co-payment'],
  ownPay: ['个人自费', 'Own payment'],
  explanation: ['解释', 'Explanation'],
  noRun: [
    '存储中还没有结算运行：先运行 npm run demo 或 yibao settle。',
    'The store holds no settlement run yet: run npm run demo or yibao settle first.',
  ],
  you: ['当前身份', 'Signed in as'],
  forbidden: ['无权查看', 'Not allowed'],
  error: ['出错了', 'Error'],
  back: ['返回', 'Back'],
  language: ['English', '中文'],
  fundBudget: ['基金预算（总额）', 'Fund budget'],
  yearEndTotal: ['年度清算额合计', 'Year-end amounts in total'],
  fundBalance: ['基金结余（负为超支）', 'Fund balance (negative: overspent)'],
  pointValue: ['年度点值（元/点）', 'Year-end point value (yuan/point)'],
  pointValueByMonth: ['逐月预结算点值（元/点）', 'Pre-settlement point value by month (yuan/point)'],
  paidMonthly: ['月度已支付', 'Paid monthly'],
  advance: ['年初预付', 'Start-of-year advance'],
  clearing: ['清算支付额（正为基金支付，负为机构退回）', 'Clearing payment (> 0 fund pays, < 0 institution repays)'],
  yearEnd: ['年度清算额', 'Year-end amount'],
  surplus: ['结余', 'Surplus'],
  overspend: ['超支', 'Overspend'],
  surplusRetention: ['结余留用', 'Surplus retention'],
  overspendSharing: ['超支分担', 'Overspend sharing'],
  target: ['按点值计算的支付（目标）', 'Value at the point value (target)'],
  actual: ['统筹基金按项目应付（实际）', 'Fund share billed by item (actual)'],
  fundPays: ['基金支付', 'Fund pays'],
  institutionBears: ['机构承担', 'Institution bears'],
  fundRetains: ['基金留存', 'Fund keeps'],
  caseTypes: ['病例类型', 'Case types'],
  monthlyPayment: ['月度预结算', 'Monthly pre-settlement'],
  caseResults: ['病例结果', 'Case results'],
  run: ['结算运行', 'Settlement run'],
  runInputs: ['运行输入', 'Run inputs'],
  derived: ['派生结果（目录、权重、点值）', 'Derived (catalog, weights, point values)'],
  rule: ['规则', 'Rule'],
  clause: ['条款', 'Clause'],
  step: ['步骤', 'Step'],
  values: ['参数与输入', 'Values'],
  result: ['结果', 'Result'],
  method: ['支付方式', 'Payment method'],
  group: ['病种/病组', 'Group'],
  points: ['点数', 'Points'],
  fixedStandard: ['定额', 'Fixed standard'],
  noExplanation: ['该病例没有保存的解释步骤', 'No explanation steps are kept for this case'],
  institutionsOfRun: ['各机构年度清算', 'Year-end settlement by institution'],
  region: ['地区', 'Region'],
  communities: ['医共体', 'Medical communities'],
  eligible: ['按医共体总额付费', 'paid as one community budget'],
  notEligible: ['成员单独结算', 'members settled one by one'],
  startRun: ['开始结算', 'Start a run'],
  running: ['结算中…', 'Settling…'],
  profit: ['医院盈亏', 'Hospital P&L'],
  profitLoss: ['盈亏', 'profit / loss'],
  worstGroups: [
    '亏损最多的病种/病组（按年度点值计算的支付 − 医疗费用总额）',
    'Groups losing most (payment at the year-end point value − total medical cost)',
  ],
  openProfit: ['盈亏分析', 'Profit and loss'],
  expectedPayment: ['预计支付', 'Expected payment'],
  expectedProfit: ['预测盈亏', 'Expected profit/loss'],
  weight: ['权重（RW）', 'Relative weight'],
  thresholds: ['高低倍率界值', 'Deviating-case thresholds'],
  prompts: ['事前提示', 'Before-care prompts'],
  groupPath: ['入组路径', 'Grouping path'],
  estimateHelp: [
    '按最新一次结算运行的政策、病种目录与年度点值预测本病例的支付；只报告按现有编码的结果，不建议改变编码。',
    "Prices this case under the latest run's policy, catalog and year-end point value; it reports the result of the case as coded and never suggests another coding.",
  ],
  policyChanged: [
    '今日的政策文件与该次运行所用的不同（以下解释按运行时的政策快照）',
    "Today's policy files differ from the run's (the explanation follows the run's snapshot)",
  ],
  command: ['命令', 'Command'],
  status: ['状态', 'Status'],
  started: ['开始时间', 'Started'],
  finished: ['结束时间', 'Finished'],
  levels: ['按医院等级的年度清算额', 'Year-end amounts by institution level'],
} as const satisfies Record<string, readonly [string, string]>;

export type TextKey = keyof typeof TEXT;

let current: Lang = localStorage.getItem('yibao.lang') === 'en' ? 'en' : 'zh';

export const lang = (): Lang => current;

export function setLang(l: Lang): void {
  current = l;
  localStorage.setItem('yibao.lang', l);
  document.documentElement.lang = l === 'en' ? 'en' : 'zh-CN';
}

export function t(key: TextKey): string {
  return TEXT[key][current === 'en' ? 1 : 0];
}

/** Pick from a bilingual pair as the API returns them. */
export function pick(x: { zh: string; en: string }): string {
  return current === 'en' ? x.en : x.zh;
}
