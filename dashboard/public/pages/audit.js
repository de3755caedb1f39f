// @ts-check
import { field, h, render } from '../lib/dom.js';
import { filterForm, keysetPages, pagedList } from '../lib/paged-list.js';
import { AUDIT_ACTION_LABELS, fmtTime, label } from '../lib/format.js';
import { tableHead } from '../lib/widgets.js';

/**
 * @param {HTMLElement} main
 */
export default async function auditPage(main) {
  const body = h('tbody');
  /** @type {Record<string, string>} */
  let filters = {};
  const { more, load } = pagedList({
    container: body,
    fetchPage: keysetPages('/api/audit', () => filters, { limit: 100 }),
    row: (a) =>
      h(
        'tr',
        {},
        h('td', { text: fmtTime(a.at) }),
        h('td', { text: a.actor ? `${a.actor.displayName}（${a.actor.username}）` : '—' }),
        h('td', { text: label(AUDIT_ACTION_LABELS, a.action) }),
        h('td', { text: `${a.entityType}${a.entityId ? ` #${a.entityId}` : ''}` }),
        h('td', { class: 'details', text: JSON.stringify(a.details) }),
        h('td', { text: a.ip ?? '' }),
      ),
  });
  const form = filterForm(
    {
      onFilter: (values) => {
        filters = values;
        void load(true);
      },
    },
    field(
      '对象类型',
      h('input', { name: 'entityType', placeholder: 'issue / response / user / source', maxLength: 30 }),
    ),
    field('对象编号', h('input', { name: 'entityId', maxLength: 30 })),
    h('button', { type: 'submit', class: 'primary', text: '筛选' }),
  );
  render(
    main,
    h('h1', { text: '审计日志' }),
    form,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data', id: 'audit-table' },
        tableHead(['时间', '操作人', '操作', '对象', '详情', '地址']),
        body,
      ),
    ),
    more,
  );
  await load(true);
}
