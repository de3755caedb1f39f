// @ts-check
// 日报订阅 / 舆情日报: the user's own digest subscription, the 舆情日报 (.docx) download and preview, and the
// ledger of sent digests (admins see everyone's and may re-send failed ones).
import { field, formValues, h, render, select, toast, toastError } from '../lib/dom.js';
import { api, qs } from '../lib/api.js';
import { fmtDate, fmtTime, label, LEVEL_LABELS, SENT_DIGEST_STATUS_LABELS, zoneLabel } from '../lib/format.js';
import { pagedList } from '../lib/paged-list.js';
import { tableHead } from '../lib/widgets.js';

/** @type {[string, string][]} */
const MIN_LEVEL_OPTIONS = [
  ['none', `全部（含${LEVEL_LABELS.none}）`],
  ['general', `${LEVEL_LABELS.general}及以上`],
  ['major', `${LEVEL_LABELS.major}及以上`],
  ['severe', `仅${LEVEL_LABELS.severe}`],
];
/**
 * Scheduled reports a subscriber may choose, with when each goes out (08:00 in the bureau's time zone).
 * @type {[string, string, string][]}
 */
const REPORT_OPTIONS = [
  ['week', '周报', '每周一'],
  ['month', '月报', '每月 1 日'],
  ['quarter', '季报', '1、4、7、10 月 1 日'],
  ['year', '年报', '1 月 1 日'],
];
/** Sent digests per page of the ledger. */
const SENT_PAGE = 50;
/** Earliest date the server serves a briefing for. */
const EARLIEST_DATE = '2000-01-01';

/** YYYY-MM-DD of `date` in the bureau's time zone. */
function dateIn(timeZone, date) {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}

/** The calendar day before `day` (YYYY-MM-DD), computed in UTC so no local offset shifts it. */
function dayBefore(day) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/**
 * The form's checkbox named `name`.
 * @param {HTMLFormElement} form
 * @param {string} name
 */
function checkbox(form, name) {
  return /** @type {HTMLInputElement} */ (form.elements.namedItem(name));
}

function subscriptionForm(state, categories, onSaved) {
  const s = state.subscription;
  const known = [...new Set([...categories, ...s.categories])];
  const chosen = new Set(s.categories);
  const checks = known.length
    ? known.map((c) =>
        h(
          'label',
          { class: 'check' },
          h('input', { type: 'checkbox', name: 'categories', value: c, checked: chosen.has(c) }),
          c,
        ),
      )
    : [h('span', { class: 'muted', text: '暂无类别（分析后出现）' })];
  const form = h(
    'form',
    {
      class: 'stack',
      id: 'subscription-form',
      on: {
        submit: async (e) => {
          e.preventDefault();
          const v = formValues(form);
          const body = {
            enabled: checkbox(form, 'enabled').checked,
            sendTime: v.sendTime,
            categories: [
              .../** @type {NodeListOf<HTMLInputElement>} */ (form.querySelectorAll('input[name=categories]:checked')),
            ].map((el) => el.value),
            minLevel: v.minLevel,
            attachDocx: checkbox(form, 'attachDocx').checked,
            reportKinds: [
              .../** @type {NodeListOf<HTMLInputElement>} */ (form.querySelectorAll('input[name=reportKinds]:checked')),
            ].map((el) => el.value),
          };
          try {
            const saved = await api('PUT', '/api/digests/subscription', body);
            toast('订阅已保存');
            onSaved(saved);
          } catch (err) {
            toastError(err);
          }
        },
      },
    },
    h(
      'label',
      { class: 'check' },
      h('input', { type: 'checkbox', name: 'enabled', checked: s.enabled }),
      '每天接收舆情日报邮件',
    ),
    h(
      'div',
      { class: 'filters' },
      field(
        '发送时间',
        h('input', { name: 'sendTime', type: 'time', step: 60, required: true, value: s.sendTime }),
        zoneLabel(state.timeZone),
      ),
      field('最低级别', select('minLevel', MIN_LEVEL_OPTIONS, s.minLevel)),
    ),
    h(
      'fieldset',
      { class: 'checks', id: 'subscription-categories' },
      h('legend', { text: '关注类别（不选即全部）' }),
      checks,
    ),
    h(
      'label',
      { class: 'check' },
      h('input', { type: 'checkbox', name: 'attachDocx', checked: s.attachDocx }),
      '邮件附带舆情日报 (.docx)',
    ),
    h(
      'fieldset',
      { class: 'checks', id: 'subscription-reports' },
      h('legend', { text: '同时接收的定期报告（08:00 发送上一期，随日报订阅启用）' }),
      REPORT_OPTIONS.map(([kind, name, when]) =>
        h(
          'label',
          { class: 'check' },
          h('input', { type: 'checkbox', name: 'reportKinds', value: kind, checked: s.reportKinds.includes(kind) }),
          `${name}（${when}）`,
        ),
      ),
    ),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', text: '保存订阅' }),
      h('span', {
        class: 'muted',
        id: 'subscription-state',
        // isDefault: no settings row yet, the role's defaults apply (a leader receives every digest by them).
        text: s.isDefault ? '当前为默认设置（尚未保存），日报按此发送' : '已保存的订阅',
      }),
    ),
  );
  return form;
}

function briefingForm(timeZone) {
  const today = dateIn(timeZone, new Date());
  const date = h('input', {
    name: 'date',
    type: 'date',
    required: true,
    value: dayBefore(today),
    min: EARLIEST_DATE,
    max: today,
  });
  const preview = h('a', { id: 'digest-preview', attrs: { target: '_blank', rel: 'noopener' }, text: '预览日报邮件' });
  const updatePreview = () => {
    preview.href = `/api/digests/preview${qs({ date: date.value })}`;
  };
  date.addEventListener('change', updatePreview);
  updatePreview();
  // A plain GET form: the browser downloads the attachment itself, with the session cookie (no CSRF needed).
  return h(
    'form',
    { class: 'filters', id: 'briefing-form', method: 'get', action: '/api/digests/briefing.docx' },
    field('日期', date),
    field(
      '范围',
      select(
        'scope',
        [
          ['all', '全部议题'],
          ['mine', '按我的订阅'],
        ],
        'all',
      ),
    ),
    h('button', { type: 'submit', class: 'primary', text: '下载舆情日报 (.docx)' }),
    preview,
  );
}

/** Re-queues a failed digest (admins); the ledger row keeps it to one mail however often it is pressed. */
function resendButton(d) {
  const button = h('button', {
    type: 'button',
    class: 'resend',
    text: '重新发送',
    on: {
      click: async () => {
        button.disabled = true;
        try {
          await api('POST', `/api/digests/sent/${d.id}/resend`, {});
          button.textContent = '已加入队列';
          toast('已重新加入发送队列');
        } catch (err) {
          button.disabled = false;
          toastError(err);
        }
      },
    },
  });
  return button;
}

function sentTable(me) {
  const isAdmin = me.can.admin;
  const body = h('tbody');
  const { more, load } = pagedList({
    container: body,
    fetchPage: async (beforeId) => {
      const { items } = await api('GET', `/api/digests/sent${qs({ beforeId, limit: SENT_PAGE })}`);
      return { items, next: items.length === SENT_PAGE ? items[items.length - 1].id : null };
    },
    row: (d) =>
      h(
        'tr',
        { class: d.status === 'failed' ? 'warn' : '', dataset: { id: String(d.id) } },
        h('td', { class: 'nowrap', text: ledgerLabel(d.digestDate) }),
        isAdmin ? h('td', { text: d.user ? `${d.user.displayName}（${d.user.username}）` : String(d.userId) }) : null,
        h('td', { class: `nowrap sent-${d.status}`, text: label(SENT_DIGEST_STATUS_LABELS, d.status) }),
        h('td', { class: 'num', text: String(d.attempts) }),
        h('td', { class: 'error-text', text: d.lastError ?? '' }),
        h('td', { text: fmtTime(d.sentAt) }),
        isAdmin ? h('td', {}, d.status === 'failed' ? resendButton(d) : null) : null,
      ),
    empty: () => h('tr', {}, h('td', { attrs: { colspan: isAdmin ? 7 : 5 }, class: 'empty', text: '尚无发送记录' })),
  });
  const headers = [
    '日报日期 / 报告期',
    isAdmin ? '收件人' : null,
    '状态',
    '尝试次数',
    '最后错误',
    '发送时间',
    isAdmin ? '操作' : null,
  ].filter((t) => t !== null);
  const table = h(
    'div',
    { class: 'table-wrap' },
    h('table', { class: 'data', id: 'sent-table' }, tableHead(headers), body),
  );
  return { table, more, load };
}

/**
 * @param {HTMLElement} main
 * @param {import('../lib/api.js').PageContext} context
 */
/**
 * What a send-log row delivered: a digest's day (2026/11/26), or a scheduled report (周报 2026-W48, 月报 2026-11,
 * 季报 2026-Q4, 年报 2026).
 * @param {string} key
 */
function ledgerLabel(key) {
  const m = /^report-(week|month|quarter|year):(.+)$/.exec(key);
  const name = m && REPORT_OPTIONS.find(([kind]) => kind === m[1])?.[1];
  return m && name ? `${name} ${m[2]}` : fmtDate(key);
}

export default async function digestPage(main, { me }) {
  const [state, { categories }] = await Promise.all([
    api('GET', '/api/digests/subscription'),
    api('GET', '/api/categories'),
  ]);
  const subscriptionCard = h('section', { class: 'card', id: 'subscription' });
  const showSubscription = (s) =>
    render(
      subscriptionCard,
      h('h2', { text: '我的日报订阅' }),
      s.hasEmail
        ? null
        : h('p', { class: 'error-text', text: '您的账号没有登记邮箱，日报邮件无法送达；请联系管理员补充邮箱。' }),
      subscriptionForm(s, categories, showSubscription),
    );
  showSubscription(state);
  const sent = sentTable(me);
  render(
    main,
    h('h1', { text: '日报订阅 / 舆情日报' }),
    subscriptionCard,
    h(
      'section',
      { class: 'card' },
      h('h2', { text: '舆情日报' }),
      h('p', { class: 'muted', text: '按日期生成政务简报格式的 Word 文档（默认昨日），或预览当日的日报邮件。' }),
      briefingForm(state.timeZone),
    ),
    h(
      'section',
      { class: 'card' },
      // The ledger holds the scheduled 周报/月报/季报/年报 beside the daily digests.
      h('h2', { text: me.can.admin ? '日报与定期报告发送记录（全部用户）' : '我的日报与定期报告发送记录' }),
      sent.table,
      sent.more,
    ),
  );
  await sent.load(true);
}
