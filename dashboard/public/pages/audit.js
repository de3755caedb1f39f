import { field, formValues, h, render } from '../lib/dom.js';
import { pagedList } from '../lib/paged-list.js';
import { api, qs } from '../lib/api.js';
import { fmtTime } from '../lib/format.js';

const ACTION_LABELS = {
  'auth.login': '登录', 'auth.logout': '退出', 'auth.login-failed': '登录失败', 'auth.login-throttled': '登录被限制',
  'issue.confirm': '确认议题', 'issue.dismiss': '排除议题', 'issue.merge': '合并议题', 'issue.split': '拆分议题', 'issue.assign': '指派', 'issue.level': '设置级别', 'issue.category': '更正类别',
  'mention.label': '更正标注', 'response.create': '创建回应', 'response.revise': '修改回应', 'response.submit': '提交审批', 'response.approve': '批准', 'response.return': '退回',
  'response.publish': '发布', 'material.add': '添加材料', 'user.create': '创建用户', 'user.update': '修改用户', 'user.password': '重置密码',
  'source.create': '添加信源', 'source.update': '修改信源', 'source.enable': '启用信源', 'source.disable': '停用信源', 'source.delete': '删除信源', 'source.test-run': '试运行信源',
  'scheme.create': '添加方案', 'scheme.update': '修改方案', 'scheme.delete': '删除方案',
  'digest.subscription.update': '修改日报订阅', 'digest.resend': '重新发送日报',
};

export default async function auditPage(main) {
  const body = h('tbody');
  let filters = {};
  const { more, load } = pagedList({
    container: body,
    fetchPage: async (beforeId) => {
      const page = await api('GET', `/api/audit${qs({ ...filters, beforeId, limit: 100 })}`);
      return { items: page.items, next: page.nextBeforeId };
    },
    row: (a) => h('tr', {},
      h('td', { text: fmtTime(a.at) }), h('td', { text: a.actor ? `${a.actor.displayName}（${a.actor.username}）` : '—' }),
      h('td', { text: ACTION_LABELS[a.action] ?? a.action }), h('td', { text: `${a.entityType}${a.entityId ? ` #${a.entityId}` : ''}` }),
      h('td', { class: 'details', text: JSON.stringify(a.details) }), h('td', { text: a.ip ?? '' })),
  });
  const form = h('form', { class: 'filters', on: { submit: (e) => { e.preventDefault(); filters = formValues(form); void load(true); } } },
    field('对象类型', h('input', { name: 'entityType', placeholder: 'issue / response / user / source', maxLength: 30 })),
    field('对象编号', h('input', { name: 'entityId', maxLength: 30 })),
    h('button', { type: 'submit', class: 'primary', text: '筛选' }));
  render(main, h('h1', { text: '审计日志' }), form, h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'audit-table' },
    h('thead', {}, h('tr', {}, ['时间', '操作人', '操作', '对象', '详情', '地址'].map((t) => h('th', { text: t })))), body)), more);
  await load(true);
}
