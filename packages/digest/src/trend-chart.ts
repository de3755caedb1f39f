// The digest's 7-day trend: mentions (blue) and negative mentions (red) per day as grouped bars, drawn by ECharts
// and rasterised with a CJK font (chart-render.ts), so day labels carry the Chinese weekday.
import type { TrendPoint } from './digest-content.ts';
import { chineseWeekday } from './digest-date.ts';
import { renderChartPng } from './chart-render.ts';

/** Chart size in pixels (shown at this size; small enough for a phone). */
export const TREND_CHART_WIDTH = 600;
export const TREND_CHART_HEIGHT = 220;

/** Colours of the bars, named so the HTML legend can match them. */
export const TREND_COLORS = { mentions: '#3b82f6', negative: '#dc2626' } as const;

const GRID_LINES = 4;

/** A round axis maximum at or above `max` (1, 2, 2.5, 5 × 10ⁿ steps over four grid lines). */
export function niceAxisMax(max: number): number {
  if (max <= GRID_LINES) return GRID_LINES;
  const rawStep = max / GRID_LINES;
  const magnitude = 10 ** Math.floor(Math.log10(rawStep));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rawStep) ?? 10 * magnitude;
  return Math.ceil(step) * GRID_LINES;
}

/** Options for {@link renderTrendChart}. */
export interface TrendChartOptions {
  /** Font file with Chinese glyphs (YQ_CJK_FONT). @defaultValue the first found in the usual system paths */
  fontFile?: string | undefined;
}

/**
 * Renders mentions (blue) and negative mentions (red) per day as grouped bars, with day labels (MM/DD and the
 * weekday) and a value axis. Returns PNG bytes of {@link TREND_CHART_WIDTH} × {@link TREND_CHART_HEIGHT}.
 * @throws NonRetryableError `CJK_FONT_MISSING` when no font with Chinese glyphs is available.
 */
export function renderTrendChart(points: TrendPoint[], options: TrendChartOptions = {}): Buffer {
  const axisMax = niceAxisMax(Math.max(0, ...points.map((p) => Math.max(p.mentions, p.negative))));
  return renderChartPng(
    {
      grid: { left: 48, right: 12, top: 26, bottom: 40 },
      xAxis: {
        type: 'category',
        data: points.map(
          (p) => `${p.date.slice(5, 7)}/${p.date.slice(8, 10)}\n${chineseWeekday(p.date).replace('星期', '周')}`,
        ),
        axisTick: { show: false },
        axisLabel: { color: '#374151', fontSize: 11, lineHeight: 14 },
        axisLine: { lineStyle: { color: '#6b7280' } },
      },
      yAxis: {
        type: 'value',
        name: '条数',
        nameTextStyle: { color: '#374151', fontSize: 11, align: 'right' },
        min: 0,
        max: axisMax,
        interval: axisMax / GRID_LINES,
        axisLabel: { color: '#374151', fontSize: 11 },
        splitLine: { lineStyle: { color: '#e5e7eb' } },
      },
      series: [
        {
          name: '信息总量',
          type: 'bar',
          data: points.map((p) => p.mentions),
          itemStyle: { color: TREND_COLORS.mentions },
          barMaxWidth: 28,
        },
        {
          name: '负面信息',
          type: 'bar',
          data: points.map((p) => p.negative),
          itemStyle: { color: TREND_COLORS.negative },
          barMaxWidth: 28,
        },
      ],
    },
    { width: TREND_CHART_WIDTH, height: TREND_CHART_HEIGHT, fontFile: options.fontFile },
  );
}
