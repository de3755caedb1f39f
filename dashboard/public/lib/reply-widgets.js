// @ts-check
// The reply library in the response workspace: similar past replies (答复库) and the draft check (口径自检).
import { h, render, toastError } from './dom.js';
import { api } from './api.js';
import { fmtTime, label } from './format.js';
import { LABELS } from './labels.js';

/**
 * The five past replies most similar to the response's issue, each with why it matched and, while the draft can
 * be edited, a 「以此为起点」 button that puts the reply into the draft box.
 * @param {number} responseId
 * @param {((text: string) => void) | null} fillDraft null when the draft cannot be edited now
 */
export function similarRepliesCard(responseId, fillDraft) {
  const list = h('div', { id: 'similar-replies', text: '正在查找相似的历史答复…' });
  const card = h('section', { class: 'card' }, h('h2', { text: '相似的历史答复' }), list);
  api('GET', `/api/responses/${responseId}/similar-replies?top=5`).then(
    (
      /** @type {{ items: Array<{ id: number, score: number, why: string[], title: string | null, excerpt: string, answer: string, department: string | null, time: string | null, source: string }> }} */ res,
    ) => {
      if (res.items.length === 0) {
        render(
          list,
          h('p', { class: 'muted', text: '答复库中没有相似的答复（可用 yq replies import 导入历史答复）。' }),
        );
        return;
      }
      render(
        list,
        h(
          'ol',
          { class: 'similar-replies' },
          res.items.map((r) =>
            h(
              'li',
              { class: 'similar-reply', dataset: { replyId: String(r.id) } },
              h('strong', { text: r.title ?? '（无标题）' }),
              h(
                'div',
                { class: 'meta' },
                h('span', { class: 'tag', text: label(LABELS.REPLY_SOURCE_LABELS, r.source) }),
                r.department ? h('span', { text: r.department }) : null,
                r.time ? h('span', { text: fmtTime(r.time) }) : null,
                h('span', { class: 'muted', text: `相似度 ${r.score.toFixed(2)}` }),
              ),
              h('div', { class: 'why', text: `匹配词：${r.why.join('、') || '—'}` }),
              h('p', { class: 'excerpt', text: r.excerpt }),
              fillDraft
                ? h('button', {
                    type: 'button',
                    class: 'use-reply',
                    text: '以此为起点',
                    attrs: { 'aria-label': `以答复 ${r.id} 为起点起草` },
                    on: {
                      click: () => {
                        if (!confirm('用这条历史答复替换输入框中的口径？（保存前不会生效）')) return;
                        fillDraft(r.answer);
                      },
                    },
                  })
                : null,
            ),
          ),
        ),
      );
    },
    (err) => {
      render(list, h('p', { class: 'muted', text: '相似答复暂不可用' }));
      toastError(err);
    },
  );
  return card;
}

/**
 * The draft check: score, items and hints for the draft now in the box (or the current version when there is
 * no box, as on the leader's approval view). Runs once at once and again on 「检查口径」.
 * @param {number} responseId
 * @param {() => string | undefined} currentDraft the text in the box, or undefined to check the saved version
 */
export function draftCheckCard(responseId, currentDraft) {
  const out = h('div', { id: 'draft-check' });
  const run = async () => {
    try {
      const draft = currentDraft();
      /** @type {{ score: number, items: Array<{ key: string, label: string, passed: boolean, detail: string }>, hints: string[], questions: Array<{ text: string, answered: boolean }> }} */
      const c = await api(
        'POST',
        `/api/responses/${responseId}/draft-check`,
        draft === undefined ? {} : { body: draft },
      );
      render(
        out,
        h('p', {}, h('strong', { id: 'draft-score', class: 'draft-score', text: `${c.score}` }), ' / 100'),
        h(
          'ul',
          { class: 'draft-items' },
          c.items.map((it) =>
            h('li', { class: it.passed ? 'passed' : 'failed' }, `${it.passed ? '✓' : '✗'} ${it.label}：${it.detail}`),
          ),
        ),
        c.questions.length
          ? h(
              'details',
              {},
              h('summary', {
                text: `网民提出的问题（${c.questions.filter((q) => q.answered).length}/${c.questions.length} 已回应）`,
              }),
              h(
                'ul',
                {},
                c.questions.map((q) => h('li', { text: `${q.answered ? '已回应' : '未回应'}：${q.text}` })),
              ),
            )
          : null,
        c.hints.length
          ? h(
              'ul',
              { class: 'draft-hints', id: 'draft-hints' },
              c.hints.map((t) => h('li', { text: t })),
            )
          : h('p', { class: 'muted', text: '没有需要修改的地方。' }),
      );
    } catch (err) {
      toastError(err);
    }
  };
  void run();
  return h(
    'section',
    { class: 'card' },
    h('h2', { text: '口径自检' }),
    h('button', { type: 'button', id: 'run-draft-check', text: '检查口径', on: { click: () => void run() } }),
    out,
  );
}
