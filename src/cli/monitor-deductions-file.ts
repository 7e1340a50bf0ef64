/**
 * The file `yibao monitor deductions --out FILE` writes (walk4 #6): for `.csv` and `.xlsx`, the audit deductions in
 * the columns `yibao ingest deductions` reads (定点医药机构编号, 期间, 扣款金额, 扣款原因, 依据 — in English the column
 * names fixmedins_code, period, …, which ingest reads as well), so the next settlement takes them as they are; the
 * assessment coefficients beside it (`FILE-assessments.csv|xlsx`) for `yibao ingest assessments`. `.json` keeps
 * both in one document (monitor run id, deductions with fen and yuan, assessments).
 */
import { extname } from 'node:path';
import { ASSESSMENT_COLUMNS, type ColumnSpec, DEDUCTION_COLUMNS, shortLabel } from '../model/columns.ts';
import { fenToYuan } from '../model/money.ts';
import { writeCsv } from '../report/csv.ts';
import { writeJson } from '../report/json.ts';
import type { Column, ColumnKind, Table } from '../report/table.ts';
import { writeXlsx } from '../report/xlsx.ts';
import type { AuditDeduction } from '../settlement/deductions.ts';

export interface AssessmentLine {
  institutionCode: string;
  /** Decimal text, six places. */
  coefficient: string;
  source: string;
}

/** The formats `--out` may name, by extension. */
export type DeductionsFormat = 'json' | 'csv' | 'xlsx';

export function deductionsFormat(file: string): DeductionsFormat | undefined {
  const ext = extname(file).toLowerCase();
  return ext === '.json' ? 'json' : ext === '.csv' ? 'csv' : ext === '.xlsx' ? 'xlsx' : undefined;
}

/** A header ingest reads back: the Chinese label's short form (期间 of "期间 YYYY 或 YYYY-MM"), or the column name. */
const column = (spec: ColumnSpec, kind: ColumnKind): Column => ({
  key: spec.name,
  zh: shortLabel(spec.zh),
  en: spec.name,
  kind,
  sum: false,
});

export function deductionsTable(deductions: readonly AuditDeduction[]): Table {
  const kinds: Record<string, ColumnKind> = { deduction_amt: 'money' };
  return {
    name: 'deductions',
    zh: '审核扣款',
    en: 'Audit deductions',
    columns: DEDUCTION_COLUMNS.map((c) => column(c, kinds[c.name] ?? 'text')),
    rows: deductions.map((d) => ({
      fixmedins_code: d.institutionCode,
      period: d.period,
      deduction_amt: d.amount,
      reason: d.reason,
      source: d.source,
    })),
  };
}

export function assessmentsTable(year: number, assessments: readonly AssessmentLine[]): Table {
  return {
    name: 'assessments',
    zh: '考核结果',
    en: 'Assessment results',
    // the coefficient a number in the workbook (six places), as every coefficient the reports write
    columns: ASSESSMENT_COLUMNS.map((c) =>
      c.name === 'coefficient' ? { ...column(c, 'decimal'), digits: 6 } : column(c, c.name === 'year' ? 'int' : 'text'),
    ),
    rows: assessments.map((a) => ({
      fixmedins_code: a.institutionCode,
      year,
      coefficient: a.coefficient,
      source: a.source,
    })),
  };
}

/** `ded.csv` → `ded-assessments.csv`. */
export function assessmentsFileOf(file: string): string {
  const ext = extname(file);
  return `${file.slice(0, file.length - ext.length)}-assessments${ext}`;
}

/** Write the deductions (and the assessments) in the format of `file`'s extension; the files written. */
export async function writeDeductionFiles(
  file: string,
  format: DeductionsFormat,
  doc: {
    monitorRunId: string;
    year: number;
    deductions: readonly AuditDeduction[];
    assessments: readonly AssessmentLine[];
  },
  lang: 'zh' | 'en',
): Promise<string[]> {
  if (format === 'json') {
    writeJson(file, {
      monitorRunId: doc.monitorRunId,
      deductions: doc.deductions.map((d) => ({ ...d, amountYuan: fenToYuan(d.amount) })),
      assessments: doc.assessments,
    });
    return [file];
  }
  const second = assessmentsFileOf(file);
  const ded = deductionsTable(doc.deductions);
  const ass = assessmentsTable(doc.year, doc.assessments);
  if (format === 'csv') {
    writeCsv(file, ded, lang);
    writeCsv(second, ass, lang);
  } else {
    await writeXlsx(file, [ded], lang);
    await writeXlsx(second, [ass], lang);
  }
  return [file, second];
}
