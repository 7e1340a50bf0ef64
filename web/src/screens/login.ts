/** Sign in with an access token; the API records the login in the audit log. */
import { type Me, post, setToken } from '../api.ts';
import { errorView, h } from '../dom.ts';
import { t } from '../i18n.ts';

export function loginScreen(onLogin: (me: Me) => Promise<void>): HTMLElement {
  const input = h('input', { type: 'password', name: 'token', 'data-testid': 'token', autocomplete: 'off', size: 40 });
  const msg = h('div');
  const form = h(
    'form',
    { class: 'login', 'data-testid': 'login-form' },
    h('h2', {}, t('login')),
    h('p', {}, t('tokenHelp')),
    h('label', {}, `${t('token')} `, input),
    h('button', { type: 'submit', 'data-testid': 'login-submit' }, t('login')),
    msg,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    post<Me>('/api/login', { token: input.value.trim() }, false)
      .then(async (me) => {
        setToken(input.value.trim());
        await onLogin(me);
      })
      .catch((e) => msg.replaceChildren(errorView(e)));
  });
  return form;
}
