import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { niceAxisMax, renderTrendChart, TREND_CHART_HEIGHT, TREND_CHART_WIDTH } from './trend-chart.ts';

function countColour(png: PNG, rgb: [number, number, number]): number {
  let n = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    if (png.data[i] === rgb[0] && png.data[i + 1] === rgb[1] && png.data[i + 2] === rgb[2]) n++;
  }
  return n;
}

describe('trend chart', () => {
  it('is a PNG whose bars grow with the counts', () => {
    const points = [
      '2026-11-20',
      '2026-11-21',
      '2026-11-22',
      '2026-11-23',
      '2026-11-24',
      '2026-11-25',
      '2026-11-26',
    ].map((date, i) => ({ date, mentions: 10 * (i + 1), negative: i }));
    const bytes = renderTrendChart(points);
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    const png = PNG.sync.read(bytes);
    expect([png.width, png.height]).toEqual([TREND_CHART_WIDTH, TREND_CHART_HEIGHT]);
    const blue = countColour(png, [0x3b, 0x82, 0xf6]);
    const red = countColour(png, [0xdc, 0x26, 0x26]);
    expect(blue).toBeGreaterThan(red);
    expect(red).toBeGreaterThan(0);

    const doubled = PNG.sync.read(
      renderTrendChart(points.map((p) => ({ ...p, mentions: p.mentions, negative: p.negative * 2 }))),
    );
    expect(countColour(doubled, [0xdc, 0x26, 0x26])).toBeGreaterThan(red);
  });

  it('draws an empty week without bars', () => {
    const png = PNG.sync.read(renderTrendChart([{ date: '2026-11-26', mentions: 0, negative: 0 }]));
    expect(countColour(png, [0x3b, 0x82, 0xf6])).toBe(0);
  });

  it('rounds the axis up to a readable maximum', () => {
    expect(niceAxisMax(0)).toBe(4);
    expect(niceAxisMax(37)).toBe(40);
    expect(niceAxisMax(101)).toBe(200);
    expect(niceAxisMax(1234)).toBe(2000);
  });
});
