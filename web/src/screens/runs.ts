/** 结算运行 / Settlement runs — which runs exist, and for one run: what went in (files with hashes, policies). */
import { type ApiTable, get, post } from '../api.ts';
import { errorView, h, kv, tableView } from '../dom.ts';
import { t } from '../i18n.ts';
import { anyone, type Screen } from './screen.ts';

export const runsScreen: Screen = {
  path: 'runs',
  title: 'runs',
  nav: true,
  visible: anyone,
  async render(ctx) {
    const tbl = await get<ApiTable>('/api/runs');
    const parts: HTMLElement[] = [h('h2', { 'data-testid': 'screen-title' }, t('runs'))];
    if (ctx.me.role === 'agency') parts.push(startForm(Number(tbl.rows[0]?.year) || new Date().getFullYear() - 1));
    parts.push(tableView(tbl, { source: '/api/runs', link: (r, c) => (c.key === 'id' ? `#/run/${r.id}` : undefined) }));
    return h('div', { class: 'screen' }, ...parts);
  },
};

interface Job {
  id: string;
  status: 'running' | 'done' | 'failed';
  stage: string | null;
  runId: string | null;
  message: string | null;
  error?: { zh: string; en: string } | null;
}

/** Start a settlement run and follow its progress (agency). */
function startForm(year: number): HTMLElement {
  const input = h('input', { name: 'year', value: String(year), size: 6, 'data-testid': 'run-year' });
  const status = h('span', { 'data-testid': 'run-status' });
  const form = h(
    'form',
    { class: 'card' },
    `${t('year')} `,
    input,
    ' ',
    h('button', { type: 'submit', 'data-testid': 'run-start' }, t('startRun')),
    ' ',
    status,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    post<Job>('/api/runs', { year: Number(input.value) })
      .then(async (job) => {
        while (job.status === 'running') {
          status.textContent = `${t('running')} ${job.stage ?? ''}`;
          await new Promise((r) => setTimeout(r, 1000));
          job = await get<Job>(`/api/jobs/${job.id}`);
        }
        if (job.status === 'done') location.hash = `#/run/${job.runId}`;
        else status.replaceChildren(errorView(job.error ?? { zh: job.message ?? '', en: job.message ?? '' }));
      })
      .catch((e) => status.replaceChildren(errorView(e)));
  });
  return form;
}

interface RunDetail {
  record: {
    id: string;
    region: string;
    year: number;
    command: string;
    status: string;
    startedAt: string;
    finishedAt: string;
    counts: Record<string, number>;
  };
  policies: { policyId: string; kind: string; version: string; file: string; sha256: string }[];
  derived: { kind: string; name: string; bytes: number; text?: string }[];
  commandText?: string;
  statusText?: string;
  table: ApiTable;
}

export const runScreen: Screen = {
  path: 'run',
  title: 'run',
  nav: false,
  visible: anyone,
  async render(ctx) {
    const id = ctx.args[0] ?? 'latest';
    const d = await get<RunDetail>(`/api/runs/${encodeURIComponent(id)}`);
    const r = d.record;
    return h(
      'div',
      { class: 'screen' },
      h('h2', { 'data-testid': 'screen-title' }, `${t('run')} ${r.id}`),
      h(
        'section',
        { class: 'card' },
        kv([
          [t('region'), r.region],
          [t('year'), String(r.year)],
          [t('command'), d.commandText ?? r.command],
          [t('status'), d.statusText ?? r.status],
          [t('started'), r.startedAt],
          [t('finished'), r.finishedAt],
        ]),
      ),
      tableView(d.table, { source: `/api/runs/${encodeURIComponent(r.id)}`, testId: 'table-run-inputs' }),
      h(
        'section',
        { class: 'card' },
        h('h3', {}, t('derived')),
        h(
          'ul',
          {},
          ...d.derived.map((x) =>
            h('li', {}, x.text ?? `${x.kind} · ${x.name} (${x.bytes.toLocaleString('en-US')} B)`),
          ),
        ),
      ),
    );
  },
};
