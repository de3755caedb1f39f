// Presets for message boards (留言板, 问政 / 12345), WeChat official-account articles, RSSHub routes and
// government site templates.
import type { SourcePreset } from '../source-presets.ts';

/** Board, WeChat, RSSHub and government-site presets. */
export const BOARD_PRESETS: readonly SourcePreset[] = [];
