/**
 * Fee line items as typed columns (`typed-parquet.ts`): the lines of a year's cases go to a temporary table while
 * the year's case file is written, and become `fee-items-<year>.parquet` after it. Same values as the CSV lines
 * `feeItemCsvLines` writes (setl_id rebuilt in SQL from the case's row: only clean cases have lines).
 */
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { FEE_ITEM_COLUMNS } from '../model/columns.ts';
import { FEE_CATALOG, type FeeLines } from './fee-items.ts';
import { FEE_CATEGORIES } from './params.ts';
import type { SynthCase } from './synth-case.ts';
import { BATCH_ROWS, type RawBatch, type RawColumn, type TypedParquetJob, TypedTable } from './typed-parquet.ts';

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

  /** Write the year's lines to `path` (FEE_ITEM_COLUMNS). */
  async finish(path: string): Promise<void> {
    await this.table.copyTo(path, feeItemSelect(this.year));
  }
}

/**
 * A shard's fee lines as a spool of fixed binary blocks (no DuckDB, no encoding): per block the line count, then
 * BATCH_ROWS slots of row, item, category, cnt (Int32), amount in fen and charge time in µs (Float64). Several
 * shards' spools become the year's file in one pass (`spooledFeeItemsJob`), encoded once.
 */
const SPOOL_INTS = 4;
const SPOOL_NUMS = 2;
const BLOCK_BYTES = 8 + BATCH_ROWS * (SPOOL_INTS * 4 + SPOOL_NUMS * 8);

/** A spool block and its views: the line count, the Int32 columns, the Float64 columns (writer and reader alike). */
function spoolBlock() {
  const block = new ArrayBuffer(BLOCK_BYTES);
  return {
    bytes: new Uint8Array(block),
    count: new Int32Array(block, 0, 2),
    ints: Array.from({ length: SPOOL_INTS }, (_, k) => new Int32Array(block, 8 + k * BATCH_ROWS * 4, BATCH_ROWS)),
    nums: Array.from(
      { length: SPOOL_NUMS },
      (_, k) => new Float64Array(block, 8 + SPOOL_INTS * BATCH_ROWS * 4 + k * BATCH_ROWS * 8, BATCH_ROWS),
    ),
  };
}

export class FeeItemSpool {
  private readonly fd: number;
  private readonly block = spoolBlock();
  private n = 0;
  rows = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  add(c: SynthCase, lines: FeeLines): void {
    const [row, item, category, cnt] = this.block.ints;
    const [amount, time] = this.block.nums;
    for (let k = 0; k < lines.length; k++) {
      if (this.n === BATCH_ROWS) this.flush();
      const r = this.n++;
      row![r] = c.row;
      item![r] = lines.item[k]!;
      category![r] = lines.category[k]!;
      cnt![r] = lines.cnt[k]!;
      amount![r] = lines.amount[k]!;
      time![r] = (lines.day[k]! * 1440 + lines.minute[k]!) * US_PER_MINUTE;
      this.rows++;
    }
  }

  private flush(): void {
    if (this.n === 0) return;
    this.block.count[0] = this.n;
    writeSync(this.fd, this.block.bytes);
    this.n = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/** A job writing the fee lines of a year's spools, in order, to `path` (FEE_ITEM_COLUMNS). Deletes the spools. */
export function spooledFeeItemsJob(path: string, year: number, spools: readonly string[]): TypedParquetJob {
  const { bytes, count, ints, nums } = spoolBlock();
  let file = 0;
  let fd = -1;
  return {
    path,
    columns: COLUMNS,
    select: feeItemSelect(year),
    fill: (batch: RawBatch) => {
      for (;;) {
        if (file >= spools.length) return 0;
        if (fd < 0) fd = openSync(spools[file]!, 'r');
        const got = readSync(fd, bytes, 0, BLOCK_BYTES, null);
        if (got === BLOCK_BYTES) break;
        if (got !== 0) throw new Error(`synth: fee-line spool ${spools[file]} is cut short`);
        closeSync(fd);
        rmSync(spools[file]!);
        fd = -1;
        file++;
      }
      const n = count[0]!;
      const b = batch.buffers;
      const [row, item, category, cnt] = ints;
      const [amount, time] = nums;
      for (let r = 0; r < n; r++) {
        const it = item![r]!;
        b[0]!.ints[r] = row![r]!;
        b[1]!.ints[r] = it;
        b[2]!.ints[r] = it;
        b[3]!.ints[r] = CLASS_OF[it]!;
        b[4]!.ints[r] = category![r]!;
        b[5]!.ints[r] = cnt![r]!;
        b[6]!.nums[r] = amount![r]! / cnt![r]!;
        b[7]!.nums[r] = amount![r]!;
        b[8]!.nums[r] = time![r]!;
      }
      return n;
    },
  };
}
