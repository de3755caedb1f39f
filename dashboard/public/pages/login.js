// @ts-check
import { byId, field, formValues, h, render } from '../lib/dom.js';
import { api, setCsrfToken } from '../lib/api.js';

/** The page that sent the user to login (the server answers it back only when it is one of its own paths). */
function requestedNext() {
  return new URLSearchParams(location.search).get('next') ?? '/';
}

/**
 * Defence in depth next to the server's check: the answer must parse, against this origin, to a path of this origin.
 * @param {unknown} next
 */
function sameOriginPath(next) {
  if (typeof next !== 'string' || !next.startsWith('/') || /[\\\u0000-\u0020]/.test(next)) return '/';
  const url = new URL(next, location.origin);
  const path = url.pathname + url.search + url.hash;
  return url.origin === location.origin && !path.startsWith('//') ? path : '/';
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
            const res = await api(
              'POST',
              '/api/auth/login',
              { username, password, next: requestedNext() },
              { redirectOn401: false },
            );
            setCsrfToken(res.csrfToken);
            location.assign(sameOriginPath(res.next));
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
