// @ts-check
import { field, formValues, h, render, select } from '../lib/dom.js';
import { filterForm, keysetPages, pagedList } from '../lib/paged-list.js';
import { api } from '../lib/api.js';
import { SENTIMENT_LABELS } from '../lib/format.js';
import { mentionRow } from '../lib/widgets.js';

/**
 * @param {HTMLElement} main
 */
export default async function mentionsPage(main) {
  const params = new URLSearchParams(location.search);
  const [{ items: sources }, { categories }] = await Promise.all([
    api('GET', '/api/sources'),
    api('GET', '/api/categories'),
  ]);
  const list = h('div', { class: 'list', id: 'mention-list' });
  /** @type {Record<string, string>} */
  let filters = {};
  const { more, load } = pagedList({
    container: list,
    fetchPage: keysetPages('/api/mentions', () => filters, { limit: 50 }),
    row: (m) => mentionRow(m),
    empty: () => h('p', { class: 'empty', text: '没有符合条件的提及' }),
  });

  const form = filterForm(
    {
      urlPath: '/mentions',
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
        placeholder: '如：养老金 上调',
        maxLength: 100,
      }),
    ),
    field('信源', select('sourceId', [['', '全部'], ...sources.map((s) => [s.id, s.name])], params.get('sourceId'))),
    field('类别', select('category', [['', '全部'], ...categories.map((c) => [c, c])], params.get('category'))),
    field('情感', select('sentiment', [['', '全部'], ...Object.entries(SENTIMENT_LABELS)], params.get('sentiment'))),
    field(
      '相关性',
      select(
        'relevant',
        [
          ['', '全部'],
          ['true', '相关'],
          ['false', '不相关'],
        ],
        params.get('relevant'),
      ),
    ),
    field('起', h('input', { name: 'since', type: 'date', value: params.get('since') ?? '' })),
    field('止', h('input', { name: 'until', type: 'date', value: params.get('until') ?? '' })),
    h('button', { type: 'submit', class: 'primary', text: '查询' }),
  );
  filters = formValues(form);
  render(main, h('h1', { text: '提及' }), form, list, more);
  await load(true);
}
