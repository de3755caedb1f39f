// @ts-check
import { h, render } from '../lib/dom.js';
import { api } from '../lib/api.js';
import { fmtDeadline, fmtTime, label, RESPONSE_STATUS_LABELS } from '../lib/format.js';
import { levelBadge, tableHead } from '../lib/widgets.js';

/**
 * @param {HTMLElement} main
 */
export default async function responsesPage(main) {
  const { items } = await api('GET', '/api/responses');
  render(
    main,
    h('h1', { text: '回应' }),
    h('p', { class: 'muted', text: '从议题详情页创建回应草稿。' }),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data' },
        tableHead(['回应', '议题', '级别', '状态', '起草人', '时限', '更新']),
        h(
          'tbody',
          {},
          items.length
            ? items.map((r) =>
                h(
                  'tr',
                  { class: r.overdue ? 'overdue' : '' },
                  h('td', {}, h('a', { href: `/responses/${r.id}`, text: `#${r.id}` })),
                  h('td', {}, h('a', { href: `/issues/${r.issue.id}`, text: r.issue.title })),
                  h('td', {}, levelBadge(r.issue.level)),
                  h('td', { text: label(RESPONSE_STATUS_LABELS, r.status) }),
                  h('td', { text: r.author.displayName }),
                  h('td', {
                    class: r.overdue ? 'overdue-text' : '',
                    text: r.status === 'published' ? '已发布' : fmtDeadline(r.deadlineAt),
                  }),
                  h('td', { text: fmtTime(r.updatedAt) }),
                ),
              )
            : h('tr', {}, h('td', { attrs: { colspan: 7 }, class: 'empty', text: '暂无回应' })),
        ),
      ),
    ),
  );
}
