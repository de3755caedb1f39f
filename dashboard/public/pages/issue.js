// @ts-check
import { externalLink, field, formValues, h, render, select, toast, toastError } from '../lib/dom.js';
import { api, apiAction } from '../lib/api.js';
import { chart } from '../lib/charts.js';
import {
  CLASSIFIER_TASK_LABELS,
  CORRECTION_LABELS,
  fmtDeadline,
  fmtTime,
  ISSUE_STATUS_LABELS,
  label,
  LEVEL_LABELS,
  REASON_DIRECTION_LABELS,
  RESPONSE_STATUS_LABELS,
  SENTIMENT_LABELS,
} from '../lib/format.js';
import { levelBadge } from '../lib/widgets.js';
import { rumourCard } from '../lib/rumour-card.js';

/**
 * @param {string} path
 * @param {unknown} body
 * @param {string} message
 */
async function act(path, body, message) {
  return Boolean(await apiAction('POST', path, body, message));
}

/**
 * @param {HTMLElement} main
 * @param {import('../lib/api.js').PageContext} context
 */
export default async function issuePage(main, { me }) {
  const id = Number(location.pathname.split('/')[2]);
  const reload = () => issuePage(main, { me });
  const [issue, timeline, hotness, classification, { items: users }, { categories }, { items: alerts }] =
    await Promise.all([
      api('GET', `/api/issues/${id}`),
      api('GET', `/api/issues/${id}/timeline`),
      api('GET', `/api/issues/${id}/hotness`),
      api('GET', `/api/issues/${id}/classification`),
      api('GET', '/api/users?activeOnly=true'),
      api('GET', '/api/categories'),
      api('GET', `/api/issues/${id}/alerts`),
    ]);
  const can = me.can;

  const header = h(
    'section',
    { class: ['card', issue.overdue ? 'overdue' : ''] },
    h('h1', { text: issue.title }),
    h(
      'div',
      { class: 'meta' },
      levelBadge(issue.level),
      h('span', {
        class: `status status-${issue.status}`,
        id: 'issue-status',
        text: label(ISSUE_STATUS_LABELS, issue.status),
      }),
      h('span', { text: `类别：${issue.category ?? '未分类'}` }),
      h('span', { text: `提及 ${issue.mentionCount}` }),
      h('span', { text: `热度 ${issue.hotness.toFixed(1)}` }),
      h('span', { text: `首次 ${fmtTime(issue.firstSeenAt)} · 最近 ${fmtTime(issue.lastSeenAt)}` }),
      h('span', { text: `负责人：${issue.assignee?.displayName ?? '未指派'}` }),
      issue.deadlineAt
        ? h('span', {
            class: issue.overdue ? 'overdue-text' : '',
            id: 'issue-deadline',
            text: `回应时限 ${fmtTime(issue.deadlineAt)}（${fmtDeadline(issue.deadlineAt)}）`,
          })
        : null,
    ),
    issue.keywords.length
      ? h(
          'p',
          { class: 'keywords' },
          issue.keywords.map((k) => h('span', { class: 'tag', text: k })),
        )
      : null,
    issue.dismissReason ? h('p', { class: 'muted', text: `排除理由：${issue.dismissReason}` }) : null,
    // The 专报 belongs to the issue: offered here to the roles that may write reports, not only by number on 报告.
    can.reports
      ? h(
          'p',
          { class: 'actions', id: 'issue-report' },
          h('a', { href: `/api/reports/issues/${issue.id}/docx`, text: '下载专报 (.docx)' }),
          h('a', {
            href: `/api/reports/issues/${issue.id}/preview`,
            attrs: { target: '_blank', rel: 'noopener' },
            text: '预览专报邮件',
          }),
        )
      : null,
    issue.mergedIntoId
      ? h('p', {}, '已合并到 ', h('a', { href: `/issues/${issue.mergedIntoId}`, text: `议题 #${issue.mergedIntoId}` }))
      : null,
  );

  // Triage panel: only the actions the role may take and the issue's status allows (the API's allowedActions, from
  // the domain's action table; the API refuses the rest anyway). A resolved or merged issue offers none of them.
  const allowed = new Set(issue.allowedActions ?? []);
  const triage = h('section', { class: 'card triage', id: 'triage' }, h('h2', { text: '研判' }));
  if (can.triage) {
    const dismissForm = h(
      'form',
      {
        class: 'inline',
        on: {
          submit: async (e) => {
            e.preventDefault();
            // expectedStatus: if another analyst decided meanwhile, the API answers 409 instead of overriding it.
            const body = { reason: formValues(dismissForm).reason, expectedStatus: issue.status };
            if (await act(`/api/issues/${id}/dismiss`, body, '已排除')) void reload();
          },
        },
      },
      h('input', { name: 'reason', placeholder: '排除理由', required: true, maxLength: 500 }),
      h('button', { type: 'submit', text: '排除' }),
    );
    const assignForm = h(
      'form',
      {
        class: 'inline',
        on: {
          submit: async (e) => {
            e.preventDefault();
            const v = formValues(assignForm).assigneeId;
            if (await act(`/api/issues/${id}/assign`, { assigneeId: v ? Number(v) : null }, '已指派')) void reload();
          },
        },
      },
      select(
        'assigneeId',
        [['', '（不指派）'], ...users.map((u) => [u.id, `${u.displayName}（${u.username}）`])],
        issue.assignee?.id,
      ),
      h('button', { type: 'submit', text: '指派' }),
    );
    const categoryForm = h(
      'form',
      {
        class: 'inline',
        on: {
          submit: async (e) => {
            e.preventDefault();
            if (await act(`/api/issues/${id}/category`, { category: formValues(categoryForm).category }, '类别已更正'))
              void reload();
          },
        },
      },
      select(
        'category',
        [...(issue.category && !categories.includes(issue.category) ? [issue.category] : []), ...categories].map(
          (c) => [c, c],
        ),
        issue.category,
        { required: true, attrs: { 'aria-label': '类别' } },
      ),
      h('button', { type: 'submit', text: '更正类别' }),
    );
    const mergeForm = h(
      'form',
      {
        class: 'inline',
        on: {
          submit: async (e) => {
            e.preventDefault();
            const ids = formValues(mergeForm)
              .ids.split(/[,，\s]+/)
              .map(Number)
              .filter((n) => Number.isInteger(n) && n > 0);
            if (await act(`/api/issues/${id}/merge`, { issueIds: ids }, '已合并')) void reload();
          },
        },
      },
      h('input', { name: 'ids', placeholder: '并入的议题编号，如 12,15', required: true }),
      h('button', { type: 'submit', text: '合并到本议题' }),
    );
    // Confirming asks for the level (preset: the suggested one, else 一般): every confirmed issue gets a deadline.
    const confirmForm = h(
      'form',
      {
        class: 'inline',
        id: 'confirm-form',
        on: {
          submit: async (e) => {
            e.preventDefault();
            const body = { level: formValues(confirmForm).confirmLevel, expectedStatus: issue.status };
            if (await act(`/api/issues/${id}/confirm`, body, '已确认')) void reload();
          },
        },
      },
      field(
        '级别',
        select(
          'confirmLevel',
          Object.entries(LEVEL_LABELS).filter(([v]) => v !== 'none'),
          issue.level === 'none' ? 'general' : issue.level,
        ),
      ),
      h('button', { type: 'submit', class: 'primary', id: 'confirm-issue', text: '确认议题' }),
    );
    const titleForm = h(
      'form',
      {
        class: 'inline',
        on: {
          submit: async (e) => {
            e.preventDefault();
            if (await act(`/api/issues/${id}/title`, { title: formValues(titleForm).title }, '标题已修改'))
              void reload();
          },
        },
      },
      h('input', { name: 'title', value: issue.title, placeholder: '议题标题', required: true, maxLength: 200 }),
      h('button', { type: 'submit', text: '修改标题' }),
    );
    const decisions = [allowed.has('confirm') ? confirmForm : null, allowed.has('dismiss') ? dismissForm : null];
    if (decisions.some(Boolean)) triage.append(h('div', { class: 'actions' }, decisions));
    triage.append(
      h('div', { class: 'actions' }, assignForm, categoryForm, allowed.has('merge') ? mergeForm : null),
      h('div', { class: 'actions' }, titleForm),
    );
  }
  if (can.setLevel) {
    const levelForm = h(
      'form',
      {
        class: 'inline',
        on: {
          submit: async (e) => {
            e.preventDefault();
            if (await act(`/api/issues/${id}/level`, { level: formValues(levelForm).level }, '级别已设置'))
              void reload();
          },
        },
      },
      select('level', Object.entries(LEVEL_LABELS), issue.level),
      h('button', { type: 'submit', text: '设置级别' }),
      h('small', { class: 'hint', text: '重大 24 小时、较大 48 小时、一般 72 小时内回应' }),
    );
    triage.append(h('div', { class: 'actions' }, levelForm));
  }
  if (!can.triage && !can.setLevel) triage.append(h('p', { class: 'muted', text: '您的角色只能查看。' }));

  // Timeline with reposts folded; split and label corrections per mention.
  const selected = new Set();
  const timelineList = h(
    'ol',
    { class: 'timeline' },
    timeline.entries.map((m) =>
      h(
        'li',
        { dataset: { id: String(m.id) } },
        h(
          'div',
          { class: 'timeline-head' },
          can.triage && allowed.has('split')
            ? h('input', {
                type: 'checkbox',
                attrs: { 'aria-label': '选择以拆分' },
                on: {
                  change: (e) => {
                    if (e.target.checked) selected.add(m.id);
                    else selected.delete(m.id);
                  },
                },
              })
            : null,
          h('time', { text: fmtTime(m.publishedAt ?? m.fetchedAt) }),
          h('strong', {}, externalLink(m.url, m.title || '（无标题）')),
          h('span', { class: 'muted', text: m.sourceName ?? m.siteName ?? '' }),
        ),
        h('p', { class: 'snippet', text: m.snippet }),
        h(
          'div',
          { class: 'meta' },
          m.category ? h('span', { class: 'tag', text: m.category }) : null,
          m.sentiment
            ? h('span', { class: `tag sentiment-${m.sentiment}`, text: label(SENTIMENT_LABELS, m.sentiment) })
            : null,
          h('span', { class: 'muted', text: `赞 ${m.likes} · 评 ${m.comments} · 转 ${m.reposts}` }),
          can.triage ? labelForm(m) : null,
        ),
        m.folded.length
          ? h(
              'details',
              { class: 'folded' },
              h('summary', { text: `另有 ${m.folded.length} 条转载` }),
              h(
                'ul',
                {},
                m.folded.map((f) =>
                  h(
                    'li',
                    {},
                    externalLink(f.url, f.siteName ?? f.url),
                    ' ',
                    h('span', { class: 'muted', text: fmtTime(f.publishedAt) }),
                  ),
                ),
              ),
            )
          : null,
      ),
    ),
  );

  /**
   * The values a correction may set for a classifier task, with their Chinese labels.
   * @param {string} task
   * @returns {[string, string][]}
   */
  function correctionOptions(task) {
    if (task === 'sentiment') return Object.entries(CORRECTION_LABELS.sentiment);
    if (task === 'relevance') return Object.entries(CORRECTION_LABELS.relevance);
    return categories.map((c) => [c, c]);
  }
  /**
   * The value a mention has now for a task, preselected in the correction form.
   * @param {any} m
   * @param {string} task
   */
  function currentValue(m, task) {
    if (task === 'sentiment') return m.sentiment === 'negative' ? 'negative' : 'neutral';
    if (task === 'relevance') return m.relevant === false ? 'irrelevant' : 'relevant';
    return m.category;
  }
  /** 更正: pick what to correct, then its new value, both by their Chinese names. */
  function labelForm(m) {
    const valueSelect = select('label', correctionOptions('sentiment'), currentValue(m, 'sentiment'), {
      attrs: { 'aria-label': '更正为' },
    });
    const taskSelect = select('task', Object.entries(CLASSIFIER_TASK_LABELS), 'sentiment', {
      attrs: { 'aria-label': '更正项' },
      on: {
        change: () => {
          const task = taskSelect.value;
          const fresh = select('label', correctionOptions(task), currentValue(m, task));
          valueSelect.replaceChildren(...fresh.children);
          valueSelect.value = fresh.value;
        },
      },
    });
    const form = h(
      'form',
      {
        class: 'inline label-form',
        on: {
          submit: async (e) => {
            e.preventDefault();
            const v = formValues(form);
            if (!v.label) return;
            if (await act(`/api/mentions/${m.id}/labels`, { task: v.task, label: v.label }, '已更正（作为训练标注）'))
              void reload();
          },
        },
      },
      taskSelect,
      valueSelect,
      h('button', { type: 'submit', text: '更正' }),
    );
    return form;
  }
  const splitForm =
    can.triage && allowed.has('split')
      ? h(
          'form',
          {
            class: 'inline',
            on: {
              submit: async (e) => {
                e.preventDefault();
                if (selected.size === 0) return toast('请先勾选要拆分的提及', 'error');
                try {
                  const created = await api('POST', `/api/issues/${id}/split`, {
                    mentionIds: [...selected],
                    title: formValues(e.currentTarget).title,
                  });
                  location.assign(`/issues/${created.id}`);
                } catch (err) {
                  toastError(err);
                }
              },
            },
          },
          h('input', { name: 'title', placeholder: '新议题标题', required: true, maxLength: 200 }),
          h('button', { type: 'submit', text: '拆分所选提及为新议题' }),
        )
      : null;

  const hotChart = h('div', { class: 'chart', id: 'hotness-chart' });
  /**
   * Reasons with their direction: stored weights point towards 相关 / 负面 / the category when positive.
   * @param {{ token: string, weight: number }[]} list
   * @param {keyof typeof REASON_DIRECTION_LABELS} task
   */
  const tokens = (list, task) =>
    h(
      'ul',
      { class: 'tokens' },
      list.length
        ? list.map((t) =>
            h(
              'li',
              {},
              h('span', { text: t.token }),
              h('span', {
                class: 'muted',
                text: ` ${t.weight >= 0 ? REASON_DIRECTION_LABELS[task].towards : REASON_DIRECTION_LABELS[task].away} ${Math.abs(t.weight)}`,
              }),
            ),
          )
        : h('li', { class: 'muted', text: '暂无' }),
    );
  const classificationCard = h(
    'section',
    { class: 'card' },
    h('h2', { text: '分类依据' }),
    h('p', {
      class: 'muted',
      text: `已分析 ${classification.analysedMentions} 条；模型 ${classification.modelVersions.join('、') || '—'}`,
    }),
    h(
      'div',
      { class: 'grid3' },
      h(
        'div',
        {},
        h('h3', { text: '类别' }),
        h('p', { text: classification.categories.map((c) => `${c.label} ${c.count}`).join('，') || '—' }),
        tokens(classification.tokens.category, 'category'),
      ),
      h(
        'div',
        {},
        h('h3', { text: '情感' }),
        h('p', {
          text:
            classification.sentiments.map((c) => `${label(SENTIMENT_LABELS, c.label)} ${c.count}`).join('，') || '—',
        }),
        tokens(classification.tokens.sentiment, 'sentiment'),
      ),
      h('div', {}, h('h3', { text: '相关性' }), tokens(classification.tokens.relevance, 'relevance')),
    ),
  );

  // The alerts pushed about this issue: whoever is on duty acknowledges (已知悉) here, and it escalates no further.
  const alertsCard = alerts.length
    ? h(
        'section',
        { class: 'card', id: 'issue-alerts' },
        h('h2', { text: '预警推送' }),
        h(
          'ul',
          { class: 'alert-list' },
          alerts.map((/** @type {any} */ d) =>
            h(
              'li',
              {},
              h('span', {
                text: `${d.channel.name} · ${label(LEVEL_LABELS, d.level)} · ${
                  d.trigger.startsWith('escalation:') ? '升级通知' : d.status === 'sent' ? '已发送' : '待发送'
                } · ${d.sentAt ? fmtTime(d.sentAt) : fmtTime(d.createdAt)} `,
              }),
              d.acknowledgedAt
                ? h('span', {
                    class: 'muted',
                    text: `已知悉：${d.acknowledgedBy?.displayName ?? (d.acknowledgedVia === 'link' ? '消息链接' : '—')} · ${fmtTime(d.acknowledgedAt)}`,
                  })
                : d.status === 'sent'
                  ? h('button', {
                      type: 'button',
                      text: '已知悉',
                      on: {
                        click: async () => {
                          if (
                            await apiAction('POST', `/api/alert-deliveries/${d.id}/ack`, {}, '已确认：此预警不再升级')
                          )
                            await reload();
                        },
                      },
                    })
                  : null,
            ),
          ),
        ),
      )
    : null;

  const responses = h(
    'section',
    { class: 'card', id: 'responses' },
    h('h2', { text: '回应' }),
    issue.responses.length
      ? h(
          'ul',
          {},
          issue.responses.map((r) =>
            h(
              'li',
              {},
              h('a', { href: `/responses/${r.id}`, text: `回应 #${r.id}` }),
              ` ${label(RESPONSE_STATUS_LABELS, r.status)} · 第 ${r.currentVersion} 版 · ${r.author.displayName}`,
            ),
          ),
        )
      : h('p', { class: 'muted', text: '尚无回应' }),
  );
  if (can.draft && allowed.has('respond')) {
    const draftForm = h(
      'form',
      {
        class: 'stack',
        id: 'new-response',
        on: {
          submit: async (e) => {
            e.preventDefault();
            try {
              const r = await api('POST', '/api/responses', { issueId: id, body: formValues(draftForm).body });
              location.assign(`/responses/${r.id}`);
            } catch (err) {
              toastError(err);
            }
          },
        },
      },
      field('起草回应口径', h('textarea', { name: 'body', rows: 5, required: true, maxLength: 20000 })),
      h('button', { type: 'submit', class: 'primary', text: '创建回应草稿' }),
    );
    responses.append(draftForm);
  }

  render(
    main,
    header,
    triage,
    alertsCard,
    h('section', { class: 'card' }, h('h2', { text: '热度走势' }), hotChart),
    rumourCard(issue, me, reload),
    classificationCard,
    h(
      'section',
      { class: 'card' },
      h('h2', {
        id: 'timeline-heading',
        text: `提及时间线（共 ${timeline.total} 条${
          timeline.total > timeline.entries.length ? `，转载折叠后 ${timeline.entries.length} 条` : ''
        }${timeline.truncated ? '，仅显示前 500 条' : ''}）`,
      }),
      splitForm,
      timelineList,
    ),
    responses,
  );
  if (hotness.points.length) {
    await chart(hotChart, {
      grid: { left: 40, right: 40, top: 50, bottom: 30 },
      legend: { top: 0, data: ['热度', '负面占比'] },
      // The chart starts at the issue's first mention (or an earlier sample), not at the first sample after it.
      xAxis: {
        type: 'time',
        min: Math.min(new Date(issue.firstSeenAt).getTime(), new Date(hotness.points[0].at).getTime()),
      },
      yAxis: [
        { type: 'value', name: '热度' },
        { type: 'value', name: '负面', max: 1 },
      ],
      series: [
        { name: '热度', type: 'line', showSymbol: false, data: hotness.points.map((p) => [p.at, p.hotness]) },
        {
          name: '负面占比',
          type: 'line',
          yAxisIndex: 1,
          showSymbol: false,
          data: hotness.points.map((p) => [p.at, p.negativity]),
        },
      ],
    });
  } else hotChart.replaceWith(h('p', { class: 'muted', text: '暂无热度记录' }));
}
