// Charts carry Chinese text (axis names, weekdays, categories), which only renders with a font that has CJK glyphs.
// resvg draws nothing for a character no loaded font covers, so a missing font must fail loudly, not silently
// produce charts without labels.
import { existsSync } from 'node:fs';
import { NonRetryableError } from '@yuqing/core';

/**
 * Where Debian/Ubuntu (fonts-wqy-microhei, fonts-wqy-zenhei, fonts-noto-cjk, fonts-arphic-uming), Fedora/Arch,
 * macOS and Windows install a font with Chinese glyphs, most preferred first.
 */
export const CJK_FONT_CANDIDATES: readonly string[] = [
  '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
  '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc',
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc',
  '/usr/share/fonts/truetype/arphic/uming.ttc',
  '/System/Library/Fonts/PingFang.ttc',
  '/System/Library/Fonts/STHeiti Light.ttc',
  'C:\\Windows\\Fonts\\msyh.ttc',
  'C:\\Windows\\Fonts\\simhei.ttf',
];

/**
 * The font file charts use: `configured` (YQ_CJK_FONT) when given, else the first of {@link CJK_FONT_CANDIDATES}
 * that exists.
 * @throws NonRetryableError `CJK_FONT_MISSING` when the configured file does not exist or none is installed.
 */
export function findCjkFont(configured?: string, candidates: readonly string[] = CJK_FONT_CANDIDATES): string {
  if (configured !== undefined) {
    if (existsSync(configured)) return configured;
    throw new NonRetryableError(
      'CJK_FONT_MISSING',
      `YQ_CJK_FONT names ${JSON.stringify(configured)}, which does not exist; point it at a font file with Chinese glyphs (.ttf, .otf, .ttc)`,
    );
  }
  const found = candidates.find((path) => existsSync(path));
  if (found) return found;
  throw new NonRetryableError(
    'CJK_FONT_MISSING',
    'no font with Chinese glyphs found for the charts: install one (Debian: apt-get install fonts-wqy-microhei) or set YQ_CJK_FONT to a .ttf/.otf/.ttc file',
  );
}
