// @ts-check
import { field, formValues, h, render, select, toast, toastError } from '../lib/dom.js';
import { api, apiAction } from '../lib/api.js';
import { fmtTime } from '../lib/format.js';
import { LABELS } from '../lib/labels.js';
import { tableHead } from '../lib/widgets.js';

const SCOPE_LABELS = LABELS.API_TOKEN_SCOPE_LABELS;

/**
 * 「API 令牌」: personal tokens for scripts, the push API and MCP clients. Each user manages their own (admins see
 * everyone's). A new token is shown once, here, and never again.
 * @param {HTMLElement} main
 * @param {string} [justCreated] the token just created, shown once above the list
 */
export default async function tokensPage(main, justCreated) {
  /** @param {string} [created] */
  const reload = (created) => tokensPage(main, created);
  const [{ items }, me, sources] = await Promise.all([
    api('GET', '/api/api-tokens'),
    api('GET', '/api/auth/me'),
    api('GET', '/api/sources').catch(() => ({ items: [] })),
  ]);
  const canIngest = me.user.role === 'analyst' || me.user.role === 'admin';
  const scopeSelect = select(
    'scope',
    Object.entries(SCOPE_LABELS).filter(([code]) => canIngest || code !== 'ingest'),
    'read',
  );
  const sourceField = field(
    '绑定信源',
    select(
      'sourceId',
      (sources.items ?? []).map((/** @type {{ id: number, name: string }} */ s) => [String(s.id), s.name]),
      '',
    ),
    '推送的数据记入此信源',
  );
  const syncScope = () => {
    sourceField.hidden = scopeSelect.value !== 'ingest';
  };
  scopeSelect.addEventListener('change', syncScope);
  syncScope();

  const form = h(
    'form',
    {
      class: 'filters',
      id: 'create-token',
      on: {
        submit: async (e) => {
          e.preventDefault();
          const v = formValues(form);
          try {
            const created = await api('POST', '/api/api-tokens', {
              name: v.name,
              scopes: [v.scope],
              ...(v.scope === 'ingest' ? { sourceId: Number(v.sourceId) } : {}),
            });
            toast('令牌已创建');
            await reload(created.token);
          } catch (err) {
            toastError(err);
          }
        },
      },
    },
    field('名称', h('input', { name: 'name', required: true, maxLength: 80, placeholder: '如：周报脚本' })),
    field('权限范围', scopeSelect),
    sourceField,
    h('button', { type: 'submit', class: 'primary', text: '创建令牌' }),
  );

  const rows = items.map(
    (
      /** @type {{ id: number, name: string, prefix: string, username: string | null, scopes: string[], createdAt: string, lastUsedAt: string | null, revokedAt: string | null }} */ t,
    ) =>
      h(
        'tr',
        { class: t.revokedAt ? 'muted' : '' },
        h('td', { text: t.name }),
        h('td', { class: 'mono', text: `${t.prefix}…` }),
        h('td', { text: t.username ?? '' }),
        h('td', { text: t.scopes.map((s) => /** @type {Record<string, string>} */ (SCOPE_LABELS)[s] ?? s).join('、') }),
        h('td', { text: fmtTime(t.createdAt) }),
        h('td', { text: t.lastUsedAt ? fmtTime(t.lastUsedAt) : '从未使用' }),
        h(
          'td',
          {},
          t.revokedAt
            ? h('span', { text: `已吊销 ${fmtTime(t.revokedAt)}` })
            : h('button', {
                type: 'button',
                text: '吊销',
                on: {
                  click: async () => {
                    if (!confirm(`吊销令牌「${t.name}」？使用它的程序将立即失去访问权限。`)) return;
                    if (await apiAction('DELETE', `/api/api-tokens/${t.id}`, undefined, '令牌已吊销')) await reload();
                  },
                },
              }),
        ),
      ),
  );

  render(
    main,
    h('h1', { text: 'API 令牌' }),
    h(
      'p',
      { class: 'hint' },
      '程序以个人令牌访问本系统：请求头 Authorization: Bearer yqt_…。「只读」可调用本人角色可用的查询接口和 MCP（/mcp），「推送数据」可向所绑定的信源推送提及（POST /api/ingest）。',
    ),
    justCreated
      ? h(
          'section',
          { class: 'card', id: 'new-token' },
          h('h2', { text: '新令牌（仅显示这一次，请立即保存）' }),
          h('p', { class: 'mono', text: justCreated }),
        )
      : null,
    h('section', { class: 'card' }, h('h2', { text: '创建令牌' }), form),
    h('h2', { text: '令牌' }),
    items.length
      ? h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'data', id: 'tokens-table' },
            tableHead(['名称', '令牌', '用户', '权限范围', '创建时间', '最近使用', '状态']),
            h('tbody', {}, rows),
          ),
        )
      : h('p', { class: 'empty', text: '还没有令牌。' }),
  );
}
