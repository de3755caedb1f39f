// A small bar chart drawn pixel by pixel into a PNG: mail clients show inline PNGs everywhere, while SVG
// and remote images are blocked or stripped by many of them. Labels use a built-in 3×5 digit font because
// pngjs has no text rendering (the Chinese legend lives in the HTML next to the image).
import { PNG } from 'pngjs';
import type { TrendPoint } from './digest-content.ts';

/** Chart size in pixels (shown at this size; small enough for a phone). */
export const TREND_CHART_WIDTH = 600;
export const TREND_CHART_HEIGHT = 220;

type Rgb = readonly [number, number, number];

/** Colours of the bars, named so the HTML legend can match them. */
export const TREND_COLORS = { mentions: '#3b82f6', negative: '#dc2626' } as const;

const BACKGROUND: Rgb = [255, 255, 255];
const GRID: Rgb = [229, 231, 235];
const AXIS: Rgb = [107, 114, 128];
const LABEL: Rgb = [55, 65, 81];
const MENTIONS: Rgb = hex(TREND_COLORS.mentions);
const NEGATIVE: Rgb = hex(TREND_COLORS.negative);

const MARGIN = { left: 44, right: 12, top: 14, bottom: 30 } as const;
const FONT_SCALE = 2;
const GRID_LINES = 4;

/** 3×5 glyphs, one string of 15 bits per character, row by row. */
const GLYPHS: Record<string, string> = {
  '0': '111101101101111',
  '1': '010110010010111',
  '2': '111001111100111',
  '3': '111001111001111',
  '4': '101101111001001',
  '5': '111100111001111',
  '6': '111100111101111',
  '7': '111001010010010',
  '8': '111101111101111',
  '9': '111101111001111',
  '-': '000000111000000',
  '/': '001001010100100',
  '.': '000000000000010',
  k: '100101110101101',
};

function hex(value: string): Rgb {
  const n = Number.parseInt(value.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

class Canvas {
  readonly png: PNG;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.png = new PNG({ width, height, colorType: 2 });
    this.fill(0, 0, width, height, BACKGROUND);
  }
  fill(x: number, y: number, w: number, h: number, color: Rgb): void {
    const x0 = Math.max(0, Math.round(x));
    const y0 = Math.max(0, Math.round(y));
    const x1 = Math.min(this.width, Math.round(x + w));
    const y1 = Math.min(this.height, Math.round(y + h));
    for (let yy = y0; yy < y1; yy++) {
      for (let xx = x0; xx < x1; xx++) {
        const i = (yy * this.width + xx) * 4;
        this.png.data[i] = color[0];
        this.png.data[i + 1] = color[1];
        this.png.data[i + 2] = color[2];
        this.png.data[i + 3] = 255;
      }
    }
  }
  /** Draws `text` with its top-left corner at (x, y); returns the width drawn. */
  text(text: string, x: number, y: number, color: Rgb): number {
    let cx = x;
    for (const ch of text) {
      const glyph = GLYPHS[ch];
      if (glyph) {
        for (let row = 0; row < 5; row++) {
          for (let col = 0; col < 3; col++) {
            if (glyph[row * 3 + col] === '1')
              this.fill(cx + col * FONT_SCALE, y + row * FONT_SCALE, FONT_SCALE, FONT_SCALE, color);
          }
        }
      }
      cx += 4 * FONT_SCALE;
    }
    return cx - x - FONT_SCALE;
  }
}

function textWidth(text: string): number {
  return text.length * 4 * FONT_SCALE - FONT_SCALE;
}

/** A round axis maximum at or above `max` (1, 2, 2.5, 5 × 10ⁿ steps over four grid lines). */
export function niceAxisMax(max: number): number {
  if (max <= GRID_LINES) return GRID_LINES;
  const rawStep = max / GRID_LINES;
  const magnitude = 10 ** Math.floor(Math.log10(rawStep));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rawStep) ?? 10 * magnitude;
  return Math.ceil(step) * GRID_LINES;
}

function compact(value: number): string {
  return value >= 10_000 ? `${Math.round(value / 1000)}k` : String(value);
}

/**
 * Renders mentions (blue) and negative mentions (red) per day as grouped bars, with day labels (MM/DD)
 * and a value axis. Returns PNG bytes.
 */
export function renderTrendChart(points: TrendPoint[]): Buffer {
  const canvas = new Canvas(TREND_CHART_WIDTH, TREND_CHART_HEIGHT);
  const plotW = TREND_CHART_WIDTH - MARGIN.left - MARGIN.right;
  const plotH = TREND_CHART_HEIGHT - MARGIN.top - MARGIN.bottom;
  const axisMax = niceAxisMax(Math.max(0, ...points.map((p) => Math.max(p.mentions, p.negative))));
  const yOf = (value: number) => MARGIN.top + plotH - (value / axisMax) * plotH;

  for (let i = 0; i <= GRID_LINES; i++) {
    const value = (axisMax / GRID_LINES) * i;
    const y = Math.round(yOf(value));
    canvas.fill(MARGIN.left, y, plotW, 1, i === 0 ? AXIS : GRID);
    const label = compact(Math.round(value));
    canvas.text(label, MARGIN.left - 6 - textWidth(label), y - 5, LABEL);
  }
  canvas.fill(MARGIN.left, MARGIN.top, 1, plotH + 1, AXIS);

  const slot = plotW / Math.max(points.length, 1);
  const barW = Math.max(2, Math.floor(slot * 0.3));
  points.forEach((p, i) => {
    const center = MARGIN.left + slot * i + slot / 2;
    const base = yOf(0);
    const mentionsTop = yOf(p.mentions);
    const negativeTop = yOf(p.negative);
    // A non-zero count always shows at least one pixel row.
    canvas.fill(
      center - barW - 1,
      Math.min(mentionsTop, p.mentions > 0 ? base - 1 : base),
      barW,
      base - Math.min(mentionsTop, p.mentions > 0 ? base - 1 : base),
      MENTIONS,
    );
    canvas.fill(
      center + 1,
      Math.min(negativeTop, p.negative > 0 ? base - 1 : base),
      barW,
      base - Math.min(negativeTop, p.negative > 0 ? base - 1 : base),
      NEGATIVE,
    );
    const label = `${p.date.slice(5, 7)}/${p.date.slice(8, 10)}`;
    canvas.text(label, center - textWidth(label) / 2, MARGIN.top + plotH + 9, LABEL);
  });
  return PNG.sync.write(canvas.png, { colorType: 2 });
}
