// Charts are drawn by Apache ECharts' server-side SVG renderer (no DOM, no canvas) and rasterised by resvg:
// mail clients show inline PNGs everywhere while SVG is stripped by many, and Word embeds PNG reliably.
import { Resvg } from '@resvg/resvg-js';
import * as echarts from 'echarts';
import { findCjkFont } from './chart-font.ts';

/** An ECharts option object (the renderer accepts any of the library's chart types). */
export type ChartSpec = echarts.EChartsOption;

/** Options for {@link renderChartPng}. */
export interface ChartRenderOptions {
  /** Width of the chart in CSS pixels. */
  width: number;
  /** Height of the chart in CSS pixels. */
  height: number;
  /** Font file with Chinese glyphs. @defaultValue the first found by {@link findCjkFont} */
  fontFile?: string | undefined;
  /** Device pixels per CSS pixel: 2 keeps text sharp on phones and in print. @defaultValue 1 */
  scale?: number;
}

/** The font family named in the SVG; resvg falls back to the one loaded font whatever the name. */
export const CHART_FONT_FAMILY = 'WenQuanYi Micro Hei, Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif';

/** ECharts' option as an SVG document (animation off: the server renders the final frame). */
export function renderChartSvg(spec: ChartSpec, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: CHART_FONT_FAMILY },
      ...spec,
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/**
 * Renders an ECharts option to PNG bytes with a CJK font.
 * @throws NonRetryableError `CJK_FONT_MISSING` when no font with Chinese glyphs is available.
 */
export function renderChartPng(spec: ChartSpec, options: ChartRenderOptions): Buffer {
  const fontFile = findCjkFont(options.fontFile);
  const svg = renderChartSvg(spec, options.width, options.height);
  const scale = options.scale ?? 1;
  const resvg = new Resvg(svg, {
    // System fonts off: scanning them costs more than the render, and the one file is all the chart needs.
    font: { fontFiles: [fontFile], loadSystemFonts: false },
    fitTo: { mode: 'width', value: Math.round(options.width * scale) },
    background: '#ffffff',
  });
  return resvg.render().asPng();
}
