// @ts-check
import { h, render } from '../lib/dom.js';
import { api } from '../lib/api.js';
import { chart } from '../lib/charts.js';
import {
  fmtDate,
  fmtDeadline,
  fmtTime,
  label,
  LEVEL_LABELS,
  RUN_STATUS_LABELS,
  ISSUE_STATUS_LABELS,
} from '../lib/format.js';
import { levelBadge, tableHead } from '../lib/widgets.js';

const LEVEL_ORDER = ['severe', 'major', 'general', 'none'];

/** Height of one legend row, in pixels (12 px text, 14 px symbols, the gap between rows). */
const LEGEND_ROW_PX = 24;
/** Space between legend items, in pixels. */
const LEGEND_ITEM_GAP_PX = 10;

/**
 * How many rows a wrapping legend takes at `width` pixels: each item is its symbol (25 px), its name (CJK
 * characters about 12 px, others about 7 px) and the gap. Generous on purpose: a spare row costs less than a
 * legend that runs into the plot.
 * @param {string[]} names
 * @param {number} width
 */
function estimateLegendRows(names, width) {
  let rows = 1;
  let x = 0;
  for (const name of names) {
    const text = [...name].reduce((w, ch) => w + (/[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 12.5 : 7.5), 0);
    const item = 25 + text + LEGEND_ITEM_GAP_PX;
    if (x > 0 && x + item > width) {
      rows++;
      x = 0;
    }
    x += item;
  }
  return rows;
}

/** A word cloud as sized words (font size set through the CSSOM, which the CSP allows; no HTML). */
function wordCloud(words) {
  if (!words.length) return h('p', { class: 'muted', text: '暂无数据' });
  const max = Math.max(...words.map((w) => w.weight));
  const min = Math.min(...words.map((w) => w.weight));
  const shuffled = [...words].sort((a, b) => (a.word < b.word ? -1 : 1));
  return h(
    'div',
    { class: 'word-cloud', id: 'word-cloud' },
    shuffled.map((w) => {
      const t = max === min ? 0.5 : (w.weight - min) / (max - min);
      const el = h('a', {
        href: `/mentions?q=${encodeURIComponent(w.word)}`,
        text: w.word,
        class: `w${Math.round(t * 4)}`,
      });
      el.style.fontSize = `${(0.85 + t * 1.6).toFixed(2)}rem`;
      return el;
    }),
  );
}

/**
 * @param {HTMLElement} main
 */
export default async function overviewPage(main) {
  const o = await api('GET', '/api/overview?days=30');
  const volumeEl = h('div', { class: 'chart', id: 'volume-chart' });
  const levelEl = h('div', { class: 'chart small', id: 'level-chart' });
  render(
    main,
    h('h1', { text: '总览' }),
    h('p', { class: 'muted', text: `近 ${o.days} 天 · 更新于 ${fmtTime(o.generatedAt)}` }),
    h(
      'div',
      { class: 'grid2' },
      h('section', { class: 'card' }, h('h2', { text: '提及量与负面占比（按类别）' }), volumeEl),
      h('section', { class: 'card' }, h('h2', { text: '议题级别分布' }), levelEl),
    ),
    h(
      'div',
      { class: 'grid2' },
      h(
        'section',
        { class: 'card' },
        h('h2', { text: '热点议题' }),
        o.hotIssues.length
          ? h(
              'table',
              { class: 'data' },
              h(
                'tbody',
                {},
                o.hotIssues.map((i) =>
                  h(
                    'tr',
                    { class: i.overdue ? 'overdue' : '' },
                    h('td', {}, levelBadge(i.level)),
                    h('td', {}, h('a', { href: `/issues/${i.id}`, text: i.title })),
                    h('td', { class: 'nowrap', text: label(ISSUE_STATUS_LABELS, i.status) }),
                    h('td', { class: 'num', text: i.hotness.toFixed(1) }),
                    h('td', {
                      class: i.overdue ? 'overdue-text nowrap' : 'nowrap',
                      text: i.deadlineAt ? fmtDeadline(i.deadlineAt) : '',
                    }),
                  ),
                ),
              ),
            )
          : h('p', { class: 'muted', text: '暂无' }),
      ),
      h('section', { class: 'card' }, h('h2', { text: '词云' }), wordCloud(o.words)),
    ),
    o.overdueResponses.length
      ? h(
          'section',
          { class: 'card overdue' },
          h('h2', { text: '超期未发布的回应' }),
          h(
            'ul',
            {},
            o.overdueResponses.map((r) =>
              h('li', {}, h('a', { href: `/responses/${r.id}`, text: r.issue.title }), ` ${fmtDeadline(r.deadlineAt)}`),
            ),
          ),
        )
      : null,
    h(
      'section',
      { class: 'card' },
      h('h2', { text: '信源状态' }),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'data' },
          tableHead(['信源', '启用', '最近运行', '状态', '24 小时失败', '错误 / 拦截']),
          h(
            'tbody',
            {},
            o.sources.map((s) =>
              h(
                'tr',
                { class: s.blockedReason || s.lastStatus === 'failed' ? 'warn' : '' },
                h('td', { text: s.name }),
                h('td', { text: s.enabled ? '是' : '否' }),
                h('td', { text: fmtTime(s.lastRunAt) }),
                h('td', { text: s.lastStatus ? label(RUN_STATUS_LABELS, s.lastStatus) : '未运行' }),
                h('td', { class: 'num', text: String(s.failuresLast24h) }),
                h('td', { class: 'error-text', text: s.blockedReason ?? s.lastError ?? '' }),
              ),
            ),
          ),
        ),
      ),
    ),
  );

  // Stacked daily volume per category, plus the overall negative share on a second axis.
  const days = [...new Set(o.volume.map((v) => v.day))].sort();
  const categories = [...new Set(o.volume.map((v) => v.category))];
  const byKey = new Map(o.volume.map((v) => [`${v.day}|${v.category}`, v]));
  const negShare = days.map((d) => {
    const rows = o.volume.filter((v) => v.day === d);
    const total = rows.reduce((a, v) => a + v.total, 0);
    return total ? Math.round((rows.reduce((a, v) => a + v.negative, 0) / total) * 1000) / 10 : 0;
  });
  // Every category stays visible with its full name: the legend wraps below the plot (no paging, no ellipsis),
  // and the chart grows by the rows the legend needs, so the axis names above the plot never meet it.
  const legendNames = [...categories, '负面占比'];
  const legendRows = estimateLegendRows(legendNames, volumeEl.clientWidth || 480);
  volumeEl.style.height = `${260 + legendRows * LEGEND_ROW_PX}px`;
  await chart(volumeEl, {
    grid: { left: 45, right: 45, top: 40, bottom: 30 + legendRows * LEGEND_ROW_PX, containLabel: false },
    legend: {
      type: 'plain',
      bottom: 0,
      left: 0,
      right: 0,
      data: legendNames,
      itemGap: LEGEND_ITEM_GAP_PX,
      tooltip: { show: true, renderMode: 'richText' },
    },
    xAxis: { type: 'category', data: days, axisLabel: { formatter: fmtDate } },
    yAxis: [
      { type: 'value', name: '提及' },
      { type: 'value', name: '负面 %', max: 100 },
    ],
    series: [
      ...categories.map((c) => ({
        name: c,
        type: 'bar',
        stack: 'volume',
        data: days.map((d) => byKey.get(`${d}|${c}`)?.total ?? 0),
      })),
      { name: '负面占比', type: 'line', yAxisIndex: 1, data: negShare, showSymbol: false },
    ],
  });
  const levelCounts = LEVEL_ORDER.map((lv) =>
    o.levels
      .filter((l) => l.level === lv && !['dismissed', 'resolved'].includes(l.status))
      .reduce((a, l) => a + l.count, 0),
  );
  await chart(levelEl, {
    grid: { left: 60, right: 20, top: 20, bottom: 30 },
    tooltip: { trigger: 'item' },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', data: LEVEL_ORDER.map((lv) => label(LEVEL_LABELS, lv)) },
    series: [
      { type: 'bar', data: levelCounts, itemStyle: { color: '#b3261e' }, label: { show: true, position: 'right' } },
    ],
  });
}
