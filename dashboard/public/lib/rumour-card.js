// @ts-check
// The 辟谣 card of the issue page: the rumour mark (with its note), starting a rebuttal notice, and how the rumour
// and the notice spread over time, drawn here as SVG (no chart library, nothing from a CDN).
import { h, render } from './dom.js';
import { api, apiAction } from './api.js';
import { fmtTime } from './format.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const WIDTH = 640;
const HEIGHT = 220;
const PAD = { left: 36, right: 12, top: 16, bottom: 28 };
const COLOURS = { mentions: '#1a73e8', citing: '#188038', notice: '#b3261e' };

/**
 * An SVG element with attributes (text only through textContent).
 * @param {string} tag
 * @param {Record<string, string | number>} attrs
 * @param {string} [text]
 */
function svg(tag, attrs, text) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/**
 * The spread chart: posts spreading the rumour per bucket (the issue's and repeats filed elsewhere, blue), posts
 * citing the notice (green), each notice's
 * publication as a red dashed line.
 * @param {{ bucket: string, points: { at: string, mentions: number, repeats: number, citing: number }[],
 *   notices: { publishedAt: string, title: string }[] }} spread
 */
export function spreadChart(spread) {
  const times = spread.points.map((p) => new Date(p.at).getTime());
  const noticeTimes = spread.notices.map((n) => new Date(n.publishedAt).getTime());
  const t0 = Math.min(...times, ...noticeTimes);
  const t1 = Math.max(...times, ...noticeTimes, t0 + 1);
  const yMax = Math.max(1, ...spread.points.map((p) => p.mentions));
  const x = (/** @type {number} */ t) => PAD.left + ((t - t0) / (t1 - t0)) * (WIDTH - PAD.left - PAD.right);
  const y = (/** @type {number} */ v) => HEIGHT - PAD.bottom - (v / yMax) * (HEIGHT - PAD.top - PAD.bottom);
  const root = svg('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    // Fixed size: stretched to the card's width the 11 px labels grow to headline size.
    width: WIDTH,
    height: HEIGHT,
    role: 'img',
    id: 'rumour-spread-chart',
    'aria-label': '谣言与辟谣传播对比图',
  });
  root.append(
    svg('line', { x1: PAD.left, y1: y(0), x2: WIDTH - PAD.right, y2: y(0), stroke: '#9ca3af' }),
    svg('text', { x: 4, y: y(yMax) + 4, 'font-size': 11, fill: '#555' }, String(yMax)),
    svg('text', { x: 4, y: y(0), 'font-size': 11, fill: '#555' }, '0'),
    svg('text', { x: PAD.left, y: HEIGHT - 8, 'font-size': 11, fill: '#555' }, fmtTime(t0)),
    svg(
      'text',
      { x: WIDTH - PAD.right, y: HEIGHT - 8, 'font-size': 11, fill: '#555', 'text-anchor': 'end' },
      fmtTime(t1),
    ),
  );
  for (const key of /** @type {const} */ (['mentions', 'citing'])) {
    const pts = spread.points.map((p, i) => `${x(times[i] ?? t0).toFixed(1)},${y(p[key]).toFixed(1)}`).join(' ');
    root.append(
      svg('polyline', { points: pts, fill: 'none', stroke: COLOURS[key], 'stroke-width': 2, class: `series-${key}` }),
    );
  }
  for (const t of noticeTimes)
    root.append(
      svg('line', {
        x1: x(t),
        x2: x(t),
        y1: PAD.top,
        y2: y(0),
        stroke: COLOURS.notice,
        'stroke-dasharray': '4 3',
        class: 'notice-line',
      }),
      svg('text', { x: x(t) + 3, y: PAD.top + 10, 'font-size': 11, fill: COLOURS.notice }, '辟谣发布'),
    );
  return root;
}

/**
 * @param {any} issue the issue as /api/issues/:id answers it
 * @param {import('./api.js').Me} me
 * @param {() => unknown} reload
 */
export function rumourCard(issue, me, reload) {
  const card = h('section', { class: 'card', id: 'rumour-card' }, h('h2', { text: '辟谣' }));
  const marked = issue.rumourMarkedAt !== null && issue.rumourMarkedAt !== undefined;
  card.append(
    h('p', {
      id: 'rumour-status',
      text: marked ? `已标记为谣言（${fmtTime(issue.rumourMarkedAt)}）：${issue.rumourNote ?? ''}` : '未标记为谣言',
    }),
  );
  if (me.can.rumour) {
    if (marked)
      card.append(
        h('button', {
          type: 'button',
          text: '取消谣言标记',
          on: {
            click: async () => {
              if (await apiAction('PUT', `/api/issues/${issue.id}/rumour`, { rumour: false }, '已取消谣言标记'))
                reload();
            },
          },
        }),
      );
    else {
      const note = h('input', { name: 'note', required: true, placeholder: '网传内容（必填）', maxLength: 2000 });
      card.append(
        h(
          'form',
          {
            class: 'inline',
            id: 'rumour-form',
            on: {
              submit: async (/** @type {SubmitEvent} */ e) => {
                e.preventDefault();
                const body = { rumour: true, note: note.value };
                if (await apiAction('PUT', `/api/issues/${issue.id}/rumour`, body, '已标记为谣言')) reload();
              },
            },
          },
          note,
          h('button', { type: 'submit', text: '标记为谣言' }),
        ),
      );
    }
  }
  if (marked && me.can.draft)
    card.append(
      h('button', {
        type: 'button',
        id: 'start-rebuttal',
        text: '起草辟谣说明',
        on: {
          click: async () => {
            const created = await apiAction(
              'POST',
              '/api/responses',
              { issueId: issue.id, kind: 'rumour_rebuttal' },
              '已按模板创建辟谣说明',
            );
            if (created) location.assign(`/responses/${created.id}`);
          },
        },
      }),
    );
  const chartSlot = h('div', { id: 'rumour-spread' });
  card.append(chartSlot);
  if (marked || (issue.responses ?? []).some((/** @type {any} */ r) => r.kind === 'rumour_rebuttal'))
    void api('GET', `/api/issues/${issue.id}/rumour-spread?bucket=hour`).then((spread) => {
      if (spread.points.length === 0) return render(chartSlot, h('p', { class: 'muted', text: '暂无传播数据' }));
      render(
        chartSlot,
        h('h3', { text: '传播对比（按小时）' }),
        spreadChart(spread),
        h('p', {
          class: 'muted',
          id: 'rumour-spread-totals',
          text: `蓝：传播谣言的信息 ${spread.totals.mentions} 条（其中其他议题或未归入议题的转述 ${spread.totals.repeats} 条）；绿：引用辟谣的信息 ${spread.totals.citing} 条（其中议题以外 ${spread.totals.citingOutside} 条）；红色虚线：辟谣发布${
            spread.notices.length
              ? `（${spread.notices.map((/** @type {any} */ n) => fmtTime(n.publishedAt)).join('、')}）`
              : '（尚未发布）'
          }`,
        }),
        h('p', {
          class: 'muted',
          id: 'rumour-spread-rule',
          text:
            '统计口径：本议题的全部信息计入谣言传播；其他议题或未归入议题的信息，自本议题首条信息起，与谣言（议题标题、网传内容或最早的 50 条信息之一）的文字相同部分（相邻两字）占较短一方一半及以上的，计为转述谣言。' +
            '辟谣发布后，本议题中含“辟谣”“官方回应”“不实”等词或辟谣标题的信息计为引用辟谣；议题以外的信息须写明辟谣标题，或含上述词语且与谣言相同部分占四分之一及以上，才计为引用辟谣。',
        }),
      );
    });
  return card;
}
