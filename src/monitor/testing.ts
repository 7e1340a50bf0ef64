/** Hand-built cases, fee lines, rules and knowledge for the monitoring tests. */
import type { FeeItem, InpatientCase } from '../model/case.ts';
import { ratio } from '../model/money.ts';
import type { CaseContext } from './context.ts';
import { buildKnowledge, type Knowledge } from './knowledge.ts';
import type { MonitorRule, RuleLogic } from './types.ts';

export function mkCase(o: Partial<InpatientCase> = {}): InpatientCase {
  return {
    setlId: 'S1',
    mdtrtId: 'M1',
    psnNo: 'P1',
    institutionCode: 'H1',
    insuranceType: 'employee',
    sex: '1',
    ageYears: 50,
    admissionTime: '2025-03-01T08:00:00',
    dischargeTime: '2025-03-06T10:00:00',
    losDays: 5,
    dischargeWay: '1',
    department: '03',
    diagnoses: [{ code: 'J18.900' }],
    procedures: [],
    icuDays: 0,
    readmit31: false,
    totalCost: 1_000_000,
    fundPay: 700_000,
    selfPay: 200_000,
    ownPay: 100_000,
    accountPay: 0,
    cashPay: 300_000,
    ...o,
  };
}

export function mkItem(itemCode: string, quantity: string, unitPrice: number, o: Partial<FeeItem> = {}): FeeItem {
  const q = Number(quantity);
  return {
    setlId: 'S1',
    itemCode,
    itemName: itemCode,
    catalogClass: 'A',
    chargeCategory: '05',
    quantity,
    unitPrice,
    amount: Math.round(q * unitPrice),
    ...o,
  };
}

export function mkRule(id: string, logic: RuleLogic, result: MonitorRule['result'] = 'violation'): MonitorRule {
  return {
    id,
    name: id,
    nameEn: id,
    logic,
    result,
    window: 'case',
    settings: ['inpatient'],
    stages: ['during', 'after'],
    clause: 'test clause',
    enabled: true,
  };
}

export const r = (n: number, d = 1) => ratio(BigInt(n), BigInt(d));

export function testKnowledge(): Knowledge {
  const f = (file: string, rows: Record<string, string>[]) => ({ file, rows });
  return buildKnowledge({
    itemLimits: f('item-limits.csv', [
      { item_code: 'BED', item_name: '床位费', max_per_day: '1', source: 's' },
      { item_code: 'HBO', item_name: '高压氧', max_per_day: '1', max_per_stay: '3', source: 's' },
      { item_code: 'PSA', item_name: '前列腺特异抗原', sex: '1', source: 's' },
      { item_code: 'KID', item_name: '小儿推拿', min_age: '0', max_age: '14', departments: '07|08', source: 's' },
    ]),
    codePairs: f('code-pairs.csv', [
      { item_code: 'SURG', pair_code: 'TOOLS', relation: 'bundle', source: 's' },
      { item_code: 'WARD', pair_code: 'VIP', relation: 'exclusive', source: 's' },
    ]),
    itemCatalog: f('item-catalog.csv', [
      { item_code: 'HBO', item_name: '高压氧', charge_category: '05', price_yuan: '150.00', source: 's' },
      { item_code: 'CT', item_name: 'CT', charge_category: '03', price_yuan: '', source: 's' },
    ]),
    diagnosisLists: f('diagnosis-lists.csv', [
      { list: 'outpatient-manageable', code_prefix: 'I10', name: '高血压', source: 's' },
      { list: 'chemotherapy', code_prefix: 'Z51.1', name: '化疗', source: 's' },
      { list: 'mcc', code_prefix: 'J96.9', name: '呼吸衰竭', source: 's' },
    ]),
  });
}

export function emptyContext(o: Partial<CaseContext> = {}): CaseContext {
  return {
    otherStays: [],
    institution: { level: '2', type: 'general' },
    baselines: { all: new Map(), plain: new Map(), ownShare: new Map() },
    ...o,
  };
}
