// @ts-check
// 报告: download a 周报/月报/季报/年报 (.docx) or preview its e-mail, and download or preview the 专报 of one issue.
import { field, h, render, select } from '../lib/dom.js';
import { qs } from '../lib/api.js';
import { label, REPORT_KIND_LABELS } from '../lib/format.js';

/** @type {Record<string, { placeholder: string; pattern: string }>} */
const KEY_FORMS = {
  week: { placeholder: '2026-W48', pattern: '\\d{4}-W\\d{2}' },
  month: { placeholder: '2026-11', pattern: '\\d{4}-\\d{2}' },
  quarter: { placeholder: '2026-Q4', pattern: '\\d{4}-Q[1-4]' },
  year: { placeholder: '2026', pattern: '\\d{4}' },
};

function periodicForm() {
  const kind = select(
    'period',
    Object.keys(KEY_FORMS).map((k) => [k, label(REPORT_KIND_LABELS, k)]),
    'week',
  );
  const key = h('input', { name: 'key', type: 'text', attrs: { 'aria-label': '报告周期' } });
  const preview = h('a', { id: 'report-preview', attrs: { target: '_blank', rel: 'noopener' }, text: '预览报告邮件' });
  const update = () => {
    const form = KEY_FORMS[kind.value] ?? KEY_FORMS.week;
    key.placeholder = `${form.placeholder}（留空：上一个完整周期）`;
    key.pattern = form.pattern;
    preview.href = `/api/reports/periodic/preview${qs({ period: kind.value, key: key.value.trim() || undefined })}`;
  };
  kind.addEventListener('change', update);
  key.addEventListener('input', update);
  update();
  // A plain GET form: the browser downloads the attachment itself, with the session cookie (no CSRF needed).
  return h(
    'form',
    { class: 'filters', id: 'periodic-report-form', method: 'get', action: '/api/reports/periodic.docx' },
    field('报告类型', kind),
    field('周期', key),
    h('button', { type: 'submit', class: 'primary', text: '下载报告 (.docx)' }),
    preview,
  );
}

function issueForm() {
  const id = h('input', { name: 'id', type: 'number', required: true, min: '1', attrs: { 'aria-label': '议题编号' } });
  const preview = h('a', {
    id: 'issue-report-preview',
    attrs: { target: '_blank', rel: 'noopener' },
    text: '预览专报邮件',
    hidden: true,
  });
  id.addEventListener('input', () => {
    const n = Number(/** @type {HTMLInputElement} */ (id).value);
    const valid = Number.isInteger(n) && n > 0;
    preview.hidden = !valid;
    if (valid) preview.href = `/api/reports/issues/${n}/preview`;
  });
  const form = h(
    'form',
    { class: 'filters', id: 'issue-report-form' },
    field('议题编号', id),
    h('button', { type: 'submit', class: 'primary', text: '下载专报 (.docx)' }),
    preview,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const n = Number(/** @type {HTMLInputElement} */ (id).value);
    if (Number.isInteger(n) && n > 0) location.assign(`/api/reports/issues/${n}/docx`);
  });
  return form;
}

/**
 * @param {HTMLElement} main
 */
export default async function reportsPage(main) {
  render(
    main,
    h('h1', { text: '报告' }),
    h('section', { class: 'card' }, h('h2', { text: '周报 · 月报 · 季报 · 年报' }), periodicForm()),
    h('p', {
      class: 'muted',
      text: '统计按局所在时区划分周期（周从星期一开始，ISO 周编号），与上一周期对比：信息量、热点议题（按类别与级别）、回应发布、首次回应时间中位数、按时回应率、政策解读材料。',
    }),
    h('p', {
      class: 'muted',
      id: 'report-schedule',
      text: '自动发送：每周一 08:00 发送上周的周报，每月 1 日 08:00 发送上月的月报，1、4、7、10 月 1 日 08:00 发送上季度的季报，1 月 1 日 08:00 发送上一年的年报（局所在时区）；收件人为舆情日报的订阅者，各人在「日报订阅」中选择接收哪几种（附 Word 报告与否亦同），每人每期只发一次，停机错过的 3 日内补发。',
    }),
    h('section', { class: 'card' }, h('h2', { text: '专报' }), issueForm()),
  );
}
