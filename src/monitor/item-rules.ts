/**
 * Fee-line edits (明细审核, R-MON-2/3): the Chinese counterparts of procedure-pair and unit-limit edits.
 *
 * 《医疗保障基金使用监督管理条例》第十五条：定点医药机构及其工作人员不得……重复收费、超标准收费、分解项目收费；
 * 不得串换药品、医用耗材、诊疗项目和服务设施……
 *
 * Each function takes one case with its lines and returns its flags. The SQL adapter (`adapters/duckdb-sql.ts`)
 * computes the same flags for a whole year; `modes.test.ts` proves they agree.
 */

import type { FeeItem, InpatientCase } from '../model/case.ts';
import type { ConditionField } from '../policy/kinds/monitor.ts';
import { mulDivHalfUp } from './arith.ts';
import { caseFlag } from './flag.ts';
import { type Knowledge, parseQuantity, QTY_SCALE } from './knowledge.ts';
import type { Flag, MonitorRule } from './types.ts';

type Logic<D extends string> = Extract<MonitorRule['logic'], { detector: D }>;

/** Lines grouped by item code, codes in sorted order. */
export function linesByCode(items: readonly FeeItem[]): [string, FeeItem[]][] {
  const m = new Map<string, FeeItem[]>();
  for (const it of items) {
    const l = m.get(it.itemCode);
    if (l) l.push(it);
    else m.set(it.itemCode, [it]);
  }
  return [...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

const sumAmount = (lines: readonly FeeItem[]) => lines.reduce((s, l) => s + l.amount, 0);
const sumQty = (lines: readonly FeeItem[]) => lines.reduce((s, l) => s + parseQuantity(l.quantity), 0);
const qtyText = (q: number) => {
  const i = Math.floor(q / QTY_SCALE);
  const f = String(q % QTY_SCALE)
    .padStart(4, '0')
    .replace(/0+$/, '');
  return f ? `${i}.${f}` : String(i);
};

/** 重复收费: the same item at the same quantity and price on more than one line of a stay. */
export function duplicateCharge(rule: MonitorRule, c: InpatientCase, items: readonly FeeItem[]): Flag[] {
  const out: Flag[] = [];
  for (const [code, lines] of linesByCode(items)) {
    const seen = new Set<string>();
    let dupAmount = 0;
    let dupLines = 0;
    for (const l of lines) {
      const key = `${parseQuantity(l.quantity)}|${l.unitPrice}`;
      if (seen.has(key)) {
        dupAmount += l.amount;
        dupLines++;
      } else seen.add(key);
    }
    if (dupLines > 0) out.push(caseFlag(rule, c, code, dupAmount, { itemCode: code, lines: lines.length, dupLines }));
  }
  return out;
}

/** 分解项目收费 (bundle) / 互斥项目 (exclusive): both codes of a pair on one stay; the paired item is at issue. */
export function codePair(
  rule: MonitorRule,
  logic: Logic<'code-pair'>,
  c: InpatientCase,
  items: readonly FeeItem[],
  k: Knowledge,
): Flag[] {
  const by = new Map(linesByCode(items));
  const out: Flag[] = [];
  for (const p of k.codePairs) {
    if (p.relation !== logic.params.relation) continue;
    const a = by.get(p.itemCode);
    const b = by.get(p.pairCode);
    if (!a || !b) continue;
    out.push(
      caseFlag(rule, c, `${p.itemCode}+${p.pairCode}`, sumAmount(b), {
        itemCode: p.itemCode,
        pairCode: p.pairCode,
        itemAmount: sumAmount(a),
        pairAmount: sumAmount(b),
      }),
    );
  }
  return out;
}

/** Days a per-day limit counts: the stay's days, at least one (a same-day stay is one day). */
export const limitDays = (c: InpatientCase) => Math.max(1, c.losDays);

/** 超标准收费(数量): more units than the item's per-stay or per-day limit; the excess share of the amount. */
export function overQuantity(rule: MonitorRule, c: InpatientCase, items: readonly FeeItem[], k: Knowledge): Flag[] {
  const out: Flag[] = [];
  for (const [code, lines] of linesByCode(items)) {
    const lim = k.itemLimits.get(code);
    if (!lim || (lim.maxPerDay === undefined && lim.maxPerStay === undefined)) continue;
    const perDay = lim.maxPerDay === undefined ? Number.POSITIVE_INFINITY : lim.maxPerDay * limitDays(c);
    const limit = Math.min(perDay, lim.maxPerStay ?? Number.POSITIVE_INFINITY);
    const qty = sumQty(lines);
    if (qty <= limit) continue;
    const amount = sumAmount(lines);
    out.push(
      caseFlag(rule, c, code, mulDivHalfUp(amount, qty - limit, qty), {
        itemCode: code,
        quantity: qtyText(qty),
        limit: qtyText(limit),
        losDays: c.losDays,
      }),
    );
  }
  return out;
}

/**
 * 串换项目 / 超标准价格: a line billed under a charge category other than the catalog's (the whole line is at issue),
 * or above the catalog price (the excess over price × quantity is at issue).
 */
export function itemSubstitution(rule: MonitorRule, c: InpatientCase, items: readonly FeeItem[], k: Knowledge): Flag[] {
  const out: Flag[] = [];
  for (const [code, lines] of linesByCode(items)) {
    const cat = k.itemCatalog.get(code);
    if (!cat) continue;
    let amount = 0;
    let wrongCategory = 0;
    let overPrice = 0;
    for (const l of lines) {
      if ((l.chargeCategory ?? '') !== cat.chargeCategory) {
        amount += l.amount;
        wrongCategory++;
      } else if (cat.price !== undefined && l.unitPrice > cat.price) {
        amount += Math.max(0, l.amount - mulDivHalfUp(cat.price, parseQuantity(l.quantity), QTY_SCALE));
        overPrice++;
      }
    }
    if (wrongCategory + overPrice === 0) continue;
    out.push(
      caseFlag(rule, c, code, amount, {
        itemCode: code,
        catalogCategory: cat.chargeCategory,
        catalogPrice: cat.price ?? '',
        wrongCategory,
        overPrice,
      }),
    );
  }
  return out;
}

/** 限性别 / 限年龄 / 限科室: an item used outside the sex, age or departments it is limited to. */
export function restrictedItem(
  rule: MonitorRule,
  logic: Logic<'restricted-item'>,
  c: InpatientCase,
  items: readonly FeeItem[],
  k: Knowledge,
): Flag[] {
  const out: Flag[] = [];
  for (const [code, lines] of linesByCode(items)) {
    const lim = k.itemLimits.get(code);
    if (!lim) continue;
    let hit = false;
    let limitText = '';
    if (logic.params.check === 'sex' && lim.sex) {
      hit = (c.sex === '1' || c.sex === '2') && c.sex !== lim.sex;
      limitText = lim.sex;
    } else if (logic.params.check === 'age' && (lim.minAge !== undefined || lim.maxAge !== undefined)) {
      hit = c.ageYears < (lim.minAge ?? 0) || c.ageYears > (lim.maxAge ?? Number.POSITIVE_INFINITY);
      limitText = `${lim.minAge ?? ''}-${lim.maxAge ?? ''}`;
    } else if (logic.params.check === 'department' && lim.departments) {
      hit = c.department !== undefined && !lim.departments.includes(c.department);
      limitText = lim.departments.join('|');
    }
    if (!hit) continue;
    const actual =
      logic.params.check === 'sex' ? c.sex : logic.params.check === 'age' ? String(c.ageYears) : (c.department ?? '');
    out.push(caseFlag(rule, c, code, sumAmount(lines), { itemCode: code, limit: limitText, actual }));
  }
  return out;
}

/** 虚计床日: more bed-days of the bed items charged than days in hospital (plus tolerance); the excess share. */
export function phantomBedDays(
  rule: MonitorRule,
  logic: Logic<'phantom-bed-days'>,
  c: InpatientCase,
  items: readonly FeeItem[],
): Flag[] {
  const beds = items.filter((l) => logic.params.bedItems.includes(l.itemCode));
  if (beds.length === 0) return [];
  const qty = sumQty(beds);
  const limit = (c.losDays + logic.params.toleranceDays) * QTY_SCALE;
  if (qty <= limit) return [];
  const amount = sumAmount(beds);
  return [
    caseFlag(rule, c, '', mulDivHalfUp(amount, qty - limit, qty), {
      bedDays: qtyText(qty),
      losDays: c.losDays,
      toleranceDays: logic.params.toleranceDays,
    }),
  ];
}

/** Calendar day number (days since 1970-01-01) of an ISO date or date-time. */
export function dayNumberOf(iso: string): number {
  return Math.floor(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / 86_400_000);
}

/**
 * 入院前、出院后收费: lines whose charge date (费用发生时间) lies more than `toleranceDays` calendar days before the
 * admission date or after the discharge date; the lines' amount is at issue, one flag per item code. Lines without a
 * charge date are not judged (the source did not send one).
 */
export function chargeOutsideStay(
  rule: MonitorRule,
  logic: Logic<'charge-outside-stay'>,
  c: InpatientCase,
  items: readonly FeeItem[],
): Flag[] {
  const tol = logic.params.toleranceDays;
  const adm = dayNumberOf(c.admissionTime);
  const dscg = dayNumberOf(c.dischargeTime);
  const out: Flag[] = [];
  for (const [code, lines] of linesByCode(items)) {
    let amount = 0;
    let n = 0;
    let first = '';
    let last = '';
    let daysOutside = 0;
    for (const l of lines) {
      if (!l.chargeTime) continue;
      const d = dayNumberOf(l.chargeTime);
      const outside = d < adm ? adm - d : d > dscg ? d - dscg : 0;
      if (outside <= tol) continue;
      amount += l.amount;
      n++;
      const day = l.chargeTime.slice(0, 10);
      if (first === '' || day < first) first = day;
      if (day > last) last = day;
      daysOutside = Math.max(daysOutside, outside);
    }
    if (n === 0) continue;
    out.push(
      caseFlag(rule, c, code, amount, {
        itemCode: code,
        lines: n,
        firstChargeDate: first,
        lastChargeDate: last,
        admissionDate: c.admissionTime.slice(0, 10),
        dischargeDate: c.dischargeTime.slice(0, 10),
        daysOutside,
        toleranceDays: tol,
      }),
    );
  }
  return out;
}

type Condition = Extract<MonitorRule['logic'], { where: unknown }>['where'][number];

export function fieldValue(field: ConditionField, c: InpatientCase, l: FeeItem): string | number {
  switch (field) {
    case 'item.code':
      return l.itemCode;
    case 'item.chargeCategory':
      return l.chargeCategory ?? '';
    case 'item.catalogClass':
      return l.catalogClass;
    case 'case.sex':
      return c.sex;
    case 'case.ageYears':
      return c.ageYears;
    case 'case.losDays':
      return c.losDays;
    case 'case.icuDays':
      return c.icuDays;
    case 'case.department':
      return c.department ?? '';
    case 'case.procedureCount':
      return c.procedures.length;
  }
}

export function holds(cond: Condition, v: string | number): boolean {
  const x = cond.value;
  switch (cond.op) {
    case 'eq':
      return v === x;
    case 'ne':
      return v !== x;
    case 'in':
      return Array.isArray(x) && x.includes(String(v));
    case 'prefix':
      return typeof x === 'string' && String(v).startsWith(x);
    case 'lt':
      return typeof x === 'number' && typeof v === 'number' && v < x;
    case 'le':
      return typeof x === 'number' && typeof v === 'number' && v <= x;
    case 'gt':
      return typeof x === 'number' && typeof v === 'number' && v > x;
    case 'ge':
      return typeof x === 'number' && typeof v === 'number' && v >= x;
  }
}

/** A declarative rule: lines for which every condition holds, one flag per item code. */
export function declarativeItems(
  rule: MonitorRule,
  where: readonly Condition[],
  c: InpatientCase,
  items: readonly FeeItem[],
): Flag[] {
  const out: Flag[] = [];
  for (const [code, lines] of linesByCode(items)) {
    const hits = lines.filter((l) => where.every((w) => holds(w, fieldValue(w.field, c, l))));
    if (hits.length > 0) out.push(caseFlag(rule, c, code, sumAmount(hits), { itemCode: code, lines: hits.length }));
  }
  return out;
}
