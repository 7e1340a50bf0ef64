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
