// @ts-check
// Widgets more than one page shows: an issue's level badge, a mention row, a list row's enable/delete buttons, a table header.
import { apiAction } from './api.js';
import { externalLink, h } from './dom.js';
import { fmtTime, label, LEVEL_LABELS, SENTIMENT_LABELS } from './format.js';

/**
 * An issue level as a coloured badge (重大, 较大, 一般, 未分级).
 * @param {string} level
 */
export function levelBadge(level) {
  return h('span', { class: `badge level-${level}`, text: label(LEVEL_LABELS, level) });
}

/**
 * A mention as a list row; everything from the crawl is set as text.
 * @param {any} m a mention as the API lists it
 * @param {import('./dom.js').Child} [extra] appended to the meta line (e.g. a control)
 */
export function mentionRow(m, extra) {
  return h(
    'article',
    { class: 'mention', dataset: { id: String(m.id) } },
    h('h3', {}, externalLink(m.url, m.title || '（无标题）')),
    h('p', { class: 'snippet', text: m.snippet ?? '' }),
    h(
      'div',
      { class: 'meta' },
      h('span', { text: m.sourceName ?? m.siteName ?? '未知来源' }),
      h('span', { text: fmtTime(m.publishedAt ?? m.fetchedAt) }),
      m.category ? h('span', { class: 'tag', text: m.category }) : null,
      m.sentiment
        ? h('span', { class: `tag sentiment-${m.sentiment}`, text: label(SENTIMENT_LABELS, m.sentiment) })
        : null,
      m.relevant === false ? h('span', { class: 'tag muted', text: '不相关' }) : null,
      m.issueId ? h('a', { href: `/issues/${m.issueId}`, text: `议题 #${m.issueId}` }) : null,
      h('span', { class: 'muted', text: `赞 ${m.likes} · 评 ${m.comments} · 转 ${m.reposts}` }),
      extra ?? null,
    ),
  );
}

/**
 * 停用/启用 and 删除 buttons for a row of a configurable list (sources, monitoring schemes).
 * @param {{ path: string, enabled: boolean, confirmDelete: string, reload: () => unknown }} row the row's API path
 *   (`/api/sources/3`), whether it is enabled, the question asked before deleting, and what to do after a change
 */
export function enableAndDeleteButtons({ path, enabled, confirmDelete, reload }) {
  return [
    h('button', {
      type: 'button',
      text: enabled ? '停用' : '启用',
      on: {
        click: async () => {
          if (await apiAction('PATCH', path, { enabled: !enabled }, '已更新')) void reload();
        },
      },
    }),
    h('button', {
      type: 'button',
      class: 'danger',
      text: '删除',
      on: {
        click: async () => {
          if (confirm(confirmDelete) && (await apiAction('DELETE', path, undefined, '已删除'))) void reload();
        },
      },
    }),
  ];
}

/**
 * The header row of a data table.
 * @param {string[]} labels column titles
 */
export function tableHead(labels) {
  return h(
    'thead',
    {},
    h(
      'tr',
      {},
      labels.map((t) => h('th', { text: t })),
    ),
  );
}
