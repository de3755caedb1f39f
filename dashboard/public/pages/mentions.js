import { externalLink, field, formValues, h, render, select } from '../lib/dom.js';
import { pagedList } from '../lib/paged-list.js';
import { api, qs } from '../lib/api.js';
import { fmtTime, label, SENTIMENT_LABELS } from '../lib/format.js';

/** A mention as a list row; everything from the crawl is set as text. */
export function mentionRow(m, extra) {
  return h('article', { class: 'mention', dataset: { id: String(m.id) } },
    h('h3', {}, externalLink(m.url, m.title || '（无标题）')),
    h('p', { class: 'snippet', text: m.snippet ?? '' }),
    h('div', { class: 'meta' },
      h('span', { text: m.sourceName ?? m.siteName ?? '未知来源' }),
      h('span', { text: fmtTime(m.publishedAt ?? m.fetchedAt) }),
      m.category ? h('span', { class: 'tag', text: m.category }) : null,
      m.sentiment ? h('span', { class: `tag sentiment-${m.sentiment}`, text: label(SENTIMENT_LABELS, m.sentiment) }) : null,
      m.relevant === false ? h('span', { class: 'tag muted', text: '不相关' }) : null,
      m.issueId ? h('a', { href: `/issues/${m.issueId}`, text: `议题 #${m.issueId}` }) : null,
      h('span', { class: 'muted', text: `赞 ${m.likes} · 评 ${m.comments} · 转 ${m.reposts}` }),
      extra ?? null));
}

export default async function mentionsPage(main) {
  const params = new URLSearchParams(location.search);
  const [{ items: sources }, { categories }] = await Promise.all([api('GET', '/api/sources'), api('GET', '/api/categories')]);
  const list = h('div', { class: 'list', id: 'mention-list' });
  let filters = {};
  const { more, load } = pagedList({
    container: list,
    fetchPage: async (beforeId) => {
      const page = await api('GET', `/api/mentions${qs({ ...filters, beforeId, limit: 50 })}`);
      return { items: page.items, next: page.nextBeforeId };
    },
    row: (m) => mentionRow(m),
    empty: () => h('p', { class: 'empty', text: '没有符合条件的提及' }),
  });

  const form = h('form', { class: 'filters', on: { submit: (e) => {
    e.preventDefault();
    filters = formValues(form);
    history.replaceState(null, '', `/mentions${qs(filters)}`);
    void load(true);
  } } },
  field('搜索', h('input', { name: 'q', type: 'search', value: params.get('q') ?? '', placeholder: '如：养老金 上调', maxLength: 100 })),
  field('信源', select('sourceId', [['', '全部'], ...sources.map((s) => [s.id, s.name])], params.get('sourceId'))),
  field('类别', select('category', [['', '全部'], ...categories.map((c) => [c, c])], params.get('category'))),
  field('情感', select('sentiment', [['', '全部'], ['negative', '负面'], ['neutral', '中性'], ['positive', '正面']], params.get('sentiment'))),
  field('相关性', select('relevant', [['', '全部'], ['true', '相关'], ['false', '不相关']], params.get('relevant'))),
  field('起', h('input', { name: 'since', type: 'date', value: params.get('since') ?? '' })),
  field('止', h('input', { name: 'until', type: 'date', value: params.get('until') ?? '' })),
  h('button', { type: 'submit', class: 'primary', text: '查询' }));
  filters = formValues(form);
  render(main, h('h1', { text: '提及' }), form, list, more);
  await load(true);
}
