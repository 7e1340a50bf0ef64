/**
 * DIP as a `PaymentMethod` (src/payment/method.ts), for the shared contract suite and for callers that want
 * UnitResults with explanations straight from cases. (R-PAY-DIP)
 *
 * 002 四(二): "实现住院病例全覆盖" — every case gets a result with a status, never a silent drop.
 */
import type { SettledCase } from '../../model/case.ts';
import type { PaymentMethod, UnitResult } from '../../model/unit-result.ts';
import type { DipEngine, EvaluateOptions } from './engine.ts';
import { toUnitResults } from './unit-result.ts';

export interface DipMethodContext {
  engine: DipEngine;
  options?: EvaluateOptions;
}

export const dipMethod: PaymentMethod<SettledCase, DipMethodContext> = {
  id: 'dip',
  zh: '按病种分值付费（DIP）',
  en: 'DIP (diagnosis-intervention packet) points',
  evaluate(units: readonly SettledCase[], context: DipMethodContext): UnitResult[] {
    const { results } = context.engine.evaluate(units, context.options ?? {});
    return toUnitResults(results, context.engine, true);
  },
};
