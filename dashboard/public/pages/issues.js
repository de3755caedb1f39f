// @ts-check
import { field, formValues, h, render, select } from '../lib/dom.js';
import { filterForm, keysetPages, pagedList } from '../lib/paged-list.js';
import { api } from '../lib/api.js';
import { fmtDeadline, fmtTime, label, LEVEL_LABELS, ISSUE_STATUS_LABELS } from '../lib/format.js';
import { levelBadge, tableHead } from '../lib/widgets.js';

/**
 * @param {HTMLElement} main
 */
export default async function issuesPage(main) {
  const params = new URLSearchParams(location.search);
  const [{ items: sources }, { categories }] = await Promise.all([
    api('GET', '/api/sources'),
    api('GET', '/api/categories'),
  ]);
  const body = h('tbody');
  /** @type {Record<string, string>} */
  let filters = {};
  const { more, load } = pagedList({
    container: body,
    fetchPage: keysetPages('/api/issues', () => filters, { limit: 50, cursorParam: 'cursor', nextField: 'nextCursor' }),
    row: (i) =>
      h(
        'tr',
        { class: i.overdue ? 'overdue' : '', dataset: { id: String(i.id) } },
        h('td', {}, h('a', { href: `/issues/${i.id}`, text: i.title })),
        h('td', {}, levelBadge(i.level)),
        h('td', { class: 'nowrap', text: label(ISSUE_STATUS_LABELS, i.status) }),
        h('td', { text: i.category ?? '—' }),
        h('td', { class: 'num', text: String(i.mentionCount) }),
        h('td', { class: 'num', text: i.hotness.toFixed(1) }),
        h('td', { text: fmtTime(i.lastSeenAt) }),
        h('td', { class: i.overdue ? 'overdue-text' : '', text: i.deadlineAt ? fmtDeadline(i.deadlineAt) : '—' }),
      ),
    empty: () => h('tr', {}, h('td', { attrs: { colspan: 8 }, class: 'empty', text: '没有符合条件的议题' })),
  });

  const form = filterForm(
    {
      urlPath: '/issues',
      onFilter: (values) => {
        filters = values;
        void load(true);
      },
    },
    field(
      '搜索',
      h('input', {
        name: 'q',
        type: 'search',
        value: params.get('q') ?? '',
        placeholder: '提及全文检索',
        maxLength: 100,
      }),
    ),
    field('状态', select('status', [['', '全部'], ...Object.entries(ISSUE_STATUS_LABELS)], params.get('status'))),
    field('级别', select('level', [['', '全部'], ...Object.entries(LEVEL_LABELS).reverse()], params.get('level'))),
    field('类别', select('category', [['', '全部'], ...categories.map((c) => [c, c])], params.get('category'))),
    field('信源', select('sourceId', [['', '全部'], ...sources.map((s) => [s.id, s.name])], params.get('sourceId'))),
    field('起', h('input', { name: 'since', type: 'date', value: params.get('since') ?? '' })),
    field('止', h('input', { name: 'until', type: 'date', value: params.get('until') ?? '' })),
    field(
      '超期',
      select(
        'overdue',
        [
          ['', '全部'],
          ['true', '仅超期'],
        ],
        params.get('overdue'),
      ),
    ),
    field(
      '排序',
      select(
        'sort',
        [
          ['recent', '最近活跃'],
          ['hot', '热度'],
        ],
        params.get('sort'),
      ),
    ),
    h('button', { type: 'submit', class: 'primary', text: '查询' }),
  );
  filters = formValues(form);
  render(
    main,
    h('h1', { text: '议题' }),
    form,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data' },
        tableHead(['标题', '级别', '状态', '类别', '提及', '热度', '最近', '回应时限']),
        body,
      ),
    ),
    more,
  );
  await load(true);
}
