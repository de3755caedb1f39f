// @ts-check
import { externalLink, field, formValues, h, render, select, toast } from '../lib/dom.js';
import { api, apiAction } from '../lib/api.js';
import { fmtTime, SOURCE_KIND_LABELS, label, RUN_STATUS_LABELS, SCHEDULE_LABELS } from '../lib/format.js';
import { enableAndDeleteButtons, mentionRow, tableHead } from '../lib/widgets.js';
import { presetSourceForm } from './source-preset-form.js';

const words = (s) =>
  (s ?? '')
    .split(/[,，\s]+/)
    .map((w) => w.trim())
    .filter(Boolean);

/** The schedule picker's choice that reveals the cron input. */
const CUSTOM_SCHEDULE = 'custom';
const DEFAULT_SCHEDULE = '*/30 * * * *';

/**
 * "每小时" for a preset, else "自定义：<cron>".
 * @param {string} cron
 */
function scheduleText(cron) {
  return label(SCHEDULE_LABELS, cron) === cron ? `自定义：${cron}` : label(SCHEDULE_LABELS, cron);
}

/**
 * Sets `value` at a dotted path of `target`, creating the objects on the way.
 * @param {Record<string, any>} target
 * @param {string} path
 * @param {unknown} value
 */
function setPath(target, path, value) {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key];
  }
  node[/** @type {string} */ (keys[keys.length - 1])] = value;
}

/**
 * A schedule picker: the named presets and 自定义 cron, which shows a cron input.
 * @param {string} [value] the current cron expression
 */
function schedulePicker(value = DEFAULT_SCHEDULE) {
  const isPreset = Object.hasOwn(SCHEDULE_LABELS, value);
  const cron = h('input', {
    name: 'cron',
    value: isPreset ? '' : value,
    placeholder: '分 时 日 月 周：0 9 * * *',
    size: 24,
    title: '五段 cron：分 时 日 月 周（北京时间），如 0 9,17 * * 1-5 为工作日 9:00 和 17:00',
    hidden: isPreset,
    attrs: { 'aria-label': '自定义 cron 表达式' },
  });
  const picker = select(
    'schedulePreset',
    [...Object.entries(SCHEDULE_LABELS), [CUSTOM_SCHEDULE, '自定义 cron']],
    isPreset ? value : CUSTOM_SCHEDULE,
    {
      on: {
        change: () => {
          cron.hidden = picker.value !== CUSTOM_SCHEDULE;
          cron.required = !cron.hidden;
        },
      },
    },
  );
  return h('span', { class: 'schedule-picker' }, picker, cron);
}

/**
 * The cron expression a schedule picker's values stand for.
 * @param {Record<string, string>} v
 */
function scheduleOf(v) {
  return v.schedulePreset === CUSTOM_SCHEDULE ? v.cron : v.schedulePreset;
}

/**
 * The config inputs of one source kind, generated from its schema's fields (GET /api/source-kinds).
 * @param {{ path: string, label: string, type: string, required: boolean, defaultValue?: string | number }[]} fields
 */
function configInputs(fields) {
  if (!fields.length) return h('p', { class: 'muted', text: '此类型无需额外配置。' });
  return fields.map((f) =>
    field(
      f.label + (f.required ? '' : '（可选）'),
      h('input', {
        name: `config.${f.path}`,
        type: f.type === 'text' ? 'text' : 'number',
        required: f.required,
        placeholder: f.defaultValue === undefined ? '' : `默认 ${f.defaultValue}`,
        step: f.type === 'integer' ? '1' : 'any',
        dataset: { type: f.type },
      }),
    ),
  );
}

/**
 * @param {HTMLElement} main
 * @param {import('../lib/api.js').PageContext} context
 */
export default async function sourcesPage(main, { me }) {
  const reload = () => sourcesPage(main, { me });
  const can = me.can.sources;
  const [{ items: sources }, { items: schemes }, { items: kinds }] = await Promise.all([
    api('GET', '/api/sources'),
    api('GET', '/api/schemes'),
    api('GET', '/api/source-kinds'),
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
      h('td', { text: scheduleText(s.schedule), attrs: { title: s.schedule } }),
      h('td', { text: s.enabled ? '启用' : '停用' }),
      h('td', { text: fmtTime(s.lastRunAt) }),
      h('td', { text: s.lastStatus ? label(RUN_STATUS_LABELS, s.lastStatus) : '未运行' }),
      h('td', { class: 'error-text', text: s.blockedReason ?? s.lastError ?? '' }),
      h(
        'td',
        {},
        h(
          'div',
          { class: 'row-actions' },
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
    ),
  );

  const kindFields = h('fieldset', { class: 'config-fields filters' }, h('legend', { text: '配置' }));
  const advanced = h(
    'details',
    { class: 'advanced' },
    h('summary', { text: '高级：原始 JSON 配置' }),
    field(
      '其余配置（JSON，与上面的字段合并，如抓取限制 limits、JSON 接口的分页 pagination）',
      h('textarea', { name: 'config', rows: 3, placeholder: '{"limits":{"requestsPerSecond":1}}' }),
    ),
  );
  const kindSelect = select('kind', Object.entries(SOURCE_KIND_LABELS), 'rss', {
    on: { change: () => showKindFields(kindSelect.value) },
  });
  /** @param {string} kind */
  function showKindFields(kind) {
    const spec = kinds.find((k) => k.kind === kind);
    render(kindFields, h('legend', { text: `${spec?.label ?? kind} 配置` }), configInputs(spec?.fields ?? []));
  }
  showKindFields('rss');

  const addForm = h(
    'form',
    {
      class: 'stack',
      id: 'add-source',
      on: {
        submit: async (e) => {
          e.preventDefault();
          const v = formValues(addForm);
          /** @type {Record<string, any>} */
          let config;
          try {
            config = v.config ? JSON.parse(v.config) : {};
          } catch {
            return toast('高级配置不是合法的 JSON', 'error');
          }
          if (typeof config !== 'object' || config === null || Array.isArray(config))
            return toast('高级配置应为 JSON 对象，如 {"limits":{…}}', 'error');
          for (const input of kindFields.querySelectorAll('input')) {
            const value = input.value.trim();
            if (value === '') continue;
            setPath(config, input.name.slice('config.'.length), input.type === 'number' ? Number(value) : value);
          }
          const body = { name: v.name, kind: v.kind, url: v.url, schedule: scheduleOf(v), config };
          if (await apiAction('POST', '/api/sources', body, '信源已添加')) void reload();
        },
      },
    },
    h(
      'div',
      { class: 'filters' },
      field('名称', h('input', { name: 'name', required: true, maxLength: 100 })),
      field('类型', kindSelect),
      field('地址', h('input', { name: 'url', type: 'url', required: true, placeholder: 'https://' })),
      field('抓取计划', schedulePicker()),
    ),
    kindFields,
    advanced,
    h('div', {}, h('button', { type: 'submit', class: 'primary', text: '添加信源' })),
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
        h(
          'div',
          { class: 'row-actions' },
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
    me.can.admin ? await presetSourceForm(reload) : null,
    can ? h('section', { class: 'card' }, h('h2', { text: '添加信源' }), addForm) : null,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data', id: 'sources-table' },
        tableHead(['名称', '类型', '地址', '计划', '状态', '最近运行', '结果', '错误 / 拦截', '操作']),
        h(
          'tbody',
          {},
          rows.length ? rows : h('tr', {}, h('td', { attrs: { colspan: 9 }, class: 'empty', text: '尚无信源' })),
        ),
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
        h(
          'tbody',
          { id: 'schemes-body' },
          schemeRows.length
            ? schemeRows
            : h(
                'tr',
                {},
                h('td', {
                  attrs: { colspan: 7 },
                  class: 'empty',
                  text: can
                    ? '尚无监测方案：未设方案时，信源抓到的内容全部进入分析。可在上方添加方案，按地域词、事件词筛选。'
                    : '尚无监测方案：信源抓到的内容全部进入分析。',
                }),
              ),
        ),
      ),
    ),
  );
}
