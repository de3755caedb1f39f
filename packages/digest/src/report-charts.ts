// The report charts (trend, sentiment split, categories, an issue's spread), each an ECharts option rendered to
// PNG with a CJK font by chart-render.ts. Titles and labels are Chinese, which is why the font matters.
import { SENTIMENT_LABELS } from '@yuqing/domain';
import type { TrendPoint } from './digest-content.ts';
import { renderChartPng } from './chart-render.ts';
import { TREND_COLORS } from './trend-chart.ts';

/** Size of every report chart in pixels. */
export const REPORT_CHART_WIDTH = 640;
export const REPORT_CHART_HEIGHT = 300;

/** Colours of the sentiment split, by label. */
const SENTIMENT_COLORS: Record<string, string> = {
  negative: '#dc2626',
  neutral: '#9ca3af',
  positive: '#16a34a',
  unknown: '#e5e7eb',
};
const TITLE = { left: 'center', top: 6, textStyle: { fontSize: 15, fontWeight: 'bold', color: '#111827' } } as const;
const LABEL = { color: '#374151', fontSize: 11 } as const;

function size(fontFile: string | undefined) {
  return { width: REPORT_CHART_WIDTH, height: REPORT_CHART_HEIGHT, fontFile };
}

/**
 * Mentions and negative mentions over time as two lines (a spread curve): per day, week or month as the points
 * come. `title` is drawn on the chart.
 */
export function renderSpreadChart(points: TrendPoint[], title: string, fontFile?: string): Buffer {
  return renderChartPng(
    {
      title: { text: title, ...TITLE },
      legend: { bottom: 4, textStyle: LABEL, data: ['信息量', '负面信息'] },
      grid: { left: 52, right: 20, top: 44, bottom: 64 },
      xAxis: {
        type: 'category',
        boundaryGap: false,
        data: points.map((p) => `${Number(p.date.slice(5, 7))}月${Number(p.date.slice(8, 10))}日`),
        axisLabel: LABEL,
      },
      yAxis: { type: 'value', name: '条数', minInterval: 1, axisLabel: LABEL, nameTextStyle: LABEL },
      series: [
        {
          name: '信息量',
          type: 'line',
          data: points.map((p) => p.mentions),
          itemStyle: { color: TREND_COLORS.mentions },
          areaStyle: { opacity: 0.15 },
          showSymbol: points.length <= 31,
        },
        {
          name: '负面信息',
          type: 'line',
          data: points.map((p) => p.negative),
          itemStyle: { color: TREND_COLORS.negative },
          showSymbol: points.length <= 31,
        },
      ],
    },
    size(fontFile),
  );
}

/** Relevant mentions by sentiment as a ring chart with Chinese labels and shares. */
export function renderSentimentChart(split: Record<string, number>, title: string, fontFile?: string): Buffer {
  const labels: Record<string, string> = { ...SENTIMENT_LABELS, unknown: '未研判' };
  const data = Object.entries(split)
    .filter(([, n]) => n > 0)
    .map(([key, value]) => ({
      name: labels[key] ?? key,
      value,
      itemStyle: { color: SENTIMENT_COLORS[key] ?? '#6b7280' },
    }));
  return renderChartPng(
    {
      title: { text: title, ...TITLE },
      series: [
        {
          type: 'pie',
          radius: ['35%', '62%'],
          center: ['50%', '56%'],
          data: data.length ? data : [{ name: '无数据', value: 0, itemStyle: { color: '#e5e7eb' } }],
          label: { formatter: '{b} {c}条（{d}%）', fontSize: 12, color: '#111827' },
        },
      ],
    },
    size(fontFile),
  );
}

/** Relevant mentions per category as horizontal bars, most first (at most 12 categories). */
export function renderCategoryChart(
  rows: Array<{ category: string; mentions: number; negative: number }>,
  title: string,
  fontFile?: string,
): Buffer {
  const shown = rows.slice(0, 12).reverse();
  return renderChartPng(
    {
      title: { text: title, ...TITLE },
      legend: { bottom: 4, textStyle: LABEL, data: ['相关信息', '负面信息'] },
      grid: { left: 110, right: 30, top: 40, bottom: 44 },
      xAxis: { type: 'value', minInterval: 1, axisLabel: LABEL },
      yAxis: {
        type: 'category',
        data: shown.map((r) => r.category),
        axisLabel: { ...LABEL, width: 100, overflow: 'truncate' },
      },
      series: [
        {
          name: '相关信息',
          type: 'bar',
          data: shown.map((r) => r.mentions),
          itemStyle: { color: TREND_COLORS.mentions },
        },
        {
          name: '负面信息',
          type: 'bar',
          data: shown.map((r) => r.negative),
          itemStyle: { color: TREND_COLORS.negative },
        },
      ],
    },
    size(fontFile),
  );
}
