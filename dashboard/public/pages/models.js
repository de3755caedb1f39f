// @ts-check
import { h, render } from '../lib/dom.js';
import { api, apiAction } from '../lib/api.js';
import { CLASSIFIER_TASK_LABELS, fmtTime, label } from '../lib/format.js';
import { tableHead } from '../lib/widgets.js';

/** Task names of the shipped models as the page shows them (subcategory is the 类别 an analyst corrects). */
const TASK_LABELS = { relevance: '相关性', subcategory: '二级类别', sentiment: '情感' };

/**
 * 模型管理 (admin): the models in use with their cards and figures, the retrain history with promote / roll back,
 * and the analysts' corrections as the training data they add.
 * @param {HTMLElement} main
 */
export default async function modelsPage(main) {
  const reload = () => modelsPage(main);
  const page = await api('GET', '/api/models');
  /** @param {string} path @param {string} message */
  const act = async (path, message) => {
    if (await apiAction('POST', path, {}, message)) await reload();
  };

  const inUse = page.models.map((m) => {
    const card = m.defaultCard;
    return h(
      'section',
      { class: 'card model-card' },
      h('h2', { text: `${label(TASK_LABELS, m.task)}：${m.inUse}` }),
      m.promotedVersionId
        ? h('button', {
            type: 'button',
            text: '回滚到内置默认模型',
            on: { click: () => act(`/api/models/${m.task}/rollback`, '已回滚到默认模型') },
          })
        : h('p', { class: 'muted', text: '使用内置默认模型' }),
      card
        ? h(
            'div',
            {},
            h('p', {
              class: 'muted',
              text: `默认模型：${card.examples} 条训练样本，训练于 ${fmtTime(card.trainedAt)}，文件 ${(card.sizeBytes / 1e6).toFixed(2)} MB`,
            }),
            h('h3', { text: '数据' }),
            h(
              'ul',
              {},
              card.data.map((d) => h('li', { text: d })),
            ),
            h('h3', { text: '许可说明' }),
            h('p', { text: card.licence }),
            h('h3', { text: '指标' }),
            h(
              'table',
              { class: 'data' },
              tableHead(['指标', '数值', '测量数据']),
              h(
                'tbody',
                {},
                card.figures.map((f) =>
                  h(
                    'tr',
                    {},
                    h('td', { text: f.name }),
                    h('td', { text: f.value.toFixed(4) }),
                    h('td', { text: f.measuredOn }),
                  ),
                ),
              ),
            ),
          )
        : h('p', { class: 'muted', text: '无模型卡' }),
    );
  });

  const history = page.versions.map((v) =>
    h(
      'tr',
      { class: v.promoted ? 'active' : '' },
      h('td', { text: label(TASK_LABELS, v.task) }),
      h('td', { text: v.version }),
      h('td', { text: fmtTime(v.createdAt) }),
      h('td', { text: String(v.trainedOn) }),
      h('td', { text: JSON.stringify(v.metrics) }),
      h('td', { text: v.promoted ? '使用中' : '' }),
      h(
        'td',
        {},
        v.promoted
          ? null
          : h('button', {
              type: 'button',
              text: '启用此版本',
              on: { click: () => act(`/api/models/versions/${v.id}/promote`, '已启用') },
            }),
      ),
    ),
  );

  const corrections = page.corrections.map((c) =>
    h(
      'tr',
      {},
      h('td', { text: label(CLASSIFIER_TASK_LABELS, c.task) }),
      h('td', { text: c.label }),
      h('td', { text: String(c.count) }),
      h('td', { text: c.lastAt ? fmtTime(c.lastAt) : '' }),
    ),
  );

  render(
    main,
    h('h1', { text: '模型管理' }),
    ...inUse,
    h(
      'section',
      { class: 'card' },
      h('h2', { text: '重训历史' }),
      history.length
        ? h(
            'table',
            { class: 'data', id: 'model-versions' },
            tableHead(['任务', '版本', '训练时间', '样本数', '评估', '状态', '操作']),
            h('tbody', {}, history),
          )
        : h('p', { class: 'muted', text: '暂无重训版本（yq model retrain 或夜间重训后出现）' }),
    ),
    h(
      'section',
      { class: 'card' },
      h('h2', { text: '分析员纠正（新增训练数据）' }),
      corrections.length
        ? h(
            'table',
            { class: 'data', id: 'model-corrections' },
            tableHead(['任务', '标签', '条数', '最近']),
            h('tbody', {}, corrections),
          )
        : h('p', { class: 'muted', text: '暂无纠正' }),
    ),
  );
}
