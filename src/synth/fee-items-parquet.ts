/**
 * Fee line items as typed columns (`typed-parquet.ts`): the lines of a year's cases go to a temporary table while
 * the year's case file is written, and become `fee-items-<year>.parquet` after it. Same values as the CSV lines
 * `feeItemCsvLines` writes (setl_id rebuilt in SQL from the case's row: only clean cases have lines).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { FEE_ITEM_COLUMNS } from '../model/columns.ts';
import { FEE_CATALOG, type FeeLines } from './fee-items.ts';
import { FEE_CATEGORIES } from './params.ts';
import type { SynthCase } from './synth-case.ts';
import { type RawColumn, TypedTable } from './typed-parquet.ts';

const US_PER_MINUTE = 60_000_000;
const CLASSES = ['01', '02', '03'];
const CLASS_OF = new Int32Array(FEE_CATALOG.map((x) => CLASSES.indexOf(x.cls)));

const COLUMNS: readonly RawColumn[] = [
  { name: 'row', kind: 'int' },
  { name: 'item', kind: 'enum', values: FEE_CATALOG.map((x) => x.code) },
  { name: 'item_name', kind: 'enum', values: FEE_CATALOG.map((x) => x.name) },
  { name: 'cls', kind: 'enum', values: CLASSES },
  { name: 'category', kind: 'enum', values: FEE_CATEGORIES.map((f) => f.code) },
  { name: 'cnt', kind: 'int' },
  { name: 'pric', kind: 'money' },
  { name: 'det_item_fee_sumamt', kind: 'money' },
  { name: 'fee_ocur_time', kind: 'timestamp' },
];

/** The SELECT list giving FEE_ITEM_COLUMNS of a year from the raw columns. */
export function feeItemSelect(year: number): string {
  const expr: Record<string, string> = {
    setl_id: `'JS${year}' || lpad(row::VARCHAR, 9, '0')`,
    med_list_codg: 'item::VARCHAR',
    med_list_name: 'item_name::VARCHAR',
    chrgitm_lv: 'cls::VARCHAR',
    med_chrgitm_type: 'category::VARCHAR',
    cnt: 'cnt::VARCHAR',
  };
  return FEE_ITEM_COLUMNS.map((c) => `${expr[c.name] ?? c.name} AS "${c.name}"`).join(', ');
}

/** One year's fee lines, appended case by case. */
export class TypedFeeItems {
  private constructor(
    private readonly table: TypedTable,
    private readonly year: number,
  ) {}

  static async create(conn: DuckDBConnection, year: number): Promise<TypedFeeItems> {
    return new TypedFeeItems(await TypedTable.create(conn, COLUMNS), year);
  }

  get rows(): number {
    return this.table.rows;
  }

  add(c: SynthCase, lines: FeeLines): void {
    const t = this.table;
    const b = t.batch.buffers;
    for (let n = 0; n < lines.length; n++) {
      const r = t.row();
      const item = lines.item[n]!;
      const cnt = lines.cnt[n]!;
      const amount = lines.amount[n]!;
      b[0]!.ints[r] = c.row;
      b[1]!.ints[r] = item;
      b[2]!.ints[r] = item;
      b[3]!.ints[r] = CLASS_OF[item]!;
      b[4]!.ints[r] = lines.category[n]!;
      b[5]!.ints[r] = cnt;
      b[6]!.nums[r] = amount / cnt;
      b[7]!.nums[r] = amount;
      b[8]!.nums[r] = (lines.day[n]! * 1440 + lines.minute[n]!) * US_PER_MINUTE;
    }
  }

  /** Write the year's lines to `path`: FEE_ITEM_COLUMNS, or the raw columns (a shard's part, for `feeItemSelect`). */
  async finish(path: string, raw = false): Promise<void> {
    await this.table.copyTo(path, raw ? '*' : feeItemSelect(this.year));
  }
}
