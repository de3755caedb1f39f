// @ts-check
import { field, formValues, h, render, toast } from '../lib/dom.js';
import { api, setCsrfToken } from '../lib/api.js';

/**
 * Self-service password change, for every role. The server checks the current password and the policy (at least
 * 10 characters, not the username, not a common password or key run) and ends every other session.
 * @param {HTMLElement} main
 */
export default function passwordPage(main) {
  const error = h('p', { class: 'error', attrs: { role: 'alert' } });
  const form = h(
    'form',
    {
      class: 'card',
      on: {
        submit: async (event) => {
          event.preventDefault();
          error.textContent = '';
          const { currentPassword, newPassword, repeatPassword } = formValues(form);
          if (newPassword !== repeatPassword) {
            error.textContent = '两次输入的新密码不一致';
            return;
          }
          try {
            const res = await api('POST', '/api/auth/password', { currentPassword, newPassword });
            setCsrfToken(res.csrfToken);
            form.reset();
            toast('密码已修改，其他设备上的登录已退出');
          } catch (e) {
            error.textContent = e instanceof Error ? e.message : String(e);
          }
        },
      },
    },
    h('h1', { text: '修改密码' }),
    field(
      '当前密码',
      h('input', { name: 'currentPassword', type: 'password', autocomplete: 'current-password', required: true }),
    ),
    field(
      '新密码',
      h('input', {
        name: 'newPassword',
        type: 'password',
        autocomplete: 'new-password',
        required: true,
        attrs: { minlength: '10' },
      }),
      '至少 10 个字符；不能包含用户名，不能是常见密码或连续的数字、字母、键盘序列',
    ),
    field(
      '再次输入新密码',
      h('input', { name: 'repeatPassword', type: 'password', autocomplete: 'new-password', required: true }),
    ),
    error,
    h('button', { type: 'submit', class: 'primary', text: '修改密码' }),
  );
  render(main, form);
}
