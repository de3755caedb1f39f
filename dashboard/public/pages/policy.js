// @ts-check
// 政策风险评估: upload a draft policy, see its clause table (groups, concerns, related opinion, risk and reasons),
// download the .docx report; earlier assessments below.
import { h, render, toast, toastError } from '../lib/dom.js';
import { api } from '../lib/api.js';
import { fmtTime, label, LEVEL_LABELS, POLICY_RISK_LABELS } from '../lib/format.js';
import { tableHead } from '../lib/widgets.js';

/** Badge colours of the risk levels (the issue level classes, so the page needs no new CSS). */
const RISK_CLASS = { high: 'level-severe', medium: 'level-general', low: '' };

/** @param {string} level */
function riskBadge(level) {
  return h('span', {
    class: ['badge', /** @type {Record<string, string>} */ (RISK_CLASS)[level]],
    text: `${label(POLICY_RISK_LABELS, level)}风险`,
  });
}

/** @param {any} c a clause's evidence */
function evidenceCell(c) {
  const e = c.evidence;
  if (!e || e.mentions === 0) return h('span', { class: 'muted', text: '无相关信息' });
  const share = Math.round((e.negative / e.mentions) * 100);
  return h(
    'div',
    {},
    h('div', { text: `${e.mentions} 条，负面 ${share}%` }),
    e.issues.map((/** @type {any} */ i) =>
      h('div', {}, h('a', { href: `/issues/${i.id}`, text: i.title }), ` （${label(LEVEL_LABELS, i.level)}）`),
    ),
    h('div', { class: 'muted', text: `检索词：${e.terms.join('、')}` }),
  );
}

/** Characters of a clause shown before 展开全文. */
const CLAUSE_PREVIEW_CHARS = 120;

/** A clause's text, long ones folded behind 展开全文. @param {string} text */
function clauseText(text) {
  if (text.length <= CLAUSE_PREVIEW_CHARS) return text;
  return h(
    'details',
    {},
    h('summary', { text: `${text.slice(0, CLAUSE_PREVIEW_CHARS)}…（展开全文）` }),
    h('p', { text }),
  );
}

/** @param {any} a an assessment as the API answers it */
function assessmentView(a) {
  const rows = a.clauses.map((/** @type {any} */ c) =>
    h(
      'tr',
      { dataset: { level: c.level } },
      h('td', { text: c.heading || `第${c.index}段` }),
      h('td', {}, c.section ? h('div', { class: 'muted', text: c.section }) : null, clauseText(c.text)),
      h('td', { text: c.groups.join('、') || '—' }),
      h('td', { text: c.concerns.join('、') || '—' }),
      h('td', {}, evidenceCell(c)),
      h(
        'td',
        {},
        riskBadge(c.level),
        h(
          'ul',
          {},
          c.reasons.map((/** @type {string} */ r) => h('li', { text: r })),
        ),
      ),
    ),
  );
  return h(
    'section',
    { class: 'card', id: 'policy-result' },
    h('h2', { text: `《${a.title}》` }),
    h(
      'p',
      { class: 'meta' },
      riskBadge(a.level),
      ` 共 ${a.clauses.length} 条：高 ${a.counts.high}、中 ${a.counts.medium}、低 ${a.counts.low}　`,
      h('a', { href: `/api/policy/assessments/${a.id}/report`, id: 'policy-report', text: '下载评估报告（Word）' }),
    ),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data', id: 'clause-table' },
        tableHead(['条款', '内容', '影响群体', '可能关切', '相关舆情', '风险等级与理由']),
        h('tbody', {}, rows),
      ),
    ),
    h('h3', { text: '解读问答建议' }),
    a.questions.length === 0
      ? h('p', { class: 'muted', text: '暂无。' })
      : h(
          'ol',
          { id: 'policy-questions' },
          a.questions.map((/** @type {any} */ q) =>
            h('li', {}, h('p', { text: `问：${q.question}` }), h('p', { text: `答：${q.answer}` })),
          ),
        ),
  );
}

/**
 * @param {HTMLElement} main
 */
export default async function policyPage(main) {
  const result = h('div', { id: 'policy-result-slot' });
  const list = h('div', { id: 'policy-list' });

  async function showList() {
    const { items } = await api('GET', '/api/policy/assessments');
    render(
      list,
      items.length === 0
        ? h('p', { class: 'muted', text: '还没有评估记录。' })
        : h(
            'table',
            { class: 'data' },
            tableHead(['时间', '文件', '标题', '总体风险', '']),
            h(
              'tbody',
              {},
              items.map((/** @type {any} */ a) =>
                h(
                  'tr',
                  {},
                  h('td', { text: fmtTime(a.createdAt) }),
                  h('td', { text: a.fileName }),
                  h('td', { text: a.title }),
                  h('td', {}, riskBadge(a.level)),
                  h(
                    'td',
                    {},
                    h('button', {
                      type: 'button',
                      class: 'link',
                      text: '查看',
                      on: {
                        click: async () =>
                          render(result, assessmentView(await api('GET', `/api/policy/assessments/${a.id}`))),
                      },
                    }),
                  ),
                ),
              ),
            ),
          ),
    );
  }

  const fileInput = h('input', { type: 'file', name: 'file', required: true, attrs: { accept: '.docx,.pdf,.txt' } });
  const submit = h('button', { type: 'submit', text: '上传并评估' });
  const form = h(
    'form',
    {
      class: 'inline',
      id: 'policy-upload',
      on: {
        submit: async (/** @type {SubmitEvent} */ event) => {
          event.preventDefault();
          const file = fileInput.files?.[0];
          if (!file) return;
          const body = new FormData();
          body.append('file', file, file.name);
          submit.disabled = true;
          render(result, h('p', { class: 'loading', text: '正在逐条评估…' }));
          try {
            const a = await api('POST', '/api/policy/assessments', body);
            render(result, assessmentView(a));
            toast('评估完成');
            await showList();
          } catch (e) {
            render(result);
            toastError(e);
          } finally {
            submit.disabled = false;
          }
        },
      },
    },
    h('label', {}, '政策草案或征求意见稿（.docx、.pdf、.txt）', fileInput),
    submit,
  );

  render(
    main,
    h(
      'section',
      { class: 'card' },
      h('h1', { text: '政策出台前风险评估' }),
      h('p', {
        class: 'muted',
        text: '按条款（第X条、一、（一）、1.）拆分草案，识别影响群体与可能关切，检索近一年的相关舆情与议题，给出低/中/高风险及理由和解读问答建议。',
      }),
      form,
    ),
    result,
    h('section', { class: 'card' }, h('h2', { text: '评估记录' }), list),
  );
  await showList();
}
