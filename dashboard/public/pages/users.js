// @ts-check
import { field, formValues, h, render, select, toast, toastError } from '../lib/dom.js';
import { api, apiAction } from '../lib/api.js';
import { fmtTime, ROLE_LABELS } from '../lib/format.js';
import { tableHead } from '../lib/widgets.js';

/**
 * @param {HTMLElement} main
 * @param {import('../lib/api.js').PageContext} context
 */
export default async function usersPage(main, { me }) {
  const reload = () => usersPage(main, { me });
  const { items } = await api('GET', '/api/users');
  const secret = h('p', { class: 'secret', id: 'generated-password', attrs: { role: 'status' } });
  function showPassword(username, password) {
    secret.textContent = `${username} 的初始密码（只显示这一次）：${password}`;
  }
  const createForm = h(
    'form',
    {
      class: 'filters',
      id: 'create-user',
      on: {
        submit: async (e) => {
          e.preventDefault();
          const v = formValues(createForm);
          try {
            const res = await api('POST', '/api/users', {
              username: v.username,
              displayName: v.displayName,
              role: v.role,
              ...(v.email ? { email: v.email } : {}),
              ...(v.password ? { password: v.password } : {}),
            });
            toast('用户已创建');
            await reload();
            if (res.generatedPassword) showPassword(res.user.username, res.generatedPassword);
          } catch (err) {
            toastError(err);
          }
        },
      },
    },
    field('用户名', h('input', { name: 'username', required: true, pattern: '[A-Za-z0-9._-]{2,64}' })),
    field('姓名', h('input', { name: 'displayName', required: true, maxLength: 64 })),
    field('邮箱', h('input', { name: 'email', type: 'email' })),
    field('角色', select('role', Object.entries(ROLE_LABELS), 'analyst')),
    field(
      '密码',
      h('input', { name: 'password', type: 'password', minLength: 10, autocomplete: 'new-password' }),
      '留空则自动生成',
    ),
    h('button', { type: 'submit', class: 'primary', text: '创建用户' }),
  );

  const rows = items.map((u) => {
    const roleSel = select('role', Object.entries(ROLE_LABELS), u.role);
    const patch = async (body, message) => {
      if (await apiAction('PATCH', `/api/users/${u.id}`, body, message)) await reload();
    };
    return h(
      'tr',
      { class: u.active ? '' : 'muted' },
      h('td', { text: u.username }),
      h('td', { text: u.displayName }),
      h('td', { text: u.email ?? '' }),
      h(
        'td',
        {},
        roleSel,
        h('button', {
          type: 'button',
          text: '改角色',
          on: { click: () => patch({ role: roleSel.value }, '角色已修改') },
        }),
      ),
      h('td', { text: u.active ? '启用' : '停用' }),
      h('td', { text: fmtTime(u.createdAt) }),
      h(
        'td',
        {},
        h('button', {
          type: 'button',
          text: u.active ? '停用' : '启用',
          on: { click: () => patch({ active: !u.active }, u.active ? '已停用' : '已启用') },
        }),
        h('button', {
          type: 'button',
          text: '重置密码',
          on: {
            click: async () => {
              try {
                const res = await api('POST', `/api/users/${u.id}/password`, {});
                showPassword(u.username, res.generatedPassword);
              } catch (err) {
                toastError(err);
              }
            },
          },
        }),
      ),
    );
  });
  render(
    main,
    h('h1', { text: '用户管理' }),
    h('section', { class: 'card' }, h('h2', { text: '新建用户' }), createForm, secret),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data', id: 'users-table' },
        tableHead(['用户名', '姓名', '邮箱', '角色', '状态', '创建', '操作']),
        h('tbody', {}, rows),
      ),
    ),
  );
}
