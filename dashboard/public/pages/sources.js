// @ts-check
import { externalLink, field, formValues, h, render, select, toast } from '../lib/dom.js';
import { api, apiAction } from '../lib/api.js';
import { fmtTime, SOURCE_KIND_LABELS, label, RUN_STATUS_LABELS } from '../lib/format.js';
import { enableAndDeleteButtons, mentionRow, tableHead } from '../lib/widgets.js';

const words = (s) =>
  (s ?? '')
    .split(/[,，\s]+/)
    .map((w) => w.trim())
    .filter(Boolean);

/**
 * @param {HTMLElement} main
 * @param {import('../lib/api.js').PageContext} context
 */
export default async function sourcesPage(main, { me }) {
  const reload = () => sourcesPage(main, { me });
  const can = me.can.sources;
  const [{ items: sources }, { items: schemes }] = await Promise.all([
    api('GET', '/api/sources'),
    api('GET', '/api/schemes'),
  ]);
  const detail = h('section', { class: 'card', id: 'source-detail', hidden: true });

  async function showDetail(id) {
    const d = await api('GET', `/api/sources/${id}`);
    detail.hidden = false;
    render(
      detail,
      h('h2', { text: `${d.source.name} · 最近运行与预览` }),
      h(
        'table',
        { class: 'data' },
        tableHead(['开始', '触发', '状态', '页', '条目', '新增', '错误']),
        h(
          'tbody',
          {},
          d.runs.length
            ? d.runs.map((r) =>
                h(
                  'tr',
                  { class: ['failed', 'blocked'].includes(r.status) ? 'warn' : '' },
                  h('td', { text: fmtTime(r.startedAt) }),
                  h('td', { text: r.trigger }),
                  h('td', { text: label(RUN_STATUS_LABELS, r.status) }),
                  h('td', { class: 'num', text: String(r.pagesFetched) }),
                  h('td', { class: 'num', text: String(r.itemsFound) }),
                  h('td', { class: 'num', text: String(r.mentionsNew) }),
                  h('td', { class: 'error-text', text: r.blockedReason ?? r.errorMessage ?? '' }),
                ),
              )
            : h('tr', {}, h('td', { attrs: { colspan: 7 }, class: 'empty', text: '尚无运行记录' })),
        ),
      ),
      h('h3', { text: '最新提及预览' }),
      d.preview.length ? d.preview.map((m) => mentionRow(m)) : h('p', { class: 'muted', text: '暂无' }),
    );
    detail.scrollIntoView({ behavior: 'smooth' });
  }

  const rows = sources.map((s) =>
    h(
      'tr',
      { class: s.blockedReason || s.lastStatus === 'failed' ? 'warn' : '', dataset: { id: String(s.id) } },
      h('td', { text: s.name }),
      h('td', { text: label(SOURCE_KIND_LABELS, s.kind) }),
      h('td', { class: 'url' }, externalLink(s.url)),
      h('td', { text: s.schedule }),
      h('td', { text: s.enabled ? '启用' : '停用' }),
      h('td', { text: fmtTime(s.lastRunAt) }),
      h('td', { text: s.lastStatus ? label(RUN_STATUS_LABELS, s.lastStatus) : '未运行' }),
      h('td', { class: 'error-text', text: s.blockedReason ?? s.lastError ?? '' }),
      h(
        'td',
        { class: 'actions' },
        h('button', { type: 'button', text: '运行记录', on: { click: () => showDetail(s.id) } }),
        can
          ? h('button', {
              type: 'button',
              text: '试运行',
              on: {
                click: async () => {
                  if (await apiAction('POST', `/api/sources/${s.id}/test-run`, {}, '已加入抓取队列'))
                    void showDetail(s.id);
                },
              },
            })
          : null,
        ...(can
          ? enableAndDeleteButtons({
              path: `/api/sources/${s.id}`,
              enabled: s.enabled,
              confirmDelete: `删除信源「${s.name}」？已抓取的提及会保留。`,
              reload,
            })
          : []),
      ),
    ),
  );

  const addForm = h(
    'form',
    {
      class: 'filters',
      id: 'add-source',
      on: {
        submit: async (e) => {
          e.preventDefault();
          const v = formValues(addForm);
          let config;
          try {
            config = v.config ? JSON.parse(v.config) : {};
          } catch {
            return toast('配置不是合法的 JSON', 'error');
          }
          if (
            await apiAction(
              'POST',
              '/api/sources',
              { name: v.name, kind: v.kind, url: v.url, ...(v.schedule ? { schedule: v.schedule } : {}), config },
              '信源已添加',
            )
          )
            void reload();
        },
      },
    },
    field('名称', h('input', { name: 'name', required: true, maxLength: 100 })),
    field('类型', select('kind', Object.entries(SOURCE_KIND_LABELS), 'rss')),
    field('地址', h('input', { name: 'url', type: 'url', required: true })),
    field('计划', h('input', { name: 'schedule', placeholder: '*/30 * * * *' })),
    field(
      '配置 (JSON)',
      h('textarea', { name: 'config', rows: 2, placeholder: '{"list":{"itemLinks":"ul.news-list a"}}' }),
    ),
    h('button', { type: 'submit', class: 'primary', text: '添加信源' }),
  );

  const schemeRows = schemes.map((s) =>
    h(
      'tr',
      {},
      h('td', { text: s.name }),
      h('td', { text: (s.rule.all ?? []).join('、') }),
      h('td', { text: (s.rule.any ?? []).join('、') }),
      h('td', { text: (s.rule.not ?? []).join('、') }),
      h('td', { text: s.tags.join('、') }),
      h('td', { text: s.enabled ? '启用' : '停用' }),
      h(
        'td',
        {},
        ...(can
          ? enableAndDeleteButtons({
              path: `/api/schemes/${s.id}`,
              enabled: s.enabled,
              confirmDelete: `删除方案「${s.name}」？`,
              reload,
            })
          : []),
      ),
    ),
  );
  const schemeForm = h(
    'form',
    {
      class: 'filters',
      id: 'add-scheme',
      on: {
        submit: async (e) => {
          e.preventDefault();
          const v = formValues(schemeForm);
          if (
            await apiAction(
              'POST',
              '/api/schemes',
              { name: v.name, rule: { all: words(v.all), any: words(v.any), not: words(v.not) }, tags: words(v.tags) },
              '方案已添加',
            )
          )
            void reload();
        },
      },
    },
    field('名称', h('input', { name: 'name', required: true, maxLength: 100 })),
    field('地域词（全部）', h('input', { name: 'all', placeholder: '本市, 某区' })),
    field('事件词（任一）', h('input', { name: 'any', placeholder: '欠薪, 养老金' })),
    field('排除词', h('input', { name: 'not', placeholder: '广告' })),
    field('标签', h('input', { name: 'tags' })),
    h('button', { type: 'submit', class: 'primary', text: '添加方案' }),
  );

  render(
    main,
    h('h1', { text: '信源与监测方案' }),
    can ? h('section', { class: 'card' }, h('h2', { text: '添加信源' }), addForm) : null,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data', id: 'sources-table' },
        tableHead(['名称', '类型', '地址', '计划', '状态', '最近运行', '结果', '错误 / 拦截', '操作']),
        h('tbody', {}, rows),
      ),
    ),
    detail,
    h(
      'section',
      { class: 'card' },
      h('h2', { text: '监测方案' }),
      can ? schemeForm : null,
      h(
        'table',
        { class: 'data' },
        tableHead(['名称', '地域词', '事件词', '排除词', '标签', '状态', '操作']),
        h('tbody', {}, schemeRows),
      ),
    ),
  );
}
