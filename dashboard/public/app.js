// @ts-check
// Bootstraps a page: who is logged in, the navigation for that role, then the page's own module.
import { byId, h, render, toast } from './lib/dom.js';
import { api, markLoggedOut, setCsrfToken } from './lib/api.js';

const NAV = [
  ['/', '总览', 'read'],
  ['/mentions', '提及', 'read'],
  ['/issues', '议题', 'read'],
  ['/responses', '回应', 'read'],
  ['/sources', '信源', 'read'],
  ['/digests', '舆情日报', 'digest'],
  ['/reports', '报告', 'reports'],
  ['/users', '用户', 'admin'],
  ['/alerts', '预警推送', 'admin'],
  ['/models', '模型', 'admin'],
  ['/audit', '审计', 'audit'],
  ['/policy', '政策评估', 'policy'],
  ['/admin/queues', '队列', 'admin'],
  ['/tokens', 'API 令牌', 'read'],
];

/** @param {import('./lib/api.js').Me} me */
function renderNav(me) {
  const nav = byId('nav');
  const here = location.pathname;
  render(
    nav,
    NAV.filter(([, , perm]) => me.can[perm]).map(([href, text]) => {
      const active = href === '/' ? here === '/' : here.startsWith(href);
      return h('a', { href, text, class: active ? 'active' : '', attrs: active ? { 'aria-current': 'page' } : {} });
    }),
  );
  const logout = h('button', {
    type: 'button',
    class: 'link',
    text: '退出',
    on: {
      click: async () => {
        markLoggedOut();
        await api('POST', '/api/auth/logout', {}, { redirectOn401: false }).catch(() => {});
        location.assign('/login');
      },
    },
  });
  const password = h('a', { href: '/password', class: 'link', text: '修改密码' });
  render(
    byId('whoami'),
    h('span', { class: 'user', text: `${me.user.displayName}（${me.user.roleLabel}）` }),
    password,
    logout,
  );
}

async function main() {
  const page = document.body.dataset.page;
  const main = byId('main');
  if (page === 'forbidden' || page === 'not-found') {
    const allowed = document.body.dataset.allowedRoles;
    /** @type {import('./lib/api.js').Me | null} */
    let me = null;
    if (page === 'forbidden') {
      // Logged in (else the server had sent the login page): the navigation shows what this role may open.
      me = await api('GET', '/api/auth/me').catch(() => null);
      if (me) renderNav(me);
    }
    render(
      main,
      h(
        'section',
        { class: 'card', id: 'forbidden-message' },
        h('h1', { text: page === 'forbidden' ? '无权访问' : '页面不存在' }),
        page === 'forbidden'
          ? h('p', {
              text: `此页面仅限${allowed ?? '其他角色'}查看${me ? `，您当前的角色是${me.user.roleLabel}` : ''}。如需访问，请联系管理员调整角色。`,
            })
          : null,
        h('p', {}, h('a', { href: '/', text: '返回总览' })),
      ),
    );
    return;
  }
  let me = null;
  if (page !== 'login') {
    me = await api('GET', '/api/auth/me');
    setCsrfToken(me.csrfToken);
    renderNav(me);
  }
  const module = await import(`./pages/${page}.js`);
  await module.default(main, { me });
  // The page has loaded what it shows: browser tests (and scripts) wait for this before acting on it.
  document.body.dataset.ready = 'true';
}

main().catch((error) => {
  console.error(error);
  toast(error.message ?? String(error), 'error');
});
