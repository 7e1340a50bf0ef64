/**
 * 病例 / Case — what one case is paid and why: its result in the latest run (method, group, case type, points or
 * fixed standard), every step behind it, and its settlement list with the person number masked.
 */
import { ApiFailure, get } from '../api.ts';
import { explanationView, h, kpis, kv, points, type Step, yuan } from '../dom.ts';
import { t } from '../i18n.ts';
import { anyone, type Screen } from './screen.ts';

export interface CaseDetail {
  setlId: string;
  psnNo: string;
  institution: string;
  insurance: string;
  sex: string;
  age: number;
  admission: string | null;
  discharge: string | null;
  losDays: number;
  dischargeWay: string;
  department: string | null;
  diagnoses: { code: string; name: string }[];
  procedures: { code: string; name: string; date: string }[];
  cost: number;
  fundPay: number;
  selfPay: number;
  ownPay: number;
}

interface UnitView {
  run: { id: string; year: number };
  unit: {
    method: string;
    group: string | null;
    groupText?: string | null;
    status: string;
    points: number | null;
    /** 病例结算金额 (fen) as the run stored it; null when not stored. */
    settled?: number | null;
    amount: number | null;
    billed: number;
    month: string;
    basis: string | null;
  };
  case: CaseDetail | null;
  explanation: { subject: string; steps: Step[]; policyChanges?: { file: string; change: string }[] } | null;
}

export function caseCard(c: CaseDetail, masked: boolean): HTMLElement {
  return h(
    'section',
    { class: 'card', 'data-testid': 'case-detail' },
    h('h3', {}, t('settlementList')),
    kv([
      [t('personNo'), h('span', { 'data-testid': 'psn-no' }, c.psnNo, masked ? t('masked') : '')],
      [t('institution'), h('a', { href: `#/institution/${c.institution}` }, c.institution)],
      [t('insurance'), c.insurance],
      [t('sex'), c.sex],
      [t('age'), String(c.age)],
      [t('admission'), c.admission ?? ''],
      [t('discharge'), c.discharge ?? ''],
      [t('los'), String(c.losDays)],
      [t('dischargeWay'), c.dischargeWay],
      [t('department'), c.department ?? ''],
      [t('totalCost'), yuan(c.cost)],
      [t('fundPay'), yuan(c.fundPay)],
      [t('selfPay'), yuan(c.selfPay)],
      [t('ownPay'), yuan(c.ownPay)],
    ]),
    h('h4', {}, t('diagnoses')),
    h('ol', {}, ...c.diagnoses.map((d) => h('li', {}, h('code', {}, d.code), ` ${d.name}`))),
    c.procedures.length ? h('h4', {}, t('procedures')) : null,
    c.procedures.length
      ? h('ol', {}, ...c.procedures.map((p) => h('li', {}, h('code', {}, p.code), ` ${p.name} ${p.date}`)))
      : null,
  );
}

async function unitOf(id: string): Promise<UnitView | null> {
  try {
    return await get<UnitView>(`/api/runs/latest/units/${encodeURIComponent(id)}`);
  } catch (e) {
    if (e instanceof ApiFailure && e.status === 404) return null;
    throw e;
  }
}

export const caseScreen: Screen = {
  path: 'case',
  title: 'case',
  nav: false,
  visible: anyone,
  async render(ctx) {
    const id = ctx.args[0] ?? '';
    const u = await unitOf(id);
    const c = u?.case ?? (await get<CaseDetail>(`/api/cases/${encodeURIComponent(id)}`));
    const parts: HTMLElement[] = [h('h2', { 'data-testid': 'screen-title' }, `${t('case')} ${id}`)];
    if (u) {
      parts.push(
        h('p', { class: 'run' }, `${t('run')}: `, h('a', { href: `#/run/${u.run.id}` }, u.run.id)),
        kpis([
          [t('method'), u.unit.method, 'kpi-method'],
          [t('group'), u.unit.groupText ?? u.unit.group ?? ''],
          [t('caseTypes'), u.unit.status],
          [
            u.unit.points !== null ? t('points') : t('fixedStandard'),
            u.unit.points !== null ? points(u.unit.points) : yuan(u.unit.amount ?? 0),
          ],
          ...(u.unit.settled !== null && u.unit.settled !== undefined
            ? [[t('settledAmount'), yuan(u.unit.settled), 'kpi-settled'] as [string, string, string]]
            : []),
          [t('totalCost'), yuan(u.unit.billed)],
        ]),
      );
      const changed = u.explanation?.policyChanges ?? [];
      if (changed.length > 0) {
        parts.push(
          h(
            'p',
            { class: 'error', 'data-testid': 'policy-changes' },
            `${t('policyChanged')}: ${changed.map((c) => c.file).join(', ')}`,
          ),
        );
      }
      parts.push(
        u.explanation
          ? explanationView(u.explanation.steps, 'case-explanation')
          : h('p', { 'data-testid': 'case-explanation' }, t('noExplanation'), u.unit.basis ? `：${u.unit.basis}` : ''),
      );
    }
    if (c) parts.push(caseCard(c, !ctx.me.personalData));
    return h('div', { class: 'screen' }, ...parts);
  },
};
