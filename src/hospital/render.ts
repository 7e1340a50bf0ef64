/**
 * An estimate as text for people (zh by default, en on request), in the glossary's words — never field names.
 * DIP says 病种 / 偏差病例 (费用极低/极高); DRG says 病组 / 低倍率 / 高倍率 病例.
 */

import { dipGroupCodesIn } from '../grouping/dip/treatment.ts';
import { fenToYuan, formatRatio, ratio } from '../model/money.ts';
import { formatPoints } from '../model/points.ts';
import type { CaseEstimate, CasePosition } from './types.ts';

type Lang = 'zh' | 'en';

const POSITION: Record<CasePosition, { zh: string; en: string }> = {
  normal: { zh: '正常病例', en: 'normal case' },
  'low-cost': { zh: '低倍率病例', en: 'low-cost case' },
  'high-cost': { zh: '高倍率病例', en: 'high-cost case' },
  ungrouped: { zh: '未入组', en: 'ungrouped case' },
  excluded: { zh: '除外', en: 'excluded' },
};

export function positionText(p: CasePosition, lang: Lang): string {
  return POSITION[p][lang];
}

const yuan = (f: number | null, lang: Lang) => (f === null ? '—' : `${fenToYuan(f)} ${lang === 'zh' ? '元' : 'yuan'}`);

/**
 * Where the point value comes from, in brackets: its basis (公布 / 预测) and the published source. A source that
 * already says its basis (the example's "本院预测：上年度清算点值…") is not prefixed again (before: 预测：本院预测：…,
 * and 预测：预测：… for a source starting with 预测：).
 */
export function pointValueBasis(pv: NonNullable<CaseEstimate['pointValue']>, lang: Lang): string {
  const zh = lang === 'zh';
  const basis = pv.basis === 'published' ? (zh ? '公布' : 'published') : zh ? '预测' : 'forecast';
  const source = pv.source.trim();
  const says = source.toLowerCase().includes(basis);
  if (zh) return says ? `（${source}）` : `（${basis}：${source}）`;
  return says ? `(${source})` : `(${basis}: ${source})`;
}

/** The estimate of one case as lines of text. */
export function estimateText(e: CaseEstimate, lang: Lang = 'zh'): string {
  const zh = lang === 'zh';
  const L = (a: string, b: string) => (zh ? a : b);
  const out: string[] = [];
  const who = [
    `${L('机构', 'institution')} ${e.institutionCode}`,
    e.department ? `${L('出院科别', 'department')} ${e.department}` : '',
    e.doctorCode ? `${L('主诊医师', 'attending doctor')} ${e.doctorCode}${e.doctorName ? ` ${e.doctorName}` : ''}` : '',
  ].filter(Boolean);
  out.push(`${L('结算ID', 'settlement id')} ${e.setlId}  ${who.join('  ')}`);
  const groupWord =
    e.method === 'drg'
      ? L('病组（DRG）', 'DRG')
      : e.method === 'per-diem'
        ? L('按床日付费（不按 DIP/DRG）病种', 'per-bed-day payment (not DIP/DRG), category')
        : e.method === 'single-disease'
          ? L('按病种付费（不按 DIP/DRG）病种', 'single-disease payment (not DIP/DRG), disease')
          : L('病种（DIP）', 'DIP group');
  // Group codes as the statements and the hospital's CSVs spell them (K35.8 + 47.0901, not K35.8|47.0901).
  out.push(
    `${groupWord}${L('：', ': ')}${e.group === null ? L('未入组', 'ungrouped') : dipGroupCodesIn(e.group, lang)}${e.groupName ? ` ${e.groupName}` : ''}`,
  );
  out.push(
    e.method === 'per-diem' || e.method === 'single-disease'
      ? L('计价步骤：', 'pricing steps:')
      : `${L('入组路径：', 'grouping path:')}`,
  );
  for (const s of e.path) out.push(`  - ${dipGroupCodesIn(zh ? s.zh : s.en, lang)}`);
  if (e.weight) out.push(`${L('权重（RW）：', 'relative weight: ')}${formatRatio(e.weight, 4)}`);
  if (e.score !== null) out.push(`${L('病种分值：', 'group score: ')}${formatPoints(e.score)}`);
  if (e.standardPoints !== null) out.push(`${L('标准点数：', 'standard points: ')}${formatPoints(e.standardPoints)}`);
  if (e.pointValue) {
    const pv = formatRatio(ratio(e.pointValue.value.num, e.pointValue.value.den * 100n), 4);
    out.push(
      `${L('点值：', 'point value: ')}${pv} ${L('元/点', 'yuan per point')} ${pointValueBasis(e.pointValue, lang)}`,
    );
  }
  out.push(`${L('支付标准：', 'payment standard: ')}${yuan(e.standardPayment, lang)}`);
  if (e.thresholds) {
    out.push(
      zh
        ? `偏差病例界值：费用低于 ${yuan(e.thresholds.low, lang)} 为低倍率病例，高于 ${yuan(e.thresholds.high, lang)} 为高倍率病例`
        : `deviating-case thresholds: below ${yuan(e.thresholds.low, lang)} a low-cost case, above ${yuan(e.thresholds.high, lang)} a high-cost case`,
    );
  }
  out.push(`${L('医疗费用总额：', 'total medical cost: ')}${yuan(e.cost, lang)} → ${positionText(e.position, lang)}`);
  if (e.specialReviewCandidate) {
    out.push(
      L(
        '  费用超过特例单议界值，可按规定申请特例单议',
        '  cost above the special-review bound: special review may be applied for',
      ),
    );
  }
  if (e.points !== null) out.push(`${L('病例点数：', 'points: ')}${formatPoints(e.points)}`);
  else if (e.costPaidPoints !== null && e.expectedPayment !== null && e.pointValue) {
    // 002 四(二) 按实际费用确定病种分值 (costPaidCases: year-end): the cost is paid; its points are the cost ÷ the value.
    const pv = formatRatio(ratio(e.pointValue.value.num, e.pointValue.value.den * 100n), 4);
    const what =
      e.position === 'ungrouped'
        ? L('未入组病例按规定比例折算的费用', 'the ungrouped case’s cost at the local ratio')
        : L('低倍率病例按实际费用', 'the low-cost case’s actual cost');
    // The agency's cases sheet leaves its 点数 blank (it enters the pool as its amount, not in the total points): the
    // same here, and the points that amount is worth under the name the hospital's cases sheet gives them.
    out.push(
      L('病例点数：—（按金额支付，不计入总点数）', 'points: — (paid as an amount, not counted in the total points)'),
      zh
        ? `按实际费用折算点数：${formatPoints(e.costPaidPoints)}（${what} ${yuan(e.expectedPayment, lang)} ÷ 点值 ${pv} 元/点）`
        : `points of a case paid its cost: ${formatPoints(e.costPaidPoints)} (${what}, ${yuan(e.expectedPayment, lang)}, ÷ point value ${pv} yuan per point)`,
    );
  }
  out.push(`${L('预测支付：', 'expected payment: ')}${yuan(e.expectedPayment, lang)}`);
  out.push(
    `${L('其中统筹基金支付（预测）：', 'of which pooled-fund payment (expected): ')}${
      e.fundBasis === 'not-given'
        ? L(
            '未估算（未给出统筹基金支付 --fund，且公布参数无基金支付比例）',
            'not estimated (no pooled-fund payment --fund given and no fund payment ratio published)',
          )
        : yuan(e.expectedFund, lang)
    }`,
  );
  out.push(`${L('预测盈亏：', 'expected profit/loss: ')}${yuan(e.profit, lang)}`);
  if (e.prompts.length > 0) {
    out.push(`${L('事前提示：', 'before-care prompts:')}`);
    for (const p of e.prompts) {
      const level = p.level === 'reject' ? L('质控将拒收', 'QC would reject') : L('信息不完整', 'incomplete');
      out.push(`  [${level}] ${zh ? p.zh : p.en}`);
    }
  } else {
    out.push(L('事前提示：无', 'before-care prompts: none'));
  }
  return out.join('\n');
}
