/** 结算运行 / Settlement runs — which runs exist, and for one run: what went in (files with hashes, policies). */
import { type ApiTable, get } from '../api.ts';
import { h, kv, tableView } from '../dom.ts';
import { t } from '../i18n.ts';
import { anyone, type Screen } from './screen.ts';

export const runsScreen: Screen = {
  path: 'runs',
  title: 'runs',
  nav: true,
  visible: anyone,
  async render() {
    const tbl = await get<ApiTable>('/api/runs');
    return h(
      'div',
      { class: 'screen' },
      h('h2', { 'data-testid': 'screen-title' }, t('runs')),
      tableView(tbl, { source: '/api/runs', link: (r, c) => (c.key === 'id' ? `#/run/${r.id}` : undefined) }),
    );
  },
};

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
  derived: { kind: string; name: string; bytes: number }[];
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
          [t('command'), r.command],
          [t('status'), r.status],
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
          ...d.derived.map((x) => h('li', {}, `${x.kind} · ${x.name} (${x.bytes.toLocaleString('en-US')} B)`)),
        ),
      ),
    );
  },
};
