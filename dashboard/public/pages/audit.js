// @ts-check
import { field, h, render, select } from '../lib/dom.js';
import { filterForm, keysetPages, pagedList } from '../lib/paged-list.js';
import { AUDIT_ACTION_LABELS, AUDIT_ENTITY_LABELS, fmtTime, label } from '../lib/format.js';
import { tableHead } from '../lib/widgets.js';

/**
 * An entry's 详情 as key/value rows (the API has put keys and values into Chinese and ids into names).
 * @param {{ key: string, value: string }[]} rows
 */
function detailList(rows) {
  if (!rows.length) return h('span', { class: 'muted', text: '—' });
  return h(
    'dl',
    { class: 'kv' },
    rows.map((r) => [h('dt', { text: r.key }), h('dd', { text: r.value })]),
  );
}

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
        h('td', { text: a.subject }),
        h('td', { class: 'details' }, detailList(a.detailRows)),
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
    field('对象类型', select('entityType', [['', '全部'], ...Object.entries(AUDIT_ENTITY_LABELS)], '')),
    field('对象编号', h('input', { name: 'entityId', maxLength: 30, placeholder: '如 12', inputMode: 'numeric' })),
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
