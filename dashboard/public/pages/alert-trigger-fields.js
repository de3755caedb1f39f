// @ts-check
// The alert channel form's trigger settings (which trigger kinds, the on-duty schedule, office hours, the
// per-minute limit) and how a channel row shows them. The server's schema (packages/domain alert-triggers.ts)
// validates what is sent and names a bad field; the labels are the domain's.
import { field, h } from '../lib/dom.js';
import { LABELS } from '../lib/labels.js';

const { ALERT_TRIGGER_LABELS, ON_DUTY_PERIOD_LABELS } = LABELS;

/**
 * A group of checkboxes named `name`, every one checked.
 * @param {string} name
 * @param {Record<string, string>} labels
 */
function checkboxes(name, labels) {
  return h(
    'span',
    { class: 'checkbox-group', id: `channel-${name}` },
    Object.entries(labels).map(([value, label]) =>
      h('label', { class: 'inline' }, h('input', { type: 'checkbox', name, value, checked: true }), ` ${label} `),
    ),
  );
}

/** The form fields of a channel's trigger settings. */
export function triggerFields() {
  return [
    field('触发类型', checkboxes('triggers', ALERT_TRIGGER_LABELS), '勾选的情形才推送到本渠道'),
    field(
      '值守时段',
      checkboxes('onDuty', ON_DUTY_PERIOD_LABELS),
      '时段外的预警等到下一个值守时段再发；节假日与调休按国务院 2026 年放假安排',
    ),
    field(
      '工作时间',
      h('input', { name: 'officeHours', placeholder: '08:30-17:30', pattern: '\\d{2}:\\d{2}-\\d{2}:\\d{2}' }),
      '北京时间，用于区分工作日工作时间与非工作时间；留空为 08:30-17:30',
    ),
    field(
      '每分钟上限',
      h('input', { name: 'perMinute', type: 'number', min: '1', max: '600', placeholder: '不限' }),
      '超出的预警在下一分钟合并为一条发送，不会丢弃',
    ),
  ];
}

/**
 * The filter fields the form's trigger settings give (checkbox groups read from the form, the rest from `v`).
 * @param {HTMLFormElement} form
 * @param {Record<string, string>} v
 */
export function triggerFilter(form, v) {
  const data = new FormData(form);
  const [start, end] = (v.officeHours ?? '').split('-');
  return {
    triggers: data.getAll('triggers').map(String),
    onDuty: data.getAll('onDuty').map(String),
    ...(v.officeHours ? { officeHours: { start, end } } : {}),
    ...(v.perMinute ? { perMinute: Number(v.perMinute) } : {}),
  };
}

/**
 * How a channel row shows its trigger settings ("all" parts left out).
 * @param {{ triggers?: string[], onDuty?: string[], officeHours?: { start: string, end: string }, perMinute?: number }} filter
 */
export function triggerSummary(filter) {
  const parts = [];
  const kinds = filter.triggers ?? [];
  if (kinds.length && kinds.length < Object.keys(ALERT_TRIGGER_LABELS).length)
    parts.push(`触发：${kinds.map((k) => ALERT_TRIGGER_LABELS[k] ?? k).join('、')}`);
  const duty = filter.onDuty ?? [];
  if (duty.length && duty.length < Object.keys(ON_DUTY_PERIOD_LABELS).length)
    parts.push(`值守：${duty.map((p) => ON_DUTY_PERIOD_LABELS[p] ?? p).join('、')}`);
  if (filter.perMinute) parts.push(`每分钟至多 ${filter.perMinute} 条`);
  return parts.join('；');
}
