/**
 * The workbench shell: sign-in, navigation by role, the language switch (Simplified Chinese by default) and a
 * hash router (#/overview, #/institution/CODE, #/case/ID, …). Every screen reads the HTTP API only.
 */
import './style.css';
import { ApiFailure, get, getToken, type Me, setToken } from './api.ts';
import { errorView, h } from './dom.ts';
import { lang, setLang, t } from './i18n.ts';
import { screens } from './screens/index.ts';
import { loginScreen } from './screens/login.ts';

let me: Me | null = null;

async function whoAmI(): Promise<Me | null> {
  if (!getToken()) return null;
  try {
    return await get<Me>('/api/me');
  } catch (e) {
    if (e instanceof ApiFailure && e.status === 401) setToken(null);
    return null;
  }
}

function header(): void {
  const top = document.getElementById('top')!;
  const langBtn = h('button', { class: 'lang', 'data-testid': 'lang-switch' }, t('language'));
  langBtn.addEventListener('click', () => {
    setLang(lang() === 'zh' ? 'en' : 'zh');
    void render();
  });
  const nav = h('nav');
  if (me) {
    for (const s of screens) {
      if (s.nav && s.visible(me)) {
        nav.append(h('a', { href: `#/${s.path}`, 'data-testid': `nav-${s.path}` }, t(s.title)));
      }
    }
  }
  const right = h('div', { class: 'who' });
  if (me) {
    const out = h('button', { 'data-testid': 'logout' }, t('logout'));
    out.addEventListener('click', () => {
      setToken(null);
      me = null;
      location.hash = '#/login';
    });
    right.append(
      h('span', { 'data-testid': 'whoami' }, `${me.name} · ${lang() === 'en' ? me.roleLabel.en : me.roleLabel.zh}`),
      out,
    );
  }
  right.append(langBtn);
  top.replaceChildren(h('div', { class: 'brand' }, 'yibao ', h('small', {}, t('appName'))), nav, right);
}

/** Renders started later win: a slow screen finishing after a newer one must not replace it. */
let renderSeq = 0;

async function render(): Promise<void> {
  const seq = ++renderSeq;
  document.title = `yibao · ${t('appName')}`;
  const app = document.getElementById('app')!;
  const [path = '', ...args] = location.hash.replace(/^#\/?/, '').split('?')[0]!.split('/');
  const query = new URLSearchParams(location.hash.split('?')[1] ?? '');
  if (!me) me = await whoAmI();
  if (seq !== renderSeq) return;
  header();
  if (!me || path === 'login') {
    app.replaceChildren(
      loginScreen(async (who) => {
        me = who;
        location.hash = `#/${who.role === 'agency' ? 'overview' : `institution/${who.institution}`}`;
      }),
    );
    return;
  }
  const screen =
    screens.find((s) => s.path === path && s.visible(me!)) ??
    screens.find((s) => s.path === path) ??
    screens.find((s) => s.visible(me!))!;
  if (!screen.visible(me)) {
    app.replaceChildren(errorView({ zh: '无权查看此页面', en: 'not allowed to view this page', code: 'FORBIDDEN' }));
    return;
  }
  app.replaceChildren(h('p', { class: 'loading' }, t('loading')));
  try {
    const view = await screen.render({ me, args: args.map(decodeURIComponent), query });
    if (seq !== renderSeq) return;
    app.replaceChildren(view);
  } catch (e) {
    if (seq !== renderSeq) return;
    app.replaceChildren(errorView(e));
  }
  app.dataset.screen = screen.path;
}

setLang(lang());
window.addEventListener('hashchange', () => void render());
void render();
