/**
 * CHS-DRG payment policy (按疾病诊断相关分组付费): how relative weights are calibrated, how a case's standard is
 * priced (base rate 费率 or point method 点数法), level coefficients, and the low/high outlier rules
 * (低倍率/高倍率病例). Domain brief "CHS-DRG" formulas; seeds 000 §3, 001 §2.3, 003 §13.
 */
import { z } from 'zod';
import type { PolicyKind } from '../kind.ts';
import { param, paramOr, zNonNegInt, zNonNegRatio, zPositiveInt, zShare, zYuan } from '../values.ts';

const levelCoefficients = z
  .object({ '3': zNonNegRatio, '2': zNonNegRatio, '1': zNonNegRatio, primary: zNonNegRatio })
  .strict();

const highTier = z.object({ rwBelow: zNonNegRatio.optional(), multiple: zNonNegRatio }).strict();

const values = z
  .object({
    /**
     * The grouping scheme (分组方案) cases are grouped by: a scheme name (`chs-drg-2.0`, `chs-drg-1.1`), a pack, a
     * CHS-DRG reference folder or a scheme workbook. Absent: the national scheme in force (CHS-DRG 2.0).
     */
    scheme: param(z.string().min(1)).optional(),
    /** `base-rate`: standard = RW × base rate (元/RW); `points`: points = RW × pointsPerRw, valued by the pool. */
    method: param(z.enum(['base-rate', 'points'])),
    /** Points per unit of RW under the point method (commonly 100). */
    pointsPerRw: param(zPositiveInt),
    /** Base rate (费率) by fund when given; `budget` derives it as budget ÷ Σ RW. */
    baseRate: param(z.union([z.object({ employee: zYuan, resident: zYuan }).strict(), z.literal('budget')])),
    /** Level coefficients (等级系数) by institution level. */
    levelCoefficients: param(levelCoefficients),
    /** RW calibration: trimming percentiles, RW decimals, year weights (oldest first), minimum cases. */
    rwCalibration: param(
      z
        .object({
          trimLow: zShare,
          trimHigh: zShare,
          decimals: z.number().int().min(0).max(6),
          yearWeights: z.array(zNonNegInt).min(1),
          minCases: zPositiveInt,
        })
        .strict(),
    ),
    /** Low outlier (低倍率): cost below `ratio` × the DRG's mean cost is paid by items. */
    lowOutlier: param(z.object({ ratio: zShare }).strict()),
    /**
     * High outlier (高倍率): cost above `multiple` × the DRG's mean cost, the multiple falling as RW rises (tiers in
     * ascending `rwBelow`, the last without a bound). Variants: `standard-plus-excess` pays the standard plus the
     * excess over the threshold at `excessRate`; `cap` pays the threshold; `items` pays the cost.
     */
    highOutlier: param(
      z
        .object({
          tiers: z.array(highTier).min(1),
          variant: z.enum(['standard-plus-excess', 'cap', 'items']),
          excessRate: zShare,
        })
        .strict(),
    ),
    /**
     * Where the relative weights come from: `calibrate` from the region's history (rwCalibration), or `file` — a
     * published `drg,rw` table (e.g. a city's weights) at `file`, relative to this policy file; the outlier means are
     * RW × `referenceBaseRate` (元), as a region publishes them together.
     */
    weights: paramOr(
      z.discriminatedUnion('method', [
        z.object({ method: z.literal('calibrate') }).strict(),
        z.object({ method: z.literal('file'), file: z.string().min(1), referenceBaseRate: zYuan }).strict(),
      ]),
      { method: 'calibrate' },
      'yibao default: 权重按本地历史数据测算 (state weights in the DRG policy)',
    ),
    /** Cases the grouper could not group (未入组): paid by items, or held (not paid) pending review. */
    ungrouped: param(z.enum(['items', 'hold'])),
    /**
     * A case paid by items (低倍率病例, 按项目付费; 高倍率病例 with variant `items`) in a point pool (the point method,
     * or a base rate derived from the budget): `amount` = its total cost, a fixed amount paid from the pool before
     * the points share the rest, so it is paid exactly its items (R-PAY-DRG "low … → paid by items"); `points-at-mean`
     * = cost ÷ the DRG mean cost × RW × points per RW, without the level coefficient, valued at the pool's point value
     * (DRG 点数法 local rules: 低倍率病例点数 = 基准点数 × 病例费用 ÷ 病组次均费用). A given base rate always pays the cost.
     */
    itemsInPointPool: paramOr(
      z.enum(['amount', 'points-at-mean']),
      'amount',
      'yibao default: 低倍率病例按项目付费——以医疗总费用作定额金额从点数池先行支付 (state itemsInPointPool in the DRG policy)',
    ),
    /**
     * The excess of a high-cost case (高倍率病例, variant `standard-plus-excess`: (cost − threshold) × excessRate) in a
     * point pool (the point method, or a base rate derived from the budget). The clause "standard + the excess at a
     * policy rate" reads two ways there: `points` = the excess in points, (cost ÷ mean − multiple) × excessRate × RW ×
     * points per RW, riding on the floating point value with the standard; `amount` = the excess as fixed money,
     * (cost − mean × multiple) × excessRate half-up to the fen, paid from the pool before the points share the rest —
     * the case claims its standard in points and the excess as an amount, and the base rate becomes (budget − items
     * paid as money − excesses) ÷ Σ RW. A given base rate always pays the excess as money.
     */
    excessInPointPool: paramOr(
      z.enum(['points', 'amount']),
      'points',
      'yibao default: 点数法与总额预算相结合（资府办函〔2018〕52号 一(三)“探索将点数法和病种付费、预算总额管理等相结合”），高倍率病例超出部分折算点数，随年度点值浮动 (state excessInPointPool in the DRG policy)',
    ),
  })
  .strict();

export const drgKind: PolicyKind<typeof values> = {
  kind: 'drg',
  zh: 'DRG 付费',
  en: 'CHS-DRG payment',
  values,
  example: `scheme: { value: chs-drg-2.0, source: "医保办发〔2024〕9号 CHS-DRG 2.0 分组方案" }
method: { value: base-rate, source: "CHS-DRG 付费技术规范 费率法" }
pointsPerRw: { value: 100, source: "DRG 点数法: 点数 = RW × 100" }
baseRate: { value: { employee: "12252.70", resident: "9649.24" }, source: "哈尔滨 2024 I 级费率" }
levelCoefficients: { value: { "3": 1, "2": 0.9, "1": 0.8, primary: 0.7 }, source: "本地 DRG 结算办法 第十条" }
rwCalibration: { value: { trimLow: 0.025, trimHigh: 0.975, decimals: 4, yearWeights: [1, 2, 7], minCases: 5 }, source: "CHS-DRG 分组方案 权重测算" }
lowOutlier: { value: { ratio: 0.4 }, source: "本地 DRG 结算办法 第十二条" }
highOutlier: { value: { tiers: [{ rwBelow: 1, multiple: 3 }, { multiple: 2 }], variant: standard-plus-excess, excessRate: 0.9 }, source: "本地 DRG 结算办法 第十三条" }
ungrouped: { value: items, source: "本地 DRG 结算办法 第十四条" }`,
};
