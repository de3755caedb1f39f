// @ts-check
import { field, formValues, h, render, select, toast, toastError } from '../lib/dom.js';
import { api, apiAction } from '../lib/api.js';
import { fmtTime, LEVEL_LABELS } from '../lib/format.js';
import { LABELS } from '../lib/labels.js';
import { tableHead } from '../lib/widgets.js';
import { triggerFields, triggerFilter, triggerSummary } from './alert-trigger-fields.js';

const KIND_LABELS = {
  wecom: '企业微信群机器人',
  dingtalk: '钉钉自定义机器人',
  feishu: '飞书自定义机器人',
  webhook: 'Webhook',
  email: '邮件',
  sms: '短信网关',
};
const URL_HINTS = {
  wecom: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…',
  dingtalk: 'https://oapi.dingtalk.com/robot/send?access_token=…',
  feishu: 'https://open.feishu.cn/open-apis/bot/v2/hook/…',
  webhook: 'https://值班系统.example.gov.cn/hooks/yuqing',
  email: 'duty@example.gov.cn, leader@example.gov.cn',
  sms: 'https://短信网关.example.gov.cn/send',
};
const STATUS_LABELS = { pending: '重试中', sent: '已送达', failed: '失败' };
const TRIGGER_LABELS = { 'issue.flagged': '热点预警', test: '测试消息' };
const { ALERT_TRIGGER_LABELS } = LABELS;
const LEVELS = Object.entries(LEVEL_LABELS).filter(([code]) => code !== 'none');

/** Splits "a, b，c" into ["a", "b", "c"]. @param {string} value */
function list(value) {
  return value
    .split(/[,，]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Alert channels (where hot-issue flags are pushed) and the delivery log: admin only.
 * @param {HTMLElement} main
 */
export default async function alertsPage(main) {
  const reload = () => alertsPage(main);
  const [{ items: channels }, { items: deliveries }, escalation] = await Promise.all([
    api('GET', '/api/alert-channels'),
    api('GET', '/api/alert-deliveries'),
    api('GET', '/api/alert-escalation-rules'),
  ]);

  const kindSelect = select('kind', Object.entries(KIND_LABELS), 'wecom');
  const urlInput = h('input', { name: 'url', type: 'url', required: true, placeholder: URL_HINTS.wecom, size: 60 });
  const urlField = field('地址', urlInput);
  const urlLabel = /** @type {HTMLElement} */ (urlField.querySelector('.field-label'));
  const secretField = field(
    '加签密钥',
    h('input', { name: 'secret', autocomplete: 'off' }),
    '钉钉「加签」或飞书「签名校验」的密钥；Webhook 为 HMAC 密钥',
  );
  const keywordField = field(
    '自定义关键词',
    h('input', { name: 'keyword', maxLength: 20 }),
    '钉钉机器人安全设置中的关键词',
  );
  const mobilesField = field('@手机号', h('input', { name: 'mobiles' }), '多个用逗号分隔');
  const syncKind = () => {
    urlInput.placeholder = URL_HINTS[kindSelect.value];
    keywordField.hidden = kindSelect.value !== 'dingtalk';
    mobilesField.hidden = !['dingtalk', 'wecom', 'sms'].includes(kindSelect.value);
    secretField.hidden = ['wecom', 'email', 'sms'].includes(kindSelect.value);
    // E-mail channels take addresses, not a URL.
    urlInput.type = kindSelect.value === 'email' ? 'text' : 'url';
    urlLabel.textContent = kindSelect.value === 'email' ? '收件人' : '地址';
  };
  kindSelect.addEventListener('change', syncKind);
  syncKind();

  const form = h(
    'form',
    {
      class: 'filters',
      id: 'create-channel',
      on: {
        submit: async (e) => {
          e.preventDefault();
          const v = formValues(form);
          /** @type {Record<string, unknown>} */
          const config = v.kind === 'email' ? { to: list(v.url) } : { url: v.url };
          if (v.mobiles && v.kind === 'sms') config.mobiles = list(v.mobiles);
          if (v.secret && !['wecom', 'email', 'sms'].includes(v.kind))
            config[v.kind === 'webhook' ? 'hmacSecret' : 'secret'] = v.secret;
          if (v.keyword && v.kind === 'dingtalk') config.keyword = v.keyword;
          if (v.mobiles && v.kind === 'dingtalk') config.atMobiles = list(v.mobiles);
          if (v.mobiles && v.kind === 'wecom') config.mentionedMobiles = list(v.mobiles);
          try {
            await api('POST', '/api/alert-channels', {
              name: v.name,
              kind: v.kind,
              config,
              filter: {
                minLevel: v.minLevel,
                categories: list(v.categories ?? ''),
                keywords: list(v.keywords ?? ''),
                ...(v.quietHours
                  ? { quietHours: { start: v.quietHours.split('-')[0], end: v.quietHours.split('-')[1] } }
                  : {}),
                ...triggerFilter(form, v),
              },
            });
            toast('渠道已添加');
            await reload();
          } catch (err) {
            toastError(err);
          }
        },
      },
    },
    field('名称', h('input', { name: 'name', required: true, maxLength: 80, placeholder: '如：值班群' })),
    field('类型', kindSelect),
    urlField,
    secretField,
    keywordField,
    mobilesField,
    field('最低级别', select('minLevel', LEVELS, 'general')),
    field('只推送类别', h('input', { name: 'categories' }), '留空为全部；多个用逗号分隔'),
    field('只推送含关键词', h('input', { name: 'keywords' }), '标题或类别含其一即推送；留空为全部'),
    field(
      '免打扰时段',
      h('input', { name: 'quietHours', placeholder: '22:00-07:00', pattern: '\\d{2}:\\d{2}-\\d{2}:\\d{2}' }),
      '北京时间；重大以下的预警等到时段结束再发，重大立即发送',
    ),
    ...triggerFields(),
    h('button', { type: 'submit', class: 'primary', text: '添加渠道' }),
  );

  const channelRows = channels.map((c) =>
    h(
      'tr',
      { class: c.enabled ? '' : 'muted' },
      h('td', { text: c.name }),
      h('td', { text: KIND_LABELS[c.kind] ?? c.kind }),
      h('td', { text: `${LEVEL_LABELS[c.filter.minLevel] ?? c.filter.minLevel} 及以上` }),
      h('td', {
        text:
          ([...(c.filter.categories ?? []), ...(c.filter.keywords ?? [])].join('、') || '全部') +
          (c.filter.quietHours ? `；免打扰 ${c.filter.quietHours.start}–${c.filter.quietHours.end}` : '') +
          (triggerSummary(c.filter) ? `；${triggerSummary(c.filter)}` : ''),
      }),
      h('td', { class: 'mono', text: c.config.url ?? (c.config.to ?? []).join(', ') }),
      h(
        'td',
        {},
        h('button', {
          type: 'button',
          text: '发送测试',
          on: {
            click: async () => {
              try {
                await api('POST', `/api/alert-channels/${c.id}/test`, {});
                toast('测试消息已送达');
              } catch (err) {
                toastError(err);
              }
              await reload();
            },
          },
        }),
        h('button', {
          type: 'button',
          text: '删除',
          on: {
            click: async () => {
              if (!confirm(`删除渠道「${c.name}」及其推送记录？`)) return;
              if (await apiAction('DELETE', `/api/alert-channels/${c.id}`, undefined, '渠道已删除')) await reload();
            },
          },
        }),
      ),
    ),
  );
  const deliveryRows = deliveries.map((d) =>
    h(
      'tr',
      { class: d.status === 'failed' ? 'error-row' : '' },
      h('td', { text: fmtTime(d.createdAt) }),
      h('td', { text: d.channel.name }),
      h('td', {
        text: d.trigger.startsWith('escalation:')
          ? `升级（来自记录 #${d.trigger.slice('escalation:'.length)}）`
          : d.trigger.startsWith('issue.reopened')
            ? '重新打开'
            : (TRIGGER_LABELS[d.trigger] ?? ALERT_TRIGGER_LABELS[d.trigger.split(':')[0]] ?? d.trigger),
      }),
      h(
        'td',
        {},
        d.issueId ? h('a', { href: `/issues/${d.issueId}`, text: `#${d.issueId}` }) : h('span', { text: '—' }),
      ),
      h('td', { text: LEVEL_LABELS[d.level] ?? d.level }),
      h('td', {
        text: d.error?.startsWith('[ALERT_CIRCUIT_OPEN]')
          ? '熔断等待'
          : d.status === 'pending' && d.error?.startsWith('[ALERT_BATCHED]')
            ? '待合并发送'
            : (STATUS_LABELS[d.status] ?? d.status),
      }),
      h('td', { text: String(d.attempts) }),
      h('td', { text: d.sentAt ? fmtTime(d.sentAt) : '—' }),
      h('td', {
        class: 'mono',
        text: [d.httpStatus ? `HTTP ${d.httpStatus}` : '', d.platformCode !== null ? `code ${d.platformCode}` : '']
          .filter(Boolean)
          .join(' · '),
      }),
      h('td', { text: d.error ?? '' }),
      h(
        'td',
        { class: 'ack-cell' },
        d.acknowledgedAt
          ? h('span', {
              text: `${d.acknowledgedBy?.displayName ?? (d.acknowledgedVia === 'link' ? '链接确认' : '—')} · ${fmtTime(d.acknowledgedAt)}`,
            })
          : d.status === 'sent'
            ? h('button', {
                type: 'button',
                text: '已知悉',
                on: {
                  click: async () => {
                    if (await apiAction('POST', `/api/alert-deliveries/${d.id}/ack`, {}, '已确认：此预警不再升级'))
                      await reload();
                  },
                },
              })
            : h('span', { text: '—' }),
      ),
    ),
  );
  const channelOptions = channels.map((c) => [String(c.id), `${c.name}（#${c.id}）`]);
  const defaults = escalation.defaults;
  const defaultsText = LEVELS.map(
    ([code, label]) => `${label} ${defaults[code] === null ? '不升级' : `${defaults[code]} 分钟`}`,
  ).join('，');
  const ruleForm = h(
    'form',
    {
      id: 'escalation-form',
      on: {
        submit: async (ev) => {
          ev.preventDefault();
          const v = formValues(/** @type {HTMLFormElement} */ (ev.target));
          const body = {
            channelId: Number(v.channelId),
            toChannelId: Number(v.toChannelId),
            ...(v.level ? { level: v.level } : {}),
            ...(v.afterMinutes ? { afterMinutes: Number(v.afterMinutes) } : {}),
          };
          if (await apiAction('POST', '/api/alert-escalation-rules', body, '升级规则已保存')) await reload();
        },
      },
    },
    field('首发渠道', select('channelId', channelOptions, channelOptions[0]?.[0] ?? '')),
    field('级别', select('level', [['', '全部级别'], ...LEVELS], '')),
    field(
      '未确认分钟数',
      h('input', { name: 'afterMinutes', type: 'number', min: 1, max: 10080, placeholder: '默认' }),
      `留空按级别默认：${defaultsText}`,
    ),
    field('升级到', select('toChannelId', channelOptions, channelOptions[1]?.[0] ?? '')),
    h('button', { type: 'submit', class: 'primary', text: '保存规则' }),
  );
  const ruleRows = escalation.items.map((r) =>
    h(
      'tr',
      {},
      h('td', { text: `${r.channel.name}（#${r.channelId}）` }),
      h('td', { text: r.level ? (LEVEL_LABELS[r.level] ?? r.level) : '全部级别' }),
      h('td', {
        text: r.afterMinutes
          ? `${r.afterMinutes} 分钟`
          : `默认（${LEVELS.map(([code, label]) =>
              r.level === null || r.level === code ? `${label} ${defaults[code] ?? '不升级'}` : '',
            )
              .filter(Boolean)
              .join('，')}）`,
      }),
      h('td', { text: `${r.toChannel.name}（#${r.toChannelId}）` }),
      h(
        'td',
        {},
        h('button', {
          type: 'button',
          text: '删除',
          on: {
            click: async () => {
              if (await apiAction('DELETE', `/api/alert-escalation-rules/${r.id}`, undefined, '规则已删除'))
                await reload();
            },
          },
        }),
      ),
    ),
  );
  render(
    main,
    h('h1', { text: '预警推送' }),
    h(
      'p',
      { class: 'hint' },
      '热点议题被标记或升级时，推送到下列渠道（企业微信、钉钉、飞书群机器人、任意 Webhook、邮件或短信网关）。失败会自动重试；连续失败的渠道暂停几分钟（熔断），其间的预警稍后补发。记录见下方。',
    ),
    h('section', { class: 'card' }, h('h2', { text: '添加渠道' }), form),
    h('h2', { text: '渠道' }),
    channels.length
      ? h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'data', id: 'channels-table' },
            tableHead(['名称', '类型', '级别', '范围', '地址', '操作']),
            h('tbody', {}, channelRows),
          ),
        )
      : h('p', { class: 'empty', text: '尚未配置推送渠道：热点预警目前只在本系统和每日日报中可见。' }),
    h('h2', { text: '升级规则' }),
    h(
      'p',
      { class: 'hint' },
      '预警发出后在规定时间内无人点“已知悉”（消息中的链接或下方推送记录的按钮），就转发到下一渠道（例如领导的渠道），每一步记入审计日志。同一议题同一级别的预警在任一渠道被确认后即停止升级。',
    ),
    channels.length > 1
      ? h('section', { class: 'card' }, ruleForm)
      : h('p', { class: 'empty', text: '至少需要两个渠道才能设置升级规则。' }),
    escalation.items.length
      ? h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'data', id: 'escalation-table' },
            tableHead(['首发渠道', '级别', '未确认多久后', '升级到', '操作']),
            h('tbody', {}, ruleRows),
          ),
        )
      : h('p', { class: 'empty', text: '暂无升级规则。' }),
    h('h2', { text: '推送记录' }),
    deliveries.length
      ? h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'data', id: 'deliveries-table' },
            tableHead([
              '时间',
              '渠道',
              '触发',
              '议题',
              '级别',
              '状态',
              '尝试次数',
              '送达时间',
              '平台返回',
              '错误',
              '已知悉',
            ]),
            h('tbody', {}, deliveryRows),
          ),
        )
      : h('p', { class: 'empty', text: '暂无推送记录。' }),
  );
}
