// @ts-check
import { externalLink, field, formValues, h, render, select, toast, toastError } from '../lib/dom.js';
import { api, apiAction } from '../lib/api.js';
import {
  DECISION_LABELS,
  fmtDeadline,
  fmtTime,
  label,
  MATERIAL_KIND_LABELS,
  RESPONSE_STATUS_LABELS,
  RESPONSE_KIND_LABELS,
} from '../lib/format.js';
import { levelBadge } from '../lib/widgets.js';
import { draftCheckCard, similarRepliesCard } from '../lib/reply-widgets.js';

/**
 * @param {HTMLElement} main
 * @param {import('../lib/api.js').PageContext} context
 */
export default async function responsePage(main, { me }) {
  const id = Number(location.pathname.split('/')[2]);
  const reload = () => responsePage(main, { me });
  const r = await api('GET', `/api/responses/${id}`);
  const can = me.can;
  const current = r.versions.find((v) => v.version === r.currentVersion) ?? r.versions[r.versions.length - 1];
  // What the status allows comes from the API (the domain's action table); the role check stays here.
  const allowed = new Set(r.allowedActions ?? []);
  const editable = can.draft && allowed.has('revise');

  /**
   * @param {string} path
   * @param {unknown} body
   * @param {string} message
   */
  async function act(path, body, message) {
    if (await apiAction('POST', path, body, message)) await reload();
  }

  const header = h(
    'section',
    { class: ['card', r.overdue ? 'overdue' : ''] },
    h(
      'h1',
      {},
      `${r.kind === 'rumour_rebuttal' ? label(RESPONSE_KIND_LABELS, r.kind) : '回应'} #${r.id}：`,
      h('a', { href: `/issues/${r.issue.id}`, text: r.issue.title }),
    ),
    h(
      'div',
      { class: 'meta' },
      levelBadge(r.issue.level),
      h('span', {
        class: `status response-${r.status}`,
        id: 'response-status',
        text: label(RESPONSE_STATUS_LABELS, r.status),
      }),
      h('span', { text: `第 ${r.currentVersion} 版` }),
      h('span', { text: `起草：${r.author.displayName}` }),
      h('span', {
        class: r.overdue ? 'overdue-text' : '',
        text:
          r.status === 'published'
            ? `已于 ${fmtTime(r.publishedAt)} 发布`
            : r.deadlineAt
              ? `时限 ${fmtTime(r.deadlineAt)}（${fmtDeadline(r.deadlineAt)}）`
              : '尚无回应时限（议题定级后生成）',
      }),
    ),
  );

  // The current text is shown once: as the editing box while the response is a draft (or returned), otherwise
  // read-only.
  const text = h('section', { class: 'card' }, h('h2', { text: `回应口径（当前第 ${r.currentVersion} 版）` }));
  if (editable) {
    const form = h(
      'form',
      {
        class: 'stack',
        id: 'revise-form',
        on: {
          submit: async (e) => {
            e.preventDefault();
            await act(`/api/responses/${id}/versions`, { body: formValues(form).body }, '已保存新版本');
          },
        },
      },
      h('textarea', {
        name: 'body',
        id: 'response-text',
        rows: 10,
        required: true,
        maxLength: 20000,
        // As the element's text (its default value), so the box holds the saved text until it is edited.
        text: current?.body ?? '',
        attrs: { 'aria-label': '回应口径' },
      }),
      h('button', { type: 'submit', text: '保存为新版本' }),
      r.status === 'approved'
        ? h('small', { class: 'hint', text: '已批准的口径修改后成为新的草稿，需重新提交审批。' })
        : null,
    );
    text.append(form);
  } else text.append(h('div', { class: 'response-text', id: 'response-text', text: current?.body ?? '' }));

  // Workflow actions for this role and state.
  const actions = h('section', { class: 'card', id: 'workflow' }, h('h2', { text: '流程' }));
  if (can.draft && allowed.has('submit'))
    actions.append(
      h('button', {
        type: 'button',
        class: 'primary',
        id: 'submit-response',
        text: '提交审批',
        on: { click: () => act(`/api/responses/${id}/submit`, {}, '已提交审批') },
      }),
    );
  if (can.approve && allowed.has('approve')) {
    const form = h(
      'form',
      { class: 'stack', id: 'decision-form' },
      field('审批意见', h('textarea', { name: 'comment', rows: 3, maxLength: 2000 })),
      h(
        'div',
        { class: 'actions' },
        h('button', {
          type: 'button',
          class: 'primary',
          id: 'approve-response',
          text: '批准',
          on: {
            click: () =>
              act(`/api/responses/${id}/approve`, { comment: formValues(form).comment || undefined }, '已批准'),
          },
        }),
        h('button', {
          type: 'button',
          id: 'return-response',
          text: '退回修改',
          on: { click: () => act(`/api/responses/${id}/return`, { comment: formValues(form).comment }, '已退回') },
        }),
      ),
    );
    actions.append(form);
  }
  if (can.publish && allowed.has('publish')) {
    const form = h(
      'form',
      {
        class: 'stack',
        id: 'publish-form',
        on: {
          submit: async (e) => {
            e.preventDefault();
            const v = formValues(form);
            await act(
              `/api/responses/${id}/publish`,
              { channel: v.channel, url: v.url || undefined },
              '已记录发布，议题已处置',
            );
          },
        },
      },
      field(
        '发布渠道',
        select(
          'channel',
          [
            ['官网', '官网'],
            ['政务微博', '政务微博'],
            ['微信公众号', '微信公众号'],
            ['新闻发布会', '新闻发布会'],
            ['留言板回复', '留言板回复'],
          ],
          '官网',
        ),
      ),
      field('发布链接', h('input', { name: 'url', type: 'url', placeholder: 'https://…', maxLength: 2000 })),
      h('button', { type: 'submit', class: 'primary', text: '记录发布' }),
    );
    actions.append(form);
  }
  if (actions.childElementCount === 1)
    actions.append(h('p', { class: 'muted', text: `当前状态：${label(RESPONSE_STATUS_LABELS, r.status)}。` }));
  if (r.approvals.length)
    actions.append(
      h('h3', { text: '审批记录' }),
      h(
        'ul',
        { id: 'approvals' },
        r.approvals.map((a) =>
          h(
            'li',
            {},
            `${fmtTime(a.createdAt)} ${a.decider.displayName} ${label(DECISION_LABELS, a.decision)}第 ${a.version} 版`,
            a.comment ? h('q', { text: a.comment }) : null,
          ),
        ),
      ),
    );
  if (r.publishes.length)
    actions.append(
      h('h3', { text: '发布记录' }),
      h(
        'ul',
        {},
        r.publishes.map((p) =>
          h(
            'li',
            {},
            `${fmtTime(p.publishedAt)} ${p.channel} `,
            p.url ? externalLink(p.url) : null,
            ` （${p.publishedBy.displayName}）`,
          ),
        ),
      ),
    );

  // Versions and diff.
  const diffOut = h('div', { class: 'diff', id: 'diff' });
  const versions = h(
    'section',
    { class: 'card' },
    h('h2', { text: '版本' }),
    h(
      'ol',
      {},
      r.versions.map((v) =>
        h('li', { text: `第 ${v.version} 版 · ${v.author.displayName} · ${fmtTime(v.createdAt)}` }),
      ),
    ),
  );
  if (r.versions.length > 1) {
    const opts = r.versions.map((v) => [v.version, `第 ${v.version} 版`]);
    const form = h(
      'form',
      {
        class: 'inline',
        on: {
          submit: async (e) => {
            e.preventDefault();
            const v = formValues(form);
            try {
              const d = await api('GET', `/api/responses/${id}/diff?from=${Number(v.from)}&to=${Number(v.to)}`);
              render(
                diffOut,
                d.segments.map((s) =>
                  s.op === 'insert'
                    ? h('ins', { text: s.text })
                    : s.op === 'delete'
                      ? h('del', { text: s.text })
                      : h('span', { text: s.text }),
                ),
              );
            } catch (err) {
              toastError(err);
            }
          },
        },
      },
      select('from', opts, r.currentVersion - 1),
      ' → ',
      select('to', opts, r.currentVersion),
      h('button', { type: 'submit', id: 'show-diff', text: '比较' }),
    );
    versions.append(form, diffOut);
  }

  // Interpretation material (政策解读).
  const materials = h(
    'section',
    { class: 'card', id: 'materials' },
    h('h2', { text: '解读材料' }),
    r.materials.length
      ? h(
          'ul',
          { class: 'materials' },
          r.materials.map((m) =>
            h(
              'li',
              {},
              h('span', { class: 'tag', text: label(MATERIAL_KIND_LABELS, m.kind) }),
              ' ',
              m.kind === 'file'
                ? h('a', {
                    href: `/api/materials/${m.id}/file`,
                    text: `${m.title}（${m.fileName}，${Math.ceil(m.sizeBytes / 1024)} KB）`,
                    attrs: { download: '' },
                  })
                : h('strong', { text: m.title }),
              m.kind === 'qa'
                ? h('dl', {}, h('dt', { text: `问：${m.question}` }), h('dd', { text: `答：${m.answer}` }))
                : null,
              m.kind === 'explainer' ? h('p', { class: 'response-text', text: m.text }) : null,
              can.draft && allowed.has('removeMaterial')
                ? h('button', {
                    type: 'button',
                    class: 'danger remove-material',
                    text: '删除',
                    attrs: { 'aria-label': `删除材料：${m.title}` },
                    on: {
                      click: async () => {
                        if (!confirm(`删除材料「${m.title}」？`)) return;
                        if (await apiAction('DELETE', `/api/materials/${m.id}`, undefined, '材料已删除'))
                          await reload();
                      },
                    },
                  })
                : null,
            ),
          ),
        )
      : h('p', { class: 'muted', text: '暂无材料' }),
  );
  if (can.draft && !allowed.has('addMaterial') && r.status !== 'published')
    // After submission the material belongs to the version under review; after approval to the approved version.
    materials.append(
      h('p', {
        class: 'muted',
        id: 'materials-frozen',
        text:
          r.status === 'approved'
            ? '材料已随批准的版本冻结；如需修改，请先保存新版本并重新提交审批。'
            : '材料已随提交审批的版本冻结；退回后可修改。',
      }),
    );
  if (can.draft && allowed.has('addMaterial')) {
    const fileForm = h(
      'form',
      {
        class: 'inline',
        id: 'upload-form',
        on: {
          submit: async (e) => {
            e.preventDefault();
            try {
              await api('POST', `/api/responses/${id}/files`, new FormData(fileForm));
              toast('文件已上传');
              await reload();
            } catch (err) {
              toastError(err);
            }
          },
        },
      },
      h('input', { type: 'file', name: 'file', required: true, accept: '.pdf,.docx,.png,.jpg,.jpeg' }),
      h('input', { name: 'title', placeholder: '文件标题（可选）', maxLength: 200 }),
      h('button', { type: 'submit', text: '上传文件' }),
      h('small', { class: 'hint', text: 'PDF、DOCX、PNG、JPEG，10 MB 以内' }),
    );
    const qaForm = h(
      'form',
      {
        class: 'stack',
        id: 'qa-form',
        on: {
          submit: async (e) => {
            e.preventDefault();
            const v = formValues(qaForm);
            await act(
              `/api/responses/${id}/materials`,
              { kind: 'qa', title: v.title || v.question.slice(0, 40), question: v.question, answer: v.answer },
              '问答已添加',
            );
          },
        },
      },
      h('h3', { text: '添加问答' }),
      field('问题', h('input', { name: 'question', required: true, maxLength: 2000 })),
      field('回答', h('textarea', { name: 'answer', rows: 3, required: true })),
      h('input', { type: 'hidden', name: 'title', value: '' }),
      h('button', { type: 'submit', text: '添加问答' }),
    );
    const explainerForm = h(
      'form',
      {
        class: 'stack',
        id: 'explainer-form',
        on: {
          submit: async (e) => {
            e.preventDefault();
            const v = formValues(explainerForm);
            await act(
              `/api/responses/${id}/materials`,
              { kind: 'explainer', title: v.title, text: v.text },
              '解读已添加',
            );
          },
        },
      },
      h('h3', { text: '通俗解读' }),
      field('标题', h('input', { name: 'title', required: true, maxLength: 200 })),
      field('内容', h('textarea', { name: 'text', rows: 4, required: true })),
      h('button', { type: 'submit', text: '添加解读' }),
    );
    materials.append(h('h3', { text: '上传文件' }), fileForm, qaForm, explainerForm);
  }

  // The reply library: similar past replies while drafting, the draft check for drafters and the approving leader.
  const draftBox = /** @type {HTMLTextAreaElement | null} */ (text.querySelector('textarea[name="body"]'));
  const library = [];
  if (can.draft)
    library.push(
      similarRepliesCard(
        id,
        draftBox
          ? (answer) => {
              draftBox.value = answer;
              draftBox.focus();
            }
          : null,
      ),
    );
  if (can.draft || can.approve) library.push(draftCheckCard(id, () => draftBox?.value));
  render(
    main,
    header,
    h('div', { class: 'grid2' }, h('div', {}, text, ...library, versions), h('div', {}, actions, materials)),
  );
}
