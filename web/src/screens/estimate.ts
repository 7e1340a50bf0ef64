/**
 * 单病例预测 / Case estimate — for a hospital's insurance office before discharge: what this case will be paid
 * under the latest run's rules (group, points, expected payment at the year-end point value, expected profit or
 * loss against its cost), with every step. An institution estimates only its own cases.
 */
import { post } from '../api.ts';
import { errorView, explanationView, h, kpis, points, type Step, yuan } from '../dom.ts';
import { lang, t } from '../i18n.ts';
import { anyone, type Screen } from './screen.ts';

interface Words {
  zh: string;
  en: string;
}
interface EstimateResult {
  run: string;
  method: 'dip' | 'drg' | 'per-diem' | 'single-disease';
  /** The method in the reader's words (按病种分值付费（DIP）, 按床日付费, …). */
  methodLabel?: string;
  group: string | null;
  /** The group in words (K35.8 + 47.0100, J18.9（无手术操作）). */
  groupText?: string | null;
  groupName: string | null;
  statusLabel: string;
  points: number | null;
  /** A case paid its cost: the points that cost is worth at the point value (shown when `points` is null). */
  costPaidPoints?: number | null;
  weight: string | null;
  thresholds: { low: number; high: number } | null;
  expectedPayment: number;
  pointValue: string;
  cost: number;
  profit: number;
  path: (Words & { stage: string })[];
  prompts: (Words & { level: string })[];
  explanation?: { steps: Step[] };
}

const words = (w: Words) => (lang() === 'en' ? w.en : w.zh);

function field(name: string, labelText: string, value: string, attrs: Record<string, string> = {}): HTMLElement {
  return h('label', {}, h('span', {}, labelText), h('input', { name, value, 'data-testid': `est-${name}`, ...attrs }));
}

export const estimateScreen: Screen = {
  path: 'estimate',
  title: 'estimate',
  nav: true,
  visible: anyone,
  async render(ctx) {
    const inst = ctx.me.institution ?? '';
    const form = h(
      'form',
      { class: 'card estimate-form', 'data-testid': 'estimate-form' },
      field('institution', t('institution'), inst, ctx.me.role === 'institution' ? { readonly: 'true' } : {}),
      field('sex', `${t('sex')} (1/2)`, '1'),
      field('age', t('age'), '60'),
      field('admission', t('admission'), '2025-06-01', { type: 'date' }),
      field('discharge', t('discharge'), '2025-06-08', { type: 'date' }),
      field('losDays', t('los'), '7'),
      field('diagnoses', `${t('diagnoses')} (,)`, 'I21.000, I10.x00'),
      field('procedures', `${t('procedures')} (,)`, ''),
      // walk4 item 21: the form had no field for these, yet the estimate always prompted that they were missing.
      field('procedureDate', `${t('procedureDate')} ${t('procedureDateHelp')}`, '', { type: 'date' }),
      field('department', t('department'), '03'),
      field('doctor', t('doctorCode'), ''),
      field('totalCost', `${t('totalCost')} (${t('yuan')})`, '30000.00'),
      h('button', { type: 'submit', 'data-testid': 'estimate-submit' }, t('estimate')),
    );
    const out = h('div', { 'data-testid': 'estimate-result' });
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const v = (n: string) => (form.querySelector(`[name=${n}]`) as HTMLInputElement).value.trim();
      const list = (n: string) =>
        v(n)
          .split(/[,，\s]+/)
          .filter(Boolean);
      post<EstimateResult>('/api/estimate?explain=true', {
        institution: v('institution'),
        sex: v('sex'),
        age: Number(v('age')),
        admission: v('admission'),
        discharge: v('discharge'),
        losDays: Number(v('losDays')),
        diagnoses: list('diagnoses'),
        // code@date, else the one procedure date of the form (a procedure without a date is prompted, as QC asks)
        procedures: list('procedures').map((p) => {
          const [code, date] = p.split('@');
          const d = date || v('procedureDate');
          return d ? { code: code!, date: d } : { code: code! };
        }),
        ...(v('department') ? { department: v('department') } : {}),
        ...(v('doctor') ? { doctor: v('doctor') } : {}),
        totalCost: v('totalCost'),
      })
        .then((r) => {
          out.replaceChildren(
            kpis([
              [t('method'), r.methodLabel ?? r.method.toUpperCase(), 'est-method'],
              [t('group'), r.groupText ?? r.group ?? '—', 'est-group'],
              [t('caseTypes'), r.statusLabel],
              ...(r.weight !== null ? [[t('weight'), r.weight, 'est-weight'] as [string, string, string]] : []),
              [
                t('points'),
                r.points !== null
                  ? points(r.points)
                  : typeof r.costPaidPoints === 'number'
                    ? `${points(r.costPaidPoints)} ${t('costPaidPoints')}`
                    : '',
                'est-points',
              ],
              [t('pointValue'), r.pointValue],
              ...(r.thresholds
                ? [[t('thresholds'), `${yuan(r.thresholds.low)} – ${yuan(r.thresholds.high)}`] as [string, string]]
                : []),
              [t('expectedPayment'), yuan(r.expectedPayment), 'est-payment'],
              [t('expectedProfit'), yuan(r.profit), 'est-profit'],
            ]),
            r.prompts.length
              ? h(
                  'section',
                  { class: 'card', 'data-testid': 'estimate-prompts' },
                  h('h3', {}, t('prompts')),
                  h('ul', {}, ...r.prompts.map((x) => h('li', {}, words(x)))),
                )
              : h('span'),
            h(
              'section',
              { class: 'card', 'data-testid': 'estimate-path' },
              h(
                'h3',
                {},
                // a carved-out case has no grouping path: its method's pricing steps
                `${t(r.method === 'per-diem' || r.method === 'single-disease' ? 'pricingSteps' : 'groupPath')}${r.groupName ? `${lang() === 'en' ? ': ' : '：'}${r.groupText ?? r.group} ${r.groupName}` : ''}`,
              ),
              h('ol', {}, ...r.path.map((x) => h('li', {}, words(x)))),
            ),
            r.explanation ? explanationView(r.explanation.steps, 'estimate-explanation') : h('span'),
          );
        })
        .catch((e) => out.replaceChildren(errorView(e)));
    });
    return h(
      'div',
      { class: 'screen' },
      h('h2', { 'data-testid': 'screen-title' }, t('estimate')),
      h('p', {}, t('estimateHelp')),
      form,
      out,
    );
  },
};
