/**
 * 监控疑点 / Monitoring queue — for the agency's reviewers (and each institution for its own flags): which cases and
 * institutions did the latest whole-year monitoring run flag, under which rule, how severe, how much money is at
 * issue and on what evidence? Filter by rule, institution, severity, result and review; open a flag's explanation
 * (rule, logic, evidence against the peer baseline) and — the agency only — confirm or dismiss it with a reason.
 * With one institution in view, its indicators (QC failure rate, high-weight group share, MCC share, …) beside
 * the mean and spread of its same-level peers.
 */
import { type ApiTable, get, post } from '../api.ts';
import { errorView, explanationView, h, kpis, type Step, tableView, yuan } from '../dom.ts';
import { lang, t } from '../i18n.ts';
import { anyone, type Screen } from './screen.ts';

interface Queue {
  monitorRun: { id: string; year: number; runId: string | null; startedAt: string };
  amount: number;
  rules: { id: string; name: string; flags: number }[];
  table: ApiTable;
}

interface FlagDetail {
  flag: { flagId: string; institutionCode: string; setlId: string; amount: number };
  rule: { id: string; name: string; clause: string } | null;
  review: { decision: string; reason: string; reviewer: string; at: string; amount?: number } | null;
  explanation: { subject: string; steps: Step[] };
}

const FILTERS = ['rule', 'institution', 'severity', 'result', 'decision'] as const;

function select(name: string, options: [string, string][], value: string): HTMLSelectElement {
  return h(
    'select',
    { name, 'data-testid': `filter-${name}` },
    h('option', { value: '' }, t('all')),
    ...options.map(([v, label]) => h('option', v === value ? { value: v, selected: 'true' } : { value: v }, label)),
  );
}

function filterForm(q: URLSearchParams, queue: Queue, agency: boolean): HTMLElement {
  const en = lang() === 'en';
  const inst = h('input', {
    name: 'institution',
    value: q.get('institution') ?? '',
    size: 14,
    'data-testid': 'filter-institution',
  });
  const f = h(
    'form',
    { class: 'card filters', 'data-testid': 'monitor-filters' },
    h(
      'label',
      {},
      `${t('rule')} `,
      select(
        'rule',
        queue.rules.map((r) => [r.id, `${r.id} ${r.name} (${r.flags})`]),
        q.get('rule') ?? '',
      ),
    ),
    h(
      'label',
      {},
      `${t('severity')} `,
      select(
        'severity',
        [
          ['high', en ? 'high' : '高'],
          ['medium', en ? 'medium' : '中'],
          ['low', en ? 'low' : '低'],
        ],
        q.get('severity') ?? '',
      ),
    ),
    h(
      'label',
      {},
      `${t('flagResult')} `,
      select(
        'result',
        [
          ['violation', en ? 'violation' : '违规'],
          ['suspicious', en ? 'suspicious' : '可疑'],
        ],
        q.get('result') ?? '',
      ),
    ),
    h(
      'label',
      {},
      `${t('review')} `,
      select(
        'decision',
        [
          ['open', en ? 'open' : '待复核'],
          ['confirmed', en ? 'confirmed' : '已确认'],
          ['dismissed', en ? 'dismissed' : '已排除'],
        ],
        q.get('decision') ?? '',
      ),
    ),
    agency ? h('label', {}, `${t('institution')} `, inst) : h('span'),
    h('button', { type: 'submit', 'data-testid': 'filter-apply' }, t('filter')),
  );
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const next = new URLSearchParams();
    for (const k of FILTERS) {
      const el = f.querySelector(`[name=${k}]`) as HTMLInputElement | HTMLSelectElement | null;
      if (el?.value) next.set(k, el.value);
    }
    location.hash = `#/monitor?${next}`;
  });
  return f;
}

function reviewForm(d: FlagDetail, back: string): HTMLElement {
  const decision = select(
    'decision',
    [
      ['confirmed', t('confirm')],
      ['dismissed', t('dismiss')],
    ],
    'confirmed',
  );
  decision.querySelector('option[value=""]')?.remove();
  const reason = h('input', { name: 'reason', size: 40, 'data-testid': 'review-reason' });
  const amount = h('input', {
    name: 'amount',
    size: 12,
    placeholder: yuan(d.flag.amount),
    'data-testid': 'review-amount',
  });
  const status = h('span', { 'data-testid': 'review-status' });
  const f = h(
    'form',
    { class: 'card', 'data-testid': 'review-form' },
    h('h3', {}, t('review')),
    h('label', {}, `${t('decision')} `, decision),
    ' ',
    h('label', {}, `${t('reason')} `, reason),
    ' ',
    h('label', {}, `${t('deduction')} (${t('yuan')}) `, amount),
    ' ',
    h('button', { type: 'submit', 'data-testid': 'review-submit' }, t('save')),
    ' ',
    status,
  );
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const body: Record<string, string> = { decision: decision.value, reason: reason.value };
    if (amount.value.trim() && decision.value === 'confirmed') body.amount = amount.value.trim();
    post(`/api/monitor/flags/${encodeURIComponent(d.flag.flagId)}/review`, body)
      .then(() => {
        location.hash = back;
      })
      .catch((e) => status.replaceChildren(errorView(e)));
  });
  return f;
}

async function flagView(id: string, agency: boolean, back: string): Promise<HTMLElement> {
  const d = await get<FlagDetail>(`/api/monitor/flags/${encodeURIComponent(id)}`);
  const parts: HTMLElement[] = [
    h('h3', {}, `${t('flag')} ${d.flag.flagId}`),
    h(
      'p',
      {},
      d.rule ? `${d.rule.id} ${d.rule.name} · ${t('clause')}: ${d.rule.clause}` : '',
      d.flag.setlId ? h('span', {}, ' · ', h('a', { href: `#/case/${d.flag.setlId}` }, d.flag.setlId)) : '',
    ),
    explanationView(d.explanation.steps, 'flag-explanation'),
  ];
  if (agency) parts.push(reviewForm(d, back));
  return h('section', { class: 'flag-detail', 'data-testid': 'flag-detail' }, ...parts);
}

export const monitorScreen: Screen = {
  path: 'monitor',
  title: 'monitor',
  nav: true,
  visible: anyone,
  async render(ctx) {
    const agency = ctx.me.role === 'agency';
    const q = new URLSearchParams();
    for (const k of FILTERS) {
      const v = ctx.query.get(k);
      if (v) q.set(k, v);
    }
    const qs = q.toString();
    const source = `/api/monitor/flags${qs ? `?${qs}` : ''}`;
    const queue = await get<Queue>(source);
    const back = `#/monitor${qs ? `?${qs}` : ''}`;
    const parts: HTMLElement[] = [
      h('h2', { 'data-testid': 'screen-title' }, t('monitor')),
      h('p', {}, `${t('monitorRun')} ${queue.monitorRun.id} · ${queue.monitorRun.year}`),
      kpis([
        [t('flags'), (queue.table.total ?? queue.table.rows.length).toLocaleString('en-US'), 'kpi-flags'],
        [t('amountAtIssue'), yuan(queue.amount), 'kpi-flag-amount'],
      ]),
      filterForm(q, queue, agency),
    ];
    if (ctx.args[0]) parts.push(await flagView(ctx.args[0], agency, back));
    // One institution's indicators beside its peers: the filtered one, or an institution's own.
    const inst = q.get('institution') ?? (ctx.me.role === 'institution' ? ctx.me.institution : null);
    if (inst) {
      const src = `/api/monitor/indicators?institution=${encodeURIComponent(inst)}`;
      const ind = await get<{ table: ApiTable }>(src);
      parts.push(tableView(ind.table, { source: src, testId: 'indicators-table' }));
    }
    parts.push(
      tableView(queue.table, {
        source,
        testId: 'flags-table',
        link: (r, c) =>
          c.key === 'flagId'
            ? `#/monitor/${encodeURIComponent(String(r.flagId))}${qs ? `?${qs}` : ''}`
            : c.key === 'setlId' && r.setlId
              ? `#/case/${r.setlId}`
              : undefined,
      }),
    );
    return h('div', { class: 'screen' }, ...parts);
  },
};
