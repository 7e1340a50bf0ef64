/**
 * Fee line items (费用明细), designated institutions (定点医疗机构), insured persons (参保人) and outpatient
 * special-disease enrolments (门特待遇与定点): their code sets and checks of meaning.
 */
import { CATALOG_CLASS, HOSPITAL_LEVEL, INSTITUTION_TYPE, INSURANCE_TYPE, SEX } from '../../model/code-words.ts';
import { ENROLMENT_COLUMNS, FEE_ITEM_COLUMNS, INSTITUTION_COLUMNS, PERSON_COLUMNS } from '../../model/columns.ts';
import { institutionRegistered, msg } from '../qc/check.ts';
import type { KindSpec } from './kind.ts';

const CHARGE_CATEGORIES = Array.from({ length: 14 }, (_, i) => String(i + 1).padStart(2, '0'));

export const FEE_ITEMS: KindSpec = {
  kind: 'fee-items',
  zh: '费用明细',
  en: 'fee line items',
  table: 'fee_items',
  columns: FEE_ITEM_COLUMNS,
  typeOverrides: { cnt: 'quantity' },
  key: ['setl_id'],
  keyLabel: 'setl_id',
  grouped: true,
  allowed: { med_chrgitm_type: CHARGE_CATEGORIES },
  codeSets: { chrgitm_lv: CATALOG_CLASS },
  checks: () => [
    {
      rule: 'case-known',
      code: 'E_CASE_UNKNOWN',
      field: 'setl_id',
      requires: 'cases',
      title: { zh: '明细所属结算已入库', en: 'the settlement of the line is stored' },
      where: 'setl_id NOT IN (SELECT setl_id FROM cases)',
      zh: msg('结算ID {setl_id} 不在已入库的结算清单中'),
      en: msg('settlement {setl_id} is not among the stored cases'),
    },
    {
      rule: 'non-negative',
      code: 'E_NEGATIVE_AMOUNT',
      field: 'pric',
      title: { zh: '单价非负', en: 'unit price not negative' },
      where: 'pric < 0',
      zh: msg('单价为负数：{pric}'),
      en: msg('unit price is negative: {pric}'),
    },
  ],
  formats: ['csv', 'parquet', 'xlsx'],
};

export const INSTITUTIONS: KindSpec = {
  kind: 'institutions',
  zh: '定点医疗机构',
  en: 'institutions',
  table: 'institutions',
  columns: INSTITUTION_COLUMNS,
  key: ['fixmedins_code'],
  keyLabel: 'fixmedins_code',
  codeSets: { hosp_lv: HOSPITAL_LEVEL, inst_type: INSTITUTION_TYPE },
  checks: () => [
    {
      rule: 'community',
      code: 'E_REQUIRED',
      field: 'mc_id',
      title: { zh: '牵头医院属于医共体', en: 'a lead hospital belongs to a community' },
      where: 'mc_lead AND mc_id IS NULL',
      zh: msg('标为牵头医院但没有医共体编号'),
      en: msg('marked as lead hospital but has no medical-community id'),
    },
  ],
  formats: ['csv', 'parquet', 'xlsx'],
};

export const PERSONS: KindSpec = {
  kind: 'persons',
  zh: '参保人',
  en: 'insured persons',
  table: 'persons',
  columns: PERSON_COLUMNS,
  key: ['psn_no'],
  keyLabel: 'psn_no',
  codeSets: { gend: SEX, insutype: INSURANCE_TYPE },
  checks: () => [],
  formats: ['csv', 'parquet', 'xlsx'],
};

export const ENROLMENTS: KindSpec = {
  kind: 'enrolments',
  zh: '门特待遇与定点',
  en: 'special-disease enrolments',
  table: 'enrolments',
  columns: ENROLMENT_COLUMNS,
  key: ['psn_no', 'opsp_dise_code', 'begndate'],
  keyLabel: 'key',
  allowed: { dise_class: ['1', '2'] },
  codeSets: { insutype: INSURANCE_TYPE },
  checks: () => [
    {
      rule: 'date-order',
      code: 'E_DATE_ORDER',
      field: 'enddate',
      title: { zh: '开始日期不晚于结束日期', en: 'start not after end' },
      where: 'begndate > enddate',
      zh: msg('结束日期 {enddate} 早于开始日期 {begndate}'),
      en: msg('end {enddate} is before start {begndate}'),
    },
    ...['treat_fixmedins_code', 'fd_fixmedins_code'].map((col) => institutionRegistered(col)),
  ],
  formats: ['csv', 'parquet', 'xlsx'],
};
