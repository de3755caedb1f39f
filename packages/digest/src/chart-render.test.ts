// The charts must really draw Chinese: resvg silently skips characters no loaded font covers, so these tests
// compare the same chart with and without the CJK font, and two different titles with each other.
import { Resvg } from '@resvg/resvg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { errorCode } from '@yuqing/core';
import { findCjkFont } from './chart-font.ts';
import { renderChartPng, renderChartSvg, type ChartSpec } from './chart-render.ts';
import { renderCategoryChart, renderSentimentChart, renderSpreadChart } from './report-charts.ts';

const WIDTH = 400;
const HEIGHT = 80;

function titleOnly(text: string): ChartSpec {
  return { title: { text, left: 'center', top: 20, textStyle: { fontSize: 28, color: '#000000' } } };
}

/** Pixels that are not (nearly) white. */
function ink(png: PNG): number {
  let n = 0;
  for (let i = 0; i < png.data.length; i += 4)
    if (png.data[i]! < 200 || png.data[i + 1]! < 200 || png.data[i + 2]! < 200) n++;
  return n;
}

/** Positions of dark pixels, to tell two drawings apart. */
function darkMask(png: PNG): string {
  let s = '';
  for (let i = 0; i < png.data.length; i += 4) s += png.data[i]! < 128 ? '1' : '0';
  return s;
}

describe('chart rendering (ECharts SVG → resvg PNG)', () => {
  it('draws Chinese glyphs with the CJK font, and nothing without it', () => {
    const font = findCjkFont();
    const withFont = PNG.sync.read(
      renderChartPng(titleOnly('舆情周报'), { width: WIDTH, height: HEIGHT, fontFile: font }),
    );
    const noFont = new Resvg(renderChartSvg(titleOnly('舆情周报'), WIDTH, HEIGHT), {
      font: { loadSystemFonts: false },
      background: '#ffffff',
    });
    const bare = PNG.sync.read(noFont.render().asPng());
    expect(ink(bare)).toBe(0);
    // Four 28 px ideographs are a few hundred dark pixels at least.
    expect(ink(withFont)).toBeGreaterThan(400);
  });

  it('draws different characters differently (glyphs, not one tofu box per character)', () => {
    const render = (text: string) => PNG.sync.read(renderChartPng(titleOnly(text), { width: WIDTH, height: HEIGHT }));
    const a = render('舆情周报');
    const b = render('社保医疗');
    const c = render('舆情周报');
    const [maskA, maskB] = [darkMask(a), darkMask(b)];
    expect(maskA).toBe(darkMask(c));
    let diff = 0;
    for (let i = 0; i < maskA.length; i++) if (maskA[i] !== maskB[i]) diff++;
    expect(diff).toBeGreaterThan(200);
    // 舆 has far more strokes than 一: the ink follows the glyph.
    expect(ink(render('舆舆舆舆'))).toBeGreaterThan(ink(render('一一一一')) * 2);
  });

  it('renders the report charts as PNGs of the report size', () => {
    const points = ['2026-11-23', '2026-11-24', '2026-11-25'].map((date, i) => ({
      date,
      mentions: 5 + i,
      negative: i,
    }));
    const times: number[] = [];
    for (const draw of [
      () => renderSpreadChart(points, '信息传播趋势'),
      () => renderSentimentChart({ negative: 3, neutral: 9, positive: 1 }, '情感倾向分布'),
      () => renderCategoryChart([{ category: '劳动和社会保障', mentions: 9, negative: 3 }], '各类别相关信息量'),
    ]) {
      const started = performance.now();
      const png = PNG.sync.read(draw());
      times.push(performance.now() - started);
      expect([png.width, png.height]).toEqual([640, 300]);
      expect(ink(png)).toBeGreaterThan(1000);
    }
    console.info(`report charts rendered in ${times.map((t) => t.toFixed(0)).join(' / ')} ms`);
  });

  it('fails with CJK_FONT_MISSING when no font is found or the configured one does not exist', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return errorCode(error);
      }
      return 'no error';
    };
    expect(code(() => findCjkFont(undefined, ['/nonexistent/font.ttc']))).toBe('CJK_FONT_MISSING');
    expect(code(() => findCjkFont('/nonexistent/yq-font.ttf'))).toBe('CJK_FONT_MISSING');
    expect(
      code(() => renderChartPng(titleOnly('舆情'), { width: 100, height: 50, fontFile: '/nonexistent/f.ttf' })),
    ).toBe('CJK_FONT_MISSING');
  });
});
