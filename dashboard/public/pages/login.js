// @ts-check
import { byId, field, formValues, h, render } from '../lib/dom.js';
import { api, setCsrfToken } from '../lib/api.js';

/** Only same-site paths are followed after login (no open redirect). */
function nextPath() {
  const next = new URLSearchParams(location.search).get('next') ?? '/';
  return next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

/**
 * @param {HTMLElement} main
 */
export default function loginPage(main) {
  byId('nav').hidden = true;
  const error = h('p', { class: 'error', attrs: { role: 'alert' } });
  const form = h(
    'form',
    {
      class: 'card login',
      on: {
        submit: async (event) => {
          event.preventDefault();
          error.textContent = '';
          const { username, password } = formValues(form);
          try {
            const res = await api('POST', '/api/auth/login', { username, password }, { redirectOn401: false });
            setCsrfToken(res.csrfToken);
            location.assign(nextPath());
          } catch (e) {
            error.textContent = e instanceof Error ? e.message : String(e);
          }
        },
      },
    },
    h('h1', { text: '舆情监测与回应平台' }),
    h('p', { class: 'muted', text: '市人力资源和社会保障局' }),
    field(
      '用户名',
      h('input', { name: 'username', autocomplete: 'username', required: true, attrs: { autofocus: true } }),
    ),
    field('密码', h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true })),
    error,
    h('button', { type: 'submit', class: 'primary', text: '登录' }),
  );
  render(main, form);
}
