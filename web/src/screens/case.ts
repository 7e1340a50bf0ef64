/**
 * 病例 / Case: the settlement list of one case (person number masked) and, with a stored run, every step behind
 * its group, points and payment.
 */
import { get } from '../api.ts';
import { h, kv, yuan } from '../dom.ts';
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

export const caseScreen: Screen = {
  path: 'case',
  title: 'case',
  nav: false,
  visible: anyone,
  async render(ctx) {
    const id = ctx.args[0] ?? '';
    const c = await get<CaseDetail>(`/api/cases/${encodeURIComponent(id)}`);
    return h(
      'div',
      { class: 'screen' },
      h('h2', { 'data-testid': 'screen-title' }, `${t('case')} ${c.setlId}`),
      caseCard(c, !ctx.me.personalData),
    );
  },
};
